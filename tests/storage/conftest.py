"""Fixtures for the plan store: the same tests run on SQLite and on a real PostgreSQL.

The PostgreSQL server is started once per test session from the Debian package's binaries
(``/usr/lib/postgresql/<version>/bin``) in a temporary data folder, listening only on
127.0.0.1 on a free port with trust authentication, and stopped at the end. PostgreSQL
refuses to run as root, so as root the server runs as the ``postgres`` user. Each test gets
a database (on PostgreSQL, a schema) of its own. Without the binaries the PostgreSQL tests
are skipped, except under ``CI=true``, where they fail: CI must test the real thing.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest

from prevplan.plan.models import Activity, Plan, TrackerEntry
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.storage import SqlPlanStore, store_from_url
from tests.support import free_port, unavailable

PG_ROOT = Path("/usr/lib/postgresql")


def make_plan(name: str = "План для молодёжи 2026") -> Plan:
    """A small plan: three populations, three activities, one tracked Annex V item."""
    return Plan(
        name=name,
        country="Kazakhstan",
        region="Almaty",
        period="2026–2027",
        description="Школьная и семейная профилактика",
        populations=(
            TargetPopulation(id="pupils", name="Pupils 12–14", age_min=12, age_max=14, size=800),
            TargetPopulation(
                id="parents",
                age_min=30,
                age_max=55,
                size=500,
                risk_factors={"family": 0.2},
            ),
            TargetPopulation(id="students", age_min=17, age_max=22, size=1200),
        ),
        activities=(
            Activity(
                id="lessons",
                name="Life skills lessons",
                population_id="pupils",
                strategies=("life_skills",),
                interventions=("skills_social_influence",),
                reach=600,
                cost=1500.0,
                format="interactive",
                sessions=12,
                boosters=3,
                deliverers_trained=True,
            ),
            Activity(
                id="parent-evenings",
                population_id="parents",
                strategies=("work_with_parents",),
                reach=200,
            ),
            Activity(
                id="leaflets",
                population_id="students",
                strategies=("information",),
                interventions=("school_policy_culture",),
                reach=1000,
                action_items=("V-3.5",),
            ),
        ),
        tracker=(TrackerEntry(action_item="V-3.5", status="in_progress", note="started"),),
    )


@pytest.fixture
def plan() -> Plan:
    return make_plan()


# ---------------------------------------------------------------------------- PostgreSQL


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL server on 127.0.0.1 with one database for the tests."""

    port: int
    user: str = "postgres"
    database: str = "prevplan_test"
    _names: Iterator[int] = field(default_factory=itertools.count)

    def connect(self, dbname: str | None = None) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=self.user,
            dbname=dbname or self.database,
            autocommit=True,
        )

    def create_schema(self) -> str:
        """A new empty schema, first on the search path of the URL returned.

        Tests get a schema each rather than a database each: creating a database takes
        about 0.3 s, a schema a few milliseconds, and the tables behave the same.
        """
        schema = f"test_{next(self._names)}"
        with self.connect() as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        return (
            f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{self.database}"
            f"?options=-csearch_path%3D{schema}"
        )


def _postgres_bin() -> Path | None:
    candidates = sorted(
        (p for p in PG_ROOT.glob("*/bin") if (p / "pg_ctl").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return candidates[-1] if candidates else None


def _unavailable(reason: str) -> NoReturn:
    unavailable(reason, f"PostgreSQL tests cannot run under CI=true: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        _unavailable(
            f"no PostgreSQL server binaries under {PG_ROOT}/*/bin; "
            "install the Debian package 'postgresql'"
        )
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        _unavailable("PostgreSQL refuses to run as root and 'runuser' is missing")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="prevplan-pg-"))
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    data, log = root / "data", root / "server.log"

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            server_log = log.read_text() if log.exists() else ""
            pytest.fail(
                f"{' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}{server_log}",
                pytrace=False,
            )

    run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
        "--no-instructions",
    )
    port = free_port()
    options = " ".join(
        (
            "-c listen_addresses=127.0.0.1",
            f"-c port={port}",
            f"-c unix_socket_directories={root}",
            # Test data need not survive a power cut; the crash test kills clients only.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        )
    )
    pg_ctl = str(bin_dir / "pg_ctl")
    run(pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "30", "-o", options, "start")
    try:
        server = PostgresServer(port=port)
        with server.connect("postgres") as conn:
            conn.execute(f'CREATE DATABASE "{server.database}"')
        yield server
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------- stores


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, then a schema of its own in PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'plans.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_schema()


@pytest.fixture
def store(database_url: str, rules: RuleSet) -> Iterator[SqlPlanStore]:
    with store_from_url(database_url, rules=rules) as opened:
        yield opened
