"""``prevplan survey FILE --definitions DEFS --by COLUMNS``: local shares from microdata.

FILE holds one row per respondent (CSV or Excel) with a weight column; DEFS maps items and
cut-points to risk and protective factors and use indicators
(:mod:`prevplan.survey.definitions`). The output is the weighted share of each indicator in
each group with its 95 % interval (the method is printed with it), groups below the minimum
cell size suppressed and listed as such. With ``--plan PLAN --period P`` the shares are
written into the plan's matching populations — by ``--mapping FILE`` (group values →
population id, :mod:`prevplan.survey.mapping`) where given — and the updated plan is the
output (JSON).
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
from prevplan.i18n import N_, _, format_number, format_percent
from prevplan.monitor.labels import indicator_label, is_share
from prevplan.plan.io import plan_to_json, read_plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.survey import SurveyReport, estimate, read_definitions
from prevplan.survey.apply import apply_survey
from prevplan.survey.mapping import read_mapping
from prevplan.survey.read import read_survey


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``survey`` and its options."""
    parser = add_command(
        commands,
        "survey",
        _("turn survey microdata into risk and protective shares per group"),
        _("survey file (CSV or .xlsx), one row per respondent"),
    )
    add_path_option(
        parser,
        "--definitions",
        _("DEFS"),
        _("definitions file (YAML or JSON) mapping items and cut-points to indicators"),
        required=True,
    )
    parser.add_argument(
        "--by",
        default="",
        metavar=_("COLUMNS"),
        help=_("comma-separated columns to group respondents by (default: one group)"),
    )
    parser.add_argument(
        "--min-cell",
        type=int,
        default=None,
        metavar="N",
        help=_("suppress groups with fewer respondents (default: the definitions' min_cell, 30)"),
    )
    add_path_option(parser, "--plan", _("PLAN"), _("write the shares into this plan"))
    parser.add_argument(
        "--period", default=None, metavar=_("PERIOD"), help=_("the plan's period of the survey")
    )
    parser.add_argument(
        "--mapping",
        type=Path,
        default=None,
        metavar=_("MAPPING"),
        help=_(
            "which population each group is (CSV, YAML or JSON: the --by columns and "
            "population_id); default: the population whose id or name is the group's label"
        ),
    )
    add_format_option(parser)
    add_output_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Estimate, then print the estimates or write them into the plan."""
    check_output_option(args.output)
    if (args.plan is None) != (args.period is None):
        raise ProblemsError(
            [Problem("", "", "--plan/--period", _("give --plan and --period together"))]
        )
    if args.mapping is not None and args.plan is None:
        raise ProblemsError(
            [Problem("", "", "--mapping", _("a mapping is used with --plan and --period"))]
        )
    if args.min_cell is not None and args.min_cell < 1:
        raise ProblemsError(
            [Problem("", "", "--min-cell", _("expected a whole number of at least 1"))]
        )
    by = [c.strip() for c in args.by.split(",") if c.strip()]
    definitions = read_definitions(args.definitions)
    frame = read_survey(args.file, definitions, by, definitions_file=str(args.definitions))
    report = estimate(frame, definitions, by, source=args.file.name, min_cell=args.min_cell)
    rules = load_rules()
    if args.plan is not None:
        plan = read_plan(args.plan, rules)
        mapping = (
            None
            if args.mapping is None
            else read_mapping(args.mapping, by, [p.id for p in plan.populations])
        )
        updated, notes = apply_survey(plan, report, str(args.period), rules, mapping=mapping)
        for note in notes:
            print(_("note: {note}").format(note=note), file=sys.stderr)
        write_text_atomically([plan_to_json(updated)], args.output)
        return 0
    text = report_text(
        args.format, lambda: report.model_dump(mode="json"), lambda: render_table(report, rules)
    )
    write_text_atomically([text], args.output)
    return 0


def render_table(report: SurveyReport, rules: RuleSet) -> str:
    """One block per group: each indicator's share, interval and benchmark comparison."""
    lines = [
        _("Survey: {title} ({source}), {n} respondents").format(
            title=report.title, source=report.source, n=format_number(report.respondents)
        ),
        _("Method: {method}").format(method=_(report.method)),
        _(
            "Groups with fewer than {floor} respondents are suppressed: {n} of {total} groups."
        ).format(
            floor=report.min_cell,
            n=format_number(report.suppressed_groups),
            total=format_number(len(report.groups)),
        ),
    ]
    if report.benchmark_source:
        lines.append(_("Benchmark: {source}").format(source=report.benchmark_source))
    for group in report.groups:
        lines.append("")
        lines.append(
            _("{group}: {n} respondents").format(
                group=group.label, n=format_number(group.respondents)
            )
        )
        if group.suppressed:
            lines.append("  " + _("suppressed: fewer respondents than the minimum cell size"))
            continue
        for name, est in group.estimates.items():
            label = indicator_label(rules, name)
            if est.suppressed or est.value is None:
                lines.append(f"  {label}: " + _("suppressed (too few answers)"))
                continue
            show = format_percent if is_share(name) else (lambda x: format_number(x, decimals=1))
            text = f"  {label}: {show(est.value)} [{show(est.low or 0)}–{show(est.high or 0)}]"
            if est.compared is not None and est.benchmark is not None:
                text += " " + _(COMPARED[est.compared]).format(
                    benchmark=format_percent(est.benchmark)
                )
            lines.append(text)
    return "\n".join(lines) + "\n"


COMPARED = {
    "above": N_("(above the benchmark {benchmark})"),
    "below": N_("(below the benchmark {benchmark})"),
    "similar": N_("(similar to the benchmark {benchmark})"),
}
