"""What the app loads once and shares, and what it computes once per plan.

The concept rules, the sample plan and the plan store are loaded once per process
(``st.cache_resource``): they are read-only (frozen models) or thread-safe. A store that
could not be opened (a database outage at start-up) is tried again a few seconds later,
never cached as failed. Assessments, recommendations and dashboard figures are cached by the
fingerprint of the plan (or population) and the language, so a page that reruns on every
click does not assess the same plan again. Cached values are immutable pydantic models or
figures the pages only read. Nothing here holds one user's state: that is in the session
(:mod:`prevplan.ui.state`), where the plan a session opens is loaded once.
"""

from __future__ import annotations

import gc
import threading
import time
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

import streamlit as st

from prevplan.engine import Recommendation, recommend
from prevplan.i18n import N_, _, current_language
from prevplan.plan.assess import assess
from prevplan.plan.assessment import Assessment
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.population import TargetPopulation
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.storage import ConflictError, SqlPlanStore, StorageError, resolve_url
from prevplan.storage.database import redact
from prevplan.ui import auth
from prevplan.ui.plans import SAMPLE_PLAN, fingerprint

if TYPE_CHECKING:
    import plotly.graph_objects as go

SAMPLE_AUTHOR = "prevplan"
SAMPLE_COMMENT = N_("Sample national plan, imported on first start")
"""Stored in English (whoever starts the app first); :func:`version_comment` translates it."""


def version_comment(comment: str) -> str:
    """A stored version's comment as shown: people's own words as they wrote them, the
    comment prevplan itself wrote when it seeded the sample plan in the reader's language."""
    return _(SAMPLE_COMMENT) if comment == SAMPLE_COMMENT else comment


@st.cache_resource(show_spinner=False)
def rules() -> RuleSet:
    """The concept rules, loaded and validated once per process."""
    return load_rules()


@dataclass(frozen=True)
class StoreHandle:
    """The plan store, or why it could not be opened (the app then works without saving)."""

    store: SqlPlanStore | None
    error: str | None
    location: str
    language: str = "en"
    """The language ``error`` is written in."""


def clear_store_cache() -> None:
    """Close and forget the opened stores and any remembered failure (tests)."""
    for store in _stores_opened():
        store.close()
    _stores_opened().clear()
    _opened_store.clear()
    _failures.clear()


RETRY_AFTER_S = 5.0
"""After the store failed to open, how long pages say so without trying again: a server
that is down costs each page run at most one attempt every few seconds, and the app saves
again within seconds of the database coming back — without a restart."""


def store_handle() -> StoreHandle:
    """The plan store for ``$PREVPLAN_DATABASE_URL`` or ``$PREVPLAN_HOME``.

    An opened store is kept for the process (it reconnects by itself after an outage); a
    failure to open is not: it is remembered for :data:`RETRY_AFTER_S` seconds, in the
    reader's language, and then opening is tried again.
    """
    url = resolve_url()
    lang = current_language()
    failures = _failures()
    failed = failures.get((url, lang))
    if failed is not None and time.monotonic() - failed[0] < RETRY_AFTER_S:
        return StoreHandle(None, failed[1], redact(url), lang)
    try:
        store = _opened_store(url)
    except StorageError as err:
        failures[(url, lang)] = (time.monotonic(), str(err))
        return StoreHandle(None, str(err), redact(url), lang)
    for key in [key for key in failures if key[0] == url]:
        failures.pop(key, None)
    # The session's view of the store: its person's plans and roles (prevplan.ui.auth).
    return StoreHandle(auth.scoped_store(store), None, store.location, lang)


@st.cache_resource(show_spinner=False)
def _opened_store(url: str) -> SqlPlanStore:
    """The store at ``url``, opened once per process; a failure raises and is not cached."""
    # Imported here: opening the store pulls in SQLAlchemy and alembic, which pages that never
    # save do not need on their first run.
    from prevplan.storage import store_from_url

    store = store_from_url(url, rules=rules())
    try:
        if not auth.team_mode():  # a team's database gets no sample plan of nobody's
            seed_sample_plan(store)
    except StorageError:
        store.close()
        raise
    _stores_opened().append(store)
    return store


@st.cache_resource(show_spinner=False)
def _stores_opened() -> list[SqlPlanStore]:
    """Every store this process opened, to close them all (:func:`clear_store_cache`)."""
    return []


@st.cache_resource(show_spinner=False)
def _failures() -> dict[tuple[str, str], tuple[float, str]]:
    """When opening the store at a URL last failed, and why, per language (process-wide)."""
    return {}


def sample_plan() -> Plan:
    """The sample national plan, read and validated once per process (again only when its
    file changes): every session that opens it shares the one immutable plan.

    :class:`~prevplan.problems.ProblemsError` when it does not validate (never cached).
    """
    found = SAMPLE_PLAN.stat()
    return _sample_plan(found.st_mtime_ns, found.st_size)


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_plan(_mtime_ns: int, _size: int) -> Plan:
    return read_plan(SAMPLE_PLAN, rules())


def seed_sample_plan(store: SqlPlanStore) -> None:
    """On first start (no plan stored yet), store the sample national plan as version 1."""
    if store.list_plans() or not SAMPLE_PLAN.exists():
        return
    try:
        plan = sample_plan()
        store.save(plan, author=SAMPLE_AUTHOR, comment=SAMPLE_COMMENT, base_version=None)
    except (ConflictError, ProblemsError):
        # Another session seeded it first, or the sample does not validate against the
        # current rules; either way the app starts with what is stored.
        return


@st.cache_resource(show_spinner=False)
def sample_name() -> str | None:
    """The sample national plan's name (what it is stored under), read once per process."""
    try:
        return read_plan(SAMPLE_PLAN, rules()).name if SAMPLE_PLAN.exists() else None
    except ProblemsError:
        return None


def assessment(plan: Plan, key: str | None = None) -> Assessment:
    """``assess(plan)``, computed once per plan content and language."""
    return _assessment(key or fingerprint(plan), current_language(), plan)


@st.cache_resource(show_spinner=False, max_entries=64)
def _assessment(key: str, lang: str, _plan: Plan) -> Assessment:
    return assess(_plan, rules())


def recommendation(population: TargetPopulation) -> Recommendation:
    """``recommend(population)``, computed once per population content and language."""
    return _recommendation(population.model_dump_json(), current_language(), population)


@st.cache_resource(show_spinner=False, max_entries=512)
def _recommendation(key: str, lang: str, _population: TargetPopulation) -> Recommendation:
    return recommend(_population, rules())


def figures(plan: Plan, key: str | None = None) -> dict[str, go.Figure]:
    """The dashboard's figures for ``plan``, built once per plan content and language."""
    found = key or fingerprint(plan)
    return _figures(found, current_language(), plan)


@st.cache_resource(show_spinner=False, max_entries=32)
def _figures(key: str, lang: str, _plan: Plan) -> dict[str, go.Figure]:
    # Imported here: pandas and plotly take seconds to import, and the first page a user
    # sees does not need them (see :func:`prewarm`).
    from prevplan.analytics import dashboard_figures
    from prevplan.ui.plain_charts import plain_figure

    built = dashboard_figures(_assessment(key, lang, _plan), rules(), _plan)
    return {name: plain_figure(figure) for name, figure in built.items()}


PREWARM_DELAY_S = 1.5
# What the pages after the first one need, in the order they are likely visited.
PREWARM_MODULES = (
    "pandas",
    "prevplan.analytics",
    "prevplan.ui.activity_table",
    "prevplan.inventory.reader",
    "prevplan.export",
    "prevplan.export.xlsx",
)


@st.cache_resource(show_spinner=False)
def prewarm() -> threading.Thread:
    """Import what the other pages need, once per process, in the background.

    Called after the first page is drawn: the user reads it while pandas and plotly load,
    so the first switch to another page does not wait for them.
    """

    def load() -> None:
        # Let the first page finish drawing first: imports hold the interpreter's lock.
        time.sleep(PREWARM_DELAY_S)
        for name in PREWARM_MODULES:
            try:
                import_module(name)
            except ImportError:  # an optional part that is not installed
                continue
        freeze_heap()

    thread = threading.Thread(target=load, name="prevplan-prewarm", daemon=True)
    thread.start()
    return thread


def freeze_heap() -> None:
    """Set what the process has loaded so far aside from the garbage collector's full passes.

    A full collection walks every object the process holds; with pandas, plotly,
    SQLAlchemy and the rules loaded that is about 200,000 long-lived objects — modules,
    classes, the rules — which can never be garbage: about 115 ms of CPU a pass on the
    2-core reference machine. Streamlit makes such a pass after every script run unless
    ``runner.postScriptGC`` is off (it is, in ``.streamlit/config.toml``); Python's own
    collector still makes one now and then. Freezing these objects (``gc.freeze``, once the
    pages' imports are done) leaves every pass only what was made since. Objects frozen
    are never collected, so this is done once per process, after start-up, and not again.
    """
    if gc.get_freeze_count():
        return
    gc.collect()
    gc.freeze()
