"""How a plan is assessed (``assessment.yaml``): what an activity is credited with, which
formats count towards effective reach, and which Program of Actions items a prevention plan
can serve."""

from __future__ import annotations

from pydantic import Field

from prevplan.rules.models.base import Strict


class CreditRule(Strict):
    """What an activity is credited with (``assessment.yaml``)."""

    strategy_min_weight: int = Field(ge=1, le=3)
    action_item_min_weight: int = Field(ge=1, le=3)
    sources: tuple[str, ...] = Field(min_length=1)


class FormatStrategies(Strict):
    """The strategies a format can deliver, whatever an activity declares."""

    format: str
    strategies: tuple[str, ...]
    sources: tuple[str, ...] = Field(min_length=1)


class FormatItems(Strict):
    """Annex V items that only activities of one format implement."""

    format: str
    items: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class EffectiveRule(Strict):
    """Which activities count towards effective reach."""

    formats: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class PlanItem(Strict):
    """A Program of Actions item the plan (``plan``) or its report (``report``) serves."""

    item: str
    served_by: str = Field(pattern=r"^(plan|report)$")


class OutsideGroup(Strict):
    """Program of Actions items outside a prevention plan's reach, by kind of work."""

    group: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    items: tuple[str, ...] = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class AnnexVScope(Strict):
    """Where the Program of Actions items lie: served by activities, by the plan or its
    report, or outside a prevention plan's reach."""

    activities: tuple[str, ...] = Field(min_length=1)
    plan: tuple[PlanItem, ...] = ()
    outside: tuple[OutsideGroup, ...] = ()


class PlannedDelivery(Strict):
    """How activities added from a recommendation are planned to be delivered."""

    default_format: str
    deliverers_trained: bool
    formats: dict[str, str] = Field(default_factory=dict)
    """Intervention id -> its format, where it is not the default."""
    sources: tuple[str, ...] = Field(min_length=1)


class AssessmentFile(Strict):
    """``assessment.yaml``: how ``assess`` credits activities and judges effective reach."""

    reference: str
    credit: CreditRule
    format_strategies: tuple[FormatStrategies, ...] = ()
    format_items: tuple[FormatItems, ...] = ()
    effective: EffectiveRule
    planned_delivery: PlannedDelivery
    annex_v_scope: AnnexVScope
