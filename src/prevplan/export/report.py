"""What a plan report says, independent of how it is printed.

:func:`report_content` assesses a plan (coverage, costs and warnings, ``prevplan assess``)
and asks the engine for each population's recommended strategy mix (VI-3.1, VI-3.2), then
lines the two up: for every population, each recommended strategy with its priority, kind,
basis (stated in the SCO text or inferred by prevplan), rationale and clauses, beside the
activities of the plan that deliver it — and the strategies the plan delivers that were not
recommended. It also gathers every clause the report cites, so the report can quote them.
The PDF layout (:mod:`prevplan.export.pdf`) only prints this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from prevplan.engine import recommend
from prevplan.engine.models import Recommendation
from prevplan.plan.assess import assess
from prevplan.plan.assessment import Assessment, AssessWarning, PopulationCoverage
from prevplan.plan.credit import activity_facts
from prevplan.plan.models import Activity, Plan
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.clauses import parse_ref
from prevplan.vocab import Basis, StrategyKind


@dataclass(frozen=True)
class MixRow:
    """One strategy for one population: recommended, delivered, or both."""

    strategy_id: str
    label: str
    clause: str
    kind: StrategyKind
    priority: int | None
    """1 = first; ``None`` when the engine did not recommend it but the plan delivers it."""
    basis: Basis | None
    rationale: str
    sources: tuple[str, ...]
    delivered_by: tuple[Activity, ...]

    @property
    def recommended(self) -> bool:
        return self.priority is not None


@dataclass(frozen=True)
class ActivityLine:
    """An activity of the plan with the strategies it delivers, interventions expanded."""

    activity: Activity
    strategies: tuple[str, ...]
    action_items: tuple[str, ...]


@dataclass(frozen=True)
class PopulationSection:
    population: TargetPopulation
    coverage: PopulationCoverage
    recommendation: Recommendation
    mix: tuple[MixRow, ...]
    activities: tuple[ActivityLine, ...]
    warnings: tuple[AssessWarning, ...]


@dataclass(frozen=True)
class ActionItemLine:
    ref: str
    number: str
    focus_area: str
    label: str
    activities: tuple[Activity, ...]
    tracker_status: str | None

    @property
    def served(self) -> bool:
        return bool(self.activities)


@dataclass(frozen=True)
class ReportContent:
    plan: Plan
    assessment: Assessment
    sections: tuple[PopulationSection, ...]
    action_items: tuple[ActionItemLine, ...]
    cited: tuple[str, ...]
    """Every clause the report cites, in the order of the source document."""
    prevention_focus_areas: tuple[str, ...]
    """The Annex V focus areas a prevention plan answers for (``annex_v.yaml``, roles)."""

    @property
    def prevention_items(self) -> tuple[ActionItemLine, ...]:
        return tuple(i for i in self.action_items if i.focus_area in self.prevention_focus_areas)


def report_content(
    plan: Plan, rules: RuleSet, assessment: Assessment | None = None
) -> ReportContent:
    """Everything the plan report prints, computed once (pure: no I/O)."""
    result = assessment if assessment is not None else assess(plan, rules)
    lines = {a.id: _activity_line(a, rules) for a in plan.activities}
    by_population: dict[str, list[ActivityLine]] = {p.id: [] for p in plan.populations}
    for line in lines.values():
        by_population.setdefault(line.activity.population_id, []).append(line)
    warnings: dict[str, list[AssessWarning]] = {}
    for w in result.warnings:
        if w.population_id:
            warnings.setdefault(w.population_id, []).append(w)
    coverage = {c.population_id: c for c in result.coverage.populations}
    sections = []
    for population in plan.populations:
        rec = recommend(population, rules)
        acts = by_population.get(population.id, [])
        sections.append(
            PopulationSection(
                population=population,
                coverage=coverage[population.id],
                recommendation=rec,
                mix=_mix(rec, acts, rules),
                activities=tuple(acts),
                warnings=tuple(warnings.get(population.id, ())),
            )
        )
    by_id = {a.id: a for a in plan.activities}
    tracker = {t.action_item: t.status.value for t in plan.tracker}
    items = tuple(
        ActionItemLine(
            ref=ref,
            number=item.number,
            focus_area=item.focus_area,
            label=item.label,
            activities=tuple(
                by_id[i] for i in result.coverage.action_items.get(ref, ()) if i in by_id
            ),
            tracker_status=tracker.get(ref),
        )
        for ref, item in rules.action_items.items()
    )
    cited = _cited(result, sections, items, rules)
    prevention = rules.files.annex_v.focus_areas_with("prevention_plan")
    return ReportContent(plan, result, tuple(sections), items, cited, prevention)


def _activity_line(activity: Activity, rules: RuleSet) -> ActivityLine:
    facts = activity_facts(activity, rules)
    order = list(rules.strategies)
    return ActivityLine(
        activity=activity,
        strategies=tuple(sorted(facts.strategies, key=order.index)),
        action_items=facts.action_items,
    )


def _mix(rec: Recommendation, acts: list[ActivityLine], rules: RuleSet) -> tuple[MixRow, ...]:
    """The recommended strategies in priority order, then those only the plan delivers."""
    delivering: dict[str, list[Activity]] = {}
    for line in acts:
        for s in line.strategies:
            delivering.setdefault(s, []).append(line.activity)
    rows = [
        MixRow(
            strategy_id=s.id,
            label=s.label,
            clause=s.clause,
            kind=s.kind,
            priority=s.priority,
            basis=s.basis,
            rationale=s.rationale,
            sources=s.sources,
            delivered_by=tuple(delivering.get(s.id, ())),
        )
        for s in sorted(rec.strategies, key=lambda s: s.priority)
    ]
    recommended = {s.id for s in rec.strategies}
    for sid, strategy in rules.strategies.items():
        if sid in delivering and sid not in recommended:
            rows.append(
                MixRow(
                    strategy_id=sid,
                    label=strategy.label,
                    clause=strategy.clause,
                    kind=strategy.kind,
                    priority=None,
                    basis=None,
                    rationale="",
                    sources=(strategy.clause,),
                    delivered_by=tuple(delivering[sid]),
                )
            )
    return tuple(rows)


def _cited(
    assessment: Assessment,
    sections: Iterable[PopulationSection],
    items: Iterable[ActionItemLine],
    rules: RuleSet,
) -> tuple[str, ...]:
    refs: set[str] = set()
    for w in assessment.warnings:
        refs.update(w.sources)
    for section in sections:
        refs.update(section.recommendation.level_sources)
        for row in section.mix:
            refs.add(row.clause)
            refs.update(row.sources)
    refs.update(i.ref for i in items if i.served)
    refs.update(c.clause for c in assessment.costs if c.clause)
    return tuple(sorted((r for r in refs if rules.ref_exists(r)), key=ref_sort_key))


_ANNEX_ORDER = {"VI": 0, "V": 1, "IV": 2}


def ref_sort_key(ref: str) -> tuple[object, ...]:
    """Order references as in the source: Annex VI, then V, then IV; numbers numerically."""
    parsed = parse_ref(ref)
    if parsed is None:
        return (9, ref)
    annex = _ANNEX_ORDER.get(parsed.annex, 8)
    body = parsed.base.split("-", 1)[1]
    # "intro" and "T1" (Table 1) come before the numbered sections of Annex VI.
    tokens = tuple(
        (0, int(t), "") if t.isdigit() else (-1 if t in ("intro", "T") else 1, 0, t)
        for t in re.findall(r"\d+|[A-Za-z]+", body)
    )
    return (annex, tokens, parsed.part or 0, parsed.is_paragraph)
