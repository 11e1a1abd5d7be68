"""Separate processes saving the same plan at once, or dying half-way through a save.

Each saver is a real process (``save_worker.py``), so SQLite's file locks and PostgreSQL's
row locks are exercised as in production, not a lock inside one Python process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from prevplan.plan.models import Plan
from prevplan.storage import SqlPlanStore

WORKER = Path(__file__).with_name("save_worker.py")
TIMEOUT = 60


def start(spec: dict[str, Any]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def result(worker: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = worker.communicate(timeout=TIMEOUT)
    assert worker.returncode == 0, err
    parsed: dict[str, Any] = json.loads(out)
    return parsed


def wait_for(paths: list[Path], workers: list[subprocess.Popen[str]]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not all(p.exists() for p in paths):
        for worker in workers:
            if worker.poll() is not None:
                raise AssertionError(f"worker ended early: {worker.communicate()}")
        assert time.monotonic() < deadline, "workers did not get ready"
        time.sleep(0.01)


def release(tmp_path: Path, specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Start the workers, let them all get ready, then let them go at the same moment.

    Each worker is told where to signal that it is ready and which file to wait for.
    """
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(len(specs))]
    workers = [
        start({**spec, "ready": str(path), "go": str(go)})
        for spec, path in zip(specs, ready, strict=True)
    ]
    try:
        wait_for(ready, workers)
        go.touch()
        return [result(worker) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
            if worker.stdout is not None and not worker.stdout.closed:
                worker.communicate()  # closes the pipes of a worker that failed


def test_of_savers_from_the_same_version_exactly_one_wins(
    store: SqlPlanStore, database_url: str, plan: Plan, tmp_path: Path
) -> None:
    store.save(plan, author="first", base_version=None)
    specs = [
        {
            "url": database_url,
            "name": plan.name,
            "author": f"editor-{n}",
            "mode": "once",
            "base": 1,
            "pause": 0.3,
        }
        for n in range(3)
    ]
    results = release(tmp_path, specs)

    assert sorted(r.get("saved", 0) for r in results) == [0, 0, 2]
    assert [r["conflict"] for r in results if "conflict" in r] == [2, 2]
    versions = store.versions(plan.name)
    assert [v.version for v in versions] == [1, 2]
    winner = next(spec["author"] for spec, r in zip(specs, results, strict=True) if "saved" in r)
    assert versions[-1].author == winner
    assert store.load(plan.name).description == f"edit 0 by {winner}"


def test_of_processes_creating_the_same_new_plan_exactly_one_wins(
    store: SqlPlanStore, database_url: str, plan: Plan, tmp_path: Path
) -> None:
    store.save(plan, author="first", base_version=None)
    specs = [
        {
            "url": database_url,
            "name": "Brand new plan",
            "source": plan.name,
            "author": f"editor-{n}",
            "mode": "once",
            "base": None,
            "pause": 0.3,
        }
        for n in range(2)
    ]
    results = release(tmp_path, specs)

    assert sorted(r.get("saved", 0) for r in results) == [0, 1]
    assert [r["conflict"] for r in results if "conflict" in r] == [1]
    assert [v.version for v in store.versions("Brand new plan")] == [1]


def test_savers_that_retry_leave_versions_without_gaps_or_duplicates(
    store: SqlPlanStore, database_url: str, plan: Plan, tmp_path: Path
) -> None:
    store.save(plan, author="first", base_version=None)
    saves = 4
    specs = [
        {
            "url": database_url,
            "name": plan.name,
            "author": f"editor-{n}",
            "mode": "retry",
            "saves": saves,
        }
        for n in range(3)
    ]
    results = release(tmp_path, specs)

    claimed = sorted(v for r in results for v in r["saved"])
    expected = list(range(2, 2 + saves * len(specs)))
    assert claimed == expected
    versions = store.versions(plan.name)
    assert [v.version for v in versions] == [1, *expected]
    by_author = {spec["author"]: r["saved"] for spec, r in zip(specs, results, strict=True)}
    for version in versions[1:]:
        assert version.version in by_author[version.author]


def test_a_save_killed_mid_transaction_leaves_the_previous_version_intact(
    store: SqlPlanStore, database_url: str, plan: Plan, tmp_path: Path
) -> None:
    store.save(plan, author="first", base_version=None)
    paused = tmp_path / "paused"
    worker = start(
        {
            "url": database_url,
            "name": plan.name,
            "author": "doomed",
            "mode": "stall",
            "base": 1,
            "paused": str(paused),
        }
    )
    try:
        wait_for([paused], [worker])  # the new version is written, not committed
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.communicate(timeout=TIMEOUT)
    assert worker.returncode == -signal.SIGKILL

    assert [v.version for v in store.versions(plan.name)] == [1]
    assert store.load(plan.name) == plan
    survivor = plan.model_copy(update={"description": "after the crash"})
    assert store.save(survivor, author="second", base_version=1).version == 2
    assert store.load(plan.name) == survivor
    if database_url.startswith("sqlite"):
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
