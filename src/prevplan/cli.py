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
from prevplan.commands.lang_option import add_lang, add_lang_to_commands, default_language
from prevplan.i18n import N_, _, ngettext, use_language
from prevplan.memory import command_running
from prevplan.problems import ProblemsError

DESCRIPTION = N_(
    "Plan drug-use prevention on the SCO Concept on Preventing the Abuse of Narcotic "
    "Drugs and Psychotropic Substances: cited recommendations, coverage and reports."
)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help texts in the current language (see :func:`main`)."""
    parser = argparse.ArgumentParser(
        prog="prevplan", description=_(DESCRIPTION), formatter_class=WidthAwareHelpFormatter
    )
    add_lang(parser, default_language())
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    commands.required = True
    register_all(commands)
    add_lang_to_commands(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Help texts and argparse's own words are made with the parser: in the language asked
    # for, which must be read before argparse reads it.
    asked = language_in_argv(arguments) or default_language()
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
