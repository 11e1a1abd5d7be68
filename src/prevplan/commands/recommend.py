"""``prevplan recommend FILE``: recommendations for every population in a file.

JSON (default) is an array with one object per population, in input order; CSV has one row
per population and item (strategy, intervention, priority factor, action item, warning), for
spreadsheets; ``table`` is for reading in a terminal.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prevplan.commands.output import Progress, write_text_atomically
from prevplan.engine import recommend, recommendation_json
from prevplan.engine.models import Recommendation
from prevplan.i18n import _
from prevplan.population import TargetPopulation
from prevplan.population_io import read_populations
from prevplan.rules import RuleSet, load_rules

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
    write_text_atomically(render(populations, rules, progress), args.output)
    return 0


def _json_chunks(
    populations: list[TargetPopulation], rules: RuleSet, progress: Progress
) -> Iterator[str]:
    yield "["
    batch: list[str] = []
    for n, population in enumerate(populations, start=1):
        batch.append(recommendation_json(population, rules))
        if n % 2000 == 0:
            yield ("," if n > 2000 else "") + "\n" + ",\n".join(batch)
            batch = []
            progress.update(n)
    if batch:
        yield ("," if len(populations) > len(batch) else "") + "\n" + ",\n".join(batch)
    progress.update(len(populations))
    yield "\n]\n"


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


def recommendations_as_json(recs: list[Recommendation]) -> str:
    return json.dumps([r.model_dump(mode="json") for r in recs], ensure_ascii=False, indent=2)
