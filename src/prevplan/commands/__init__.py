"""Sub-commands of the ``prevplan`` command line, one module each.

Running one command imports only its own module. ``prevplan --help`` lists every command
from the name and help line kept here; the module of a command — which adds its arguments
and handler, and imports what it needs (``assess`` and ``export`` read workbooks, draw
charts and reach the database) — is imported when the command is run or its own help is
asked for. A national ``prevplan recommend`` thus never loads openpyxl, pandas or plotly.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from typing import Any

from prevplan.commands.argparse_messages import WidthAwareHelpFormatter
from prevplan.commands.lang_option import add_lang_to_commands
from prevplan.i18n import N_, _

COMMANDS: dict[str, tuple[str, str]] = {
    "rules": ("prevplan.commands.rules_check", N_("inspect the concept rules")),
    "recommend": (
        "prevplan.commands.recommend",
        N_("recommend a strategy mix for each population"),
    ),
    "assess": ("prevplan.commands.assess", N_("assess a plan or an inventory of activities")),
    "export": (
        "prevplan.commands.export",
        N_("export a plan: PDF report for approval, Excel workbook or full JSON"),
    ),
    "programmes": (
        "prevplan.commands.programmes",
        N_("list, filter and compare named prevention programmes"),
    ),
    "optimise": (
        "prevplan.commands.optimise",
        N_("choose how to spend a budget on a plan's populations"),
    ),
    "backup": (
        "prevplan.commands.backup",
        N_("copy every saved plan and version into one backup file"),
    ),
}
"""Each command's module and the help line ``prevplan --help`` shows for it (in English:
it is translated when the parser is built)."""


def register_all(commands: argparse._SubParsersAction[Any]) -> None:
    """Add every sub-command to the parser, each module to be imported on first use."""
    parser_class = commands._parser_class
    commands._parser_class = _LazyParser
    try:
        for name, (module, help_line) in COMMANDS.items():
            commands.add_parser(
                name, help=_(help_line), module=module, formatter_class=WidthAwareHelpFormatter
            )
    finally:
        commands._parser_class = parser_class


class _LazyParser(argparse.ArgumentParser):
    """A command's parser that gets its arguments from the command's module when used."""

    def __init__(self, *, module: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.module = module
        self.loaded = False

    def load(self) -> None:
        """Import the command's module and let it add its arguments to this parser."""
        if not self.loaded:
            self.loaded = True
            importlib.import_module(self.module).register(_Into(self))
            add_lang_to_commands(self)  # ``--lang`` after an action too (``rules check``)

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction[Any]:
        # A command's own actions (``rules check``) are plain parsers.
        kwargs.setdefault("parser_class", _ActionParser)
        return super().add_subparsers(**kwargs)

    def parse_known_args(  # type: ignore[override]  # the signature of Python 3.11
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.load()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self.load()
        return super().format_help()

    def format_usage(self) -> str:
        self.load()
        return super().format_usage()


class _ActionParser(argparse.ArgumentParser):
    """The parser of a command's action (``rules check``), laid out as the others."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", WidthAwareHelpFormatter)
        super().__init__(**kwargs)


class _Into:
    """What a command module's ``register`` adds its parser to: the lazy parser itself."""

    _SETTINGS = ("description", "epilog", "formatter_class", "usage", "add_help")

    def __init__(self, parser: _LazyParser) -> None:
        self.parser = parser

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        for setting in self._SETTINGS:
            if setting in kwargs:
                setattr(self.parser, setting, kwargs[setting])
        return self.parser
