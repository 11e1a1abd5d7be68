"""The ``prevplan`` command line (interfaces reference §3).

Each sub-command lives in its own module under :mod:`prevplan.commands`; this module only
builds the parser, dispatches, and turns every expected failure into exit code 2 with one
line per problem — never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from prevplan.commands import register_all
from prevplan.commands.argparse_messages import (
    WidthAwareHelpFormatter,
    argparse_in_language,
    language_in_argv,
)
from prevplan.i18n import LANGUAGES, N_, _, ngettext, use_language
from prevplan.memory import command_running
from prevplan.problems import ProblemsError


def _default_language() -> str:
    """``PREVPLAN_LANG`` when it names a language prevplan speaks, else English."""
    chosen = os.environ.get("PREVPLAN_LANG", "").strip()
    return chosen if chosen in LANGUAGES else "en"


DESCRIPTION = N_(
    "Plan drug-use prevention on the SCO Concept on Preventing the Abuse of Narcotic "
    "Drugs and Psychotropic Substances: cited recommendations, coverage and reports."
)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help texts in the current language (see :func:`main`)."""
    parser = argparse.ArgumentParser(
        prog="prevplan", description=_(DESCRIPTION), formatter_class=WidthAwareHelpFormatter
    )
    _add_lang(parser, _default_language())
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    commands.required = True
    register_all(commands)
    _add_lang_to_commands(parser)
    return parser


def _add_lang_to_commands(parser: argparse.ArgumentParser) -> None:
    """Accept ``--lang`` after any command too (``prevplan recommend FILE --lang ru``).

    There it overrides the value given before the command only when it is present; a command
    that defines its own ``--lang`` keeps it.
    """
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                if "--lang" not in command._option_string_actions:
                    _add_lang(command, argparse.SUPPRESS)
                _add_lang_to_commands(command)


def _add_lang(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=default,
        help=_("language of messages and reports (default: en, or PREVPLAN_LANG)"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Help texts and argparse's own words are made with the parser: in the language asked
    # for, which must be read before argparse reads it.
    asked = language_in_argv(arguments) or _default_language()
    with use_language(asked), argparse_in_language():
        parser = build_parser()
        args = parser.parse_args(arguments)
    with use_language(args.lang):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    """The chosen sub-command, with every expected failure turned into an exit code."""
    try:
        with command_running():  # the one place the collector may be paused
            code: int = args.handler(args)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        count = len(exc.problems)
        print(
            ngettext("{n} problem found.", "{n} problems found.", count).format(n=count),
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (``| head``) stopped listening: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code


if __name__ == "__main__":
    sys.exit(main())
