"""A hostile workbook uploaded in one session while a second session keeps answering under 1 s.

Issue #19: the app serves every session from one process, and a 405-byte YAML once froze
them all for 40 s. Uploads are now read in worker processes (prevplan.ui.upload_worker).
Here session A uploads the heaviest workbook the limits let through — 12,000 activities, a
tenth of them naming an unknown population: seconds of parsing, then 1,200 problems — and,
while A waits for its answer, session B reruns its page again and again; every rerun must
finish within 1 s, and A must still get its answer.
"""

from __future__ import annotations

import re
import statistics
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import App, open_app
from tests.hostile.inputs_corpus import heavy_inventory

pytestmark = pytest.mark.browser

RERUN_SECONDS = 1.0
ANSWER = re.compile(r"The inventory has \d+ problems?; nothing was imported")

_WATCH_STATE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__runs = [];
  // Every transition is kept, with the state it left: a quick run changes the attribute
  // twice before the observer's callback runs, and reading the attribute there would see
  // only the last state.
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) window.__runs.push([now, 'left:' + r.oldValue]);
    window.__runs.push([now, app.getAttribute('data-test-script-state')]);
  }).observe(app, {attributes: true, attributeOldValue: true,
                   attributeFilter: ['data-test-script-state']});
}"""

# A run has finished once the attribute has left "running" (seen directly, or as the state a
# transition left) and is "notRunning" afterwards. When the server is busy its messages can
# reach the browser together and React draws "running" and "finished" in one render, so the
# attribute never changes: then the run counts as finished once the new page's title is drawn
# and the script is not running. Either way the answer is the time it was first seen.
_RUN_FINISHED = """(heading) => {
  const r = window.__runs;
  const i = r.findIndex(s => s[1] === 'running' || s[1] === 'left:running');
  if (i >= 0 && r.slice(i).some(s => s[1] === 'notRunning')) return performance.now();
  const app = document.querySelector("[data-testid='stApp']");
  const titles = [...document.querySelectorAll('h1')].map(h => h.textContent);
  if (app && app.getAttribute('data-test-script-state') === 'notRunning'
      && titles.some(t => t.includes(heading))
      && !titles.some(t => t.includes(window.__leftHeading))) return performance.now();
  return false;
}"""

_PAGES = (("Start", "🧭 prevplan"), ("Program of Actions tracker", "✅ Program of Actions tracker"))


def rerun_seconds(page: Page, option: int) -> float:
    """Open the ``option``-th page of the sidebar (0: Start, 1: Program of Actions tracker)
    and time it from the click until the page's script has finished."""
    title, heading = _PAGES[option]
    left_heading = _PAGES[1 - option][1]
    link = page.locator("[data-testid='stSidebarNav'] a", has_text=title).first
    page.evaluate("(h) => { window.__runs = []; window.__leftHeading = h; }", left_heading)
    start = page.evaluate("() => performance.now()")
    link.click()
    end = page.wait_for_function(_RUN_FINISHED, arg=heading, timeout=30_000).json_value()
    return float(end - start) / 1000


def test_a_hostile_workbook_in_one_session_does_not_stall_another(
    app: App, chromium_browser: object, tmp_path: Path
) -> None:
    workbook = tmp_path / "heavy_inventory.xlsx"
    workbook.write_bytes(heavy_inventory())

    app.open("Plan")
    app.page.get_by_role("tab", name="📥 Import an NGO inventory").click()
    uploader = app.page.locator("[data-testid='stFileUploaderDropzoneInput']").first

    with open_app(chromium_browser, app.server) as other:  # type: ignore[arg-type]
        other.page.evaluate(_WATCH_STATE)
        quiet = HealthProbe(app.server.url)
        with quiet:
            before = [rerun_seconds(other.page, (n + 1) % 2) for n in range(4)]

        health = HealthProbe(app.server.url)
        uploader.set_input_files(str(workbook))
        started = time.monotonic()
        during: list[float] = []
        with health:
            while time.monotonic() - started < 4 and app.page.get_by_text(ANSWER).count() == 0:
                during.append(rerun_seconds(other.page, (len(during) + 1) % 2))
            still_busy = app.page.get_by_text(ANSWER).count() == 0
        app.page.get_by_text(ANSWER).wait_for(timeout=60_000)

    usual = statistics.median(before[1:])  # the first opens a cold page
    print(
        f"session B page reruns: before A's upload {before} (usual {usual:.2f} s), during it "
        f"{during}; server health answers: slowest {max(quiet.seconds):.3f} s before, "
        f"{max(health.seconds, default=0):.3f} s during ({len(health.seconds)} answers)"
    )
    assert during, "session A answered before session B could rerun once"
    assert still_busy, "session A answered within 4 s: the workbook was not heavy enough"
    # A's upload adds under 1 s to B's reruns and to the server's answers, compared with the
    # same measures just before it (on a quiet machine those take well under a second; on a
    # shared one they vary with its load, which the comparison takes out).
    assert max(during) < usual + RERUN_SECONDS, (during, before)
    assert max(health.seconds) < max(quiet.seconds) + RERUN_SECONDS, (health.seconds, quiet.seconds)


class HealthProbe:
    """Asks the server's health endpoint every 0.1 s, in a thread, and keeps each latency."""

    def __init__(self, url: str) -> None:
        self.url = url + "/_stcore/health"
        self.seconds: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            start = time.monotonic()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    response.read()
            except OSError:
                pass
            self.seconds.append(time.monotonic() - start)
            self._stop.wait(0.1)
