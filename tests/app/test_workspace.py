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
