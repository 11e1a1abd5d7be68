"""Parents and their children planned together: a family programme serves both (VI-3.1.1).

A population of parents names the ages of its children (``parents_of``); the children's
populations it matches are linked to it, so that the mix of each counts what the family
programmes of the other deliver, and neither is warned of ``single_strategy`` for it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from prevplan.engine import judgments
from prevplan.engine.judgments import WarningCode
from prevplan.plan.credit import credited_strategies
from prevplan.plan.models import Activity, Plan
from prevplan.rules import RuleSet


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
    linked = _linked(plan)
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


def _linked(plan: Plan) -> dict[str, list[str]]:
    """Each population of parents and the children's populations it matches, both ways."""
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
    return linked
