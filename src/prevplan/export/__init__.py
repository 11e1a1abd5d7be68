"""Exports of a plan: the PDF report for approval, the Excel workbook and the full JSON.

- :func:`plan_report_pdf` — the report a planner hands to the ministry (:mod:`.pdf`).
- :func:`plan_workbook` — one sheet per table, safe to open (:mod:`.xlsx`); it reads back
  with :func:`read_plan_xlsx` (:mod:`prevplan.inventory.plan_workbook`) to an equal plan.
- :func:`plan_json` — the plan as JSON, which ``prevplan assess`` and :func:`read_plan_file`
  read back with no loss.
- :func:`read_plan_file` — a plan from a YAML, JSON or exported .xlsx file.
- :func:`export_plan` — any of the three formats as bytes, by name.

The modules are imported on first use: the PDF pulls in fpdf2, plotly and kaleido, which a
JSON export does not need.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prevplan.export.formats import (
        FORMATS,
        export_plan,
        plan_json,
        read_plan_file,
    )
    from prevplan.export.pdf import plan_report_pdf
    from prevplan.export.xlsx import neutralise, plan_workbook
    from prevplan.inventory.plan_workbook import read_plan_xlsx

__all__ = [
    "FORMATS",
    "export_plan",
    "neutralise",
    "plan_json",
    "plan_report_pdf",
    "plan_workbook",
    "read_plan_file",
    "read_plan_xlsx",
]

_HOMES = {
    "FORMATS": "formats",
    "export_plan": "formats",
    "plan_json": "formats",
    "read_plan_file": "formats",
    "plan_report_pdf": "pdf",
    "neutralise": "xlsx",
    "plan_workbook": "xlsx",
    "read_plan_xlsx": "prevplan.inventory.plan_workbook",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'prevplan.export' has no attribute {name!r}")
    module = home if "." in home else f"prevplan.export.{home}"
    return getattr(import_module(module), name)
