"""The ``--lang`` option of the ``prevplan`` command line, before and after any command.

Messages, help texts and reports come out in English, Russian or Chinese. ``--lang`` is
accepted before the command (``prevplan --lang ru recommend F``) and after it
(``prevplan recommend F --lang ru``); ``PREVPLAN_LANG`` sets the default. Used by
:mod:`prevplan.cli`, which builds the parser, and by the lazily loaded command parsers of
:mod:`prevplan.commands`, so neither imports the other for it.
"""

from __future__ import annotations

import argparse
import os

from prevplan.i18n import LANGUAGES, _


def default_language() -> str:
    """``PREVPLAN_LANG`` when it names a language prevplan speaks, else English."""
    chosen = os.environ.get("PREVPLAN_LANG", "").strip()
    return chosen if chosen in LANGUAGES else "en"


def add_lang_to_commands(parser: argparse.ArgumentParser) -> None:
    """Accept ``--lang`` after any command too (``prevplan recommend FILE --lang ru``).

    There it overrides the value given before the command only when it is present; a command
    that defines its own ``--lang`` keeps it.
    """
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                if "--lang" not in command._option_string_actions:
                    add_lang(command, argparse.SUPPRESS)
                add_lang_to_commands(command)


def add_lang(parser: argparse.ArgumentParser, default: str) -> None:
    """Add ``--lang`` to ``parser``, with ``default`` (``SUPPRESS``: keep what was given)."""
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=default,
        help=_("language of messages and reports (default: en, or PREVPLAN_LANG)"),
    )
