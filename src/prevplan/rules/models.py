"""The shapes of the files in ``concept_rules/``.

Source files hold the text of Annex IV, V and VI (clauses, paragraphs, bullets, the Program
of Actions table); ``entities.yaml`` names what prevplan reasons about (levels of VI-2 and
Table 1, risk factors of VI-1.2, protective factors of VI-1.3, strategies of VI-3,
interventions of VI-4, age stages and settings); ``relations/*.yaml`` say how they fit
together, each relation stated by the text or inferred by prevplan; ``evidence.yaml`` is the
crosswalk to the UNODC/WHO Standards; ``warnings.yaml`` names the warnings prevplan emits.

Every model is frozen and forbids unknown fields, so a typo in a rule file is an error.
Cross-references between files are checked by the loader, not here. The messages of the
validators below are marked for translation and translated by the loader when it reports
them, in the language of the call.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from prevplan.i18n import N_
from prevplan.vocab import Basis, StrategyKind

NonEmpty = Field(min_length=1)


class Strict(BaseModel):
    """Base for every rule model: immutable, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- the source text -------------------------------------------------------------------------


class SourceClause(Strict):
    """One clause of Annex IV or VI with its verbatim paragraphs and bullets."""

    ref: str = Field(min_length=4)
    parent: str | None = None
    heading: str | None = None
    label: str = Field(min_length=1)
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()


class AnnexTextFile(Strict):
    """``sources/annex_vi.yaml`` and ``sources/annex_iv.yaml``."""

    annex: Literal["IV", "VI"]
    title: str
    clauses: tuple[SourceClause, ...] = Field(min_length=1)


class Abbreviation(Strict):
    abbr: str = Field(min_length=1)
    meaning: str = Field(min_length=1)


FocusRole = Literal["prevention_plan", "treatment"]
"""What a focus area of Annex V is for, as prevplan reads it: ``prevention_plan`` — a
national prevention plan answers for its items; ``treatment`` — its items are the treatment
and rehabilitation services people with dependence are routed to."""


class FocusArea(Strict):
    """A focus area of the Program of Actions (Annex V, 1 … 6)."""

    ref: str
    number: str
    title: str
    label: str
    roles: tuple[FocusRole, ...] = ()
    """prevplan's reading of what the area is for (the heading is its source)."""


CarriedField = Literal["schedule", "executors", "coordinating_body"]


class ActionItem(Strict):
    """One item of the Program of Actions (Annex V), with its table columns."""

    ref: str
    number: str
    focus_area: str
    label: str = Field(min_length=1)
    text: str = Field(min_length=1)
    schedule: str | None = None
    executors: str | None = None
    coordinating_body: str | None = None
    carried_down: tuple[CarriedField, ...] = ()


class GeneralProvision(Strict):
    """A row of Annex V's "general provisions" table (objective, principles, …)."""

    ref: str
    heading: str
    paragraphs: tuple[str, ...] = ()


class AnnexVFile(Strict):
    """``sources/annex_v.yaml``: the Program of Actions."""

    annex: Literal["V"]
    title: str
    abbreviations: tuple[Abbreviation, ...] = ()
    general_provisions: tuple[GeneralProvision, ...] = ()
    focus_areas: tuple[FocusArea, ...] = Field(min_length=1)
    items: tuple[ActionItem, ...] = Field(min_length=1)

    def focus_areas_with(self, role: FocusRole) -> tuple[str, ...]:
        """The refs of the focus areas that have ``role``, in Annex V order."""
        return tuple(area.ref for area in self.focus_areas if role in area.roles)


# --- what prevplan reasons about -----------------------------------------------------------


class Entity(Strict):
    """Something the Concept defines, with the clauses that define it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    source_term: str | None = None
    description: str = Field(min_length=1)
    clauses: tuple[str, ...] = Field(min_length=1)


class LevelEntity(Entity):
    degree: Literal["I", "II", "III"]
    information_mode: str


class AgeStageEntity(Entity):
    age_min: int = Field(ge=0, le=120)
    age_max: int = Field(ge=0, le=120)

    @model_validator(mode="after")
    def _ordered(self) -> AgeStageEntity:
        if self.age_min > self.age_max:
            raise ValueError(N_("age_min must not exceed age_max"))
        return self


class StrategyEntity(Entity):
    kind: StrategyKind
    clause: str


class InterventionEntity(Entity):
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


# --- evidence crosswalk ------------------------------------------------------------------


class Confidence(StrEnum):
    """How the prevention-science reference knows a fact (see its legend)."""

    READ_IN_SOURCE = "V"
    READ_IN_CURRICULUM = "S"
    REPORTED = "R"


class Strength(StrEnum):
    VERY_GOOD = "very_good"
    GOOD = "good"
    ADEQUATE = "adequate"
    LISTED = "listed"
    NOT_VERIFIED = "not_verified"


class EvidenceFact(Strict):
    text: str = Field(min_length=1)
    tag: Confidence


class StandardsItem(Strict):
    """An intervention or policy of the UNODC/WHO Standards, Chapter I."""

    key: str = Field(pattern=r"^[a-z]$")
    label: str
    settings: tuple[str, ...] = ()
    age_stages: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    levels_tag: Confidence
    strength: Strength
    strength_tag: Confidence
    works: tuple[EvidenceFact, ...] = ()
    avoid: tuple[EvidenceFact, ...] = ()


class CrosswalkEntry(Strict):
    """Which Standards items a strategy or intervention of the Concept corresponds to.

    ``standards`` are the items that *are* the strategy or intervention: its evidence is
    theirs and no other's. ``components`` are items that rate only a part of it (workplace
    programmes: brief intervention, VI-4.4#3), by item key → the clause of that part; their
    rating is never shown as the whole's. ``note`` says in a few words what a planner must
    know about the evidence (``no Standards entry of its own``; ``not verified; can
    backfire alone``).
    """

    concept: str = Field(pattern=r"^(strategy|intervention):[a-z][a-z0-9_]*$")
    standards: tuple[str, ...] = ()
    components: dict[str, str] = Field(default_factory=dict)
    basis: Basis
    justification: str = Field(min_length=1)
    note: str | None = Field(default=None, min_length=1)


class EvidenceFile(Strict):
    """``evidence.yaml``."""

    reference: str
    standards_items: tuple[StandardsItem, ...] = Field(min_length=1)
    crosswalk: tuple[CrosswalkEntry, ...] = Field(min_length=1)


# --- how to apply the Concept where it and the Standards pull apart ------------------------


class NoteScope(Strict):
    """Where a note applies: a recommendation at one of ``levels``, or one that includes one
    of ``strategies`` or ``interventions``. Empty lists put no condition of that kind."""

    levels: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()


class ApplicationNote(Strict):
    """A short "how to apply" note where a clause of the SCO texts and the UNODC/WHO
    Standards pull apart, citing both."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    concept_sources: tuple[str, ...] = Field(min_length=1)
    """The clauses of Annex IV, V or VI whose wording the note reconciles."""
    standards: tuple[str, ...] = Field(min_length=1)
    """The Standards items (a–r) whose findings the note rests on."""
    tag: Confidence
    """How prevplan knows the Standards' finding (see ``evidence.yaml``)."""
    text: str = Field(min_length=1)
    """How to apply the clause so that it stays within what the evidence supports."""
    applies_to: NoteScope


class NotesFile(Strict):
    """``notes.yaml``."""

    notes: tuple[ApplicationNote, ...] = Field(min_length=1)


# --- prioritisation ------------------------------------------------------------------------


class PriorityFactorRule(Strict):
    """How many factors to prioritise, and which shares make a factor a priority."""

    min: int = Field(ge=1, le=6)
    max: int = Field(ge=1, le=10)
    min_risk_share: float = Field(ge=0, le=1)
    max_protective_share: float = Field(ge=0, le=1)
    sources: tuple[str, ...] = Field(min_length=1)


class SelectionRule(Strict):
    """How many strategies of each kind a recommended mix holds."""

    max_fundamental: int = Field(ge=1, le=5)
    max_supporting: int = Field(ge=0, le=4)
    min_strategies: int = Field(ge=2, le=9)
    sources: tuple[str, ...] = Field(min_length=1)


class InterventionOrderRule(Strict):
    """In what order the interventions that fit are proposed."""

    special_groups_first: bool
    """Interventions named for a special group of the population lead the list."""
    max_proposed: int | None = Field(default=None, ge=1)
    """At most this many interventions are proposed (the best); ``None``: every one."""
    sources: tuple[str, ...] = Field(min_length=1)


class ScoringRule(Strict):
    """Points per relation weight for each kind of fit, and per priority rank."""

    level: int = Field(ge=0)
    age_stage: int = Field(ge=0)
    setting: int = Field(ge=0)
    priority_rank: tuple[int, ...] = Field(min_length=1)
    delivery: int = Field(default=0, ge=0)
    """Points per weight of the strongest intervention→strategy relation among the
    interventions that fit and deliver the strategy."""
    evidence: dict[str, int] = Field(default_factory=dict)
    """Points for the evidence strength of the item's own Standards items (``Strength``
    values and ``none``); a strength not named scores 0."""
    sources: tuple[str, ...] = Field(min_length=1)
    """What the weights rest on: they are prevplan's choices, grounded in these clauses."""


class PrioritisationFile(Strict):
    """``prioritisation.yaml``: prevplan's ranking choices and what they rest on."""

    reference: str
    priority_factors: PriorityFactorRule
    selection: SelectionRule
    interventions: InterventionOrderRule
    scoring: ScoringRule


# --- warnings --------------------------------------------------------------------------------


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
    strategies: tuple[str, ...] = ()
    """The strategies whose presence (without a fundamental one) raises the warning."""
    max_strategies: int | None = Field(default=None, ge=1)
    """The warning is raised when a population is served by this many strategies or fewer
    (but at least one)."""
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
    """Interventions delivering these strategies work through parents: for adults their
    ages are the children's, so an adult population is not checked against them."""
    adult_age: int | None = Field(default=None, ge=0)
    """The age from which a population counts as adults (parents) for the above."""
    main_share: float | None = Field(default=None, gt=0, le=1)
    """Activities of the format reach at least this share of the population's largest reach."""
    threshold: float | None = Field(default=None, ge=0, le=1)
    """Monitoring (interfaces §8): the level that raises the warning (a share of the target,
    of fidelity, of the budget, or a change in a surveyed share)."""


class WarningDefinition(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    explanation: str
    sources: tuple[str, ...] = Field(min_length=1)
    standards: tuple[str, ...] = ()
    """UNODC/WHO Standards items (letters, evidence.yaml) the warning also rests on."""
    trigger: WarningTrigger = WarningTrigger()


# --- assessment ------------------------------------------------------------------------------


class CreditRule(Strict):
    """What an activity is credited with (``assessment.yaml``)."""

    strategy_min_weight: int = Field(ge=1, le=3)
    action_item_min_weight: int = Field(ge=1, le=3)
    sources: tuple[str, ...] = Field(min_length=1)


class FormatStrategies(Strict):
    """The strategies a format can deliver, whatever an activity declares."""

    format: str
    strategies: tuple[str, ...]
    sources: tuple[str, ...] = Field(min_length=1)


class FormatItems(Strict):
    """Annex V items that only activities of one format implement."""

    format: str
    items: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class EffectiveRule(Strict):
    """Which activities count towards effective reach."""

    formats: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class PlanItem(Strict):
    """A Program of Actions item the plan (``plan``) or its report (``report``) serves."""

    item: str
    served_by: str = Field(pattern=r"^(plan|report)$")


class OutsideGroup(Strict):
    """Program of Actions items outside a prevention plan's reach, by kind of work."""

    group: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    items: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class AnnexVScope(Strict):
    activities: tuple[str, ...] = Field(min_length=1)
    plan: tuple[PlanItem, ...] = ()
    outside: tuple[OutsideGroup, ...] = ()


class PlannedDelivery(Strict):
    """How activities added from a recommendation are planned to be delivered."""

    default_format: str
    deliverers_trained: bool
    formats: dict[str, str] = Field(default_factory=dict)
    """Intervention id -> its format, where it is not the default."""
    sources: tuple[str, ...] = Field(min_length=1)


class AssessmentFile(Strict):
    """``assessment.yaml``: how ``assess`` credits activities and judges effective reach."""

    reference: str
    credit: CreditRule
    format_strategies: tuple[FormatStrategies, ...] = ()
    format_items: tuple[FormatItems, ...] = ()
    effective: EffectiveRule
    planned_delivery: PlannedDelivery
    annex_v_scope: AnnexVScope


class WarningsFile(Strict):
    """``warnings.yaml``."""

    warnings: tuple[WarningDefinition, ...] = Field(min_length=1)


# --- translations --------------------------------------------------------------------------
#
# ``translations/<lang>.yaml`` gives the concept's content in another language. Fields named
# ``unofficial_…`` translate text of the source document (clause headings, paragraphs and
# bullets, Annex V items and focus-area titles): they are prevplan's own unofficial
# translation, never a quotation, and the source files keep the English text. The other
# fields translate prevplan's own words (labels, descriptions, warnings, evidence notes).
# Every field is optional: what is missing falls back to English.

Text = Field(default=None, min_length=1)


class EntityTranslation(Strict):
    label: str | None = Text
    description: str | None = Text


class EntitiesTranslation(Strict):
    """The sections of ``entities.yaml``, each a map from entity id to its translation."""

    levels: dict[str, EntityTranslation] = Field(default_factory=dict)
    risk_groups: dict[str, EntityTranslation] = Field(default_factory=dict)
    special_groups: dict[str, EntityTranslation] = Field(default_factory=dict)
    age_stages: dict[str, EntityTranslation] = Field(default_factory=dict)
    settings: dict[str, EntityTranslation] = Field(default_factory=dict)
    risk_factors: dict[str, EntityTranslation] = Field(default_factory=dict)
    protective_factors: dict[str, EntityTranslation] = Field(default_factory=dict)
    strategies: dict[str, EntityTranslation] = Field(default_factory=dict)
    interventions: dict[str, EntityTranslation] = Field(default_factory=dict)
    actors: dict[str, EntityTranslation] = Field(default_factory=dict)
    audiences: dict[str, EntityTranslation] = Field(default_factory=dict)


class FocusAreaTranslation(Strict):
    label: str | None = Text
    unofficial_title: str | None = Text


class ActionItemTranslation(Strict):
    label: str | None = Text
    unofficial_text: str | None = Text


class ClauseTranslation(Strict):
    """A clause of Annex VI or IV; the paragraphs and bullets in source order, all or none."""

    label: str | None = Text
    unofficial_heading: str | None = Text
    unofficial_paragraphs: tuple[str, ...] | None = None
    unofficial_bullets: tuple[str, ...] | None = None


class WarningTranslation(Strict):
    title: str | None = Text
    explanation: str | None = Text


class StandardsItemTranslation(Strict):
    """A Standards item; ``works`` and ``avoid`` in the order of ``evidence.yaml``."""

    label: str | None = Text
    works: tuple[str, ...] | None = None
    avoid: tuple[str, ...] | None = None


class NoteTranslation(Strict):
    title: str | None = Text
    text: str | None = Text


class TranslationFile(Strict):
    """``translations/<lang>.yaml``: the concept's content in one more language."""

    language: str = Field(pattern=r"^[a-z]{2}$")
    note: str = Field(min_length=1)
    unofficial_annex_titles: dict[Literal["IV", "V", "VI"], str] = Field(default_factory=dict)
    entities: EntitiesTranslation = Field(default_factory=EntitiesTranslation)
    focus_areas: dict[str, FocusAreaTranslation] = Field(default_factory=dict)
    action_items: dict[str, ActionItemTranslation] = Field(default_factory=dict)
    clauses: dict[str, ClauseTranslation] = Field(default_factory=dict)
    warnings: dict[str, WarningTranslation] = Field(default_factory=dict)
    standards_items: dict[str, StandardsItemTranslation] = Field(default_factory=dict)
    #: Why prevplan infers a relation: relation file (``strategy_level``) → ``subject/object``
    #: → the justification in this language.
    relations: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: Why a strategy or intervention corresponds to Standards items (``evidence.yaml``'s
    #: crosswalk): ``strategy:life_skills`` → the justification in this language.
    crosswalk: dict[str, str] = Field(default_factory=dict)
    #: The crosswalk's evidence notes: ``intervention:sport`` → the note in this language.
    crosswalk_notes: dict[str, str] = Field(default_factory=dict)
    #: ``notes.yaml``, by note id.
    notes: dict[str, NoteTranslation] = Field(default_factory=dict)
