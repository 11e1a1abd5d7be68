"""``prevplan rules check``: load and validate the concept rules, print what they hold."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from prevplan.rules import default_rules_dir, load_rules


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
    print(f"Rules in {directory}: valid.")
    for name, count in rules.counts().items():
        print(f"  {name:<24} {count:>5}")
    return 0
