"""``assess(plan)``: what a plan or an inventory covers, for how many people, at what cost.

Coverage is people reached over people in the target population (the population's ``size``
is the denominator), per population, per strategy (VI-3), per prevention level × age stage
(VI-2, VI-4), per risk-factor group (VI-1.2) and protective level (VI-1.3) addressed, per
setting and per Program of Actions item (Annex V). The gaps are named as warnings with the
codes of interfaces §4, each citing the clauses it rests on.

Reach is never double-counted: activities serving the same population may reach the same
people, so a population's reach is the largest reach of any one activity, capped at its size
(a lower bound); the sum of reaches, capped at size, is reported beside it as the upper
bound. The same rule applies within each strategy, factor and setting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.judge import detail as programme_detail
from prevplan.engine import judgments
from prevplan.engine.judgments import Finding, WarningCode
from prevplan.engine.profile import Factor, age_stages_for, level_for, priorities_for
from prevplan.i18n import DEFAULT_LANGUAGE, N_, _, current_language, format_number, ngettext
from prevplan.plan.assessment import (
    AnnexVCoverage,
    Assessment,
    AssessWarning,
    CostLine,
    Coverage,
    CoverageCell,
    FactorCoverage,
    OutsideItems,
    PopulationCoverage,
    SettingCoverage,
    Totals,
)
from prevplan.plan.credit import ActivityFacts, activity_facts, credited_strategies
from prevplan.plan.models import Activity, Plan
from prevplan.plan.quality import Judged, Served, is_adult, judge
from prevplan.population import TargetPopulation
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind
from prevplan.vocab import ProtectiveFactor, RiskFactor

#: How reach is counted; stated on every assessment (in the language of the assessment).
REACH_RULE = N_(
    "A population's reach is the largest reach of any single activity serving it, capped at "
    "its size (activities may reach the same people); the sum of reaches, capped at size, is "
    "the upper bound. Targets are combined the same way, so reach and target compare. An "
    "activity that reports more people than its population is left out until corrected."
)
#: What effective reach counts; stated on every assessment (docs/effective-coverage.md).
EFFECTIVE_RULE = N_(
    "Effective reach counts the people reached by at least one activity that delivers a "
    "fundamental strategy in a format people take part in (interactive sessions, one-to-one "
    "work, screening, a policy) — or that gives the screening, brief intervention or referral "
    "the population's level needs — and that no quality warning flags. Coverage by any "
    "activity counts every activity, whatever its quality."
)
#: How costs are shown; stated on every assessment.
COST_RULE = N_(
    "An activity's whole cost stands against each strategy it delivers, so the strategy lines "
    "overlap and do not add up to the plan's cost. The headline is the cost per person "
    "effectively reached."
)


# One whole sentence per kind of reference an activity makes.
_UNKNOWN_ID: dict[Kind, str] = {
    Kind.STRATEGY: N_("unknown strategy id '{id}'"),
    Kind.INTERVENTION: N_("unknown intervention id '{id}'"),
    Kind.ACTION_ITEM: N_("unknown action_item id '{id}'"),
}


def _check_references(plan: Plan, rules: RuleSet) -> None:
    """A plan built in code (not read through plan.io) may name things that do not exist."""
    problems: list[Problem] = []
    population_ids = {p.id for p in plan.populations}
    for activity in plan.activities:
        where = _("activity {id}").format(id=activity.id)
        if activity.population_id not in population_ids:
            problems.append(
                Problem(
                    plan.name,
                    where,
                    "population_id",
                    _("unknown population '{id}'").format(id=activity.population_id),
                )
            )
        for kind, field, names in (
            (Kind.STRATEGY, "strategies", activity.strategies),
            (Kind.INTERVENTION, "interventions", activity.interventions),
            (Kind.ACTION_ITEM, "action_items", activity.action_items),
        ):
            problems += [
                Problem(plan.name, where, field, _(_UNKNOWN_ID[kind]).format(id=name))
                for name in names
                if not rules.exists(kind, name)
            ]
    ProblemsError.raise_if_any(problems)


def _ratio(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def assess(plan: Plan, rules: RuleSet | None = None) -> Assessment:
    """Coverage, costs and warnings for a plan (pure: no I/O beyond default rules)."""
    ruleset = rules if rules is not None else load_rules()
    _check_references(plan, ruleset)
    strategies = ruleset.strategies
    by_population: dict[str, list[Activity]] = defaultdict(list)
    for activity in plan.activities:
        by_population[activity.population_id].append(activity)
    tally = _Tally(ruleset)
    families = family_links(plan, ruleset)
    priorities = priorities_for(plan.populations, ruleset)
    for population, factors in zip(plan.populations, priorities, strict=True):
        tally.add(
            population, by_population.get(population.id, []), factors, families[population.id]
        )

    populations = tally.populations
    action_items = tally.action_items
    total_people = sum(p.size for p in plan.populations)
    total_reach = sum(p.reach for p in populations)
    total_effective = sum(p.effective_reach for p in populations)
    total_cost = sum(a.cost or 0.0 for a in plan.activities)
    scope = annex_v_scope(ruleset)
    coverage = Coverage(
        populations=tuple(populations),
        strategies={strategies[s].clause: n for s, n in tally.strategy_pops.items()},
        action_items={ref: tuple(ids) for ref, ids in action_items.items()},
        strategy_reach={strategies[s].clause: n for s, n in tally.strategy_reach.items()},
        levels=tuple(
            CoverageCell(
                level=lv,
                age_stage=st,
                people=round(v[0]),
                reach=round(v[1]),
                coverage=_ratio(v[1], v[0]),
                effective_reach=round(v[2]),
                effective_coverage=_ratio(v[2], v[0]),
            )
            for (lv, st), v in sorted(
                tally.level_cells.items(), key=lambda kv: _cell_order(kv[0], ruleset)
            )
        ),
        risk_factors=_factor_coverage(tally.risk, Kind.RISK_FACTOR, ruleset),
        protective_factors=_factor_coverage(tally.protective, Kind.PROTECTIVE_FACTOR, ruleset),
        settings=tuple(
            SettingCoverage(setting=s, activities=int(v[0]), reach=round(v[1]), cost=round(v[2], 2))
            for s, v in tally.settings.items()
        ),
        annex_v=AnnexVCoverage(
            activity_items=scope.activities,
            activity_items_served=tuple(r for r in scope.activities if action_items.get(r)),
            served_by_plan=scope.plan,
            served_by_report=scope.report,
            outside=scope.outside,
        ),
    )
    strategy_cost, strategy_reach = tally.strategy_cost, tally.strategy_reach
    effective_reach = tally.strategy_effective
    costs = tuple(
        CostLine(
            group="strategy",
            id=s,
            clause=strategies[s].clause,
            cost=round(strategy_cost[s], 2),
            reach=strategy_reach[s],
            cost_per_person=_per(strategy_cost[s], strategy_reach[s]),
            effective_reach=effective_reach[s],
            cost_per_effective_person=_per(strategy_cost[s], effective_reach[s]),
        )
        for s in strategies
    ) + tuple(
        CostLine(
            group="level",
            id=lv,
            clause=ruleset.levels[lv].clauses[0],
            cost=round(v[0], 2),
            reach=round(v[1]),
            cost_per_person=_per(v[0], v[1]),
            effective_reach=round(v[2]),
            cost_per_effective_person=_per(v[0], v[2]),
        )
        for lv, v in sorted(
            tally.level_cost.items(), key=lambda kv: ruleset.ids(Kind.LEVEL).index(kv[0])
        )
    )
    return Assessment(
        plan_name=plan.name,
        reach_rule=_(REACH_RULE),
        effective_rule=_(EFFECTIVE_RULE),
        cost_rule=_(COST_RULE),
        totals=Totals(
            populations=len(plan.populations),
            activities=len(plan.activities),
            people=total_people,
            reach=total_reach,
            coverage=_ratio(total_reach, total_people),
            effective_reach=total_effective,
            effective_coverage=_ratio(total_effective, total_people),
            cost=round(total_cost, 2),
            cost_per_person=_per(total_cost, total_reach),
            cost_per_effective_person=_per(total_cost, total_effective),
            uncovered_populations=sum(1 for p in populations if p.activities == 0),
            unreliable_activities=sum(p.unreliable_activities for p in populations),
            action_items_served=sum(1 for ids in action_items.values() if ids),
            activity_items=len(scope.activities),
            activity_items_served=len(coverage.annex_v.activity_items_served),
            outside_items=sum(len(g.items) for g in scope.outside),
        ),
        coverage=coverage,
        costs=costs,
        warnings=tuple(tally.warnings),
    )


@dataclass(frozen=True)
class Family:
    """A population's links as parents and children (``parents_of``)."""

    linked: tuple[str, ...] = ()
    """The populations linked to it: the children of a parents' population, or the parents'
    populations of a children's one."""
    strategies: frozenset[str] = frozenset()
    """What the family programmes of the linked populations deliver: they serve both."""


def family_links(plan: Plan, rules: RuleSet) -> dict[str, Family]:
    """Parents' populations (``parents_of``) and the children's populations they match.

    A children's population matches when its ages overlap the children's ages and the two
    are in the same region (or either gives none). A family programme — an activity credited
    with a strategy that works through parents (``age_stage_mismatch``'s trigger in
    ``warnings.yaml``; work with parents, VI-3.1.1) — serves both: the two are planned
    together, so each population's mix counts what the other receives too, and neither gets
    ``single_strategy`` for it.
    """
    linked: dict[str, list[str]] = defaultdict(list)
    for parents in plan.populations:
        children = parents.parents_of
        if children is None:
            continue
        for other in plan.populations:
            if (
                other.id != parents.id
                and other.parents_of is None
                and other.age_min <= children.age_max
                and children.age_min <= other.age_max
                and (parents.region is None or other.region in (None, parents.region))
            ):
                linked[parents.id].append(other.id)
                linked[other.id].append(parents.id)
    through_parents = set(
        judgments.trigger_of(rules, WarningCode.AGE_STAGE_MISMATCH).parent_strategies
    )
    by_population: dict[str, list[Activity]] = defaultdict(list)
    for activity in plan.activities:
        if activity.population_id in linked:
            by_population[activity.population_id].append(activity)
    delivered: dict[str, set[str]] = {}
    has_family: set[str] = set()
    for pid in linked:
        delivered[pid] = set()
        for activity in by_population.get(pid, []):
            strategies = credited_strategies(activity, rules)
            delivered[pid] |= strategies
            if strategies & through_parents:
                has_family.add(pid)
    out: dict[str, Family] = defaultdict(Family)
    for pid, others in linked.items():
        # Planned together when either side has a family programme: the mix of each counts
        # what the other receives.
        shared = frozenset(
            s
            for other in others
            if pid in has_family or other in has_family
            for s in delivered.get(other, ())
        )
        out[pid] = Family(tuple(dict.fromkeys(others)), shared)
    return out


def _per(cost: float, people: float) -> float | None:
    return round(cost / people, 2) if people else None


@dataclass(frozen=True)
class AnnexVScope:
    """The 40 Program of Actions items, split as ``assessment.yaml`` places them."""

    activities: tuple[str, ...]
    plan: tuple[str, ...]
    report: tuple[str, ...]
    outside: tuple[OutsideItems, ...]


@lru_cache(maxsize=8)
def annex_v_scope(rules: RuleSet) -> AnnexVScope:
    """Which items a plan's activities, the plan, its report serve, and which lie outside."""
    scope = rules.files.assessment.annex_v_scope
    order = list(rules.action_items)

    def ordered(refs: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(refs, key=order.index))

    return AnnexVScope(
        activities=ordered(scope.activities),
        plan=ordered(i.item for i in scope.plan if i.served_by == "plan"),
        report=ordered(i.item for i in scope.plan if i.served_by == "report"),
        outside=tuple(
            OutsideItems(group=g.group, items=ordered(g.items), sources=g.sources)
            for g in scope.outside
        ),
    )


class _Tally:
    """Coverage, costs and warnings built up population by population."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        strategies = rules.strategies
        self.populations: list[PopulationCoverage] = []
        self.warnings: list[AssessWarning] = []
        self.strategy_pops: dict[str, int] = {s: 0 for s in strategies}
        self.strategy_reach: dict[str, int] = {s: 0 for s in strategies}
        self.strategy_effective: dict[str, int] = {s: 0 for s in strategies}
        self.strategy_cost: dict[str, float] = {s: 0.0 for s in strategies}
        self.level_cells: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.risk = {f: [0.0, 0.0, 0] for f in rules.ids(Kind.RISK_FACTOR)}
        self.protective = {f: [0.0, 0.0, 0] for f in rules.ids(Kind.PROTECTIVE_FACTOR)}
        self.settings: dict[str, list[float]] = {
            s: [0.0, 0.0, 0.0] for s in rules.ids(Kind.SETTING)
        }
        self.level_cost: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        self.action_items: dict[str, list[str]] = {ref: [] for ref in rules.action_items}
        self.strategy_order = {s: n for n, s in enumerate(strategies)}
        self.facts_cache: dict[tuple[object, ...], ActivityFacts] = {}
        self.keys_of: dict[int, tuple[str, ...]] = {}
        self.fit_cache: dict[tuple[object, ...], tuple[str, ...]] = {}

    def facts(self, activity: Activity, level: str) -> ActivityFacts:
        key = (
            activity.strategies,
            activity.interventions,
            activity.action_items,
            activity.settings,
            activity.format,
            level,
        )
        found = self.facts_cache.get(key)
        if found is None:
            found = self.facts_cache[key] = activity_facts(activity, self.rules, level)
        return found

    def add(
        self,
        population: TargetPopulation,
        activities: list[Activity],
        priorities: tuple[Factor, ...],
        family: Family,
    ) -> None:
        """Count one population and its activities.

        ``family``: the populations linked to it as parents and children, and the strategies
        their family programmes deliver (which serve both).
        """
        rules = self.rules
        size = population.size
        level, _sources = level_for(population, rules)
        stages = age_stages_for(population.age_min, population.age_max, rules)
        lv = level.value
        acts = [Served(a, self.facts(a, lv)) for a in activities]
        children = population.parents_of
        # Parents: what an activity for them is fit for follows their children's ages.
        fit_stages = (
            age_stages_for(children.age_min, children.age_max, rules) if children else stages
        )
        adult = children is not None or is_adult(rules, population.age_min)
        ages = (
            (children.age_min, children.age_max)
            if children
            else (
                population.age_min,
                population.age_max,
            )
        )
        judged = judge(acts, rules, lv, fit_stages, size, adult, self.fit_cache, ages)
        # One pass: the largest single reach per strategy, setting and factor (no double
        # counting), plus totals, costs and the Annex V items served. An activity whose
        # reach is impossible counts for nothing but its cost.
        best: dict[str, int] = {}
        reach_max = reach_sum = target = unreliable = 0
        cost = 0.0
        for f in acts:
            activity_cost = f.activity.cost or 0.0
            cost += activity_cost
            for ref in f.facts.action_items:
                self.action_items[ref].append(f.activity.id)
            if "reach_exceeds_size" in judged.flags.get(f.activity.id, ()):
                unreliable += 1
                continue
            r = f.activity.reach
            reach_max = max(reach_max, r)
            reach_sum += r
            target = max(target, f.activity.target_reach or 0)
            facts_keys = self.keys_of.get(id(f.facts))
            if facts_keys is None:
                facts_keys = self.keys_of[id(f.facts)] = f.facts.keys
            for tag in facts_keys:
                if r > best.get(tag, -1):
                    best[tag] = r
            # The whole cost of an activity stands against each strategy it delivers: the
            # strategy lines overlap and do not add up to the plan's cost.
            for s in f.facts.strategies:
                self.strategy_cost[s] += activity_cost
            for x in f.facts.settings:
                cell = self.settings[x]
                cell[0] += 1
                cell[2] += activity_cost
        effective_best: dict[str, int] = {}
        for f in judged.effective:
            for s in f.facts.strategies:
                effective_best[s] = max(effective_best.get(s, 0), f.activity.reach)
        effective = min(size, max((f.activity.reach for f in judged.effective), default=0))
        reach, upper = min(size, reach_max), min(size, reach_sum)
        served = sorted(
            (k[2:] for k in best if k.startswith("s:")), key=self.strategy_order.__getitem__
        )
        mix = [*served, *(s for s in family.strategies if s not in served)] if acts else served
        pop_warnings = _population_warnings(population, acts, mix, priorities, rules)
        pop_warnings += _quality_warnings(population, acts, judged, level.value, rules)
        self.warnings += pop_warnings
        capped_target = min(target, size) if target else None
        self.populations.append(
            PopulationCoverage.model_construct(
                population_id=population.id,
                name=population.name or population.id,
                region=population.region,
                size=size,
                prevention_level=level,
                age_stages=stages,
                activities=len(acts),
                reach=reach,
                reach_upper=upper,
                coverage=_ratio(reach, size),
                effective_reach=effective,
                effective_coverage=_ratio(effective, size),
                effective_activities=tuple(f.activity.id for f in judged.effective),
                linked_populations=family.linked,
                unreliable_activities=unreliable,
                undescribed_activities=judged.undescribed,
                target_reach=capped_target,
                target_coverage=_ratio(capped_target, size) if capped_target else None,
                cost=round(cost, 2),
                cost_per_person=_per(cost, reach),
                cost_per_effective_person=_per(cost, effective),
                strategies=tuple(served),
                warnings=tuple(dict.fromkeys(w.code for w in pop_warnings)),
            )
        )
        for s in served:
            self.strategy_pops[s] += 1
            self.strategy_reach[s] += min(size, best[f"s:{s}"])
        for s, value in effective_best.items():
            self.strategy_effective[s] += min(size, value)
        for tag, value in best.items():
            if tag.startswith("set:"):
                self.settings[tag[4:]][1] += min(size, value)
        line = self.level_cost[level.value]
        line[0] += cost
        line[1] += reach
        line[2] += effective
        _add_stage_cells(self.level_cells, level.value, stages, population, reach, effective, rules)
        _add_factors(self.risk, population.risk_factors, best, "r:", size, risk=True)
        _add_factors(self.protective, population.protective_factors, best, "p:", size, risk=False)


def _clause(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    entity = rules.entity(kind, entity_id)
    return entity.clauses[0] if entity else ""


def _cell_order(key: tuple[str, str], rules: RuleSet) -> tuple[int, int]:
    return rules.ids(Kind.LEVEL).index(key[0]), rules.ids(Kind.AGE_STAGE).index(key[1])


def _add_stage_cells(
    cells: dict[tuple[str, str], list[float]],
    level: str,
    stages: tuple[str, ...],
    population: TargetPopulation,
    reach: int,
    effective: int,
    rules: RuleSet,
) -> None:
    """Split a population across the age stages it spans, in proportion to the years."""
    spans = []
    for stage_id in stages:
        stage = rules.age_stages[stage_id]
        years = min(stage.age_max, population.age_max) - max(stage.age_min, population.age_min) + 1
        spans.append((stage_id, years))
    total = sum(y for _, y in spans) or 1
    for stage_id, years in spans:
        cell = cells[(level, stage_id)]
        cell[0] += population.size * years / total
        cell[1] += reach * years / total
        cell[2] += effective * years / total


def _factor_coverage(
    table: dict[str, list[float]], kind: Kind, rules: RuleSet
) -> tuple[FactorCoverage, ...]:
    """The rows of :func:`_add_factors`' table: people, reach, coverage, populations."""
    return tuple(
        FactorCoverage(
            id=f,
            clause=_clause(rules, kind, f),
            people=round(v[0]),
            reach=round(v[1]),
            coverage=_ratio(v[1], v[0]),
            populations=int(v[2]),
        )
        for f, v in table.items()
    )


def _add_factors(
    table: dict[str, list[float]],
    shares: Mapping[RiskFactor, float] | Mapping[ProtectiveFactor, float],
    best: dict[str, int],
    prefix: str,
    size: int,
    *,
    risk: bool,
) -> None:
    """People with the risk (or lacking the resource) and how many of them are reached."""
    for factor, share in shares.items():
        key = factor.value
        need = share if risk else 1.0 - share
        cell = table[key]
        cell[0] += need * size
        cell[1] += min(size, best.get(prefix + key, 0)) * need
        cell[2] += 1


def _warn(
    rules: RuleSet,
    code: str,
    population_id: str | None,
    activity_id: str | None,
    detail: str = "",
    factor: tuple[str, str] | None = None,
    population_name: str | None = None,
) -> AssessWarning:
    """A warning in the current language, about its population (and factor, if any); the
    message names the population as people read it (its name; the id only when it has none),
    while ``population_id`` keeps the id for machines."""
    definition = rules.warning_definitions[code]
    # The explanation in the current language, from concept_rules/translations/.
    message = _explanation(rules, code, current_language())
    if message.startswith("{population}") and not population_id:
        message = _("This population") + message[len("{population}") :]
    message = message.replace(
        "{population}", population_name or population_id or _("this population")
    )
    return AssessWarning.model_construct(
        code=code,
        factor_kind=factor[0] if factor else None,
        factor_id=factor[1] if factor else None,
        population_id=population_id,
        activity_id=activity_id,
        message=f"{message} {detail}".strip(),
        sources=definition.sources,
        standards=definition.standards,
    )


@lru_cache(maxsize=256)
def _explanation(rules: RuleSet, code: str, lang: str) -> str:
    return rules.translated("warnings", code, "explanation", lang)


def level_name(level: str, rules: RuleSet) -> str:
    """The level as the level-mismatch message names it: the id in English ("selective
    prevention"), the translated label in another language (whose message quotes it)."""
    if current_language() == DEFAULT_LANGUAGE:
        return level
    return rules.translated(Kind.LEVEL, level, "label")


def _population_warnings(
    population: TargetPopulation,
    acts: list[Served],
    served: Sequence[str],
    priorities: tuple[Factor, ...],
    rules: RuleSet,
) -> list[AssessWarning]:
    """The warnings about a population's mix of strategies and the factors it targets
    (:mod:`prevplan.engine.judgments`); ``served`` includes what a linked family programme
    delivers."""
    pid = population.id
    found: list[Finding] = []
    if not acts:
        found.append(Finding(WarningCode.UNCOVERED_POPULATION, pid))
    else:
        found += judgments.mix_findings(rules, served, pid)
        addressed = {(Kind.RISK_FACTOR, x) for f in acts for x in f.facts.risk_factors} | {
            (Kind.PROTECTIVE_FACTOR, x) for f in acts for x in f.facts.protective_factors
        }
        untargeted = [factor for factor in priorities if factor not in addressed]
        found += judgments.untargeted_findings(rules, untargeted, pid)
    out: list[AssessWarning] = []
    for finding in found:
        detail = ""
        if finding.factor is not None:
            label = rules.translated(finding.factor[0], finding.factor[1], "label")
            detail = _("Not addressed: {factor}.").format(factor=label)
        factor = (finding.factor[0].value, finding.factor[1]) if finding.factor else None
        out.append(
            _warn(rules, finding.code.value, pid, None, detail, factor, population.name or None)
        )
    return out


def _quality_warnings(
    population: TargetPopulation,
    acts: list[Served],
    judged: Judged,
    level: str,
    rules: RuleSet,
) -> list[AssessWarning]:
    """The warnings of :func:`prevplan.plan.quality.judge`, with their details."""
    pid = population.id
    out: list[AssessWarning] = []
    for f in acts:
        activity = f.activity
        for code in judged.flags.get(activity.id, ()):
            out.append(
                _warn(
                    rules,
                    code,
                    pid,
                    activity.id,
                    _detail(code, activity, population, level, rules),
                    population_name=population.name or None,
                )
            )
    for code in judged.population_codes:
        detail = ""
        if code == "delivery_unknown":
            detail = _undescribed(judged.undescribed, current_language())
        out.append(_warn(rules, code, pid, None, detail, population_name=population.name or None))
    return out


@lru_cache(maxsize=512)
def _undescribed(n: int, lang: str) -> str:
    """How many activities give no format (one sentence, cached: plans repeat the counts)."""
    return ngettext("{n} activity gives no format.", "{n} activities give no format.", n).format(
        n=format_number(n, lang)
    )


def _detail(
    code: str, activity: Activity, population: TargetPopulation, level: str, rules: RuleSet
) -> str:
    """The sentence that names the activity (and its figures) after a warning's explanation."""
    name = activity.name or activity.id
    if code == "reach_exceeds_size":
        return _(
            "Reach {reach} is larger than the population ({size}); the activity is left out "
            "of reach and coverage until it is corrected."
        ).format(reach=format_number(activity.reach), size=format_number(population.size))
    if code == "level_mismatch":
        return _("Activity '{name}' does not suit {level} prevention.").format(
            name=name, level=level_name(level, rules)
        )
    if code in ("below_tested_dose", "outside_tested_ages", "harmful_programme"):
        programme = load_catalogue().get(activity.programme or "")
        if programme is not None:
            return programme_detail(code, activity, programme)
    return _("Activity: '{name}'.").format(name=name)
