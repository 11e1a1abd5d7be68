"""Uploaded NGO inventories: one Excel workbook, or the two CSV files of the template.

The CSV template is two files — populations and activities — so the uploader takes several
files and this module tells them apart by name (``…populations….csv``) before handing them
to :func:`prevplan.inventory.reader.import_inventory`, which checks everything and raises
:class:`~prevplan.problems.ProblemsError` with every problem by sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prevplan.i18n import _
from prevplan.inventory.reader import InventoryImport, import_inventory
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet


def read_upload(files: Sequence[tuple[str, bytes]], rules: RuleSet) -> InventoryImport:
    """The inventory in the uploaded files (one ``.xlsx``, or two ``.csv``)."""
    if not files:
        raise ProblemsError([Problem("", "", "", _("no file was uploaded"))])
    workbooks = [f for f in files if Path(f[0]).suffix.lower() in (".xlsx", ".xlsm", ".xls")]
    if workbooks:
        name, data = workbooks[0]
        return import_inventory(data, name, rules)
    if len(files) != 2:
        raise ProblemsError(
            [
                Problem(
                    files[0][0],
                    "",
                    "",
                    _(
                        "a CSV inventory is two files, populations and activities; upload "
                        "both together"
                    ),
                )
            ]
        )
    populations = [f for f in files if "population" in Path(f[0]).stem.lower()]
    if len(populations) != 1:
        raise ProblemsError(
            [
                Problem(
                    ", ".join(f[0] for f in files),
                    "",
                    "",
                    _(
                        "cannot tell which file holds the populations: name it "
                        "…_populations.csv and the other …_activities.csv"
                    ),
                )
            ]
        )
    pop_name, pop_data = populations[0]
    act_name, act_data = next(f for f in files if f[0] != pop_name)
    return import_inventory(
        act_data, act_name, rules, populations=pop_data, populations_filename=pop_name
    )
