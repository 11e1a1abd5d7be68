"""The workshop exercise: participants' choice of strategies and interventions against the
recommendation, item by item, with the Concept's reason for each difference.

- *Agreed*: chosen and recommended.
- *Missed*: recommended, not chosen — with the recommendation's rationale and clauses.
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
from prevplan.engine.models import Recommendation
from prevplan.i18n import N_, _
from prevplan.population import TargetPopulation
from prevplan.present.labels import label
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
        outcome = Outcome.AGREED if entry.id in interventions else Outcome.MISSED
        verdict = Verdict(Kind.INTERVENTION, entry.id, title, outcome, entry.rationale, clauses)
        (agreed if outcome is Outcome.AGREED else missed).append(verdict)
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
