"""The warnings prevplan emits (``warnings.yaml``): their codes, clauses, Standards items
and the parameters of their triggers."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from prevplan.rules.models.base import Strict


class WarningCode(StrEnum):
    """Every warning code prevplan's code raises (interfaces §4, plus prevplan's own).

    Each must be defined in ``warnings.yaml`` and each definition there must be one of these:
    the rules loader checks both ways, so a code missing from the rules is a load error, not a
    ``KeyError`` when the warning is first raised.
    """

    INFORMATION_ONLY = "information_only"
    NO_FUNDAMENTAL_STRATEGY = "no_fundamental_strategy"
    SINGLE_STRATEGY = "single_strategy"
    UNCOVERED_POPULATION = "uncovered_population"
    LEVEL_MISMATCH = "level_mismatch"
    AGE_STAGE_MISMATCH = "age_stage_mismatch"
    ROUTE_TO_TREATMENT = "route_to_treatment"
    UNTARGETED_PRIORITY_RISK = "untargeted_priority_risk"
    REACH_EXCEEDS_SIZE = "reach_exceeds_size"
    UNKNOWN_RISK_FACTORS = "unknown_risk_factors"
    AVOID_PRACTICE = "avoid_practice"
    MEDIA_ONLY = "media_only"
    ONE_OFF_SESSION = "one_off_session"
    INFORMATION_LECTURE = "information_lecture"
    FEAR_APPEAL = "fear_appeal"
    EX_USER_TESTIMONY = "ex_user_testimony"
    DRUG_TESTING = "drug_testing"
    UNTRAINED_DELIVERERS = "untrained_deliverers"
    NEEDS_SCREENING_REFERRAL = "needs_screening_referral"
    HARMFUL_PROGRAMME = "harmful_programme"
    BELOW_TESTED_DOSE = "below_tested_dose"
    OUTSIDE_TESTED_AGES = "outside_tested_ages"
    DELIVERY_UNKNOWN = "delivery_unknown"
    OFF_TRACK = "off_track"
    LOW_FIDELITY = "low_fidelity"
    OVERSPENT = "overspent"
    RISING_RISK = "rising_risk"
    SPLIT_BY_AGE = "split_by_age"


class WarningTrigger(Strict):
    """The parameters of a warning's trigger; :mod:`prevplan.engine.judgments` applies them.

    Every field is optional; those a warning gives must all hold.

    ``flags_activity``: the warning marks the activity it names as not effective, so it
    is left out of effective reach (docs/effective-coverage.md).
    """

    flags_activity: bool = False
    practice: str | None = None
    """The activity declares this practice (fear_appeal, ex_user_testimony, drug_testing)."""
    formats: tuple[str, ...] = ()
    """The activity is given in one of these formats."""
    always_formats: tuple[str, ...] = ()
    """Formats that are single events whatever their number of sessions."""
    max_sessions: int | None = Field(default=None, ge=1)
    """The activity has at most this many sessions."""
    untrained_formats: tuple[str, ...] = ()
    """Formats whose effect is lost when the deliverers are declared untrained."""
    levels: tuple[str, ...] = ()
    """The prevention levels at which the warning is raised (empty: at any level)."""
    not_at_levels: tuple[str, ...] = ()
    """The prevention levels at which ``assess`` does not raise it: advice on a mix of
    prevention strategies or on how to deliver a curriculum, which people with dependence
    do not need (their answer is treatment: ``route_to_treatment``)."""
    strategies: tuple[str, ...] = ()
    """The strategies whose presence (without a fundamental one) raises the warning."""
    max_strategies: int | None = Field(default=None, ge=1)
    """The warning is raised when a population is served by this many strategies or fewer
    (but at least one)."""
    min_age_stages: int | None = Field(default=None, ge=2)
    """The warning is raised when a population spans this many age stages or more."""
    settings: tuple[str, ...] = ()
    """Mass-media settings: activities delivered only there."""
    interventions: tuple[str, ...] = ()
    """Interventions that count as what the trigger looks for (or, for media, as media)."""
    satisfied_by_formats: tuple[str, ...] = ()
    """An activity in one of these formats answers the need."""
    satisfied_by_interventions: tuple[str, ...] = ()
    """An activity with one of these interventions answers the need."""
    satisfied_by_items: tuple[str, ...] = ()
    """Annex V items an activity must serve to answer the need (with a fitting format)."""
    not_satisfied_by_formats: tuple[str, ...] = ()
    """Formats that never answer the need (information given to people)."""
    not_satisfied_by_strategies: tuple[str, ...] = ()
    """An activity credited with these strategies only never answers the need."""
    verdicts: tuple[str, ...] = ()
    """Catalogue verdicts of programmes that trigger the warning."""
    parent_strategies: tuple[str, ...] = ()
    """Interventions delivering these strategies work through parents: for parents their
    ages are the children's, so a population of parents is not checked against them."""
    parent_groups: tuple[str, ...] = ()
    """Special groups that are parents-to-be (pregnant women): counted as parents for the
    above like a population that gives its children's ages (``parents_of``)."""
    main_share: float | None = Field(default=None, gt=0, le=1)
    """Activities of the format reach at least this share of the population's largest reach."""
    threshold: float | None = Field(default=None, ge=0, le=1)
    """Monitoring (interfaces §8): the level that raises the warning (a share of the target,
    of fidelity, of the budget, or a change in a surveyed share)."""


class WarningDefinition(Strict):
    """A warning of ``warnings.yaml``: its code, words, clauses, Standards items and trigger."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    explanation: str
    sources: tuple[str, ...] = Field(min_length=1)
    standards: tuple[str, ...] = ()
    """UNODC/WHO Standards items (letters, evidence.yaml) the warning also rests on."""
    trigger: WarningTrigger = WarningTrigger()


class WarningsFile(Strict):
    """``warnings.yaml``."""

    warnings: tuple[WarningDefinition, ...] = Field(min_length=1)
