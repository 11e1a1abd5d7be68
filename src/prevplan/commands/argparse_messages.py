"""argparse's own words — "usage:", "options", its error messages — in the user's language.

The ``prevplan`` command line (interfaces reference §3) answers in the language chosen with
``--lang`` or ``PREVPLAN_LANG``; the words argparse writes itself around prevplan's help
texts and in its errors must follow. argparse looks every one of them up with the
module-level ``_`` (``gettext.gettext``) and ``ngettext`` of :mod:`argparse`:
:func:`argparse_in_language` points those at prevplan's catalogue while a command line is
parsed and puts them back afterwards, so nothing changes for any other user of argparse.

The messages below are the ones of the installed Python's argparse (3.11) that a user of
``prevplan`` can see, marked with ``N_`` only so that extraction puts them in prevplan's
catalogue; argparse's ``%``-style placeholders are kept exactly as argparse fills them.

The language must be known before the parser is built — the help texts are translated as
the parser is made — so :func:`language_in_argv` reads ``--lang`` from the raw arguments.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from prevplan.i18n import LANGUAGES, N_, _, ngettext

ARGPARSE_MESSAGES: tuple[str, ...] = (
    # Help.
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    # Errors: "prevplan export: error: argument --format: invalid choice: …".
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
"""Every argparse message a ``prevplan`` user can meet, by argparse's own English text.

argparse's one plural message ("expected %s argument(s)") answers an option that takes a
fixed number of values; prevplan has none, so it is not here."""


def _argparse_gettext(message: str) -> str:
    # argparse also passes None (a sub-command group without a description).
    return _(message) if message else message


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext(singular, plural, n)


@contextmanager
def argparse_in_language() -> Iterator[None]:
    """argparse speaks the current language (:func:`prevplan.i18n.use_language`) in this
    block: it is the block of one command line's parsing, never left in place."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _argparse_gettext  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def language_in_argv(argv: Sequence[str]) -> str | None:
    """The language a command line asks for with ``--lang X`` or ``--lang=X`` (the last one
    wins, as in argparse), or ``None``; an unknown code is left for argparse to refuse."""
    chosen: str | None = None
    args = list(argv)
    for n, arg in enumerate(args):
        if arg == "--":
            break
        name, equals, value = arg.partition("=")
        # argparse also takes an unambiguous abbreviation: ``--la ru``.
        if len(name) < 3 or not "--lang".startswith(name):
            continue
        if not equals:
            value = args[n + 1] if n + 1 < len(args) else ""
        chosen = value if value in LANGUAGES else None
    return chosen
