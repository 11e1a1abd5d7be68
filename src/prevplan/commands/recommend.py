"""``prevplan recommend FILE``: recommendations for every population in a file.

JSON (default) is an array with one object per population, in input order; CSV has one row
per population and item (strategy, intervention, priority factor, action item, warning), for
spreadsheets; ``table`` is for reading in a terminal.

A national file of many populations is recommended on every processor the machine lets
prevplan use: the populations are split into consecutive parts, forked workers write their
parts to temporary files and the parts are joined in input order, so the output is exactly
what one process would write. ``PREVPLAN_WORKERS=1`` turns this off; ``PREVPLAN_WORKERS=N``
sets the number of workers.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import io
import os
import signal
import sys
import tempfile
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import IO, Any

from prevplan.commands.output import Progress, write_text_atomically
from prevplan.engine import recommend
from prevplan.engine.models import Recommendation
from prevplan.engine.recommend import recommendations_json
from prevplan.i18n import _
from prevplan.population import TargetPopulation
from prevplan.population_io import read_populations
from prevplan.rules import RuleSet, load_rules

PARALLEL_FROM = 20_000
"""Fewer populations than this are recommended in one process: forking would not pay."""

CHUNK = 2_000
"""Populations per chunk of output (and per progress update)."""

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
    parser = commands.add_parser("recommend", help="recommend a strategy mix for each population")
    parser.add_argument("file", type=Path, help="population file (YAML, JSON or CSV)")
    parser.add_argument("--format", choices=["json", "csv", "table"], default="json")
    parser.add_argument("--output", type=Path, default=None, help="write here (default: stdout)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    populations = read_populations(args.file)
    rules = load_rules()
    progress = Progress(len(populations), _("Recommending"))
    render = {"json": _json_chunks, "csv": _csv_chunks, "table": _table_chunks}[args.format]
    with _gc_paused():
        write_text_atomically(render(populations, rules, progress), args.output)
    return 0


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the output is built.

    Rendering creates many short-lived strings and no reference cycles; without the pause the
    collector would keep walking every population read.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _json_chunks(
    populations: list[TargetPopulation], rules: RuleSet, progress: Progress
) -> Iterator[str]:
    parts = _split(populations, _workers(len(populations)))
    children = [_fork(part, rules) for part in parts[1:]]
    try:
        yield "[\n"
        done = 0
        for chunk in _with_commas(_json_parts(parts[0], rules)):
            yield chunk
            # The workers go at the same pace: count their work as done alongside.
            done = min(len(parts[0]), done + CHUNK)
            progress.update(done * len(populations) // len(parts[0]))
        for part, child in zip(parts[1:], children, strict=True):
            yield ",\n"
            yield from _worker_text(part, rules, child)
        progress.update(len(populations))
        yield "\n]\n"
    finally:
        for child in children:
            child.stop()


def _json_parts(populations: Sequence[TargetPopulation], rules: RuleSet) -> Iterator[str]:
    """The records of ``populations`` joined by ``,\\n``, ``CHUNK`` records at a time."""
    records = recommendations_json(populations, rules)
    while batch := list(islice(records, CHUNK)):
        yield ",\n".join(batch)


def _workers(count: int) -> int:
    """How many processes to recommend ``count`` populations in."""
    if not hasattr(os, "fork"):
        return 1
    wanted = os.environ.get("PREVPLAN_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) >= 1:
        return min(int(wanted), max(count, 1))
    if count < PARALLEL_FROM:
        return 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(usable or 1, 8))


def _split(populations: list[TargetPopulation], parts: int) -> list[list[TargetPopulation]]:
    """``parts`` consecutive slices of nearly equal size (never an empty one)."""
    size = max(1, -(-len(populations) // parts))
    return [populations[n : n + size] for n in range(0, len(populations), size)] or [[]]


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


def _fork(part: Sequence[TargetPopulation], rules: RuleSet) -> _Worker:
    """Start a worker for ``part`` (if the system refuses, the parent will do the part)."""
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
        text = io.TextIOWrapper(output, encoding="utf-8", newline="")
        text.writelines(_with_commas(_json_parts(part, rules)))
        text.flush()
        status = 0
    finally:
        os._exit(status)


def _with_commas(chunks: Iterator[str]) -> Iterator[str]:
    """The chunks with the ``,\\n`` that separates records between them."""
    for n, chunk in enumerate(chunks):
        yield chunk if n == 0 else ",\n" + chunk


def _worker_text(
    part: Sequence[TargetPopulation], rules: RuleSet, worker: _Worker
) -> Iterator[str]:
    """What the worker wrote, or the part recommended here if the worker failed."""
    if worker.wait():
        worker.output.seek(0)
        text = io.TextIOWrapper(worker.output, encoding="utf-8", newline="")
        while block := text.read(1 << 24):
            yield block
        text.detach()
    else:
        yield from _with_commas(_json_parts(part, rules))


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
        f"{population.name or population.id}  ({population.id}; "
        + _("ages {a}-{b}; {n} people").format(
            a=population.age_min, b=population.age_max, n=population.size
        )
        + ")",
        _("Prevention level: {level} [{refs}]").format(
            level=_(level.label), refs=", ".join(rec.level_sources)
        ),
        _("Age stages: {stages}").format(stages=", ".join(rec.age_stages)),
        _("Settings: {settings}{proposed}").format(
            settings=", ".join(rec.settings),
            proposed=_(" (proposed)") if rec.settings_proposed else "",
        ),
        "",
        _("Strategies (1 = first):"),
    ]
    for s in rec.strategies:
        lines.append(f"  {s.priority}. {s.label} [{s.clause}] {s.kind.value}, {s.basis.value}")
        lines.append(f"     {s.rationale}")
    lines += ["", _("Interventions:")]
    lines += [f"  - {i.label} [{i.clause}] {', '.join(i.settings)}" for i in rec.interventions]
    if rec.priority_risk_factors or rec.weak_protective_factors:
        lines += ["", _("Priority factors:")]
        lines += [f"  - risk {f.id} [{f.clause}] {f.share:.0%}" for f in rec.priority_risk_factors]
        lines += [
            f"  - weak resource {f.id} [{f.clause}] {f.share:.0%}"
            for f in rec.weak_protective_factors
        ]
    lines += ["", _("Program of Actions items: {items}").format(items=", ".join(rec.action_items))]
    if rec.warnings:
        lines += ["", _("Warnings:")]
        lines += [f"  ! {w.code}: {w.message} [{', '.join(w.sources)}]" for w in rec.warnings]
    if rec.avoid:
        lines += ["", _("Avoid:")]
        lines += [f"  x {a.text} ({a.tag})" for a in rec.avoid]
    return "\n".join(lines) + "\n\n"
