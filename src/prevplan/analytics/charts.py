"""Plotly figures for the coverage dashboard, each built from one table of :mod:`.frames`.

Every builder is a pure function ``DataFrame -> go.Figure``: no I/O, no Streamlit. Charts
use the Okabe–Ito palette, which stays distinguishable with the common colour-vision
deficiencies, and a sequential blue scale for coverage; titles and axis titles are written
for a planner and pass through :func:`prevplan.i18n._`; labels come from the rules' labels
in the current language (the frames carry them), never from internal ids. Numbers follow
the reader's language: plotly's separators are the language's (``12 345`` in Russian) and
percentages printed on a chart use :func:`prevplan.i18n.format_percent`. Category labels are
broken into lines by their width on screen, so Chinese labels (which have no spaces) wrap
too. Shares are plotted from 0 to 1 on axes formatted as percentages. Figures keep
``template="plotly_white"`` and name no web font, so they render offline.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Final, Literal

import pandas as pd
import plotly.graph_objects as go

from prevplan.analytics.chart_labels import unique_names, wrap_label
from prevplan.analytics.chart_style import (
    BLACK,
    BLUE,
    COVERAGE_SCALE,
    EMPTY_CELL,
    GREEN,
    KIND_COLOURS,
    OKABE_ITO,
    ORANGE,
    PLOTLY_WORDS,
    SKY_BLUE,
    STATUS_COLOURS,
    TEMPLATE,
    chart_config,
    chart_layout,
    kind_label,
    percent_axis,
    percent_text,
)
from prevplan.analytics.frames import SERVED, status_label
from prevplan.i18n import _

__all__ = [
    "COVERAGE_SCALE",
    "EMPTY_CELL",
    "KIND_COLOURS",
    "OKABE_ITO",
    "PLOTLY_WORDS",
    "STATUS_COLOURS",
    "TEMPLATE",
    "action_item_matrix",
    "chart_config",
    "cost_per_person",
    "effective_coverage_bars",
    "level_stage_heatmap",
    "reach_vs_target",
    "strategy_coverage_bars",
]


# --- coverage by level and age stage -----------------------------------------------------


NO_PEOPLE: Final = "–"
"""What a level × age stage cell without people shows (the subtitle explains it)."""


def level_stage_heatmap(frame: pd.DataFrame) -> go.Figure:
    """Share reached in each prevention level × age stage (from :func:`level_stage_frame`).

    Cells without people have no value: grey background and a dash (:data:`NO_PEOPLE`), so
    an empty cell is never mistaken for 0 % coverage; the subtitle says what grey means. (A
    dash, not words: "no people" in each of seven cells ran into its neighbours on a narrow
    screen, and more so in Russian.)
    """
    levels = [wrap_label(label, 28) for label in dict.fromkeys(frame["level_label"])]
    stages = [wrap_label(label) for label in dict.fromkeys(frame["stage_label"])]
    cells: dict[tuple[str, str], dict[Hashable, Any]] = {
        (wrap_label(row["level_label"], 28), wrap_label(row["stage_label"])): row
        for row in frame.to_dict("records")
    }
    z: list[list[float | None]] = []
    custom: list[list[list[int]]] = []
    annotations: list[dict[str, Any]] = []
    no_people = NO_PEOPLE
    for level in levels:
        z_row: list[float | None] = []
        c_row: list[list[int]] = []
        for stage in stages:
            cell = cells.get((level, stage), {})
            value = float(cell["coverage"]) if cell.get("has_people") else None
            z_row.append(value)
            c_row.append([int(cell.get("people", 0)), int(cell.get("reach", 0))])
            annotations.append(
                {
                    "x": stage,
                    "y": level,
                    "text": percent_text(value) if value is not None else no_people,
                    "showarrow": False,
                    "font": {"color": "white" if value is not None and value > 0.55 else BLACK},
                }
            )
        z.append(z_row)
        custom.append(c_row)
    heatmap = go.Heatmap(
        z=z,
        x=stages,
        y=levels,
        customdata=custom,
        zmin=0,
        zmax=1,
        colorscale=COVERAGE_SCALE,
        xgap=2,
        ygap=2,
        hoverongaps=False,
        colorbar={"title": {"text": _("Share reached")}, **percent_axis()},
        hovertemplate=(
            "%{y} · %{x}<br>"
            + _("People")
            + ": %{customdata[0]:,}<br>"
            + _("Reached")
            + ": %{customdata[1]:,} (%{z:.0%})<extra></extra>"
        ),
    )
    layout = chart_layout(
        # Wrapped: on a narrow screen a one-line title ran past the chart (Russian).
        wrap_label(_("Share of people reached, by prevention level and age stage"), 60),
        _("Age stage"),
        _("Prevention level"),
        xaxis={"showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False},
        plot_bgcolor=EMPTY_CELL,
        annotations=annotations,
        margin={"t": 100},
    )
    layout["title"]["subtitle"] = {
        "text": _("Grey cells have no people in the plan; they are not gaps.")
    }
    return go.Figure(data=[heatmap], layout=layout)


# --- strategies --------------------------------------------------------------------------

StrategyMeasure = Literal["people_reached", "populations_served"]


def strategy_coverage_bars(
    frame: pd.DataFrame, measure: StrategyMeasure = "people_reached"
) -> go.Figure:
    """People reached (or populations served) by each VI-3 strategy, coloured by kind.

    ``frame`` is :func:`strategy_frame`; bars follow its order (fundamental, then supporting)
    from top to bottom, labelled with the strategy's label and clause.
    """
    x_title = _("People reached") if measure == "people_reached" else _("Target populations served")
    title = (
        _("People reached by each prevention strategy")
        if measure == "people_reached"
        else _("Target populations served by each prevention strategy")
    )
    labels = [
        f"{label} ({clause})" for label, clause in zip(frame["label"], frame["clause"], strict=True)
    ]
    traces = []
    for kind, colour in KIND_COLOURS.items():
        mask = (frame["kind"] == kind).tolist()
        part = frame[mask]
        traces.append(
            go.Bar(
                name=kind_label(kind),
                x=part[measure].tolist(),
                y=[label for label, keep in zip(labels, mask, strict=True) if keep],
                orientation="h",
                marker={"color": colour},
                texttemplate="%{x:,}",
                textposition="outside",
                cliponaxis=False,
                customdata=part[["coverage", "populations_served"]].to_numpy().tolist(),
                hovertemplate=(
                    "%{y}<br>"
                    + x_title
                    + ": %{x:,}<br>"
                    + _("Share of all people in the plan")
                    + ": %{customdata[0]:.1%}<extra></extra>"
                ),
            )
        )
    layout = chart_layout(
        title,
        x_title,
        _("Strategy (Annex VI, section 3)"),
        yaxis={"categoryorder": "array", "categoryarray": labels, "autorange": "reversed"},
        # Room on the right for the value printed beside the longest bar.
        xaxis={"tickformat": ",d", "range": [0, max(1.0, float(frame[measure].max())) * 1.2]},
        legend={"title": {"text": _("Kind of strategy")}},
        barmode="overlay",
    )
    return go.Figure(data=traces, layout=layout)


# --- Program of Actions ------------------------------------------------------------------


def action_item_matrix(frame: pd.DataFrame, focus_areas: list[str] | None = None) -> go.Figure:
    """Annex V items as a grid: one row per focus area, one square per item, served or not.

    ``frame`` is :func:`action_item_frame`; ``focus_areas`` (``["V-3", "V-4"]``) limits the
    grid to those areas. Each square shows the item's number; hovering shows its label and
    the activities serving it.
    """
    if focus_areas is not None:
        frame = frame[frame["focus_area"].isin(focus_areas)]
    areas = list(dict.fromkeys(frame["focus_area_label"]))
    position = frame.groupby("focus_area", sort=False).cumcount() + 1
    traces = []
    for status, colour in STATUS_COLOURS.items():
        mask = (frame["status"] == status).tolist()
        part = frame[mask]
        traces.append(
            go.Scatter(
                name=status_label(status),
                x=position[mask].tolist(),
                y=part["focus_area_label"].tolist(),
                mode="markers+text",
                marker={"symbol": "square", "size": 30, "color": colour},
                # The reference, not the printed number: the source numbers two items 3.2.
                text=part["ref"].str.removeprefix("V-").tolist(),
                textfont={"color": "white" if status == SERVED else BLACK, "size": 10},
                customdata=part[["label", "activities"]].to_numpy().tolist(),
                hovertemplate=(
                    "%{text} %{customdata[0]}<br>"
                    + _("Activities")
                    + ": %{customdata[1]}<extra></extra>"
                ),
            )
        )
    widest = int(position.max()) if len(position) else 1
    layout = chart_layout(
        _("Program of Actions items served by the plan"),
        _("Item within the focus area (Annex V)"),
        _("Focus area"),
        xaxis={"range": [0.3, widest + 0.7], "dtick": 1, "showgrid": False, "zeroline": False},
        yaxis={
            "categoryorder": "array",
            "categoryarray": areas,
            "autorange": "reversed",
            "showgrid": False,
        },
        legend={"title": {"text": _("Status")}},
        height=max(260, 70 * len(areas) + 140),
    )
    return go.Figure(data=traces, layout=layout)


# --- effective coverage beside exposure --------------------------------------------------


def effective_coverage_bars(frame: pd.DataFrame, limit: int | None = 40) -> go.Figure:
    """Each population's effective coverage, with its exposure beside it.

    ``frame`` is :func:`populations_frame`. Effective coverage (people reached by an activity
    that works, docs/effective-coverage.md) is the first bar; exposure (anyone reached) the
    second, lighter one. Populations with the lowest effective coverage come first.
    """
    order = frame.sort_values(
        ["effective_coverage", "coverage"], ascending=[True, False], kind="stable"
    ).head(limit if limit is not None else len(frame))
    names = unique_names(order["name"].tolist(), order["population_id"].tolist())
    custom = order[["size", "effective_reach", "reach"]].astype("float64").to_numpy().tolist()
    effective = _share_bar(
        _("Effective coverage"),
        order["effective_coverage"].tolist(),
        names,
        {"color": BLUE},
        [percent_text(v) for v in order["effective_coverage"]],
        custom,
        _("Effectively reached: {people} of {size} ({share})"),
        1,
    )
    exposure = _share_bar(
        _("Coverage by any activity"),
        order["coverage"].tolist(),
        names,
        {"color": SKY_BLUE, "opacity": 0.55},
        [percent_text(v) for v in order["coverage"]],
        custom,
        _("Reached by any activity: {people} of {size} ({share})"),
        2,
    )
    title = _("Effective coverage of each target population, beside coverage by any activity")
    if limit is not None and len(frame) > limit:
        title += " " + _("({shown} of {total}, lowest effective coverage first)").format(
            shown=limit, total=len(frame)
        )
    layout = _share_bars_layout(title, _("Share of target population"), len(names))
    return go.Figure(data=[effective, exposure], layout=layout)


# --- reach against target ----------------------------------------------------------------


def reach_vs_target(frame: pd.DataFrame, limit: int | None = 40) -> go.Figure:
    """Share of each population reached, beside the share its activities aim for.

    ``frame`` is :func:`populations_frame`. Populations are sorted by shortfall (target
    share minus share reached; populations without a target by their own coverage, lowest
    first), the largest shortfall at the top; ``limit`` keeps that many.
    """
    shortfall = frame["target_coverage"].fillna(frame["coverage"]) - frame["coverage"]
    order = (
        frame.assign(_shortfall=shortfall)
        .sort_values(["_shortfall", "coverage"], ascending=[False, True], kind="stable")
        .head(limit if limit is not None else len(frame))
    )
    names = unique_names(order["name"].tolist(), order["population_id"].tolist())
    people = order[["size", "reach", "target_reach"]].astype("float64").fillna(-1)
    custom = people.to_numpy().tolist()
    reached = _share_bar(
        _("Reached"),
        order["coverage"].tolist(),
        names,
        {"color": BLUE},
        [percent_text(v) for v in order["coverage"]],
        custom,
        _("Reached: {people} of {size} ({share})"),
        1,
    )
    # A population without a target has no target bar and says so: no target is not 0 %.
    targets = [None if pd.isna(v) else float(v) for v in order["target_coverage"]]
    no_target = _("no target")
    target = _share_bar(
        _("Target"),
        targets,
        names,
        {"color": ORANGE},
        [no_target if v is None else percent_text(v) for v in targets],
        custom,
        _("Target: {people} of {size} ({share})"),
        2,
    )
    title = _("Share of each target population reached, against the target")
    if limit is not None and len(frame) > limit:
        title += " " + _("({shown} of {total}, furthest from target first)").format(
            shown=limit, total=len(frame)
        )
    layout = _share_bars_layout(title, _("Share of target population reached"), len(names))
    return go.Figure(data=[reached, target], layout=layout)


def _share_bar(
    name: str,
    shares: Sequence[float | None],
    populations: list[str],
    marker: dict[str, Any],
    text: list[str],
    custom: list[list[float]],
    sentence: str,
    people: int,
) -> go.Bar:
    """One bar per population of a share of its people, labelled with the share; the hover
    reads ``sentence`` with the people (``customdata[people]``) of its size
    (``customdata[0]``)."""
    return go.Bar(
        name=name,
        x=shares,
        y=populations,
        orientation="h",
        marker=marker,
        text=text,
        texttemplate="%{text}",
        textposition="outside",
        customdata=custom,
        hovertemplate="%{y}<br>"
        + sentence.format(
            people=f"%{{customdata[{people}]:,.0f}}", size="%{customdata[0]:,.0f}", share="%{x:.0%}"
        )
        + "<extra></extra>",
    )


def _share_bars_layout(title: str, x_title: str, rows: int) -> dict[str, Any]:
    """The layout of two grouped share bars per population, one population a row."""
    return chart_layout(
        title,
        x_title,
        _("Target population"),
        xaxis={**percent_axis(), "range": [0, 1.12]},
        yaxis={"autorange": "reversed"},
        barmode="group",
        legend={"title": {"text": ""}},
        height=max(320, 40 * rows + 160),
    )


# --- cost per person ---------------------------------------------------------------------


def cost_per_person(frame: pd.DataFrame) -> go.Figure:
    """Cost per person effectively reached, by strategy (top panel) and by level (bottom).

    ``frame`` is :func:`cost_frame`. Every strategy and level keeps its row; one that
    reaches nobody effectively has no bar (its cost per person is undefined, not zero). A
    strategy's cost is the whole cost of the activities delivering it, so the strategy bars
    overlap; the hover gives the cost per person reached at all beside it.
    """
    x_title = _("Cost per person effectively reached (plan currency)")
    # (group, panel title, colour, x axis, y axis, vertical share of the figure)
    panels = (
        ("strategy", _("By strategy"), BLUE, "x", "y", (0.40, 0.92)),
        ("level", _("By prevention level"), GREEN, "x2", "y2", (0.0, 0.24)),
    )
    layout = chart_layout(
        _("Cost per person effectively reached"),
        x_title,
        _("Strategy"),
        showlegend=False,
        height=620,
    )
    annotations: list[dict[str, Any]] = []
    traces = []
    for group, panel_title, colour, xref, yref, (bottom, top) in panels:
        part = frame[frame["group"] == group]
        labels = [
            f"{label} ({clause})"
            for label, clause in zip(part["label"], part["clause"], strict=True)
        ]
        traces.append(
            go.Bar(
                name=panel_title,
                x=[None if pd.isna(v) else float(v) for v in part["cost_per_effective_person"]],
                y=labels,
                orientation="h",
                marker={"color": colour},
                xaxis=xref,
                yaxis=yref,
                customdata=part[["cost", "effective_reach", "reach", "cost_per_person"]]
                .astype("float64")
                .fillna(-1)
                .to_numpy()
                .tolist(),
                hovertemplate=(
                    "%{y}<br>"
                    + _("Cost per person effectively reached")
                    + ": %{x:,.2f}<br>"
                    + _("Cost")
                    + ": %{customdata[0]:,.0f} · "
                    + _("Effectively reached")
                    + ": %{customdata[1]:,.0f} · "
                    + _("Reached")
                    + ": %{customdata[2]:,.0f}<extra></extra>"
                ),
            )
        )
        suffix = "" if xref == "x" else xref[1:]
        layout["xaxis" + suffix] = {
            "anchor": yref,
            "title": {"text": x_title},
            "tickformat": ",.0f",
            "rangemode": "tozero",
        }
        layout["yaxis" + suffix] = {
            "anchor": xref,
            "domain": [bottom, top],
            "autorange": "reversed",
            "automargin": True,
            "title": {"text": _("Strategy") if group == "strategy" else _("Prevention level")},
        }
        annotations.append(
            {
                "text": f"<b>{panel_title}</b>",
                "x": 0,
                "y": top,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    layout["annotations"] = annotations
    return go.Figure(data=traces, layout=layout)
