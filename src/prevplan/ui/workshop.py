"""The workshop exercise: participants' choice of strategies and interventions against the
recommendation, item by item, with the Concept's reason for each difference.

- *Agreed*: chosen and recommended.
- *Missed*: recommended, not chosen — with the recommendation's rationale and clauses.
- *Extra*: chosen, not recommended — with the first reason the Concept gives for not putting
  it first: a supporting strategy without any fundamental one (VI-3.2), a prevention level
  it does not suit (VI-2, Table 1), an age stage it is not for (VI-4), settings the group
  cannot be reached in, or a lower rank for this population's priorities.

The score is the share of agreement: agreed items over every item either side named.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from prevplan.engine.models import Recommendation
from prevplan.i18n import _
from prevplan.population import TargetPopulation
from prevplan.present.labels import join, label, labels
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import StrategyKind


class Outcome(StrEnum):
    AGREED = "agreed"
    MISSED = "missed"
    EXTRA = "extra"


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    id: str
    label: str
    outcome: Outcome
    reason: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class Comparison:
    agreed: tuple[Verdict, ...]
    missed: tuple[Verdict, ...]
    extra: tuple[Verdict, ...]

    @property
    def score(self) -> int:
        """Agreement from 0 to 100: agreed items over all items named by either side."""
        total = len(self.agreed) + len(self.missed) + len(self.extra)
        return round(100 * len(self.agreed) / total) if total else 0


def compare(
    population: TargetPopulation,
    recommendation: Recommendation,
    rules: RuleSet,
    strategies: Collection[str],
    interventions: Collection[str],
) -> Comparison:
    """Compare the participants' choice with prevplan's recommendation for ``population``."""
    agreed: list[Verdict] = []
    missed: list[Verdict] = []
    extra: list[Verdict] = []
    chosen_fundamental = any(
        (s := rules.strategies.get(sid)) is not None and s.kind is StrategyKind.FUNDAMENTAL
        for sid in strategies
    )
    recommended_s = {s.id: s for s in recommendation.strategies}
    for item in recommendation.strategies:
        title = label(rules, Kind.STRATEGY, item.id)
        clauses = tuple(dict.fromkeys((item.clause, *item.sources)))
        if item.id in strategies:
            agreed.append(
                Verdict(Kind.STRATEGY, item.id, title, Outcome.AGREED, item.rationale, clauses)
            )
        else:
            missed.append(
                Verdict(Kind.STRATEGY, item.id, title, Outcome.MISSED, item.rationale, clauses)
            )
    for sid in strategies:
        if sid in recommended_s or sid not in rules.strategies:
            continue
        reason, clauses = _extra_strategy(
            sid, population, recommendation, rules, chosen_fundamental
        )
        extra.append(
            Verdict(
                Kind.STRATEGY, sid, label(rules, Kind.STRATEGY, sid), Outcome.EXTRA, reason, clauses
            )
        )
    recommended_i = {i.id for i in recommendation.interventions}
    for entry in recommendation.interventions:
        title = label(rules, Kind.INTERVENTION, entry.id)
        clauses = tuple(dict.fromkeys((entry.clause, *entry.sources)))
        outcome = Outcome.AGREED if entry.id in interventions else Outcome.MISSED
        verdict = Verdict(Kind.INTERVENTION, entry.id, title, outcome, entry.rationale, clauses)
        (agreed if outcome is Outcome.AGREED else missed).append(verdict)
    for iid in interventions:
        if iid in recommended_i or iid not in rules.interventions:
            continue
        reason, clauses = _extra_intervention(iid, population, recommendation, rules)
        extra.append(
            Verdict(
                Kind.INTERVENTION,
                iid,
                label(rules, Kind.INTERVENTION, iid),
                Outcome.EXTRA,
                reason,
                clauses,
            )
        )
    return Comparison(tuple(agreed), tuple(missed), tuple(extra))


def _sources(rules: RuleSet, kind: Kind, other: Kind, entity_id: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            src for link in rules.related(kind, other, entity_id) for src in link.relation.sources
        )
    )


def _level_mismatch(
    kind: Kind, entity_id: str, own_clause: str, recommendation: Recommendation, rules: RuleSet
) -> tuple[str, tuple[str, ...]] | None:
    levels = rules.objects(kind, Kind.LEVEL, entity_id)
    level = recommendation.prevention_level.value
    if not levels or level in levels:
        return None
    reason = _(
        "The population calls for {level}; the Concept ties this to {levels} instead, so it "
        "does not match the population's prevention level."
    ).format(
        level=label(rules, Kind.LEVEL, level).lower(),
        levels=join(labels(rules, Kind.LEVEL, dict.fromkeys(levels))).lower(),
    )
    sources = _sources(rules, kind, Kind.LEVEL, entity_id)
    return reason, tuple(dict.fromkeys(("VI-2", "VI-T1", own_clause, *sources)))


def _stage_mismatch(
    kind: Kind, entity_id: str, own_clause: str, recommendation: Recommendation, rules: RuleSet
) -> tuple[str, tuple[str, ...]] | None:
    stages = rules.objects(kind, Kind.AGE_STAGE, entity_id)
    if not stages or set(stages) & set(recommendation.age_stages):
        return None
    reason = _("The Concept places this in {stages}, not in the population's age ({own}).").format(
        stages=join(labels(rules, Kind.AGE_STAGE, dict.fromkeys(stages))).lower(),
        own=join(labels(rules, Kind.AGE_STAGE, recommendation.age_stages)).lower(),
    )
    sources = _sources(rules, kind, Kind.AGE_STAGE, entity_id)
    return reason, tuple(dict.fromkeys(("VI-4", own_clause, *sources)))


def _lower_rank(own_clause: str, rules: RuleSet) -> tuple[str, tuple[str, ...]]:
    selection = rules.files.prioritisation.selection
    reason = _(
        "It suits this population, but fits its priority factors less well than the "
        "recommended items; a mix keeps at most {fundamental} fundamental and {supporting} "
        "supporting strategies."
    ).format(fundamental=selection.max_fundamental, supporting=selection.max_supporting)
    return reason, tuple(dict.fromkeys((own_clause, *selection.sources)))


def _extra_strategy(
    sid: str,
    population: TargetPopulation,
    recommendation: Recommendation,
    rules: RuleSet,
    chosen_fundamental: bool,
) -> tuple[str, tuple[str, ...]]:
    strategy = rules.strategies[sid]
    if strategy.kind is StrategyKind.SUPPORTING and not chosen_fundamental:
        return (
            _(
                "A supporting strategy works only together with fundamental ones, and no "
                "fundamental strategy was chosen."
            ),
            ("VI-3.2", strategy.clause, "VI-3.1"),
        )
    found = _level_mismatch(Kind.STRATEGY, sid, strategy.clause, recommendation, rules)
    found = found or _stage_mismatch(Kind.STRATEGY, sid, strategy.clause, recommendation, rules)
    return found or _lower_rank(strategy.clause, rules)


def _extra_intervention(
    iid: str, population: TargetPopulation, recommendation: Recommendation, rules: RuleSet
) -> tuple[str, tuple[str, ...]]:
    item = rules.interventions[iid]
    found = _level_mismatch(Kind.INTERVENTION, iid, item.clause, recommendation, rules)
    found = found or _stage_mismatch(Kind.INTERVENTION, iid, item.clause, recommendation, rules)
    if found:
        return found
    settings = rules.objects(Kind.INTERVENTION, Kind.SETTING, iid)
    listed = [s.value for s in population.settings]
    if listed and settings and not set(settings) & set(listed):
        reason = _(
            "It is delivered in {settings}, where this population cannot be reached (listed: "
            "{listed})."
        ).format(
            settings=join(labels(rules, Kind.SETTING, dict.fromkeys(settings))).lower(),
            listed=join(labels(rules, Kind.SETTING, listed)).lower(),
        )
        return reason, (item.clause, *_sources(rules, Kind.INTERVENTION, Kind.SETTING, iid))
    return _lower_rank(item.clause, rules)
