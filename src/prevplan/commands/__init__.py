"""Sub-commands of the ``prevplan`` command line, one module each."""

from __future__ import annotations

import argparse
from typing import Any

from prevplan.commands import assess, export, recommend, rules_check


def register_all(commands: argparse._SubParsersAction[Any]) -> None:
    """Add every sub-command to the parser."""
    rules_check.register(commands)
    recommend.register(commands)
    assess.register(commands)
    export.register(commands)
