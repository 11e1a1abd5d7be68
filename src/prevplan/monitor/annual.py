"""The content of the annual implementation report of the Program of Actions (V-6.6, V-6.7).

Annex V asks member states to analyse the implementation of the Program every year (V-6.6)
and to inform the SSO of it (V-6.7). For one period, the report says what was planned,
delivered, reached and spent — per Annex V item and per target population — with the trends
of the surveyed shares since the previous period, the level of provision by setting and
level, the warnings raised and the decisions taken. The PDF and Excel writers
(:mod:`prevplan.export.annual_pdf`, :mod:`prevplan.export.annual_xlsx`) only lay it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from prevplan.i18n import _
from prevplan.monitor.compute import monitor
from prevplan.monitor.models import (
    ActivityPeriod,
    DecisionEntry,
    MonitorReport,
    MonitorWarning,
    PeriodReport,
)
from prevplan.monitor.provision import ProvisionCell, provision_table
from prevplan.plan.assess import assess
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet


@dataclass(frozen=True)
class Delivery:
    """Planned against delivered for a set of activities in the period."""

    activities: int
    reported: int
    target: int
    reach: int
    sessions_planned: int
    sessions_delivered: int
    budget: float
    spent: float


@dataclass(frozen=True)
class ItemLine:
    """One Annex V item the plan's activities serve."""

    ref: str
    activity_ids: tuple[str, ...]
    delivery: Delivery


@dataclass(frozen=True)
class IndicatorChange:
    """One surveyed share of a population: the previous survey and this period's."""

    indicator: str
    previous: float | None
    previous_period: str | None
    current: float
    low: float | None
    high: float | None


@dataclass(frozen=True)
class PopulationLine:
    """One target population in the period."""

    population_id: str
    name: str
    size: int
    delivery: Delivery
    effective_reach: int
    effective_coverage: float
    previous_coverage: float | None
    target_coverage: float | None
    indicators: tuple[IndicatorChange, ...]


@dataclass(frozen=True)
class AnnualReport:
    """Everything the annual report of one period says."""

    plan: Plan
    period: str
    previous: str | None
    monitoring: MonitorReport
    current: PeriodReport
    total: Delivery
    items: tuple[ItemLine, ...]
    populations: tuple[PopulationLine, ...]
    provision: tuple[ProvisionCell, ...]
    warnings: tuple[MonitorWarning, ...]
    decisions: tuple[DecisionEntry, ...]


def delivery(rows: Sequence[ActivityPeriod]) -> Delivery:
    """Planned against delivered, summed over ``rows``."""
    reported = [r for r in rows if r.reported]
    return Delivery(
        activities=len(rows),
        reported=len(reported),
        target=sum(r.target or 0 for r in rows),
        reach=sum(r.reach or 0 for r in reported),
        sessions_planned=sum(r.sessions_planned or 0 for r in reported),
        sessions_delivered=sum(r.sessions_delivered or 0 for r in reported),
        budget=round(sum(r.budget or 0.0 for r in rows), 2),
        spent=round(sum(r.spent or 0.0 for r in reported), 2),
    )


def annual_report(
    plan: Plan, rules: RuleSet, period: str | None = None, lang: str | None = None
) -> AnnualReport:
    """The report of ``period`` (default: the last period with progress or survey results)."""
    report = monitor(plan, rules, lang)
    chosen = period or (report.reported_periods[-1] if report.reported_periods else None)
    if chosen is None or chosen not in plan.periods:
        expected = ", ".join(plan.periods) or _("none: the plan lists no periods")
        raise ProblemsError(
            [
                Problem(
                    plan.name,
                    "",
                    "period",
                    _("unknown period '{period}' (the plan's periods: {periods})").format(
                        period=chosen or "", periods=expected
                    ),
                )
            ]
        )
    index = plan.periods.index(chosen)
    previous = plan.periods[index - 1] if index > 0 else None
    current = report.periods[index]
    before = report.periods[index - 1] if index > 0 else None
    rows = {r.activity_id: r for r in current.activities}
    assessment = assess(plan, rules)
    items = tuple(
        ItemLine(ref, tuple(ids), delivery([rows[i] for i in ids if i in rows]))
        for ref, ids in assessment.coverage.action_items.items()
        if ids
    )
    populations = tuple(
        _population_line(plan, current, before, report, pop_id)
        for pop_id in (p.id for p in plan.populations)
    )
    reach = {r.activity_id: r.reach for r in current.activities}
    return AnnualReport(
        plan=plan,
        period=chosen,
        previous=previous,
        monitoring=report,
        current=current,
        total=delivery(current.activities),
        items=items,
        populations=populations,
        provision=tuple(provision_table(plan, assessment, rules, reach)),
        warnings=tuple(w for w in report.warnings if w.period == chosen),
        decisions=tuple(d for d in report.decisions if d.period in (chosen, previous)),
    )


def _population_line(
    plan: Plan,
    current: PeriodReport,
    before: PeriodReport | None,
    report: MonitorReport,
    population_id: str,
) -> PopulationLine:
    population = plan.population(population_id)
    assert population is not None
    row = next(p for p in current.populations if p.population_id == population_id)
    previous = (
        next(p for p in before.populations if p.population_id == population_id)
        if before is not None and before.period in report.reported_periods
        else None
    )
    changes = []
    for trend in report.trends:
        if trend.population_id != population_id:
            continue
        points = [p for p in trend.points if p.period == current.period]
        if not points:
            continue
        point = points[0]
        at = trend.points.index(point)
        last = trend.points[at - 1] if at > 0 else None  # the survey before this one
        changes.append(
            IndicatorChange(
                indicator=trend.indicator,
                previous=last.value if last else None,
                previous_period=last.period if last else None,
                current=point.value,
                low=point.low,
                high=point.high,
            )
        )
    return PopulationLine(
        population_id=population_id,
        name=population.name or population_id,
        size=population.size,
        delivery=delivery([a for a in current.activities if a.population_id == population_id]),
        effective_reach=row.effective_reach,
        effective_coverage=row.effective_coverage,
        previous_coverage=previous.effective_coverage if previous else None,
        target_coverage=row.target_coverage,
        indicators=tuple(changes),
    )
