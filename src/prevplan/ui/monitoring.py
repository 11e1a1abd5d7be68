"""Pure helpers of the Monitoring page: the progress grid, the survey upload, the decisions log.

The page (``app_pages/monitoring.py``) reads widgets and calls these; each returns a new plan
or the problems that kept the plan unchanged, so nothing a user typed is lost and nothing
invalid reaches the plan. The rules are those of plan files (interfaces §8): a period must be
one of the plan's, fidelity a share 0–1, and so on — the grid is validated by
:func:`prevplan.plan.io.plan_from_data` like any file.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from prevplan.i18n import _, current_language
from prevplan.monitor.checklist import checklist_text, parse_checklist
from prevplan.monitor.labels import indicator_label, is_share
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.plan.models import Plan
from prevplan.problems import Location, Problem, ProblemsError
from prevplan.rules import RuleSet
from prevplan.survey import SurveyReport, estimate
from prevplan.survey.apply import apply_survey
from prevplan.survey.definitions import SurveyDefinitions, parse_definitions
from prevplan.survey.mapping import parse_mapping
from prevplan.survey.read import parse_survey
from prevplan.ui import upload_worker

GRID_NUMBERS: Final = (
    "target",
    "reach",
    "sessions_planned",
    "sessions_delivered",
    "spent",
    "budget",
    "fidelity",
)
GRID_COLUMNS: Final = (
    "id",
    "name",
    "population_id",
    *GRID_NUMBERS,
    "fidelity_checklist",
    "note",
)
_COUNTS: Final = frozenset({"target", "reach", "sessions_planned", "sessions_delivered"})
GRID_FILE: Final = "progress grid"


@dataclass(frozen=True)
class Outcome:
    """A new plan, or the problems that kept the old one (and the notes to show)."""

    plan: Plan | None
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = field(default=())


def parse_periods(text: str) -> list[str]:
    """``"2025, 2026; 2027"`` → the periods, in order, blanks dropped."""
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def set_periods(plan: Plan, periods: Sequence[str], rules: RuleSet) -> Outcome:
    """The plan with these periods (every progress or survey period must stay among them)."""
    data = plan_to_data(plan)
    data["periods"] = list(periods)
    return _validated(data, plan, rules)


def progress_frame(plan: Plan, period: str) -> pd.DataFrame:
    """One row per activity: what it reported for ``period`` (blank where nothing yet)."""
    rows: list[dict[str, Any]] = []
    for activity in plan.activities:
        found = next((p for p in activity.progress if p.period == period), None)
        row: dict[str, Any] = {
            "id": activity.id,
            "name": activity.name or activity.id,
            "population_id": activity.population_id,
        }
        for name in GRID_NUMBERS:
            row[name] = getattr(found, name) if found is not None else None
        row["fidelity_checklist"] = (
            checklist_text(found.fidelity_checklist) if found is not None else ""
        )
        row["note"] = found.note if found is not None else ""
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(GRID_COLUMNS))
    for name in GRID_NUMBERS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("Float64")
    return frame


def _number(value: object, name: str) -> int | float | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    number = float(value)  # type: ignore[arg-type]
    if name in _COUNTS and number.is_integer():
        return int(number)
    return number


def apply_progress(
    plan: Plan, period: str, records: Sequence[Mapping[str, Any]], rules: RuleSet
) -> Outcome:
    """The plan with the grid's figures as each activity's progress for ``period``.

    A row left entirely blank removes that activity's progress for the period; every other
    row replaces it. Problems name the activity and the field, as a plan file's do.
    """
    data = plan_to_data(plan)
    by_id = {str(r.get("id")): r for r in records}
    problems: list[Problem] = []
    for number, activity in enumerate(data.get("activities", []), start=1):
        row = by_id.get(str(activity["id"]))
        kept = [p for p in activity.get("progress", []) if str(p.get("period")) != period]
        if row is not None:
            where = Location("activity", number=number, id=str(activity["id"]))
            entry = _grid_entry(row, period, where, problems)
            if len(entry) > 1:
                kept.append(entry)
        order = {p: n for n, p in enumerate(plan.periods)}
        kept.sort(key=lambda p: order.get(str(p.get("period")), len(order)))
        if kept:
            activity["progress"] = kept
        else:
            activity.pop("progress", None)
    if problems:
        return Outcome(None, tuple(problems))
    return _validated(data, plan, rules)


def _grid_entry(
    row: Mapping[str, Any], period: str, where: Location, problems: list[Problem]
) -> dict[str, Any]:
    """A grid row as a progress record for ``period`` (a bad checklist goes to
    ``problems``)."""
    entry: dict[str, Any] = {"period": period}
    for name in GRID_NUMBERS:
        value = _number(row.get(name), name)
        if value is not None:
            entry[name] = value
    try:
        checklist = parse_checklist(str(row.get("fidelity_checklist") or ""))
    except ValueError as err:
        problems.append(Problem(_(GRID_FILE), where, "fidelity_checklist", str(err)))
        checklist = {}
    if checklist:
        entry["fidelity_checklist"] = checklist
    note = str(row.get("note") or "").strip()
    if note:
        entry["note"] = note
    return entry


def _validated(data: dict[str, Any], plan: Plan, rules: RuleSet) -> Outcome:
    try:
        return Outcome(plan_from_data(data, _(GRID_FILE), rules, default_name=plan.name))
    except ProblemsError as err:
        return Outcome(None, err.problems)


def add_decision(plan: Plan, entry: Mapping[str, Any], rules: RuleSet) -> Outcome:
    """The plan with one more entry in its decisions log."""
    data = plan_to_data(plan)
    clean = {k: v for k, v in entry.items() if v not in (None, "")}
    data["decisions"] = [*data.get("decisions", []), clean]
    return _validated(data, plan, rules)


def survey_estimates(
    survey: tuple[str, bytes],
    definitions: tuple[str, bytes] | SurveyDefinitions,
    by: Sequence[str],
    min_cell: int | None = None,
) -> SurveyReport:
    """Estimates of an uploaded survey (raises :class:`ProblemsError` naming rows and fields).

    Read and estimated in an upload worker (:func:`prevplan.ui.upload_worker.isolated`): a
    survey of many thousand respondents costs seconds that other sessions do not wait for;
    a worker over its time or memory, or one that ends, gives a problem saying so. The last
    few answers are kept (by the files' content, the groups and the language), so the page's
    other reruns while a survey stays uploaded do not estimate it again."""
    digest = hashlib.sha256(survey[1])
    digest.update(
        repr(definitions).encode() if isinstance(definitions, SurveyDefinitions) else definitions[1]
    )
    key = (survey[0], digest.hexdigest(), tuple(by), min_cell, current_language())
    with _ESTIMATED_LOCK:
        if key in _ESTIMATED:
            _ESTIMATED.move_to_end(key)
            return _ESTIMATED[key]
    report = upload_worker.isolated(_survey_estimates, survey, definitions, list(by), min_cell)
    with _ESTIMATED_LOCK:
        _ESTIMATED[key] = report
        while len(_ESTIMATED) > _KEEP_ESTIMATES:
            _ESTIMATED.popitem(last=False)
    return report


_ESTIMATED: OrderedDict[tuple[object, ...], SurveyReport] = OrderedDict()
_ESTIMATED_LOCK = threading.Lock()
_KEEP_ESTIMATES: Final = 8


def _survey_estimates(
    survey: tuple[str, bytes],
    definitions: tuple[str, bytes] | SurveyDefinitions,
    by: list[str],
    min_cell: int | None,
) -> SurveyReport:
    """Runs in the worker."""
    name, data = survey
    if isinstance(definitions, SurveyDefinitions):
        parsed, defs_name = definitions, ""
    else:
        defs_name = definitions[0]
        parsed = parse_definitions(definitions[1], defs_name)
    frame = parse_survey(data, name, parsed, by, definitions_file=defs_name)
    return estimate(frame, parsed, by, source=name, min_cell=min_cell)


def survey_columns(survey: tuple[str, bytes]) -> list[str]:
    """The columns of an uploaded survey (the header only), for choosing groups."""
    import io

    name, data = survey
    try:
        if name.lower().endswith(".xlsx"):
            head = pd.read_excel(io.BytesIO(data), nrows=0, engine="openpyxl")
        else:
            head = pd.read_csv(io.BytesIO(data), nrows=0, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return []
    return [str(c).strip() for c in head.columns]


def survey_table(report: SurveyReport, rules: RuleSet) -> pd.DataFrame:
    """The estimates as a table: one row per group and indicator, suppressed groups said so."""
    from prevplan.i18n import format_number, format_percent

    rows: list[dict[str, str]] = []
    for group in report.groups:
        if group.suppressed:
            rows.append(
                {
                    _("Group"): group.label,
                    _("Respondents"): format_number(group.respondents),
                    _("Indicator"): "—",
                    _("Share"): _("suppressed: fewer than {n} respondents").format(
                        n=report.min_cell
                    ),
                    _("95 % interval"): "",
                    _("Benchmark"): "",
                }
            )
            continue
        for name, est in group.estimates.items():
            share = is_share(name)

            def shown(x: float | None, share: bool = share) -> str:
                if x is None:
                    return "—"
                return format_percent(x, decimals=1) if share else format_number(x, decimals=1)

            compared = {
                "above": _("above"),
                "below": _("below"),
                "similar": _("similar"),
            }.get(est.compared or "", "")
            rows.append(
                {
                    _("Group"): group.label,
                    _("Respondents"): format_number(est.respondents),
                    _("Indicator"): indicator_label(rules, name),
                    _("Share"): _("suppressed (too few answers)")
                    if est.suppressed
                    else shown(est.value),
                    _("95 % interval"): ""
                    if est.suppressed
                    else f"{shown(est.low)} – {shown(est.high)}",
                    _("Benchmark"): ""
                    if est.benchmark is None
                    else f"{shown(est.benchmark)} ({compared})",
                }
            )
    return pd.DataFrame(rows)


def write_survey(
    plan: Plan,
    report: SurveyReport,
    period: str,
    rules: RuleSet,
    mapping: tuple[str, bytes] | None = None,
) -> Outcome:
    """The plan with the survey's shares written into the populations its groups match: by
    an uploaded mapping file (name and bytes) where given, else by id or name. A bad mapping
    is its problems, by row and field, and the plan is unchanged."""
    try:
        groups = (
            None
            if mapping is None
            else parse_mapping(mapping[1], mapping[0], report.by, [p.id for p in plan.populations])
        )
        updated, notes = apply_survey(
            plan, report, period, rules, option=_("Monitoring period"), mapping=groups
        )
    except ProblemsError as err:
        return Outcome(None, err.problems)
    return Outcome(updated, (), tuple(notes))
