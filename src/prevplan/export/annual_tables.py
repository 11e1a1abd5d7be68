"""The tables of the annual implementation report (V-6.7), worded for the report's reader.

:func:`annual_tables` turns an :class:`~prevplan.monitor.annual.AnnualReport` into titled
tables of text and numbers in the current language; the Excel and PDF writers
(:mod:`.annual_xlsx`, :mod:`.annual_pdf`) lay out the same tables, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from prevplan.i18n import N_, _, format_number, format_percent
from prevplan.monitor.annual import AnnualReport, Delivery
from prevplan.monitor.labels import indicator_label, is_share
from prevplan.monitor.provision import BAND_LABELS, NOT_APPLICABLE
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

Value = str | int | float | None


@dataclass(frozen=True)
class Table:
    """A titled table: column headers, then rows of values (numbers stay numbers)."""

    key: str
    title: str
    note: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    kinds: tuple[str, ...]
    """Each column's kind: ``text``, ``count``, ``share`` (0–1), ``money`` or ``number``."""


SUMMARY: Final = N_("Summary")
ITEMS: Final = N_("Annex V items")
POPULATIONS: Final = N_("Populations")
TRENDS: Final = N_("Survey trends")
PROVISION: Final = N_("Provision")
WARNINGS: Final = N_("Warnings")
DECISIONS: Final = N_("Decisions")


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _share(x: float | None) -> str:
    return "—" if x is None else format_percent(x, decimals=1)


def summary_rows(report: AnnualReport) -> list[tuple[str, str]]:
    """The report's key figures as (what, value) pairs."""
    t, c = report.total, report.current.totals
    sessions = (
        f"{format_number(t.sessions_delivered)} / {format_number(t.sessions_planned)}"
        if t.sessions_planned
        else "—"
    )
    return [
        (_("Monitoring period"), report.period),
        (_("Activities reporting progress"), f"{t.reported} / {t.activities}"),
        (_("People reached (sum over activities)"), format_number(t.reach)),
        (_("Targets of the activities (sum)"), format_number(t.target)),
        (_("Sessions delivered / planned"), sessions),
        (
            _("Spent / budget of the period"),
            f"{format_number(round(t.spent))} / {format_number(round(t.budget))}",
        ),
        (
            _("Spent so far / whole plan's budget"),
            f"{format_number(round(c.cumulative_spent))} / {format_number(round(c.total_budget))}",
        ),
        (_("Mean fidelity (weighted by reach)"), _share(c.mean_fidelity)),
        (
            _("Effective coverage of all target populations"),
            f"{_share(_ratio(c.effective_reach, c.people))} "
            f"({format_number(c.effective_reach)} / {format_number(c.people)})",
        ),
        (_("Warnings raised in the period"), format_number(len(report.warnings))),
    ]


def _delivery_cells(d: Delivery) -> tuple[Value, ...]:
    return (
        d.target,
        d.reach,
        _ratio(d.reach, d.target),
        d.sessions_delivered if d.sessions_planned else None,
        d.sessions_planned or None,
        round(d.spent, 2),
        round(d.budget, 2),
        _ratio(d.spent, d.budget),
    )


DELIVERY_KINDS: Final = ("count", "count", "share", "count", "count", "money", "money", "share")


def _delivery_headers() -> tuple[str, ...]:
    return (
        _("Target"),
        _("Reached"),
        _("Reached, % of target"),
        _("Sessions delivered"),
        _("Sessions planned"),
        _("Spent"),
        _("Budget"),
        _("Spent, % of budget"),
    )


def annual_tables(report: AnnualReport, rules: RuleSet) -> list[Table]:
    """Every table of the report, in the order it is read."""
    summary = summary_rows(report)
    tables = [
        Table(
            "summary",
            _(SUMMARY),
            _(
                "Figures of the period as the activities reported them; a population's reach "
                "counts each person once (the largest reach of one activity)."
            ),
            (_("Figure"), _("Value")),
            tuple(summary),
            ("text", "text"),
        ),
        Table(
            "items",
            _(ITEMS),
            _(
                "Each Program of Actions item the plan's activities serve: what they planned, "
                "delivered, reached and spent in the period. An activity serving several items "
                "counts in each."
            ),
            (_("Item"), _("Activities"), *_delivery_headers()),
            tuple(
                (
                    f"{line.ref} {rules.label(Kind.ACTION_ITEM, line.ref)}",
                    line.delivery.activities,
                    *_delivery_cells(line.delivery),
                )
                for line in report.items
            ),
            ("text", "count", *DELIVERY_KINDS),
        ),
        Table(
            "populations",
            _(POPULATIONS),
            _(
                "Effective coverage: people reached by at least one activity that works "
                "(docs/effective-coverage.md), with the period's reach figures."
            ),
            (
                _("Population"),
                _("Size"),
                _("Effective coverage, previous period"),
                _("Effective coverage"),
                _("Target coverage"),
                *_delivery_headers(),
            ),
            tuple(
                (
                    p.name,
                    p.size,
                    p.previous_coverage,
                    p.effective_coverage,
                    p.target_coverage,
                    *_delivery_cells(p.delivery),
                )
                for p in report.populations
            ),
            ("text", "count", "share", "share", "share", *DELIVERY_KINDS),
        ),
        _trend_table(report, rules),
        _provision_table(report, rules),
        Table(
            "warnings",
            _(WARNINGS),
            _("Each warning ends with the question to answer: what will you change?"),
            (
                _("Warning"),
                _("Concerns"),
                _("What was found"),
                _("Why it matters and what to ask"),
                _("Clauses"),
            ),
            tuple(
                (
                    rules.translated("warnings", w.code, "title"),
                    _concerns(report, w.population_id, w.activity_id),
                    w.finding,
                    w.message.removesuffix(w.detail).strip(),
                    ", ".join(w.sources),
                )
                for w in report.warnings
            ),
            ("text",) * 5,
        ),
        Table(
            "decisions",
            _(DECISIONS),
            _("The decisions log: what was decided after the previous and this period."),
            (
                _("Monitoring period"),
                _("Warning"),
                _("Concerns"),
                _("Decision"),
                _("Decided by"),
                _("Date"),
            ),
            tuple(
                (
                    d.period,
                    rules.translated("warnings", d.warning, "title") if d.warning else "",
                    _concerns(report, d.population_id, d.activity_id),
                    d.decision,
                    d.by or "",
                    d.date or "",
                )
                for d in report.decisions
            ),
            ("text",) * 6,
        ),
    ]
    return tables


def _concerns(report: AnnualReport, population_id: str | None, activity_id: str | None) -> str:
    """What a warning or decision is about, by name: the activity, else the population."""
    plan = report.plan
    if activity_id is not None:
        activity = next((a for a in plan.activities if a.id == activity_id), None)
        if activity is not None:
            return activity.name or activity.id
    population = plan.population(population_id) if population_id else None
    if population is not None:
        return population.name or population.id
    return population_id or activity_id or ""


def _trend_table(report: AnnualReport, rules: RuleSet) -> Table:
    rows: list[tuple[Value, ...]] = []
    for p in report.populations:
        for change in p.indicators:
            share = is_share(change.indicator)
            points = (
                None
                if change.previous is None
                else round((change.current - change.previous) * (100 if share else 1), 1)
            )
            interval = (
                f"{format_percent(change.low)}–{format_percent(change.high)}"
                if share and change.low is not None and change.high is not None
                else ""
            )
            rows.append(
                (
                    p.name,
                    indicator_label(rules, change.indicator),
                    change.previous_period or "",
                    _shown(change.previous, share),
                    _shown(change.current, share),
                    interval,
                    points,
                )
            )
    return Table(
        "trends",
        _(TRENDS),
        _(
            "Surveyed shares of this period against the previous survey; the change is in "
            "percentage points (years for the age of first use)."
        ),
        (
            _("Population"),
            _("Indicator"),
            _("Previous survey"),
            _("Previous value"),
            _("This period"),
            _("95 % interval"),
            _("Change"),
        ),
        tuple(rows),
        ("text", "text", "text", "text", "text", "text", "number"),
    )


def _shown(value: float | None, share: bool) -> str:
    if value is None:
        return "—"
    return format_percent(value, decimals=1) if share else format_number(value, decimals=1)


def _provision_table(report: AnnualReport, rules: RuleSet) -> Table:
    levels = list(rules.ids(Kind.LEVEL))
    cells = {(c.setting, c.level): c for c in report.provision}
    rows: list[tuple[Value, ...]] = []
    for setting in rules.ids(Kind.SETTING):
        line = [cells[(setting, level)] for level in levels]
        if all(c.band is None for c in line):
            continue
        rows.append(
            (
                rules.label(Kind.SETTING, setting),
                *(
                    _(NOT_APPLICABLE)
                    if c.band is None
                    else f"{_(BAND_LABELS[c.band])} ({format_percent(c.share or 0)})"
                    for c in line
                ),
            )
        )
    return Table(
        "provision",
        _(PROVISION),
        _(
            "Level of provision by setting and prevention level, in the bands of the EUDA "
            "prevention profiles: the share of the people of that level who can be reached in "
            "the setting and were reached by effective work (cut-points: "
            "concept_rules/provision.yaml)."
        ),
        (_("Setting"), *(rules.label(Kind.LEVEL, level) for level in levels)),
        tuple(rows),
        ("text",) * (len(levels) + 1),
    )
