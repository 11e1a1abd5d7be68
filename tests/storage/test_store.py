"""The plan store keeps every version of a plan, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from prevplan.plan.models import Activity, Plan, TrackerEntry
from prevplan.population import TargetPopulation
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.storage import (
    ConflictError,
    FieldChange,
    PlanNotFoundError,
    PlanStore,
    SqlPlanStore,
    store_from_url,
)
from prevplan.vocab import RiskFactor
from tests.storage.conftest import make_plan


def test_a_saved_plan_loads_back_equal(store: SqlPlanStore, plan: Plan) -> None:
    info = store.save(plan, author="aigerim", comment="first draft", base_version=None)
    assert info.version == 1
    assert store.load(plan.name) == plan
    assert store.load(plan.name, 1) == plan


def test_the_store_is_a_plan_store(store: SqlPlanStore) -> None:
    """The app and the CLI can depend on the small interface, not on SQL."""
    as_interface: PlanStore = store
    assert as_interface.list_plans() == []


def test_every_save_is_a_new_version_with_author_time_and_comment(
    store: SqlPlanStore, plan: Plan
) -> None:
    before = datetime.now(UTC)
    first = store.save(plan, author="aigerim", comment="first draft", base_version=None)
    edited = plan.model_copy(update={"period": "2026–2028"})
    second = store.save(edited, author="bolat", comment="longer period", base_version=1)
    third = store.save(edited, author="aigerim", base_version=2)
    after = datetime.now(UTC)

    assert [first.version, second.version, third.version] == [1, 2, 3]
    assert store.versions(plan.name) == [first, second, third]
    assert [(v.author, v.comment) for v in store.versions(plan.name)] == [
        ("aigerim", "first draft"),
        ("bolat", "longer period"),
        ("aigerim", ""),
    ]
    for version in store.versions(plan.name):
        assert version.created_at.tzinfo == UTC
        assert before <= version.created_at <= after
        assert (version.population_count, version.activity_count) == (3, 3)
    assert first.created_at <= second.created_at <= third.created_at


def test_an_old_version_opens_as_it_was(store: SqlPlanStore, plan: Plan) -> None:
    store.save(plan, author="a", base_version=None)
    smaller = plan.model_copy(
        update={"populations": plan.populations[:2], "activities": plan.activities[:2]}
    )
    store.save(smaller, author="b", base_version=1)
    assert store.load(plan.name) == smaller
    assert store.load(plan.name, 1) == plan
    assert store.load(plan.name, 2) == smaller


def test_the_plan_list_shows_each_plans_latest_version(store: SqlPlanStore, plan: Plan) -> None:
    store.save(plan, author="a", base_version=None)
    store.save(
        plan.model_copy(update={"activities": plan.activities[:1], "description": "narrower"}),
        author="b",
        base_version=1,
    )
    other = make_plan("Almaty workplace plan")
    store.save(other, author="c", base_version=None)

    summaries = store.list_plans()
    assert [s.name for s in summaries] == sorted([plan.name, other.name])
    latest = next(s for s in summaries if s.name == plan.name)
    assert (latest.latest_version, latest.author) == (2, "b")
    assert (latest.population_count, latest.activity_count) == (3, 1)
    assert latest.description == "narrower"
    assert latest.updated_at == store.versions(plan.name)[-1].created_at
    assert latest.created_at <= latest.updated_at


def test_restoring_an_old_version_adds_a_new_version_equal_to_it(
    store: SqlPlanStore, plan: Plan
) -> None:
    store.save(plan, author="a", base_version=None)
    store.save(plan.model_copy(update={"tracker": ()}), author="b", base_version=1)
    restored = store.restore(plan.name, 1, author="c")
    assert restored.version == 3
    assert restored.author == "c"
    assert "1" in restored.comment
    assert store.load(plan.name) == plan
    assert [v.version for v in store.versions(plan.name)] == [1, 2, 3]
    assert store.diff(plan.name, 1, 3).is_empty


def test_diff_names_what_was_added_removed_and_edited(store: SqlPlanStore, plan: Plan) -> None:
    store.save(plan, author="a", base_version=None)
    pupils, parents, _students = plan.populations
    lessons, parent_evenings, _leaflets = plan.activities
    edited = plan.model_copy(
        update={
            "description": "Only schools and families",
            "populations": (
                pupils.model_copy(update={"size": 900}),
                parents.model_copy(update={"risk_factors": {RiskFactor.FAMILY: 0.35}}),
                TargetPopulation(id="teachers", age_min=22, age_max=65, size=60),
            ),
            "activities": (
                lessons.model_copy(
                    update={"reach": 750, "strategies": ("life_skills", "work_with_parents")}
                ),
                parent_evenings,
                Activity(
                    id="teacher-training",
                    population_id="teachers",
                    interventions=("school_policy_culture",),
                ),
            ),
            "tracker": (TrackerEntry(action_item="V-3.5", status="done", note="started"),),
        }
    )
    store.save(edited, author="b", base_version=1)

    diff = store.diff(plan.name, 1, 2)
    assert (diff.old_version, diff.new_version) == (1, 2)
    assert diff.metadata == (
        FieldChange(field="description", old=plan.description, new="Only schools and families"),
    )
    assert diff.populations.added == ("teachers",)
    assert diff.populations.removed == ("students",)
    assert {e.id: e.changes for e in diff.populations.edited} == {
        "pupils": (FieldChange(field="size", old=800, new=900),),
        "parents": (FieldChange(field="risk_factors.family", old=0.2, new=0.35),),
    }
    assert diff.activities.added == ("teacher-training",)
    assert diff.activities.removed == ("leaflets",)
    assert {e.id: e.changes for e in diff.activities.edited} == {
        "lessons": (
            FieldChange(
                field="strategies", old=["life_skills"], new=["life_skills", "work_with_parents"]
            ),
            FieldChange(field="reach", old=600, new=750),
        )
    }
    assert [(e.id, e.changes) for e in diff.tracker.edited] == [
        ("V-3.5", (FieldChange(field="status", old="in_progress", new="done"),))
    ]
    assert store.diff(plan.name, 2, 2).is_empty


def test_a_second_editor_from_the_same_version_gets_a_conflict(
    store: SqlPlanStore, plan: Plan
) -> None:
    store.save(plan, author="a", base_version=None)
    opened_by_a = store.load(plan.name)
    opened_by_b = store.load(plan.name)
    edit_a = opened_by_a.model_copy(update={"period": "2026–2030"})
    edit_b = opened_by_b.model_copy(update={"region": "Astana"})
    edit_b_before = edit_b.model_copy(deep=True)
    store.save(edit_a, author="a", comment="longer", base_version=1)

    with pytest.raises(ConflictError) as caught:
        store.save(edit_b, author="b", comment="moved", base_version=1)

    conflict = caught.value
    assert conflict.latest is not None
    assert (conflict.latest.version, conflict.latest.author) == (2, "a")
    assert conflict.base_version == 1
    assert "version 2" in str(conflict)
    assert edit_b == edit_b_before  # the editor keeps their changes
    assert [v.version for v in store.versions(plan.name)] == [1, 2]
    assert store.load(plan.name) == edit_a
    # Having seen version 2, the second editor may save on top of it.
    assert store.save(edit_b, author="b", base_version=2).version == 3


def test_a_new_plan_may_not_take_an_existing_name(store: SqlPlanStore, plan: Plan) -> None:
    store.save(plan, author="a", base_version=None)
    with pytest.raises(ConflictError, match="already exists") as caught:
        store.save(plan, author="b", base_version=None)
    assert caught.value.latest is not None
    assert caught.value.latest.version == 1


def test_saving_onto_a_deleted_plan_is_a_conflict(store: SqlPlanStore, plan: Plan) -> None:
    store.save(plan, author="a", base_version=None)
    store.delete(plan.name)
    with pytest.raises(ConflictError, match="deleted") as caught:
        store.save(plan, author="b", base_version=1)
    assert caught.value.latest is None


def test_delete_removes_the_plan_and_its_versions(store: SqlPlanStore, plan: Plan) -> None:
    other = make_plan("Other plan")
    store.save(plan, author="a", base_version=None)
    store.save(plan, author="a", base_version=1)
    store.save(other, author="a", base_version=None)
    store.delete(plan.name)
    assert [s.name for s in store.list_plans()] == ["Other plan"]
    with pytest.raises(PlanNotFoundError):
        store.load(plan.name)
    with pytest.raises(PlanNotFoundError):
        store.delete(plan.name)
    # The name is free again and starts at version 1.
    assert store.save(plan, author="a", base_version=None).version == 1


def test_missing_plans_and_versions_are_reported(store: SqlPlanStore, plan: Plan) -> None:
    store.save(plan, author="a", base_version=None)
    with pytest.raises(PlanNotFoundError, match="no plan 'nope'"):
        store.versions("nope")
    with pytest.raises(PlanNotFoundError, match="version 7"):
        store.load(plan.name, 7)
    with pytest.raises(PlanNotFoundError):
        store.restore(plan.name, 7, author="a")
    with pytest.raises(PlanNotFoundError):
        store.diff(plan.name, 1, 7)


def test_an_invalid_plan_is_refused_and_nothing_is_written(store: SqlPlanStore, plan: Plan) -> None:
    orphan = Activity(id="orphan", population_id="nobody", strategies=("no_such_strategy",))
    broken = plan.model_copy(update={"activities": (*plan.activities, orphan)})
    with pytest.raises(ProblemsError) as caught:
        store.save(broken, author="a", base_version=None)
    fields = {problem.field for problem in caught.value.problems}
    assert {"population_id", "strategies"} <= fields
    assert store.list_plans() == []


def test_clause_references_are_stored_as_rule_ids(
    store: SqlPlanStore, plan: Plan, rules: RuleSet
) -> None:
    clause = rules.strategies["life_skills"].clause
    by_clause = plan.model_copy(
        update={
            "activities": (
                plan.activities[0].model_copy(update={"strategies": (clause,)}),
                *plan.activities[1:],
            )
        }
    )
    store.save(by_clause, author="a", base_version=None)
    assert store.load(plan.name) == plan


def test_a_save_needs_an_author(store: SqlPlanStore, plan: Plan) -> None:
    with pytest.raises(ValueError, match="author"):
        store.save(plan, author="  ", base_version=None)


def test_the_default_database_is_a_file_in_prevplan_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan: Plan, rules: RuleSet
) -> None:
    home = tmp_path / "not" / "yet" / "there"
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("PREVPLAN_HOME", str(home))
    with store_from_url(rules=rules) as store:
        store.save(plan, author="a", base_version=None)
        assert str(home / "prevplan.db") in store.location
    assert (home / "prevplan.db").is_file()


def test_the_database_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, plan: Plan, rules: RuleSet
) -> None:
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PREVPLAN_DATABASE_URL", f"sqlite:///{tmp_path / 'team.db'}")
    with store_from_url(rules=rules) as store:
        store.save(plan, author="a", base_version=None)
    assert (tmp_path / "team.db").is_file()
    assert not (tmp_path / "home").exists()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path, rules: RuleSet) -> None:
    with (
        store_from_url(f"sqlite:///{tmp_path / 'p.db'}", rules=rules) as store,
        store._engine.connect() as conn,
    ):
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert (conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) >= 1000
