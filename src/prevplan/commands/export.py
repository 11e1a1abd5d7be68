"""``prevplan export FILE``: the plan report (PDF), workbook (Excel) or full JSON of a plan.

FILE is a plan file — YAML or JSON, or a workbook this command exported — or, when no such
file exists, the name of a plan saved in the database (``prevplan.storage``). The format
comes from ``--format``, else from the suffix of ``--output``. A saved plan's PDF says on its
title page who approved which version and when, as the Approval page's download does, when
the version exported is an approved one; ``--approved`` exports the newest approved version
rather than the latest. The output is written
atomically: a failure leaves no partial file and an existing file untouched. Every expected
failure is exit code 2 with one line per problem.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prevplan.commands.output import check_output, write_bytes_atomically, write_failed
from prevplan.export.formats import FORMATS, Format, export_plan, read_plan_file
from prevplan.i18n import _, use_language
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet, load_rules

if TYPE_CHECKING:
    from prevplan.export.pdf import ApprovalStamp
    from prevplan.storage import SqlPlanStore
    from prevplan.storage.records import ReviewStep

SUFFIXES: dict[str, Format] = {".pdf": "pdf", ".xlsx": "xlsx", ".json": "json"}


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        "export",
        help=_("export a plan: PDF report for approval, Excel workbook or full JSON"),
        description=_(
            "Export a plan as the PDF report for approval, an Excel workbook (one sheet per "
            "table; it imports back) or the full JSON (a valid plan file)."
        ),
    )
    parser.add_argument(
        "file",
        metavar=_("file"),
        help=_(
            "plan file (YAML, JSON, or an .xlsx this command exported), or the name of a "
            "plan saved in the database"
        ),
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=_("pdf, xlsx or json (default: from the suffix of --output)"),
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar=_("OUTPUT"),
        help=_("write the export here"),
    )
    parser.add_argument(
        "--approved",
        action="store_true",
        help=_(
            "a saved plan: export its newest approved version, with who approved it and "
            "when, rather than its latest version"
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    output: Path = args.output
    check_output(output)  # checked now: the export itself may take a while
    fmt = _format(args.format, output)
    # ``--lang`` (before or after the command) is the language of the report's own words.
    lang = getattr(args, "lang", None) or "en"
    if fmt == "pdf":
        _quiet_browser_driver()
        # Starting Chromium for the charts is the slowest step: begin while the rules and
        # the plan are read.
        from prevplan.export.images import warm_up_in_background

        warm_up_in_background()
    with use_language(lang):
        rules = load_rules()
        approved_only = bool(getattr(args, "approved", False))
        if approved_only and Path(args.file).exists():
            raise ProblemsError(
                [Problem(args.file, "", "--approved", _("is for a plan saved in the database"))]
            )
        if Path(args.file).exists():
            plan, stamp = load_plan(args.file, rules), None
        else:
            plan, stamp = _saved_plan_and_approval(args.file, rules, approved_only=approved_only)
        if fmt == "pdf" and stamp is not None:
            from prevplan.export.pdf import plan_report_pdf

            data = plan_report_pdf(plan, rules, lang=lang, approval=stamp)
        else:
            data = export_plan(plan, fmt, rules, lang=lang)
    try:
        write_bytes_atomically(data, output)
    except OSError as err:
        raise write_failed(output, err) from None
    return 0


def _quiet_browser_driver() -> None:
    """Keep the chart browser's driver from printing tracebacks on the terminal.

    choreographer logs, with a traceback, the odd message from Chromium it cannot parse and
    then ignores; with no logging set up, Python prints that to stderr. A real failure
    still reaches the user, as a problem line from :mod:`prevplan.export.images`.
    """
    for name in ("choreographer", "kaleido"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
    # The browser driver's own threads, and its temporary profile folder removed at exit,
    # can fail when the command ends first (a refused plan while Chromium is starting, or a
    # profile Chromium is still writing): Python would print their tracebacks. They are
    # kept for PREVPLAN_DEBUG only; the command's own outcome is already said.
    if not os.environ.get("PREVPLAN_DEBUG"):
        threading.excepthook = lambda _args: None
        sys.unraisablehook = lambda _args: None


def _format(given: str | None, output: Path) -> Format:
    suffix = output.suffix.lower()
    implied = SUFFIXES.get(suffix)
    if given is None:
        if implied is None:
            raise ProblemsError(
                [
                    Problem(
                        str(output),
                        "",
                        "--format",
                        _(
                            "missing; give --format pdf, xlsx or json, or an --output ending "
                            "in .pdf, .xlsx or .json"
                        ),
                    )
                ]
            )
        return implied
    fmt = SUFFIXES[f".{given}"]
    if implied is not None and implied != fmt:
        raise ProblemsError(
            [
                Problem(
                    str(output),
                    "",
                    "--output",
                    _(
                        "ends in {suffix} but --format is {format}; expected a name ending "
                        "in .{format}"
                    ).format(suffix=suffix, format=fmt),
                )
            ]
        )
    return fmt


def load_plan(source: str, rules: RuleSet) -> Plan:
    """The plan in file ``source``, else the plan saved in the database under that name."""
    path = Path(source)
    if path.exists():
        return read_plan_file(path, rules)
    return _saved_plan(source, rules)


def _saved_plan(name: str, rules: RuleSet) -> Plan:
    return _saved_plan_and_approval(name, rules, approved_only=False)[0]


def _saved_plan_and_approval(
    name: str, rules: RuleSet, *, approved_only: bool
) -> tuple[Plan, ApprovalStamp | None]:
    """The saved plan's latest version (``approved_only``: its newest approved one) and,
    when that version was approved, who approved it and when."""
    try:
        from prevplan import storage
    except ImportError:
        raise ProblemsError(
            [
                Problem(
                    name,
                    "",
                    "",
                    _(
                        "no such file; expected a plan file (YAML, JSON or .xlsx) — plans "
                        "saved in a database are not available in this installation"
                    ),
                )
            ]
        ) from None
    url = storage.resolve_url()
    try:
        parsed = storage.database.parse_url(url)
    except storage.StorageError as err:
        raise ProblemsError([Problem(name, "", "PREVPLAN_DATABASE_URL", str(err))]) from None
    database = parsed.database or ""
    local = parsed.get_backend_name() == "sqlite" and database not in ("", ":memory:")
    if local and not Path(database).expanduser().exists():
        # Nothing was ever saved here; do not create a database to find that out.
        raise ProblemsError(
            [
                Problem(
                    name,
                    "",
                    "",
                    _(
                        "no such file, and no plans are saved yet ({database} does not "
                        "exist); expected a plan file (YAML, JSON or .xlsx) or a saved "
                        "plan's name"
                    ).format(database=database),
                )
            ]
        )
    try:
        from prevplan.export.pdf import ApprovalStamp

        with storage.store_from_url(url, rules=rules) as store:
            step = _approval(store, name, approved_only=approved_only)
            plan = store.load(name, step.version if approved_only and step else None)
            return plan, (
                None
                if step is None
                else ApprovalStamp(step.version, step.actor, step.at, step.comment)
            )
    except storage.PlanNotFoundError:
        raise ProblemsError(
            [
                Problem(
                    name,
                    "",
                    "",
                    _(
                        "no such file, and no plan of that name is saved in the database "
                        "({database}); expected a plan file (YAML, JSON or .xlsx) or a "
                        "saved plan's name"
                    ).format(database=storage.database.describe(parsed)),
                )
            ]
        ) from None
    except storage.StorageError as err:
        raise ProblemsError(
            [
                Problem(
                    name,
                    "",
                    "",
                    _("no such file; looking it up as a saved plan failed: {error}").format(
                        error=err
                    ),
                )
            ]
        ) from None


def _approval(store: SqlPlanStore, name: str, *, approved_only: bool) -> ReviewStep | None:
    """The step that approved the version to export: the latest version's approval, or —
    ``approved_only`` — the newest approved version's (a problem when there is none)."""
    from prevplan.storage.access import LOCAL
    from prevplan.storage.scoped import scoped

    whole = scoped(store, LOCAL)  # the command has the database itself: every plan is open
    found = whole.plan_access(name)
    if approved_only:
        if found.approval is None:
            raise ProblemsError(
                [
                    Problem(
                        name,
                        "",
                        "--approved",
                        _("no version of this plan is approved; export its latest version"),
                    )
                ]
            )
        return found.approval
    return whole.approval_of(name, found.latest_version)
