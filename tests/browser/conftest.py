"""A real app in a real browser: `streamlit run` on a free port, driven by Debian's Chromium.

The server runs with ``PREVPLAN_HOME`` in a temporary folder, so it starts as on a fresh
machine (the sample plan seeded on first start). Chromium is Debian's ``/usr/bin/chromium``
(``playwright install`` downloads a browser and cannot work offline). Without it the tests
skip on a developer's machine, and fail under ``CI=true``.

Every page the tests open records the browser console and every request: a test fails on a
console error or on a request to any host other than 127.0.0.1 (the app must work offline
and send nothing anywhere).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, sync_playwright

from tests.support import free_port, unavailable

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 1800}
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
STARTUP_TIMEOUT_S = 60


def require_chromium() -> None:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (Debian package 'chromium')"
        unavailable(message, message + "; CI must run the browser tests")


@dataclass
class Server:
    url: str
    home: Path
    process: subprocess.Popen[bytes]
    log: Path


def streamlit_command(app: str | Path, port: int) -> list[str]:
    """`streamlit run app` on 127.0.0.1:``port``, headless, sending no usage statistics."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def start_server(
    home: Path, log: Path, env_extra: dict[str, str] | None = None, port: int | None = None
) -> Server:
    """`streamlit run streamlit_app.py` on a free port; returns once /_stcore/health is ok.

    ``env_extra`` adds environment variables (a database URL, sign-in settings).
    """
    port = port or free_port()
    env = {**os.environ, "PREVPLAN_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    env.pop("PREVPLAN_DATABASE_URL", None)
    env.pop("PREVPLAN_AUTH", None)
    env.update(env_extra or {})
    with log.open("wb") as out:
        process = subprocess.Popen(
            streamlit_command("streamlit_app.py", port),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
                if response.read().strip() == b"ok":
                    return Server(url, home, process, log)
        except OSError:
            time.sleep(0.1)
    stop_server(process)
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text(errors='replace')}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    require_chromium()
    folder = tmp_path_factory.mktemp("prevplan-app")
    running = start_server(folder / "home", folder / "streamlit.log")
    try:
        yield running
    finally:
        stop_server(running.process)


def launch_chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole test session (the ``chromium_browser`` fixture
    in tests/conftest.py): Playwright's sync API runs one event loop, so every browser test,
    wherever it lives, shares this one."""
    require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


# Opened at a page's own address (``/concept``), Streamlit's frontend first looks for its
# server under that path (``/concept/_stcore/health``, ``…/host-config``), gets 404 and then
# uses the root: streamlit/streamlit#7074. Those two 404s are Streamlit's, not the app's.
PROBE = re.compile(r"^/[^/]+/_stcore/(health|host-config)$")
NOT_FOUND = "Failed to load resource: the server responded with a status of 404 (Not Found)"


@dataclass
class Watch:
    """What a page did that a test must not allow: console errors, requests off this host."""

    console_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    probes: int = 0
    """Streamlit's own 404s when a page is opened at its address (see ``PROBE``)."""

    def unexpected_console_errors(self) -> list[str]:
        errors = list(self.console_errors)
        for _probe in range(self.probes):
            if NOT_FOUND in errors:
                errors.remove(NOT_FOUND)
        return errors


@dataclass
class App:
    """One user's browser tab on the app, with the things the journeys do often."""

    page: Page
    server: Server
    watch: Watch

    def idle(self) -> None:
        wait_idle(self.page)

    def open(self, title: str) -> None:
        """Open a page from the sidebar, as a user does, and wait until its heading shows.

        Streamlit folds a long page list after ten entries ("View N more"); a user unfolds it
        to reach the pages below."""
        link = self.page.locator("[data-testid='stSidebarNav'] a", has_text=title).first
        more = self.page.locator("[data-testid='stSidebarNavViewButton']", has_text="more")
        if not link.is_visible() and more.count():
            more.first.click()
        link.click()
        heading = "prevplan" if title == "Start" else title
        self.page.locator("h1", has_text=heading).first.wait_for(state="visible")
        self.idle()

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name).first.click()
        self.idle()

    def fill(self, label: str, value: str) -> None:
        field = self.page.get_by_label(label, exact=True).first
        field.fill(value)
        field.press("Tab")
        self.idle()

    def metric(self, label: str) -> str:
        box = self.page.locator("[data-testid='stMetric']", has_text=label).first
        return str(box.locator("[data-testid='stMetricValue']").inner_text())

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@contextmanager
def open_app(
    chromium_browser: Browser, server: Server, path: str = "", locale: str | None = None
) -> Iterator[App]:
    """A fresh browser tab (its own session) on ``server.url + path``.

    ``locale`` is the browser's language (``ru-RU``), as a user's browser would send it.
    Fails on a browser console error or a request to a host other than 127.0.0.1.
    """
    options: dict[str, Any] = {"viewport": VIEWPORT, "accept_downloads": True}
    if locale is not None:
        options["locale"] = locale
    context = chromium_browser.new_context(**options)
    tab = context.new_page()
    watch = Watch()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console_errors.append(message.text)

    def on_request(request: Request) -> None:
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if urlparse(request.url).hostname != "127.0.0.1":
            watch.outside_requests.append(request.url)

    def on_response(response: Response) -> None:
        if response.status == 404 and PROBE.search(urlparse(response.url).path):
            watch.probes += 1

    tab.on("console", on_console)
    tab.on("request", on_request)
    tab.on("response", on_response)
    tab.set_default_timeout(30_000)
    tab.goto(server.url + path)
    wait_idle(tab)
    try:
        yield App(tab, server, watch)
    finally:
        context.close()
    assert watch.outside_requests == [], "requests to other hosts"
    assert watch.unexpected_console_errors() == [], "browser console errors"


@pytest.fixture
def app(chromium_browser: Browser, server: Server) -> Iterator[App]:
    """A fresh browser tab (its own session) on the app's start page."""
    with open_app(chromium_browser, server) as opened:
        yield opened


def wait_idle(tab: Page, settle_s: float = 0.3, timeout_s: float = 30) -> None:
    """Wait until the app's script has finished running and stayed finished a moment."""
    tab.wait_for_selector("[data-testid='stApp']")
    deadline = time.monotonic() + timeout_s
    calm_since: float | None = None
    while time.monotonic() < deadline:
        state = tab.evaluate(
            "() => document.querySelector(\"[data-testid='stApp']\")"
            "?.getAttribute('data-test-script-state')"
        )
        now = time.monotonic()
        if state == "notRunning":
            calm_since = calm_since or now
            if now - calm_since >= settle_s:
                return
        else:
            calm_since = None
        time.sleep(0.05)
    raise TimeoutError("the app kept running")
