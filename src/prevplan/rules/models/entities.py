"""What prevplan reasons about and how it fits together: ``entities.yaml`` (levels of VI-2
and Table 1, risk factors of VI-1.2, protective factors of VI-1.3, strategies of VI-3,
interventions of VI-4, age stages and settings) and ``relations/*.yaml``, each relation
stated by the text or inferred by prevplan."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from prevplan.i18n import N_
from prevplan.rules.models.base import Strict
from prevplan.vocab import Basis, StrategyKind


class Entity(Strict):
    """Something the Concept defines, with the clauses that define it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    source_term: str | None = None
    description: str = Field(min_length=1)
    clauses: tuple[str, ...] = Field(min_length=1)


class LevelEntity(Entity):
    """A prevention level of VI-2 and Table 1, with its degree and information mode."""

    degree: Literal["I", "II", "III"]
    information_mode: str


class AgeStageEntity(Entity):
    """An age stage of VI-4, with its ages."""

    age_min: int = Field(ge=0, le=120)
    age_max: int = Field(ge=0, le=120)

    @model_validator(mode="after")
    def _ordered(self) -> AgeStageEntity:
        if self.age_min > self.age_max:
            raise ValueError(N_("age_min must not exceed age_max"))
        return self


class StrategyEntity(Entity):
    """A strategy of VI-3: fundamental (VI-3.1) or supporting (VI-3.2)."""

    kind: StrategyKind
    clause: str


class InterventionEntity(Entity):
    """An intervention of VI-4, with its components."""

    clause: str
    components: tuple[str, ...] = ()


class EntitiesFile(Strict):
    """``entities.yaml``."""

    levels: tuple[LevelEntity, ...]
    risk_groups: tuple[Entity, ...]
    special_groups: tuple[Entity, ...]
    age_stages: tuple[AgeStageEntity, ...]
    settings: tuple[Entity, ...]
    risk_factors: tuple[Entity, ...]
    protective_factors: tuple[Entity, ...]
    strategies: tuple[StrategyEntity, ...]
    interventions: tuple[InterventionEntity, ...]
    #: The sectors and services that take part in an intervention (VI-4.6#2 names law
    #: enforcement, health care and the community): who acts, not where the work happens.
    actors: tuple[Entity, ...] = ()
    #: Who the work reaches when a population is the parents of children (``parents_of``).
    audiences: tuple[Entity, ...] = ()


class Kind(StrEnum):
    """The kinds of thing a relation can join."""

    LEVEL = "level"
    RISK_GROUP = "risk_group"
    SPECIAL_GROUP = "special_group"
    AGE_STAGE = "age_stage"
    SETTING = "setting"
    RISK_FACTOR = "risk_factor"
    PROTECTIVE_FACTOR = "protective_factor"
    STRATEGY = "strategy"
    INTERVENTION = "intervention"
    ACTION_ITEM = "action_item"
    ACTOR = "actor"
    AUDIENCE = "audience"


ENTITY_SECTIONS: dict[Kind, str] = {
    Kind.LEVEL: "levels",
    Kind.RISK_GROUP: "risk_groups",
    Kind.SPECIAL_GROUP: "special_groups",
    Kind.AGE_STAGE: "age_stages",
    Kind.SETTING: "settings",
    Kind.RISK_FACTOR: "risk_factors",
    Kind.PROTECTIVE_FACTOR: "protective_factors",
    Kind.STRATEGY: "strategies",
    Kind.INTERVENTION: "interventions",
    Kind.ACTOR: "actors",
    Kind.AUDIENCE: "audiences",
}


class Meaning(StrEnum):
    """What a relation says about its two ends.

    ``fits`` (the default) is what the recommendation engine scores: the subject suits the
    object (a level, an age stage, a setting it is *delivered in*, a factor it addresses).
    The other meanings never make anything eligible; they feed warnings and rationale text:
    ``integrates_with`` — the subject must be joined with work in the object (VI-4.5#2: a
    media campaign with family, school and community programmes); ``involves`` — the object
    is an actor that takes part in the subject (VI-4.6#2: law enforcement, health care and
    the community in venue work).
    """

    FITS = "fits"
    INTEGRATES_WITH = "integrates_with"
    INVOLVES = "involves"
    EXCLUDES = "excludes"


class Relation(Strict):
    """One link between two entities, stated by the text or inferred by prevplan."""

    subject: str = Field(min_length=1)
    object: str = Field(min_length=1)
    basis: Basis
    sources: tuple[str, ...] = Field(min_length=1)
    justification: str | None = None
    weight: int = Field(default=2, ge=1, le=3)

    @model_validator(mode="after")
    def _inferred_needs_reason(self) -> Relation:
        if self.basis is Basis.INFERRED and not (self.justification or "").strip():
            raise ValueError(N_("an inferred relation needs a one-sentence 'justification'"))
        return self


class RelationFile(Strict):
    """``relations/<subject>_<object>.yaml``, or ``relations/<subject>_<meaning>_<object>.yaml``
    for a relation whose meaning is not ``fits``."""

    subject_kind: Kind
    object_kind: Kind
    meaning: Meaning = Meaning.FITS
    description: str = Field(min_length=1)
    relations: tuple[Relation, ...] = Field(min_length=1)
