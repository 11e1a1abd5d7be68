"""Helpers for the app's AppTests."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from prevplan.ui.errors import UNEXPECTED

ROOT = Path(__file__).resolve().parents[2]
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


def assert_clean(at: AppTest) -> None:
    """No exception reached Streamlit, and no page showed the 'something went wrong' box."""
    assert not at.exception, [e.value for e in at.exception]
    unexpected = [e.value for e in at.error if UNEXPECTED in e.value]
    details = [c.value for c in at.code]
    assert not unexpected, details


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def shown(markdown: str) -> str:
    """The text a reader sees for markdown the app escaped as plain text
    (:func:`prevplan.ui.widgets.escape`): escapes and word joiners removed."""
    return _ESCAPED.sub(r"\1", markdown).replace("\u2060", "")


def texts(at: AppTest, kind: str) -> list[str]:
    """The text of every element of one kind (``error``, ``success``, ``markdown`` …), as
    the reader sees it (markdown escapes removed). A message shown as a toast counts as its
    kind (:data:`prevplan.ui.widgets.TOASTS`: a success toast is a ``success``)."""
    from prevplan.ui.widgets import TOASTS

    found = [shown(str(e.value)) for e in getattr(at, kind)]
    if kind in TOASTS:
        icon = TOASTS[kind][0]
        found += [shown(str(t.value)) for t in at.toast if t.icon == icon]
    return found


def go(at: AppTest, page: str) -> AppTest:
    """Switch to ``app_pages/<page>.py``, run, and check that nothing went wrong."""
    at.switch_page(f"app_pages/{page}.py").run()
    assert_clean(at)
    return at
