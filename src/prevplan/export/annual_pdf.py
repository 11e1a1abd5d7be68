"""The annual implementation report of the Program of Actions (V-6.6, V-6.7) as a PDF.

For one period: a title page, the key figures with the coverage trend and spending charts,
what was planned, delivered, reached and spent per Annex V item and per target population,
the survey trends, the fidelity heat map, the level of provision by setting and level, each
warning with the question it asks, the decisions log, and how the figures are computed. It
is laid out with the plan report's page and building blocks
(:class:`~prevplan.export.pdf.writer.ReportWriter`) and says the same as the Excel report
(:mod:`prevplan.export.annual_tables`), in English, Russian or Chinese.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from prevplan.analytics.monitoring_charts import monitoring_figures
from prevplan.export.annual_tables import Table, annual_tables
from prevplan.export.fonts import missing_fonts
from prevplan.export.images import ChartJob, browser_problem
from prevplan.export.pdf import cover
from prevplan.export.pdf.writer import Column, ReportWriter
from prevplan.export.report import ReportContent
from prevplan.i18n import (
    _,
    current_language,
    format_number,
    format_percent,
    use_language,
)
from prevplan.monitor.annual import AnnualReport, annual_report
from prevplan.plan.assess import assess
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.safe_text import map_strings, printable

#: Columns of the wide tables the PDF prints (A4 portrait): by index into the table.
PDF_COLUMNS = {
    "items": (0, 1, 2, 3, 4, 7, 8, 9),
    "populations": (0, 1, 2, 3, 4, 7, 12),
    "warnings": (0, 1, 2, 4),
}
#: The column of a table that takes the most room (default: the first).
WIDE_COLUMNS = {"decisions": 3, "trends": 1}


def annual_report_pdf(
    plan: Plan,
    rules: RuleSet | None = None,
    *,
    period: str | None = None,
    lang: str | None = None,
    today: date | None = None,
) -> bytes:
    """The annual report of ``period`` (default: the last reported) as PDF bytes."""
    ruleset = rules if rules is not None else load_rules()
    plan = map_strings(plan, printable)
    ProblemsError.raise_if_any(missing_fonts(cjk=False))
    no_browser = browser_problem()
    if no_browser is not None:
        raise no_browser
    with use_language(lang or current_language()):
        charts = ChartJob()
        report = annual_report(plan, ruleset, period, current_language())
        names = {a.id: a.name or a.id for a in plan.activities}
        charts.draw(monitoring_figures(report.monitoring, ruleset, names))
        content = ReportContent(plan, assess(plan, ruleset), (), (), (), ())
        writer = ReportWriter(content, ruleset, charts, today or date.today())
        kind = _("Annual report on the implementation of the Program of Actions")
        writer.pdf.set_subject(kind)
        writer.pdf.kind = f"{kind}, {report.period}"
        try:
            _write(writer, report, annual_tables(report, ruleset))
            writer.place_charts()
            return bytes(writer.pdf.output())
        finally:
            writer.pdf.close_fonts()


def _write(r: ReportWriter, report: AnnualReport, tables: Sequence[Table]) -> None:
    by_key = {t.key: t for t in tables}
    _cover(r, report)
    summary = by_key["summary"]
    r.h1(summary.title)
    r.table(
        [Column(summary.headers[0], 3), Column(summary.headers[1], 2, "RIGHT")],
        [tuple(str(v) for v in row) for row in summary.rows],
    )
    r.note(summary.note)
    r.chart("coverage_trend", title=_("Effective coverage by period"))
    r.chart("spending", title=_("Spending against the budget"))
    for key in ("items", "populations", "trends"):
        _table(r, by_key[key])
    r.chart("fidelity", title=_("Fidelity of delivery"))
    _table(r, by_key["provision"])
    _warnings(r, by_key["warnings"])
    _table(r, by_key["decisions"])
    _method(r)


def _cover(r: ReportWriter, report: AnnualReport) -> None:
    pdf = r.pdf
    plan = report.plan
    facts = [
        (_("Reporting period"), report.period),
        (_("Previous period"), report.previous or "—"),
        (_("Country"), plan.country),
        (_("Report date"), r.n.day(r.today)),
    ]
    cover.heading(r, cover.ANNUAL_REPORT, plan.name, facts)
    pdf.ln(4)
    r.para(
        _(
            "The Program of Actions of the SCO Anti-Drug Strategy asks member states to analyse "
            "the implementation of the Program (item 6.6) and to inform the Session of Senior "
            "Officials of it every year (item 6.7). This report gives, for the period, what "
            "was planned, delivered, reached and spent for each Program item and each target "
            "population, the trends of the local survey results, the level of provision of "
            "prevention, the warnings raised with the question each asks, and the decisions "
            "taken."
        )
    )
    t = report.total
    r.para(
        _(
            "{reach} people reached against targets of {target}; {spent} spent of a budget of "
            "{budget} for the period; {warnings} warnings."
        ).format(
            reach=format_number(t.reach),
            target=format_number(t.target),
            spent=format_number(round(t.spent)),
            budget=format_number(round(t.budget)),
            warnings=format_number(len(report.warnings)),
        ),
        11,
        "B",
    )


def _cell(value: object, kind: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if kind == "share":
            return format_percent(value, decimals=1)
        if kind == "money":
            return format_number(round(value))
        if kind == "number":
            return format_number(value, decimals=1)
        return format_number(value)
    return str(value)


def _table(r: ReportWriter, table: Table, *, new_page: bool = True) -> None:
    r.h1(table.title, new_page=new_page)
    r.note(table.note)
    if not table.rows:
        r.para(_("Nothing to report for this period."))
        return
    keep = PDF_COLUMNS.get(table.key, tuple(range(len(table.headers))))
    wide = WIDE_COLUMNS.get(table.key, 0)
    columns = [
        Column(
            table.headers[i],
            8 if i == wide else (3 if table.kinds[i] == "text" else 1.4),
            "LEFT" if table.kinds[i] == "text" else "RIGHT",
        )
        for i in keep
    ]
    rows = [tuple(_cell(row[i], table.kinds[i]) for i in keep) for row in table.rows]
    r.table(columns, rows)


def _warnings(r: ReportWriter, table: Table) -> None:
    r.h1(table.title)
    r.note(table.note)
    if not table.rows:
        r.para(_("No warning was raised for this period."))
        return
    for row in table.rows:
        title, about, found, why, clauses = (str(v) for v in row)
        r.h3(f"{title} — {about}")
        r.para(found, style="B")
        r.para(why)
        r.note(_("Rests on: {clauses}").format(clauses=clauses))


def _method(r: ReportWriter) -> None:
    r.h1(_("How the figures are computed"))
    r.bullets(
        [
            _(
                "An activity's target in a period is the target given with its progress, else "
                "its target reach, else its planned reach; its budget in a period is the budget "
                "given, else its cost spread evenly over the plan's periods."
            ),
            _(
                "Effective coverage counts people reached by at least one activity that counts "
                "as effective, each person once (the largest reach of one activity), with the "
                "period's reach figures."
            ),
            _(
                "Survey shares are weighted; their 95 % intervals are Wilson score intervals on "
                "the Kish effective sample size, without a design effect for clustering; groups "
                "under the minimum cell size are not reported."
            ),
            _(
                "A risk is reported as rising when a share moves by at least the threshold in "
                "the warning's rule and, where both surveys give intervals, the intervals do not "
                "overlap."
            ),
        ]
    )
