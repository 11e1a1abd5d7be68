"""The workshop exercise: participants' choice of strategies and interventions against the
recommendation, item by item, with the Concept's reason for each difference.

- *Agreed*: chosen and recommended.
- *Missed*: recommended, not chosen — with what this item in particular would have added to
  the group's choice: its rank in the mix, the population's priority factors (VI-1.2, VI-1.3)
  it answers that nothing chosen answers, the fundamental strategy a choice without one lacks
  (VI-3.2), how it is tied to the chosen interventions or strategies, the setting it needs and
  its Standards rating; then what it is.
- *Extra*: chosen, not recommended — with the first reason the Concept gives for not putting
  it first: a supporting strategy without any fundamental one (VI-3.2), a prevention level
  it does not suit (VI-2, Table 1), an age stage it is not for (VI-4), settings the group
  cannot be reached in, or a lower rank for this population's priorities. The reasons are
  the judgments of :mod:`prevplan.engine.judgments`, which ``recommend`` and ``assess`` use.

The score is the share of agreement: agreed items over every item either side named.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from prevplan.engine import judgments
from prevplan.engine.judgments import Reason
from prevplan.engine.models import (
    InterventionRecommendation,
    Recommendation,
    StrategyRecommendation,
)
from prevplan.i18n import N_, _, format_percent, join_list, ngettext
from prevplan.population import TargetPopulation
from prevplan.present.labels import label, strength_text
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind, WarningCode
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
            why = missed_reason(item, recommendation, rules, strategies, interventions)
            missed.append(
                Verdict(
                    Kind.STRATEGY,
                    item.id,
                    title,
                    Outcome.MISSED,
                    why.text,
                    tuple(dict.fromkeys((*why.clauses, *clauses))),
                )
            )
    for sid in strategies:
        if sid in recommended_s or sid not in rules.strategies:
            continue
        reason = _extra_strategy(sid, recommendation, rules, chosen_fundamental)
        extra.append(
            Verdict(
                Kind.STRATEGY,
                sid,
                label(rules, Kind.STRATEGY, sid),
                Outcome.EXTRA,
                reason.text,
                reason.clauses,
            )
        )
    recommended_i = {i.id for i in recommendation.interventions}
    for entry in recommendation.interventions:
        title = label(rules, Kind.INTERVENTION, entry.id)
        clauses = tuple(dict.fromkeys((entry.clause, *entry.sources)))
        if entry.id in interventions:
            agreed.append(
                Verdict(
                    Kind.INTERVENTION, entry.id, title, Outcome.AGREED, entry.rationale, clauses
                )
            )
            continue
        why = missed_reason(entry, recommendation, rules, strategies, interventions)
        missed.append(
            Verdict(
                Kind.INTERVENTION,
                entry.id,
                title,
                Outcome.MISSED,
                why.text,
                tuple(dict.fromkeys((*why.clauses, *clauses))),
            )
        )
    for iid in interventions:
        if iid in recommended_i or iid not in rules.interventions:
            continue
        reason = _extra_intervention(iid, population, recommendation, rules)
        extra.append(
            Verdict(
                Kind.INTERVENTION,
                iid,
                label(rules, Kind.INTERVENTION, iid),
                Outcome.EXTRA,
                reason.text,
                reason.clauses,
            )
        )
    return Comparison(tuple(agreed), tuple(missed), tuple(extra))


def missed_reason(
    item: StrategyRecommendation | InterventionRecommendation,
    recommendation: Recommendation,
    rules: RuleSet,
    strategies: Collection[str],
    interventions: Collection[str],
) -> Reason:
    """Why leaving out this recommended item matters for this choice in particular.

    Built from the recommendation and the rules' relations, not from new policy: the rank the
    engine gave it, the population's priority factors it answers and the choice leaves
    unanswered, the fundamental strategy a choice without one lacks, its ties to what was
    chosen, the setting it needs and its Standards rating; then what the item is. The specific
    clauses come first (the page shows the first few).
    """
    if isinstance(item, StrategyRecommendation):
        kind = Kind.STRATEGY
        parts, clauses = _missed_strategy(item, recommendation, rules, strategies, interventions)
    else:
        kind = Kind.INTERVENTION
        parts, clauses = _missed_intervention(item, rules, strategies), []
    factors = _unanswered_factors(item.id, kind, recommendation, rules, strategies, interventions)
    if factors:
        parts.append(
            _("It answers this group's {factors}, which nothing chosen answers.").format(
                factors=join_list(factors[0])
            )
        )
        clauses += factors[1]
    if item.needs_setting:
        parts.append(
            _("It needs {settings}, which the scenario does not list.").format(
                settings=_labels(rules, Kind.SETTING, item.needs_setting)
            )
        )
    if item.evidence.standards:
        parts.append(
            _("UNODC/WHO Standards: {rating}.").format(
                rating=strength_text(item.evidence.strength).lower()
            )
        )
    what = rules.translated(kind, item.id, "description")
    text = " ".join(parts)
    # What the item is, as a paragraph of its own after why it matters here.
    return Reason(f"{text}\n\n{what}" if what else text, tuple(dict.fromkeys(clauses)))


def _missed_strategy(
    item: StrategyRecommendation,
    recommendation: Recommendation,
    rules: RuleSet,
    strategies: Collection[str],
    interventions: Collection[str],
) -> tuple[list[str], list[str]]:
    """A missed strategy's rank, the fundamental strategy the choice lacks (said once, on the
    first one to add) and the interventions that deliver it."""
    parts = [
        _("Ranked {rank} of {n} strategies in the mix for this group.").format(
            rank=item.priority, n=len(recommendation.strategies)
        )
    ]
    clauses: list[str] = []
    if item.kind is StrategyKind.FUNDAMENTAL and not _has_fundamental(rules, strategies):
        first = next(
            s.id
            for s in sorted(recommendation.strategies, key=lambda s: s.priority)
            if s.kind is StrategyKind.FUNDAMENTAL
        )
        if item.id == first:
            parts.append(
                _(
                    "The choice has no fundamental strategy, so the supporting ones it names "
                    "stand without the base they need; this is the first one to add."
                )
                if strategies
                else _("The choice has no fundamental strategy; this is the first one to add.")
            )
            clauses += judgments.definition(rules, WarningCode.NO_FUNDAMENTAL_STRATEGY).sources
    delivering = [i.id for i in recommendation.interventions if item.id in i.strategies]
    chosen = [i for i in delivering if i in interventions]
    if chosen:
        parts.append(
            ngettext(
                "The choice already has {interventions}, which delivers it: naming the "
                "strategy says what it is for.",
                "The choice already has {interventions}, which deliver it: naming the "
                "strategy says what they are for.",
                len(chosen),
            ).format(interventions=_labels(rules, Kind.INTERVENTION, chosen))
        )
    elif delivering:
        parts.append(
            _("Nothing chosen delivers it; the recommended way is {interventions}.").format(
                interventions=_labels(rules, Kind.INTERVENTION, delivering)
            )
        )
    return parts, clauses


def _missed_intervention(
    item: InterventionRecommendation, rules: RuleSet, strategies: Collection[str]
) -> list[str]:
    """How a missed intervention is tied to the strategies chosen (or also left out)."""
    served = [s for s in item.strategies if s in strategies]
    if served:
        return [
            _("It is how the mix delivers {strategies}, which the choice names.").format(
                strategies=_labels(rules, Kind.STRATEGY, served)
            )
        ]
    if item.strategies:
        return [
            _("It delivers {strategies}, which the choice leaves out as well.").format(
                strategies=_labels(rules, Kind.STRATEGY, item.strategies)
            )
        ]
    return []


def _has_fundamental(rules: RuleSet, strategies: Collection[str]) -> bool:
    return any(
        (s := rules.strategies.get(sid)) is not None and s.kind is StrategyKind.FUNDAMENTAL
        for sid in strategies
    )


def _labels(rules: RuleSet, kind: Kind, ids: Collection[str]) -> str:
    """Names in running text, lower-cased as :mod:`prevplan.engine.judgments` writes them."""
    return join_list(label(rules, kind, i).lower() for i in dict.fromkeys(ids))


def _unanswered_factors(
    item_id: str,
    kind: Kind,
    recommendation: Recommendation,
    rules: RuleSet,
    strategies: Collection[str],
    interventions: Collection[str],
) -> tuple[list[str], list[str]] | None:
    """The population's priority factors ``item_id`` answers that nothing chosen answers
    (named with their share where known), and their clauses; ``None`` when there are none."""
    names: list[str] = []
    clauses: list[str] = []
    for factor_kind, factors in (
        (Kind.RISK_FACTOR, recommendation.priority_risk_factors),
        (Kind.PROTECTIVE_FACTOR, recommendation.weak_protective_factors),
    ):
        answered_by_choice = {
            o
            for k, chosen in ((Kind.STRATEGY, strategies), (Kind.INTERVENTION, interventions))
            for c in chosen
            for o in rules.objects(k, factor_kind, c)
        }
        own = set(rules.objects(kind, factor_kind, item_id))
        for factor in factors:
            if factor.id in own and factor.id not in answered_by_choice:
                name = label(rules, factor_kind, factor.id).lower()
                if factor.share is not None:
                    name += f" ({format_percent(factor.share)})"
                names.append(name)
                clauses.append(factor.clause)
    return (names, clauses) if names else None


def _extra_strategy(
    sid: str, recommendation: Recommendation, rules: RuleSet, chosen_fundamental: bool
) -> Reason:
    return judgments.why_not_strategy(
        rules,
        sid,
        level=recommendation.prevention_level,
        age_stages=recommendation.age_stages,
        fundamental_chosen=chosen_fundamental,
    )


def _extra_intervention(
    iid: str, population: TargetPopulation, recommendation: Recommendation, rules: RuleSet
) -> Reason:
    return judgments.why_not_intervention(
        rules,
        iid,
        level=recommendation.prevention_level,
        age_stages=recommendation.age_stages,
        settings=[s.value for s in population.settings],
    )


#: The built-in scenarios' titles (``sample_data/populations.yaml``), translated where shown:
#: a Russian or Chinese workshop reads them in its own language.
SCENARIO_TITLES: Final = {
    "newborns_capital": N_("Pregnant women and infants aged 0–2, Capital"),
    "primary_pupils_north": N_("Primary-school pupils aged 6–10, North"),
    "secondary_pupils_capital": N_("Secondary-school pupils aged 12–17, Capital"),
    "marginal_youth_south": N_("Out-of-school young people aged 14–20, South"),
    "nightlife_young_adults": N_("Young adults in the nightlife scene, Capital"),
    "workers_north": N_("Employed adults aged 25–60, North"),
    "young_people_who_use_drugs": N_("Young people who use drugs, not in treatment"),
    "adults_in_rehabilitation": N_("Adults in treatment and rehabilitation for drug dependence"),
}


def scenario_title(population_id: str, name: str | None, builtin: bool) -> str:
    """A scenario's title in the reader's language (a built-in one), else its own name."""
    if builtin and population_id in SCENARIO_TITLES:
        return _(SCENARIO_TITLES[population_id])
    return name or population_id
