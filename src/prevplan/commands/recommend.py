"""``prevplan recommend FILE``: recommendations for every population in a file.

JSON (default) is an array with one object per population, in input order; CSV has one row
per population and item (strategy, intervention, priority factor, action item, warning), for
spreadsheets; ``table`` is for reading in a terminal.

A national file (from :data:`LARGE_FILE` bytes) is recommended as one batch in JSON
(:mod:`prevplan.engine.batch`): a CSV file is read straight into columns, and the records are
written as they are made, block by block, never held whole. It may also be split over forked
worker processes (``PREVPLAN_WORKERS=N``): each writes its consecutive part to a temporary
file, and the parts are joined in input order, so the output is exactly what one process
writes. By default one process does it all: a record costs a few microseconds, so writing
the output is much of the work, and on a two-core machine a second process was measured
slower (its copy-on-write page faults and the extra copy of its part cost more than it
saves).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import csv
import gc
import io
import os
import signal
import sys
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from prevplan.commands.output import Output, Progress, atomic_output, write_text_atomically
from prevplan.engine import recommend
from prevplan.engine.models import Recommendation
from prevplan.engine.recommend import batch_for, recommendations_json
from prevplan.engine.render import label
from prevplan.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    _,
    current_language,
    format_number,
    format_percent,
)
from prevplan.i18n import join_list as join
from prevplan.io.populations import read_population_columns, read_populations
from prevplan.memory import gc_paused
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

if TYPE_CHECKING:
    from prevplan.engine.batch import Batch

PARALLEL_FROM = 20_000
"""Populations from which :data:`DEFAULT_WORKERS` processes share the work when
``PREVPLAN_WORKERS`` does not say: for fewer, forking would not pay."""

CSV_COLUMNS = [
    "population_id",
    "prevention_level",
    "item_type",
    "item_id",
    "kind",
    "priority",
    "clause",
    "basis",
    "text",
    "sources",
]


def register(commands: argparse._SubParsersAction[Any]) -> None:
    parser = commands.add_parser(
        "recommend", help=_("recommend a strategy mix for each population")
    )
    parser.add_argument(
        "file", type=Path, metavar=_("file"), help=_("population file (YAML, JSON or CSV)")
    )
    parser.add_argument("--format", choices=["json", "csv", "table"], default="json")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar=_("OUTPUT"),
        help=_("write here (default: stdout)"),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # What the command leaves in memory (the engine's caches) is freed with the process:
    # the collector need not walk it again at exit, which takes longer than the writing.
    atexit.register(gc.freeze)
    with gc_paused():
        if args.format == "json" and _is_large(args.file):
            columns = read_population_columns(args.file)
            batch = batch_for(columns, load_rules())
            with atomic_output(args.output) as output:
                write_json(batch, output, Progress(len(batch), _("Recommending")))
            return 0
        populations = read_populations(args.file)
        if args.format == "json":
            records = recommendations_json(populations, load_rules())
            with atomic_output(args.output) as output:
                _write_records(records, output)
            return 0
        rules = load_rules()
        progress = Progress(len(populations), _("Recommending"))
        render = {"csv": _csv_chunks, "table": _table_chunks}[args.format]
        write_text_atomically(render(populations, rules, progress), args.output)
    return 0


# --- JSON -----------------------------------------------------------------------------------

LARGE_FILE = 256 * 1024
"""A population file from this size on (a few thousand populations) is read into columns
and recommended as one batch; a smaller one population by population, which spares the
batch's start (numpy)."""


def _is_large(path: Path) -> bool:
    try:
        return path.stat().st_size >= LARGE_FILE
    except OSError:
        return False  # reading it will say what is wrong


def _write_records(records: Iterator[str], output: Output) -> None:
    """The JSON array of the records, written a thousand at a time."""
    output.write(b"[\n")
    first = True
    while batch := list(islice(records, 1000)):
        output.write((b"" if first else b",\n") + ",\n".join(batch).encode())
        first = False
    output.write(b"\n]\n")


def write_json(batch: Batch, output: Output, progress: Progress) -> None:
    """The JSON array of every record, in input order."""
    from prevplan.engine.batch import BLOCK  # imported with the batch already

    parts = _split(len(batch), _workers(len(batch)))
    children = [_fork(batch, start, stop) for start, stop in parts[1:]]
    try:
        output.write(b"[\n")
        start, stop = parts[0]
        done = start
        for pieces in batch.pieces_of(start, stop):
            output.write_pieces(pieces)
            # The workers go at the same pace: count their work as done alongside.
            done = min(stop, done + BLOCK)
            progress.update(done * len(batch) // max(stop, 1))
        for (low, high), child in zip(parts[1:], children, strict=True):
            output.write(b",\n")
            if child.wait():
                output.append_file(child.output)
            else:  # the worker failed: do its part here
                for pieces in batch.pieces_of(low, high):
                    output.write_pieces(pieces)
        progress.update(len(batch))
        output.write(b"\n]\n")
    finally:
        for child in children:
            child.stop()


def _workers(count: int) -> int:
    """How many processes to recommend ``count`` populations in."""
    if not hasattr(os, "fork"):
        return 1
    wanted = os.environ.get("PREVPLAN_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return min(int(wanted), max(count, 1))
    if count < PARALLEL_FROM:
        return 1
    return DEFAULT_WORKERS


DEFAULT_WORKERS = 1
"""Processes for a national file when ``PREVPLAN_WORKERS`` does not say (see above)."""


def _split(count: int, parts: int) -> list[tuple[int, int]]:
    """``parts`` consecutive ranges of nearly equal size (never an empty one)."""
    size = max(1, -(-count // parts))
    return [(n, min(count, n + size)) for n in range(0, count, size)] or [(0, 0)]


class _Worker:
    """A forked process writing the JSON of one part to an (unnamed) temporary file."""

    def __init__(self, pid: int | None, output: IO[bytes]) -> None:
        self.pid = pid
        self.output = output

    def wait(self) -> bool:
        """Wait for the worker; whether it wrote its whole part."""
        if self.pid is None:
            return False
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status) == 0

    def stop(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGTERM)
                os.waitpid(self.pid, 0)
            self.pid = None
        self.output.close()


def _fork(batch: Batch, start: int, stop: int) -> _Worker:
    """Start a worker for one part (if the system refuses, the parent will do the part)."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _Worker.stop
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        return _Worker(None, output)
    if pid:
        return _Worker(pid, output)
    status = 1
    try:  # the worker: write its part, then leave without the parent's clean-up
        writer = Output(fd=output.fileno())
        for pieces in batch.pieces_of(start, stop):
            writer.write_pieces(pieces)
        status = 0
    finally:
        os._exit(status)


# --- CSV and table ----------------------------------------------------------------------------


def csv_rows(rec: Recommendation) -> Iterator[list[str]]:
    """One row per item of a recommendation, in the columns of :data:`CSV_COLUMNS`."""
    base = [rec.population_id, rec.prevention_level.value]
    for s in rec.strategies:
        yield [
            *base,
            "strategy",
            s.id,
            s.kind.value,
            str(s.priority),
            s.clause,
            s.basis.value,
            s.rationale,
            ";".join(s.sources),
        ]
    for i in rec.interventions:
        yield [
            *base,
            "intervention",
            i.id,
            ";".join(i.settings),
            "",
            i.clause,
            i.basis.value,
            i.rationale,
            ";".join(i.sources),
        ]
    for n, f in enumerate(rec.priority_risk_factors, start=1):
        yield [
            *base,
            "priority_risk_factor",
            f.id,
            "risk",
            str(n),
            f.clause,
            "",
            str(f.share),
            f.clause,
        ]
    for f in rec.weak_protective_factors:
        yield [
            *base,
            "weak_protective_factor",
            f.id,
            "protective",
            "",
            f.clause,
            "",
            str(f.share),
            f.clause,
        ]
    for ref in rec.action_items:
        yield [*base, "action_item", ref, "", "", ref, "", "", ref]
    for w in rec.warnings:
        yield [*base, "warning", w.code, "", "", "", "", w.message, ";".join(w.sources)]


def _csv_chunks(
    populations: list[TargetPopulation], rules: RuleSet, progress: Progress
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for n, population in enumerate(populations, start=1):
        writer.writerows(csv_rows(recommend(population, rules)))
        if n % 1000 == 0:
            progress.update(n)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    progress.update(len(populations))
    yield buffer.getvalue()


def _table_chunks(
    populations: list[TargetPopulation], rules: RuleSet, progress: Progress
) -> Iterator[str]:
    for n, population in enumerate(populations, start=1):
        rec = recommend(population, rules)
        yield render_table(population, rec, rules)
        progress.update(n)


def render_table(population: TargetPopulation, rec: Recommendation, rules: RuleSet) -> str:
    """A recommendation as plain text for a terminal."""
    level = rules.levels[rec.prevention_level.value]
    lines = [
        "=" * 78,
        _("{name}  ({id}; ages {a}-{b}; {n} people)").format(
            name=population.name or population.id,
            id=population.id,
            a=population.age_min,
            b=population.age_max,
            n=format_number(population.size),
        ),
        _("Prevention level: {level} [{refs}]").format(
            level=rules.translated(Kind.LEVEL, level.id, "label"),
            refs=", ".join(rec.level_sources),
        ),
        _("Age stages: {stages}").format(stages=_names(rules, Kind.AGE_STAGE, rec.age_stages)),
        _("Settings: {settings}{proposed}").format(
            settings=_names(rules, Kind.SETTING, rec.settings),
            proposed=_(" (proposed)") if rec.settings_proposed else "",
        ),
        "",
        _("Strategies (1 = first):"),
    ]
    for s in rec.strategies:
        kind = _("Fundamental") if s.kind.value == "fundamental" else _("Supporting")
        basis = _("Stated in the text") if s.basis.value == "stated" else _("Inferred by prevplan")
        lines.append(f"  {s.priority}. {s.label} [{s.clause}] {kind}, {basis}")
        lines.append(f"     {s.rationale}")
    lines += ["", _("Interventions:")]
    lines += [
        f"  - {i.label} [{i.clause}] {_names(rules, Kind.SETTING, i.settings)}"
        for i in rec.interventions
    ]
    if rec.priority_risk_factors or rec.weak_protective_factors:
        lines += ["", _("Priority factors:")]
        for template, kind, factors in (
            (N_("risk {factor} [{clause}] {share}"), Kind.RISK_FACTOR, rec.priority_risk_factors),
            (
                N_("weak resource {factor} [{clause}] {share}"),
                Kind.PROTECTIVE_FACTOR,
                rec.weak_protective_factors,
            ),
        ):
            lines += [
                "  - "
                + _(template).format(
                    factor=_name(rules, kind, f.id), clause=f.clause, share=_share(f.share)
                )
                for f in factors
            ]
    lines += ["", _("Program of Actions items: {items}").format(items=", ".join(rec.action_items))]
    if rec.warnings:
        lines += ["", _("Warnings:")]
        lines += [f"  ! {w.code}: {w.message} [{', '.join(w.sources)}]" for w in rec.warnings]
    if rec.avoid:
        lines += ["", _("Avoid:")]
        lines += [f"  x {a.text} ({a.tag})" for a in rec.avoid]
    return "\n".join(lines) + "\n\n"


def _name(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    """An age stage, setting or factor as the table names it: by its id in English (as in
    the JSON and CSV), by its label, lower-cased as in the rationales, in another language."""
    if current_language() == DEFAULT_LANGUAGE:
        return entity_id
    text = label(rules, kind, entity_id, current_language())
    if text[1:2].isupper():  # an abbreviation ("СМИ") keeps its capitals
        return text
    return text[:1].lower() + text[1:]


def _share(share: float | None) -> str:
    """A factor's share of the population as a percentage ("40%", "40 %")."""
    return "?" if share is None else format_percent(share)


def _names(rules: RuleSet, kind: Kind, ids: Iterable[str]) -> str:
    """Ids in English, ``a, b`` (labels in Russian), ``a、b`` (labels in Chinese)."""
    return join(_name(rules, kind, entity_id) for entity_id in ids)
