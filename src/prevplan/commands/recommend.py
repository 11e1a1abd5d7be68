"""``prevplan recommend FILE``: recommendations for every population in a file.

JSON (default) is an array with one object per population, in input order; CSV has one row
per population and item (strategy, intervention, priority factor, action item, warning), for
spreadsheets; ``table`` is for reading in a terminal.

Every population of the file is decided by the engine as one batch
(:mod:`prevplan.engine.decide`). In JSON, a national file (from :data:`LARGE_FILE` bytes) is
read straight into columns, and the records are written as they are made, block by block,
never held whole (:mod:`prevplan.engine.json_writer`).
"""

from __future__ import annotations

import argparse
import atexit
import csv
import gc
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from prevplan.catalogue.present import NONE_FITS
from prevplan.catalogue.present import table_lines as programme_lines
from prevplan.commands.output import (
    Output,
    Progress,
    atomic_output,
    check_output,
    check_output_size,
    write_text_atomically,
)
from prevplan.engine.build import label
from prevplan.engine.decide import Decisions
from prevplan.engine.evidence import delivery_facts
from prevplan.engine.json_writer import BatchWriter
from prevplan.engine.models import Evidence, Recommendation
from prevplan.engine.recommend import decisions_for, recommendations
from prevplan.i18n import (
    N_,
    _,
    current_language,
    format_number,
    format_percent,
)
from prevplan.i18n import join_list as join
from prevplan.io.benchmarks import read_benchmarks, with_benchmarks
from prevplan.io.columns import PopulationColumns
from prevplan.io.populations import read_population_columns, read_populations
from prevplan.memory import gc_paused
from prevplan.population import TargetPopulation
from prevplan.present.labels import extrapolation_text
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind
from prevplan.safe_text import csv_cell, printable

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
    parser.add_argument(
        "--benchmarks",
        type=Path,
        default=None,
        metavar=_("FILE"),
        help=_(
            "national or regional figures (YAML or JSON) to judge the factors of populations "
            "without benchmarks of their own against"
        ),
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=_(
            "write the output even when it would be more than 100 times the size of the "
            "input and over 1 GB, or larger than the free disk space"
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # What the command leaves in memory (the engine's caches) is freed with the process:
    # the collector need not walk it again at exit, which takes longer than the writing.
    atexit.register(gc.freeze)
    if args.output is not None:
        check_output(args.output)  # before any work
    with gc_paused():
        rules = load_rules()
        default = None if args.benchmarks is None else read_benchmarks(args.benchmarks)
        if args.format == "json":
            large = _is_large(args.file)
            columns = (
                read_population_columns(args.file)
                if large
                else PopulationColumns.of(read_populations(args.file))
            )
            if default is not None:
                columns = columns.with_benchmarks(default)
            decisions = decisions_for(columns, rules)
            # One writer estimates and writes: the parts of the samples are written again.
            writer = BatchWriter(decisions, current_language())
            if large:
                check_output_size(
                    _estimated_size(decisions, writer),
                    args.file.stat().st_size,
                    args.output,
                    args.force,
                )
            with atomic_output(args.output) as output:
                write_json(decisions, output, Progress(len(columns), _("Recommending")), writer)
            return 0
        populations = with_benchmarks(read_populations(args.file), default)
        progress = Progress(len(populations), _("Recommending"))
        render = {"csv": _csv_chunks, "table": _table_chunks}[args.format]
        write_text_atomically(render(populations, rules, progress), args.output)
    return 0


# --- JSON -----------------------------------------------------------------------------------

LARGE_FILE = 256 * 1024
"""A population file from this size on (a few thousand populations) is read straight into
columns, without a model object per population."""


def _is_large(path: Path) -> bool:
    try:
        return path.stat().st_size >= LARGE_FILE
    except OSError:
        return False  # reading it will say what is wrong


SAMPLES = 8
"""Stretches of :data:`SAMPLE_SIZE` populations whose JSON estimates the output's size."""
SAMPLE_SIZE = 64


def _estimated_size(decisions: Decisions, writer: BatchWriter | None = None) -> int:
    """About how many bytes the JSON of every recommendation takes, from a few samples."""
    count = len(decisions)
    if count == 0:
        return 0
    writer = writer or BatchWriter(decisions, current_language())
    size = sampled = 0
    step = max(count // SAMPLES, 1)
    for start in range(0, count, step)[:SAMPLES]:
        stop = min(count, start + SAMPLE_SIZE)
        size += sum(map(len, writer.pieces(decisions.block(start, stop), first=False)))
        sampled += stop - start
    return size * count // max(sampled, 1)


def write_json(
    decisions: Decisions, output: Output, progress: Progress, writer: BatchWriter | None = None
) -> None:
    """The JSON array of every population's recommendation, in input order."""
    writer = writer or BatchWriter(decisions, current_language())
    done = 0
    output.write(b"[\n")
    for block in decisions.arrays():
        output.write_pieces(writer.pieces(block, first=not done))
        done += len(block)
        progress.update(done)
    output.write(b"\n]\n")


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
    for n, p in enumerate(rec.programmes, start=1):
        yield [*base, "programme", p.id, p.intervention, str(n), "", p.verdict, p.name, ""]
    for n, f in enumerate(rec.priority_risk_factors, start=1):
        yield [
            *base,
            "priority_risk_factor",
            f.id,
            "risk",
            str(n),
            f.clause,
            f.rule,
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
            f.rule,
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
    # CRLF (RFC 4180): the writer then quotes a cell holding a carriage return, which
    # would otherwise split its row in a spreadsheet.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for n, rec in enumerate(recommendations(populations, rules), start=1):
        # Ids and names are the user's: a spreadsheet must not run them as formulas.
        writer.writerows([csv_cell(cell) for cell in row] for row in csv_rows(rec))
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
    for n, (population, rec) in enumerate(
        zip(populations, recommendations(populations, rules), strict=True), start=1
    ):
        # Control characters in names would act on the terminal: shown as \xNN.
        yield printable(render_table(population, rec, rules))
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
        _("Age stages: {stages}").format(stages=_stage_names(rules, rec.age_stages)),
        _("Settings: {settings}{proposed}").format(
            settings=_names(rules, Kind.SETTING, rec.settings),
            proposed=_(" (proposed)") if rec.settings_proposed else "",
        ),
        *_leading_lines(rec, rules),
        _("Information at this level [{clause}]: {text}").format(
            clause=rec.information_mode.clause,
            # The clause in the reader's language (prevplan's unofficial translation).
            text=rules.ref_text_in(rec.information_mode.clause) or rec.information_mode.text,
        ),
    ]
    lines += _strategy_lines(rec, rules)
    lines += _intervention_lines(rec, rules)
    lines += _factor_lines(rec, rules)
    lines += ["", _("Program of Actions items: {items}").format(items=", ".join(rec.action_items))]
    if rec.warnings:
        lines += ["", _("Warnings:")]
        lines += [f"  ! {w.code}: {w.message} [{', '.join(w.sources)}]" for w in rec.warnings]
    if rec.avoid:
        lines += ["", _("Avoid:")]
        lines += [f"  x {a.text} ({a.tag})" for a in rec.avoid]
    lines += _note_lines(rec)
    return "\n".join(lines) + "\n\n"


def _leading_lines(rec: Recommendation, rules: RuleSet) -> list[str]:
    """What the level requires comes first: treatment (tertiary), screening and referral
    (indicated); the prevention items below support it and do not replace it. A population
    to split by age stage is told so first too."""
    return [
        _("FIRST: {title}. {message} [{refs}]").format(
            title=rules.text("warnings", w.code, "title", w.code),
            message=w.message,
            refs=", ".join(w.sources),
        )
        for w in rec.warnings
        if w.code in LEADING
    ]


def _strategy_lines(rec: Recommendation, rules: RuleSet) -> list[str]:
    lines = ["", _("Strategies (1 = first):")]
    for s in rec.strategies:
        kind = _("Fundamental") if s.kind.value == "fundamental" else _("Supporting")
        basis = _("Stated in the text") if s.basis.value == "stated" else _("Inferred by prevplan")
        lines.append(f"  {s.priority}. {s.label} [{s.clause}] {kind}, {basis}")
        lines.append(f"     {s.rationale}")
        lines += _evidence_lines(rules, s.evidence, rec.age_stages, rec.prevention_level.value)
    return lines


def _delivered_in(rec: Recommendation, rules: RuleSet, settings: Sequence[str]) -> str:
    """Where an intervention is delivered: when prevplan proposed the settings, only those
    of them it is delivered in; settings outside the proposal only when it has none within,
    and then said so."""
    if not rec.settings_proposed:
        return _("Delivered in: {settings}").format(settings=_names(rules, Kind.SETTING, settings))
    within = [s for s in settings if s in rec.settings]
    if within:
        return _("Delivered in: {settings}").format(settings=_names(rules, Kind.SETTING, within))
    return _("Delivered in: {settings} (not among the proposed settings)").format(
        settings=_names(rules, Kind.SETTING, settings)
    )


def _intervention_lines(rec: Recommendation, rules: RuleSet) -> list[str]:
    lines = ["", _("Interventions:")]
    for i in rec.interventions:
        lines.append(f"  - {i.label} [{i.clause}]")
        lines.append("     " + _delivered_in(rec, rules, i.settings))
        lines.append(f"     {i.rationale}")
        if i.strategies:
            strategies = _names(rules, Kind.STRATEGY, i.strategies)
            lines.append("     " + _("Delivers: {strategies}").format(strategies=strategies))
        lines += _evidence_lines(
            rules, i.evidence, i.age_stages or rec.age_stages, rec.prevention_level.value
        )
        lines += programme_lines(rec.programmes, i.id)
    if not rec.interventions:
        lines.append("    " + _("No prevention intervention of the Concept fits this population."))
    elif not rec.programmes:
        lines.append("    " + _(NONE_FITS))
    return lines


def _factor_lines(rec: Recommendation, rules: RuleSet) -> list[str]:
    if not (rec.priority_risk_factors or rec.weak_protective_factors):
        return []
    lines = ["", _("Priority factors:")]
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
                factor=_name(rules, kind, f.id),
                clause=f.clause,
                share=f.reason or _share(f.share),
            )
            for f in factors
        ]
    return lines


def _note_lines(rec: Recommendation) -> list[str]:
    """The how-to-apply notes, each with the clauses and Standards items it cites."""
    if not rec.notes:
        return []
    lines = ["", _("How to apply (the SCO texts and the UNODC/WHO Standards):")]
    for note in rec.notes:
        standards = _("Standards {items}").format(items=", ".join(note.standards))
        lines.append(f"  * {note.title} [{', '.join(note.sources)}; {standards}]")
        lines.append(f"    {note.text}")
    return lines


LEADING = ("route_to_treatment", "needs_screening_referral", "split_by_age")
"""Warnings a recommendation leads with: what the population needs before prevention, and
a population to split by age stage before its mix can be delivered."""


def _evidence_lines(
    rules: RuleSet, evidence: Evidence, age_stages: tuple[str, ...], level: str
) -> list[str]:
    """The evidence of an item: its own Standards items and rating, the note, what works
    (where the rating is the population's own: :func:`delivery_facts`)."""
    if evidence.standards:
        own = _("Evidence: Standards {items}, {strength}").format(
            items=", ".join(evidence.standards), strength=strength_text(evidence.strength)
        )
        if evidence.extrapolated:
            own += "; " + extrapolation_text(rules, evidence.standards, age_stages)
        if evidence.note:
            own += f" ({evidence.note})"
    else:
        own = _("Evidence: {note}").format(note=evidence.note or _("no Standards entry of its own"))
    lines = [f"     {own}"]
    works = delivery_facts(rules, evidence, age_stages, level, current_language())
    lines += ["     " + _("What works: {fact}").format(fact=fact) for fact in works]
    return lines


def strength_text(strength: str) -> str:
    """An evidence rating in words (``concept_rules/evidence.yaml``)."""
    return _(STRENGTHS.get(strength, strength))


STRENGTHS = {
    "very_good": N_("very good"),
    "good": N_("good"),
    "adequate": N_("adequate"),
    "listed": N_("listed as working, not rated"),
    "not_verified": N_("not verified"),
    "none": N_("no rating"),
}


def _name(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    """An age stage, setting, strategy or factor as the table names it: by its label in the
    reader's language, lower-cased as in the rationales (the JSON and CSV keep the ids)."""
    text = label(rules, kind, entity_id, current_language())
    if text[1:2].isupper():  # an abbreviation ("СМИ") keeps its capitals
        return text
    return text[:1].lower() + text[1:]


def _stage_names(rules: RuleSet, ids: Iterable[str]) -> str:
    """Age stages by name with their ages: ``early adolescence (11–14)``, ``older adulthood
    (60+)`` (the cut-points are prevplan's, ``concept_rules/README.md``)."""
    named = []
    for stage_id in ids:
        stage = rules.age_stages.get(stage_id)
        if stage is None:
            named.append(_name(rules, Kind.AGE_STAGE, stage_id))
            continue
        ages = (
            _("{a}+").format(a=stage.age_min)
            if stage.age_max >= OPEN_ENDED
            else f"{stage.age_min}\u2013{stage.age_max}"
        )
        named.append(
            _("{stage} ({ages})").format(stage=_name(rules, Kind.AGE_STAGE, stage_id), ages=ages)
        )
    return join(named)


OPEN_ENDED = 120
"""An age stage that ends here has no upper age (older adulthood, 60+)."""


def _share(share: float | None) -> str:
    """A factor's share of the population as a percentage ("40%", "40 %")."""
    return "?" if share is None else format_percent(share)


def _names(rules: RuleSet, kind: Kind, ids: Iterable[str]) -> str:
    """Labels joined as the language joins a list: ``a, b``, ``a、b`` in Chinese."""
    return join(_name(rules, kind, entity_id) for entity_id in ids)
