"""The monitoring warnings: ``off_track``, ``low_fidelity``, ``overspent``, ``rising_risk``.

Each is decided from one period's figures against the threshold its trigger gives in
``concept_rules/warnings.yaml`` (interfaces §8); the wording and the clauses come from the
warning's definition there, like every warning of :mod:`prevplan.engine.judgments`, and a
sentence of our own says which period, activity or indicator the warning is about. Every
explanation ends with the question Getting To Outcomes asks at its continuous-improvement
step: what will you change?

- ``off_track``: reach below the threshold share of the period's target, sessions delivered
  below that share of those planned, or no progress reported in a period others reported.
- ``low_fidelity``: fidelity below the threshold.
- ``overspent``: spending above the period's budget by more than the threshold share.
- ``rising_risk``: between two consecutive surveys of a population, a risk factor or a use
  indicator rose (a protective factor or perceived risk fell) by at least the threshold, and
  — where both surveys give confidence intervals — the intervals do not overlap.
"""

from __future__ import annotations

from prevplan.engine.judgments import Finding, warning_fields
from prevplan.i18n import N_, _
from prevplan.monitor.figures import figures
from prevplan.monitor.labels import indicator_label, is_share
from prevplan.monitor.models import ActivityPeriod, MonitorWarning, Trend, TrendPoint
from prevplan.plan.models import Activity
from prevplan.rules import RuleSet
from prevplan.rules.models import WarningCode

WHERE: str = N_("Period {period}, activity '{name}':")
REACH_BELOW: str = N_("{reach} people reached against a target of {target} ({share}).")
SESSIONS_BELOW: str = N_("{delivered} of {planned} planned sessions delivered.")
NOT_REPORTED: str = N_("no progress reported.")
FIDELITY_BELOW: str = N_("fidelity {fidelity} (the threshold is {threshold}).")
SPENT_ABOVE: str = N_("spent {spent} against a budget of {budget} ({share}).")
RISK_ROSE: str = N_("{indicator}: {before} in {previous}, {after} in {period}.")


class Findings:
    """Collects the monitoring warnings of one report, worded in one language."""

    def __init__(self, rules: RuleSet, lang: str | None, names: dict[str, str]) -> None:
        self.rules = rules
        self.lang = lang
        self.names = names
        self.warnings: list[MonitorWarning] = []
        self._worded: dict[tuple[WarningCode, str], tuple[str, tuple[str, ...]]] = {}
        self.limits = {
            code: rules.warning_definitions[code.value].trigger.threshold
            for code in (
                WarningCode.OFF_TRACK,
                WarningCode.LOW_FIDELITY,
                WarningCode.OVERSPENT,
                WarningCode.RISING_RISK,
            )
        }

    def _add(
        self,
        code: WarningCode,
        period: str,
        population_id: str,
        finding: str,
        *,
        activity_id: str | None = None,
        activity_name: str | None = None,
        indicator: str | None = None,
    ) -> None:
        key = (code, population_id)
        fields = self._worded.get(key)
        if fields is None:  # one wording per warning and population, however many periods
            found = warning_fields(
                self.rules,
                Finding(code, population_id),
                self.lang or "en",
                self.names.get(population_id, population_id),
            )
            fields = self._worded[key] = (str(found["message"]), tuple(found["sources"]))
        detail = finding
        if activity_name is not None:
            where = _(WHERE, self.lang).format(period=period, name=activity_name)
            detail = f"{where} {finding}"
        self.warnings.append(
            MonitorWarning(
                code=code.value,
                period=period,
                activity_id=activity_id,
                population_id=population_id,
                indicator=indicator,
                message=f"{fields[0]} {detail}",
                detail=detail,
                finding=finding,
                sources=fields[1],
            )
        )

    def activity(self, period: str, activity: Activity, row: ActivityPeriod) -> None:
        """``off_track``, ``low_fidelity`` and ``overspent`` for one activity in one period."""
        lang = self.lang
        name = activity.name or activity.id
        pop = activity.population_id
        if not row.reported:
            self._add(
                WarningCode.OFF_TRACK,
                period,
                pop,
                _(NOT_REPORTED, lang),
                activity_id=activity.id,
                activity_name=name,
            )
            return
        track = self.limits[WarningCode.OFF_TRACK]
        if track is not None:
            self._off_track(period, activity, row, track)
        low = self.limits[WarningCode.LOW_FIDELITY]
        if low is not None and row.fidelity is not None and row.fidelity < low:
            detail = _(FIDELITY_BELOW, lang).format(
                fidelity=figures(lang).share(row.fidelity),
                threshold=figures(lang).share(low),
            )
            self._add(
                WarningCode.LOW_FIDELITY,
                period,
                pop,
                detail,
                activity_id=activity.id,
                activity_name=name,
            )
        over = self.limits[WarningCode.OVERSPENT]
        if (
            over is not None
            and row.spent is not None
            and row.budget is not None
            and row.spent > row.budget * (1 + over)
        ):
            share = figures(lang).share(row.spent / row.budget) if row.budget else "—"
            detail = _(SPENT_ABOVE, lang).format(
                spent=figures(lang).money(row.spent),
                budget=figures(lang).money(row.budget),
                share=share,
            )
            self._add(
                WarningCode.OVERSPENT,
                period,
                pop,
                detail,
                activity_id=activity.id,
                activity_name=name,
            )

    def _off_track(
        self,
        period: str,
        activity: Activity,
        row: ActivityPeriod,
        share: float,
    ) -> None:
        lang = self.lang
        details = []
        if row.reach is not None and row.target and row.reach < share * row.target:
            details.append(
                _(REACH_BELOW, lang).format(
                    reach=figures(lang).number(row.reach),
                    target=figures(lang).number(row.target),
                    share=figures(lang).share(row.reach / row.target),
                )
            )
        planned, delivered = row.sessions_planned, row.sessions_delivered
        if planned and delivered is not None and delivered < share * planned:
            details.append(
                _(SESSIONS_BELOW, lang).format(
                    delivered=figures(lang).number(delivered),
                    planned=figures(lang).number(planned),
                )
            )
        if details:
            self._add(
                WarningCode.OFF_TRACK,
                period,
                activity.population_id,
                " ".join(details),
                activity_id=activity.id,
                activity_name=activity.name or activity.id,
            )

    def trend(self, trend: Trend) -> None:
        """``rising_risk`` for each worsening step of a surveyed share."""
        limit = self.limits[WarningCode.RISING_RISK]
        if limit is None or not is_share(trend.indicator):
            return
        for before, after in zip(trend.points, trend.points[1:], strict=False):
            if worsened(before, after, limit, protective=trend.protective):
                detail = _(RISK_ROSE, self.lang).format(
                    indicator=indicator_label(self.rules, trend.indicator, self.lang),
                    before=figures(self.lang).share(before.value),
                    previous=before.period,
                    after=figures(self.lang).share(after.value),
                    period=after.period,
                )
                self._add(
                    WarningCode.RISING_RISK,
                    after.period,
                    trend.population_id,
                    detail,
                    indicator=trend.indicator,
                )


def worsened(before: TrendPoint, after: TrendPoint, limit: float, *, protective: bool) -> bool:
    """Whether the step from ``before`` to ``after`` is a worsening the monitor reports.

    The change must reach ``limit`` in the bad direction; when both points carry a 95 %
    interval, the intervals must also not overlap (a change within the noise of two samples
    is not reported as a rise).
    """
    change = after.value - before.value
    bad = -change if protective else change
    if bad < limit - 1e-12:
        return False
    if None in (before.low, before.high, after.low, after.high):
        return True
    assert before.low is not None and before.high is not None
    assert after.low is not None and after.high is not None
    if protective:
        return after.high < before.low
    return after.low > before.high
