"""``prevplan monitor FILE``: targets against actuals, per period (interfaces §8).

FILE is a plan (YAML or JSON) with ``periods``, activities' ``progress`` and populations'
``surveys``. JSON (the default) follows interfaces §8 with more fields; ``table`` prints
one block per reported period, the trends and the warnings with their questions.
"""

from __future__ import annotations

import argparse
from typing import Any

from prevplan.commands.assess import read_any_plan
from prevplan.commands.output import (
    add_command,
    add_format_option,
    add_output_option,
    check_output_option,
    report_text,
    strict_json,
    write_bytes_atomically,
    write_text_atomically,
)
from prevplan.i18n import _, current_language, format_money, format_number, format_percent
from prevplan.monitor import MonitorReport, monitor
from prevplan.monitor.labels import indicator_label, is_share
from prevplan.monitor.models import report_data
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``monitor`` and its options."""
    parser = add_command(
        commands,
        "monitor",
        _("monitor a plan: targets against actuals, fidelity, spending, trends"),
        _(
            "plan file (YAML or JSON) with periods, progress and survey results, or a plan or "
            "inventory workbook (.xlsx) with a Progress sheet"
        ),
    )
    add_format_option(
        parser,
        ("json", "table", "dhis2-json", "dhis2-csv", "pdf", "xlsx"),
        _(
            "json or table: the monitoring report; dhis2-json, dhis2-csv: a DHIS2 data value "
            "set; pdf, xlsx: the annual implementation report (needs --output)"
        ),
    )
    parser.add_argument(
        "--period",
        default=None,
        metavar=_("PERIOD"),
        help=_("the period of the annual report (default: the last reported)"),
    )
    parser.add_argument(
        "--org-unit",
        default="NATIONAL",
        metavar=_("CODE"),
        help=_("the DHIS2 organisation unit code of the figures (default: NATIONAL)"),
    )
    add_output_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Read the plan, monitor it, write the report."""
    check_output_option(args.output)
    if args.output is None and args.format in ("pdf", "xlsx"):
        raise ProblemsError(
            [Problem("", "", "--output", _("a PDF or Excel report needs --output PATH"))]
        )
    rules = load_rules()
    plan = read_any_plan(args.file, rules)
    if args.format in ("pdf", "xlsx"):
        write_bytes_atomically(_annual(plan, rules, args.format, args.period), args.output)
        return 0
    report = monitor(plan, rules, current_language())
    if args.format == "dhis2-json":
        from prevplan.export.dhis2 import data_value_set_json

        text = strict_json(data_value_set_json(report, args.org_unit)) + "\n"
    elif args.format == "dhis2-csv":
        from prevplan.export.dhis2 import data_value_set_csv

        text = data_value_set_csv(report, args.org_unit)
    else:
        text = report_text(
            args.format, lambda: report_json(report), lambda: render_table(report, rules)
        )
    write_text_atomically([text], args.output)
    return 0


def _annual(plan: Plan, rules: RuleSet, kind: str, period: str | None) -> bytes:
    """The annual implementation report as PDF or Excel bytes."""
    if kind == "pdf":
        from prevplan.export.annual_pdf import annual_report_pdf

        return annual_report_pdf(plan, rules, period=period)
    from prevplan.export.annual_xlsx import annual_workbook

    return annual_workbook(plan, rules, period=period)


def report_json(report: MonitorReport) -> dict[str, Any]:
    """The report as interfaces §8 writes it: optional ids left out where they are empty."""
    data = report_data(report)
    data["warnings"] = [{k: v for k, v in w.items() if v is not None} for w in data["warnings"]]
    data["decisions"] = [{k: v for k, v in d.items() if v is not None} for d in data["decisions"]]
    return data


def _share(x: float | None) -> str:
    return "—" if x is None else format_percent(x)


def _count(x: int | None) -> str:
    return "—" if x is None else format_number(x)


def render_table(report: MonitorReport, rules: RuleSet) -> str:
    """A plain-text report: one block per reported period, trends, warnings, decisions."""
    lines = [_("Plan: {name}").format(name=report.plan_name)]
    if not report.reported_periods:
        lines.append(_("No progress or survey results have been reported yet."))
    for block in report.periods:
        if block.period not in report.reported_periods:
            continue
        t = block.totals
        lines += [
            "",
            _("Period {period}").format(period=block.period),
            _(
                "  reached {reach} against targets of {target}; sessions {delivered} of "
                "{planned}; spent {spent} of {budget} (cumulative {cumulative} of {total}); "
                "mean fidelity {fidelity}; effective coverage {coverage}"
            ).format(
                reach=format_number(t.reach),
                target=format_number(t.target),
                delivered=format_number(t.sessions_delivered),
                planned=format_number(t.sessions_planned),
                spent=format_money(t.spent),
                budget=format_money(t.budget),
                cumulative=format_money(t.cumulative_spent),
                total=format_money(t.total_budget),
                fidelity=_share(t.mean_fidelity),
                coverage=_share(t.effective_reach / t.people if t.people else None),
            ),
            "  "
            + "  ".join(
                (
                    _("Activity").ljust(28),
                    _("Target").rjust(9),
                    _("Reach").rjust(9),
                    _("Sessions").rjust(9),
                    _("Spent").rjust(14),
                    _("Budget").rjust(14),
                    _("Fidelity").rjust(8),
                )
            ),
        ]
        for a in block.activities:
            sessions = (
                f"{_count(a.sessions_delivered)}/{_count(a.sessions_planned)}"
                if a.sessions_planned is not None
                else "—"
            )
            lines.append(
                "  "
                + "  ".join(
                    (
                        a.activity_id[:28].ljust(28),
                        _count(a.target).rjust(9),
                        _count(a.reach).rjust(9),
                        sessions.rjust(9),
                        ("—" if a.spent is None else format_money(a.spent)).rjust(14),
                        ("—" if a.budget is None else format_money(a.budget)).rjust(14),
                        _share(a.fidelity).rjust(8),
                    )
                )
            )
    return "\n".join(lines + _tail(report, rules)) + "\n"


def _tail(report: MonitorReport, rules: RuleSet) -> list[str]:
    """Trends, warnings and the decisions log."""
    lines: list[str] = []
    if report.trends:
        lines += ["", _("Survey trends (95 % interval where known):")]
        for trend in report.trends:
            points = ", ".join(
                f"{p.period} "
                + (format_percent(p.value) if is_share(trend.indicator) else format_number(p.value))
                + (
                    f" [{format_percent(p.low)}–{format_percent(p.high)}]"
                    if p.low is not None and p.high is not None
                    else ""
                )
                for p in trend.points
            )
            label = indicator_label(rules, trend.indicator)
            lines.append(f"  {trend.population_id}: {label}: {points}")
    if report.warnings:
        lines += ["", _("Warnings:")]
        for w in report.warnings:
            where = w.population_id or ""
            if w.activity_id:
                where += f"/{w.activity_id}"
            lines.append(f"  ! {w.code} {w.period} [{where}] {w.message} ({', '.join(w.sources)})")
    if report.decisions:
        lines += ["", _("Decisions log:")]
        for d in report.decisions:
            about = " ".join(x for x in (d.warning, d.activity_id, d.population_id) if x)
            lines.append(f"  {d.period} {('[' + about + '] ') if about else ''}{d.decision}")
    return lines
