"""No traceback on a page: an unexpected error becomes a message with the details folded.

The router runs every page inside :func:`friendly_errors`. Streamlit's own control flow
(``st.rerun``, ``st.stop``, page switches) raises ``BaseException`` subclasses and passes
through untouched.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import streamlit as st

from prevplan.i18n import N_, _

UNEXPECTED: Final = N_("Something went wrong on this page.")


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Show an unexpected error as a short message with an expander holding the details."""
    try:
        yield
    except Exception as err:
        st.error(
            _(UNEXPECTED)
            + " "
            + _(
                "Your plan and your edits are kept. Try again, or undo the last change from "
                "the sidebar. If it happens again, send the details below to whoever "
                "supports prevplan for you."
            ),
            icon="⚠️",
        )
        with st.expander(_("Details for support")):
            st.code("".join(traceback.format_exception(err)), language=None)
