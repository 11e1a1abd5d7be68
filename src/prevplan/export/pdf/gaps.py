"""Gaps and warnings in the PDF report: every warning the assessment raises, by population
and activity, with the clauses it rests on, and the Concept's strategies no population
receives."""

from __future__ import annotations

from fpdf.fonts import FontFace

from prevplan.export.pdf.style import (
    GREY,
)
from prevplan.export.pdf.wording import kind_word
from prevplan.export.pdf.writer import Cell, Column, ReportWriter
from prevplan.i18n import _
from prevplan.rules.models import Kind


def write(r: ReportWriter) -> None:
    """The gaps section: every warning, and the strategies no population receives."""
    r.h1(_("Gaps and warnings"))
    warnings = r.c.assessment.warnings
    if not warnings:
        r.para(_("The assessment found no gaps."))
    else:
        r.para(
            _("Every warning the assessment raises, by population, with the clauses it rests on."),
            9,
            "",
            GREY,
        )
        names = {p.population_id: p.name for p in r.c.assessment.coverage.populations}
        acts = {a.id: a.name or a.id for a in r.c.plan.activities}
        rows: list[list[Cell]] = []
        for w in warnings:
            where = names.get(w.population_id, w.population_id) if w.population_id else "—"
            if w.activity_id:
                where += " / " + acts.get(w.activity_id, w.activity_id)
            title = r.label("warnings", w.code, "title")
            rows.append(
                [
                    where or "—",
                    (title, FontFace(emphasis="BOLD")),
                    w.message,
                    ", ".join(w.sources),
                ]
            )
        r.table(
            [
                Column(_("Population / activity"), 34),
                Column(_("Warning"), 30),
                Column(_("What it means"), 82),
                Column(_("Clauses"), 28),
            ],
            rows,
            size=8,
        )
    unused = [
        s
        for s in r.rules.strategies.values()
        if not r.c.assessment.coverage.strategies.get(s.clause, 0)
    ]
    if unused:
        r.h2(_("Strategies no population receives"), keep=30)
        r.table(
            [Column(_("Strategy"), 70), Column(_("Kind"), 40), Column(_("Clause"), 64)],
            [
                [
                    r.label(Kind.STRATEGY, s.id),
                    kind_word(s.kind),
                    s.clause,
                ]
                for s in unused
            ],
        )
