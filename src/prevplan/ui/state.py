"""One session's state: the plan being edited, where it was saved from, and its undo steps.

Initialised once per browser session by :func:`init_state`; every page reads and changes
the plan only through the functions here, so that each change can be undone, the cached
computations see a new fingerprint, and editors keyed by the plan's revision show the new
content. Nothing is kept at module level: Streamlit shares modules between all users.

The plan lives in the session until the user saves it (with author and comment) — a rerun
or a page switch never loses an edit, and a save that conflicts with a colleague's keeps it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Final, Literal, ParamSpec

import streamlit as st

from prevplan.i18n import LANGUAGES, _, use_language
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.storage import DamagedVersionError, StorageError
from prevplan.ui import resources
from prevplan.ui.plans import SAMPLE_PLAN, fingerprint

INITIALISED: Final = "_prevplan_initialised"
PLAN: Final = "plan"
FINGERPRINT: Final = "plan_fingerprint"
REVISION: Final = "plan_revision"
SAVED_NAME: Final = "saved_name"
BASE_VERSION: Final = "base_version"
SAVED_FINGERPRINT: Final = "saved_fingerprint"
UNDO: Final = "undo_stack"
SELECTED_POPULATION: Final = "selected_population"
LANG: Final = "lang"
FLASH: Final = "flash_messages"
ACTIVITY_DRAFT: Final = "activity_draft"
UNDO_LIMIT: Final = 30

FlashKind = Literal["success", "info", "warning", "error"]


@dataclass(frozen=True)
class UndoStep:
    """The plan as it was before a change, and what the change was."""

    label: str
    plan: Plan


def init_state() -> None:
    """Set up the session once: language, the plan to edit, an empty undo history."""
    ss = st.session_state
    if LANG not in ss:
        wanted = st.query_params.get(LANG, "en")
        ss[LANG] = wanted if wanted in LANGUAGES else "en"
    if ss.get(INITIALISED):
        return
    plan, name, version, notice = _initial_plan()
    ss[UNDO] = []
    ss[FLASH] = []
    if notice:
        flash("warning", notice)
    ss[REVISION] = 0
    ss[SELECTED_POPULATION] = None
    ss[ACTIVITY_DRAFT] = None
    _put(plan)
    ss[SAVED_NAME] = name
    ss[BASE_VERSION] = version
    ss[SAVED_FINGERPRINT] = ss[FINGERPRINT] if name is not None else None
    ss[INITIALISED] = True
    from prevplan.ui import workspace

    workspace.mark_autosaved(ss[FINGERPRINT], name, False)  # as opened: nothing to keep yet


def _initial_plan() -> tuple[Plan, str | None, int | None, str | None]:
    """The plan this person had open last (:mod:`prevplan.ui.workspace`); for someone new,
    the stored sample plan (else the latest saved); else the sample from its file; else an
    empty plan; and what to
    tell the user when the plan could not be opened. Unsaved changes kept as a draft are
    offered back (restore or discard) rather than opened unasked.

    A damaged latest version (see :class:`~prevplan.storage.DamagedVersionError`) is skipped
    for the newest version that opens, which is edited on top of the latest.
    """
    from prevplan.ui import workspace

    handle = resources.store_handle()
    notice: str | None = None
    if handle.store is None:
        notice = workspace.started_offline(handle.error or "")
    else:
        last = workspace.last_work()
        if last is not None and last.data is not None:
            workspace.offer(last)
        try:
            stored = {s.name: s for s in handle.store.list_plans()}
            wanted = last.saved_name if last is not None else None
            if wanted not in stored:
                # Someone new: the sample, as stored on first start, rather than whichever
                # plan a colleague saved last; without it, the latest saved plan.
                sample = resources.sample_name()
                latest = max(stored.values(), key=lambda s: s.updated_at) if stored else None
                wanted = sample if sample in stored else latest.name if latest else None
            if wanted is not None:
                opened = handle.store.load_latest_valid(wanted)
                if opened.skipped:
                    notice = damaged_notice(opened.skipped, opened.version)
                return opened.plan, wanted, stored[wanted].latest_version, notice
        except ProblemsError as err:
            notice = _("The latest saved plan could not be opened: {reason}").format(reason=err)
        except StorageError as err:
            notice = workspace.started_offline(str(err))
    if SAMPLE_PLAN.exists():
        try:
            return resources.sample_plan(), None, None, notice
        except ProblemsError:
            pass
    return Plan(name=_("New plan")), None, None, notice


def damaged_notice(skipped: Sequence[DamagedVersionError], opened: int) -> str:
    """What to say when damaged versions were skipped and version ``opened`` is shown."""
    first = skipped[0]
    return (
        _("Version {version} of plan '{name}' cannot be opened and is set aside: {reason}.").format(
            version=first.version, name=first.name, reason=first.reason
        )
        + " "
        + _(
            "Version {opened}, the latest that opens, is shown instead; saving adds a new "
            "version on top, and the damaged one stays in the history untouched."
        ).format(opened=opened)
    )


def language() -> str:
    return str(st.session_state.get(LANG, "en"))


def plan() -> Plan:
    found = st.session_state[PLAN]
    assert isinstance(found, Plan)
    return found


def plan_fingerprint() -> str:
    return str(st.session_state[FINGERPRINT])


def revision() -> int:
    """A number that changes with every change of the plan (keys editors showing it)."""
    return int(st.session_state[REVISION])


def _put(new: Plan) -> None:
    ss = st.session_state
    ss[PLAN] = new
    ss[FINGERPRINT] = fingerprint(new)
    ss[REVISION] = int(ss.get(REVISION, 0)) + 1
    ss[ACTIVITY_DRAFT] = None


def set_plan(new: Plan, label: str) -> None:
    """Make ``new`` the plan being edited; the change can be undone."""
    undo: list[UndoStep] = st.session_state[UNDO]
    undo.append(UndoStep(label, plan()))
    del undo[:-UNDO_LIMIT]
    _put(new)


def open_plan(new: Plan, label: str, saved_name: str | None, base_version: int | None) -> None:
    """Edit another plan (a stored version, a sample, an import); undoable like any change."""
    set_plan(new, label)
    ss = st.session_state
    ss[SAVED_NAME] = saved_name
    ss[BASE_VERSION] = base_version
    ss[SAVED_FINGERPRINT] = ss[FINGERPRINT] if saved_name is not None else None


def mark_saved(name: str, version: int) -> None:
    ss = st.session_state
    ss[SAVED_NAME] = name
    ss[BASE_VERSION] = version
    ss[SAVED_FINGERPRINT] = ss[FINGERPRINT]


def saved_name() -> str | None:
    name = st.session_state.get(SAVED_NAME)
    return str(name) if name is not None else None


def base_version() -> int | None:
    version = st.session_state.get(BASE_VERSION)
    return int(version) if version is not None else None


def has_unsaved_changes() -> bool:
    return bool(st.session_state.get(SAVED_FINGERPRINT) != st.session_state[FINGERPRINT])


def undo_label() -> str | None:
    """What the next undo would take back, or ``None`` when there is nothing to undo."""
    undo: list[UndoStep] = st.session_state.get(UNDO, [])
    return undo[-1].label if undo else None


def undo() -> None:
    """Take back the last change of the plan."""
    undo_steps: list[UndoStep] = st.session_state[UNDO]
    if not undo_steps:
        return
    step = undo_steps.pop()
    _put(step.plan)
    flash("info", _("Undone: {change}").format(change=step.label))


def selected_population() -> str | None:
    found = st.session_state.get(SELECTED_POPULATION)
    return str(found) if found is not None else None


def select_population(population_id: str | None) -> None:
    st.session_state[SELECTED_POPULATION] = population_id


def flash(kind: FlashKind, message: str) -> None:
    """A message shown once, at the top of the next page rendered."""
    st.session_state.setdefault(FLASH, []).append((kind, message))


def pop_flashes() -> list[tuple[FlashKind, str]]:
    messages: list[tuple[FlashKind, str]] = list(st.session_state.get(FLASH, []))
    st.session_state[FLASH] = []
    return messages


P = ParamSpec("P")


def callback(fn: Callable[P, None]) -> Callable[P, None]:
    """Run a widget callback in the session's language; an unexpected error becomes a message.

    Streamlit runs callbacks before the script, outside the page's error handling.
    """

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with use_language(language()):
            try:
                fn(*args, **kwargs)
            except Exception as err:
                from prevplan.ui.errors import reference_text, report_unexpected

                reference = report_unexpected(err)
                flash("error", _("That did not work.") + " " + reference_text(reference))

    return run


def forget_saved_fingerprint() -> None:
    """The plan differs from its stored version (opened from a file or an older version)."""
    st.session_state[SAVED_FINGERPRINT] = None


def sync_widget(key: str, value: object) -> None:
    """Show ``value`` (from the plan) in widget ``key`` when the plan changed since it was set.

    Between changes of the plan the widget keeps what the user typed; after a change (an
    edit elsewhere, an undo, another version opened) it shows the plan again. Call before the
    widget is drawn.
    """
    ss = st.session_state
    marker = f"_synced.{key}"
    if key not in ss or ss.get(marker) != revision():
        ss[key] = value
        ss[marker] = revision()


def keep_valid(key: str, options: Collection[object], *, multi: bool = False) -> None:
    """Drop a remembered widget value that is no longer among the widget's options.

    A filter remembers its value across pages; when the plan changes (a population deleted,
    another plan opened) the value may name something that is gone. Call before the widget.
    """
    ss = st.session_state
    if key not in ss:
        return
    value = ss[key]
    if multi:
        kept = [v for v in value or () if v in options]
        if kept != list(value or ()):
            ss[key] = kept
    elif value is not None and value not in options:
        del ss[key]
