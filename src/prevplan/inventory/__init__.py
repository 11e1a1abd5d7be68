"""NGO inventories and plan workbooks: the spreadsheet side of a plan.

Organisations that deliver prevention work report it on the inventory template — two tables,
*Populations* and *Activities*, with readable labels instead of the Concept's clause numbers
— and this package turns such a workbook (or its two CSV twins) into a
:class:`~prevplan.plan.models.Plan` that :func:`prevplan.plan.assess.assess` measures against
the strategies of VI-3 and the items of the Program of Actions (Annex V).

- :mod:`.reader` — import an inventory (Excel or CSV) into a plan, with every problem at once;
- :mod:`.tables` — reading sheets and CSV tables into records, with bounded work;
- :mod:`.columns` — the columns of each table and how their cells convert;
- :mod:`.vocab` — the words a cell may hold, in every language;
- :mod:`.template` — the blank template and the inventory written from a plan;
- :mod:`.plan_sheets` / :mod:`.plan_workbook` — the *Plan* and *Tracker* sheets of an
  exported workbook, read back into the plan it holds.

It sits above :mod:`prevplan.plan` and below :mod:`prevplan.export`, which writes workbooks
with the same columns.
"""
