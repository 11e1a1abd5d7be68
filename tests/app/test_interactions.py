"""The app's main interactions, driven through AppTest: samples, the population form,
recommendations into the plan, the activities table, undo, uploads, saving and conflicts,
the tracker, the dashboard filters, the workshop and the Concept explorer."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from prevplan.plan.io import read_plan
from prevplan.plan.models import ActionStatus, Plan
from prevplan.storage import store_from_url
from prevplan.ui import resources
from prevplan.ui.plans import SAMPLE_INVENTORY, SAMPLE_PLAN
from tests.app.helpers import assert_clean, go, texts


def plan_of(at: AppTest) -> Plan:
    plan = at.session_state["plan"]
    assert isinstance(plan, Plan)
    return plan


def problems_shown(at: AppTest) -> Any:
    """The table of problems on the page (the one with a 'Problem' column): a plain table
    whose messages wrap, or a scrolling grid when there are very many."""
    return next(t.value for t in [*at.table, *at.dataframe] if "Problem" in t.value.columns)


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert_clean(at)
    return at


def fill_population_form(at: AppTest, **values: Any) -> None:
    for name, value in values.items():
        key = f"popform.{name}"
        if name in ("id", "name", "region"):
            at.text_input(key=key).input(value)
        elif name in ("settings", "special_groups"):
            at.multiselect(key=key).set_value(value)
        elif name == "risk_group":
            at.selectbox(key=key).set_value(value)
        else:
            at.number_input(key=key).set_value(value)


# --- samples ------------------------------------------------------------------------------


def test_load_the_sample_plan(at: AppTest) -> None:
    at.session_state["plan"] = Plan(name="Something else")
    at.run()
    click(at, "load_sample_plan")
    assert plan_of(at).name == read_plan(SAMPLE_PLAN).name
    assert any("sample national plan is open" in s for s in texts(at, "success"))


@pytest.mark.skipif(not SAMPLE_INVENTORY.exists(), reason="the sample inventory is not there")
def test_load_the_sample_inventory(at: AppTest) -> None:
    click(at, "load_sample_inventory")
    plan = plan_of(at)
    assert plan.populations and plan.activities
    assert any("inventory is open" in s for s in texts(at, "success"))


def test_start_page_shows_the_headline_figures(at: AppTest) -> None:
    labels = [m.label for m in at.metric]
    assert labels == [
        "Effective coverage",
        "People effectively reached",
        "Cost per person effectively reached",
        "Coverage by any activity",
        "People planned for",
        "Warnings",
    ]


# --- populations and recommendations ------------------------------------------------------


def test_population_form_shows_each_problem_beside_its_field_then_adds(at: AppTest) -> None:
    go(at, "populations")
    before = plan_of(at)
    taken = before.populations[0].id
    fill_population_form(at, id=taken, age_min=20, age_max=10)
    click(at, "popform.submit")
    errors = texts(at, "error")
    assert any("already has the id" in e for e in errors)
    assert any("above the oldest age" in e for e in errors)
    assert any("required" in e for e in errors)  # size is empty
    assert plan_of(at) == before, "an invalid form changes nothing"
    assert at.text_input(key="popform.id").value == taken, "the form keeps what was typed"

    fill_population_form(
        at,
        id="teens-east",
        name="Teenagers, East",
        age_min=12,
        age_max=16,
        size=5000,
        settings=["school", "family"],
    )
    at.number_input(key="popform.risk.peers").set_value(40.0)
    click(at, "popform.submit")
    added = plan_of(at).population("teens-east")
    assert added is not None
    assert added.size == 5000 and added.risk_factors == {"peers": 0.4}
    assert not [e for e in texts(at, "error") if "already has" in e]
    assert at.selectbox(key="pop.selected").value == "teens-east"
    assert any("Added Teenagers, East" in s for s in texts(at, "success"))


def test_edit_duplicate_and_delete_a_population(at: AppTest) -> None:
    go(at, "populations")
    first = plan_of(at).populations[0]
    at.selectbox(key="pop.selected").set_value(first.id).run()
    click(at, "pop.duplicate")
    click(at, "popform.submit")
    copies = [p for p in plan_of(at).populations if p.id == f"{first.id}-copy"]
    assert copies and copies[0].size == first.size

    at.selectbox(key="pop.selected").set_value(first.id).run()
    click(at, "pop.edit")
    at.number_input(key="popform.size").set_value(first.size + 1)
    click(at, "popform.submit")
    edited = plan_of(at).population(first.id)
    assert edited is not None and edited.size == first.size + 1

    at.selectbox(key="pop.selected").set_value(first.id).run()
    click(at, "pop.delete")
    assert plan_of(at).population(first.id) is None
    assert not plan_of(at).activities_for(first.id)


def test_add_recommendation_to_plan_then_undo(at: AppTest) -> None:
    go(at, "populations")
    plan = plan_of(at)
    target = next(p for p in plan.populations if not plan.activities_for(p.id))
    at.selectbox(key="pop.selected").set_value(target.id).run()
    assert any("Recommended for" in s for s in texts(at, "subheader"))
    click(at, "rec.add")
    added = plan_of(at).activities_for(target.id)
    assert added, "the recommendation became activities"
    assert all(a.target_reach == target.size for a in added)
    assert any("Added" in s and added[0].name in s for s in texts(at, "success"))
    recommended = {s.id for s in resources.recommendation(target).strategies}
    assert all(set(a.strategies) <= recommended for a in added), "only what was recommended"

    click(at, "rec.add")  # a second press (or the second click of a double click)
    assert plan_of(at).activities_for(target.id) == added, "nothing added twice"
    assert any("nothing was added" in s for s in texts(at, "info"))

    click(at, "undo")
    assert plan_of(at) == plan
    assert any("Undone" in s for s in texts(at, "info"))


def save_tab(at: AppTest) -> None:
    """Open the Plan page's "Save and versions" tab (only the open tab is drawn)."""
    go(at, "plan")
    at.session_state["plan.tab"] = "💾 Save and versions"
    at.run()
    assert_clean(at)


def open_upload(at: AppTest) -> None:
    """Unfold the population upload (its content is drawn only when open)."""
    at.session_state["pop.upload.open"] = True
    at.run()


def test_upload_a_population_file_with_problems_then_a_correct_one(at: AppTest) -> None:
    go(at, "populations")
    open_upload(at)
    before = plan_of(at)
    bad = b"id,age_min,age_max,size\nkids,5,3,100\nkids,1,2,abc\n"
    at.file_uploader(key="pop.upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert_clean(at)
    assert any("nothing was added" in e for e in texts(at, "error"))
    problems = problems_shown(at)
    assert len(problems) >= 3  # age order, duplicate id, size not a number
    assert plan_of(at) == before

    good = b"id,name,age_min,age_max,size\nkids-west,Children West,6,10,1200\n"
    at.file_uploader(key="pop.upload").set_value(("good.csv", good, "text/csv")).run()
    click(at, "pop.upload.add")
    assert plan_of(at).population("kids-west") is not None


def test_a_few_problems_are_read_whole_and_very_many_scroll(at: AppTest) -> None:
    """Up to 50 problems are a plain table whose long messages wrap; more are a grid."""
    go(at, "populations")
    open_upload(at)
    few = b"id,age_min,age_max,size\nkids,1,2,abc\n"
    at.file_uploader(key="pop.upload").set_value(("few.csv", few, "text/csv")).run()
    assert [t for t in at.table if "Problem" in t.value.columns]
    rows = "".join(f"kids{n},1,2,abc\n" for n in range(60))
    many = ("id,age_min,age_max,size\n" + rows).encode()
    at.file_uploader(key="pop.upload").set_value(("many.csv", many, "text/csv")).run()
    assert not [t for t in at.table if "Problem" in t.value.columns]
    assert len(problems_shown(at)) == 60


# --- the plan page ------------------------------------------------------------------------


def _editor_key(at: AppTest) -> str:
    return str(at.session_state["activities.editor"].key)


def _editor_problems(at: AppTest) -> object:
    return at.session_state["activities.editor"].problems


def test_activities_table_edits_are_checked_by_row_and_kept(at: AppTest) -> None:
    go(at, "plan")
    before = plan_of(at)
    at.session_state[_editor_key(at)] = {
        "edited_rows": {1: {"population_id": "nobody"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    assert any("not changed" in e for e in texts(at, "error"))
    problems = problems_shown(at)
    assert list(problems.iloc[:, 0]) == [2]  # the second row
    assert plan_of(at) == before
    assert _editor_problems(at) is not None

    go(at, "start")
    go(at, "plan")
    assert _editor_problems(at) is not None, "edits survive a page switch"
    assert list(problems_shown(at).iloc[:, 0]) == [2]

    click(at, "activities.discard")
    assert _editor_problems(at) is None
    assert not any("not changed" in e for e in texts(at, "error"))


def test_activities_table_valid_edit_changes_the_plan_and_undo_takes_it_back(
    at: AppTest,
) -> None:
    go(at, "plan")
    before = plan_of(at)
    at.session_state[_editor_key(at)] = {
        "edited_rows": {0: {"reach": 1234, "executor": "Ministry of Health"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    changed = plan_of(at).activities[0]
    assert changed.reach == 1234 and changed.executor == "Ministry of Health"
    click(at, "plan.undo")
    assert plan_of(at) == before


def test_save_needs_an_author_then_saves_a_new_version(at: AppTest) -> None:
    save_tab(at)
    click(at, "save.submit")
    assert any("who saved it" in e for e in texts(at, "error"))
    at.text_input(key="save.author").input("Aigerim")
    at.text_input(key="save.comment").input("checked figures")
    click(at, "save.submit")
    assert at.session_state["base_version"] == 2
    assert any("as version 2" in s for s in texts(at, "success"))


def test_a_conflicting_save_keeps_the_edits(at: AppTest) -> None:
    go(at, "populations")
    click(at, "pop.delete")
    mine = plan_of(at)
    # A colleague saves the same plan meanwhile.
    store = store_from_url()
    theirs = store.load(mine.name)
    store.save(theirs, author="Colleague", comment="their change", base_version=1)
    store.close()

    save_tab(at)
    at.text_input(key="save.author").input("Aigerim")
    click(at, "save.submit")
    assert any("Not saved" in w and "Colleague" in w for w in texts(at, "warning"))
    assert plan_of(at) == mine, "my edits are still here"
    assert at.session_state["base_version"] == 1


def test_versions_open_restore_and_compare(at: AppTest) -> None:
    go(at, "populations")
    click(at, "pop.delete")
    save_tab(at)
    at.text_input(key="save.author").input("Aigerim")
    click(at, "save.submit")
    assert at.session_state["base_version"] == 2
    # The comparison of versions 1 and 2 names the deleted population.
    assert any("removed" in str(df.value.to_dict()) for df in at.dataframe)
    at.selectbox(key="versions.version").set_value(1).run()
    click(at, "versions.restore")
    assert at.session_state["base_version"] == 3
    assert len(plan_of(at).populations) == len(read_plan(SAMPLE_PLAN).populations)


# --- tracker, dashboard, workshop, concept ------------------------------------------------


def test_change_a_tracker_status(at: AppTest) -> None:
    go(at, "tracker")
    at.radio(key="tracker.status.V-3.1").set_value("done").run()
    assert_clean(at)
    at.text_input(key="tracker.note.V-3.1").input("Reported to the SCO").run()
    assert_clean(at)
    entry = next(t for t in plan_of(at).tracker if t.action_item == "V-3.1")
    assert entry.status is ActionStatus.DONE and entry.note == "Reported to the SCO"
    go(at, "start")
    go(at, "tracker")
    assert at.radio(key="tracker.status.V-3.1").value == "done", "kept across pages"


def test_tracker_shows_another_focus_area(at: AppTest) -> None:
    go(at, "tracker")
    at.segmented_control(key="tracker.area").set_value("V-4").run()
    assert_clean(at)
    assert any("V-4" in m for m in texts(at, "markdown"))


def test_dashboard_filters_recompute_the_assessment(at: AppTest) -> None:
    go(at, "dashboard")
    everyone = at.metric[0].value
    region = next(p.region for p in plan_of(at).populations if p.region)
    at.multiselect(key="dash.regions").set_value([region]).run()
    assert_clean(at)
    assert at.metric[0].value != everyone
    assert any("Showing" in c for c in texts(at, "caption"))


def test_dashboard_gap_list_names_population_and_clause(at: AppTest) -> None:
    go(at, "dashboard")
    gaps = next(t.value for t in at.table if "Gap" in t.value.columns)
    uncovered = gaps[gaps["Gap"] == "No activity serves this population"]
    assert not uncovered.empty
    assert uncovered["Target population"].str.len().min() > 0
    assert uncovered["Clause"].str.len().min() > 0


def test_run_a_workshop_comparison(at: AppTest) -> None:
    go(at, "workshop")
    at.checkbox(key="ws.s.information").check()
    at.checkbox(key="ws.s.alternatives").check().run()
    click(at, "ws.compare")
    score = next(m for m in at.metric if m.label == "Agreement score")
    assert score.value.endswith("/ 100")
    shown = texts(at, "markdown")
    extra = [m for m in shown if m.startswith("**➕ ")]
    missed = [m for m in shown if m.startswith("**➖ ")]
    assert any("Alternative leisure" in m for m in extra), "supporting without fundamental"
    assert any("supporting strategy works only together" in m for m in shown)
    assert missed, "the fundamental strategies are missed"
    click(at, "ws.clear")
    assert not any(m.label == "Agreement score" for m in at.metric)


def test_concept_search_and_presentation_mode(at: AppTest) -> None:
    go(at, "concept")
    at.text_input(key="concept.search").input("Universal").run()
    assert_clean(at)
    assert any("1 of 4 shown" in c for c in texts(at, "caption"))
    at.toggle(key="concept.present").set_value(True).run()
    assert_clean(at)
    assert any("Universal prevention" in m for m in texts(at, "markdown"))


def test_a_half_filled_form_survives_a_page_switch(at: AppTest) -> None:
    go(at, "populations")
    fill_population_form(at, id="draft-pop", name="Draft", age_min=7)
    at.run()
    go(at, "dashboard")
    go(at, "populations")
    assert at.text_input(key="popform.id").value == "draft-pop"
    assert at.text_input(key="popform.name").value == "Draft"
    assert at.number_input(key="popform.age_min").value == 7


def test_plan_edits_survive_page_switches_and_reruns(at: AppTest) -> None:
    go(at, "populations")
    click(at, "pop.delete")
    edited = plan_of(at)
    for page in ("plan", "dashboard", "tracker", "workshop", "concept", "start"):
        go(at, page)
        at.run()
        assert plan_of(at) == edited
    assert any("Unsaved changes" in c for c in texts(at, "caption"))


def test_filters_forget_what_the_plan_no_longer_has(at: AppTest) -> None:
    go(at, "dashboard")
    first = plan_of(at).populations[0]
    at.multiselect(key="dash.populations").set_value([first.id]).run()
    assert_clean(at)
    go(at, "workshop")
    at.radio(key="ws.source").set_value("plan").run()
    at.selectbox(key="ws.scenario").set_value(first.id).run()
    assert_clean(at)
    go(at, "populations")
    at.selectbox(key="pop.selected").set_value(first.id).run()
    click(at, "pop.delete")
    go(at, "dashboard")
    assert not any("Showing" in c for c in texts(at, "caption")), "back to the whole plan"
    go(at, "workshop")
    assert at.selectbox(key="ws.scenario").value != first.id
