"""A separate process that saves a plan, for the concurrency and crash tests.

Usage: ``python save_worker.py SPEC_JSON``. The spec names the database ``url``, the plan
``name``, the ``author``, and the ``mode``:

- ``once``: load the plan at ``base`` (or the latest ``source`` plan, to save it as the new
  plan ``name`` when ``base`` is null), touch ``ready``, wait for ``go`` to exist, then save
  an edited copy from ``base`` (pausing ``pause`` seconds inside the transaction, so that
  the other savers surely arrive while it holds the lock). Prints ``{"saved": N}`` or
  ``{"conflict": N}``.
- ``retry``: touch ``ready``, wait for ``go``, then make ``saves`` saves, each from the
  latest version, loading again and retrying after every conflict. Prints
  ``{"saved": [N, ...], "conflicts": K}``.
- ``stall``: save from ``base``, and inside the transaction, after writing, touch
  ``paused`` and sleep until killed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from prevplan.plan.models import Plan
from prevplan.storage import ConflictError, SqlPlanStore, store_from_url
from prevplan.storage.database import create_storage_engine


class PausingStore(SqlPlanStore):
    """A store that waits inside each save's transaction, after writing, before commit."""

    def __init__(self, url: str, pause: float, paused: Path | None) -> None:
        super().__init__(create_storage_engine(url))
        self.pause = pause
        self.paused = paused

    def _before_commit(self, conn: Connection) -> None:
        if self.paused is not None:
            self.paused.touch()
        time.sleep(self.pause)


def wait_for(path: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {path}")
        time.sleep(0.001)


def edited(plan: Plan, author: str, n: int) -> Plan:
    return plan.model_copy(update={"description": f"edit {n} by {author}"})


def main(spec: dict[str, Any]) -> dict[str, Any]:
    store_from_url(spec["url"]).close()  # the schema is current before anyone races
    paused = Path(spec["paused"]) if spec.get("paused") else None
    store = PausingStore(spec["url"], spec.get("pause", 0.0), paused)
    name, author = spec["name"], spec["author"]
    if spec["mode"] == "stall":
        plan = store.load(name, spec["base"])
        store.pause = 3600
        store.save(edited(plan, author, 0), author=author, base_version=spec["base"])
        return {"error": "the stalled save was not killed"}
    if spec["mode"] == "once":
        # A new plan (``base`` null) is made by copying ``source`` under the new name.
        plan = store.load(spec.get("source", name), spec["base"])
        plan = plan.model_copy(update={"name": name})
        Path(spec["ready"]).touch()
        wait_for(Path(spec["go"]))
        try:
            info = store.save(edited(plan, author, 0), author=author, base_version=spec["base"])
        except ConflictError as err:
            assert err.latest is not None
            return {"conflict": err.latest.version}
        return {"saved": info.version}
    Path(spec["ready"]).touch()
    wait_for(Path(spec["go"]))
    saved: list[int] = []
    conflicts = 0
    while len(saved) < spec["saves"]:
        latest = store.versions(name)[-1].version
        plan = store.load(name, latest)
        try:
            info = store.save(edited(plan, author, len(saved)), author=author, base_version=latest)
        except ConflictError:
            conflicts += 1
            continue
        saved.append(info.version)
    return {"saved": saved, "conflicts": conflicts}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))), flush=True)
