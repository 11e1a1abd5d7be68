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
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from prevplan.i18n import LANGUAGES, N_, _, ngettext, text_width

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


class WidthAwareHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout measured in screen columns rather than characters.

    argparse lines the help texts up by ``len()`` and wraps them at spaces: a Chinese
    character takes two columns of a terminal and Chinese puts no spaces between words, so
    a translated metavar (``输出文件``) pushes its help text out of line and a Chinese help
    text runs past the terminal's edge. This formatter counts columns with
    :func:`prevplan.i18n.text_width` and may break a line between two Chinese characters.
    Latin text is laid out exactly as argparse does it.
    """

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is argparse.SUPPRESS:
            return
        widest = max(
            text_width(self._format_action_invocation(a))
            for a in (action, *self._iter_indented_subactions(action))
        )
        self._action_max_length = max(self._action_max_length, widest + self._current_indent)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = text_width(header) - len(header)
        start = " " * self._current_indent + header
        if not extra or not text.startswith(start):
            return text
        rest = text[len(start) :]
        if rest.startswith("\n"):  # the help text already starts on the next line
            return text
        help_position = min(self._action_max_length + 2, self._max_help_position)
        if text_width(header) <= help_position - self._current_indent - 2:
            # argparse padded the header by its length; take off what wide characters add.
            return start + rest[extra:]
        # Too wide on screen to share its line: the help text goes under it, as argparse
        # does with a long header.
        return start + "\n" + " " * help_position + rest.lstrip(" ")

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text_width(text) == len(text):
            return super()._split_lines(text, width)
        return wrap_by_width(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text_width(text) == len(text):
            return super()._fill_text(text, width, indent)
        lines = wrap_by_width(" ".join(text.split()), width - len(indent))
        return "\n".join(indent + line for line in lines)


# A line may break between two wide (Chinese) characters; elsewhere only at spaces.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_PIECES = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")


def wrap_by_width(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` screen columns (a longer word stays whole)."""
    lines: list[str] = []
    line = ""
    for piece in _PIECES.findall(text):
        if piece.isspace():
            if line:
                line += " "
            continue
        if line and text_width(line + piece) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return lines
