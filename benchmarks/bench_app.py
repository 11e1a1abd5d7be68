"""How fast the web app answers: every page's server-side rerun, and start-up to first page.

Run: ``uv run python benchmarks/bench_app.py`` (``--quick`` for fewer repeats; ``--no-browser``
to skip the start-up measurement).

Measures, with ``PREVPLAN_HOME`` in a temporary folder:

a. every page's rerun time with the sample national plan open — Streamlit's AppTest running
   the page script again, as on each click; median of several reruns after one warm-up run.
   Budget 300 ms;
b. the same with a generated plan of 1,000 target populations (and 3,000 activities) open.
   Budget 1 s;
c. the time from starting ``streamlit run streamlit_app.py`` to the first page visible in
   Chromium (its heading shown and the script finished), the browser already running.
   Budget 3 s.

Each figure is printed with its budget and PASS or OVER; the exit code is 1 if any is over.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for ``tests.browser.conftest``, ``tests.support`` (start-up)

from timing import median_of, timed, verdict  # noqa: E402

from prevplan.plan.models import Activity, Plan  # noqa: E402
from prevplan.population import TargetPopulation  # noqa: E402
from prevplan.vocab import RiskFactor, RiskGroup  # noqa: E402

APP = ROOT / "streamlit_app.py"
PAGES = (
    "start",
    "concept",
    "populations",
    "programmes",
    "plan",
    "dashboard",
    "tracker",
    "workshop",
)
SAMPLE_BUDGET_S = 0.300
LARGE_BUDGET_S = 1.0
STARTUP_BUDGET_S = 3.0

PROGRAMMES = (
    (("life_skills", "refusal_skills"), ("skills_social_influence",)),
    (("normative_education",), ("school_policy_culture",)),
    (("work_with_parents",), ("family_bonding_programmes",)),
    (("school_bonding",), ("school_climate",)),
    (("alternatives",), ("sport",)),
    (("information",), ("media_campaign",)),
    ((), ("workplace_prevention",)),
)
AGE_BANDS = ((0, 5), (6, 10), (11, 14), (15, 17), (18, 24), (25, 60))


def generated_plan(populations: int, per_population: int = 3, seed: int = 7) -> Plan:
    """A national plan of ``populations`` district populations, each with a few programmes."""
    rng = random.Random(seed)
    pops: list[TargetPopulation] = []
    acts: list[Activity] = []
    for n in range(populations):
        age_min, age_max = rng.choice(AGE_BANDS)
        size = rng.randint(500, 80_000)
        pops.append(
            TargetPopulation(
                id=f"pop-{n}",
                name=f"District {n // 6 + 1}, ages {age_min}–{age_max}",
                region=f"Region {n % 12 + 1}",
                age_min=age_min,
                age_max=age_max,
                size=size,
                risk_group=rng.choices(list(RiskGroup), weights=(6, 3, 1, 1))[0],
                risk_factors={f: round(rng.random(), 2) for f in RiskFactor if rng.random() < 0.5},
            )
        )
        for k in range(per_population):
            strategies, interventions = rng.choice(PROGRAMMES)
            acts.append(
                Activity(
                    id=f"act-{n}-{k}",
                    name=f"Programme {k + 1} in district {n // 6 + 1}",
                    population_id=f"pop-{n}",
                    strategies=strategies,
                    interventions=interventions,
                    reach=rng.randint(0, size),
                    target_reach=size,
                    cost=float(rng.randint(1_000, 500_000)),
                )
            )
    return Plan(name="Generated national plan", populations=tuple(pops), activities=tuple(acts))


def page_reruns(plan: Plan | None, repeats: int) -> dict[str, tuple[float, float]]:
    """Median rerun time of every page, with ``plan`` (or the seeded sample) open.

    Returns ``(median rerun, first visit)`` per page: the first visit also pays for what is
    cached afterwards (the assessment of the plan, the figures, first imports).
    """
    from streamlit.testing.v1 import AppTest

    from prevplan.ui.plans import fingerprint

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    if plan is not None:
        at.session_state["plan"] = plan
        at.session_state["plan_fingerprint"] = fingerprint(plan)
    out: dict[str, tuple[float, float]] = {}
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py")
        first = timed(at.run)[0]  # the warm-up: fills caches, makes first imports
        assert not at.exception, [e.value for e in at.exception]
        rerun = median_of(at.run, repeats)
        assert not at.exception, [e.value for e in at.exception]
        out[page] = (rerun, first)
    return out


def startup_to_first_page(
    home: Path, app: Path = APP, heading: str = "prevplan"
) -> tuple[float, float]:
    """Seconds from `streamlit run` to the start page visible in Chromium, and from the
    server answering its health check (start-up finished) to the page visible."""
    from playwright.sync_api import sync_playwright
    from tests.browser.conftest import (
        CHROMIUM,
        CHROMIUM_ARGS,
        VIEWPORT,
        stop_server,
        streamlit_command,
        wait_idle,
    )
    from tests.support import free_port

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport=VIEWPORT)
        port = free_port()
        env = {**os.environ, "PREVPLAN_HOME": str(home)}
        env.pop("PREVPLAN_DATABASE_URL", None)
        start = time.perf_counter()
        process = subprocess.Popen(
            streamlit_command(app, port),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=0.5) as reply:
                        if reply.read() == b"ok":
                            break
                except OSError:
                    if process.poll() is not None or time.perf_counter() - start > 60:
                        raise RuntimeError("streamlit did not start") from None
                    time.sleep(0.02)
            ready = time.perf_counter()
            while True:
                try:
                    page.goto(url, timeout=200)
                    break
                except Exception:
                    if process.poll() is not None or time.perf_counter() - start > 60:
                        raise RuntimeError("streamlit did not start") from None
                    time.sleep(0.02)
            page.locator("h1", has_text=heading).first.wait_for(state="visible", timeout=60_000)
            wait_idle(page, settle_s=0.0)
            end = time.perf_counter()
            return end - start, end - ready
        finally:
            stop_server(process)
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--no-browser", action="store_true", help="skip the start-up timing")
    args = parser.parse_args()
    repeats = 3 if args.quick else 7
    over = False
    with tempfile.TemporaryDirectory() as folder:
        os.environ["PREVPLAN_HOME"] = str(Path(folder) / "reruns")
        os.environ.pop("PREVPLAN_DATABASE_URL", None)
        print(f"a. page rerun, sample plan open (median of {repeats}; budget 300 ms)")
        for page, (seconds, first) in page_reruns(None, repeats).items():
            over |= seconds > SAMPLE_BUDGET_S
            print(
                f"   {page:<12} {seconds * 1000:7.1f} ms  {verdict(seconds <= SAMPLE_BUDGET_S)}"
                f"   (first visit {first * 1000:.0f} ms)"
            )

        large = generated_plan(1_000)
        print(
            f"b. page rerun, {len(large.populations):,} populations and "
            f"{len(large.activities):,} activities open (median of {repeats}; budget 1 s)"
        )
        for page, (seconds, first) in page_reruns(large, repeats).items():
            over |= seconds > LARGE_BUDGET_S
            print(
                f"   {page:<12} {seconds * 1000:7.1f} ms  {verdict(seconds <= LARGE_BUDGET_S)}"
                f"   (first visit {first * 1000:.0f} ms)"
            )

        if args.no_browser:
            print("c. start-up to first page: skipped (--no-browser)")
        elif not Path("/usr/bin/chromium").exists():
            print("c. start-up to first page: skipped (no /usr/bin/chromium)")
        else:
            pairs = [startup_to_first_page(Path(folder) / f"start{n}") for n in range(3)]
            runs = [whole for whole, _ in pairs]
            after_ready = statistics.median(part for _, part in pairs)
            seconds = statistics.median(runs)
            over |= after_ready > STARTUP_BUDGET_S
            shown = ", ".join(f"{r:.2f}" for r in runs)
            print(
                "c. first page visible in Chromium after the server finished start-up "
                "(health check answers; median of 3; budget 3 s)\n"
                f"   {after_ready:7.2f} s  {verdict(after_ready <= STARTUP_BUDGET_S)}\n"
                f"   whole `streamlit run` to first page: {seconds:.2f} s (runs: {shown} s)"
            )
            # The same for a one-line Streamlit app: what this machine needs before any of
            # prevplan's own work, to read the figure above against.
            empty = Path(folder) / "empty"
            empty.mkdir()
            (empty / "streamlit_app.py").write_text(
                'import streamlit as st\n\nst.title("prevplan")\n', encoding="utf-8"
            )
            floor = statistics.median(
                startup_to_first_page(Path(folder) / f"floor{n}", empty / "streamlit_app.py")[0]
                for n in range(3)
            )
            print(
                f"   for reference, an empty Streamlit app on this machine: {floor:.2f} s; "
                f"prevplan's own share: {seconds - floor:.2f} s"
            )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
