"""What a recommendation says: the JSON form of ``prevplan recommend`` (interfaces §3).

A :class:`Recommendation` gives one target population its prevention level (VI-2, Table 1),
age stages (VI-4.1–4.4), a ranked mix of fundamental and supporting strategies (VI-3.1,
VI-3.2), the interventions of Section 4 that fit, the priority risk factors (VI-1.2) and weak
protective resources (VI-1.3), the Annex V items the work implements, the information mode
of VI-3.2.1 for its level, what to avoid, and warnings. Every item says which clauses led to
it and whether the link is stated in the text or inferred by prevplan.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from prevplan.catalogue.output import ProgrammeItem
from prevplan.vocab import Basis, Level, StrategyKind


class OutputModel(BaseModel):
    """A part of the output: immutable (shared between recommendations) and strict."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(OutputModel):
    """The crosswalk to the UNODC/WHO Standards for one strategy or intervention.

    ``standards`` are the keys of the Standards items (``concept_rules/evidence.yaml``), whose
    texts say what works and what to avoid; the practices to avoid for the whole mix are in
    :attr:`Recommendation.avoid`. The texts are not repeated in every item: in a national
    batch they would be most of the output.
    """

    standards: tuple[str, ...]
    """The Standards items that *are* this strategy or intervention (its own entries)."""
    strength: str
    """The weakest rating of its own items; ``none`` where it has no entry of its own. A
    component's or a broader item's rating is never shown as its own."""
    strength_tag: str
    components: tuple[str, ...] = ()
    """Standards items that rate only a part of it (workplace programmes: brief
    intervention, ``m``)."""
    extrapolated: bool = False
    """The Standards rated its items for other ages or another prevention level than this
    population's: the rating is carried over by prevplan, not the Standards' finding for this
    population (:mod:`prevplan.engine.evidence_scope`; who they were rated for is
    :func:`~prevplan.engine.evidence_scope.rated_for` of ``standards``)."""
    note: str = ""
    """What a planner must know about the evidence, in a few words. How it is delivered
    where it works (sessions, boosters, trained deliverers, interactive methods) is in its
    Standards items' ``works`` (:func:`prevplan.engine.evidence.what_works`), not repeated in
    every item of a national batch."""


class StrategyRecommendation(OutputModel):
    """A strategy of VI-3 in the mix, ranked by ``priority`` (1 = first)."""

    id: str
    label: str
    kind: StrategyKind
    clause: str
    priority: int
    score: int
    """Points from the fit to level, age stage and setting and from the priority factors."""
    basis: Basis
    """``stated`` when the Concept's text ties the strategy to the level and age stage."""
    rationale: str
    sources: tuple[str, ...]
    """Every clause behind the item: its own and those of each relation that led to it."""
    inferred: tuple[str, ...]
    """The relations behind the item that are prevplan's inference rather than the text's,
    named by their other end (``age_stage:adolescence``, ``risk_factor:peers``, …)."""
    evidence: Evidence
    needs_setting: tuple[str, ...] = ()
    """The settings the item needs when it fits none the planner listed (else empty)."""


class InterventionRecommendation(OutputModel):
    """An intervention of VI-4 that fits the population."""

    id: str
    label: str
    clause: str
    settings: tuple[str, ...]
    """Where it is delivered (within the listed settings, unless the rationale says it needs
    another)."""
    age_stages: tuple[str, ...]
    """The population's age stages it serves (empty when a special group brought it in)."""
    basis: Basis
    rationale: str
    sources: tuple[str, ...]
    inferred: tuple[str, ...]
    evidence: Evidence
    needs_setting: tuple[str, ...] = ()
    """The settings the item needs when it fits none the planner listed (else empty)."""
    strategies: tuple[str, ...] = ()
    """The strategies of the mix the intervention delivers (interfaces §3)."""


class ApplicationNote(OutputModel):
    """How to apply a clause of the SCO texts where it and the UNODC/WHO Standards pull
    apart (``concept_rules/notes.yaml``), citing both."""

    id: str
    title: str
    text: str
    sources: tuple[str, ...]
    """The clauses of the SCO texts the note reconciles."""
    standards: tuple[str, ...]
    """The Standards items it rests on."""


class PriorityFactor(OutputModel):
    """A priority factor of the population (VI-1.2, VI-1.3) with its share."""

    id: str
    clause: str
    share: float | None
    rule: str = "cut_off"
    """What made it a priority: ``benchmark`` (past its national or regional benchmark by
    the margin), ``cut_off`` (past the fixed cut-off, no benchmark given) or
    ``most_needed`` (the fill-up to the minimum number of priorities)."""
    benchmark: float | None = None
    """The benchmark it was compared with, where one was given."""
    reason: str = ""
    """Why, in words: "28 % here vs 19 % nationally"."""


class WarningOut(OutputModel):
    """A warning of interfaces §4 (:mod:`prevplan.engine.judgments`)."""

    code: str
    message: str
    sources: tuple[str, ...]


class AvoidItem(OutputModel):
    """A practice with no or negative effect, from the evidence crosswalk."""

    text: str
    tag: str
    applies_to: tuple[str, ...]


class InformationMode(OutputModel):
    """How information is given at the population's level (VI-3.2.1)."""

    clause: str
    text: str


class Recommendation(OutputModel):
    """Everything prevplan recommends for one target population (interfaces §3)."""

    population_id: str
    prevention_level: Level
    level_sources: tuple[str, ...]
    age_stages: tuple[str, ...]
    settings: tuple[str, ...]
    settings_proposed: bool
    strategies: tuple[StrategyRecommendation, ...]
    interventions: tuple[InterventionRecommendation, ...]
    priority_risk_factors: tuple[PriorityFactor, ...]
    weak_protective_factors: tuple[PriorityFactor, ...]
    priorities_basis: str
    information_mode: InformationMode
    action_items: tuple[str, ...]
    avoid: tuple[AvoidItem, ...]
    notes: tuple[ApplicationNote, ...] = ()
    """How to apply the clauses behind this plan where the SCO texts and the Standards pull
    apart."""
    warnings: tuple[WarningOut, ...]
    untargeted_factors: tuple[str, ...] = ()
    programmes: tuple[ProgrammeItem, ...] = ()
    """Named programmes from the catalogue (interfaces §6) that fit the population, for each
    recommended intervention in order, best evidence first; empty when none fits."""
    """The priority factors (by id) that no recommended strategy or fitting intervention
    addresses; each also has an ``untargeted_priority_risk`` warning."""
