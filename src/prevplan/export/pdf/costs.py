"""Costs in the PDF report: by strategy and by prevention level, with the cost per person
effectively reached as the headline (an activity's whole cost stands against each strategy it
delivers, so strategy lines overlap)."""

from __future__ import annotations

from prevplan.export.pdf.style import (
    GREY,
)
from prevplan.export.pdf.wording import kind_word
from prevplan.export.pdf.writer import Column, ReportWriter
from prevplan.i18n import _
from prevplan.rules.models import Kind


def write(r: ReportWriter) -> None:
    """The costs section: by strategy, by prevention level, and the cost-per-person chart."""
    r.h1(_("Costs"))
    n = r.n
    r.para(
        _(
            "Costs are in the plan's currency; the headline is the cost per person "
            "effectively reached. An activity's whole cost stands against each strategy it "
            "delivers, so the strategy lines overlap and do not add up to the plan's cost; "
            "a prevention level carries the whole cost of its populations."
        ),
        9,
        "",
        GREY,
    )
    lines = r.c.assessment.costs
    strategies = r.rules.strategies
    r.h2(_("By strategy"), keep=50)
    r.table(
        [
            Column(_("Strategy"), 50),
            Column(_("Clause"), 18),
            Column(_("Kind"), 20),
            Column(_("Cost of its activities"), 24, "RIGHT"),
            Column(_("People effectively reached"), 22, "RIGHT"),
            Column(_("Cost per person effectively reached"), 22, "RIGHT"),
            Column(_("Cost per person reached"), 18, "RIGHT"),
        ],
        [
            [
                r.label(Kind.STRATEGY, c.id),
                c.clause,
                kind_word(strategies[c.id].kind) if c.id in strategies else "",
                n.money(c.cost),
                n.count(c.effective_reach),
                n.per_person(c.cost_per_effective_person),
                n.per_person(c.cost_per_person),
            ]
            for c in lines
            if c.group == "strategy"
        ],
    )
    r.h2(_("By prevention level"), keep=40)
    t = r.c.assessment.totals
    r.table(
        [
            Column(_("Prevention level"), 60),
            Column(_("Clause"), 18),
            Column(_("Cost"), 24, "RIGHT"),
            Column(_("People effectively reached"), 26, "RIGHT"),
            Column(_("Cost per person effectively reached"), 24, "RIGHT"),
            Column(_("Cost per person reached"), 22, "RIGHT"),
        ],
        [
            [
                r.level_label(c.id),
                c.clause,
                n.money(c.cost),
                n.count(c.effective_reach),
                n.per_person(c.cost_per_effective_person),
                n.per_person(c.cost_per_person),
            ]
            for c in lines
            if c.group == "level"
        ],
        total=[
            _("All levels"),
            "",
            n.money(t.cost),
            n.count(t.effective_reach),
            n.per_person(t.cost_per_effective_person),
            n.per_person(t.cost_per_person),
        ],
    )
    r.chart("cost_per_person", title=_("Cost per person effectively reached"))
