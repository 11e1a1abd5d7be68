"""Coverage analytics: the assessment's tables and the dashboard's figures, tested as data.

A small plan is built in code — pupils served by two activities, parents by one, a family
group served only by information (so its priority risks go unaddressed) and street youth
served by nothing — assessed with the shipped rules, and turned into frames and figures.
The tests check columns, totals, labels and gaps in the frames, and trace types, values,
titles and colours in the figures; never pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go
import pytest

from prevplan.analytics import (
    OKABE_ITO,
    action_item_frame,
    action_item_matrix,
    charts,
    cost_frame,
    cost_per_person,
    dashboard_figures,
    effective_coverage_bars,
    factor_frame,
    frames,
    gap_frame,
    level_stage_frame,
    level_stage_heatmap,
    populations_frame,
    reach_vs_target,
    setting_frame,
    strategy_coverage_bars,
    strategy_frame,
    warning_frame,
)
from prevplan.plan.assess import assess
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Activity, Plan, TrackerEntry
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import RiskFactor
from tests.plans import district_populations

FrameBuilder = Callable[[Assessment, RuleSet], pd.DataFrame]


def small_plan() -> Plan:
    pupils, parents, street_youth = district_populations()
    return Plan(
        name="District plan",
        populations=(
            pupils,
            parents,
            TargetPopulation(
                id="families",
                name="Young families",
                age_min=30,
                age_max=45,
                size=400,
                risk_factors={RiskFactor.FAMILY: 0.8, RiskFactor.ECONOMIC: 0.5},
            ),
            street_youth,
        ),
        activities=(
            Activity(
                id="a1",
                population_id="pupils",
                strategies=("life_skills",),
                interventions=("skills_social_influence",),
                reach=600,
                target_reach=800,
                cost=12000,
            ),
            Activity(
                id="a2",
                population_id="pupils",
                strategies=("information",),
                interventions=("school_policy_culture",),
                reach=900,
                cost=3000,
            ),
            Activity(
                id="a3",
                population_id="parents",
                strategies=("work_with_parents",),
                reach=100,
                target_reach=300,
                cost=5000,
            ),
            Activity(
                id="a4",
                population_id="families",
                strategies=("information",),
                reach=50,
                cost=1000,
            ),
        ),
        tracker=(TrackerEntry(action_item="V-3.4", status="in_progress"),),
    )


@pytest.fixture(scope="module")
def plan() -> Plan:
    return small_plan()


@pytest.fixture(scope="module")
def assessment(plan: Plan, rules: RuleSet) -> Assessment:
    return assess(plan, rules)


@pytest.fixture(scope="module")
def figures(assessment: Assessment, rules: RuleSet, plan: Plan) -> dict[str, go.Figure]:
    return dashboard_figures(assessment, rules, plan)


def all_ids(rules: RuleSet) -> set[str]:
    return {i for kind in Kind for i in rules.ids(kind)} | {"pupils", "parents", "street_youth"}


# --- frames: shape and documentation -----------------------------------------------------

FRAMES: list[tuple[FrameBuilder, dict[str, str]]] = [
    (populations_frame, frames.POPULATION_COLUMNS),
    (strategy_frame, frames.STRATEGY_COLUMNS),
    (level_stage_frame, frames.LEVEL_STAGE_COLUMNS),
    (action_item_frame, frames.ACTION_ITEM_COLUMNS),
    (factor_frame, frames.FACTOR_COLUMNS),
    (setting_frame, frames.SETTING_COLUMNS),
    (cost_frame, frames.COST_COLUMNS),
    (warning_frame, frames.WARNING_COLUMNS),
    (gap_frame, frames.GAP_COLUMNS),
]


@pytest.mark.parametrize(("build", "columns"), FRAMES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_frame_has_its_documented_columns(
    build: FrameBuilder, columns: dict[str, str], assessment: Assessment, rules: RuleSet
) -> None:
    """Each frame has exactly the columns its docstring documents, with the stated dtypes."""
    frame = build(assessment, rules)
    assert list(frame.columns) == list(columns)
    for column in columns:
        assert f"``{column}``" in (build.__doc__ or ""), f"{build.__name__}: {column} undocumented"
    assert {c: str(t) for c, t in frame.dtypes.items()} == columns


@pytest.mark.parametrize(("build", "columns"), FRAMES, ids=lambda x: getattr(x, "__name__", ""))
def test_an_empty_plan_gives_empty_frames_with_the_same_columns(
    build: FrameBuilder, columns: dict[str, str], rules: RuleSet
) -> None:
    """A plan with no populations still yields every column, so exports and charts work."""
    frame = build(assess(Plan(name="empty"), rules), rules)
    assert list(frame.columns) == list(columns)


# --- frames: content ---------------------------------------------------------------------


def test_population_frame_adds_up_to_the_totals(assessment: Assessment, rules: RuleSet) -> None:
    """One row per population; size, reach and cost sum to the assessment's totals."""
    frame = populations_frame(assessment, rules)
    totals = assessment.totals
    assert frame["population_id"].tolist() == ["pupils", "parents", "families", "street_youth"]
    assert frame["size"].sum() == totals.people
    assert frame["reach"].sum() == totals.reach
    assert frame["cost"].sum() == pytest.approx(totals.cost)
    pupils = frame.set_index("population_id").loc["pupils"]
    assert pupils["name"] == "Secondary pupils"
    assert pupils["region"] == "North"
    assert pupils["level_label"] == rules.entities[Kind.LEVEL]["universal"].label
    stages = rules.entities[Kind.AGE_STAGE]
    assert pupils["age_stage_labels"] == "; ".join(
        (stages["early_adolescence"].label, stages["adolescence"].label)
    )
    assert pupils["coverage"] == pytest.approx(pupils["reach"] / pupils["size"])
    assert pupils["target_reach"] == 800
    assert pupils["cost_per_person"] == pytest.approx(15000 / pupils["reach"], abs=0.01)


def test_population_frame_counts_warnings_and_leaves_missing_targets_missing(
    assessment: Assessment, rules: RuleSet
) -> None:
    """An uncovered population has its warning counted and no target (missing, not 0)."""
    frame = populations_frame(assessment, rules).set_index("population_id")
    street = frame.loc["street_youth"]
    assert street["activities"] == 0
    assert street["warnings"] >= 1
    assert "uncovered_population" in street["warning_codes"]
    assert pd.isna(street["target_reach"])
    assert math.isnan(street["target_coverage"])
    assert math.isnan(street["cost_per_person"])
    per_population = sum(1 for w in assessment.warnings if w.population_id)
    assert frame["warnings"].sum() == per_population


def test_strategy_frame_lists_all_nine_strategies_with_kind_and_totals(
    assessment: Assessment, rules: RuleSet
) -> None:
    """Nine VI-3 strategies, fundamental (VI-3.1) before supporting (VI-3.2), costs add up."""
    frame = strategy_frame(assessment, rules)
    assert frame["strategy_id"].tolist() == list(rules.strategies)
    assert set(frame["kind"]) == {"fundamental", "supporting"}
    for row in frame.itertuples():
        prefix = "VI-3.1." if row.kind == "fundamental" else "VI-3.2."
        assert str(row.clause).startswith(prefix)
        assert row.label == rules.strategies[str(row.strategy_id)].label
    served = dict(zip(frame["clause"], frame["populations_served"], strict=True))
    assert served == assessment.coverage.strategies
    # A strategy carries the whole cost of each activity delivering it: the lines overlap,
    # so they add up to at least the plan's cost (every activity names a strategy).
    assert frame["cost"].sum() >= assessment.totals.cost - 0.05
    info = frame.set_index("strategy_id").loc["information"]
    assert info["populations_served"] == 2
    assert info["coverage"] == pytest.approx(
        info["people_reached"] / assessment.totals.people, abs=1e-4
    )


def test_level_stage_frame_has_every_level_and_stage(
    assessment: Assessment, rules: RuleSet
) -> None:
    """Every level × age stage is a row; empty cells are zeros flagged ``has_people=False``."""
    frame = level_stage_frame(assessment, rules)
    levels, stages = rules.ids(Kind.LEVEL), rules.ids(Kind.AGE_STAGE)
    assert len(frame) == len(levels) * len(stages)
    assert set(zip(frame["level"], frame["age_stage"], strict=True)) == {
        (lv, st) for lv in levels for st in stages
    }
    assert (frame["has_people"] == (frame["people"] > 0)).all()
    empty = frame[~frame["has_people"]]
    assert not empty.empty
    assert (empty["reach"] == 0).all() and (empty["coverage"] == 0).all()
    # People are split across stages in proportion to years; rounding may move one person.
    assert abs(frame["people"].sum() - assessment.totals.people) <= len(frame)
    # Pupils 12-17: three years in early adolescence (11-14), three in adolescence (15-17).
    cell = cast(
        "pd.Series[Any]", frame.set_index(["level", "age_stage"]).loc[("universal", "adolescence")]
    )
    assert cell["stage_label"] == rules.entities[Kind.AGE_STAGE]["adolescence"].label
    assert cell["people"] == 500 and cell["reach"] == 450


def test_action_item_frame_has_every_annex_v_item_with_its_status(
    assessment: Assessment, rules: RuleSet, plan: Plan
) -> None:
    """One row per Annex V item; 'served' exactly when some activity serves it."""
    frame = action_item_frame(assessment, rules, plan)
    assert frame["ref"].tolist() == list(rules.action_items)
    assert set(frame["status"]) <= {"served", "not served"}
    assert ((frame["status"] == "served") == (frame["activities"] > 0)).all()
    assert (frame["status"] == "served").sum() == assessment.totals.action_items_served
    for row in frame.itertuples():
        served_by = list(assessment.coverage.action_items[str(row.ref)])
        assert str(row.activity_ids).split("; ") == served_by or (
            row.activities == 0 and row.activity_ids == ""
        )
        assert row.focus_area_label == rules.focus_areas[str(row.focus_area)].label
    item = frame.set_index("ref").loc["V-3.4"]
    assert item["number"] == "3.4"
    assert item["tracker_status"] == "in_progress"
    assert item["schedule"] == (rules.action_items["V-3.4"].schedule or "")
    assert (action_item_frame(assessment, rules)["tracker_status"] == "").all()


def test_factor_frame_names_each_risk_and_protective_factor(
    assessment: Assessment, rules: RuleSet
) -> None:
    """Six risk factors (VI-1.2.x) then four protective factors (VI-1.3.x), with labels."""
    frame = factor_frame(assessment, rules)
    risk = frame[frame["kind"] == "risk"]
    protective = frame[frame["kind"] == "protective"]
    assert risk["factor_id"].tolist() == rules.ids(Kind.RISK_FACTOR)
    assert protective["factor_id"].tolist() == rules.ids(Kind.PROTECTIVE_FACTOR)
    assert risk["clause"].str.startswith("VI-1.2.").all()
    assert protective["clause"].str.startswith("VI-1.3.").all()
    family = risk.set_index("factor_id").loc["family"]
    assert family["label"] == rules.entities[Kind.RISK_FACTOR]["family"].label
    assert family["people"] == 320  # 80 % of the 400 young families


def test_setting_and_cost_frames(assessment: Assessment, rules: RuleSet) -> None:
    """Settings in the rules' order; level cost lines carry the whole plan's cost."""
    settings = setting_frame(assessment, rules)
    assert settings["setting"].tolist() == rules.ids(Kind.SETTING)
    assert (settings["label"] != settings["setting"]).any()
    costs = cost_frame(assessment, rules)
    assert set(costs["group"]) == {"strategy", "level"}
    levels = costs[costs["group"] == "level"]
    assert levels["cost"].sum() == pytest.approx(assessment.totals.cost)
    assert levels["label"].tolist() == [rules.entities[Kind.LEVEL][lv].label for lv in levels["id"]]
    reached_nobody = costs[costs["reach"] == 0]
    assert reached_nobody["cost_per_person"].isna().all()


def test_warning_frame_has_one_row_per_warning_with_sources(
    assessment: Assessment, rules: RuleSet
) -> None:
    frame = warning_frame(assessment, rules)
    assert len(frame) == len(assessment.warnings)
    assert frame["code"].tolist() == [w.code for w in assessment.warnings]
    uncovered = frame[frame["code"] == "uncovered_population"].iloc[0]
    assert uncovered["population_name"] == "Street youth"
    assert uncovered["title"] == rules.warning_definitions["uncovered_population"].title
    assert uncovered["sources"] == "; ".join(
        rules.warning_definitions["uncovered_population"].sources
    )


def test_gaps_name_the_uncovered_population_with_its_clause(
    assessment: Assessment, rules: RuleSet, plan: Plan
) -> None:
    gaps = gap_frame(assessment, rules, plan)
    uncovered = gaps[gaps["gap"] == "uncovered_population"]
    assert uncovered["population_id"].tolist() == ["street_youth"]
    row = uncovered.iloc[0]
    assert row["population_name"] == "Street youth"
    assert row["clause"] == rules.warning_definitions["uncovered_population"].sources[0]
    assert row["subject_label"] == rules.entities[Kind.LEVEL]["selective"].label
    assert (gaps["clause"] != "").all()


def test_gaps_name_the_untargeted_priority_factor_and_its_clause(
    assessment: Assessment, rules: RuleSet, plan: Plan
) -> None:
    """With the plan, each unaddressed priority factor is named with its VI-1.2.x clause."""
    gaps = gap_frame(assessment, rules, plan)
    priority = gaps[gaps["gap"] == "untargeted_priority_risk"]
    warned = [w for w in assessment.warnings if w.code == "untargeted_priority_risk"]
    assert len(priority) == len(warned) > 0
    assert set(priority["population_id"]) == {"families"}
    family = priority.set_index("subject_id").loc["family"]
    assert family["clause"] == "VI-1.2.1"
    assert family["subject_label"] == rules.entities[Kind.RISK_FACTOR]["family"].label
    # The warning itself names the factor, so the plan is not needed to list it.
    without_plan = gap_frame(assessment, rules)
    rows = without_plan[without_plan["gap"] == "untargeted_priority_risk"]
    assert rows["subject_id"].tolist() == priority["subject_id"].tolist()


def test_gaps_list_unserved_prevention_and_treatment_items_and_unused_strategies(
    assessment: Assessment, rules: RuleSet
) -> None:
    gaps = gap_frame(assessment, rules)
    items = gaps[gaps["gap"] == "unserved_action_item"]
    expected = [
        ref
        for ref, ids in assessment.coverage.action_items.items()
        if not ids and rules.action_items[ref].focus_area in ("V-3", "V-4")
    ]
    assert items["clause"].tolist() == expected
    assert (items["population_id"] == "").all()
    assert items["subject_label"].tolist() == [rules.action_items[r].label for r in expected]
    strategies = gaps[gaps["gap"] == "unused_strategy"]
    unused = [s for s in rules.strategies.values() if not assessment.coverage.strategies[s.clause]]
    assert strategies["clause"].tolist() == [s.clause for s in unused]
    assert "VI-3.1.2" in strategies["clause"].tolist()  # nobody is mentored by trusted adults


# --- figures -----------------------------------------------------------------------------


def colours(figure: go.Figure) -> Iterator[str]:
    for trace in figure.data:
        colour = trace.marker.color if hasattr(trace, "marker") else None
        if isinstance(colour, str):
            yield colour
        elif colour is not None:
            yield from colour


def test_dashboard_has_every_chart_with_titles(figures: dict[str, go.Figure]) -> None:
    """Six charts, effective coverage first; each has titles, plotly_white, Okabe–Ito colours."""
    assert list(figures) == [
        "effective",
        "level_stage",
        "strategies",
        "action_items",
        "reach_vs_target",
        "cost_per_person",
    ]
    for name, figure in figures.items():
        assert figure.layout.title.text, name
        assert figure.layout.xaxis.title.text, name
        assert figure.layout.yaxis.title.text, name
        assert figure.layout.template.layout.paper_bgcolor == "white", name
        assert set(colours(figure)) <= set(OKABE_ITO), name


def test_no_chart_labels_things_by_internal_id(
    figures: dict[str, go.Figure], rules: RuleSet
) -> None:
    ids = all_ids(rules)
    for name, figure in figures.items():
        for trace in figure.data:
            for axis in ("x", "y"):
                values = getattr(trace, axis)
                labels = [v for v in (values or ()) if isinstance(v, str)]
                assert not ids & set(labels), (name, axis)


def test_heatmap_shows_coverage_and_leaves_empty_cells_blank(
    assessment: Assessment, rules: RuleSet
) -> None:
    frame = level_stage_frame(assessment, rules)
    figure = level_stage_heatmap(frame)
    (trace,) = figure.data
    assert trace.type == "heatmap"
    assert len(trace.z) == len(rules.levels)
    assert all(len(row) == len(rules.age_stages) for row in trace.z)
    flat = [value for row in trace.z for value in row]
    assert flat == [
        row.coverage if row.has_people else None for row in frame.itertuples(index=False)
    ]
    assert (trace.zmin, trace.zmax) == (0, 1)
    assert trace.colorbar.tickformat == ".0%"
    assert trace.colorscale[0][1] != trace.colorscale[-1][1]  # a sequential (Blues) scale
    texts = [a.text for a in figure.layout.annotations]
    assert texts.count(charts.NO_PEOPLE) == int((~frame["has_people"]).sum())
    assert "no people" not in texts  # a dash: words ran into the neighbouring cells
    assert figure.layout.title.subtitle.text == (
        "Grey cells have no people in the plan; they are not gaps."
    )
    assert "90%" in texts  # universal adolescents: 900 of 1,000
    assert figure.layout.plot_bgcolor == charts.EMPTY_CELL


def test_strategy_bars_split_fundamental_and_supporting(
    assessment: Assessment, rules: RuleSet
) -> None:
    frame = strategy_frame(assessment, rules)
    figure = strategy_coverage_bars(frame)
    assert [t.type for t in figure.data] == ["bar", "bar"]
    fundamental, supporting = figure.data
    assert fundamental.marker.color == "#0072B2"
    assert supporting.marker.color == "#E69F00"
    kinds = frame.set_index("label")["kind"]
    assert len(fundamental.y) == int((kinds == "fundamental").sum())
    assert f"{rules.strategies['life_skills'].label} (VI-3.1.3)" in fundamental.y
    reached = frame[frame["kind"] == "supporting"]["people_reached"].tolist()
    assert list(supporting.x) == reached
    served = strategy_coverage_bars(frame, measure="populations_served")
    assert (
        list(served.data[0].x)
        == frame[frame["kind"] == "fundamental"]["populations_served"].tolist()
    )
    assert served.layout.xaxis.title.text == "Target populations served"


def test_action_item_matrix_places_every_item_by_focus_area(
    assessment: Assessment, rules: RuleSet
) -> None:
    frame = action_item_frame(assessment, rules)
    figure = action_item_matrix(frame)
    served, not_served = figure.data
    assert {t.type for t in figure.data} == {"scatter"}
    assert len(served.x) + len(not_served.x) == len(rules.action_items)
    assert len(served.x) == assessment.totals.action_items_served
    assert {served.marker.color, not_served.marker.color} <= set(OKABE_ITO)
    assert served.marker.color != not_served.marker.color
    assert set(served.y) <= {a.label for a in rules.focus_areas.values()}
    prevention = action_item_matrix(frame, focus_areas=["V-3", "V-4"])
    assert sum(len(t.x) for t in prevention.data) == sum(
        1 for i in rules.action_items.values() if i.focus_area in ("V-3", "V-4")
    )
    # Positions restart at 1 in each focus area: 3.2a and 3.2b are the 2nd and 3rd squares.
    points = {
        (y, x): text for t in prevention.data for x, y, text in zip(t.x, t.y, t.text, strict=True)
    }
    assert points[(rules.focus_areas["V-3"].label, 1)] == "3.1"
    # The source numbers two items 3.2; they show as 3.2a and 3.2b (interfaces §1).
    assert points[(rules.focus_areas["V-3"].label, 3)] == "3.2b"


def test_reach_vs_target_sorts_by_shortfall_and_formats_percent(
    assessment: Assessment, rules: RuleSet
) -> None:
    frame = populations_frame(assessment, rules)
    figure = reach_vs_target(frame)
    reached, target = figure.data
    assert reached.marker.color in OKABE_ITO and target.marker.color in OKABE_ITO
    assert reached.y[0] == "Parents of pupils"  # 20 % reached of a 60 % target
    by_name = frame.set_index("name")
    assert list(reached.x) == [by_name.loc[n, "coverage"] for n in reached.y]
    targets = dict(zip(target.y, target.x, strict=True))
    assert targets["Street youth"] is None  # no target: no bar, not 0 %
    assert targets["Secondary pupils"] == pytest.approx(0.8)
    assert figure.layout.xaxis.tickformat == ".0%"
    assert figure.layout.xaxis.title.text == "Share of target population reached"
    short = reach_vs_target(frame, limit=2)
    assert len(short.data[0].y) == 2
    assert "2 of 4" in short.layout.title.text


def test_reach_vs_target_disambiguates_duplicate_names(rules: RuleSet) -> None:
    plan = Plan(
        name="twins",
        populations=(
            TargetPopulation(id="n1", name="Pupils", age_min=12, age_max=15, size=10),
            TargetPopulation(id="n2", name="Pupils", age_min=12, age_max=15, size=10),
        ),
    )
    figure = reach_vs_target(populations_frame(assess(plan, rules), rules))
    assert sorted(figure.data[0].y) == ["Pupils (n1)", "Pupils (n2)"]


def test_cost_per_person_has_a_strategy_and_a_level_panel(
    assessment: Assessment, rules: RuleSet
) -> None:
    frame = cost_frame(assessment, rules)
    figure = cost_per_person(frame)
    by_strategy, by_level = figure.data
    assert by_strategy.yaxis == "y" and by_level.yaxis == "y2"
    strategies = frame[frame["group"] == "strategy"]
    expected: list[Any] = [
        None if pd.isna(v) else v for v in strategies["cost_per_effective_person"].tolist()
    ]
    assert list(by_strategy.x) == expected
    assert len(by_level.y) == int((frame["group"] == "level").sum())
    assert figure.layout.xaxis.title.text == figure.layout.xaxis2.title.text
    assert figure.layout.yaxis2.title.text == "Prevention level"


def test_effective_coverage_comes_first_beside_exposure(
    assessment: Assessment, rules: RuleSet
) -> None:
    """The first bar is effective coverage, the second exposure; lowest effective first."""
    frame = populations_frame(assessment, rules)
    figure = effective_coverage_bars(frame)
    effective, exposure = figure.data
    assert list(effective.x) == sorted(effective.x)
    by_name = dict(zip(frame["name"], frame["effective_coverage"], strict=True))
    for name, value in zip(effective.y, effective.x, strict=True):
        assert by_name.get(name.rsplit(" (", 1)[0], by_name.get(name)) == value
    assert all(e <= x for e, x in zip(effective.x, exposure.x, strict=True) if x is not None)
    assert (frame["effective_reach"] <= frame["reach"]).all()


def test_chart_text_goes_through_translation(
    assessment: Assessment, rules: RuleSet, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Titles and axis titles are passed through ``prevplan.i18n._``."""
    monkeypatch.setattr(charts, "_", lambda message: f"«{message}»")
    for name, figure in dashboard_figures(assessment, rules, plan).items():
        assert figure.layout.title.text.startswith("«"), name
        assert figure.layout.xaxis.title.text.startswith("«"), name
        assert figure.layout.yaxis.title.text.startswith("«"), name


def test_an_empty_plan_still_draws_every_chart(rules: RuleSet) -> None:
    figures = dashboard_figures(assess(Plan(name="empty"), rules), rules)
    heatmap = figures["level_stage"].data[0]
    assert all(value is None for row in heatmap.z for value in row)
    assert figures["reach_vs_target"].data[0].y in (None, ())
