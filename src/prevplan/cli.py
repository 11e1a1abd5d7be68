"""The ``prevplan`` command line (interfaces reference §3).

Each sub-command lives in its own module under :mod:`prevplan.commands`; this module only
builds the parser, dispatches, and turns every expected failure into exit code 2 with one
line per problem — never a traceback. Whatever a command did not foresee (a system error,
memory running out, a bug) is still one line and exit code 1; ``PREVPLAN_DEBUG=1`` adds the
traceback for whoever fixes it.
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


MESSAGE_LIMIT = 300
"""Characters of an unexpected error's text shown: it may quote input of any size."""


def _run(args: argparse.Namespace) -> int:
    """The chosen sub-command, with every failure turned into an exit code and one line."""
    try:
        with command_running():  # the one place the collector may be paused
            code: int = args.handler(args)
        sys.stdout.flush()
    except ProblemsError as exc:
        _report(exc)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (``| head``) stopped listening: not an error of ours.
        _silence_stdout()
        return 0
    except Exception as exc:
        return _unexpected(exc)
    return code


def _report(exc: ProblemsError) -> None:
    for problem in exc.problems:
        print(str(problem), file=sys.stderr)
    count = len(exc.problems)
    print(
        ngettext("{n} problem found.", "{n} problems found.", count).format(n=count),
        file=sys.stderr,
    )


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that Python's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return


def _unexpected(exc: Exception) -> int:
    """One line for a failure no command foresaw; exit 2 when the input caused it."""
    from prevplan.problems import Problem
    from prevplan.storage.errors import StorageError

    if isinstance(exc, StorageError):
        _report(ProblemsError([Problem(_("database"), "", "", str(exc))]))
        return 2
    if isinstance(exc, OSError) and exc.errno is not None:
        # A system error no command turned into a problem: the file and the system's words.
        _silence_stdout()
        where = str(exc.filename) if exc.filename is not None else "prevplan"
        _report(ProblemsError([Problem(where, "", "", exc.strerror or str(exc))]))
        return 2
    if isinstance(exc, RecursionError):
        message = _("the input is nested too deeply to process")
    elif isinstance(exc, MemoryError):
        message = _("not enough memory to finish; the input is too large for this computer")
    elif isinstance(exc, ValueError) and "digits" in str(exc) and "limit" in str(exc):
        message = _("a number has too many digits to be written out")
    else:
        text = " ".join(str(exc).split())
        if len(text) > MESSAGE_LIMIT:
            text = text[:MESSAGE_LIMIT] + "…"
        message = _("unexpected error ({kind}): {text}").format(kind=type(exc).__name__, text=text)
    print(
        f"prevplan: {message}. " + _("Please report it; PREVPLAN_DEBUG=1 shows the details."),
        file=sys.stderr,
    )
    if os.environ.get("PREVPLAN_DEBUG"):
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
