"""The Program of Actions table (Annex V): one row per item, served or not, with the
coordinators' tracker status and the annex's own columns."""

from __future__ import annotations

from typing import Final

import pandas as pd

from prevplan.analytics.frames.table import JOIN, table
from prevplan.i18n import N_, _
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

SERVED: Final = "served"
NOT_SERVED: Final = "not served"
"""The ``status`` of an Annex V item in :func:`action_item_frame`: stable keys, never shown;
:func:`status_label` is what a reader sees."""
_STATUS_LABELS: Final = {SERVED: N_("Served by the plan"), NOT_SERVED: N_("Not served")}


ACTION_ITEM_COLUMNS: Final = {
    "ref": "str",
    "number": "str",
    "focus_area": "str",
    "focus_area_label": "str",
    "label": "str",
    "status": "str",
    "activities": "int64",
    "activity_ids": "str",
    "tracker_status": "str",
    "schedule": "str",
    "executors": "str",
    "coordinating_body": "str",
}


def status_label(status: str) -> str:
    """An Annex V item's ``status`` (``served`` / ``not served``) in the reader's language."""
    found = _STATUS_LABELS.get(status)
    return status if found is None else _(found)


def action_item_frame(
    assessment: Assessment, rules: RuleSet, plan: Plan | None = None
) -> pd.DataFrame:
    """One row per Program of Actions item (Annex V), in the annex's order.

    Columns:

    - ``ref`` — the item's reference (``V-3.1``; the two items printed as 3.2 are
      ``V-3.2a`` and ``V-3.2b``)
    - ``number`` — the number as printed in the annex (``3.1``)
    - ``focus_area``, ``focus_area_label`` — the focus area (``V-3``) and its short label
    - ``label`` — the item's short label
    - ``status`` — ``served`` if at least one activity serves it, else ``not served`` (keys;
      :func:`status_label` gives the words to show)
    - ``activities`` — activities serving it (count)
    - ``activity_ids`` — their ids, joined with "; "
    - ``tracker_status`` — the coordinator's status from the plan's tracker
      (``not_started``, ``in_progress``, ``done``; "" when untracked or no plan given)
    - ``schedule``, ``executors``, ``coordinating_body`` — the annex's table columns ("" when
      blank)
    """
    tracker = {t.action_item: t.status.value for t in plan.tracker} if plan is not None else {}
    served = assessment.coverage.action_items
    rows = []
    for ref, item in rules.action_items.items():
        ids = served.get(ref, ())
        rows.append(
            (
                ref,
                item.number,
                item.focus_area,
                rules.text("focus_areas", item.focus_area, "label", item.focus_area),
                rules.label(Kind.ACTION_ITEM, ref),
                SERVED if ids else NOT_SERVED,
                len(ids),
                JOIN.join(ids),
                tracker.get(ref, ""),
                item.schedule or "",
                item.executors or "",
                item.coordinating_body or "",
            )
        )
    return table(rows, ACTION_ITEM_COLUMNS)
