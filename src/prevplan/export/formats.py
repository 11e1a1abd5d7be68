"""The three export formats by name, and reading a plan from any file prevplan writes.

``export_plan(plan, "pdf" | "xlsx" | "json")`` gives the bytes of the report, the workbook
or the full JSON; ``read_plan_file(path)`` reads a plan from YAML or JSON
(:func:`prevplan.plan.io.read_plan`) or from an exported workbook (.xlsx,
:func:`prevplan.inventory.plan_workbook.read_plan_xlsx`), so every export but the PDF is also an
import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Literal

from prevplan.i18n import _
from prevplan.io.files import read_input_bytes
from prevplan.plan.io import plan_to_json, read_plan
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet, load_rules

Format = Literal["pdf", "xlsx", "json"]
FORMATS: Final[tuple[Format, ...]] = ("pdf", "xlsx", "json")
WORKBOOK_SUFFIXES: Final = (".xlsx", ".xlsm")


def plan_json(plan: Plan) -> str:
    """The whole plan as JSON; ``prevplan assess`` and :func:`read_plan_file` read it back."""
    return plan_to_json(plan)


def export_plan(
    plan: Plan, fmt: Format, rules: RuleSet | None = None, *, lang: str | None = None
) -> bytes:
    """The plan in ``fmt``: the PDF report, the Excel workbook or the JSON, as bytes."""
    if fmt == "json":
        return plan_json(plan).encode("utf-8")
    ruleset = rules if rules is not None else load_rules()
    if fmt == "xlsx":
        from prevplan.export.xlsx import plan_workbook

        return plan_workbook(plan, ruleset, lang=lang)
    if fmt == "pdf":
        from prevplan.export.pdf import plan_report_pdf

        return plan_report_pdf(plan, ruleset, lang=lang)
    raise ValueError(
        _("unknown export format {format}; expected one of {formats}").format(
            format=repr(fmt), formats=", ".join(FORMATS)
        )
    )


def read_plan_file(path: Path, rules: RuleSet | None = None) -> Plan:
    """A plan from a YAML or JSON plan file or an exported .xlsx workbook."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from prevplan.inventory.plan_workbook import read_plan_xlsx

        file = str(path)
        return read_plan_xlsx(read_input_bytes(path, file), file, rules)
    return read_plan(path, rules)
