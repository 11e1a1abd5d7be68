"""What a named prevention programme is: the records of ``concept_rules/programmes/``.

A programme (interfaces §6) is a packaged, evaluated way of delivering one or more of the
Concept's interventions (VI-4) and strategies (VI-3): its tested ages, prevention levels
(VI-2) and settings, its dose and deliverers, what registries rate it, what it costs and
returns, and prevplan's verdict. Every fact says whether it was read at its source
(``verified``) or is only reported; every rating and cost carries its source and the date
it was read, and every cost its currency and base year, so figures can be compared.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from prevplan.i18n import N_, _

Text = Annotated[str, Field(min_length=1, pattern=r"^\s*\S")]
Age = Annotated[int, Field(strict=True, ge=0, le=120)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Count = Annotated[int, Field(strict=True, ge=0)]

_DATE: Final = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
BAD_DATE: Final = N_("expected the date it was read as YYYY-MM-DD or YYYY-MM")
BAD_CURRENCY: Final = N_("expected a three-letter ISO 4217 currency code such as USD or EUR")
BAD_AGES: Final = N_("age_min must not be greater than age_max")
BAD_URL: Final = N_("expected a web address starting with http:// or https://")


class Status(StrEnum):
    """Whether a fact was read at its source or is only reported."""

    VERIFIED = "verified"
    REPORTED = "reported"


class Verdict(StrEnum):
    """prevplan's overall judgment of a programme, from its ratings (see README)."""

    RECOMMENDED = "recommended"
    PROMISING = "promising"
    NO_EFFECT = "no_effect"
    HARMFUL = "harmful"


#: Verdicts of programmes that are never proposed and are warned about in a plan.
NOT_TO_USE: Final = frozenset({Verdict.NO_EFFECT, Verdict.HARMFUL})

Level = Literal["universal", "selective", "symptomatic", "tertiary"]
Setting = Literal[
    "family",
    "school",
    "workplace",
    "community",
    "health_services",
    "mass_media",
    "entertainment_venues",
    "sport",
    "prison",
    "military",
    "university",
    "online",
]
Registry = Literal[
    "blueprints", "xchange", "wsipp", "crimesolutions", "nrepp", "eddra", "collegeaim", "unodc"
]
Deliverer = Literal[
    "teachers",
    "facilitators",
    "nurses",
    "health_workers",
    "psychologists",
    "counsellors",
    "social_workers",
    "police",
    "prison_staff",
    "coaches",
    "peer_leaders",
    "parents",
    "community_coalition",
    "bar_staff",
    "online_self_guided",
]
Audience = Literal["children", "parents", "teachers", "students", "adults", "community"]
CostBasis = Literal["wsipp_cost", "programme_budget", "developer_price", "local_estimate"]
TrainingNote = Literal["certified", "masters_level", "motivational_interviewing"]
DoseNote = Literal["hours_range", "lst_schedule"]
Region = Literal[
    "north_america",
    "latin_america",
    "europe",
    "central_asia",
    "east_asia",
    "africa",
    "middle_east",
    "oceania",
]


class Record(BaseModel):
    """A frozen record that refuses unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(_(BAD_DATE))
    return value


def _check_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError(_(BAD_URL))
    return value


class Source(Record):
    """A page the record's facts were read from, and when."""

    url: str
    title: Text
    retrieved: str
    status: Status = Status.VERIFIED

    _url = field_validator("url")(_check_url)
    _date = field_validator("retrieved")(_check_date)


class Fact(Record):
    """A group of facts read together: where from and whether verified."""

    status: Status
    source: str | None = None

    @field_validator("source")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)


class Dose(Fact):
    """How much of the programme was delivered in the evaluations (its tested dose)."""

    sessions: Annotated[int, Field(strict=True, ge=1)] | None = None
    sessions_max: Annotated[int, Field(strict=True, ge=1)] | None = None
    hours: Positive | None = None
    hours_max: Positive | None = None
    boosters: Count | None = None
    group_size: Annotated[int, Field(strict=True, ge=1)] | None = None
    group_unit: Literal["participants", "families"] = "participants"
    months: Annotated[int, Field(strict=True, ge=1)] | None = None
    years: Annotated[int, Field(strict=True, ge=1)] | None = None
    caseload: Annotated[int, Field(strict=True, ge=1)] | None = None
    note_key: DoseNote | None = None


class Deliverers(Fact):
    """Who delivers the programme and how they are prepared."""

    who: tuple[Deliverer, ...] = Field(min_length=1)
    training_days: Positive | None = None
    training_note: TrainingNote | None = None
    team: str | None = None


class Rating(Record):
    """One registry's rating, as the registry words it, with the page and date read."""

    registry: Registry
    rating: Text
    url: str
    retrieved: str
    status: Status

    _url = field_validator("url")(_check_url)
    _date = field_validator("retrieved")(_check_date)


class Money(Record):
    """An amount with its currency, base (price) year and source."""

    amount: Annotated[float, Field(ge=0, allow_inf_nan=False)]
    currency: str
    year: Annotated[int, Field(strict=True, ge=1950, le=2100)]
    basis: CostBasis
    source: str
    retrieved: str
    status: Status

    _url = field_validator("source")(_check_url)
    _date = field_validator("retrieved")(_check_date)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError(_(BAD_CURRENCY))
        return value


class BenefitCost(Record):
    """A published benefit-cost ratio, its price year and, where given, the chance that
    benefits exceed costs."""

    ratio: float
    chance_positive: Annotated[float, Field(ge=0, le=1)] | None = None
    year: Annotated[int, Field(strict=True, ge=1950, le=2100)]
    source: str
    retrieved: str
    status: Status

    _url = field_validator("source")(_check_url)
    _date = field_validator("retrieved")(_check_date)


class Implemented(Fact):
    """Where the programme has been delivered and in which languages."""

    countries: tuple[Annotated[str, Field(pattern=r"^[A-Z]{2}$")], ...] = ()
    regions: tuple[Region, ...] = ()
    languages: tuple[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], ...] = ()


class Programme(Record):
    """One named programme of the catalogue (interfaces §6)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: Text
    description: Text
    age_min: Age
    age_max: Age
    ages_of: Literal["participants", "children"]
    """``children`` when the programme works with parents and carers of children of these
    ages (VI-3.1.1): the ages are the children's."""
    audience: tuple[Audience, ...] = Field(min_length=1)
    levels: tuple[Level, ...] = Field(min_length=1)
    settings: tuple[Setting, ...] = Field(min_length=1)
    interventions: tuple[str, ...] = Field(min_length=1)
    strategies: tuple[str, ...] = ()
    standards: tuple[Annotated[str, Field(pattern=r"^[a-r]$")], ...] = ()
    special_groups: tuple[str, ...] = ()
    dose: Dose
    deliverers: Deliverers
    ratings: tuple[Rating, ...] = ()
    cost_per_participant: Money | None = None
    benefit_cost: BenefitCost | None = None
    implemented: Implemented
    verdict: Verdict
    sources: tuple[Source, ...] = Field(min_length=1)
    local: bool = False
    """Set by the loader for an organisation's own records (never written in a file)."""

    @model_validator(mode="after")
    def _ages_in_order(self) -> Programme:
        if self.age_min > self.age_max:
            raise ValueError(_(BAD_AGES))
        return self

    @property
    def to_avoid(self) -> bool:
        """Evaluated as ineffective or harmful: never proposed, warned about in a plan."""
        return self.verdict in NOT_TO_USE

    @property
    def reaches_parents(self) -> bool:
        """Whether the programme works with parents or carers."""
        return "parents" in self.audience


class ProgrammeFile(Record):
    """One file of ``concept_rules/programmes/`` (or of an organisation's local folder)."""

    programmes: tuple[Programme, ...] = Field(min_length=1)


class TranslatedProgramme(Record):
    """A programme's name and description in one language."""

    name: Text | None = None
    description: Text


class ProgrammeTranslations(Record):
    """``programmes/translations/<lang>.yaml``: names and descriptions in one language."""

    language: Literal["ru", "zh"]
    programmes: dict[str, TranslatedProgramme]
