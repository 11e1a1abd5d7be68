"""Reading and writing the monitoring parts of a plan file (interfaces §8).

A plan file names its ``periods`` once; every progress record of an activity, every survey
result of a population and every entry of the ``decisions`` log must name one of them. The
checks here add to the problems :func:`prevplan.plan.io.plan_from_data` gathers, so that a
plan with an unknown period and a fidelity of 1.2 is answered with both, each naming its row
and field (``activity 3 (id a3)``, ``progress[2].period``).

Survey results are written on each population in a file (``populations[].surveys``), as the
interface has them; the population model itself holds none, so population files and the
recommendation engine are untouched by them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, TypeAdapter, ValidationError

from prevplan.i18n import _
from prevplan.io.errors import problem_from_error
from prevplan.plan.models import MAX_ITEMS, Activity
from prevplan.plan.progress import (
    MAX_PERIODS,
    MAX_RECORDS,
    Decision,
    PeriodLabel,
    SurveyResult,
    record_field,
)
from prevplan.problems import PLAN, Location, Problem, record_at

__all__ = [
    "MonitoringData",
    "check_monitoring",
    "put_surveys",
    "record_field",
    "split_surveys",
]

# Bounded like every list a person writes: a huge file is refused, not walked.
_PERIODS: TypeAdapter[tuple[PeriodLabel, ...]] = TypeAdapter(
    Annotated[tuple[PeriodLabel, ...], Field(max_length=MAX_PERIODS)]
)
_SURVEYS: TypeAdapter[tuple[SurveyResult, ...]] = TypeAdapter(
    Annotated[tuple[SurveyResult, ...], Field(max_length=MAX_RECORDS)]
)
_DECISIONS: TypeAdapter[tuple[Decision, ...]] = TypeAdapter(
    Annotated[tuple[Decision, ...], Field(max_length=MAX_ITEMS)]
)


@dataclass
class MonitoringData:
    """The validated monitoring fields of a plan, ready for :class:`Plan`."""

    periods: tuple[str, ...] = ()
    surveys: dict[str, tuple[SurveyResult, ...]] = field(default_factory=dict)
    decisions: tuple[Decision, ...] = ()

    def fields(self) -> dict[str, Any]:
        """Only the fields that hold something, so a plan without monitoring is unchanged."""
        out: dict[str, Any] = {}
        if self.periods:
            out["periods"] = self.periods
        if self.surveys:
            out["surveys"] = self.surveys
        if self.decisions:
            out["decisions"] = self.decisions
        return out


RawSurveys = list[tuple[int, object, object]]
"""(population number from 0, population id as written, the ``surveys`` value)."""


def split_surveys(raw_pops: Sequence[object]) -> tuple[list[object], RawSurveys]:
    """The population records without their ``surveys``, and the surveys taken out."""
    records: list[object] = []
    surveys: RawSurveys = []
    for n, record in enumerate(raw_pops):
        if isinstance(record, Mapping) and "surveys" in record:
            surveys.append((n, record.get("id"), record["surveys"]))
            record = {k: v for k, v in record.items() if k != "surveys"}
        records.append(record)
    return records, surveys


def put_surveys(data: dict[str, Any], surveys: object) -> None:
    """Write survey results (by population id) onto the populations of plan data."""
    if not isinstance(surveys, Mapping) or not surveys:
        return
    for population in data.get("populations", []):
        found = surveys.get(population.get("id"))
        if found:
            population["surveys"] = [_compact(s) for s in found]


def _compact(record: Mapping[str, Any]) -> dict[str, Any]:
    """A survey result without its empty parts (they read back as the same defaults)."""
    return {k: v for k, v in record.items() if v not in ({}, "", None)}


def check_monitoring(
    data: Mapping[str, Any],
    raw_surveys: RawSurveys,
    activities: Sequence[Activity],
    file: str,
    problems: list[Problem],
) -> MonitoringData:
    """Validate periods, survey results and decisions; check every period named is known."""
    check = _Checker(file, problems)
    out = MonitoringData(periods=check.periods(data.get("periods")))
    for n, activity in enumerate(activities):
        where = record_at("activity", n + 1, activity.id)
        check.once_each(where, "progress", [p.period for p in activity.progress], out.periods)
    for n, pop_id, raw in raw_surveys:
        results = check.surveys(record_at("population", n + 1, pop_id), raw, out.periods)
        if results and isinstance(pop_id, str):
            out.surveys[pop_id] = results
    out.decisions = check.decisions(data.get("decisions"), out.periods)
    population_ids = {p.get("id") for p in data.get("populations") or [] if isinstance(p, Mapping)}
    check.decision_refs(out.decisions, {a.id for a in activities}, population_ids)
    return out


class _Checker:
    """The checks of :func:`check_monitoring`, each adding to one list of problems."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def errors(self, where: Location, section: str, exc: ValidationError) -> None:
        for e in exc.errors(include_url=False):
            message = problem_from_error(self.file, PLAN, e).message
            name = record_field(section, (section, *e["loc"])) or section
            self.problems.append(Problem(self.file, where, name, message))

    def periods(self, raw: object) -> tuple[str, ...]:
        if raw is None:
            return ()
        try:
            periods = _PERIODS.validate_python(raw)
        except ValidationError as exc:
            self.errors(PLAN, "periods", exc)
            return ()
        for period, n in Counter(periods).items():
            if n > 1:
                message = _("period '{period}' is listed more than once")
                self.problems.append(
                    Problem(self.file, PLAN, "periods", message.format(period=period))
                )
        return periods

    def known(self, where: Location, name: str, period: str, periods: Sequence[str]) -> None:
        if period not in periods:
            self.problems.append(Problem(self.file, where, name, _unknown_period(period, periods)))

    def once_each(
        self, where: Location, section: str, named: Sequence[str], periods: Sequence[str]
    ) -> None:
        """Each period named is known, and named once in the section."""
        seen: Counter[str] = Counter()
        for k, period in enumerate(named):
            name = f"{section}[{k + 1}].period"
            self.known(where, name, period, periods)
            seen[period] += 1
            if seen[period] == 2:
                message = _("period '{period}' has more than one record in '{section}'")
                self.problems.append(
                    Problem(self.file, where, name, message.format(period=period, section=section))
                )

    def surveys(
        self, where: Location, raw: object, periods: Sequence[str]
    ) -> tuple[SurveyResult, ...]:
        if raw is None:
            return ()
        try:
            results = _SURVEYS.validate_python(raw)
        except ValidationError as exc:
            self.errors(where, "surveys", exc)
            return ()
        self.once_each(where, "surveys", [r.period for r in results], periods)
        return results

    def decisions(self, raw: object, periods: Sequence[str]) -> tuple[Decision, ...]:
        if raw is None:
            return ()
        try:
            decisions = _DECISIONS.validate_python(raw)
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                loc = e["loc"]
                number = loc[0] + 1 if loc and isinstance(loc[0], int) else None
                name = ".".join(p for p in loc[1:] if isinstance(p, str)) or "decisions"
                message = problem_from_error(self.file, PLAN, e).message
                self.problems.append(Problem(self.file, _decision_at(number), name, message))
            return ()
        for k, decision in enumerate(decisions):
            self.known(_decision_at(k + 1), "period", decision.period, periods)
        return decisions

    def decision_refs(
        self,
        decisions: Sequence[Decision],
        activity_ids: set[str],
        population_ids: set[object],
    ) -> None:
        for k, decision in enumerate(decisions):
            where = _decision_at(k + 1)
            if decision.activity_id is not None and decision.activity_id not in activity_ids:
                message = _("unknown activity '{id}'").format(id=decision.activity_id)
                self.problems.append(Problem(self.file, where, "activity_id", message))
            if decision.population_id is not None and decision.population_id not in population_ids:
                message = _("unknown population '{id}'").format(id=decision.population_id)
                self.problems.append(Problem(self.file, where, "population_id", message))


def _decision_at(number: int | None) -> Location:
    """The ``number``-th entry of the decisions log."""
    return Location(_("decision"), number=number)


def _unknown_period(period: str, periods: Sequence[str]) -> str:
    if not periods:
        return _(
            "unknown period '{period}': the plan lists no periods (add e.g. periods: [2026, 2027])"
        ).format(period=period)
    return _("unknown period '{period}' (expected one of {periods})").format(
        period=period, periods=", ".join(periods)
    )
