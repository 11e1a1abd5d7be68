"""Which of the 40 Program of Actions items (Annex V) a prevention plan can serve.

``concept_rules/assessment.yaml`` places each item: served by a plan's activities, by the
plan itself or by its report (the planning and reporting items, V-6.x), or outside a
prevention plan's reach (law enforcement, new psychoactive substances, international
cooperation), so that the assessment counts them apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from prevplan.plan.assessment import OutsideItems
from prevplan.rules import RuleSet


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
