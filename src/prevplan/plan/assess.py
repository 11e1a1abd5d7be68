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

import gc
from collections import defaultdict
from itertools import chain
from operator import attrgetter

from prevplan.engine.profile import priorities_for
from prevplan.i18n import N_, _
from prevplan.plan.annex_v_scope import annex_v_scope
from prevplan.plan.assess_warnings import level_name
from prevplan.plan.assessment import Assessment, Totals
from prevplan.plan.family import family_links
from prevplan.plan.models import Plan
from prevplan.plan.tally import Tally, per, ratio
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

__all__ = ["COST_RULE", "EFFECTIVE_RULE", "REACH_RULE", "assess", "level_name"]

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

#: The fields of an activity that name things of each kind.
_FIELDS = (
    (Kind.STRATEGY, "strategies"),
    (Kind.INTERVENTION, "interventions"),
    (Kind.ACTION_ITEM, "action_items"),
)


def _check_references(plan: Plan, rules: RuleSet) -> None:
    """A plan built in code (not read through plan.io) may name things that do not exist."""
    population_ids = {p.id for p in plan.populations}
    acts = plan.activities
    # Plans repeat the same programmes: each distinct tuple of names is gathered once.
    named: dict[Kind, set[str]] = {
        kind: set(chain.from_iterable(set(map(attrgetter(field), acts)))) for kind, field in _FIELDS
    }
    if set(map(attrgetter("population_id"), acts)) <= population_ids and all(
        rules.exists(kind, name) for kind, names in named.items() for name in names
    ):
        return  # each name checked once; the problems are listed below only when there are
    problems: list[Problem] = []
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
        for kind, field in _FIELDS:
            problems += [
                Problem(plan.name, where, field, _(_UNKNOWN_ID[kind]).format(id=name))
                for name in getattr(activity, field)
                if not rules.exists(kind, name)
            ]
    ProblemsError.raise_if_any(problems)


def assess(plan: Plan, rules: RuleSet | None = None) -> Assessment:
    """Coverage, costs and warnings for a plan (pure: no I/O beyond default rules)."""
    ruleset = rules if rules is not None else load_rules()
    _check_references(plan, ruleset)
    # The assessment builds hundreds of thousands of small objects (a national plan: tables,
    # tens of thousands of warnings) and none of them forms a reference cycle; the cyclic
    # garbage collector would walk the whole heap (the plan included) while they are built
    # and find nothing (measured: 0.2-0.25 s of 1.7 s for a 10,000-population plan). It is
    # paused for this one call only — pure computation, no I/O, under a second for a
    # national plan — also in the app (unlike :func:`prevplan.memory.gc_paused`, which
    # pauses whole commands): it is resumed when the call ends or fails, and a caller that
    # had switched it off keeps it off.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _assess(plan, ruleset)
    finally:
        if enabled:
            gc.enable()


def _assess(plan: Plan, ruleset: RuleSet) -> Assessment:
    """:func:`assess` on a plan whose references are known to exist."""
    tally = Tally(ruleset)
    by_population: dict[str, list[int]] = defaultdict(list)
    for n, activity in enumerate(plan.activities):
        by_population[activity.population_id].append(n)
    families = family_links(plan, ruleset)
    priorities = priorities_for(plan.populations, ruleset)
    tally.add_all(plan.populations, plan.activities, by_population, priorities, families)

    populations = tally.populations
    action_items = tally.counts.action_items
    total_people = sum(p.size for p in plan.populations)
    total_reach = sum(p.reach for p in populations)
    total_effective = sum(p.effective_reach for p in populations)
    total_cost = sum(a.cost or 0.0 for a in plan.activities)
    scope = annex_v_scope(ruleset)
    coverage = tally.coverage(scope)
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
            coverage=ratio(total_reach, total_people),
            effective_reach=total_effective,
            effective_coverage=ratio(total_effective, total_people),
            cost=round(total_cost, 2),
            cost_per_person=per(total_cost, total_reach),
            cost_per_effective_person=per(total_cost, total_effective),
            uncovered_populations=sum(1 for p in populations if p.activities == 0),
            unreliable_activities=sum(p.unreliable_activities for p in populations),
            action_items_served=sum(1 for ids in action_items.values() if ids),
            activity_items=len(scope.activities),
            activity_items_served=len(coverage.annex_v.activity_items_served),
            activity_items_served_effectively=len(
                coverage.annex_v.activity_items_served_effectively
            ),
            outside_items=sum(len(g.items) for g in scope.outside),
        ),
        coverage=coverage,
        costs=tally.costs(),
        warnings=tuple(tally.warnings),
    )
