"""What changed between two versions of a plan.

A coordinator reviewing a colleague's save asks: which target populations and activities
were added or removed, and for those edited, which fields went from what to what; did the
plan's own details (name, country, region, period, description) change; and did the status
of any Program of Actions item in the tracker move. Items are matched by id (tracker entries
by their Annex V item), so reordering a list is not a change.

The diff works on the plan's JSON data (:func:`prevplan.plan.io.plan_to_data`), so two
stored versions can be compared even when the older one no longer validates against the
current rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, JsonValue

from prevplan.plan.io import plan_to_data
from prevplan.plan.models import Plan

METADATA_FIELDS: Final = ("name", "country", "region", "period", "description")


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FieldChange(_Record):
    """One field that differs: ``None`` stands for *not set*.

    Map fields such as ``risk_factors`` are compared key by key and named
    ``risk_factors.family``; lists are compared whole.
    """

    field: str
    old: JsonValue
    new: JsonValue


class ItemChange(_Record):
    """An item present in both versions whose fields differ."""

    id: str
    changes: tuple[FieldChange, ...]


class CollectionDiff(_Record):
    """Items (populations, activities or tracker entries) added, removed and edited."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    edited: tuple[ItemChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.edited)


class PlanDiff(_Record):
    """Everything that differs between an older and a newer state of one plan."""

    name: str
    old_version: int | None = None
    new_version: int | None = None
    metadata: tuple[FieldChange, ...] = ()
    populations: CollectionDiff = CollectionDiff()
    activities: CollectionDiff = CollectionDiff()
    tracker: CollectionDiff = CollectionDiff()

    @property
    def is_empty(self) -> bool:
        return not self.metadata and all(
            part.is_empty for part in (self.populations, self.activities, self.tracker)
        )


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """What changed from ``old`` to ``new`` — for example unsaved edits against the saved plan."""
    return diff_plan_data(plan_to_data(old), plan_to_data(new))


def diff_plan_data(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    old_version: int | None = None,
    new_version: int | None = None,
) -> PlanDiff:
    """What changed between two plans given as :func:`plan_to_data` data."""
    return PlanDiff(
        name=str(new.get("name") or old.get("name") or ""),
        old_version=old_version,
        new_version=new_version,
        metadata=tuple(_field_changes(old, new, METADATA_FIELDS)),
        populations=_collection(old.get("populations"), new.get("populations"), "id"),
        activities=_collection(old.get("activities"), new.get("activities"), "id"),
        tracker=_collection(old.get("tracker"), new.get("tracker"), "action_item"),
    )


def _collection(old: object, new: object, key: str) -> CollectionDiff:
    before = _keyed(old, key)
    after = _keyed(new, key)
    edited = []
    for item_id, item in after.items():
        previous = before.get(item_id)
        if previous is not None and previous != item:
            changes = tuple(_field_changes(previous, item, _union(previous, item)))
            if changes:
                edited.append(ItemChange(id=item_id, changes=changes))
    return CollectionDiff(
        added=tuple(k for k in after if k not in before),
        removed=tuple(k for k in before if k not in after),
        edited=tuple(edited),
    )


def _keyed(items: object, key: str) -> dict[str, Mapping[str, Any]]:
    """Items by their id; a repeated id gets ``#2``, ``#3`` … so no item is hidden."""
    if not isinstance(items, Sequence):
        return {}
    out: dict[str, Mapping[str, Any]] = {}
    seen: Counter[str] = Counter()
    for item in items:
        if not isinstance(item, Mapping):
            continue
        item_id = str(item.get(key, ""))
        seen[item_id] += 1
        out[item_id if seen[item_id] == 1 else f"{item_id}#{seen[item_id]}"] = item
    return out


def _field_changes(
    old: Mapping[str, Any], new: Mapping[str, Any], fields: Iterable[str]
) -> Iterable[FieldChange]:
    for field in fields:
        before, after = old.get(field), new.get(field)
        if before == after:
            continue
        if isinstance(before, Mapping | None) and isinstance(after, Mapping | None):
            yield from (
                FieldChange(field=f"{field}.{change.field}", old=change.old, new=change.new)
                for change in _field_changes(before or {}, after or {}, _union(before, after))
            )
        else:
            yield FieldChange(field=field, old=before, new=after)


def _union(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[str]:
    """The keys of both, in order of first appearance."""
    return list(dict.fromkeys([*(old or {}), *(new or {})]))
