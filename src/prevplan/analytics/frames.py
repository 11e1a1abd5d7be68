"""Tidy tables of an :class:`~prevplan.plan.assessment.Assessment`, ready for charts and export.

Each function turns one part of the assessment into a pandas DataFrame with one row per
thing (population, strategy of VI-3, prevention level × age stage of VI-2/VI-4, Program of
Actions item of Annex V, risk factor of VI-1.2, protective factor of VI-1.3, setting, cost
line, warning, gap) and documented columns. Every id column has a human-readable label
column beside it, taken from the rules' labels in the current language (see
:func:`prevplan.i18n.use_language`; English is the rules' own text), so a table is never
identified by internal ids alone; the id stays for joins and exports. Codes such as
``kind``, ``status`` and ``gap`` stay language-neutral: whoever shows them words them.

Units: ``people``, ``reach`` and ``size`` are persons; ``coverage`` columns are shares from
0 to 1 (charts format them as percentages); ``cost`` is in the plan's currency. The
functions are pure: they read the assessment, the rules and (where needed) the plan.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import pandas as pd

from prevplan.i18n import N_, _
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

SERVED: Final = "served"
NOT_SERVED: Final = "not served"
"""The ``status`` of an Annex V item in :func:`action_item_frame`: stable keys, never shown;
:func:`status_label` is what a reader sees."""
_STATUS_LABELS: Final = {SERVED: N_("Served by the plan"), NOT_SERVED: N_("Not served")}
JOIN: Final = "; "
"""Separator of lists joined into one cell (labels may contain commas)."""

GAP_UNCOVERED: Final = "uncovered_population"
GAP_PRIORITY: Final = "untargeted_priority_risk"
GAP_ACTION_ITEM: Final = "unserved_action_item"
GAP_STRATEGY: Final = "unused_strategy"


def _frame(rows: Iterable[Sequence[Any]], dtypes: Mapping[str, str]) -> pd.DataFrame:
    """A frame with exactly these columns and dtypes, also when there are no rows."""
    frame = pd.DataFrame(list(rows), columns=list(dtypes))
    return frame.astype(dict(dtypes))


def _clause(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    entity = rules.entity(kind, entity_id)
    return entity.clauses[0] if entity is not None else ""


def _per_person(cost: float, reach: float) -> float | None:
    return round(cost / reach, 2) if reach else None


# --- populations -------------------------------------------------------------------------

POPULATION_COLUMNS: Final = {
    "population_id": "str",
    "name": "str",
    "region": "str",
    "level": "str",
    "level_label": "str",
    "age_stages": "str",
    "age_stage_labels": "str",
    "size": "int64",
    "activities": "int64",
    "reach": "int64",
    "reach_upper": "int64",
    "coverage": "float64",
    "effective_reach": "int64",
    "effective_coverage": "float64",
    "target_reach": "Int64",
    "target_coverage": "float64",
    "cost": "float64",
    "cost_per_person": "float64",
    "cost_per_effective_person": "float64",
    "strategies": "int64",
    "warnings": "int64",
    "warning_codes": "str",
}


def populations_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per target population, in plan order.

    Columns:

    - ``population_id`` — the population's id in the plan
    - ``name`` — its name (the id when the plan gives none)
    - ``region`` — the planner's region label ("" when none)
    - ``level``, ``level_label`` — prevention level (VI-2, Table 1) id and label
    - ``age_stages``, ``age_stage_labels`` — the VI-4 age stages it spans, ids and labels,
      joined with "; "
    - ``size`` — people in the population (persons; the coverage denominator)
    - ``activities`` — activities serving it (count)
    - ``reach`` — people reached, lower bound (persons; largest single activity's reach)
    - ``reach_upper`` — people reached, upper bound (persons; sum of reaches, capped)
    - ``coverage`` — ``reach / size`` (share 0–1): exposure
    - ``effective_reach`` — people reached by an effective activity (persons;
      docs/effective-coverage.md)
    - ``effective_coverage`` — ``effective_reach / size`` (share 0–1)
    - ``target_reach`` — people the activities aim to reach (persons; missing if none set)
    - ``target_coverage`` — ``target_reach / size`` (share 0–1; missing if no target)
    - ``cost`` — cost of its activities (plan currency)
    - ``cost_per_person`` — ``cost / reach`` (plan currency per person; missing if no reach)
    - ``cost_per_effective_person`` — ``cost / effective_reach`` (missing if none)
    - ``strategies`` — distinct VI-3 strategies delivered to it (count)
    - ``warnings`` — warnings about it or its activities (count)
    - ``warning_codes`` — the distinct warning codes, joined with "; "
    """
    counts = Counter(w.population_id for w in assessment.warnings if w.population_id)
    rows = (
        (
            p.population_id,
            p.name,
            p.region or "",
            p.prevention_level.value,
            rules.label(Kind.LEVEL, p.prevention_level.value),
            JOIN.join(p.age_stages),
            JOIN.join(rules.label(Kind.AGE_STAGE, s) for s in p.age_stages),
            p.size,
            p.activities,
            p.reach,
            p.reach_upper,
            p.coverage,
            p.effective_reach,
            p.effective_coverage,
            p.target_reach,
            p.target_coverage,
            p.cost,
            p.cost_per_person,
            p.cost_per_effective_person,
            len(p.strategies),
            counts.get(p.population_id, 0),
            JOIN.join(p.warnings),
        )
        for p in assessment.coverage.populations
    )
    return _frame(rows, POPULATION_COLUMNS)


# --- strategies --------------------------------------------------------------------------

STRATEGY_COLUMNS: Final = {
    "clause": "str",
    "strategy_id": "str",
    "label": "str",
    "kind": "str",
    "populations_served": "int64",
    "people_reached": "int64",
    "coverage": "float64",
    "cost": "float64",
    "cost_per_person": "float64",
}


def strategy_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per strategy of VI-3, in the rules' order (fundamental first).

    Columns:

    - ``clause`` — the strategy's clause (``VI-3.1.x`` fundamental, ``VI-3.2.x`` supporting)
    - ``strategy_id``, ``label`` — its rule id and label
    - ``kind`` — ``fundamental`` (VI-3.1) or ``supporting`` (VI-3.2)
    - ``populations_served`` — populations with at least one activity delivering it (count)
    - ``people_reached`` — people reached by it, summed over populations (persons)
    - ``coverage`` — ``people_reached`` over all people in the plan (share 0–1)
    - ``cost`` — cost attributed to it; an activity's cost is split equally between the
      strategies it delivers (plan currency)
    - ``cost_per_person`` — ``cost / people_reached`` (plan currency per person; missing if
      nobody is reached)
    """
    coverage = assessment.coverage
    people = assessment.totals.people
    costs = {c.id: c for c in assessment.costs if c.group == "strategy"}
    rows = []
    for sid, strategy in rules.strategies.items():
        reached = coverage.strategy_reach.get(strategy.clause, 0)
        line = costs.get(sid)
        cost = line.cost if line is not None else 0.0
        rows.append(
            (
                strategy.clause,
                sid,
                rules.label(Kind.STRATEGY, sid),
                strategy.kind.value,
                coverage.strategies.get(strategy.clause, 0),
                reached,
                round(reached / people, 4) if people else 0.0,
                cost,
                _per_person(cost, reached),
            )
        )
    return _frame(rows, STRATEGY_COLUMNS)


# --- prevention level × age stage --------------------------------------------------------

LEVEL_STAGE_COLUMNS: Final = {
    "level": "str",
    "level_label": "str",
    "age_stage": "str",
    "stage_label": "str",
    "people": "int64",
    "reach": "int64",
    "coverage": "float64",
    "has_people": "bool",
}


def level_stage_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """Every prevention level (VI-2) × age stage (VI-4) combination, in the rules' order.

    A population spanning several age stages is split between them in proportion to the
    years of each stage it covers (as :func:`prevplan.plan.assess.assess` does).

    Columns:

    - ``level``, ``level_label`` — prevention level id and label
    - ``age_stage``, ``stage_label`` — age stage id and label
    - ``people`` — people of that level in that stage (persons; 0 when none)
    - ``reach`` — of them, people reached (persons)
    - ``coverage`` — ``reach / people`` (share 0–1; 0 when there are no people)
    - ``has_people`` — whether the plan has any people in the cell; a cell without people
      is *empty*, not *uncovered*
    """
    cells = {(c.level, c.age_stage): c for c in assessment.coverage.levels}
    rows = []
    for level in rules.ids(Kind.LEVEL):
        level_label = rules.label(Kind.LEVEL, level)
        for stage in rules.ids(Kind.AGE_STAGE):
            cell = cells.get((level, stage))
            people = cell.people if cell is not None else 0
            rows.append(
                (
                    level,
                    level_label,
                    stage,
                    rules.label(Kind.AGE_STAGE, stage),
                    people,
                    cell.reach if cell is not None else 0,
                    cell.coverage if cell is not None else 0.0,
                    people > 0,
                )
            )
    return _frame(rows, LEVEL_STAGE_COLUMNS)


# --- Program of Actions (Annex V) --------------------------------------------------------

ACTION_ITEM_COLUMNS: Final = {
    "ref": "str",
    "number": "str",
    "focus_area": "str",
    "focus_area_label": "str",
    "label": "str",
    "status": "str",
    "activities": "int64",
    "activity_ids": "str",
    "tracker_status": "str",
    "schedule": "str",
    "executors": "str",
    "coordinating_body": "str",
}


def status_label(status: str) -> str:
    """An Annex V item's ``status`` (``served`` / ``not served``) in the reader's language."""
    found = _STATUS_LABELS.get(status)
    return status if found is None else _(found)


def action_item_frame(
    assessment: Assessment, rules: RuleSet, plan: Plan | None = None
) -> pd.DataFrame:
    """One row per Program of Actions item (Annex V), in the annex's order.

    Columns:

    - ``ref`` — the item's reference (``V-3.1``; the two items printed as 3.2 are
      ``V-3.2a`` and ``V-3.2b``)
    - ``number`` — the number as printed in the annex (``3.1``)
    - ``focus_area``, ``focus_area_label`` — the focus area (``V-3``) and its short label
    - ``label`` — the item's short label
    - ``status`` — ``served`` if at least one activity serves it, else ``not served`` (keys;
      :func:`status_label` gives the words to show)
    - ``activities`` — activities serving it (count)
    - ``activity_ids`` — their ids, joined with "; "
    - ``tracker_status`` — the coordinator's status from the plan's tracker
      (``not_started``, ``in_progress``, ``done``; "" when untracked or no plan given)
    - ``schedule``, ``executors``, ``coordinating_body`` — the annex's table columns ("" when
      blank)
    """
    tracker = {t.action_item: t.status.value for t in plan.tracker} if plan is not None else {}
    served = assessment.coverage.action_items
    rows = []
    for ref, item in rules.action_items.items():
        ids = served.get(ref, ())
        rows.append(
            (
                ref,
                item.number,
                item.focus_area,
                rules.text("focus_areas", item.focus_area, "label", item.focus_area),
                rules.label(Kind.ACTION_ITEM, ref),
                SERVED if ids else NOT_SERVED,
                len(ids),
                JOIN.join(ids),
                tracker.get(ref, ""),
                item.schedule or "",
                item.executors or "",
                item.coordinating_body or "",
            )
        )
    return _frame(rows, ACTION_ITEM_COLUMNS)


# --- factors and settings ----------------------------------------------------------------

FACTOR_COLUMNS: Final = {
    "kind": "str",
    "factor_id": "str",
    "label": "str",
    "clause": "str",
    "people": "int64",
    "reach": "int64",
    "coverage": "float64",
    "populations": "int64",
}


def factor_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per risk factor (VI-1.2) then per protective factor (VI-1.3).

    Columns:

    - ``kind`` — ``risk`` or ``protective``
    - ``factor_id``, ``label`` — the factor's rule id and label
    - ``clause`` — the clause defining it (``VI-1.2.x`` or ``VI-1.3.x``)
    - ``people`` — for a risk factor, people with the risk; for a protective factor, people
      *lacking* the resource; counted over populations whose share is known (persons)
    - ``reach`` — of them, people reached by activities addressing the factor (persons)
    - ``coverage`` — ``reach / people`` (share 0–1)
    - ``populations`` — populations with a known share for the factor (count)
    """
    coverage = assessment.coverage
    rows = (
        (
            name,
            f.id,
            rules.label(kind, f.id),
            f.clause,
            f.people,
            f.reach,
            f.coverage,
            f.populations,
        )
        for name, kind, factors in (
            ("risk", Kind.RISK_FACTOR, coverage.risk_factors),
            ("protective", Kind.PROTECTIVE_FACTOR, coverage.protective_factors),
        )
        for f in factors
    )
    return _frame(rows, FACTOR_COLUMNS)


SETTING_COLUMNS: Final = {
    "setting": "str",
    "label": "str",
    "clause": "str",
    "activities": "int64",
    "reach": "int64",
    "cost": "float64",
    "cost_per_person": "float64",
}


def setting_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per setting where people are reached, in the rules' order.

    Columns:

    - ``setting``, ``label`` — the setting's id and label
    - ``clause`` — the first clause the rules cite for the setting
    - ``activities`` — activities delivered in it (count)
    - ``reach`` — people reached there, summed over populations (persons)
    - ``cost`` — cost of those activities (plan currency)
    - ``cost_per_person`` — ``cost / reach`` (plan currency per person; missing if no reach)
    """
    rows = (
        (
            s.setting,
            rules.label(Kind.SETTING, s.setting),
            _clause(rules, Kind.SETTING, s.setting),
            s.activities,
            s.reach,
            s.cost,
            _per_person(s.cost, s.reach),
        )
        for s in assessment.coverage.settings
    )
    return _frame(rows, SETTING_COLUMNS)


# --- costs -------------------------------------------------------------------------------

COST_COLUMNS: Final = {
    "group": "str",
    "id": "str",
    "label": "str",
    "clause": "str",
    "cost": "float64",
    "reach": "int64",
    "cost_per_person": "float64",
    "effective_reach": "int64",
    "cost_per_effective_person": "float64",
}

_COST_KINDS: Final = {"strategy": Kind.STRATEGY, "level": Kind.LEVEL}


def cost_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per cost line: every strategy (VI-3), then every prevention level in the plan.

    Columns:

    - ``group`` — ``strategy`` or ``level``
    - ``id``, ``label`` — the strategy's or level's rule id and label
    - ``clause`` — the clause defining it
    - ``cost`` — cost attributed to it (plan currency); a strategy carries the whole cost of
      every activity delivering it (strategy lines overlap and do not add up to the plan's
      cost); a level carries the whole cost of its populations
    - ``reach`` — people reached (persons)
    - ``cost_per_person`` — ``cost / reach`` (plan currency per person; missing if no reach)
    - ``effective_reach`` — people effectively reached (persons)
    - ``cost_per_effective_person`` — ``cost / effective_reach`` (missing if none)
    """
    rows = (
        (
            c.group,
            c.id,
            rules.label(_COST_KINDS[c.group], c.id) if c.group in _COST_KINDS else c.id,
            c.clause,
            c.cost,
            c.reach,
            c.cost_per_person,
            c.effective_reach,
            c.cost_per_effective_person,
        )
        for c in assessment.costs
    )
    return _frame(rows, COST_COLUMNS)


# --- warnings and gaps -------------------------------------------------------------------

WARNING_COLUMNS: Final = {
    "code": "str",
    "title": "str",
    "population_id": "str",
    "population_name": "str",
    "activity_id": "str",
    "message": "str",
    "sources": "str",
}


def warning_frame(assessment: Assessment, rules: RuleSet) -> pd.DataFrame:
    """One row per warning, in the assessment's order.

    Columns:

    - ``code`` — the warning code (``concept_rules/warnings.yaml``)
    - ``title`` — the warning's short title (current language)
    - ``population_id``, ``population_name`` — the population concerned ("" for none)
    - ``activity_id`` — the activity concerned ("" for none)
    - ``message`` — the explanation shown to the planner
    - ``sources`` — the clauses the warning rests on, joined with "; "
    """
    names = {p.population_id: p.name for p in assessment.coverage.populations}
    rows = (
        (
            w.code,
            rules.text("warnings", w.code, "title", w.code),
            w.population_id or "",
            names.get(w.population_id, w.population_id) if w.population_id else "",
            w.activity_id or "",
            w.message,
            JOIN.join(w.sources),
        )
        for w in assessment.warnings
    )
    return _frame(rows, WARNING_COLUMNS)


GAP_COLUMNS: Final = {
    "gap": "str",
    "clause": "str",
    "clause_label": "str",
    "population_id": "str",
    "population_name": "str",
    "subject_id": "str",
    "subject_label": "str",
    "sources": "str",
}


def gap_frame(assessment: Assessment, rules: RuleSet, plan: Plan | None = None) -> pd.DataFrame:
    """One row per gap in the plan, most specific first.

    The gaps, in this order:

    - ``uncovered_population`` — a population no activity serves; ``clause`` is the first
      clause the warning rests on, the subject is the population's prevention level
    - ``untargeted_priority_risk`` — a priority factor (VI-1.2 risk or VI-1.3 resource) of a
      served population that none of its activities addresses; ``clause`` is the factor's
      (the assessment's warning names the factor; a warning without one, from an older
      saved assessment, becomes a row with no ``subject_id``, the message as its
      ``subject_label`` and the warning's first clause)
    - ``unserved_action_item`` — a Program of Actions item of focus areas V-3 (Prevention)
      or V-4 (Treatment and rehabilitation) that no activity serves; ``clause`` is its ref
    - ``unused_strategy`` — a VI-3 strategy that serves no population; ``clause`` is its
      clause

    Columns:

    - ``gap`` — the gap's kind, one of the four codes above
    - ``clause`` — the clause the gap is measured against; ``clause_label`` its short label
    - ``population_id``, ``population_name`` — the population concerned ("" for plan-wide
      gaps)
    - ``subject_id``, ``subject_label`` — what is missing: level, factor, item or strategy
    - ``sources`` — every clause the gap rests on, joined with "; "

    ``plan`` is not needed: the warnings name what is missing (it is accepted so that every
    frame of a plan can be asked for alike).
    """
    del plan
    rows: list[tuple[str, ...]] = []
    populations = {p.population_id: p for p in assessment.coverage.populations}

    def add(gap: str, clause: str, pid: str, subject: str, label: str, sources: str) -> None:
        name = populations[pid].name if pid in populations else ""
        clause_label = rules.ref_label_in(clause)
        rows.append((gap, clause, clause_label, pid, name, subject, label, sources))

    definitions = rules.warning_definitions
    uncovered_sources = definitions[GAP_UNCOVERED].sources if GAP_UNCOVERED in definitions else ()
    for p in assessment.coverage.populations:
        if p.activities == 0:
            level = p.prevention_level.value
            clause = (
                uncovered_sources[0] if uncovered_sources else _clause(rules, Kind.LEVEL, level)
            )
            label = rules.label(Kind.LEVEL, level)
            add(GAP_UNCOVERED, clause, p.population_id, level, label, JOIN.join(uncovered_sources))

    for w in assessment.warnings:
        if w.code != GAP_PRIORITY:
            continue
        if w.factor_kind and w.factor_id:
            kind = Kind(w.factor_kind)
            clause, subject = _clause(rules, kind, w.factor_id), w.factor_id
            label = rules.label(kind, w.factor_id)
        else:  # a warning from an older saved assessment names no factor
            clause, subject, label = w.sources[0], "", w.message
        sources = JOIN.join(dict.fromkeys((clause, *w.sources)))
        add(GAP_PRIORITY, clause, w.population_id or "", subject, label, sources)

    # The focus areas a prevention plan answers for (annex_v.yaml, roles).
    prevention = rules.files.annex_v.focus_areas_with("prevention_plan")
    for ref, ids in assessment.coverage.action_items.items():
        item = rules.action_items.get(ref)
        if not ids and item is not None and item.focus_area in prevention:
            add(GAP_ACTION_ITEM, ref, "", ref, rules.label(Kind.ACTION_ITEM, ref), ref)

    for sid, strategy in rules.strategies.items():
        if not assessment.coverage.strategies.get(strategy.clause, 0):
            label = rules.label(Kind.STRATEGY, sid)
            add(GAP_STRATEGY, strategy.clause, "", sid, label, strategy.clause)
    return _frame(rows, GAP_COLUMNS)
