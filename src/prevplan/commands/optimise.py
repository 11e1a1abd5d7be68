"""``prevplan optimise FILE --budget AMOUNT``: how to spend a budget on a plan's populations.

FILE is a plan (with activities, whose own unit costs are used) or a population file
(interfaces §2, §7). The allocation maximises priority-weighted effective coverage with a
mixed-integer program (HiGHS); ``docs/optimiser.md`` explains the model. JSON (default) is
interfaces §7 plus the budget curve, what stays unfunded and why, and the comparison with
the plan's own activities; ``table`` is for reading in a terminal. A bad budget or a
constraint that cannot be met exits 2 naming it.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

from prevplan.commands.output import (
    add_command,
    add_format_option,
    add_output_option,
    add_path_option,
    check_output,
    check_output_option,
    report_text,
    write_bytes_atomically,
    write_text_atomically,
)
from prevplan.i18n import _, format_number, format_percent
from prevplan.optimise.compare import label
from prevplan.optimise.model import Constraints
from prevplan.optimise.result import OptimisationResult, status_text
from prevplan.optimise.run import Prepared, optimise, prepare, working_now
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules

REPORT_SUFFIXES = (".pdf", ".xlsx")


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``prevplan optimise`` and its options."""
    parser = add_command(
        commands,
        "optimise",
        _("choose how to spend a budget on a plan's populations"),
        _("plan or population file (YAML or JSON)"),
    )
    parser.add_argument(
        "--budget", required=True, metavar=_("AMOUNT"), help=_("the money to allocate")
    )
    parser.add_argument(
        "--currency",
        default=None,
        help=_("currency of the budget when the plan names none (e.g. USD)"),
    )
    parser.add_argument("--year", type=int, default=None, help=_("price year of the budget"))
    parser.add_argument(
        "--must-serve",
        action="append",
        default=[],
        metavar=_("POPULATION"),
        help=_("a population that must be served (repeatable)"),
    )
    parser.add_argument(
        "--keep-working",
        action="store_true",
        help=_(
            "keep each of the plan's activities that count towards effective coverage at "
            "least at its current reach"
        ),
    )
    parser.add_argument(
        "--must-serve-item",
        action="append",
        default=[],
        metavar=_("ITEM"),
        help=_("a Program of Actions item that must be served, e.g. V-4.1 (repeatable)"),
    )
    parser.add_argument(
        "--min-evidence-share",
        default="0",
        metavar=_("SHARE"),
        help=_(
            "least share (0–1) of the money spent that goes to evidence-based programmes "
            "delivering a fundamental strategy"
        ),
    )
    parser.add_argument(
        "--cap-executor",
        action="append",
        default=[],
        metavar=_("NAME=AMOUNT"),
        help=_("most money one executor may receive (repeatable)"),
    )
    add_path_option(
        parser,
        "--report",
        _("REPORT"),
        _("also write the plan report with the allocation: a .pdf or an .xlsx file"),
    )
    add_format_option(parser)
    add_output_option(parser)
    parser.set_defaults(handler=run)


def number(text: str, option: str) -> float:
    """A number given on the command line, or the problem naming the option."""
    try:
        value = float(str(text).replace(",", "").replace("_", "").strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ProblemsError(
            [Problem(option, "", "", _("expected a number, got {value!r}").format(value=text))]
        )
    return value


def constraints_from(args: argparse.Namespace) -> Constraints:
    """The planner's constraints from the command line."""
    caps: list[tuple[str, float]] = []
    for entry in args.cap_executor:
        name, sep, amount = str(entry).rpartition("=")
        if not sep or not name.strip():
            raise ProblemsError([Problem("--cap-executor", "", entry, _("expected NAME=AMOUNT"))])
        caps.append((name.strip(), number(amount, "--cap-executor")))
    return Constraints(
        must_serve=tuple(dict.fromkeys(args.must_serve)),
        must_serve_items=tuple(dict.fromkeys(args.must_serve_item)),
        min_evidence_share=number(args.min_evidence_share, "--min-evidence-share"),
        executor_caps=tuple(caps),
    )


def run(args: argparse.Namespace) -> int:
    """Allocate the budget and write the answer; exit 2 (via ProblemsError) for bad input."""
    check_output_option(args.output)
    if args.report is not None:
        check_output(args.report)
        if args.report.suffix.lower() not in REPORT_SUFFIXES:
            raise ProblemsError(
                [Problem("--report", "", str(args.report), _("expected a .pdf or .xlsx file"))]
            )
    budget = number(args.budget, "--budget")
    constraints = constraints_from(args)
    rules = load_rules()
    plan = _read(args.file, rules)
    prepared = prepare(plan, rules=rules, currency=args.currency, year=args.year)
    if args.keep_working:
        constraints = replace(constraints, keep=working_now(prepared))
    result = optimise(prepared, budget, constraints)
    text = report_text(
        args.format, lambda: result.model_dump(mode="json"), lambda: render_table(result, prepared)
    )
    if args.report is not None:
        write_bytes_atomically(_report(plan, result, rules, args.report), args.report)
    write_text_atomically([text], args.output)
    return 0


def _report(plan: Plan, result: OptimisationResult, rules: RuleSet, path: Path) -> bytes:
    """The plan report or workbook with the allocation, by the file's suffix."""
    if path.suffix.lower() == ".xlsx":
        from prevplan.export.xlsx import plan_workbook

        return plan_workbook(plan, rules, optimised=result)
    from prevplan.export.pdf import plan_report_pdf

    return plan_report_pdf(plan, rules, optimised=result)


def _read(path: Path, rules: RuleSet) -> Plan:
    from prevplan.commands.assess import read_any_plan

    return read_any_plan(path, rules)


def render_table(result: OptimisationResult, prepared: Prepared) -> str:
    """The allocation for reading in a terminal."""
    rules, catalogue = prepared.rules, prepared.catalogue
    money = result.currency or _("in the plan's currency")
    lines = [
        _("Budget {budget} ({money}); spent {spent}").format(
            budget=format_number(result.budget), money=money, spent=format_number(result.spent)
        ),
        _("Objective {objective} (priority-weighted effective coverage, 0–100)").format(
            objective=f"{result.objective:.2f}"
        ),
        _("Solver: {status}, gap {gap}").format(
            status=status_text(result.status),
            gap=f"{result.mip_gap:.2g}",
        ),
        "",
        _("Allocation:"),
    ]
    names = {x.id: x.name or x.id for x in prepared.plan.activities}
    for a in result.allocations:
        named = names.get(a.activity or "")
        what = label(a.programme, a.intervention, a.strategies, rules, catalogue, named)
        lines.append(
            f"  {a.population_id}: {what} — "
            + _("{people} participants ({share}), cost {cost}").format(
                people=format_number(a.participants),
                share=format_percent(a.coverage),
                cost=format_number(a.cost),
            )
        )
    if not result.allocations:
        lines.append("  " + _("nothing funded"))
    lines += ["", _("Budget curve:")]
    for point in result.curve:
        lines.append(
            "  "
            + _("{share} of the budget ({budget}): objective {objective}").format(
                share=format_percent(point.share),
                budget=format_number(point.budget),
                objective=f"{point.objective:.2f}",
            )
            + _changes(point.gained, point.dropped)
        )
    lines.append(
        _("Marginal value: {value} per 1 % more budget").format(
            value=f"{result.marginal_value:.3f}"
        )
    )
    if result.unfunded:
        lines += ["", _("Unfunded:")]
        lines += [f"  {u.population_id}: {u.message}" for u in result.unfunded]
    if result.comparison is not None:
        c = result.comparison
        lines += [
            "",
            _(
                "The plan's own activities: cost {cost}, objective {objective}, "
                "effective coverage {share}"
            ).format(
                cost=format_number(c.plan.cost),
                objective=f"{c.plan.objective:.2f}",
                share=format_percent(c.plan.effective_coverage),
            ),
            _(
                "Optimised with the same money: objective {objective}, effective coverage {share}"
            ).format(
                objective=f"{c.optimised.objective:.2f}",
                share=format_percent(c.optimised.effective_coverage),
            ),
        ]
    if result.warnings:
        lines += ["", _("Warnings:")]
        lines += [
            f"  [{w.code}] {w.population_id or ''} {w.message}".rstrip() for w in result.warnings
        ]
    return "\n".join(lines) + "\n"


def _changes(gained: tuple[str, ...], dropped: tuple[str, ...]) -> str:
    parts = []
    if gained:
        parts.append(_("also serves {names}").format(names=", ".join(gained)))
    if dropped:
        parts.append(_("drops {names}").format(names=", ".join(dropped)))
    return f" ({'; '.join(parts)})" if parts else ""
