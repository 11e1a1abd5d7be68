"""``prevplan rules check``: load and validate the concept rules, print what they hold."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prevplan.i18n import N_, _, format_number, text_width
from prevplan.rules import default_rules_dir, load_rules

#: What :meth:`RuleSet.counts` counts, marked for translation (its keys are English).
COUNT_NAMES = {
    "clauses (Annex VI)": N_("clauses (Annex VI)"),
    "clauses (Annex IV)": N_("clauses (Annex IV)"),
    "citable parts": N_("citable parts"),
    "levels": N_("levels"),
    "age stages": N_("age stages"),
    "risk factors": N_("risk factors"),
    "protective factors": N_("protective factors"),
    "strategies": N_("strategies"),
    "interventions": N_("interventions"),
    "action items (Annex V)": N_("action items (Annex V)"),
    "relations": N_("relations"),
    "relations stated": N_("relations stated"),
    "relations inferred": N_("relations inferred"),
    "evidence items": N_("evidence items"),
    "warning codes": N_("warning codes"),
}
TRANSLATED = N_("translated texts ({lang})")


def _count_name(name: str) -> str:
    """A name of :meth:`RuleSet.counts` in the current language."""
    if name in COUNT_NAMES:
        return _(COUNT_NAMES[name])
    if name.startswith("translated texts (") and name.endswith(")"):
        return _(TRANSLATED).format(lang=name[len("translated texts (") : -1])
    return name


def register(commands: argparse._SubParsersAction[Any]) -> None:
    rules = commands.add_parser("rules", help="inspect the concept rules")
    sub = rules.add_subparsers(dest="rules_command", metavar="ACTION")
    sub.required = True
    check = sub.add_parser("check", help="load and validate the rules; print counts per kind")
    check.add_argument("--rules", type=Path, default=None, help="rules folder (default: shipped)")
    check.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    directory: Path = args.rules or default_rules_dir()
    rules = load_rules(directory)
    print(_("Rules in {directory}: valid.").format(directory=directory))
    counts = {_count_name(name): count for name, count in rules.counts().items()}
    width = max(24, *(text_width(name) for name in counts))
    for name, count in counts.items():
        padding = " " * (width - text_width(name))
        print(f"  {name}{padding} {format_number(count):>5}")
    return 0
