"""The dashboard's downloads: the plan report (PDF), the workbook (Excel) and the JSON.

A download button calls :func:`export_bytes` only when it is clicked, outside the page's
run, so the language is passed in explicitly. The files themselves come from
:mod:`prevplan.export`.
"""

from __future__ import annotations

from typing import Literal

from prevplan.export import export_plan
from prevplan.export.fonts import missing_fonts
from prevplan.i18n import use_language
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet

Format = Literal["pdf", "xlsx", "json"]


def export_bytes(plan: Plan, fmt: Format, rules: RuleSet, lang: str) -> bytes:
    """The plan as a PDF report, an Excel workbook or JSON, in ``lang``."""
    with use_language(lang):
        return export_plan(plan, fmt, rules, lang=lang)


def pdf_unavailable() -> str | None:
    """Why the PDF report cannot be made on this machine (a font is missing), or ``None``."""
    problems = missing_fonts()
    return "; ".join(p.message for p in problems) if problems else None
