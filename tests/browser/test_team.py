"""A team on PostgreSQL, signing in with a real OpenID Connect provider, in real Chromium.

The provider is ``oidc-provider-mock`` on 127.0.0.1 with four predefined people whose group
claim gives their roles (``/prevplan/<organisation>/<role>``); the app runs with
``PREVPLAN_AUTH=oidc`` and the provider's settings in the environment only. One journey,
in order: an editor of the ministry saves a plan, edits and saves it again, and submits it;
the ministry's approver (also its admin) returns it with a comment and gives a colleague the
viewer role on the Admin page; the editor submits again; the approver approves it; the
viewer can read but not change it — the Save button, the plan's details and the
population editors are off, and the store itself refuses the viewer's save; and an NGO's
editor never sees the ministry's plan.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Request, expect

from prevplan.storage import store_from_url
from prevplan.storage.access import Identity
from prevplan.storage.errors import AccessDeniedError, PlanNotFoundError
from prevplan.storage.scoped import scoped
from tests.browser.conftest import App, Server, open_app, start_server, stop_server
from tests.storage.conftest import PostgresServer, postgres_server  # noqa: F401
from tests.support import free_port

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.slow]

# A busy machine (CI, or several test runs at once) takes seconds per page run.
WAIT = 30_000

PLAN = "Ministry of Health plan 2026"
PEOPLE = {
    "aigerim": ("Aigerim Editor", "/prevplan/Ministry of Health/editor"),
    "boris": ("Boris Approver", "/prevplan/Ministry of Health/admin"),
    "chen": ("Chen Viewer", None),
    "dana": ("Dana NGO", "/prevplan/Hope NGO/editor"),
}


def email(sub: str) -> str:
    return f"{sub}@health.example" if sub != "dana" else "dana@ngo.example"


@dataclass
class Team:
    server: Server
    provider_url: str
    database_url: str


@contextmanager
def provider(log: Path) -> Iterator[str]:
    """``oidc-provider-mock`` on a free port of 127.0.0.1 with the four people."""
    port = free_port()
    command = [sys.executable, "-m", "oidc_provider_mock", "-H", "127.0.0.1", "-p", str(port)]
    for sub, (name, group) in PEOPLE.items():
        claims = {"sub": sub, "email": email(sub), "name": name, "groups": [group] if group else []}
        command += ["--user-claims", json.dumps(claims)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/.well-known/openid-configuration", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(log.read_text(errors="replace")) from None
                time.sleep(0.1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def team(
    postgres_server: PostgresServer,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Team]:
    folder = tmp_path_factory.mktemp("prevplan-team")
    database_url = postgres_server.create_schema()
    with provider(folder / "provider.log") as provider_url:
        running = start_server(
            folder / "home",
            folder / "streamlit.log",
            {
                "PREVPLAN_AUTH": "oidc",
                "PREVPLAN_DATABASE_URL": database_url,
                "PREVPLAN_OIDC_ISSUER": provider_url,
                "PREVPLAN_OIDC_CLIENT_ID": "prevplan",
                "PREVPLAN_OIDC_CLIENT_SECRET": "client-secret-for-tests",
                "PREVPLAN_OIDC_COOKIE_SECRET": "cookie-secret-for-tests-only",
            },
        )
        try:
            yield Team(running, provider_url, database_url)
        finally:
            stop_server(running.process)


@contextmanager
def signed_in(browser: Browser, team: Team, sub: str) -> Iterator[App]:
    """A fresh browser (no cookies) in which ``sub`` signs in at the provider."""
    with open_app(browser, team.server) as app:
        # The test provider's own page asks a CDN for its style sheet: answered here with an
        # empty one, and not held against the app (whose pages are still watched).
        providers: list[str] = []

        def on_request(request: Request) -> None:
            if request.frame.url.startswith(team.provider_url):
                providers.append(request.url)

        app.page.on("request", on_request)
        app.page.route(
            "https://**/*",
            lambda route: route.fulfill(status=200, content_type="text/css", body=""),
        )
        app.page.get_by_role("button", name="Sign in").click()
        app.page.wait_for_url(team.provider_url + "/**")
        app.page.get_by_role("button", name=sub, exact=True).click()
        app.page.wait_for_url(team.server.url + "/**")
        sidebar = app.page.locator("[data-testid='stSidebar']")
        expect(sidebar).to_contain_text(PEOPLE[sub][0], timeout=30_000)
        app.idle()
        app.page.remove_listener("request", on_request)
        app.watch.outside_requests = [u for u in app.watch.outside_requests if u not in providers]
        yield app


def shows(app: App, text: str) -> None:
    """Wait until ``text`` is shown on the page."""
    expect(app.page.get_by_text(text).first).to_be_visible(timeout=WAIT)


def approval_page(app: App) -> None:
    app.open("Approval and audit")


def step(app: App, button: str, comment: str = "") -> None:
    if comment:
        # Filled, not left with Tab: the text reaches the app with the click, in one run.
        app.page.get_by_label("Comment on this step").fill(comment)
    app.click(button)


def test_editor_submits_approver_returns_then_approves_viewer_reads_ngo_sees_nothing(
    chromium_browser: Browser, team: Team
) -> None:
    # The sign-in screen: no plan, one button.
    with open_app(chromium_browser, team.server) as visitor:
        expect(visitor.page.get_by_role("button", name="Sign in")).to_be_visible(timeout=WAIT)
        assert "Current plan" not in visitor.page.inner_text("body")
        visitor.screenshot("team_sign_in")

    with signed_in(chromium_browser, team, "aigerim") as editor:
        editor.open("Plan")
        editor.page.get_by_role("tab", name="💾 Save and versions").click()
        author = editor.page.get_by_label("Your name", exact=True)
        expect(author).to_be_disabled(timeout=WAIT)
        expect(author).to_have_value("Aigerim Editor <aigerim@health.example>")
        editor.fill("Save as plan", PLAN)
        editor.click("💾 Save")
        shows(editor, f"Saved {PLAN} as version 1.")
        editor.page.get_by_text("Plan details").first.click()
        editor.page.get_by_label("Period", exact=True).fill("2026–2028")
        editor.click("Apply")
        editor.page.get_by_role("tab", name="💾 Save and versions").click()
        editor.click("💾 Save")
        shows(editor, f"Saved {PLAN} as version 2.")
        approval_page(editor)
        step(editor, "Submit for approval")
        expect(editor.page.get_by_text("Version 2 is submitted for approval.")).to_be_visible(
            timeout=WAIT
        )

        # Both stay signed in, each in their own browser, while the plan goes back and forth.
        with signed_in(chromium_browser, team, "boris") as approver:
            # The session opens the organisation's plan, not whatever anyone saved last.
            expect(approver.page.locator("[data-testid='stSidebar']")).to_contain_text(PLAN)
            approval_page(approver)
            step(approver, "Return with comments", "Check the reach of the school lessons.")
            expect(
                approver.page.get_by_text("Version 2 is returned with your comments.")
            ).to_be_visible(timeout=WAIT)
            approver.open("Admin")
            approver.fill("Person (e-mail address)", email("chen"))
            approver.page.get_by_label("Role", exact=True).first.click()
            approver.page.get_by_role("option", name="viewer").click()
            approver.idle()
            approver.click("Give the role")
            # (Addresses are shown unlinked: a word joiner follows the "@".)
            expect(approver.page.get_by_text("in Ministry of Health: viewer.")).to_be_visible(
                timeout=WAIT
            )

            editor.open("Start")
            approval_page(editor)
            expect(
                editor.page.get_by_text("Check the reach of the school lessons.").first
            ).to_be_visible(timeout=WAIT)
            step(editor, "Submit for approval", "Reach checked against the school register.")
            # The toast says it is a resubmission (the first one's text may still be on screen,
            # and Streamlit keeps an identical toast instead of showing it again); the page says
            # what the plan waits for now, and the history keeps the editor's reply.
            shows(editor, "Version 2 is submitted for approval again.")
            shows(editor, "Waiting for an approver.")
            # (The history is a data grid: its cells are drawn on a canvas, with a hidden copy
            # for assistive technology.)
            expect(
                editor.page.get_by_text("Reach checked against the school register.").first
            ).to_be_attached(timeout=WAIT)

            approver.open("Start")
            approval_page(approver)
            step(approver, "Approve", "Approved for the national programme.")
            shows(approver, "Version 2 is approved.")
            expect(approver.page.get_by_text("was approved by Boris Approver")).to_be_visible(
                timeout=WAIT
            )
            approver.page.get_by_role("tab", name="🧾 Audit log").click()
            expect(approver.page.get_by_text("Export the audit log (CSV)")).to_be_visible(
                timeout=WAIT
            )
            approver.screenshot("team_approved")

    with signed_in(chromium_browser, team, "chen") as viewer:
        expect(viewer.page.locator("[data-testid='stSidebar']")).to_contain_text(PLAN)
        viewer.open("Plan")
        viewer.page.get_by_role("tab", name="💾 Save and versions").click()
        expect(viewer.page.get_by_role("button", name="💾 Save")).to_be_disabled(timeout=WAIT)
        shows(viewer, "You are a viewer of this plan")
        # Not only saving: every editor is read-only, with the reason and whom to ask.
        viewer.page.get_by_text("Plan details").first.click()
        expect(viewer.page.get_by_label("Period", exact=True)).to_be_disabled(timeout=WAIT)
        viewer.open("Populations & recommendations")
        shows(viewer, "you can read it, not change it; an administrator of its organisation")
        expect(viewer.page.get_by_role("button", name="✏️ Edit")).to_be_disabled(timeout=WAIT)
        assert "Admin" not in viewer.page.locator("[data-testid='stSidebarNav']").inner_text()

    with signed_in(chromium_browser, team, "dana") as ngo:
        assert PLAN not in ngo.page.inner_text("body")
        approval_page(ngo)
        shows(ngo, "No plan is stored yet.")

    # The store itself, not only the page, refuses a viewer's save and hides the plan from
    # another organisation.
    with store_from_url(team.database_url) as store:
        viewer_store = scoped(store, Identity(subject=email("chen"), name="Chen Viewer"))
        plan = viewer_store.load(PLAN)
        with pytest.raises(AccessDeniedError, match="viewer"):
            viewer_store.save(plan, author="Chen", base_version=2)
        ngo_store = scoped(store, Identity(subject=email("dana"), name="Dana NGO"), "Hope NGO")
        assert ngo_store.list_plans() == []
        with pytest.raises(PlanNotFoundError):
            ngo_store.load(PLAN)
        [approved] = [s for s in viewer_store.review_history(PLAN) if s.status == "approved"]
        assert (approved.version, approved.actor) == (2, "Boris Approver <boris@health.example>")
