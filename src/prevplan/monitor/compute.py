"""Targets against actuals, period by period (interfaces §8).

The rules for what is compared with what, so that every figure can be checked by hand:

- An activity's **target** in a period is the ``target`` of its progress record, else the
  activity's ``target_reach``, else its planned ``reach`` (a plan's reach is people per
  period, as the sample plan states).
- Its **budget** in a period is the ``budget`` of its progress record, else its ``cost`` (the
  plan's cost of the activity for the whole plan) spread evenly over the plan's periods.
- A population's **effective reach** in a period follows docs/effective-coverage.md with the
  period's reach figures: the largest reach of one activity that counts as effective (the
  assessment of the plan decides which do), capped at the population's size; an activity
  reporting more people than the population is left out, as in the assessment.
- **Fidelity** is the share given, or the share of checklist components delivered as
  designed; the period's mean is weighted by the people each activity reached.

Activity warnings are raised only for periods some activity reported progress for (there an
activity that reported nothing is ``off_track``), so a plan's future periods raise nothing;
``rising_risk`` compares consecutive surveys of a population.
"""

from __future__ import annotations

from collections import defaultdict

from prevplan.monitor.findings import Findings
from prevplan.monitor.models import (
    ActivityPeriod,
    DecisionEntry,
    MonitorReport,
    PeriodReport,
    PeriodTotals,
    PopulationPeriod,
    Trend,
    TrendPoint,
)
from prevplan.plan.assess import assess
from prevplan.plan.models import Activity, Plan
from prevplan.plan.progress import Progress, SurveyResult, indicator_keys, is_protective
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules


def monitor(plan: Plan, rules: RuleSet | None = None, lang: str | None = None) -> MonitorReport:
    """The monitoring report of ``plan`` (pure: no I/O beyond the default rules)."""
    ruleset = rules if rules is not None else load_rules()
    assessment = assess(plan, ruleset)
    effective = {
        p.population_id: frozenset(p.effective_activities) for p in assessment.coverage.populations
    }
    periods = plan.periods
    progress = {a.id: {p.period: p for p in a.progress} for a in plan.activities}
    surveys = {pid: {s.period: s for s in found} for pid, found in plan.surveys.items()}
    delivered = {period for by_period in progress.values() for period in by_period}
    surveyed = {period for by_period in surveys.values() for period in by_period}
    reported = [period for period in periods if period in delivered or period in surveyed]
    by_population: dict[str, list[Activity]] = defaultdict(list)
    for activity in plan.activities:
        by_population[activity.population_id].append(activity)
    names = {p.id: p.name or p.id for p in plan.populations}
    findings = Findings(ruleset, lang, names)
    reports = []
    cumulative = 0.0
    total_budget = sum(a.cost or 0.0 for a in plan.activities)
    for period in periods:
        rows = [_activity_row(a, progress[a.id].get(period), len(periods)) for a in plan.activities]
        row_of = {row.activity_id: row for row in rows}
        if period in delivered:  # a period nobody reported progress for raises nothing yet
            for activity, row in zip(plan.activities, rows, strict=True):
                findings.activity(period, activity, row)
        pops = [
            _population_row(
                population,
                [row_of[a.id] for a in by_population.get(population.id, [])],
                effective.get(population.id, frozenset()),
                surveys.get(population.id, {}).get(period),
            )
            for population in plan.populations
        ]
        spent = sum(r.spent or 0.0 for r in rows)
        cumulative += spent
        reports.append(
            PeriodReport(
                period=period,
                activities=tuple(rows),
                populations=tuple(pops),
                totals=_totals(rows, pops, spent, cumulative, total_budget),
            )
        )
    trends = tuple(_trends(plan, surveys))
    for trend in trends:
        findings.trend(trend)
    return MonitorReport(
        plan_name=plan.name,
        periods=tuple(reports),
        trends=trends,
        warnings=tuple(findings.warnings),
        decisions=tuple(DecisionEntry(**d.model_dump()) for d in plan.decisions),
        reported_periods=tuple(reported),
    )


def _activity_row(activity: Activity, progress: Progress | None, periods: int) -> ActivityPeriod:
    target = activity.target_reach if activity.target_reach is not None else activity.reach
    budget = activity.cost / periods if activity.cost is not None and periods else None
    if progress is None:
        return ActivityPeriod(
            activity_id=activity.id,
            population_id=activity.population_id,
            target=target,
            reach=None,
            sessions_planned=None,
            sessions_delivered=None,
            spent=None,
            budget=_money(budget),
            fidelity=None,
            reported=False,
        )
    return ActivityPeriod(
        activity_id=activity.id,
        population_id=activity.population_id,
        target=progress.target if progress.target is not None else target,
        reach=progress.reach,
        sessions_planned=progress.sessions_planned,
        sessions_delivered=progress.sessions_delivered,
        spent=progress.spent,
        budget=_money(progress.budget if progress.budget is not None else budget),
        fidelity=None if progress.adherence is None else round(progress.adherence, 4),
        reported=True,
    )


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _population_row(
    population: TargetPopulation,
    rows: list[ActivityPeriod],
    effective: frozenset[str],
    survey: SurveyResult | None,
) -> PopulationPeriod:
    size = population.size
    valid = [r for r in rows if r.reach is not None and r.reach <= size]
    reach = max((r.reach or 0 for r in valid), default=0)
    effective_reach = max((r.reach or 0 for r in valid if r.activity_id in effective), default=0)
    targets = [min(r.target, size) for r in rows if r.target is not None]
    return PopulationPeriod(
        population_id=population.id,
        size=size,
        reach=reach,
        effective_reach=effective_reach,
        effective_coverage=round(effective_reach / size, 4),
        target_coverage=round(max(targets) / size, 4) if targets else None,
        risk_factors={k.value: v for k, v in survey.risk_factors.items()} if survey else {},
        protective_factors=(
            {k.value: v for k, v in survey.protective_factors.items()} if survey else {}
        ),
        use=survey.use.model_dump(exclude_none=True) if survey else {},
        intervals=({k: (i.low, i.high) for k, i in survey.intervals.items()} if survey else {}),
        surveyed=survey is not None,
    )


def _totals(
    rows: list[ActivityPeriod],
    pops: list[PopulationPeriod],
    spent: float,
    cumulative: float,
    total_budget: float,
) -> PeriodTotals:
    weighted = [(r.fidelity, r.reach or 0) for r in rows if r.fidelity is not None]
    weight = sum(w for _f, w in weighted)
    if weighted and weight:
        mean: float | None = round(sum(f * w for f, w in weighted) / weight, 4)
    elif weighted:
        mean = round(sum(f for f, _w in weighted) / len(weighted), 4)
    else:
        mean = None
    return PeriodTotals(
        target=sum(r.target or 0 for r in rows if r.reported),
        reach=sum(r.reach or 0 for r in rows),
        sessions_planned=sum(r.sessions_planned or 0 for r in rows),
        sessions_delivered=sum(r.sessions_delivered or 0 for r in rows),
        spent=round(spent, 2),
        budget=round(sum(r.budget or 0.0 for r in rows), 2),
        cumulative_spent=round(cumulative, 2),
        total_budget=round(total_budget, 2),
        mean_fidelity=mean,
        reported_activities=sum(1 for r in rows if r.reported),
        effective_reach=sum(p.effective_reach for p in pops),
        people=sum(p.size for p in pops),
    )


def _trends(plan: Plan, surveys: dict[str, dict[str, SurveyResult]]) -> list[Trend]:
    """Every surveyed indicator of every population, in the order of the plan's periods."""
    out: list[Trend] = []
    for population in plan.populations:
        by_period = surveys.get(population.id)
        if not by_period:
            continue
        points: dict[str, list[TrendPoint]] = {}
        for period in plan.periods:
            survey = by_period.get(period)
            if survey is None:
                continue
            for indicator, value in indicator_keys(survey).items():
                interval = survey.intervals.get(indicator)
                points.setdefault(indicator, []).append(
                    TrendPoint(
                        period=period,
                        value=value,
                        low=interval.low if interval else None,
                        high=interval.high if interval else None,
                    )
                )
        out += [
            Trend(
                population_id=population.id,
                indicator=indicator,
                protective=is_protective(indicator),
                points=tuple(found),
            )
            for indicator, found in points.items()
        ]
    return out
