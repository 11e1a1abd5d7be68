"""Drafts: unsaved work kept per person and plan, offered back in a new session (#18)."""

from __future__ import annotations

import secrets
from pathlib import Path

from streamlit.testing.v1 import AppTest

from prevplan.plan.models import Plan
from prevplan.storage import DraftStore, store_from_url
from prevplan.ui import workspace
from tests.app.helpers import APP, assert_clean, go, texts


def session(owner: str) -> AppTest:
    """A new browser session of ``owner`` (what a reload or a restart gives)."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state[workspace.OWNER] = owner
    at.run()
    assert_clean(at)
    return at


def plan_of(at: AppTest) -> Plan:
    found = at.session_state["plan"]
    assert isinstance(found, Plan)
    return found


def test_unsaved_work_comes_back_in_a_new_session_and_can_be_discarded(home: Path) -> None:
    me, other = f"browser:{secrets.token_hex(16)}", f"browser:{secrets.token_hex(16)}"
    first = session(me)
    assert first.session_state["saved_name"] is not None, "opens the stored sample"
    go(first, "populations")
    first.button(key="pop.delete").click().run()
    assert_clean(first)
    edited = plan_of(first)

    store = store_from_url()
    kept = DraftStore(store.engine).last(me)
    assert kept is not None and kept.data is not None, "the edit was kept as a draft"
    store.close()

    stranger = session(other)
    assert not [b for b in stranger.button if b.key == "draft.restore"], "only mine"

    second = session(me)
    assert plan_of(second) != edited, "not restored unasked"
    second.button(key="draft.restore").click().run()
    assert_clean(second)
    assert plan_of(second) == edited
    assert any("unsaved changes are back" in s for s in texts(second, "success"))
    assert "Unsaved changes" in " ".join(str(c.value) for c in second.sidebar.caption)

    third = session(me)
    third.button(key="draft.discard").click().run()
    assert_clean(third)
    assert plan_of(third) != edited
    fourth = session(me)
    assert not [b for b in fourth.button if b.key == "draft.restore"], "discarded for good"


def test_a_session_opens_the_plan_its_person_had_open_last(home: Path) -> None:
    me = f"browser:{secrets.token_hex(16)}"
    store = store_from_url()
    from prevplan.ui.resources import seed_sample_plan

    seed_sample_plan(store)
    mine = store.load(store.list_plans()[0].name).model_copy(update={"name": "Mine"})
    store.save(mine, author="me", base_version=None)
    theirs = mine.model_copy(update={"name": "Theirs, saved last"})
    store.save(theirs, author="someone", base_version=None)
    DraftStore(store.engine).write(me, "Mine", 1, None)
    store.close()
    assert session(me).session_state["saved_name"] == "Mine"
    newcomer = session(f"browser:{secrets.token_hex(16)}")
    assert newcomer.session_state["saved_name"] != "Theirs, saved last"


def test_plans_as_documents_new_rename_duplicate_delete_and_undo(home: Path) -> None:
    at = session(f"browser:{secrets.token_hex(16)}")
    sample = at.session_state["saved_name"]
    at.button(key="plans.new").click().run()
    assert_clean(at)
    assert plan_of(at).populations == () and at.session_state["saved_name"] is None

    at.text_input(key="save.author").input("Aigerim").run()
    at.selectbox(key="plans.chosen").set_value(sample).run()
    at.button(key="plans.duplicate").click().run()
    assert_clean(at)
    store = store_from_url()
    names = {s.name for s in store.list_plans()}
    assert f"{sample} (copy)" in names

    at.selectbox(key="plans.chosen").set_value(f"{sample} (copy)").run()
    at.text_input(key="plans.rename").input("Regional plan, East").run()
    at.button(key="plans.rename.submit").click().run()
    assert_clean(at)
    assert store.load("Regional plan, East").name == "Regional plan, East"
    assert [v.author for v in store.versions("Regional plan, East")] == ["Aigerim"]

    at.selectbox(key="plans.chosen").set_value("Regional plan, East").run()
    at.button(key="plans.delete").click().run()
    assert_clean(at)
    assert "Regional plan, East" not in {s.name for s in store.list_plans()}
    at.button(key="plans.undo_delete").click().run()
    assert_clean(at)
    assert [v.author for v in store.versions("Regional plan, East")] == ["Aigerim"]
    store.close()


def test_an_exported_json_plan_opens_as_its_own_plan(home: Path) -> None:
    from prevplan.plan.io import plan_to_json

    at = session(f"browser:{secrets.token_hex(16)}")
    exported = plan_of(at).model_copy(update={"name": "Exported plan"})
    at.file_uploader(key="plans.file").set_value(
        ("exported.json", plan_to_json(exported).encode(), "application/json")
    ).run()
    assert_clean(at)
    at.button(key="plans.file.open").click().run()
    assert_clean(at)
    assert plan_of(at) == exported
    assert at.session_state["saved_name"] is None


def test_a_population_file_is_read_forgivingly_and_its_valid_rows_can_be_added(
    home: Path,
) -> None:
    """Percentages and grouped thousands are read (and said); one bad row does not block the
    good ones; size 0 in the form is called too few, not missing."""
    at = session(f"browser:{secrets.token_hex(16)}")
    go(at, "populations")
    at.session_state["pop.upload.open"] = True
    at.run()
    lenient = (
        b"id,name,age_min,age_max,size,risk_factors.peers\n"
        b'teens-x,Teens,12,15,"12,000",45\nkids-x,Kids,6,10,12 000,20\n'
    )
    at.file_uploader(key="pop.upload").set_value(("pct.csv", lenient, "text/csv")).run()
    assert_clean(at)
    notes = " ".join(texts(at, "caption"))
    assert "look like percentages" in notes and "grouped thousands" in notes
    at.button(key="pop.upload.add").click().run()
    added = plan_of(at).population("teens-x")
    assert added is not None and added.size == 12000
    assert list(added.risk_factors.values()) == [0.45]

    broken = lenient.replace(b"teens-x", b"teens-y").replace(
        b"kids-x,Kids,6,10", b"kids-y,Kids,9,3"
    )
    at.file_uploader(key="pop.upload").set_value(("bad.csv", broken, "text/csv")).run()
    assert any("nothing was added" in e for e in texts(at, "error"))
    at.button(key="pop.upload.add_valid").click().run()
    assert_clean(at)
    assert plan_of(at).population("teens-y") is not None
    assert plan_of(at).population("kids-y") is None
