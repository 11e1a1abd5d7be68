"""The plan's own activities against the optimised allocation, and the allocation turned into
plan activities.

The plan is scored with the same objective as the optimiser: each activity that counts
towards effective coverage (docs/effective-coverage.md) is valued with its weight and
diminishing returns, the largest of each intervention per population, against all the
money the plan spends — including
what goes to activities that do not count (lectures, campaigns, one-off events). The
optimiser is then given the same money.

Turning an allocation into plan activities replaces the plan's activities with one activity
per funded option, delivered as it was tested (format, sessions, boosters, trained
deliverers); the tracker and the populations are kept. In the app the step can be undone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from prevplan.catalogue.loader import Catalogue
from prevplan.i18n import _, current_language
from prevplan.optimise.result import OptimisationResult, Side
from prevplan.plan.assess import assess
from prevplan.plan.models import Activity, ActivityFormat, Plan
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

if TYPE_CHECKING:
    from prevplan.optimise.model import Model


def plan_side(plan: Plan, model: Model, rules: RuleSet) -> Side | None:
    """The plan's own activities scored as the optimiser scores an allocation; ``None`` when
    the plan has no costed activity."""
    cost = sum(a.cost or 0.0 for a in plan.activities)
    if cost <= 0:
        return None
    result = assess(plan, rules)
    options = {o.activity: o for o in model.options.options if o.activity}
    by_id = {a.id: a for a in plan.activities}
    people = sum(cov.size for cov in result.coverage.populations)
    reach = sum(cov.effective_reach for cov in result.coverage.populations)
    # As for an allocation: the largest activity of each intervention counts, and
    # different interventions for one population add up.
    best: dict[str, float] = {}
    for cov in result.coverage.populations:
        size = cov.size
        for activity_id in cov.effective_activities:
            activity = by_id[activity_id]
            option = options.get(activity_id)
            group = option.group if option is not None else f"{cov.population_id}|{activity_id}"
            weight = (
                option.weight
                if option is not None
                else model.settings.evidence_weights.strategies_only
            )
            value = model.value_for(cov.population_id, weight, min(activity.reach, size))
            best[group] = max(best.get(group, 0.0), value)
    total = sum(best.values())
    return Side(
        cost=round(cost, 2),
        objective=round(total, 6),
        effective_reach=reach,
        effective_coverage=round(reach / people, 4) if people else 0.0,
    )


def to_plan(plan: Plan, result: OptimisationResult, rules: RuleSet, catalogue: Catalogue) -> Plan:
    """``plan`` with its activities replaced by the allocation's (same populations and
    tracker)."""
    by_id = {a.id: a for a in plan.activities}
    pops = {p.id: p for p in plan.populations}
    taken: set[str] = set()
    activities: list[Activity] = []
    for item in result.allocations:
        existing = by_id.get(item.activity or "")
        if existing is not None:
            activities.append(
                existing.model_copy(
                    update={
                        "reach": item.participants,
                        "target_reach": item.participants,
                        "cost": item.cost,
                    }
                )
            )
            taken.add(existing.id)
            continue
        population = pops[item.population_id]
        stem = item.programme or item.intervention or "option"
        new_id, n = f"{population.id}-{stem}", 2
        while new_id in taken or new_id in by_id:
            new_id, n = f"{population.id}-{stem}-{n}", n + 1
        taken.add(new_id)
        what = (
            catalogue.name(catalogue.programmes[item.programme], current_language())
            if item.programme and item.programme in catalogue.programmes
            else rules.label(Kind.INTERVENTION, item.intervention or "")
        )
        planned = rules.files.assessment.planned_delivery
        fmt = planned.formats.get(item.intervention or "", planned.default_format)
        activities.append(
            Activity(
                id=new_id,
                name=_("{activity} — {population}").format(
                    activity=what, population=population.name or population.id
                ),
                population_id=population.id,
                strategies=item.strategies,
                interventions=(item.intervention,) if item.intervention else (),
                reach=item.participants,
                target_reach=item.participants,
                cost=item.cost,
                format=ActivityFormat(fmt),
                sessions=item.sessions,
                boosters=item.boosters,
                deliverers_trained=planned.deliverers_trained,
                programme=item.programme,
                executor=item.executor,
            )
        )
    return plan.model_copy(update={"activities": tuple(activities)})


def label(
    programme: str | None,
    intervention: str | None,
    strategies: tuple[str, ...],
    rules: RuleSet,
    catalogue: Catalogue,
    activity: str | None = None,
) -> str:
    """What an option or allocation delivers, in the reader's language (a plan activity by
    its own name)."""
    if activity:
        return activity
    if programme and programme in catalogue.programmes:
        return catalogue.name(catalogue.programmes[programme], current_language())
    if intervention:
        return rules.label(Kind.INTERVENTION, intervention)
    return ", ".join(rules.label(Kind.STRATEGY, s) for s in strategies)
