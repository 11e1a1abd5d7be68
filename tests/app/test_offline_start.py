"""A session begun while the database is down (#18): it says so, keeps the person's work
(in the tab, then as a draft once the database is back) and, on saving, offers "a new plan"
or "the next version" of the stored sample with a comparison instead of a bare conflict.

A real PostgreSQL server is stopped and started again under the running app.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from prevplan.plan.models import Plan
from prevplan.storage import DraftStore, store_from_url
from prevplan.ui import resources, workspace
from tests.app.helpers import APP, assert_clean, go, texts
from tests.storage.conftest import _postgres_bin
from tests.support import free_port, unavailable

pytestmark = pytest.mark.postgres


@dataclass
class Server:
    """A PostgreSQL cluster of this test's own, which the test stops and starts."""

    data: Path
    log: Path
    port: int
    prefix: list[str]
    pg_ctl: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/prevplan?connect_timeout=2"

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.data.parent} -c fsync=off"
        )
        subprocess.run(
            [
                *self.prefix,
                *(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w"),
                *("-t", "30", "-o", options, "start"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def stop(self) -> None:
        subprocess.run(
            [*self.prefix, self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"],
            check=True,
            capture_output=True,
            timeout=60,
        )


@pytest.fixture
def server() -> Iterator[Server]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        unavailable("no PostgreSQL server binaries", "PostgreSQL tests cannot run under CI=true")
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="prevplan-offline-"))
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    subprocess.run(
        [
            *prefix,
            *(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"),
            *("-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    running = Server(data, root / "server.log", free_port(), prefix, str(bin_dir / "pg_ctl"))
    running.start()
    with psycopg.connect(
        host="127.0.0.1", port=running.port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute("CREATE DATABASE prevplan")
    try:
        yield running
    finally:
        subprocess.run(
            [*prefix, running.pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def session(owner: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state[workspace.OWNER] = owner
    at.run()
    assert_clean(at)
    return at


def plan_of(at: AppTest) -> Plan:
    found = at.session_state["plan"]
    assert isinstance(found, Plan)
    return found


def test_a_session_begun_without_the_database_is_honest_and_saves_without_a_conflict(
    server: Server, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREVPLAN_DATABASE_URL", server.url)
    monkeypatch.setattr(resources, "RETRY_AFTER_S", 0.0)
    first = session(f"browser:{secrets.token_hex(16)}")  # seeds the sample into the database
    sample = first.session_state["saved_name"]
    assert sample is not None

    server.stop()
    me = f"browser:{secrets.token_hex(16)}"
    offline = session(me)
    said = " ".join(texts(offline, "warning"))
    assert "database cannot be reached" in said and "from its file" in said
    assert offline.session_state["saved_name"] is None
    go(offline, "populations")
    offline.button(key="pop.delete").click().run()
    assert_clean(offline)
    edited = plan_of(offline)
    sidebar = " ".join(str(c.value) for c in offline.sidebar.caption)
    assert "only in this browser tab" in sidebar
    assert [b for b in offline.get("download_button") if "JSON" in str(b.proto.label)]

    server.start()
    offline.run()  # the next run after the database is back keeps the work as a draft
    assert_clean(offline)
    store = store_from_url(server.url)
    kept = DraftStore(store.engine).last(me)
    assert kept is not None and kept.data is not None, "kept as a draft once back"
    offline.run()  # the sidebar (drawn before the page) tells it from the next run on
    sidebar = " ".join(str(c.value) for c in offline.sidebar.caption)
    assert "only in this browser tab" not in sidebar

    go(offline, "plan")
    offline.session_state["plan.tab"] = "💾 Save and versions"
    offline.run()
    offline.text_input(key="save.author").input("Aigerim")
    offline.button(key="save.submit").click().run()
    assert_clean(offline)
    assert not any("Not saved" in w for w in texts(offline, "warning")), "no bare conflict"
    assert any("already stored" in i for i in texts(offline, "info"))
    choice = " ".join(str(c.value) for c in offline.caption)
    assert "could not be reached" in choice, "says why it is not the stored plan"
    removed = {p.name or p.id for p in plan_of(first).populations} - {
        p.name or p.id for p in edited.populations
    }
    assert any(
        any(name in frame.value.to_string() for name in removed) for frame in offline.dataframe
    ), "what differs is shown, by name"
    assert offline.button(key="save.as_new") is not None
    offline.button(key="save.as_next").click().run()
    assert_clean(offline)
    assert any("as version 2" in s for s in texts(offline, "success"))
    assert store.load(sample) == edited.model_copy(update={"name": sample})
    assert [v.version for v in store.versions(sample)] == [1, 2]
    store.close()
