"""The Program of Actions tracker: each Annex V item, who does it, what serves it, its status.

The schedule, executors and coordinating body come from the annex's table as encoded in
``concept_rules/sources/annex_v.yaml``; the activities serving an item come from the
assessment (an activity's own list of items, else the items its strategies and
interventions implement); the status and note are the coordinator's, kept in the plan's
``tracker``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from prevplan.plan.assessment import Assessment
from prevplan.plan.models import ActionStatus, Plan, TrackerEntry
from prevplan.rules import RuleSet


@dataclass(frozen=True)
class TrackerRow:
    ref: str
    number: str
    text: str
    schedule: str
    executors: str
    coordinating_body: str
    carried_down: tuple[str, ...]
    activities: tuple[tuple[str, str], ...]
    """``(id, name)`` of each activity serving the item."""
    effective: frozenset[str]
    """The ids of those activities that count in effective reach (docs/effective-coverage.md);
    the others reach people without an effect the Standards support, or are flagged."""
    status: ActionStatus
    note: str


def tracker_rows(
    plan: Plan, assessment: Assessment, rules: RuleSet, focus_area: str | None = None
) -> list[TrackerRow]:
    """Every Annex V item (of ``focus_area`` if given), in the annex's order."""
    entries = {t.action_item: t for t in plan.tracker}
    names = {a.id: a.name or a.id for a in plan.activities}
    served = assessment.coverage.action_items
    effective = frozenset(
        aid for p in assessment.coverage.populations for aid in p.effective_activities
    )
    rows = []
    for ref, item in rules.action_items.items():
        if focus_area is not None and item.focus_area != focus_area:
            continue
        entry = entries.get(ref)
        rows.append(
            TrackerRow(
                ref=ref,
                number=item.number,
                text=item.text,
                schedule=item.schedule or "",
                executors=item.executors or "",
                coordinating_body=item.coordinating_body or "",
                carried_down=tuple(item.carried_down),
                activities=tuple((aid, names.get(aid, aid)) for aid in served.get(ref, ())),
                effective=effective.intersection(served.get(ref, ())),
                status=entry.status if entry is not None else ActionStatus.NOT_STARTED,
                note=entry.note if entry is not None else "",
            )
        )
    return rows


def set_status(plan: Plan, ref: str, status: ActionStatus, note: str) -> Plan:
    """The plan with the coordinator's status and note for item ``ref``.

    Entries stay in the annex's order of first mention; an item set back to "not started"
    with no note keeps its entry, so that the history of a save shows the change.
    """
    entry = TrackerEntry(action_item=ref, status=status, note=note.strip())
    entries = list(plan.tracker)
    for n, existing in enumerate(entries):
        if existing.action_item == ref:
            entries[n] = entry
            break
    else:
        entries.append(entry)
    return plan.model_copy(update={"tracker": tuple(entries)})


def status_counts(rows: Iterable[TrackerRow]) -> dict[str, int]:
    """How many of the rows' items are not started, in progress and done."""
    counts = {status.value: 0 for status in ActionStatus}
    for row in rows:
        counts[row.status.value] += 1
    return counts
