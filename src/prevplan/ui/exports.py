"""The dashboard's downloads: the plan report (PDF), the workbook (Excel) and the JSON;
and the Monitoring page's annual implementation report (item 6.7 of the Program of Actions)
as a PDF and a workbook.

A download button calls :func:`export_bytes` only when it is clicked, outside the page's
run, so the language is passed in explicitly. The files themselves come from
:mod:`prevplan.export`.

The report and the workbook are made in a worker process (:data:`EXPORTS`, see
:mod:`prevplan.ui.background`): the PDF costs seconds of CPU, and made in the app's process
it would slow every other planner's pages while it is built. One export is made at a time,
at a lower priority than the pages; a second waits its turn. The JSON is a copy of the plan
and is written at once.
"""

from __future__ import annotations

from typing import Final, Literal

from prevplan.export import export_plan
from prevplan.export.fonts import missing_fonts
from prevplan.i18n import _, use_language
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.ui.background import JobStopped, JobTimeout, Lane

Format = Literal["pdf", "xlsx", "json"]

EXPORT_SECONDS: Final = 300.0
"""Longest an export may take, queue included; the sample plan's report needs about 3 s of
CPU (its first one also starts the browser that draws the charts)."""

EXPORTS: Final = Lane(
    "exports",
    workers=1,
    timeout_s=EXPORT_SECONDS,
    warm=("prevplan.export.pdf", "prevplan.export.xlsx", "prevplan.rules"),
)


def export_bytes(plan: Plan, fmt: Format, rules: RuleSet, lang: str) -> bytes:
    """The plan as a PDF report, an Excel workbook or JSON, in ``lang``.

    The report and the workbook are made in a worker process; :class:`ProblemsError` when
    that takes longer than :data:`EXPORT_SECONDS`.
    """
    with use_language(lang):
        if fmt == "json":
            return export_plan(plan, fmt, rules, lang=lang)
        # The worker loads the shipped rules itself (once); other rules (tests) are sent.
        sent = None if rules is load_rules() else rules
        try:
            return EXPORTS.run(_export, plan, fmt, sent, lang)
        except (JobTimeout, JobStopped):
            raise stopped() from None


def stopped() -> ProblemsError:
    """What a planner reads when an export was stopped: over :data:`EXPORT_SECONDS`, or its
    worker lost (killed, out of memory). In the current language."""
    message = _(
        "making the file took longer than {seconds} s, so it was stopped; try again "
        "in a few minutes, or export fewer populations (filter the dashboard)"
    ).format(seconds=int(EXPORT_SECONDS))
    return ProblemsError([Problem("", "", "", message)])


def _export(plan: Plan, fmt: Format, rules: RuleSet | None, lang: str) -> bytes:
    """Runs in the worker."""
    return export_plan(plan, fmt, rules if rules is not None else load_rules(), lang=lang)


def annual_bytes(
    plan: Plan, fmt: Literal["pdf", "xlsx"], rules: RuleSet, period: str, lang: str
) -> bytes:
    """The annual implementation report of ``period`` as a PDF or a workbook, in ``lang``.

    Made in the export worker, one at a time with the dashboard's and the Budget page's
    downloads; :class:`ProblemsError` when that is stopped (see :func:`stopped`).
    """
    with use_language(lang):
        sent = None if rules is load_rules() else rules
        try:
            return EXPORTS.run(_annual, plan, fmt, sent, period, lang)
        except (JobTimeout, JobStopped):
            raise stopped() from None


def _annual(
    plan: Plan, fmt: Literal["pdf", "xlsx"], rules: RuleSet | None, period: str, lang: str
) -> bytes:
    """Runs in the worker."""
    shipped = rules if rules is not None else load_rules()
    if fmt == "xlsx":
        from prevplan.export.annual_xlsx import annual_workbook

        return annual_workbook(plan, shipped, period=period, lang=lang)
    from prevplan.export.annual_pdf import annual_report_pdf

    return annual_report_pdf(plan, shipped, period=period, lang=lang)


def warm_up() -> None:
    """Start the export worker and its imports, so the first download does not wait for
    them; a page offering downloads calls this as it is drawn (only the first call acts)."""
    EXPORTS.warm_up()


def pdf_unavailable() -> str | None:
    """Why the PDF report cannot be made on this machine (a font is missing), or ``None``."""
    problems = missing_fonts()
    return "; ".join(p.message for p in problems) if problems else None
