"""``prevplan rules check``: load and validate the concept rules, print what they hold.

Trainers and national teams run it to see how much of the Concept is encoded; translators
run it on ``concept_rules/`` after editing ``translations/ru.yaml`` or ``zh.yaml``. The
counts and every problem come out in the language of ``--lang``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prevplan.commands import rules_show
from prevplan.i18n import _, format_number, text_width
from prevplan.rules import RuleSet, default_rules_dir, load_rules
from prevplan.rules.ruleset import TRANSLATED_TEXTS


def _count_name(rules: RuleSet, name: str) -> str:
    """A name of :meth:`RuleSet.counts` (marked for translation there) in the current language."""
    for lang in rules.files.translations:
        if name == TRANSLATED_TEXTS.format(lang=lang):
            return _(TRANSLATED_TEXTS).format(lang=lang)
    return _(name)


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``prevplan rules`` with its actions ``check`` and ``show``."""
    rules = commands.add_parser("rules", help=_("inspect the concept rules"))
    sub = rules.add_subparsers(dest="rules_command", metavar="ACTION")
    sub.required = True
    check = sub.add_parser("check", help=_("load and validate the rules; print counts per kind"))
    check.add_argument(
        "--rules", type=Path, default=None, help=_("rules folder (default: shipped)")
    )
    check.set_defaults(handler=run)
    rules_show.register(sub)


def run(args: argparse.Namespace) -> int:
    """Load the rules (exit 2 with every problem if they are invalid) and print the counts."""
    directory: Path = args.rules or default_rules_dir()
    rules = load_rules(directory)
    print(_("Rules in {directory}: valid.").format(directory=directory))
    counts = {_count_name(rules, name): count for name, count in rules.counts().items()}
    width = max(24, *(text_width(name) for name in counts))
    for name, count in counts.items():
        padding = " " * (width - text_width(name))
        print(f"  {name}{padding} {format_number(count):>5}")
    return 0
