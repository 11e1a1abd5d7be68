"""Charts of a plan followed through its periods (interfaces §8), for the app and the report.

Pure functions from a :class:`~prevplan.monitor.MonitorReport` to plotly figures, in the
reader's language, in the Okabe–Ito colours of the dashboard and always with words beside
colour:

- :func:`coverage_trend` — effective coverage of the whole plan (or of chosen populations)
  period by period, beside the coverage the targets add up to;
- :func:`indicator_trend` — each surveyed share of one population across the periods, with
  its 95 % interval as error bars and the national benchmark where one is given;
- :func:`fidelity_heatmap` — fidelity of each activity in each period (grey: not reported),
  the threshold of ``low_fidelity`` marked in the legend;
- :func:`spend_vs_budget` — spending against the budget per period, with the cumulative
  spending against the whole plan's budget.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

from prevplan.analytics.charts import OKABE_ITO, TEMPLATE
from prevplan.i18n import _, current_language, format_number, format_percent
from prevplan.monitor.labels import indicator_label, is_share
from prevplan.monitor.models import MonitorReport
from prevplan.rules import RuleSet

ORANGE, SKY_BLUE, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, BLACK = OKABE_ITO
NOT_REPORTED: Final = "#E5E5E5"


def fidelity_scale(threshold: float) -> list[list[float | str]]:
    """Vermillion to orange below the threshold, sky blue to blue from it: low fidelity
    stands out whatever its exact figure."""
    below = max(0.0, min(1.0, threshold) - 0.0001)
    return [[0.0, VERMILLION], [below, ORANGE], [min(1.0, threshold), SKY_BLUE], [1.0, BLUE]]


def _layout(title: str, x_title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    lang = current_language()
    layout: dict[str, Any] = {
        "separators": get_decimal_symbol(lang) + get_group_symbol(lang),
        "template": TEMPLATE,
        "title": {"text": title},
        "xaxis": {"title": {"text": x_title}, "type": "category"},
        "yaxis": {"title": {"text": y_title}},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "legend": {"title": {"text": ""}},
        "height": 420,
    }
    layout.update(extra)
    return layout


def _share_axis(top: float) -> dict[str, Any]:
    """A 0–``top`` axis of shares, its ticks written as the language writes percentages."""
    step = 0.1 if top <= 0.6 else 0.2
    values = [round(n * step, 4) for n in range(round(top / step) + 1)]
    return {
        "range": [0, top],
        "tickmode": "array",
        "tickvals": values,
        "ticktext": [format_percent(v) for v in values],
    }


def coverage_trend(
    report: MonitorReport, population_ids: Sequence[str] = (), names: Mapping[str, str] = {}
) -> go.Figure:
    """Effective coverage per period against the target coverage.

    With no ``population_ids`` the lines are the whole plan's (people effectively reached
    over all people); otherwise one line per population, its target dashed in the same
    colour. Only periods with progress are drawn: a future period is not a zero.
    """
    periods = [p for p in report.periods if p.period in report.reported_periods]
    x = [p.period for p in periods]
    traces: list[go.Scatter] = []
    if not population_ids:
        people = [p.totals.people or 1 for p in periods]
        actual = [p.totals.effective_reach / n for p, n in zip(periods, people, strict=True)]
        target = [
            sum((pop.target_coverage or 0.0) * pop.size for pop in p.populations) / n
            for p, n in zip(periods, people, strict=True)
        ]
        traces.append(_line(x, actual, _("Effective coverage"), BLUE))
        traces.append(_line(x, target, _("Target coverage"), ORANGE, dash="dash"))
    else:
        for n, pop_id in enumerate(population_ids):
            colour = OKABE_ITO[n % len(OKABE_ITO)]
            rows = [next(r for r in p.populations if r.population_id == pop_id) for p in periods]
            name = names.get(pop_id, pop_id)
            traces.append(_line(x, [r.effective_coverage for r in rows], name, colour))
            targets = [r.target_coverage for r in rows]
            if any(t is not None for t in targets):
                label = _("{name}: target").format(name=name)
                traces.append(_line(x, targets, label, colour, dash="dash"))
    values = [v for t in traces for v in t.y if v is not None]
    top = min(1.0, max([0.1, *values]) * 1.15)
    layout = _layout(
        _("Effective coverage by period, against the target"),
        _("Monitoring period"),
        _("Share of the population"),
        yaxis={"title": {"text": _("Share of the population")}, **_share_axis(top)},
    )
    return go.Figure(data=traces, layout=layout)


def _line(
    x: Sequence[str], y: Sequence[float | None], name: str, colour: str, *, dash: str = "solid"
) -> go.Scatter:
    return go.Scatter(
        x=list(x),
        y=list(y),
        name=name,
        mode="lines+markers",
        line={"color": colour, "dash": dash, "width": 2.5},
        marker={"size": 8},
        hovertemplate="%{x}: %{y:.1%}<extra>" + name.replace("<", "&lt;") + "</extra>",
    )


def indicator_trend(
    report: MonitorReport,
    population_id: str,
    rules: RuleSet,
    *,
    indicators: Sequence[str] | None = None,
    benchmarks: Mapping[str, float] | None = None,
) -> go.Figure:
    """Each surveyed share of one population across periods, with 95 % intervals.

    A risk factor or use indicator rising is bad news, a protective factor rising good news:
    risk lines are solid, protective ones dotted, and the legend says which is which.
    Benchmarks (national or regional figures) are short dashes at the last period.
    ``indicators`` keeps only those named (default: every surveyed share).
    """
    traces: list[go.Scatter] = []
    shares = [
        t
        for t in report.trends
        if t.population_id == population_id
        and is_share(t.indicator)
        and (indicators is None or t.indicator in indicators)
    ]
    for n, trend in enumerate(shares):
        colour = OKABE_ITO[n % len(OKABE_ITO)]
        label = indicator_label(rules, trend.indicator)
        kind = _("protective") if trend.protective else _("risk")
        x = [p.period for p in trend.points]
        y = [p.value for p in trend.points]
        plus = [(p.high - p.value) if p.high is not None else 0 for p in trend.points]
        minus = [(p.value - p.low) if p.low is not None else 0 for p in trend.points]
        traces.append(
            go.Scatter(
                x=x,
                y=y,
                name=f"{label} ({kind})",
                mode="lines+markers",
                line={"color": colour, "dash": "dot" if trend.protective else "solid"},
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": plus,
                    "arrayminus": minus,
                    "visible": any(plus) or any(minus),
                },
                hovertemplate="%{x}: %{y:.1%}<extra>" + label.replace("<", "&lt;") + "</extra>",
            )
        )
        benchmark = (benchmarks or {}).get(trend.indicator)
        if benchmark is not None and x:
            traces.append(
                go.Scatter(
                    x=[x[-1]],
                    y=[benchmark],
                    name=_("{indicator}: benchmark").format(indicator=label),
                    mode="markers",
                    marker={"symbol": "line-ew-open", "size": 22, "color": colour},
                    showlegend=True,
                )
            )
    values = [v for t in traces for v in t.y]
    top = min(1.0, max([0.1, *values]) * 1.25)
    layout = _layout(
        _("Survey results by period (95 % interval)"),
        _("Monitoring period"),
        _("Share of respondents"),
        yaxis={"title": {"text": _("Share of respondents")}, **_share_axis(top)},
        height=460,
    )
    return go.Figure(data=traces, layout=layout)


def fidelity_heatmap(
    report: MonitorReport, names: Mapping[str, str] = {}, threshold: float = 0.8
) -> go.Figure:
    """Fidelity of each activity that reports it, period by period.

    Cells without a figure are grey and say "not reported": a missing figure is not a 0.
    Colours run from vermillion (low) through yellow to blue (as designed); the threshold of
    ``low_fidelity`` is named in the title.
    """
    periods = [p for p in report.periods if p.period in report.reported_periods]
    ids: list[str] = []
    for period in periods:
        for row in period.activities:
            if row.fidelity is not None and row.activity_id not in ids:
                ids.append(row.activity_id)
    values: list[list[float | None]] = []
    text: list[list[str]] = []
    for activity_id in ids:
        line: list[float | None] = []
        words: list[str] = []
        for period in periods:
            row = next(r for r in period.activities if r.activity_id == activity_id)
            line.append(row.fidelity)
            words.append(
                _("not reported") if row.fidelity is None else format_percent(row.fidelity)
            )
        values.append(line)
        text.append(words)
    labels = [names.get(i, i) for i in ids]
    figure = go.Figure(
        data=[
            go.Heatmap(
                z=values,
                x=[p.period for p in periods],
                y=labels,
                text=text,
                texttemplate="%{text}",
                colorscale=fidelity_scale(threshold),
                zmin=0,
                zmax=1,
                hoverongaps=False,
                colorbar={"title": {"text": _("Fidelity")}, "tickformat": ".0%"},
                hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
            )
        ],
        layout=_layout(
            _("Fidelity of delivery by activity and period (low below {threshold})").format(
                threshold=format_percent(threshold)
            ),
            _("Monitoring period"),
            "",
            yaxis={"autorange": "reversed", "automargin": True},
            plot_bgcolor=NOT_REPORTED,
            height=max(320, 26 * len(ids) + 140),
        ),
    )
    return figure


def spend_vs_budget(report: MonitorReport) -> go.Figure:
    """Spending against the budget per period, and cumulative spending against the plan's
    whole budget (the dashed line)."""
    periods = list(report.periods)
    x = [p.period for p in periods]
    reported = set(report.reported_periods)
    budget = go.Bar(
        name=_("Budget"),
        x=x,
        y=[p.totals.budget for p in periods],
        marker={"color": SKY_BLUE},
        hovertemplate="%{x}: %{y:,.0f}<extra>" + _("Budget") + "</extra>",
    )
    spent = go.Bar(
        name=_("Spent"),
        x=x,
        y=[p.totals.spent if p.period in reported else None for p in periods],
        marker={"color": ORANGE},
        hovertemplate="%{x}: %{y:,.0f}<extra>" + _("Spent") + "</extra>",
    )
    cumulative = go.Scatter(
        name=_("Spent so far"),
        x=x,
        y=[p.totals.cumulative_spent if p.period in reported else None for p in periods],
        mode="lines+markers",
        line={"color": BLACK, "dash": "dash"},
        hovertemplate="%{x}: %{y:,.0f}<extra>" + _("Spent so far") + "</extra>",
    )
    total = periods[0].totals.total_budget if periods else 0
    layout = _layout(
        _("Spending against the budget (whole plan: {total})").format(
            total=format_number(round(total))
        ),
        _("Monitoring period"),
        _("Amount"),
        barmode="group",
    )
    return go.Figure(data=[budget, spent, cumulative], layout=layout)


def monitoring_figures(
    report: MonitorReport, rules: RuleSet, names: Mapping[str, str] = {}
) -> dict[str, go.Figure]:
    """The charts of the annual report: coverage trend, fidelity, spending."""
    threshold = rules.warning_definitions["low_fidelity"].trigger.threshold
    return {
        "coverage_trend": coverage_trend(report),
        "fidelity": fidelity_heatmap(report, names, threshold if threshold is not None else 0.8),
        "spending": spend_vs_budget(report),
    }
