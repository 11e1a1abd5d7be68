"""The Program of Actions (Annex V) in the PDF report: the items the plan's activities serve,
the prevention and treatment items (V-3, V-4) left unserved, and the other focus areas, which
a prevention plan usually leaves to other programmes."""

from __future__ import annotations

from prevplan.export.pdf.style import (
    GREY,
    MISSING,
)
from prevplan.export.pdf.wording import activity_names
from prevplan.export.pdf.writer import Column, ReportWriter
from prevplan.export.report import ActionItemLine
from prevplan.i18n import _, ngettext


def write(r: ReportWriter) -> None:
    """The Annex V section: items served, prevention items not served, other focus areas."""
    r.h1(_("Program of Actions (Annex V)"))
    items = r.c.action_items
    served = [i for i in items if i.served]
    r.para(
        ngettext(
            "{served} of {total} item of the Program of Actions is served by at least one "
            "activity of the plan.",
            "{served} of {total} items of the Program of Actions are served by at least one "
            "activity of the plan.",
            len(items),
        ).format(served=r.n.count(len(served)), total=r.n.count(len(items))),
        9.5,
    )
    r.chart("action_items")
    status = {
        "not_started": _("not started"),
        "in_progress": _("in progress"),
        "done": _("done"),
    }

    def tracker(item: ActionItemLine) -> str:
        return status.get(item.tracker_status or "", item.tracker_status or "—")

    r.h2(_("Items served"), keep=50)
    if served:
        r.table(
            [
                Column(_("Ref"), 15),
                Column(_("Item"), 62),
                Column(_("Activities"), 75),
                Column(_("Status"), 22),
            ],
            [
                [i.ref, r.label("action_items", i.ref), activity_names(i.activities, 6), tracker(i)]
                for i in served
            ],
            size=8,
        )
    else:
        r.para(_("No item is served by the plan."))
    areas = r.rules.focus_areas

    def area_label(ref: str) -> str:
        return r.label("focus_areas", ref) if ref in areas else ref

    unserved = [i for i in r.c.prevention_items if not i.served]
    if unserved:
        r.h2(_("Prevention and treatment items not served (V-3, V-4)"), keep=50)
        r.para(
            _(
                "The items of the Program of Actions a prevention plan answers for: "
                "prevention (V-3) and treatment and rehabilitation (V-4)."
            ),
            9,
            "",
            GREY,
        )
        r.table(
            [
                Column(_("Ref"), 15),
                Column(_("Item"), 95),
                Column(_("Focus area"), 42),
                Column(_("Status"), 22),
            ],
            [
                [
                    (i.ref, MISSING),
                    (r.label("action_items", i.ref), MISSING),
                    area_label(i.focus_area),
                    tracker(i),
                ]
                for i in unserved
            ],
            size=8,
        )
    others: dict[str, list[ActionItemLine]] = {}
    for i in items:
        if i.focus_area not in r.c.prevention_focus_areas:
            others.setdefault(i.focus_area, []).append(i)
    if others:
        r.h2(_("Other focus areas"), keep=45)
        r.para(
            _(
                "Law enforcement, new substances, international cooperation and "
                "monitoring: usually served by other programmes than a prevention plan."
            ),
            9,
            "",
            GREY,
        )
        r.table(
            [
                Column(_("Focus area"), 50),
                Column(_("Served"), 18, "RIGHT"),
                Column(_("Items not served"), 106),
            ],
            [
                [
                    f"{area_label(ref)} ({ref})",
                    f"{r.n.count(sum(1 for i in group if i.served))} / {r.n.count(len(group))}",
                    ", ".join(i.ref for i in group if not i.served) or "—",
                ]
                for ref, group in others.items()
            ],
            size=8,
        )
