"""The optimised budget allocation in the Excel workbook (docs/optimiser.md), when the
workbook is made with one: a sheet with what is funded for whom, and a sheet with the budget
curve, the comparison with the plan's own activities and what stays unfunded and why.
Numbers stay numbers, so the ministry's analysts can recompute from them."""

from __future__ import annotations

from typing import Final

from openpyxl import Workbook

from prevplan.catalogue import load_catalogue
from prevplan.export.xlsx import COUNT, MONEY, SHARE, SheetColumn, write_sheet
from prevplan.i18n import N_, _
from prevplan.inventory.vocab import sheet_title
from prevplan.optimise.compare import label
from prevplan.optimise.result import OptimisationResult
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet

ALLOCATION_SHEET: Final = N_("Budget allocation")
CURVE_SHEET: Final = N_("Budget curve")


def allocation_sheets(
    book: Workbook, result: OptimisationResult, plan: Plan, rules: RuleSet
) -> None:
    """Add the allocation's two sheets to ``book``."""
    names = {p.id: p.name or p.id for p in plan.populations}
    acts = {a.id: a.name or a.id for a in plan.activities}
    catalogue = load_catalogue(rules=rules)
    write_sheet(
        book.create_sheet(sheet_title(ALLOCATION_SHEET)),
        [
            SheetColumn(_("Population"), "population", width=32),
            SheetColumn(_("Population ID"), "population_id"),
            SheetColumn(_("Funded"), "funded", width=40),
            SheetColumn(_("Intervention"), "intervention"),
            SheetColumn(_("Programme"), "programme"),
            SheetColumn(_("Activity ID"), "activity"),
            SheetColumn(_("Participants"), "participants", COUNT),
            SheetColumn(_("Coverage"), "coverage", SHARE),
            SheetColumn(_("Cost"), "cost", MONEY),
            SheetColumn(_("Cost per participant"), "unit_cost", MONEY),
            SheetColumn(_("Cost from"), "cost_from", width=40),
            SheetColumn(_("Executor"), "executor", width=30),
            SheetColumn(_("Program of Actions items"), "items"),
            SheetColumn(_("Clauses"), "sources", width=30),
        ],
        (
            {
                "population": names.get(a.population_id, a.population_id),
                "population_id": a.population_id,
                "funded": label(
                    a.programme,
                    a.intervention,
                    a.strategies,
                    rules,
                    catalogue,
                    acts.get(a.activity or ""),
                ),
                "intervention": a.intervention,
                "programme": a.programme,
                "activity": a.activity,
                "participants": a.participants,
                "coverage": a.coverage,
                "cost": a.cost,
                "unit_cost": a.unit_cost,
                "cost_from": a.cost_source.ref,
                "executor": a.executor,
                "items": ", ".join(a.action_items),
                "sources": ", ".join(a.sources),
            }
            for a in result.allocations
        ),
        freeze_columns=1,
    )
    rows: list[dict[str, object]] = [
        {
            "what": _("{share} of the budget").format(share=f"{p.share:.0%}"),
            "budget": p.budget,
            "spent": p.spent,
            "objective": p.objective,
            "reach": p.effective_reach,
            "note": "; ".join(
                [*(names.get(x, x) for x in p.gained), *("−" + names.get(x, x) for x in p.dropped)]
            ),
        }
        for p in result.curve
    ]
    if result.comparison is not None:
        for side_name, side in (
            (_("The plan's own activities"), result.comparison.plan),
            (_("Optimised with the same money"), result.comparison.optimised),
        ):
            rows.append(
                {
                    "what": side_name,
                    "budget": side.cost,
                    "spent": side.cost,
                    "objective": side.objective,
                    "reach": side.effective_reach,
                }
            )
    rows += [
        {
            "what": _("Unfunded: {name}").format(name=names.get(u.population_id, u.population_id)),
            "note": u.message,
        }
        for u in result.unfunded
    ]
    write_sheet(
        book.create_sheet(sheet_title(CURVE_SHEET)),
        [
            SheetColumn(_("What"), "what", width=40),
            SheetColumn(_("Budget"), "budget", MONEY),
            SheetColumn(_("Spent"), "spent", MONEY),
            SheetColumn(_("Objective"), "objective", "0.00"),
            SheetColumn(_("People effectively reached"), "reach", COUNT),
            SheetColumn(_("Note"), "note", width=60),
        ],
        rows,
    )
