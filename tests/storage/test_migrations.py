"""A database written by an older prevplan is upgraded when opened, its plans intact."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from prevplan.plan.io import plan_to_data
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet
from prevplan.storage import StorageError, store_from_url
from prevplan.storage.database import create_storage_engine
from prevplan.storage.migrate import HEAD_REVISION, current_revision, head_revision, upgrade
from prevplan.storage.schema import UTCDateTime, metadata

# The tables as revision 0001 made them: what an older prevplan wrote into.
plans_0001 = sa.table(
    "plans",
    sa.column("id", sa.Integer),
    sa.column("name", sa.Text),
    sa.column("created_at", UTCDateTime),
)
versions_0001 = sa.table(
    "plan_versions",
    sa.column("plan_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("author", sa.Text),
    sa.column("comment", sa.Text),
    sa.column("created_at", UTCDateTime),
    sa.column("population_count", sa.Integer),
    sa.column("activity_count", sa.Integer),
    sa.column("data", sa.Text),
)


def test_a_database_at_revision_0001_is_upgraded_and_its_plan_loads_intact(
    database_url: str, plan: Plan, rules: RuleSet
) -> None:
    engine = create_storage_engine(database_url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(sa.insert(plans_0001).values(id=1, name=plan.name, created_at=now))
        conn.execute(
            sa.insert(versions_0001).values(
                plan_id=1,
                version=1,
                author="old prevplan",
                comment="saved before 0002",
                created_at=now,
                population_count=len(plan.populations),
                activity_count=len(plan.activities),
                data=json.dumps(plan_to_data(plan)),
            )
        )
    engine.dispose()

    with store_from_url(database_url, rules=rules) as store:
        assert current_revision(store._engine) == head_revision() == "0006"
        assert store.load(plan.name) == plan
        [summary] = store.list_plans()
        assert summary.description == plan.description  # filled in by migration 0002
        assert (summary.latest_version, summary.author) == (1, "old prevplan")
        # Filled in by migration 0003: the lessons say how they are delivered.
        assert [v.described_count for v in store.versions(plan.name)] == [1]
        assert store.save(plan, author="new prevplan", base_version=1).version == 2


def test_the_migrations_build_exactly_the_tables_the_code_uses(database_url: str) -> None:
    with store_from_url(database_url) as store, store._engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_opening_an_up_to_date_database_again_changes_nothing(
    database_url: str, plan: Plan, rules: RuleSet
) -> None:
    with store_from_url(database_url, rules=rules) as store:
        store.save(plan, author="a", base_version=None)
    with store_from_url(database_url, rules=rules) as store:
        assert store.load(plan.name) == plan


def test_a_database_from_a_newer_prevplan_is_refused_clearly(database_url: str) -> None:
    with store_from_url(database_url) as store, store._engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(StorageError, match=r"0999.*newer prevplan"):
        store_from_url(database_url)


def test_head_revision_constant_matches_the_migrations() -> None:
    """The constant that lets an up-to-date database open without Alembic is current."""
    assert head_revision() == HEAD_REVISION
