"""A plan's monitoring figures as a DHIS2 data value set (JSON and CSV).

Many ministries already run DHIS2 for targets against actuals; this export lets them load
prevplan's figures into it rather than retype them. The format is DHIS2's ``dataValueSets``
import (Web API ``/api/dataValueSets``): JSON ``{"dataValues": [{"dataElement", "period",
"orgUnit", "categoryOptionCombo", "value", "comment"}]}`` and CSV with the columns
``dataelement, period, orgunit, catoptcombo, attroptcombo, value, storedby, lastupd,
comment``.

Identifiers are **codes**, to be imported with ``idScheme=CODE`` (or
``dataElementIdScheme=CODE`` and ``orgUnitIdScheme=CODE``) once the ministry has created
matching metadata:

- data elements ``PREVPLAN_…`` — one per indicator (:data:`POPULATION_ELEMENTS`,
  :data:`ACTIVITY_ELEMENTS`, and ``PREVPLAN_RF_<FACTOR>``, ``PREVPLAN_PF_<FACTOR>``,
  ``PREVPLAN_USE_<INDICATOR>`` for surveyed shares);
- the category option combination is the population's (or activity's) id in capitals, so a
  "target population" category disaggregates the figures;
- the organisation unit is given by the caller (default ``NATIONAL``).

Shares are percentages (0–100, two decimals), as DHIS2's PERCENTAGE value type takes them;
counts are whole numbers, money has two decimals. Periods must be DHIS2 periods: ``2026``,
``2026-H1`` (written ``2026S1``), ``2026-Q2`` (``2026Q2``) or ``2026-03`` (``202603``);
another label is a problem naming it. Only periods with progress or survey results are
exported.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any, Final

from prevplan.i18n import _
from prevplan.monitor.models import ActivityPeriod, MonitorReport, PopulationPeriod
from prevplan.problems import Problem, ProblemsError
from prevplan.safe_text import csv_cell

CSV_COLUMNS: Final = (
    "dataelement",
    "period",
    "orgunit",
    "catoptcombo",
    "attroptcombo",
    "value",
    "storedby",
    "lastupd",
    "comment",
)
POPULATION_ELEMENTS: Final = {
    "size": "PREVPLAN_POP_SIZE",
    "reach": "PREVPLAN_POP_REACH",
    "effective_reach": "PREVPLAN_POP_EFFECTIVE_REACH",
    "effective_coverage": "PREVPLAN_POP_EFFECTIVE_COVERAGE",
}
ACTIVITY_ELEMENTS: Final = {
    "target": "PREVPLAN_ACT_TARGET",
    "reach": "PREVPLAN_ACT_REACH",
    "sessions_planned": "PREVPLAN_ACT_SESSIONS_PLANNED",
    "sessions_delivered": "PREVPLAN_ACT_SESSIONS_DELIVERED",
    "spent": "PREVPLAN_ACT_SPENT",
    "budget": "PREVPLAN_ACT_BUDGET",
    "fidelity": "PREVPLAN_ACT_FIDELITY",
}
_SHARES: Final = frozenset({"effective_coverage", "fidelity"})
_MONEY: Final = frozenset({"spent", "budget"})
_SECTION_CODES: Final = {"risk_factors": "RF", "protective_factors": "PF", "use": "USE"}
_PERIODS: Final = (
    (re.compile(r"^(\d{4})$"), "{0}"),
    (re.compile(r"^(\d{4})-?[HS]([12])$"), "{0}S{1}"),
    (re.compile(r"^(\d{4})-?Q([1-4])$"), "{0}Q{1}"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "{0}{1}"),
)


def dhis2_period(label: str) -> str | None:
    """The DHIS2 period of a plan's period label, or ``None`` when it has none."""
    for pattern, template in _PERIODS:
        found = pattern.match(label.strip())
        if found:
            return template.format(*found.groups())
    return None


def _code(text: str) -> str:
    """An id as a DHIS2 code: capitals, digits and underscores, at most 50 characters."""
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")[:50] or "_"


def _value(name: str, value: float) -> str:
    if name in _SHARES:
        return f"{value * 100:.2f}"
    if name in _MONEY:
        return f"{value:.2f}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}"


def dhis2_periods(report: MonitorReport) -> dict[str, str]:
    """The DHIS2 period of each reported period; a label without one is a problem."""
    periods: dict[str, str] = {}
    problems = []
    for period in report.reported_periods:
        found = dhis2_period(period)
        if found is None:
            message = _(
                "period '{period}' has no DHIS2 form; use 2026, 2026-H1, 2026-Q2 or 2026-03"
            )
            problems.append(Problem(report.plan_name, "", "periods", message.format(period=period)))
        else:
            periods[period] = found
    ProblemsError.raise_if_any(problems)
    return periods


Figure = tuple[str, str, str, str]
"""(data element, category option combination, value, comment)."""


def _population_figures(pop: PopulationPeriod) -> list[Figure]:
    fields: dict[str, float] = {
        "size": pop.size,
        "reach": pop.reach,
        "effective_reach": pop.effective_reach,
        "effective_coverage": pop.effective_coverage,
    }
    out = [
        (POPULATION_ELEMENTS[name], pop.population_id, _value(name, value), pop.population_id)
        for name, value in fields.items()
    ]
    for section, values in (
        ("risk_factors", pop.risk_factors),
        ("protective_factors", pop.protective_factors),
        ("use", pop.use),
    ):
        for key, value in values.items():
            element = f"PREVPLAN_{_SECTION_CODES[section]}_{_code(key)}"
            kind = "age" if key == "age_first_use" else "fidelity"  # a share, as a percentage
            out.append((element, pop.population_id, _value(kind, value), f"{section}.{key}"))
    return out


def _activity_figures(row: ActivityPeriod) -> list[Figure]:
    out: list[Figure] = []
    for name, element in ACTIVITY_ELEMENTS.items():
        value = getattr(row, name)
        if value is not None:
            out.append((element, row.activity_id, _value(name, value), row.activity_id))
    return out


def data_values(report: MonitorReport, org_unit: str = "NATIONAL") -> list[dict[str, str]]:
    """Every reported figure as a DHIS2 data value (JSON keys)."""
    periods = dhis2_periods(report)
    out: list[dict[str, str]] = []
    for block in report.periods:
        if block.period not in periods:
            continue
        figures = [f for pop in block.populations for f in _population_figures(pop)]
        figures += [f for row in block.activities if row.reported for f in _activity_figures(row)]
        out += [
            {
                "dataElement": element,
                "period": periods[block.period],
                "orgUnit": org_unit,
                "categoryOptionCombo": _code(combo),
                "value": value,
                "comment": comment,
            }
            for element, combo, value, comment in figures
        ]
    return out


def data_value_set_json(report: MonitorReport, org_unit: str = "NATIONAL") -> dict[str, Any]:
    """The DHIS2 ``dataValueSets`` JSON document."""
    return {"dataValues": data_values(report, org_unit)}


def data_value_set_csv(report: MonitorReport, org_unit: str = "NATIONAL") -> str:
    """The DHIS2 ``dataValueSets`` CSV document (with its header row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for value in data_values(report, org_unit):
        writer.writerow(
            [
                value["dataElement"],
                value["period"],
                value["orgUnit"],
                value["categoryOptionCombo"],
                "",
                value["value"],
                "prevplan",
                "",
                csv_cell(value["comment"]),  # an id starting with '=' stays text
            ]
        )
    return buffer.getvalue()
