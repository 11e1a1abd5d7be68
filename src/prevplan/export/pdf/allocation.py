"""The optimised budget allocation in the PDF report (docs/optimiser.md), when the report is
made with one: what the budget buys for whom, what 20 % less or 10–50 % more would buy, the
plan's own activities against the same money, and what stays unfunded and why.

The section is written only for a report made from the Budget page or with
``prevplan optimise --report``; a plain plan report has none.
"""

from __future__ import annotations

from prevplan.catalogue import load_catalogue
from prevplan.export.pdf.style import GREY
from prevplan.export.pdf.writer import Column, ReportWriter
from prevplan.i18n import _
from prevplan.optimise.compare import label
from prevplan.optimise.result import status_text


def write(r: ReportWriter) -> None:
    """The allocation section, when the report carries an allocation."""
    result = r.allocation
    if result is None:
        return
    n = r.n
    r.h1(_("Optimised budget allocation"))
    money = result.currency or _("in the plan's currency")
    r.para(
        _(
            "How a budget of {budget} ({money}) is best spent on the plan's populations: it "
            "maximises priority-weighted effective coverage (a score from 0 to 100; here "
            "{objective}). Programmes evaluated as ineffective or harmful, and those that do "
            "not fit a population's ages or level, are never funded. Spent: {spent}. Solver: "
            "{status}, gap {gap}. The model and its assumptions: docs/optimiser.md."
        ).format(
            budget=n.money(result.budget),
            money=money,
            objective=f"{result.objective:.2f}",
            spent=n.money(result.spent),
            status=status_text(result.status),
            gap=f"{result.mip_gap:.2g}",
        ),
        9,
        "",
        GREY,
    )
    names = {p.id: p.name or p.id for p in r.c.plan.populations}
    acts = {a.id: a.name or a.id for a in r.c.plan.activities}
    catalogue = load_catalogue(rules=r.rules)
    kinds = {
        "catalogue": _("registry cost, converted"),
        "plan_activity": _("this activity's own cost"),
        "plan_intervention": _("the plan's unit cost for it"),
    }
    r.h2(_("Allocation"), keep=50)
    if not result.allocations:
        r.para(_("Nothing is funded at this budget."))
    r.table(
        [
            Column(_("Population"), 34),
            Column(_("Funded"), 40),
            Column(_("Participants"), 16, "RIGHT"),
            Column(_("Coverage"), 12, "RIGHT"),
            Column(_("Cost"), 18, "RIGHT"),
            Column(_("Cost per participant"), 16, "RIGHT"),
            Column(_("Cost from"), 20),
        ],
        [
            [
                names.get(a.population_id, a.population_id),
                label(
                    a.programme,
                    a.intervention,
                    a.strategies,
                    r.rules,
                    catalogue,
                    acts.get(a.activity or ""),
                ),
                n.count(a.participants),
                n.share(a.coverage),
                n.money(a.cost),
                n.per_person(a.unit_cost),
                kinds.get(a.cost_source.kind, a.cost_source.kind),
            ]
            for a in result.allocations
        ],
        total=["", _("Total"), "", "", n.money(result.spent), "", ""],
    )
    r.h2(_("What more or less money buys"), keep=40)
    r.table(
        [
            Column(_("Share of the budget"), 18, "RIGHT"),
            Column(_("Budget"), 20, "RIGHT"),
            Column(_("Objective"), 16, "RIGHT"),
            Column(_("People effectively reached"), 22, "RIGHT"),
            Column(_("Populations served"), 16, "RIGHT"),
            Column(_("Change"), 50),
        ],
        [
            [
                n.share(p.share),
                n.money(p.budget),
                f"{p.objective:.2f}",
                n.count(p.effective_reach),
                n.count(p.populations_served),
                _change(p.gained, p.dropped, names),
            ]
            for p in result.curve
        ],
    )
    r.para(
        _("Marginal value: {value} per 1 % more budget").format(
            value=f"{result.marginal_value:.3f}"
        ),
        9,
    )
    if result.comparison is not None:
        c = result.comparison
        r.h2(_("Against the plan's own activities"), keep=40)
        r.table(
            [
                Column("", 40),
                Column(_("Cost"), 20, "RIGHT"),
                Column(_("Objective"), 16, "RIGHT"),
                Column(_("People effectively reached"), 22, "RIGHT"),
                Column(_("Effective coverage"), 18, "RIGHT"),
            ],
            [
                [
                    side_name,
                    n.money(side.cost),
                    f"{side.objective:.2f}",
                    n.count(side.effective_reach),
                    n.share(side.effective_coverage),
                ]
                for side_name, side in (
                    (_("The plan's own activities"), c.plan),
                    (_("Optimised with the same money"), c.optimised),
                )
            ],
        )
    if result.unfunded:
        r.h2(_("What stays unfunded, and why"), keep=40)
        r.table(
            [Column(_("Population"), 40), Column(_("Why"), 100)],
            [[names.get(u.population_id, u.population_id), u.message] for u in result.unfunded],
        )
    if result.warnings:
        r.h2(_("Warnings"), keep=30)
        r.bullets(
            [
                (names.get(w.population_id, w.population_id) + ": " if w.population_id else "")
                + w.message
                + (f" ({', '.join(w.sources)})" if w.sources else "")
                for w in result.warnings
            ]
        )


def _change(gained: tuple[str, ...], dropped: tuple[str, ...], names: dict[str, str]) -> str:
    """Which populations a budget adds or drops, against the one asked for."""
    parts = []
    if gained:
        parts.append(
            _("also serves {names}").format(names=", ".join(names.get(x, x) for x in gained))
        )
    if dropped:
        parts.append(_("drops {names}").format(names=", ".join(names.get(x, x) for x in dropped)))
    return "; ".join(parts)
