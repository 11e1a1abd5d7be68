"""What the app loads once and shares, and what it computes once per plan.

The concept rules and the plan store are loaded once per process (``st.cache_resource``):
they are read-only or thread-safe. Assessments, recommendations and dashboard figures are
cached by the fingerprint of the plan (or population) and the language, so a page that
reruns on every click does not assess the same plan again. Cached values are immutable
pydantic models or figures the pages only read.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

import streamlit as st

from prevplan.engine import Recommendation, recommend
from prevplan.i18n import N_, _, current_language, use_language
from prevplan.plan.assess import assess
from prevplan.plan.assessment import Assessment
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.population import TargetPopulation
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.storage import ConflictError, SqlPlanStore, StorageError, resolve_url
from prevplan.storage.database import redact
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


def store_handle() -> StoreHandle:
    """The plan store for ``$PREVPLAN_DATABASE_URL`` or ``$PREVPLAN_HOME`` (opened once).

    When it cannot be opened, the reason is given in the reader's language: the first
    failure is cached in the language of whoever met it, so another language tries again
    once, in its own words.
    """
    url = resolve_url()
    handle = _store_for(url)
    if handle.store is None and handle.language != current_language():
        return _store_in_language(url, current_language())
    return handle


@st.cache_resource(show_spinner=False)
def _store_for(url: str) -> StoreHandle:
    return _open_store(url)


@st.cache_resource(show_spinner=False)
def _store_in_language(url: str, lang: str) -> StoreHandle:
    with use_language(lang):
        return _open_store(url)


def _open_store(url: str) -> StoreHandle:
    # Imported here: opening the store pulls in SQLAlchemy and alembic, which pages that never
    # save do not need on their first run.
    from prevplan.storage import store_from_url

    try:
        store = store_from_url(url, rules=rules())
        seed_sample_plan(store)
    except StorageError as err:
        return StoreHandle(None, str(err), redact(url), current_language())
    return StoreHandle(store, None, store.location, current_language())


def seed_sample_plan(store: SqlPlanStore) -> None:
    """On first start (no plan stored yet), store the sample national plan as version 1."""
    if store.list_plans() or not SAMPLE_PLAN.exists():
        return
    try:
        plan = read_plan(SAMPLE_PLAN, rules())
        store.save(plan, author=SAMPLE_AUTHOR, comment=SAMPLE_COMMENT, base_version=None)
    except (ConflictError, ProblemsError):
        # Another session seeded it first, or the sample does not validate against the
        # current rules; either way the app starts with what is stored.
        return


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

    return dashboard_figures(_assessment(key, lang, _plan), rules(), _plan)


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

    thread = threading.Thread(target=load, name="prevplan-prewarm", daemon=True)
    thread.start()
    return thread
