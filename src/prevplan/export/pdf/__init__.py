"""The plan report for approval, as a PDF a ministry can file and print.

Sections, in the order an official reads them: a title page (the plan, who it is for, what
the SCO Concept is and how to read the report); a summary of key figures and the main gaps;
the target populations with their coverage charts; for each population, the strategy mix
the Concept recommends (VI-3.1 fundamental, VI-3.2 supporting) beside what the plan
delivers, each recommendation marked as *stated* in the SCO text or *inferred* by prevplan;
every warning with its clauses; the Program of Actions (Annex V) items served and not
served; costs by strategy and prevention level; and, at the end, the text of every clause
cited. Every page carries "Page X of Y"; long tables repeat their header row on each page.

Typesetting: DejaVu Sans with Noto Sans CJK as fallback (:mod:`prevplan.export.fonts`), so Latin,
Cyrillic and Chinese mix freely; the Okabe–Ito colours of the dashboard's charts, always
paired with words, so nothing depends on telling colours apart.

The package's modules: :mod:`.style` (colours, type sizes), :mod:`.wording` (numbers, ages,
names in the report's language), :mod:`.document` (the page: header, footer, line breaking),
:mod:`.writer` (headings, paragraphs, tables, charts), and one module per section, in
:data:`SECTIONS` order. A new section is a function of the :class:`~.writer.ReportWriter`
in a module of its own, added to :data:`SECTIONS` where an official would look for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Final

from prevplan.analytics import dashboard_figures
from prevplan.export.fonts import missing_fonts
from prevplan.export.images import ChartJob, browser_problem
from prevplan.export.pdf import (
    action_items,
    allocation,
    clauses,
    costs,
    cover,
    gaps,
    populations,
    strategy_mix,
    summary,
)
from prevplan.export.pdf.writer import ReportWriter
from prevplan.export.report import report_content
from prevplan.i18n import current_language, use_language
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.safe_text import map_strings, printable

if TYPE_CHECKING:
    from prevplan.optimise.result import OptimisationResult

__all__ = ["SECTIONS", "plan_report_pdf"]

SECTIONS: Final[tuple[Callable[[ReportWriter], None], ...]] = (
    cover.write,
    summary.write,
    populations.write,
    strategy_mix.write,
    gaps.write,
    action_items.write,
    costs.write,
    allocation.write,
    clauses.write,
)
"""The report's sections, in the order an official reads them."""


def plan_report_pdf(
    plan: Plan,
    rules: RuleSet | None = None,
    *,
    lang: str | None = None,
    assessment: Assessment | None = None,
    today: date | None = None,
    optimised: OptimisationResult | None = None,
) -> bytes:
    """The plan report for approval, as PDF bytes.

    ``lang`` (``en``, ``ru``, ``zh``) is the language of the report's own words; it defaults
    to the current language. Plan names, population names and the like print as written.
    ``today`` is the report date (default: today); ``optimised``, a budget allocation to
    report (docs/optimiser.md). Raises
    :class:`~prevplan.problems.ProblemsError` when a font or the chart browser is missing.
    """
    ruleset = rules if rules is not None else load_rules()
    # Control characters in names would be missing glyphs in the text and stop the chart
    # browser: they print as visible \xNN escapes.
    plan = map_strings(plan, printable)
    # What is missing on the machine is said before any work starts.
    ProblemsError.raise_if_any(missing_fonts(cjk=False))
    no_browser = browser_problem()
    if no_browser is not None:
        raise no_browser
    with use_language(lang or current_language()):
        charts = ChartJob()  # starts the browser while the report's content is worked out
        content = report_content(plan, ruleset, assessment)
        charts.draw(dashboard_figures(content.assessment, ruleset, plan))
        report = ReportWriter(content, ruleset, charts, today or date.today())
        report.allocation = optimised
        return _build(report)


def _build(report: ReportWriter) -> bytes:
    """Write every section, place the charts, and return the PDF's bytes."""
    try:
        for section in SECTIONS:
            section(report)
        report.place_charts()
        return bytes(report.pdf.output())
    finally:
        report.pdf.close_fonts()
