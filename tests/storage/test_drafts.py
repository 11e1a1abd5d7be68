"""Drafts per person and plan, and plans renamed or deleted with undo, on SQLite and
PostgreSQL (the tables of migration 0006 and the plan store's own)."""

from __future__ import annotations

import pytest

from prevplan.plan.models import Plan
from prevplan.storage import DraftStore, SqlPlanStore, StorageError
from prevplan.storage.documents import put_back, rename_plan, take_out


def test_a_draft_is_kept_per_person_and_plan_and_replaced_not_piled_up(
    store: SqlPlanStore,
) -> None:
    drafts = DraftStore(store.engine)
    assert drafts.last("browser:a") is None
    drafts.write("browser:a", "Plan A", 1, '{"name": "Plan A"}')
    drafts.write("browser:a", "", None, '{"name": "New"}')
    drafts.write("browser:b", "Plan A", 2, '{"name": "theirs"}')
    last = drafts.last("browser:a")
    assert last is not None and last.plan_key == "" and last.saved_name is None
    drafts.write("browser:a", "Plan A", 1, None)  # saved: no unsaved changes, opened last
    last = drafts.last("browser:a")
    assert last is not None and last.saved_name == "Plan A" and last.data is None
    theirs = drafts.get("browser:b", "Plan A")
    assert theirs is not None and theirs.data == '{"name": "theirs"}'
    drafts.forget_plan("Plan A")
    assert drafts.get("browser:b", "Plan A") is None


def test_a_renamed_plan_keeps_its_history_and_a_deleted_one_comes_back_whole(
    store: SqlPlanStore, plan: Plan
) -> None:
    store.save(plan, author="Aigerim", comment="first", base_version=None)
    second = plan.model_copy(update={"description": "changed"})
    store.save(second, author="Li Wei", comment="second", base_version=1)
    DraftStore(store.engine).write("browser:a", plan.name, 2, None)

    rename_plan(store.engine, plan.name, "Renamed plan")
    assert [v.author for v in store.versions("Renamed plan")] == ["Aigerim", "Li Wei"]
    assert store.load("Renamed plan", 1).name == "Renamed plan"
    assert DraftStore(store.engine).last("browser:a").saved_name == "Renamed plan"  # type: ignore[union-attr]
    store.save(store.load("Renamed plan"), author="Aigerim", base_version=2)  # saves go on

    before = store.versions("Renamed plan")
    history = take_out(store.engine, "Renamed plan")
    assert "Renamed plan" not in {s.name for s in store.list_plans()}
    put_back(store.engine, history)
    assert store.versions("Renamed plan") == before
    with pytest.raises(StorageError):
        put_back(store.engine, history)  # its name is taken now: nothing is overwritten
    with pytest.raises(StorageError):
        rename_plan(store.engine, "Renamed plan", "Renamed plan")
