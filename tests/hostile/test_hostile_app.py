"""Hostile app: what a saved plan or a database outage can do to the pages.

- A damaged or no-longer-valid latest version must not break a page: it is set aside with a
  message and the newest version that opens is shown.
- An unexpected error shows a short message and a reference; the details (traceback, data)
  go to the server log only.
- PostgreSQL down when the app starts: once it is back, a new session saves, without
  restarting the app.
- In a real browser, user text that looks like Markdown or HTML is shown literally and
  makes the browser fetch nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from streamlit.testing.v1 import AppTest

from prevplan.plan.models import Activity, Plan
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.storage import store_from_url
from prevplan.ui import resources
from prevplan.ui.errors import UNEXPECTED
from tests.app.helpers import APP, PAGES, assert_clean, go, texts
from tests.hostile.test_hostile_storage import Postgres, postgres  # noqa: F401 - fixture
from tests.support import sqlite_file

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HOSTILE = (
    "![x](https://evil.example/x.png) "
    '<a href="https://evil.example/plotly">link</a> '
    "https://evil.example/auto [click](https://evil.example/md) **bold** $x^2$"
)


RECONNECT_BUDGET_S = 60
"""A new session saves within this long of the server's return: the app retries every
``RETRY_AFTER_S`` (5 s); each page run of a test session takes seconds on a loaded machine."""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path))
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("PREVPLAN_LANG", raising=False)
    resources.clear_store_cache()
    yield tmp_path
    resources.clear_store_cache()


def hostile_plan(description: str = "") -> Plan:
    return Plan(
        name="Plan " + HOSTILE,
        description=description,
        populations=(
            TargetPopulation(id="p1", name=HOSTILE, age_min=12, age_max=17, size=1000),
            TargetPopulation(id="p2", name="Uncovered " + HOSTILE, age_min=18, age_max=24, size=50),
        ),
        activities=(
            Activity(
                id="a1",
                name="Leaflets " + HOSTILE,
                population_id="p1",
                strategies=("information",),
                reach=900,
                action_items=("V-3.5",),
            ),
        ),
    )


def save_versions(home: Path, rules: RuleSet, count: int) -> str:
    plan = hostile_plan()
    with store_from_url(f"sqlite:///{home / 'prevplan.db'}", rules=rules) as store:
        base = None
        for n in range(count):
            changed = plan.model_copy(update={"description": f"v{n + 1}"})
            base = store.save(changed, author="a", base_version=base).version
    return plan.name


# --- a saved version cannot poison a page -------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ['{"name": "cut', '{"name": "x", "populations": [{"id": "p", "age_min": 1}]}'],
    ids=["damaged-json", "fails-validation"],
)
def test_a_damaged_latest_version_is_set_aside_on_every_page(
    damage: str, home: Path, rules: RuleSet
) -> None:
    name = save_versions(home, rules, 2)
    with sqlite_file(home / "prevplan.db") as conn:
        conn.execute("UPDATE plan_versions SET data = ? WHERE version = 2", (damage,))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert_clean(at)
    plan = at.session_state["plan"]
    assert isinstance(plan, Plan) and plan.description == "v1"
    warned = " ".join(texts(at, "warning"))
    assert "Version 2 of plan" in warned and "cannot be opened" in warned
    assert "Version 1, the latest that opens, is shown instead" in warned
    assert at.session_state["saved_name"] == name and at.session_state["base_version"] == 2
    for page in PAGES:
        go(at, page)


# --- the error boundary -------------------------------------------------------------------


def test_an_unexpected_error_shows_a_reference_and_logs_the_details(
    home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert_clean(at)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("internal detail /srv/secret/path")

    monkeypatch.setattr(resources, "assessment", broken)
    caplog.set_level(logging.ERROR, logger="prevplan.app")
    at.switch_page("app_pages/dashboard.py").run()
    shown = texts(at, "error")
    assert any(UNEXPECTED in message for message in shown), shown
    reference = next(word for m in shown for word in m.split() if word.startswith("E-"))
    reference = reference.rstrip(".")
    page_text = " ".join(
        str(e.value) for kind in ("error", "markdown", "caption", "code") for e in getattr(at, kind)
    )
    assert "secret" not in page_text and "Traceback" not in page_text
    assert not at.code, "no traceback block for the visitor"
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info is not None, "the details are in the server log"


# --- PostgreSQL down at start-up ----------------------------------------------------------


@pytest.mark.postgres
def test_saving_works_in_a_new_session_once_postgresql_is_back(
    postgres: Postgres,  # noqa: F811 - the fixture imported above
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app starts while the server is down; the server comes back; a new session — not
    a restarted app — can save within seconds."""
    monkeypatch.setenv("PREVPLAN_DATABASE_URL", postgres.url)
    resources.clear_store_cache()
    postgres.stop()
    first = AppTest.from_file(str(APP), default_timeout=60)
    first.run()
    go(first, "plan")
    assert any("Plans cannot be saved right now" in w for w in texts(first, "warning"))

    postgres.start()
    back = time.monotonic()
    while True:
        session = AppTest.from_file(str(APP), default_timeout=60)
        session.run()
        go(session, "plan")
        if not any("cannot be saved" in w for w in texts(session, "warning")):
            break
        assert time.monotonic() - back < RECONNECT_BUDGET_S, "never reconnected"
        time.sleep(0.5)
    reconnected = time.monotonic() - back
    # A session that began while the server was still down opened the sample from its file
    # (not the stored plan), so its save would rightly conflict: a fresh one saves.
    session = AppTest.from_file(str(APP), default_timeout=60)
    session.run()
    go(session, "plan")
    session.session_state["plan.tab"] = "💾 Save and versions"  # only the open tab is drawn
    session.run()
    session.text_input(key="save.author").input("Planner")
    session.button(key="save.submit").click().run()
    assert_clean(session)
    said = [*texts(session, "success"), *texts(session, "warning"), *texts(session, "error")]
    assert any("Saved" in s and "as version" in s for s in said), said
    print(f"saving again {reconnected:.1f} s after PostgreSQL was back")
    assert reconnected < RECONNECT_BUDGET_S


# --- in a real browser: plain text, nothing fetched -----------------------------------------


@pytest.mark.browser
def test_markdown_and_html_in_names_are_shown_literally_and_fetch_nothing(
    tmp_path: Path, rules: RuleSet, chromium_browser: Browser
) -> None:
    from tests.browser.conftest import open_app, start_server, stop_server

    home = tmp_path / "home"
    save_versions(home, rules, 1)
    server = start_server(home, tmp_path / "streamlit.log")
    try:
        browser = chromium_browser
        for path, action in (
            ("/", None),
            ("/populations", None),
            ("/dashboard", "Warnings"),
            ("/tracker", None),
            ("/plan", None),
        ):
            # open_app fails on any request to a host other than 127.0.0.1.
            with open_app(browser, server, path) as app:
                page = app.page
                if action:
                    page.get_by_text(action).first.click()
                    app.idle()
                body = page.locator("body").inner_text().replace("\u2060", "")
                assert "evil.example" in body, f"{path}: the name is not shown"
                # Headings' own "#…" anchors are the page's; any other link or image
                # made from a name is not.
                links = page.eval_on_selector_all(
                    "a[href*='evil']:not([href^='#']), img[src*='evil']",
                    "nodes => nodes.length",
                )
                svg_links = page.eval_on_selector_all(
                    "svg a", "nodes => nodes.map(n => n.getAttribute('href'))"
                )
                assert links == 0, f"{path}: a link or image from a name"
                assert not [h for h in svg_links if h and "evil" in h], path
                if path == "/dashboard":
                    assert "![x](https://evil.example/x.png)" in body
                assert app.watch.outside_requests == []
    finally:
        stop_server(server.process)
