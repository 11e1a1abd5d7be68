"""The summary of the PDF report: key figures as cards (effective coverage first, exposure
after), how they are counted, the Program of Actions items the plan and the report serve, and
the main gaps by warning."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf.fonts import FontFace

from prevplan.export.pdf.document import fit, wrapped_lines
from prevplan.export.pdf.style import (
    BLUE,
    BODY_PT,
    GREY,
    INK,
    RULE,
    ZEBRA,
)
from prevplan.export.pdf.writer import Cell, Column, ReportWriter
from prevplan.export.report import ActionItemLine
from prevplan.i18n import _


def write(r: ReportWriter) -> None:
    """The summary: key figures, how they are counted, and the main gaps."""
    t = r.c.assessment.totals
    n = r.n
    r.h1(_("Summary"))
    upper = sum(p.reach_upper for p in r.c.assessment.coverage.populations)
    annex_v = r.c.assessment.coverage.annex_v
    # Effective coverage leads; exposure (anyone reached) follows.
    cards = [
        (
            n.share(t.effective_coverage),
            _("effective coverage"),
            _("effectively reached / people targeted"),
        ),
        (
            n.count(t.effective_reach),
            _("people effectively reached"),
            _("of {people} in the target populations").format(people=n.count(t.people)),
        ),
        (
            n.per_person(t.cost_per_effective_person),
            _("cost per person effectively reached"),
            _("plan currency"),
        ),
        (n.money(t.cost), _("total cost"), _("plan currency")),
        (
            n.share(t.coverage),
            _("coverage by any activity"),
            _("people reached by any activity / people targeted"),
        ),
        (
            n.count(t.reach),
            _("people reached by any activity"),
            _("at least; up to {upper}").format(upper=n.count(upper)),
        ),
        (
            f"{n.count(t.uncovered_populations)} / {n.count(t.populations)}",
            _("populations without activities"),
            "",
        ),
        (
            f"{n.count(t.activity_items_served)} / {n.count(t.activity_items)}",
            _("Program of Actions items served"),
            _("of those a prevention plan's activities can serve"),
        ),
    ]
    _cards(r, cards)
    r.note(r.c.assessment.effective_rule)
    r.note(r.c.assessment.reach_rule)
    r.note(
        _(
            "This plan serves Program of Actions item {plan}; this report serves items "
            "{report}. {outside} of the 40 items lie outside a prevention plan's reach "
            "(law enforcement, new psychoactive substances, international cooperation, "
            "SCO bodies)."
        ).format(
            plan=", ".join(annex_v.served_by_plan),
            report=", ".join(annex_v.served_by_report),
            outside=n.count(t.outside_items),
        )
    )
    r.note(
        _(
            "{effective} of the {served} items served have an activity that counts in "
            "effective reach; the others are served only by activities that do not."
        ).format(
            effective=n.count(t.activity_items_served_effectively),
            served=n.count(t.activity_items_served),
        )
    )
    r.note(
        _("Warnings: {n}; see “Gaps and warnings”.").format(n=n.count(len(r.c.assessment.warnings)))
    )
    _main_gaps(r)


def _cards(r: ReportWriter, cards: Sequence[tuple[str, str, str]], per_row: int = 4) -> None:
    pdf = r.pdf
    gap = 3.0
    w = (r.width - gap * (per_row - 1)) / per_row
    h = 27.0
    for start in range(0, len(cards), per_row):
        y = pdf.get_y()
        for i, (value, label, sub) in enumerate(cards[start : start + per_row]):
            x = pdf.l_margin + i * (w + gap)
            pdf.set_fill_color(*ZEBRA)
            pdf.set_draw_color(*RULE)
            pdf.set_line_width(0.2)
            pdf.rect(x, y, w, h, style="DF")
            pdf.set_fill_color(*BLUE)
            pdf.rect(x, y, w, 1.2, style="F")
            size = 16.0
            r.font(size, "B", BLUE)
            while size > 9 and pdf.get_string_width(value) > w - 4:
                size -= 0.5
                r.font(size, "B", BLUE)
            pdf.set_xy(x + 2, y + 3)
            pdf.cell(w - 4, 8, value)
            label_pt = 8.5
            r.font(label_pt, "B", INK)
            while label_pt > 6.5 and len(wrapped_lines(pdf, w - 4, label)) > 2:
                label_pt -= 0.5
                r.font(label_pt, "B", INK)
            pdf.set_xy(x + 2, y + 11.5)
            pdf.multi_cell(w - 4, 3.8, label, align="L", new_x="LEFT", new_y="NEXT")
            if sub:
                r.font(7, "", GREY)
                pdf.set_xy(x + 2, y + 19.6)
                shown = wrapped_lines(pdf, w - 4, sub)
                if len(shown) > 2:
                    shown = [shown[0], fit(pdf, " ".join(shown[1:]), w - 5)]
                pdf.multi_cell(w - 4, 3.1, "\n".join(shown), align="L")
        pdf.set_xy(pdf.l_margin, y + h + gap)
    pdf.ln(1)
    r.font(BODY_PT)


def _main_gaps(r: ReportWriter) -> None:
    warnings = r.c.assessment.warnings
    r.h2(_("Main gaps"), keep=40)
    # The same gaps as the dashboard's: the populations' warnings and, plan-wide, the
    # prevention and treatment items no activity serves — in every language alike.
    unserved = [i for i in r.c.prevention_items if not i.served]
    if not warnings:
        r.para(
            _("No target population has a gap.") if unserved else _("The assessment found no gaps.")
        )
        _unserved_items(r, unserved)
        return
    by_code: dict[str, set[str]] = {}
    sources: dict[str, tuple[str, ...]] = {}
    for w in warnings:
        by_code.setdefault(w.code, set()).add(w.population_id or "")
        sources[w.code] = w.sources
    names = {p.population_id: p.name for p in r.c.assessment.coverage.populations}
    rows: list[list[Cell]] = []
    for code, pids in sorted(by_code.items(), key=lambda kv: -len(kv[1])):
        title = r.label("warnings", code, "title")
        listed = sorted(names.get(p, p) for p in pids if p)
        shown = "; ".join(listed[:6]) + (" …" if len(listed) > 6 else "")
        rows.append(
            [
                (title, FontFace(emphasis="BOLD")),
                r.n.count(len(listed)),
                shown,
                ", ".join(sources[code]),
            ]
        )
    r.table(
        [
            Column(_("Gap"), 40),
            Column(_("Populations"), 24, "RIGHT"),
            Column(_("Which"), 78),
            Column(_("Clauses"), 32),
        ],
        rows,
    )
    _unserved_items(r, unserved)


def _unserved_items(r: ReportWriter, unserved: list[ActionItemLine]) -> None:
    """The Program of Actions items no activity serves, by number and name."""
    if unserved:
        r.para(
            _(
                "Prevention and treatment items of the Program of Actions served by no "
                "activity: {refs}."
            ).format(refs="; ".join(f"{i.ref} {i.label}".strip() for i in unserved)),
            9,
        )
