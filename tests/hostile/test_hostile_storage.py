"""Hostile storage: damaged versions, backups that hold every save, private files, outages
and database URLs that must not leak a password.

SQLite cases run everywhere; PostgreSQL cases use a real server started here from the
Debian binaries (skipped without them, failing under ``CI=true``).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from prevplan.rules import RuleSet
from prevplan.storage import DamagedVersionError, SqlPlanStore, StorageError, store_from_url
from prevplan.storage.database import create_storage_engine, redact
from prevplan.storage.migrate import upgrade
from tests.hostile.harden_support import assert_refused, run_prevplan
from tests.storage.conftest import _postgres_bin, make_plan
from tests.support import free_port, sqlite_file, unavailable

PASSWORD = "Pl@4nner-secret"


def _versions(store: SqlPlanStore, name: str, count: int) -> None:
    plan = make_plan(name)
    base = None
    for n in range(count):
        base = store.save(
            plan.model_copy(update={"description": f"v{n + 1}"}), author="a", base_version=base
        ).version


def _damage(path: Path, version: int, data: str) -> None:
    with sqlite_file(path) as conn:
        conn.execute("UPDATE plan_versions SET data = ? WHERE version = ?", (data, version))


# --- damaged stored versions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ('{"name":', "not valid JSON"),
        ("[1, 2]", "not a plan"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"name": "x", "populations": [{"id": "p", "size": "many"}]}', "size"),
    ],
    ids=["truncated", "not-an-object", "deep", "invalid"],
)
def test_a_damaged_version_is_quarantined_and_the_previous_one_offered(
    data: str, reason: str, tmp_path: Path, rules: RuleSet
) -> None:
    path = tmp_path / "plans.db"
    with store_from_url(f"sqlite:///{path}", rules=rules) as store:
        _versions(store, "Plan", 3)
    _damage(path, 3, data)
    with store_from_url(f"sqlite:///{path}", rules=rules) as store:
        with pytest.raises(DamagedVersionError) as caught:
            store.load("Plan")
        assert caught.value.version == 3 and caught.value.previous == 2
        message = str(caught.value)
        assert reason in message and "version 2 is the latest that opens" in message
        assert len(message) < 1000, "the message never quotes the damaged data"
        opened = store.load_latest_valid("Plan")
        assert opened.version == 2 and opened.plan.description == "v2"
        assert [err.version for err in opened.skipped] == [3]
        if reason != "size":  # a diff compares stored data, valid plans or not
            with pytest.raises(DamagedVersionError):
                store.diff("Plan", 2, 3)
        # Saving on top of the damaged version is a new version; the damaged one stays.
        info = store.save(opened.plan, author="b", base_version=3)
        assert info.version == 4 and store.load("Plan").description == "v2"


def test_the_export_command_says_a_stored_version_is_damaged(
    tmp_path: Path, rules: RuleSet
) -> None:
    home = tmp_path / "home"
    with store_from_url(f"sqlite:///{home / 'prevplan.db'}", rules=rules) as store:
        _versions(store, "Plan", 2)
    _damage(home / "prevplan.db", 2, '{"name":')
    run = run_prevplan(
        "export", "Plan", "--output", str(tmp_path / "x.json"), env={"PREVPLAN_HOME": str(home)}
    )
    assert run.code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "version 2 of plan 'Plan' cannot be opened" in run.stderr
    assert "version 1 is the latest that opens" in run.stderr


def test_a_damaged_version_does_not_block_the_first_migration(
    tmp_path: Path, rules: RuleSet
) -> None:
    """A database at revision 0001 with one damaged row upgrades; the row is quarantined."""
    path = tmp_path / "old.db"
    engine = create_storage_engine(f"sqlite:///{path}")
    upgrade(engine, "0001")
    plan_data = json.dumps({"name": "Old", "description": "kept"})
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO plans (id, name, created_at) VALUES (1, 'Old', '2026-01-01')")
        )
        for version, data in ((1, plan_data), (2, '{"name": "Old", "desc')):
            conn.execute(
                text(
                    "INSERT INTO plan_versions (plan_id, version, author, comment, created_at, "
                    "population_count, activity_count, data) "
                    "VALUES (1, :v, 'a', '', '2026-01-01', 0, 0, :d)"
                ),
                {"v": version, "d": data},
            )
    engine.dispose()
    with store_from_url(f"sqlite:///{path}", rules=rules) as store:
        assert [p.name for p in store.list_plans()] == ["Old"]
        opened = store.load_latest_valid("Old")
        assert opened.version == 1 and opened.plan.description == "kept"


# --- files: private, checkpointed, backed up ----------------------------------------------


def test_the_database_and_its_folder_are_private(tmp_path: Path, rules: RuleSet) -> None:
    home = tmp_path / "new" / "home"
    with store_from_url(f"sqlite:///{home / 'prevplan.db'}", rules=rules) as store:
        _versions(store, "Plan", 1)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for name in ("prevplan.db", "prevplan.db-wal", "prevplan.db-shm"):
        found = home / name
        if found.exists():
            assert stat.S_IMODE(found.stat().st_mode) == 0o600, name


def test_the_database_file_alone_holds_every_save(tmp_path: Path, rules: RuleSet) -> None:
    """Copying prevplan.db (not its -wal) while the app runs, and after it closed."""
    path = tmp_path / "plans.db"
    store = store_from_url(f"sqlite:///{path}", rules=rules)
    try:
        _versions(store, "Plan", 20)
        while_open = tmp_path / "while-open.db"
        shutil.copy(path, while_open)  # the database file alone, as a user would copy it
        with sqlite_file(while_open) as conn:
            assert conn.execute("SELECT count(*) FROM plan_versions").fetchone() == (20,)
    finally:
        store.close()
    assert (
        not (tmp_path / "plans.db-wal").exists() or (tmp_path / "plans.db-wal").stat().st_size == 0
    )
    after = tmp_path / "after-close.db"
    shutil.copy(path, after)
    with sqlite_file(after) as conn:
        assert conn.execute("SELECT count(*) FROM plan_versions").fetchone() == (20,)


def test_backup_while_the_app_keeps_the_store_open(tmp_path: Path, rules: RuleSet) -> None:
    """Saves still in the write-ahead log are in the backup; the copy stands alone."""
    home = tmp_path / "home"
    store = store_from_url(f"sqlite:///{home / 'prevplan.db'}", rules=rules)
    try:
        _versions(store, "Plan", 12)
        _versions(store, "Другой план", 3)
        assert (home / "prevplan.db-wal").stat().st_size > 0, "saves are in the log"
        target = tmp_path / "backups" / "plans-2026-12-07.db"
        target.parent.mkdir()
        env = {"PREVPLAN_HOME": str(home)}
        run = run_prevplan("backup", str(target), env=env)
        assert run.code == 0, run.stderr
        assert "Backed up 2 plans (15 versions)" in run.stdout.decode()
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert sorted(p.name for p in target.parent.iterdir()) == [target.name]
        with sqlite_file(target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("SELECT count(*) FROM plan_versions").fetchone() == (15,)
        # Restored (copied over an empty home), it opens with every version.
        restored = tmp_path / "restored"
        restored.mkdir()
        shutil.copy(target, restored / "prevplan.db")
        with store_from_url(f"sqlite:///{restored / 'prevplan.db'}", rules=rules) as copy:
            assert copy.load("Plan").description == "v12"
        # An existing file is kept unless --force; the database itself is refused.
        again = run_prevplan("backup", str(target), env=env)
        assert_refused(again, "exists; give --force")
        assert run_prevplan("backup", str(target), "--force", env=env).code == 0
        itself = run_prevplan("backup", str(home / "prevplan.db"), "--force", env=env)
        assert_refused(itself, "is the database itself")
    finally:
        store.close()


def test_backup_without_any_saved_plan_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    run = run_prevplan("backup", str(tmp_path / "b.db"), env={"PREVPLAN_HOME": str(home)})
    assert_refused(run, "nothing to back up")
    assert not home.exists() and not (tmp_path / "b.db").exists()


# --- database URLs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url :pw@", "invalid database URL"),
        ("postgresql://u:pw@h:notaport/db", "invalid database URL"),
        (f"postgresql+psycopg://planner:{PASSWORD}@127.0.0.1:1/db", "contains '@'"),
        ("mysql://planner:pw@127.0.0.1/db", "unsupported database"),
        (f"postgresql+psycopg://planner:{PASSWORD.replace('@', '%40')}@127.0.0.1:1/db", "cannot"),
    ],
    ids=["unparseable", "bad-port", "at-in-password", "mysql", "refused"],
)
def test_a_bad_database_url_is_one_line_without_the_password(
    url: str, said: str, tmp_path: Path
) -> None:
    for args in (
        ["export", "nosuchplan", "--output", str(tmp_path / "x.json")],
        ["backup", str(tmp_path / "b.db")],
    ):
        run = run_prevplan(*args, env={"PREVPLAN_DATABASE_URL": url})
        assert run.code == 2, run.stderr
        assert "Traceback" not in run.stderr
        assert said in run.stderr or (args[0] == "backup" and "pg_dump" in run.stderr)
        for secret in ("pw", "4nner", "secret", "Pl@4"):
            assert f":{secret}" not in run.stderr and secret + "@" not in run.stderr
        assert "secret" not in run.stderr and "4nner" not in run.stderr


def test_redact_hides_a_password_with_an_at_sign() -> None:
    assert (
        redact(f"postgresql://planner:{PASSWORD}@db:5432/p") == "postgresql://planner:***@db:5432/p"
    )
    assert redact("postgresql://planner@db/p") == "postgresql://planner@db/p"
    assert redact("not a url :pw@") == "***"


# --- PostgreSQL: backup advice and an outage ----------------------------------------------


@dataclass
class Postgres:
    """A PostgreSQL server of this test's own, which the test stops and starts."""

    bin_dir: Path
    root: Path
    port: int
    prefix: list[str]

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, *args: str) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off"
        )
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data")]
        command += ["-l", str(self.root / "log"), "-w", "-t", "30", "-o", options, *args]
        subprocess.run([*self.prefix, *command], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        self.ctl("start")

    def stop(self) -> None:
        self.ctl("-m", "immediate", "stop")


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        unavailable("no PostgreSQL binaries", "PostgreSQL tests cannot run under CI=true")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="prevplan-pg-outage-"))
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    subprocess.run(
        [
            *(*prefix, str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "postgres"),
            *("-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = Postgres(bin_dir, root, free_port(), prefix)
    server.start()
    try:
        yield server
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.postgres
def test_backup_of_postgresql_says_to_use_pg_dump(postgres: Postgres, tmp_path: Path) -> None:
    run = run_prevplan(
        "backup", str(tmp_path / "b.db"), env={"PREVPLAN_DATABASE_URL": postgres.url}
    )
    assert_refused(run, "pg_dump", "pg_restore")


@pytest.mark.postgres
def test_an_open_store_saves_again_after_the_server_restarts(
    postgres: Postgres, rules: RuleSet
) -> None:
    store = store_from_url(postgres.url, rules=rules)
    try:
        _versions(store, "Plan", 1)
        postgres.stop()
        with pytest.raises(StorageError) as caught:
            store.save(make_plan("Plan"), author="a", base_version=1)
        assert "\n" not in str(caught.value)
        postgres.start()
        assert store.save(make_plan("Plan"), author="a", base_version=1).version == 2
    finally:
        store.close()
