"""Writing a survey's shares into a plan's populations, with the survey recorded as source.

Each kept group of the survey is matched to the plan's population a mapping file names for
it (:mod:`prevplan.survey.mapping`), or without one to the population whose id — or, failing
that, whose name — equals the group's label (the values of the ``--by`` columns joined by
`` / ``, compared without regard to case): a survey grouped ``--by population`` whose
``population`` column holds the plan's population ids matches at once. For each match:

- a survey result for the period is added to the population (replacing one of the same
  period), with the shares, their 95 % intervals, the number of respondents and the source;
- the population's ``risk_factors`` and ``protective_factors`` take the new shares (factors
  the survey does not measure keep what the plan had), so priorities follow the survey;
- where the definitions give national or regional benchmarks, they become the population's
  ``benchmarks`` with their source, so its priorities are judged against them (the
  Communities That Care practice, :mod:`prevplan.engine.priorities`).

Suppressed groups and suppressed indicators write nothing. What was matched, and what was
not, is returned as notes for the person running it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from prevplan.i18n import _
from prevplan.plan.io import plan_from_data, plan_to_data
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet
from prevplan.survey.estimate import GroupResult, SurveyReport
from prevplan.survey.mapping import GroupKey, group_key


def apply_survey(
    plan: Plan,
    report: SurveyReport,
    period: str,
    rules: RuleSet,
    *,
    option: str = "--period",
    mapping: Mapping[GroupKey, str] | None = None,
) -> tuple[Plan, list[str]]:
    """``plan`` with the survey's shares written into the populations its groups match."""
    if period not in plan.periods:
        expected = ", ".join(plan.periods) or _("none: the plan lists no periods")
        raise ProblemsError(
            [
                Problem(
                    plan.name,
                    "",
                    option,
                    _("unknown period '{period}' (the plan's periods: {periods})").format(
                        period=period, periods=expected
                    ),
                )
            ]
        )
    by_id = {p.id.casefold(): p.id for p in plan.populations}
    by_name = {(p.name or "").casefold(): p.id for p in plan.populations if p.name}
    data = plan_to_data(plan)
    records = {r["id"]: r for r in data.get("populations", [])}
    notes: list[str] = []
    for group in report.groups:
        if mapping is not None:
            pop_id = mapping.get(group_key(group.group, report.by))
        else:
            key = group.label.casefold()
            pop_id = by_id.get(key) or by_name.get(key)
        if group.suppressed:
            notes.append(
                _("group '{group}': {n} respondents, fewer than {floor}; suppressed").format(
                    group=group.label, n=group.respondents, floor=report.min_cell
                )
            )
            continue
        if pop_id is None:
            notes.append(
                (
                    _("group '{group}' is not in the mapping; not written")
                    if mapping is not None
                    else _("group '{group}' matches no population of the plan; not written")
                ).format(group=group.label)
            )
            continue
        _write(records[pop_id], group, report, period)
        notes.append(
            _("group '{group}' written into population '{id}' for period {period}").format(
                group=group.label, id=pop_id, period=period
            )
        )
    if mapping is not None:
        surveyed = {group_key(g.group, report.by) for g in report.groups}
        for mapped, target in mapping.items():
            if mapped not in surveyed:
                notes.append(
                    _(
                        "the mapping's group '{group}' (population '{id}') is not in the survey"
                    ).format(group=" / ".join(mapped), id=target)
                )
    return plan_from_data(data, plan.name, rules, default_name=plan.name), notes


def survey_result(group: GroupResult, report: SurveyReport, period: str) -> dict[str, Any]:
    """The survey result a group gives a population (plan-file data)."""
    result: dict[str, Any] = {
        "period": period,
        "risk_factors": {},
        "protective_factors": {},
        "use": {},
        "intervals": {},
        "respondents": group.respondents,
        "source": report.title + (f" ({report.source})" if report.source else ""),
    }
    for name, est in group.estimates.items():
        if est.suppressed or est.value is None:
            continue
        section, _dot, key = name.partition(".")
        result[section][key] = est.value
        if est.low is not None and est.high is not None and key != "age_first_use":
            result["intervals"][name] = {"low": est.low, "high": est.high}
    return {k: v for k, v in result.items() if v not in ({}, "")}


def _write(record: dict[str, Any], group: GroupResult, report: SurveyReport, period: str) -> None:
    result = survey_result(group, report, period)
    surveys = [s for s in record.get("surveys", []) if s.get("period") != period]
    surveys.append(result)
    record["surveys"] = surveys
    for section in ("risk_factors", "protective_factors"):
        found: Mapping[str, float] = result.get(section, {})
        if found:
            record[section] = {**record.get(section, {}), **found}
    benchmarks = survey_benchmarks(group, report)
    if benchmarks is not None:
        record["benchmarks"] = benchmarks


def survey_benchmarks(group: GroupResult, report: SurveyReport) -> dict[str, Any] | None:
    """The benchmarks the survey's definitions give for the risk and protective factors it
    measures (plan-file data, a population's ``benchmarks``), ``None`` when it gives none."""
    if report.benchmark_source is None:
        return None
    found: dict[str, Any] = {
        "scope": report.benchmark_scope or "national",
        "source": report.benchmark_source,
        "risk_factors": {},
        "protective_factors": {},
    }
    for name, est in group.estimates.items():
        section, _dot, key = name.partition(".")
        if est.benchmark is not None and section in ("risk_factors", "protective_factors"):
            found[section][key] = est.benchmark
    if not (found["risk_factors"] or found["protective_factors"]):
        return None
    return {k: v for k, v in found.items() if v != {}}
