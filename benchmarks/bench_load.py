"""A team on one server: N planners at once in real browsers, against SQLite and PostgreSQL.

Run: ``uv run python benchmarks/bench_load.py`` (``--quick``: N = 1 and 5, SQLite only;
``--sizes 1,5,10,20``, ``--browser-sizes 1,5``, ``--databases sqlite,postgresql`` to
choose).

One ``streamlit run streamlit_app.py`` on 127.0.0.1 (the sample plan seeded on first start)
and one headless Chromium (``/usr/bin/chromium``) with a browser context per planner. For
PostgreSQL a throw-away server is started from the Debian binaries on 127.0.0.1 (as in
``tests/storage/conftest.py``) and stopped at the end. The server's CPU is read from its own
process (``/proc/<pid>/stat``: user + system time of all its threads), never from the
browser's, and the export worker's separately. Measured, per database:

a. **a new session's server CPU** — a planner opens the app in a browser that has visited
   it before (a reload, a new tab, a link: the browser keeps Streamlit's scripts, which are
   served as immutable), while a colleague's session stays open; the mean of several.
   Budget 150 ms. Beside it, for information, the first visit of a browser that has never
   seen the app (it also downloads Streamlit's ~3 MB of scripts and fonts);
b. **N planners at once, the server alone** (N = 1, 5, 10, 20): each planner is a client
   that speaks Streamlit's own websocket messages, as the browser does, but draws nothing:
   it arrives (one every :data:`ARRIVAL_S`), asks for the first page and then every page
   in turn with a pause of :data:`THINK_S` (3 s) between clicks, and times each from its
   request until the server says the script has finished. This is the server's answer
   time, free of the browsers' own work on the same two cores;
c. **N planners at once in Chromium** (N = 1, 5, 10, 20): the same journey from the
   sidebar in a browser context per planner (each has visited the app before), plus one
   edit (the plan's region, on the Plan page). Printed: first page and page switch p50/p95
   (from the click until the page's script has finished and its heading is shown), the
   edit's p50, the server's CPU per page view, the page views per second and how busy the
   server was (share of one core: Python runs one thread at a time, so one app process
   cannot use much more than one core). Budget at N = 20, for b and c: page switch p95
   under 1 s, first page p95 under 3 s;
d. **a page switch while another planner exports the PDF report**: one session presses
   "PDF report" on the dashboard while another switches pages until the download arrives,
   in Chromium and, at the same time, as a protocol client (the server's answer alone).
   Budget: every switch under 1 s. Also printed: the CPU the app's process spent meanwhile
   (the report itself is made in the export worker, whose CPU is printed beside it);
e. **a page switch while another planner runs optimisations**: the same, while one session
   on the Budget page solves six budgets in turn (in the optimiser's worker);
f. **a page switch while another planner imports a survey**: the same, while one session
   uploads a national school survey (the sample's ≈3,200 pupils × 30) on the Monitoring page
   and waits for its estimates (read in an upload worker).

p. (``--per-page ROUNDS``, first) **what each page costs the browser**: one planner goes
   through every page ROUNDS times; Chromium's CPU per view of each page (and of a new tab),
   with the tab's main-thread time as Chromium accounts it (DevTools ``Performance``).

With ``--server URL`` the benchmark drives a server already running (here or on another
machine) instead of starting one; the server's CPU is then read only when that server is a
Streamlit process on this machine (see ``--help``).

Phase c's pause between a planner's actions is ``--think`` seconds (default 3: harsher than
people who read each page); Chromium's own CPU per page view is printed beside the
server's, which never includes it. See ``--help`` for how to run it on a shared machine.

Every figure is printed with the load average of the machine: on a shared machine the
wall-clock figures include waiting for other people's processes (and the browser's own
work, on the same cores); the CPU figures do not. Bounded: every wait has a timeout, each
phase is one pass, and the server, the browser and PostgreSQL are stopped at the end,
whatever happens. Exit code 1 if a budget is over.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from socket import getaddrinfo, gethostname

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # for ``tests.browser.conftest``, ``tests.support``

from playwright.async_api import Browser, BrowserContext, Page, async_playwright  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    stop_server,
    streamlit_command,
)
from tests.support import free_port  # noqa: E402
from timing import verdict  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.typing import Origin, Subprotocol  # noqa: E402

# (sidebar title, the page's heading), in the sidebar's order.
PAGES: tuple[tuple[str, str], ...] = (
    ("Start", "🧭 prevplan"),
    ("Concept explorer", "📖 Concept explorer"),
    ("Populations & recommendations", "👥 Populations & recommendations"),
    ("Programme catalogue", "📚 Programme catalogue"),
    ("Plan", "📝 Plan"),
    ("Coverage dashboard", "📊 Coverage dashboard"),
    ("Budget", "💰 Budget"),
    ("Program of Actions tracker", "✅ Program of Actions tracker"),
    ("Workshop exercise", "🎓 Workshop exercise"),
)
SIZES = (1, 5, 10, 20)
THINK_S = 3.0
"""A planner's pause between clicks: a glance at each page (real planners read for longer)."""
ARRIVAL_S = 0.25
"""Planners arrive one every this many seconds."""
NEW_SESSIONS = 8
NEW_SESSION_BUDGET_S = 0.150
SWITCH_BUDGET_S = 1.0
FIRST_PAGE_BUDGET_S = 3.0
WORK_SWITCH_BUDGET_S = 1.0
VIEWPORT = {"width": 1280, "height": 800}
"""A laptop's screen: every browser context draws in software on the same cores."""
TIMEOUT_MS = 120_000
PHASE_TIMEOUT_S = 600.0
TICK = os.sysconf("SC_CLK_TCK")
PG_ROOT = Path("/usr/lib/postgresql")

IDLE_JS = (
    "(heading) => document.querySelector(\"[data-testid='stApp']\")"
    "?.getAttribute('data-test-script-state') === 'notRunning'"
    " && (heading === null || document.querySelector('h1')?.textContent.trim() === heading)"
)


WAIT_JS = (
    "([heading, timeout]) => new Promise((resolve, reject) => {"
    f" const idle = () => ({IDLE_JS})(heading);"
    " if (idle()) { resolve(true); return; }"
    " const watch = new MutationObserver(() => {"
    "   if (idle()) { watch.disconnect(); clearTimeout(timer); resolve(true); } });"
    " watch.observe(document, {subtree: true, childList: true, attributes: true,"
    "   characterData: true});"
    " const timer = setTimeout(() => { watch.disconnect();"
    "   reject(new Error('the page did not finish within ' + timeout + ' ms')); }, timeout);"
    "})"
)
"""Waits in the page until :data:`IDLE_JS` holds, checked when the page changes (the
script's state is an attribute of the app's element), not polled: twenty tabs polling every
100 ms through long waits on a starved machine cost Chromium and Playwright's driver CPU
that no planner's browser spends."""


# ----------------------------------------------------------------------------- measuring


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process ``pid`` so far, all its threads (ended ones too)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the export worker and the browser it starts)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            todo.append(child)
    return found


def tree_cpu(pid: int) -> float:
    """CPU of the processes below ``pid`` that are running now."""
    total = 0.0
    for child in descendants(pid):
        try:
            total += cpu_seconds(child)
        except OSError:
            continue
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def pct(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def worst(values: Sequence[float]) -> float:
    return max(values) if values else float("nan")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    """Milliseconds, or "n/a" for a figure that could not be read (a server elsewhere)."""
    return "   n/a   " if seconds != seconds else f"{seconds * 1000:6.0f} ms"


# ----------------------------------------------------------------------------- services


@contextmanager
def postgresql() -> Iterator[str | None]:
    """A throw-away PostgreSQL on 127.0.0.1 and the URL of an empty database; ``None``
    when the server binaries are not installed."""
    bins = sorted(p for p in PG_ROOT.glob("*/bin") if (p / "pg_ctl").exists())
    if not bins:
        yield None
        return
    bin_dir = bins[-1]
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    root = Path(tempfile.mkdtemp(prefix="prevplan-bench-pg-"))
    if as_root:
        shutil.chown(root, "postgres", "postgres")
    data, log, port = root / "data", root / "server.log", free_port()
    pg_ctl = str(bin_dir / "pg_ctl")
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"]
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root}"
        " -c fsync=off -c synchronous_commit=off"
    )
    try:
        subprocess.run(
            [*prefix, *initdb, "-E", "UTF8", "--locale=C", "--no-sync"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [
                *prefix,
                pg_ctl,
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(
            [
                *prefix,
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                "prevplan",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/prevplan"
    finally:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class Server:
    """The app under test: its address and, when it runs on this machine, its process id
    (``None`` for a server elsewhere: its CPU cannot be read from here)."""

    url: str
    pid: int | None


def server_cpu(server: Server) -> float:
    """The app process's CPU so far; NaN when it is not on this machine."""
    return cpu_seconds(server.pid) if server.pid is not None else float("nan")


def server_tree_cpu(server: Server) -> float:
    """CPU of the app's workers (export, optimiser, upload lanes); NaN when not local."""
    return tree_cpu(server.pid) if server.pid is not None else float("nan")


def is_local(url: str) -> bool:
    """Whether ``url``'s host is this machine."""
    parsed = urllib.parse.urlsplit(url)
    try:
        local = {info[4][0] for info in getaddrinfo(gethostname(), None)}
        addresses = {info[4][0] for info in getaddrinfo(parsed.hostname or "", None)}
    except OSError:
        return False
    return bool(addresses & (local | {"127.0.0.1", "::1"}))


def listening_sockets(port: int) -> set[str]:
    """The open-file names (``socket:[inode]``) of the sockets listening on ``port``."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for fields in (line.split() for line in lines):
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{fields[9]}]")
    return inodes


def listening_pid(url: str) -> int | None:
    """The Streamlit process on this machine listening on ``url``'s port (found from the
    socket in ``/proc/net/tcp*`` and the processes' open files); ``None`` if the server is
    elsewhere (an SSH tunnel's or a proxy's port is not it) or belongs to a user whose
    processes this one cannot see."""
    if not is_local(url):
        return None
    parsed = urllib.parse.urlsplit(url)
    inodes = listening_sockets(parsed.port or (443 if parsed.scheme == "https" else 80))
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                # Not an SSH tunnel's end or a proxy: the app's own process.
                command = (proc / "cmdline").read_bytes()
                return int(proc.name) if b"streamlit" in command else None
        except OSError:
            continue
    return None


@contextmanager
def app_server(home: Path, database_url: str | None) -> Iterator[Server]:
    """``streamlit run streamlit_app.py`` on a free port of 127.0.0.1, stopped at the end."""
    port = free_port()
    env = {**os.environ, "PREVPLAN_HOME": str(home)}
    env.pop("PREVPLAN_DATABASE_URL", None)
    if database_url:
        env["PREVPLAN_DATABASE_URL"] = database_url
    process = subprocess.Popen(
        streamlit_command("streamlit_app.py", port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read().strip() == b"ok":
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.1)
        yield Server(url, process.pid)
    finally:
        stop_server(process)


# ----------------------------------------------------------------------------- planners


@dataclass
class Figures:
    """What one phase measured."""

    first: list[float] = field(default_factory=list)
    switches: list[float] = field(default_factory=list)
    edits: list[float] = field(default_factory=list)

    @property
    def views(self) -> int:
        return len(self.first) + len(self.switches) + len(self.edits)


async def settle(page: Page, heading: str | None, started: float) -> float:
    """Seconds from ``started`` until the app's script has finished (and ``heading`` shows)."""

    while True:
        await page.evaluate(WAIT_JS, [heading, TIMEOUT_MS])
        done = time.perf_counter() - started
        await asyncio.sleep(0.15)  # a rerun the script asks for starts within this
        if await page.evaluate(IDLE_JS, heading):
            return done


async def open_app(context: BrowserContext, url: str) -> tuple[Page, float]:
    """A new tab on the app (a new session); seconds until its first page is finished."""

    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    start = time.perf_counter()
    await page.goto(url)
    return page, await settle(page, PAGES[0][1], start)


async def switch(page: Page, title: str, heading: str) -> float:

    link = page.locator("[data-testid='stSidebarNav'] a", has_text=title).first
    start = time.perf_counter()
    await link.click()
    return await settle(page, heading, start)


async def edit(page: Page, value: str) -> float:
    """Change the plan's region on the Plan page and apply it: one undoable edit."""

    await page.get_by_text("Plan details:").first.click()
    region = page.get_by_label("Region", exact=True).first
    await region.fill(value)
    await region.press("Tab")
    await settle(page, None, time.perf_counter())
    start = time.perf_counter()
    await page.get_by_role("button", name="Apply", exact=True).first.click()
    await page.get_by_text("Plan details changed.").first.wait_for(timeout=TIMEOUT_MS)
    return await settle(page, None, start)


async def planner(
    context: BrowserContext,
    url: str,
    n: int,
    delay: float,
    figures: Figures,
    think: float = THINK_S,
) -> Page:
    """One planner: open the app, every page from the sidebar, one edit on the Plan page,
    with ``think`` seconds between actions; returns the tab (left open, so the browser's
    processes can still be measured)."""
    await asyncio.sleep(delay)
    page, first = await open_app(context, url)
    figures.first.append(first)

    for title, heading in PAGES[1:]:
        await asyncio.sleep(think)
        figures.switches.append(await switch(page, title, heading))
        if title == "Plan":
            await asyncio.sleep(think)
            figures.edits.append(await edit(page, f"Region {n}"))
    return page


async def prime(browser: Browser, url: str, count: int) -> list[BrowserContext]:
    """``count`` browser contexts that have visited the app once (their cache holds
    Streamlit's scripts, as a planner's browser does after the first day)."""

    contexts = [await browser.new_context(viewport=VIEWPORT) for _ in range(count)]

    async def visit(context: BrowserContext, delay: float) -> None:
        await asyncio.sleep(delay)
        page, _seconds = await open_app(context, url)
        await page.close()

    await asyncio.gather(*(visit(c, n * 0.5) for n, c in enumerate(contexts)))
    return contexts


async def protocol_run(socket: ClientConnection, page_hash: str) -> tuple[float, dict[str, str]]:
    """Ask the server to run a page, as the browser does, and wait for the script to finish:
    seconds, and the app's pages by name (from the first answer)."""
    request = BackMsg()
    request.rerun_script.query_string = ""
    request.rerun_script.page_script_hash = page_hash
    start = time.perf_counter()
    await socket.send(request.SerializeToString())
    pages: dict[str, str] = {}
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(socket.recv(), TIMEOUT_MS / 1000))
        kind = message.WhichOneof("type")
        if kind == "navigation":
            pages = {p.page_name: p.page_script_hash for p in message.navigation.app_pages}
        elif kind == "script_finished":
            return time.perf_counter() - start, pages


async def protocol_planner(server: Server, delay: float, figures: Figures) -> None:
    """One planner without a browser: Streamlit's own websocket messages, first page and
    every page in turn, so the figures are the server's answer time alone."""
    await asyncio.sleep(delay)
    address = server.url.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(
        address, subprotocols=[Subprotocol("streamlit")], origin=Origin(server.url), max_size=None
    ) as socket:
        first, pages = await protocol_run(socket, "")
        figures.first.append(first)
        for title, _heading in PAGES[1:]:
            await asyncio.sleep(THINK_S)
            figures.switches.append((await protocol_run(socket, pages[title]))[0])


async def protocol_team(server: Server, size: int) -> tuple[Figures, float, float]:
    """``size`` planners at once without browsers: figures, CPU per view, share of a core."""
    figures = Figures()
    before = server_cpu(server)
    start = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(protocol_planner(server, n * ARRIVAL_S, figures) for n in range(size))),
        PHASE_TIMEOUT_S,
    )
    spent = server_cpu(server) - before
    return figures, spent / max(1, figures.views), spent / (time.perf_counter() - start)


# ----------------------------------------------------------------------------- phases


async def warm_up(browser: Browser, server: Server) -> BrowserContext:
    """One planner through every page (first imports, caches filled), then a quiet moment
    for the start-up work done in the background; returns a context that has visited."""
    (context,) = await prime(browser, server.url, 1)
    figures = Figures()
    await (await planner(context, server.url, 0, 0.0, figures)).close()
    await asyncio.sleep(8)
    return context


async def new_sessions(
    browser: Browser, server: Server, context: BrowserContext
) -> tuple[float, float]:
    """Server CPU of a new session: (browser visited before, browser's first visit)."""

    assert isinstance(context, BrowserContext)
    colleague, _seconds = await open_app(context, server.url)  # keeps a session open
    costs: list[float] = []
    for _n in range(NEW_SESSIONS):
        before = server_cpu(server)
        page, _seconds = await open_app(context, server.url)
        await asyncio.sleep(0.3)
        costs.append(server_cpu(server) - before)
        await page.close()
        await asyncio.sleep(0.3)
    fresh: list[float] = []
    for _n in range(3):
        new = await browser.new_context(viewport=VIEWPORT)
        before = server_cpu(server)
        page, _seconds = await open_app(new, server.url)
        await asyncio.sleep(0.3)
        fresh.append(server_cpu(server) - before)
        await new.close()
        await asyncio.sleep(0.3)
    await colleague.close()
    return statistics.mean(costs), statistics.mean(fresh)


@dataclass
class TeamFigures:
    """Phase c for one N."""

    figures: Figures
    per_view: float
    """The app server's CPU per page view (its own process: no browser in it)."""
    rate: float
    busy: float
    browser_per_view: float
    """Chromium's CPU per page view (all its processes), for comparison: on a real team
    every planner's browser runs on the planner's own computer, not on the server."""


def browser_cpu(server: Server) -> float:
    """CPU so far of the processes this benchmark started other than the app server and its
    workers: Chromium (and Playwright's driver)."""
    skip = {server.pid, *descendants(server.pid)} if server.pid is not None else set()
    total = 0.0
    for pid in descendants(os.getpid()):
        if pid in skip:
            continue
        try:
            total += cpu_seconds(pid)
        except OSError:
            continue
    return total


async def team(browser: Browser, server: Server, size: int, think: float) -> TeamFigures:
    """``size`` planners at once, ``think`` seconds between their actions: their figures,
    the server's CPU per page view, page views per second, the share of one core the server
    was busy, and the browser's own CPU per page view."""
    contexts = await prime(browser, server.url, size)
    await asyncio.sleep(2)
    figures = Figures()
    before, browser_before = server_cpu(server), browser_cpu(server)
    start = time.perf_counter()
    pages: list[Page] = []
    try:
        pages = await asyncio.wait_for(
            asyncio.gather(
                *(
                    planner(c, server.url, n, n * ARRIVAL_S, figures, think)
                    for n, c in enumerate(contexts, start=1)
                )
            ),
            PHASE_TIMEOUT_S,
        )
    except TimeoutError:
        print(f"   N={size}: not finished within {PHASE_TIMEOUT_S:.0f} s; figures so far")
    spent = server_cpu(server) - before
    seconds = time.perf_counter() - start
    in_browser = browser_cpu(server) - browser_before
    for page in pages:
        await page.close()
    for context in contexts:
        await context.close()
    views = max(1, figures.views)
    return TeamFigures(
        figures, spent / views, figures.views / seconds, spent / seconds, in_browser / views
    )


# Every page the sidebar offers a planner without sign-in, for the per-page figures (phase p).
ALL_PAGES: tuple[tuple[str, str], ...] = (
    *PAGES[:8],
    ("Monitoring", "📈 Monitoring"),
    PAGES[8],
    ("Help and glossary", "📘 Help and glossary"),
)
CDP_METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
"""Chromium's own accounting of a tab's main thread (seconds so far), from the DevTools
protocol's ``Performance.getMetrics``."""
NEW_TAB = "(a new tab: the app's first page)"
AFTER_VIEW_S = 1.5
"""How long after a page's script has finished its drawing is still counted (charts and grids
are drawn after the script's last message)."""


@dataclass
class PageCost:
    """Chromium's work for views of one page: CPU of all its processes and the tab's
    main-thread durations, summed over the rounds."""

    cpu: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)


async def tab_metrics(session: object) -> dict[str, float]:
    reply = await session.send("Performance.getMetrics")  # type: ignore[attr-defined]
    return {m["name"]: m["value"] for m in reply["metrics"] if m["name"] in CDP_METRICS}


async def per_page(
    browser: Browser, server: Server, rounds: int
) -> tuple[dict[str, PageCost], float]:
    """Chromium's CPU per view of each page (one planner, every page in turn, ``rounds``
    times; each view counted from the click until :data:`AFTER_VIEW_S` after its script
    finished), and its CPU per second when idle on the Start page (animations, timers)."""
    (context,) = await prime(browser, server.url, 1)
    page, _seconds = await open_app(context, server.url)
    session = await context.new_cdp_session(page)
    await session.send("Performance.enable")
    await asyncio.sleep(2)
    before = browser_cpu(server)
    await asyncio.sleep(5)
    idle = (browser_cpu(server) - before) / 5
    costs = {title: PageCost() for title, _heading in ALL_PAGES}
    opened = PageCost()
    for _round in range(rounds):
        cpu_before = browser_cpu(server)
        tab, _seconds = await open_app(context, server.url)
        await asyncio.sleep(AFTER_VIEW_S)
        opened.cpu.append(browser_cpu(server) - cpu_before)
        await tab.close()
    costs[NEW_TAB] = opened
    for _round in range(rounds):
        for title, heading in (*ALL_PAGES[1:], ALL_PAGES[0]):
            cpu_before, tab_before = browser_cpu(server), await tab_metrics(session)
            await switch(page, title, heading)
            await asyncio.sleep(AFTER_VIEW_S)
            cost = costs[title]
            cost.cpu.append(browser_cpu(server) - cpu_before)
            tab_after = await tab_metrics(session)
            for name in CDP_METRICS:
                cost.metrics.setdefault(name, []).append(tab_after[name] - tab_before[name])
    await context.close()
    return costs, idle


def print_per_page(costs: dict[str, PageCost], idle: float) -> None:
    """Print phase p: Chromium's CPU per view of each page, its main thread's share."""
    print(
        "p. Chromium's work per page view (one planner; median of the rounds; CPU of all "
        f"Chromium's processes, the view plus {AFTER_VIEW_S:g} s after; the tab's main "
        "thread: task / script / layout / style)"
    )
    total = 0.0
    for title, cost in costs.items():
        cpu = median(cost.cpu)
        if title != NEW_TAB:
            total += cpu
        main = "  ".join(
            f"{ms(median(cost.metrics[n])).strip():>8}" if n in cost.metrics else "       -"
            for n in CDP_METRICS
        )
        print(f"   {title:<36} CPU {ms(cpu)}   main thread {main}")
    print(
        f"   mean over the {len(costs) - 1} pages: {ms(total / (len(costs) - 1)).strip()} "
        "per switch; idle on Start: "
        f"{idle * 1000:.0f} ms CPU per second   [{load()}]"
    )


@dataclass
class WorkFigures:
    """Page switches of one session before and while another does heavy work (the PDF
    report, an optimisation, a survey import), and the CPU spent meanwhile."""

    before: list[float] = field(default_factory=list)
    during: list[float] = field(default_factory=list)
    protocol_before: list[float] = field(default_factory=list)
    protocol_during: list[float] = field(default_factory=list)
    seconds: float = 0.0
    app_cpu: float = 0.0
    worker_cpu: float = 0.0


SURVEY_COPIES = 30
"""The sample survey (≈3,200 pupils) repeated this many times: ≈96,000 respondents, a
national school survey, so its import takes seconds, not a blink."""
OPTIMISE_BUDGETS = (40e6, 45e6, 50e6, 55e6, 60e6, 70e6)
"""Budgets the optimising planner tries in turn (each a new solve with its curve; all above
the 38.8 million that keeping what works in the sample plan needs)."""


def large_survey() -> bytes:
    """The 2026 sample survey repeated :data:`SURVEY_COPIES` times, each copy's respondents
    renamed so that every row is a respondent of its own."""
    header, *rows = (ROOT / "sample_data" / "school_survey_2026.csv").read_text().splitlines()
    out = [header]
    for copy in range(SURVEY_COPIES):
        for row in rows:
            ident, rest = row.split(",", 1)
            out.append(f"{ident}-{copy},{rest}")
    return ("\n".join(out) + "\n").encode()


async def export_pdf(page: Page) -> None:
    """On the dashboard: press "PDF report" and wait for the file."""
    async with page.expect_download(timeout=TIMEOUT_MS * 2) as download:
        await page.get_by_role("button", name="📄 PDF report").click()
    await (await download.value).path()


async def optimise_budgets(page: Page) -> None:
    """On the Budget page: a new budget, solved, then the next (:data:`OPTIMISE_BUDGETS`)."""
    amount = page.get_by_label("Budget", exact=True).first
    for budget in OPTIMISE_BUDGETS:
        await amount.fill(f"{budget:.0f}")
        start = time.perf_counter()
        await amount.press("Enter")
        await settle(page, "💰 Budget", start)
        await page.get_by_text("Solver:", exact=False).first.wait_for(timeout=TIMEOUT_MS)


async def import_survey(page: Page) -> None:
    """On the Monitoring page: upload a national school survey and wait for its estimates."""
    await page.get_by_role("tab", name="📋 Survey").click()
    uploader = page.locator("[data-testid='stFileUploaderDropzoneInput']").first
    await uploader.set_input_files(
        {"name": "national_survey.csv", "mimeType": "text/csv", "buffer": large_survey()}
    )
    await page.get_by_text("Wilson score interval", exact=False).first.wait_for(
        timeout=TIMEOUT_MS * 2
    )


WORK = {
    # kind: (the page the working session opens, its heading, the work, what is printed)
    "export": ("Coverage dashboard", "📊 Coverage dashboard", export_pdf, "exports the PDF"),
    "optimise": ("Budget", "💰 Budget", optimise_budgets, "runs optimisations"),
    "survey": ("Monitoring", "📈 Monitoring", import_survey, "imports a survey"),
}


async def during_work(browser: Browser, server: Server, kind: str) -> WorkFigures:
    """Page switches in one session while another does heavy work (:data:`WORK`): in
    Chromium, and (at the same time) from a client speaking the websocket protocol, which
    shows the server's answer free of the browsers' own work. Also the CPU the app's process
    and its workers (the export, optimiser and upload lanes) spent while the work ran."""
    found = WorkFigures()
    title, heading, work, _said = WORK[kind]
    contexts = await prime(browser, server.url, 2)
    worker, _seconds = await open_app(contexts[0], server.url)
    other, _seconds = await open_app(contexts[1], server.url)
    by_title = dict(PAGES)
    await switch(worker, title, heading)
    cycle = [
        (title, by_title[title])
        for title in ("Concept explorer", "Programme catalogue", "Program of Actions tracker")
    ] + [PAGES[0]]
    found.before = [await switch(other, *cycle[n % len(cycle)]) for n in range(8)]
    address = server.url.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(
        address, subprotocols=[Subprotocol("streamlit")], origin=Origin(server.url), max_size=None
    ) as socket:
        _first, pages = await protocol_run(socket, "")
        for n in range(8):
            found.protocol_before.append((await protocol_run(socket, pages[cycle[n % 4][0]]))[0])
            await asyncio.sleep(0.3)

        app_before, workers_before = server_cpu(server), server_tree_cpu(server)
        start = time.perf_counter()
        task = asyncio.create_task(asyncio.wait_for(work(worker), PHASE_TIMEOUT_S))

        async def in_browser() -> None:
            n = 0
            while not task.done() and n < 200:
                found.during.append(await switch(other, *cycle[n % len(cycle)]))
                n += 1

        async def by_protocol() -> None:
            n = 0
            while not task.done() and n < 400:
                page = pages[cycle[n % len(cycle)][0]]
                found.protocol_during.append((await protocol_run(socket, page))[0])
                n += 1
                await asyncio.sleep(0.3)

        await asyncio.gather(in_browser(), by_protocol())
        await task
        found.seconds = time.perf_counter() - start
    found.app_cpu = server_cpu(server) - app_before
    found.worker_cpu = server_tree_cpu(server) - workers_before
    for context in contexts:
        await context.close()
    return found


def print_work(kind: str, found: WorkFigures) -> bool:
    """Print phase d/e/f; whether every switch held its budget (in Chromium and alone)."""
    held = bool(found.during) and max(found.during) <= WORK_SWITCH_BUDGET_S
    served = bool(found.protocol_during) and max(found.protocol_during) <= WORK_SWITCH_BUDGET_S
    letter = {"export": "d", "optimise": "e", "survey": "f"}[kind]
    print(
        f"{letter}. page switch while another session {WORK[kind][3]} (budget 1 s each):\n"
        f"   in Chromium: worst {ms(worst(found.during))}, p50 "
        f"{ms(median(found.during))} over {len(found.during)} switches  "
        f"{verdict(held)} (before: p50 {ms(median(found.before))}, "
        f"worst {ms(worst(found.before))})\n"
        f"   the server alone: worst {ms(worst(found.protocol_during))}, p50 "
        f"{ms(median(found.protocol_during))} over {len(found.protocol_during)} "
        f"switches  {verdict(served)} (before: p50 "
        f"{ms(median(found.protocol_before))}, worst "
        f"{ms(worst(found.protocol_before))})\n"
        f"   the work took {found.seconds:.1f} s: app process CPU "
        f"{found.app_cpu:.2f} s (both sessions' switches included), its workers "
        f"{found.worker_cpu:.2f} s   [{load()}]"
    )
    return held and served


# ----------------------------------------------------------------------------- report


@contextmanager
def remote_server(url: str) -> Iterator[Server]:
    """A server already running (started by someone else, here or on another machine)."""
    url = url.rstrip("/")
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as reply:
        if reply.read().strip() != b"ok":
            raise RuntimeError(f"{url} does not answer as a Streamlit app")
    yield Server(url, listening_pid(url))


@contextmanager
def own_server(database_url: str | None) -> Iterator[Server]:
    """An app server of the benchmark's own, on an empty ``PREVPLAN_HOME``."""
    with tempfile.TemporaryDirectory() as home, app_server(Path(home), database_url) as server:
        yield server


async def bench(
    database: str,
    serving: AbstractContextManager[Server],
    sizes: Sequence[int],
    browser_sizes: Sequence[int],
    work: Sequence[str] = tuple(WORK),
    think: float = THINK_S,
    per_page_rounds: int = 0,
) -> bool:
    """Every phase against one server; whether all budgets held."""
    ok = True
    with serving as server:
        if server.pid is None:
            print(f"== {server.url}: not on this machine; its CPU is not read (n/a)")
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                visited = await warm_up(browser, server)
                print(f"== {database}: {load()}")
                if per_page_rounds:
                    print_per_page(*await per_page(browser, server, per_page_rounds))
                seen, fresh = await new_sessions(browser, server, visited)
                ok &= server.pid is None or seen <= NEW_SESSION_BUDGET_S
                judged = (
                    "not judged (the server is not on this machine)"
                    if server.pid is None
                    else verdict(seen <= NEW_SESSION_BUDGET_S)
                )
                print(
                    f"a. new session, server CPU (mean of {NEW_SESSIONS}; budget 150 ms): "
                    f"{ms(seen)}  {judged}\n"
                    f"   a browser's very first visit (+ ~3 MB of Streamlit's scripts): "
                    f"{ms(fresh)}   [{load()}]"
                )
                print(
                    "b. planners at once, without browsers (Streamlit's websocket messages): "
                    "first page p50/p95, page switch p50/p95 — the server's answer alone"
                )
                for size in sizes:
                    figures, per_view, busy = await protocol_team(server, size)
                    held = True
                    if size == max(SIZES):
                        held = (
                            pct(figures.switches, 95) <= SWITCH_BUDGET_S
                            and pct(figures.first, 95) <= FIRST_PAGE_BUDGET_S
                        )
                        ok &= held
                    print(
                        f"   N={size:<3} first {ms(pct(figures.first, 50))} /"
                        f"{ms(pct(figures.first, 95))}   switch {ms(pct(figures.switches, 50))} /"
                        f"{ms(pct(figures.switches, 95))}   CPU/view {ms(per_view)}"
                        + (f"  {verdict(held)}" if size == max(SIZES) else "")
                        + f"   [server busy {busy:.0%} of a core; {load()}]"
                    )
                print(
                    "c. planners at once in Chromium: first page p50/p95, page switch p50/p95, "
                    f"edit p50, server CPU per page view ({think:g} s between actions)"
                )
                for size in browser_sizes:
                    measured = await team(browser, server, size, think)
                    figures, per_view = measured.figures, measured.per_view
                    rate, busy = measured.rate, measured.busy
                    held = True
                    if size == max(SIZES):
                        held = (
                            pct(figures.switches, 95) <= SWITCH_BUDGET_S
                            and pct(figures.first, 95) <= FIRST_PAGE_BUDGET_S
                        )
                        ok &= held
                    memory = f"{rss_mb(server.pid):.0f}" if server.pid else "n/a"
                    print(
                        f"   N={size:<3} first {ms(pct(figures.first, 50))} /"
                        f"{ms(pct(figures.first, 95))}   switch {ms(pct(figures.switches, 50))} /"
                        f"{ms(pct(figures.switches, 95))}   edit {ms(pct(figures.edits, 50))}"
                        f"   CPU/view {ms(per_view)}"
                        + (
                            f"  {verdict(held)} (N=20 budget: switch p95 1 s, first p95 3 s)"
                            if size == max(SIZES)
                            else ""
                        )
                        + f"   [{figures.views} views, {rate:.1f}/s, server busy "
                        f"{busy:.0%} of a core, {memory} MB; "
                        f"Chromium CPU/view {ms(measured.browser_per_view).strip()}; {load()}]"
                    )
                for kind in work:
                    ok &= print_work(kind, await during_work(browser, server, kind))
            finally:
                await browser.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog=HOW_TO_RUN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="N = 1 and 5, SQLite only")
    parser.add_argument("--sizes", help="comma-separated numbers of planners (1,5,10,20)")
    parser.add_argument(
        "--browser-sizes",
        help="the numbers of planners in Chromium, phase c (default: as --sizes; 0: skip c)",
    )
    parser.add_argument("--databases", help="sqlite,postgresql (default: both)")
    parser.add_argument(
        "--think",
        type=float,
        default=THINK_S,
        metavar="SECONDS",
        help=f"a planner's pause between actions in phase c (default {THINK_S:g}: a glance; "
        "people reading a page take 10-30)",
    )
    parser.add_argument(
        "--work",
        default=",".join(WORK),
        help="the heavy work of phases d-f, comma-separated: export (d), optimise (e), "
        "survey (f) (default: all; 'none' to skip them)",
    )
    parser.add_argument(
        "--server",
        metavar="URL",
        help="drive an app server that is already running (e.g. http://10.0.0.5:8501, "
        "started with the sample plan) instead of starting one; --databases is then "
        "ignored (the server has its own). Its CPU is read only when it runs on this "
        "machine (as a user whose processes this one can see); otherwise n/a",
    )
    parser.add_argument(
        "--per-page",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="phase p: Chromium's CPU per view of each page, one planner going through "
        "every page ROUNDS times (default 0: skip)",
    )
    args = parser.parse_args()
    return run(parser, args)


def run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """Every phase against the databases asked for; 1 if a budget is over."""
    sizes, browser_sizes, databases, work = chosen(parser, args)
    if not CHROMIUM.exists():
        print(f"skipped: no Chromium at {CHROMIUM}")
        return 0
    options = (sizes, browser_sizes, work, args.think, args.per_page)
    if args.server:
        return 0 if asyncio.run(bench(args.server, remote_server(args.server), *options)) else 1
    ok = True
    for database in databases:
        if database == "postgresql":
            with postgresql() as url:
                if url is None:
                    print(f"== postgresql: skipped (no server binaries under {PG_ROOT})")
                    continue
                ok &= asyncio.run(bench(database, own_server(url), *options))
        else:
            ok &= asyncio.run(bench(database, own_server(None), *options))
    return 0 if ok else 1


def chosen(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...], tuple[str, ...]]:
    """The sizes, browser sizes, databases and heavy work asked for (checked)."""
    sizes = (1, 5) if args.quick else SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    browser_sizes = sizes
    if args.browser_sizes:
        browser_sizes = tuple(int(s) for s in args.browser_sizes.split(",") if int(s) > 0)
    databases = ("sqlite",) if args.quick else ("sqlite", "postgresql")
    if args.databases:
        databases = tuple(d.strip() for d in args.databases.split(","))
    work = tuple(w.strip() for w in args.work.split(",") if w.strip() not in ("", "none"))
    for kind in work:
        if kind not in WORK:
            parser.error(f"unknown work {kind!r}; expected {', '.join(WORK)} or none")
    if args.think < 0:
        parser.error("--think: expected seconds, 0 or more")
    for database in databases:
        if not re.fullmatch("sqlite|postgresql", database):
            parser.error(f"unknown database {database!r}; expected sqlite or postgresql")
    return sizes, browser_sizes, databases, work


HOW_TO_RUN = """\
How to run it:
  on a shared or busy machine, check that it works with few planners:
    uv run python benchmarks/bench_load.py --quick
    uv run python benchmarks/bench_load.py --databases sqlite --sizes 1,5 --work optimise,survey
  the budget (N = 20 in Chromium) only on a quiet machine, once, for the figures:
    uv run python benchmarks/bench_load.py
  a fairer model of a team's day: planners who read each page before the next click
    uv run python benchmarks/bench_load.py --think 15
  (the budget is the same - page switch p95 under 1 s, first page p95 under 3 s at N = 20 -
  whatever the pause; the default pause of 3 s is harsher than real use).
  what each page costs the browser (one planner, every page three times):
    uv run python benchmarks/bench_load.py --databases sqlite --sizes 1 --work none --per-page 3
  the browsers on other machines than the server: start the server yourself on a fresh home
  (it seeds the sample plan), on loopback as one person's server (no sign-in to script):
    server$ PREVPLAN_HOME=$(mktemp -d) uv run streamlit run streamlit_app.py \\
              --server.address 127.0.0.1 --server.port 8501 --server.headless true
  reach it from each browser machine through an SSH tunnel, and drive it from there:
    client$ ssh -N -L 8501:127.0.0.1:8501 SERVER &
    client$ uv run python benchmarks/bench_load.py --server http://127.0.0.1:8501 \\
              --sizes 10 --work none
  run it on two or more machines at once to share the browsers' load; the server's CPU is
  read (from /proc) only when the server runs on the machine of the benchmark, otherwise
  the CPU figures are n/a and only the wall-clock ones (what the planners wait) are printed.

On one machine the 20 browsers share the server's two cores: phase c's wall-clock figures
include waiting for Chromium, whose CPU per page view is printed beside the server's (a real
team's browsers run on the planners' own computers). Phase b is the server's answer alone."""


if __name__ == "__main__":
    sys.exit(main())
