"""The target populations of the PDF report: each population's prevention level (VI-2,
Table 1), ages, size, effective coverage beside coverage by any activity, target and costs, and
the coverage charts."""

from __future__ import annotations

from prevplan.export.pdf.style import (
    GREY,
    MISSING,
)
from prevplan.export.pdf.wording import age_range
from prevplan.export.pdf.writer import Cell, Column, ReportWriter
from prevplan.i18n import _


def write(r: ReportWriter) -> None:
    """The table of target populations with their totals, and the coverage charts."""
    r.h1(_("Target populations"))
    r.para(
        _(
            "Each population's prevention level follows from its risk group (VI-2, "
            "Table 1). Effective coverage is people reached by an activity that works "
            "over the population's size; coverage by any activity counts everyone reached."
        ),
        9,
        "",
        GREY,
    )
    n = r.n
    pops = r.c.assessment.coverage.populations
    by_id = {p.id: p for p in r.c.plan.populations}
    columns = [
        Column(_("Population"), 38),
        Column(_("Level"), 26),
        Column(_("People"), 14, "RIGHT"),
        Column(_("Activities"), 10, "RIGHT"),
        Column(_("Effective coverage"), 14, "RIGHT"),
        Column(_("Coverage by any activity"), 12, "RIGHT"),
        Column(_("Target"), 11, "RIGHT"),
        Column(_("Cost"), 15, "RIGHT"),
        Column(_("Cost per person effectively reached"), 16, "RIGHT"),
    ]
    rows: list[list[Cell]] = []
    for p in pops:
        population = by_id[p.population_id]
        # The region and the ages go under the name and the level, to keep the table
        # within a portrait page.
        name = f"{p.name}\n{p.region}" if p.region else p.name
        level = (
            r.level_label(p.prevention_level.value)
            + "\n"
            + _("ages {ages}").format(ages=age_range(population.age_min, population.age_max))
        )
        rows.append(
            [
                name,
                level,
                n.count(p.size),
                (n.count(p.activities), MISSING) if p.activities == 0 else n.count(p.activities),
                n.share(p.effective_coverage),
                n.share(p.coverage),
                n.share(p.target_coverage),
                n.money(p.cost),
                n.per_person(p.cost_per_effective_person),
            ]
        )
    t = r.c.assessment.totals
    total = [
        _("All populations"),
        "",
        n.count(t.people),
        n.count(t.activities),
        n.share(t.effective_coverage),
        n.share(t.coverage),
        "",
        n.money(t.cost),
        n.per_person(t.cost_per_effective_person),
    ]
    r.table(columns, rows, total=total, size=7.5)
    r.note(
        _(
            "Effective coverage: people reached by an activity that works, over the "
            "population. Coverage by any activity: everyone reached. Target: the share of the "
            "population the "
            "activities aim to reach (— when no target is set). Cost in plan currency. A "
            "population with no activity is highlighted."
        )
    )
    r.chart("effective", title=_("Effective coverage beside coverage by any activity"))
    r.chart(
        "level_stage",
        _("Grey cells have no people in the plan; they are not gaps."),
        title=_("Coverage by prevention level and age stage"),
    )
    r.chart("reach_vs_target", title=_("Reach against target"))
