"""The warnings table and the gaps table: what the assessment found wrong or missing, each
with the clauses it rests on."""

from __future__ import annotations

from typing import Final

import pandas as pd

from prevplan.analytics.frames.table import JOIN, clause_of, table
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

GAP_UNCOVERED: Final = "uncovered_population"
GAP_PRIORITY: Final = "untargeted_priority_risk"
GAP_ACTION_ITEM: Final = "unserved_action_item"
GAP_STRATEGY: Final = "unused_strategy"


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
    return table(rows, WARNING_COLUMNS)


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
    names = {p.population_id: p.name for p in assessment.coverage.populations}
    found = (
        *_uncovered(assessment, rules),
        *_untargeted(assessment, rules),
        *_unserved_items(assessment, rules),
        *_unused_strategies(assessment, rules),
    )
    return table(
        (
            (gap, clause, rules.ref_label_in(clause), pid, names.get(pid, ""), *rest)
            for gap, clause, pid, *rest in found
        ),
        GAP_COLUMNS,
    )


# A gap before its clause label and population name are added:
# (gap, clause, population_id, subject_id, subject_label, sources).
_Gap = tuple[str, str, str, str, str, str]


def _uncovered(assessment: Assessment, rules: RuleSet) -> list[_Gap]:
    """Populations no activity serves."""
    definitions = rules.warning_definitions
    sources = definitions[GAP_UNCOVERED].sources if GAP_UNCOVERED in definitions else ()
    out: list[_Gap] = []
    for p in assessment.coverage.populations:
        if p.activities == 0:
            level = p.prevention_level.value
            clause = sources[0] if sources else clause_of(rules, Kind.LEVEL, level)
            label = rules.label(Kind.LEVEL, level)
            out.append((GAP_UNCOVERED, clause, p.population_id, level, label, JOIN.join(sources)))
    return out


def _untargeted(assessment: Assessment, rules: RuleSet) -> list[_Gap]:
    """Priority factors of served populations that none of their activities addresses."""
    out: list[_Gap] = []
    for w in assessment.warnings:
        if w.code != GAP_PRIORITY:
            continue
        if w.factor_kind and w.factor_id:
            kind = Kind(w.factor_kind)
            clause, subject = clause_of(rules, kind, w.factor_id), w.factor_id
            label = rules.label(kind, w.factor_id)
        else:  # a warning from an older saved assessment names no factor
            clause, subject, label = w.sources[0], "", w.message
        sources = JOIN.join(dict.fromkeys((clause, *w.sources)))
        out.append((GAP_PRIORITY, clause, w.population_id or "", subject, label, sources))
    return out


def _unserved_items(assessment: Assessment, rules: RuleSet) -> list[_Gap]:
    """Program of Actions items of the focus areas a prevention plan answers for
    (``annex_v.yaml``, roles) that no activity serves."""
    prevention = rules.files.annex_v.focus_areas_with("prevention_plan")
    out: list[_Gap] = []
    for ref, ids in assessment.coverage.action_items.items():
        item = rules.action_items.get(ref)
        if not ids and item is not None and item.focus_area in prevention:
            out.append((GAP_ACTION_ITEM, ref, "", ref, rules.label(Kind.ACTION_ITEM, ref), ref))
    return out


def _unused_strategies(assessment: Assessment, rules: RuleSet) -> list[_Gap]:
    """Strategies of VI-3 that serve no population."""
    return [
        (GAP_STRATEGY, s.clause, "", sid, rules.label(Kind.STRATEGY, sid), s.clause)
        for sid, s in rules.strategies.items()
        if not assessment.coverage.strategies.get(s.clause, 0)
    ]
