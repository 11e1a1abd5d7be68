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
from prevplan.problems import ProblemsError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prevplan",
        description=(
            "Plan drug-use prevention on the SCO Concept on Preventing the Abuse of Narcotic "
            "Drugs and Psychotropic Substances: cited recommendations, coverage and reports."
        ),
    )
    parser.add_argument(
        "--lang",
        choices=["en", "ru", "zh"],
        default=os.environ.get("PREVPLAN_LANG", "en"),
        help="language of messages and reports (default: en, or PREVPLAN_LANG)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    register_all(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
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
