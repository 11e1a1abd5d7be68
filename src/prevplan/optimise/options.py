"""What the budget can buy: the options of each target population, with their unit costs.

An option is one way to serve one population (interfaces §2) at a cost per participant:

- a **named catalogue programme** (interfaces §6) that fits the population — it delivers an
  intervention recommended for it (VI-4), was tested at its prevention level (VI-2), on
  its ages (the children's, for parents: VI-3.1.1) and in one of its settings — costed at
  the catalogue's cost per participant, converted to the budget's currency and price year;
- **more of one of the plan's own activities** that counts towards effective coverage
  (docs/effective-coverage.md), at its own cost per person reached;
- a **recommended intervention without a named programme**, at the plan's own unit cost
  for that intervention (the median of its effective activities that deliver it).

Programmes evaluated as ineffective or harmful are never options; an option that fits a
population's ages or level only partly is never built (the catalogue's and the
assessment's fit rules decide). What was left out, and why, is recorded as an
:class:`Excluded` so that the explanation can show it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median

from prevplan.catalogue.costs import CostConverter
from prevplan.catalogue.loader import Catalogue
from prevplan.catalogue.match import fits, target_of
from prevplan.catalogue.models import Programme, Verdict
from prevplan.engine import build
from prevplan.engine.models import Recommendation
from prevplan.engine.recommend import decisions_for
from prevplan.i18n import current_language
from prevplan.optimise.settings import OptimiserSettings
from prevplan.plan.assess import assess
from prevplan.plan.credit import activity_facts
from prevplan.plan.models import Activity, Plan
from prevplan.population import TargetPopulation
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

#: The kinds of cost an option can rest on.
CATALOGUE, PLAN_ACTIVITY, PLAN_INTERVENTION = "catalogue", "plan_activity", "plan_intervention"


@dataclass(frozen=True)
class Money:
    """The budget's currency and price year (``None`` when the plan names no currency)."""

    currency: str | None
    year: int | None


@dataclass(frozen=True)
class Option:
    """One way to serve one population, at a cost per participant."""

    key: str
    group: str
    """Options of one group are alternatives (the same intervention for the same
    population); at most one of them is funded."""
    population_id: str
    intervention: str | None
    programme: str | None
    activity: str | None
    """The plan activity this option scales up, if any."""
    strategies: tuple[str, ...]
    unit_cost: float
    cost_kind: str
    cost_ref: str
    """Where the unit cost comes from: a source address, or the plan activity (ids)."""
    min_participants: int
    max_participants: int
    evidence: float
    risk_bonus: float
    executor: str | None
    evidence_based: bool
    """A named, positively rated programme that delivers a fundamental strategy (VI-3.1)."""
    action_items: tuple[str, ...]
    sources: tuple[str, ...]
    sessions: int | None = None
    boosters: int | None = None
    current: int = 0
    """For a plan activity, the people it reaches now."""

    @property
    def weight(self) -> float:
        """How much one participant counts, before the population's level weight."""
        return self.evidence * (1.0 + self.risk_bonus)


@dataclass(frozen=True)
class PopulationInfo:
    """What the model needs to know about one population."""

    id: str
    name: str
    size: int
    level: str
    weight: float
    priority_factors: tuple[str, ...]
    route_to_treatment: bool


@dataclass(frozen=True)
class Excluded:
    """A programme that fits a population but is not an option, and why."""

    population_id: str
    programme: str
    reason: str
    """``harmful``, ``no_effect``, ``no_cost`` or ``no_rate``."""


@dataclass
class Options:
    """Every population and option of one plan, and what was left out."""

    populations: list[PopulationInfo]
    options: list[Option]
    excluded: list[Excluded] = field(default_factory=list)
    money: Money = Money(None, None)

    def by_population(self) -> dict[str, list[Option]]:
        """The options of each population (every population, possibly with none)."""
        out: dict[str, list[Option]] = {p.id: [] for p in self.populations}
        for o in self.options:
            out[o.population_id].append(o)
        return out


def build_options(
    plan: Plan,
    rules: RuleSet,
    catalogue: Catalogue,
    settings: OptimiserSettings,
    money: Money,
    converter: CostConverter | None,
) -> Options:
    """The populations and options of ``plan`` (deterministic: same plan, same list)."""
    recs = _recommendations(plan.populations, rules)
    effective = _effective_activities(plan, rules)
    local = _local_unit_costs(plan, effective)
    fundamental = {s for s in rules.ids(Kind.STRATEGY) if _is_fundamental(rules, s)}
    populations: list[PopulationInfo] = []
    options: list[Option] = []
    excluded: list[Excluded] = []
    pool = _Pool(catalogue, money, converter)
    facts_cache: dict[
        tuple[object, ...], tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]
    ] = {}
    for population, rec in zip(plan.populations, recs, strict=True):
        info = _info(population, rec, settings)
        populations.append(info)
        builder = _Builder(population, rec, info, rules, settings, fundamental, facts_cache)
        for activity in effective.get(population.id, ()):
            named = catalogue.programmes.get(activity.programme or "")
            options.append(builder.from_activity(activity, named))
        delivered = {i for a in effective.get(population.id, ()) for i in a.interventions}
        for item in rec.interventions:
            if item.id not in delivered and item.id in local:
                unit, refs = local[item.id]
                options.append(builder.from_intervention(item.id, unit, refs))
        found, left_out = builder.from_catalogue(pool)
        options += found
        excluded += left_out
    return Options(populations, options, excluded, money)


def _recommendations(
    populations: Sequence[TargetPopulation], rules: RuleSet
) -> list[Recommendation]:
    """The engine's recommendation for each population, decided as one batch. The
    catalogue's own list of programmes is not attached: the options match programmes
    themselves, with costs (a national file would otherwise match them twice)."""
    if not populations:
        return []
    lang = current_language()
    decisions = decisions_for(populations, rules)
    ids = iter(p.id for p in populations)
    return [
        build.recommendation(rules, next(ids), decision, lang)
        for block in decisions.blocks()
        for decision in block
    ]


@dataclass
class _Pool:
    """The catalogue as the options need it, worked out once per plan: programmes by id,
    the trial copies of those never funded (to say which would otherwise fit), and each
    programme's cost in the budget's money or why it has none."""

    programmes: list[Programme]
    trials: dict[str, Programme]
    costs: dict[str, float | str]

    def __init__(self, catalogue: Catalogue, money: Money, converter: CostConverter | None) -> None:
        self.programmes = sorted(catalogue.programmes.values(), key=lambda p: p.id)
        self.trials = {
            p.id: p.model_copy(update={"verdict": Verdict.RECOMMENDED})
            for p in self.programmes
            if p.to_avoid
        }
        self.costs = {p.id: _unit_cost(p, money, converter) for p in self.programmes}


def _is_fundamental(rules: RuleSet, strategy: str) -> bool:
    kind = getattr(rules.strategies[strategy], "kind", None)
    return str(getattr(kind, "value", kind)) == "fundamental"


def _info(
    population: TargetPopulation, rec: Recommendation, settings: OptimiserSettings
) -> PopulationInfo:
    level = rec.prevention_level
    return PopulationInfo(
        id=population.id,
        name=population.name or population.id,
        size=population.size,
        level=level,
        weight=settings.level_weights.get(level, 1.0),
        priority_factors=tuple(f.id for f in rec.priority_risk_factors),
        route_to_treatment=any(w.code == "route_to_treatment" for w in rec.warnings),
    )


def _effective_activities(plan: Plan, rules: RuleSet) -> dict[str, list[Activity]]:
    """The plan's activities that count towards effective reach and give a unit cost."""
    if not plan.activities:
        return {}
    result = assess(plan, rules)
    by_id = {a.id: a for a in plan.activities}
    sizes = {p.id: p.size for p in plan.populations}
    out: dict[str, list[Activity]] = {}
    for cov in result.coverage.populations:
        for activity_id in cov.effective_activities:
            a = by_id[activity_id]
            if a.cost and a.reach and a.reach <= sizes[a.population_id]:
                out.setdefault(a.population_id, []).append(a)
    for acts in out.values():
        acts.sort(key=lambda a: a.id)
    return out


def _local_unit_costs(
    plan: Plan, effective: Mapping[str, Sequence[Activity]]
) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Intervention -> the median cost per person of the plan's effective activities that
    deliver it, and their ids."""
    found: dict[str, list[Activity]] = {}
    for acts in effective.values():
        for a in acts:
            for i in a.interventions:
                found.setdefault(i, []).append(a)
    return {
        i: (
            float(median((a.cost or 0.0) / a.reach for a in acts)),
            tuple(sorted(a.id for a in acts)),
        )
        for i, acts in sorted(found.items())
    }


class _Builder:
    """Builds the options of one population."""

    def __init__(
        self,
        population: TargetPopulation,
        rec: Recommendation,
        info: PopulationInfo,
        rules: RuleSet,
        settings: OptimiserSettings,
        fundamental: set[str],
        facts_cache: dict[
            tuple[object, ...], tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]
        ],
    ) -> None:
        self.population = population
        self.rec = rec
        self.info = info
        self.rules = rules
        self.settings = settings
        self.fundamental = fundamental
        self.facts_cache = facts_cache
        self.max = math.floor(settings.reachable_share * population.size)
        self.recommended = {i.id: i for i in rec.interventions}

    def _facts(self, activity: Activity) -> tuple[tuple[str, ...], tuple[str, ...], float]:
        """Strategies, Annex V items and the risk-factor bonus of what ``activity`` delivers."""
        key = (
            activity.strategies,
            activity.interventions,
            activity.format,
            activity.action_items,
            activity.settings,
            self.info.level,
        )
        found = self.facts_cache.get(key)
        if found is None:
            facts = activity_facts(activity, self.rules, self.info.level)
            found = (tuple(sorted(facts.strategies)), facts.action_items, facts.risk_factors)
            self.facts_cache[key] = found
        strategies, items, risks = found
        priority = self.info.priority_factors
        addressed = sum(1 for f in priority if f in risks)
        bonus = self.settings.risk_factor_bonus * addressed / len(priority) if priority else 0.0
        return strategies, items, bonus

    def _sources(self, intervention: str | None, strategies: Sequence[str]) -> tuple[str, ...]:
        refs: list[str] = []
        item = self.recommended.get(intervention or "")
        if item is not None:
            refs += list(item.sources)
        elif intervention:
            refs.append(self.rules.interventions[intervention].clauses[0])
        for s in strategies:
            refs.append(self.rules.strategies[s].clauses[0])
        return tuple(dict.fromkeys(refs))

    def _strength(self, intervention: str | None) -> float:
        weights = self.settings.evidence_weights
        item = self.recommended.get(intervention or "")
        if item is None:
            return weights.strategies_only
        return weights.intervention.get(item.evidence.strength, weights.strategies_only)

    def _min(self, wanted: int) -> int:
        return max(1, min(wanted, self.max)) if self.max else 1

    def from_activity(self, activity: Activity, programme: Programme | None) -> Option:
        """More of a plan activity, at its own cost per person; a named catalogue programme
        (never a harmful one: the assessment does not count those) is weighed by its
        verdict."""
        strategies, items, bonus = self._facts(activity)
        intervention = next(iter(activity.interventions), None)
        evidence = (
            max(self._strength(i) for i in activity.interventions)
            if activity.interventions
            else self.settings.evidence_weights.strategies_only
        )
        if programme is not None and not programme.to_avoid:
            evidence = self.settings.evidence_weights.programme.get(
                programme.verdict.value, evidence
            )
        return Option(
            key=f"{self.population.id}|activity|{activity.id}",
            group=f"{self.population.id}|{intervention or activity.id}",
            population_id=self.population.id,
            intervention=intervention,
            programme=activity.programme,
            activity=activity.id,
            strategies=strategies,
            unit_cost=(activity.cost or 0.0) / activity.reach,
            cost_kind=PLAN_ACTIVITY,
            cost_ref=activity.id,
            min_participants=self._min(self.settings.default_min_participants),
            max_participants=min(self.max, max(activity.reach, activity.target_reach or 0)),
            evidence=evidence,
            risk_bonus=bonus,
            executor=activity.executor,
            evidence_based=programme is not None
            and not programme.to_avoid
            and bool(set(programme.strategies) & self.fundamental),
            action_items=items,
            sources=self._sources(intervention, strategies),
            sessions=activity.sessions,
            boosters=activity.boosters,
            current=activity.reach,
        )

    def from_intervention(self, intervention: str, unit: float, refs: Sequence[str]) -> Option:
        probe = Activity(
            id="probe", population_id=self.population.id, interventions=(intervention,)
        )
        strategies, items, bonus = self._facts(probe)
        return Option(
            key=f"{self.population.id}|intervention|{intervention}",
            group=f"{self.population.id}|{intervention}",
            population_id=self.population.id,
            intervention=intervention,
            programme=None,
            activity=None,
            strategies=strategies,
            unit_cost=unit,
            cost_kind=PLAN_INTERVENTION,
            cost_ref=", ".join(refs),
            min_participants=self._min(self.settings.default_min_participants),
            max_participants=self.max,
            evidence=self._strength(intervention),
            risk_bonus=bonus,
            executor=None,
            evidence_based=False,
            action_items=items,
            sources=self._sources(intervention, strategies),
        )

    def from_catalogue(self, pool: _Pool) -> tuple[list[Option], list[Excluded]]:
        target = target_of(self.population, self.info.level, self.rec.settings)
        options: list[Option] = []
        excluded: list[Excluded] = []
        for programme in pool.programmes:
            intervention = next((i for i in programme.interventions if i in self.recommended), None)
            if intervention is None:
                continue
            if programme.to_avoid:
                if fits(pool.trials[programme.id], target, intervention):
                    excluded.append(
                        Excluded(self.population.id, programme.id, programme.verdict.value)
                    )
                continue
            if not fits(programme, target, intervention):
                continue
            if target.parents_of is not None and programme.ages_of != "children":
                continue  # a programme for the children themselves is not work with parents
            unit = pool.costs[programme.id]
            if isinstance(unit, str):
                excluded.append(Excluded(self.population.id, programme.id, unit))
                continue
            options.append(self._programme_option(programme, intervention, unit))
        return options, excluded

    def _programme_option(self, programme: Programme, intervention: str, unit: float) -> Option:
        probe = Activity(
            id="probe",
            population_id=self.population.id,
            strategies=programme.strategies,
            interventions=(intervention,),
        )
        strategies, items, bonus = self._facts(probe)
        dose = programme.dose
        wanted = dose.caseload or dose.group_size or self.settings.default_min_participants
        cost = programme.cost_per_participant
        weights = self.settings.evidence_weights.programme
        return Option(
            key=f"{self.population.id}|programme|{programme.id}",
            group=f"{self.population.id}|{intervention}",
            population_id=self.population.id,
            intervention=intervention,
            programme=programme.id,
            activity=None,
            strategies=strategies,
            unit_cost=unit,
            cost_kind=CATALOGUE,
            cost_ref=cost.source if cost is not None else "",
            min_participants=self._min(wanted),
            max_participants=self.max,
            evidence=weights.get(programme.verdict.value, 0.0),
            risk_bonus=bonus,
            executor=None,
            evidence_based=bool(set(programme.strategies) & self.fundamental),
            action_items=items,
            sources=self._sources(intervention, strategies),
            sessions=dose.sessions,
            boosters=dose.boosters,
        )


def _unit_cost(programme: Programme, money: Money, converter: CostConverter | None) -> float | str:
    """The programme's cost per participant in the budget's money, or why there is none."""
    cost = programme.cost_per_participant
    if cost is None:
        return "no_cost"
    if money.currency is None or converter is None:
        return "no_rate"
    if cost.currency == money.currency and (money.year is None or money.year == cost.year):
        return cost.amount
    try:
        year = money.year if money.year is not None else cost.year
        return converter.convert(cost.amount, cost.currency, cost.year, money.currency, year).amount
    except ProblemsError:
        return "no_rate"
