"""The budget optimiser (interfaces §7): how to spend a budget on a plan's populations.

It chooses, for each target population (interfaces §2), which named programme (interfaces
§6) or which of the plan's own effective activities to fund and at what size, to maximise
priority-weighted *effective* coverage (docs/effective-coverage.md) — weighted by the
prevention level (VI-2), the priority risk factors (VI-1.2) and the evidence behind each
option — with a mixed-integer linear program solved by HiGHS. :mod:`.options` builds what
the money can buy, :mod:`.model` solves, :mod:`.explain` says why, :mod:`.compare` scores the
plan's own activities and turns an allocation into activities, :mod:`.run` puts them
together. The model and its assumptions are in ``docs/optimiser.md``.

Nothing is imported here: the solver (scipy) loads only where an allocation is computed,
not where one is merely shown (the PDF report, the workbook).
"""
