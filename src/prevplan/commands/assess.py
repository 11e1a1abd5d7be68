"""``prevplan assess FILE``: coverage, costs and warnings for a plan or an inventory.

FILE is a plan (YAML or JSON, interfaces §3) or an NGO inventory: an Excel workbook
(``.xlsx``, sheets Populations and Activities) or a CSV pair ``<name>_activities.csv`` +
``<name>_populations.csv`` (the other file of the pair is found by its name, or given with
``--populations``). See :mod:`prevplan.inventory.reader`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from prevplan.commands.output import (
    add_command,
    add_format_option,
    add_output_option,
    add_path_option,
    check_output_option,
    report_text,
    write_text_atomically,
)
from prevplan.i18n import _, format_number, format_percent, text_width
from prevplan.inventory.reader import import_inventory, is_inventory_file
from prevplan.plan.assess import assess, level_name
from prevplan.plan.assessment import Assessment
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = add_command(
        commands,
        "assess",
        _("assess a plan or an inventory of activities"),
        _("plan file (YAML or JSON), or an inventory (.xlsx, or <name>_activities.csv)"),
    )
    add_path_option(
        parser,
        "--populations",
        _("POPULATIONS"),
        _("the populations CSV of a CSV inventory (default: <name>_populations.csv next to FILE)"),
    )
    add_format_option(parser)
    add_output_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    check_output_option(args.output)  # before any work
    rules = load_rules()
    plan = read_any_plan(args.file, rules, populations=args.populations)
    result = assess(plan, rules)
    text = report_text(
        args.format, lambda: result.model_dump(mode="json"), lambda: render_table(result, rules)
    )
    write_text_atomically([text], args.output)
    return 0


def read_any_plan(path: Path, rules: RuleSet, *, populations: Path | None = None) -> Plan:
    """A plan file or an inventory, by its suffix; notes about an inventory go to stderr."""
    if not is_inventory_file(path):
        if populations is not None:
            raise ProblemsError(
                [
                    Problem(
                        str(populations),
                        "",
                        "--populations",
                        _(
                            "only a CSV inventory takes a separate populations file; a plan "
                            "file holds its populations"
                        ),
                    )
                ]
            )
        return read_plan(path, rules)
    if _is_exported_workbook(path):
        # The app's Excel export also carries the plan's name, period and tracker.
        from prevplan.export.formats import read_plan_file

        return read_plan_file(path, rules)
    imported = import_inventory(path, rules=rules, populations=populations)
    for note in imported.notes:
        print(_("note: {note}").format(note=note), file=sys.stderr)
    return imported.plan


def _is_exported_workbook(path: Path) -> bool:
    """A workbook exported by prevplan (it has a Plan sheet, in any language), rather than an
    inventory. Only the sheet list is read, after the file's size is checked: a workbook is
    never opened here."""
    if path.suffix.lower() != ".xlsx":
        return False
    from prevplan.inventory.columns import PLAN_SHEET
    from prevplan.inventory.tables import sheet_titles
    from prevplan.inventory.vocab import fold, sheet_spellings
    from prevplan.io.files import read_input_bytes

    try:
        data = read_input_bytes(path, str(path))
    except ProblemsError:  # the inventory reader says what is wrong with the file
        return False
    # The Plan sheet's title is in the language the workbook was exported in.
    titles = sheet_spellings(PLAN_SHEET)
    return any(fold(name) in titles for name in sheet_titles(data))


def _cut(text: str, width: int) -> str:
    """``text`` shortened to at most ``width`` terminal columns."""
    while text_width(text) > width:
        text = text[:-1]
    return text


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - text_width(text)) + text


def render_table(result: Assessment, rules: RuleSet) -> str:
    t = result.totals
    levels = [level_name(p.prevention_level.value, rules) for p in result.coverage.populations]
    level_width = max([12, *(text_width(level) for level in levels)])
    lines = [
        _("Plan: {name}").format(name=result.plan_name),
        _(
            "Effective coverage {eff}: {effective} of {people} people in {pops} populations; "
            "cost per person effectively reached {per}"
        ).format(
            eff=format_percent(t.effective_coverage),
            effective=format_number(t.effective_reach),
            people=format_number(t.people),
            pops=format_number(t.populations),
            per=format_number(t.cost_per_effective_person, decimals=2)
            if t.cost_per_effective_person is not None
            else _("n/a"),
        ),
        _("Coverage by any activity: {cov}; people reached: {reach}; cost {cost}").format(
            reach=format_number(t.reach),
            cov=format_percent(t.coverage),
            cost=format_number(t.cost, decimals=0),
        ),
        _("Effective reach: {rule}").format(rule=result.effective_rule),
        _("Reach rule: {rule}").format(rule=result.reach_rule),
        _("Costs: {rule}").format(rule=result.cost_rule),
        "",
        " ".join(
            (
                _left(_("Population"), 32),
                _left(_("Level"), level_width),
                _right(_("Size"), 9),
                _right(_("Effective"), 9),
                _right(_("Eff."), 6),
                _right(_("Reach"), 9),
                _right(_("Cover"), 6),
            )
        ),
    ]
    for p, level in zip(result.coverage.populations, levels, strict=True):
        lines.append(
            " ".join(
                (
                    _left(_cut(p.name, 32), 32),
                    _left(level, level_width),
                    _right(format_number(p.size), 9),
                    _right(format_number(p.effective_reach), 9),
                    _right(format_percent(p.effective_coverage), 6),
                    _right(format_number(p.reach), 9),
                    _right(format_percent(p.coverage), 6),
                )
            )
        )
    lines += ["", _("Strategies (populations served):")]
    for sid, strategy in rules.strategies.items():
        n = result.coverage.strategies.get(strategy.clause, 0)
        name = rules.translated(Kind.STRATEGY, sid, "label")
        lines.append(f"  {strategy.clause:<10} {_left(name, 45)} {format_number(n)}")
    annex_v = result.coverage.annex_v
    lines += [
        "",
        _(
            "Program of Actions: {served} of the {items} items a prevention plan's activities "
            "can serve are served; the plan serves {plan}, its report {report}; {outside} items "
            "lie outside a prevention plan (law enforcement, new psychoactive substances, "
            "international cooperation, SCO bodies)"
        ).format(
            served=format_number(t.activity_items_served),
            items=format_number(t.activity_items),
            plan=", ".join(annex_v.served_by_plan),
            report=", ".join(annex_v.served_by_report),
            outside=format_number(t.outside_items),
        ),
        _(
            "  {effective} of the served items have an activity that counts in effective "
            "reach; the others are served only by activities that do not"
        ).format(effective=format_number(t.activity_items_served_effectively)),
    ]
    if result.warnings:
        lines += ["", _("Warnings:")]
        for w in result.warnings:
            where = w.population_id or ""
            if w.activity_id:
                where += f"/{w.activity_id}"
            lines.append(f"  ! {w.code} [{where}] {w.message} ({', '.join(w.sources)})")
    return "\n".join(lines) + "\n"
