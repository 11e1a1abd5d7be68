"""No traceback on a page: an unexpected error becomes a short message and a reference.

The router runs every page inside :func:`friendly_errors`, and widget callbacks go through
:func:`report_unexpected` (see :func:`prevplan.ui.state.callback`). The visitor sees a
short translated message with a reference such as ``E-3F9A1C2B``; the details — traceback,
paths, data — go to the server's log under that reference, never to the page, as
``client.showErrorDetails = "none"`` does for Streamlit's own errors. Whoever supports
prevplan finds the entry in the log from the reference the user reports.

Streamlit's own control flow (``st.rerun``, ``st.stop``, page switches) raises
``BaseException`` subclasses and passes through untouched.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import streamlit as st

from prevplan.i18n import N_, _

UNEXPECTED: Final = N_("Something went wrong on this page.")

LOG: Final = logging.getLogger("prevplan.app")


def report_unexpected(err: BaseException) -> str:
    """Log ``err`` with its traceback under a new reference, and return the reference."""
    reference = "E-" + secrets.token_hex(4).upper()
    LOG.error("unexpected error, reference %s", reference, exc_info=err)
    return reference


def reference_text(reference: str) -> str:
    """The sentence that gives the user the reference to report."""
    return _(
        "If it happens again, give whoever supports prevplan for you the reference {reference}."
    ).format(reference=reference)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Show an unexpected error as a short message with a reference; details to the log."""
    try:
        yield
    except Exception as err:
        reference = report_unexpected(err)
        st.error(
            _(UNEXPECTED)
            + " "
            + _(
                "Your plan and your edits are kept. Try again, or undo the last change from "
                "the sidebar."
            )
            + " "
            + reference_text(reference),
            icon="⚠️",
        )
