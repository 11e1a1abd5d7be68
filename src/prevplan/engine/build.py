"""Building the :class:`~prevplan.engine.models.Recommendation` of a decision, each item with
its clauses.

Every item names its own clause, the clauses of every relation that led to it (``sources``),
which of those relations are prevplan's inference rather than the text's (``inferred``), a
rationale in words (:mod:`prevplan.engine.rationale`) and the crosswalk to the UNODC/WHO
Standards. The Annex V items and the practices to avoid are derived from the mix here too;
the warnings come from :mod:`prevplan.engine.judgments`.

Items are immutable models; one that many populations share — a strategy with the same rank,
score and targeted priorities, the action items of the same mix — is built once and kept
with the option or the rules' index it belongs to. What decides the parts many populations
share (:func:`plan_key`, :func:`judgment_key`) is said here, so that the command line's
writer (:mod:`prevplan.engine.json_writer`) keeps each part once by it.

Why the module is long (≈550 lines): it is the one place where a decision becomes output,
for the single path and the batch writer alike, section by section as a record is written
(the situation, the items, the plan around the mix, the judgments). The evidence of an item
is in :mod:`prevplan.engine.evidence` and rationales in :mod:`prevplan.engine.rationale`;
splitting the sections further would part each field's builder from the key the writer
keeps it by.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from functools import lru_cache
from typing import Any

from prevplan.engine import judgments
from prevplan.engine.decide import Benchmarked, ChosenStrategy, Decision, ProposedIntervention
from prevplan.engine.evidence import evidence_of
from prevplan.engine.implied import action_items, avoid
from prevplan.engine.models import (
    ApplicationNote,
    AvoidItem,
    Evidence,
    InformationMode,
    InterventionRecommendation,
    PriorityFactor,
    Recommendation,
    StrategyRecommendation,
    WarningOut,
)
from prevplan.engine.options import (
    Option,
    OptionIndex,
    Pool,
    index_for,
)
from prevplan.engine.priorities import BENCHMARK, CUT_OFF, RULE_NAMES
from prevplan.engine.profile import Situation, tables_for
from prevplan.engine.rationale import delivery_settings, explained
from prevplan.engine.rationale import label as label  # re-exported: commands name items by it
from prevplan.engine.reach import reaching
from prevplan.i18n import N_, _, format_number, format_percent
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import Basis, Level


def recommendation(
    rules: RuleSet, population_id: str, decision: Decision, lang: str
) -> Recommendation:
    """The recommendation for a population, from the engine's decision."""
    return Recommendation(
        population_id=population_id,
        **situation_fields(rules, decision.pool.situation, _delivered_by(decision)),
        strategies=strategy_items(rules, decision.strategies, lang),
        interventions=intervention_items(rules, decision.interventions, lang),
        **factor_fields(
            rules, decision.priorities, decision.priority_rules, decision.benchmarks, lang
        ),
        **plan_fields(
            rules,
            decision.pool,
            _strategy_ids(decision),
            decision.factors_known,
            lang,
            decision.benchmarks,
        ),
        **judgment_fields(
            rules,
            decision.pool,
            decision.risk_known,
            _strategy_ids(decision),
            decision.untargeted,
            lang,
        ),
    )


def situation_fields(
    rules: RuleSet, situation: Situation, delivered_by: Sequence[Option]
) -> dict[str, Any]:
    """``prevention_level`` … ``settings_proposed``: what the situation decides.

    Without listed settings prevplan proposes where the mix can be delivered
    (``delivered_by``): its interventions, or its strategies if no intervention fits.
    """
    if situation.settings:
        settings, proposed = situation.settings, False
    else:
        wanted = {
            s for option in _best_fitting(delivered_by) for s in _main_settings(rules, option)
        }
        settings = tuple(s for s in rules.ids(Kind.SETTING) if s in wanted)
        # Only where people of the population's ages are found (no school for pensioners).
        settings = reaching(rules, settings, (*situation.age_stages, *situation.own_stages))
        proposed = True
    return {
        "prevention_level": situation.level,
        "level_sources": situation.level_sources,
        "age_stages": situation.age_stages,
        "settings": settings,
        "settings_proposed": proposed,
    }


PROPOSED_FROM = 3
"""Settings are proposed from this many of the best-fitting options: the few places where
the work that fits best is delivered, not every place any of it could be."""


def _best_fitting(options: Sequence[Option]) -> list[Option]:
    return sorted(options, key=lambda option: (not option.special, -option.base))[:PROPOSED_FROM]


@lru_cache(maxsize=1024)
def _main_settings_of(rules: RuleSet, kind: Kind, entity_id: str) -> tuple[str, ...]:
    links = rules.related(kind, Kind.SETTING, entity_id)
    best = max((link.relation.weight for link in links), default=0)
    return tuple(link.object for link in links if link.relation.weight == best)


def _main_settings(rules: RuleSet, option: Option) -> tuple[str, ...]:
    """Where an option is mainly delivered: its settings of the strongest relation."""
    return _main_settings_of(rules, option.kind, option.id)


def _strategy_ids(decision: Decision) -> tuple[str, ...]:
    return tuple(s.option.id for s in decision.strategies)


def _delivered_by(decision: Decision) -> list[Option]:
    """The options the mix is delivered by: the interventions that fit, else its strategies."""
    fitting = [o for o in decision.pool.interventions if o is not None]
    return fitting or [s.option for s in decision.strategies]


def strategy_items(
    rules: RuleSet, strategies: Sequence[ChosenStrategy], lang: str
) -> tuple[StrategyRecommendation, ...]:
    """The strategies of the mix as items, in priority order (1 = first)."""
    return tuple(
        strategy_item(rules, s.option, priority, s.score, s.targeted, lang)
        for priority, s in enumerate(strategies, start=1)
    )


def intervention_items(
    rules: RuleSet, interventions: Sequence[ProposedIntervention], lang: str
) -> tuple[InterventionRecommendation, ...]:
    """The interventions that fit as items, in the order proposed."""
    return tuple(
        intervention_item(rules, i.option, i.targeted, i.delivers, lang) for i in interventions
    )


def factor_fields(
    rules: RuleSet,
    priorities: Sequence[tuple[int, float]],
    priority_rules: Sequence[tuple[int, float | None]],
    benchmarks: Benchmarked,
    lang: str,
) -> dict[str, tuple[PriorityFactor, ...]]:
    """``priority_risk_factors`` and ``weak_protective_factors``, most needed first."""
    risks: list[PriorityFactor] = []
    weak: list[PriorityFactor] = []
    scope = benchmarks[0] if benchmarks else "national"
    for (code, share), (rule, benchmark) in zip(priorities, priority_rules, strict=True):
        (risks if is_risk(rules, code) else weak).append(
            priority_factor(rules, code, share, rule, benchmark, scope, lang)
        )
    return {"priority_risk_factors": tuple(risks), "weak_protective_factors": tuple(weak)}


@lru_cache(maxsize=8)
def risk_codes(rules: RuleSet) -> tuple[int, ...]:
    """The numbers of the risk factors (the others are protective resources)."""
    return tuple(
        n for n, (kind, _) in enumerate(tables_for(rules).factors) if kind is Kind.RISK_FACTOR
    )


def is_risk(rules: RuleSet, code: int) -> bool:
    """Whether the factor numbered ``code`` is a risk (else a protective resource)."""
    return tables_for(rules).factors[code][0] is Kind.RISK_FACTOR


def priority_factor(
    rules: RuleSet,
    code: int,
    share: float,
    rule: int,
    benchmark: float | None,
    scope: str,
    lang: str,
) -> PriorityFactor:
    """The factor numbered ``code`` as a priority: its share, the rule that made it one
    (:data:`~prevplan.engine.priorities.RULE_NAMES`), its benchmark and the reason."""
    kind, factor_id = tables_for(rules).factors[code]
    return PriorityFactor(
        id=factor_id,
        clause=rules.entities[kind][factor_id].clauses[0],
        share=share,
        rule=RULE_NAMES[rule],
        benchmark=benchmark,
        reason=priority_reason(
            rules, kind is Kind.RISK_FACTOR, share, rule, benchmark, scope, lang
        ),
    )


COMPARED_WITH: dict[str, str] = {
    "national": N_("{share} here vs {benchmark} nationally"),
    "regional": N_("{share} here vs {benchmark} regionally"),
}
WITHIN_MARGIN: dict[str, str] = {
    "national": N_(
        "{share} here vs {benchmark} nationally, within {margin} percentage points of it: one "
        "of the most needed, to reach the minimum number of priorities"
    ),
    "regional": N_(
        "{share} here vs {benchmark} regionally, within {margin} percentage points of it: one "
        "of the most needed, to reach the minimum number of priorities"
    ),
}


@lru_cache(maxsize=16384)
def priority_reason(
    rules: RuleSet,
    risk: bool,
    share: float,
    rule: int,
    benchmark: float | None,
    scope: str,
    lang: str,
) -> str:
    """Why a factor is a priority, in words ("28 % here vs 19 % nationally"); kept, as few
    shares occur (they are written with two decimals)."""
    cut = rules.files.prioritisation.priority_factors
    values = {
        "share": format_percent(share, lang),
        "benchmark": "" if benchmark is None else format_percent(benchmark, lang),
        "margin": format_number(round(cut.benchmark_margin * 100, 1), lang),
        "cut": format_percent(cut.min_risk_share if risk else cut.max_protective_share, lang),
    }
    if rule == BENCHMARK:
        text = COMPARED_WITH[scope]
    elif benchmark is not None:
        text = WITHIN_MARGIN[scope]
    elif rule == CUT_OFF:
        text = (
            N_("{share}, at or above the cut-off of {cut}; no benchmark given")
            if risk
            else N_("{share}, at or below the cut-off of {cut}; no benchmark given")
        )
    else:
        text = N_(
            "{share}, within the cut-off of {cut}: one of the most needed, to reach the "
            "minimum number of priorities"
        )
    return _(text, lang).format(**values)


# --- items -----------------------------------------------------------------------------------


def strategy_item(
    rules: RuleSet, option: Option, priority: int, score: int, targeted: int, lang: str
) -> StrategyRecommendation:
    """A strategy of the mix as an item (its parts kept with the option)."""
    strategy = rules.strategies[option.id]
    rationale, sources, inferred = explained(rules, option, targeted, 0, lang)
    return StrategyRecommendation(
        id=option.id,
        label=label(rules, Kind.STRATEGY, option.id, lang),
        kind=strategy.kind,
        clause=strategy.clause,
        priority=priority,
        score=score,
        basis=_basis(option),
        rationale=rationale,
        sources=sources,
        inferred=inferred,
        evidence=_evidence(rules, option, lang),
        needs_setting=delivery_settings(rules, option) if option.relaxed else (),
    )


def intervention_item(
    rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str
) -> InterventionRecommendation:
    """An intervention that fits as an item (its parts kept with the option)."""
    rationale, sources, inferred = explained(rules, option, targeted, delivers, lang)
    settings = delivery_settings(rules, option)
    return InterventionRecommendation(
        id=option.id,
        label=label(rules, Kind.INTERVENTION, option.id, lang),
        clause=rules.interventions[option.id].clause,
        settings=settings,
        age_stages=option.age_stages,
        basis=_basis(option),
        rationale=rationale,
        sources=sources,
        inferred=inferred,
        evidence=_evidence(rules, option, lang),
        needs_setting=settings if option.relaxed else (),
        strategies=tuple(sid for bit, sid, _ in option.strategies if delivers >> bit & 1),
    )


def _basis(option: Option) -> Basis:
    """Stated when the text itself ties the item to the level and the age stage (or group)."""
    found: Basis | None = option.cache.get("basis")
    if found is None:
        found = option.cache["basis"] = _stated_or_inferred(option)
    return found


def _stated_or_inferred(option: Option) -> Basis:
    core = [k for k in option.links if k.object_kind in (Kind.LEVEL, Kind.AGE_STAGE)]
    if not any(k.object_kind is Kind.AGE_STAGE for k in core):
        core += option.special
    stated = all(k.relation.basis is Basis.STATED for k in core)
    return Basis.STATED if stated else Basis.INFERRED


def _evidence(rules: RuleSet, option: Option, lang: str) -> Evidence:
    """The crosswalk to the Standards: the item's own entries and their evidence."""
    found: Evidence | None = option.cache.get(("evidence", lang))
    if found is None:
        found = option.cache[("evidence", lang)] = evidence_of(
            rules, option.kind, option.id, lang, option.age_stages, option.level
        )
    return found


# --- the plan around the mix -----------------------------------------------------------------


def delivering_ids(pool: Pool, strategy_ids: Sequence[str]) -> tuple[str, ...]:
    """The interventions that fit the situation and deliver a strategy of the mix (rules
    order): the work the plan around the mix is about."""
    chosen = set(strategy_ids)
    return tuple(
        o.id
        for o in pool.interventions
        if o is not None and any(sid in chosen for _, sid, _link in o.strategies)
    )


def plan_key(pool: Pool, strategy_ids: tuple[str, ...], factors_known: bool) -> Hashable:
    """What decides :func:`plan_fields` (with the rules and the language): populations with
    the same key share the plan around the mix."""
    situation = pool.situation
    fitting = delivering_ids(pool, strategy_ids)
    return (
        situation.level,
        situation.age_stages,
        situation.settings,
        fitting,
        strategy_ids,
        factors_known,
    )


def plan_fields(
    rules: RuleSet,
    pool: Pool,
    strategy_ids: tuple[str, ...],
    factors_known: bool,
    lang: str,
    benchmarks: Benchmarked = None,
) -> dict[str, Any]:
    """``priorities_basis`` … ``notes``: what the level and the mix imply (what it reads of
    the population is :func:`plan_key`)."""
    situation = pool.situation
    info = rules.levels[situation.level.value].information_mode
    fitting = delivering_ids(pool, strategy_ids)
    action, avoided = _items_and_avoid(rules, situation, fitting, strategy_ids, lang)
    return {
        "priorities_basis": priorities_basis(rules, factors_known, lang, benchmarks),
        # The clause is quoted as the source has it (English); apps translate beside it.
        "information_mode": InformationMode(clause=info, text=rules.ref_text(info) or ""),
        "action_items": action,
        "avoid": avoided,
        "notes": notes_for(rules, situation.level, strategy_ids, fitting, lang),
    }


@lru_cache(maxsize=4096)
def notes_for(
    rules: RuleSet,
    level: Level,
    strategy_ids: tuple[str, ...],
    intervention_ids: tuple[str, ...],
    lang: str,
) -> tuple[ApplicationNote, ...]:
    """The how-to-apply notes (``notes.yaml``) for a plan at ``level`` with these strategies
    and interventions: each note whose scope names one of them."""
    found: list[ApplicationNote] = []
    for note in rules.notes.values():
        scope = note.applies_to
        if (
            level.value in scope.levels
            or set(scope.strategies) & set(strategy_ids)
            or set(scope.interventions) & set(intervention_ids)
        ):
            found.append(
                ApplicationNote(
                    id=note.id,
                    title=rules.translated("notes", note.id, "title", lang),
                    text=rules.translated("notes", note.id, "text", lang),
                    sources=note.concept_sources,
                    standards=note.standards,
                )
            )
    return tuple(found)


def _items_and_avoid(
    rules: RuleSet,
    situation: Situation,
    intervention_ids: tuple[str, ...],
    strategy_ids: tuple[str, ...],
    lang: str,
) -> tuple[tuple[str, ...], tuple[AvoidItem, ...]]:
    """The Annex V items and the practices to avoid (kept: few combinations occur).

    The interventions are those that fit the situation and deliver a strategy of the mix
    (rules order), the strategies those of the mix (mix order).
    """
    level, age_stages, settings = situation.level, situation.age_stages, situation.settings
    shared = index_for(rules).built
    key = ("items and avoid", lang, level, age_stages, settings, intervention_ids, strategy_ids)
    found: tuple[tuple[str, ...], tuple[AvoidItem, ...]] | None = shared.get(key)
    if found is None:
        items = [
            *((Kind.STRATEGY, sid) for sid in strategy_ids),
            *((Kind.INTERVENTION, iid) for iid in intervention_ids),
        ]
        found = shared[key] = (
            tuple(action_items(rules, level, items)),
            tuple(avoid(rules, age_stages, items, lang, level, settings)),
        )
    return found


BASIS_WITH_BENCHMARKS: dict[str, str] = {
    "national": N_(
        "Priorities from the shares you gave, each compared with the national benchmark "
        "where one is given: a risk at least {margin} percentage points above it, or a "
        "protective resource that far below it, is a priority; one better than its "
        "benchmark by as much never is, and one within that margin only fills up to the "
        "minimum number of priorities. Factors without a benchmark use the fixed cut-offs "
        "({risk} of a risk, {protective} of a protective resource)."
    ),
    "regional": N_(
        "Priorities from the shares you gave, each compared with the regional benchmark "
        "where one is given: a risk at least {margin} percentage points above it, or a "
        "protective resource that far below it, is a priority; one better than its "
        "benchmark by as much never is, and one within that margin only fills up to the "
        "minimum number of priorities. Factors without a benchmark use the fixed cut-offs "
        "({risk} of a risk, {protective} of a protective resource)."
    ),
}


def priorities_basis(
    rules: RuleSet, factors_known: bool, lang: str, benchmarks: Benchmarked = None
) -> str:
    """What the ranking rests on: the shares given (against benchmarks where some are
    given), or the age stage and level alone."""
    if factors_known and benchmarks is not None:
        scope, source = benchmarks
        cut = rules.files.prioritisation.priority_factors
        text = _(BASIS_WITH_BENCHMARKS[scope], lang).format(
            margin=format_number(round(cut.benchmark_margin * 100, 1), lang),
            risk=format_percent(cut.min_risk_share, lang),
            protective=format_percent(cut.max_protective_share, lang),
        )
        if source:
            text += " " + _("Benchmarks: {source}.", lang).format(source=source)
        return text
    if factors_known:
        return _(
            "Priorities from the shares you gave: most prevalent risks, weakest resources.", lang
        )
    return _(
        "No risk or protective shares were given: the mix is ranked from the age stage and "
        "prevention level alone.",
        lang,
    )


# --- judgments -------------------------------------------------------------------------------


def judgment_key(
    pool: Pool, risk_known: bool, strategy_ids: tuple[str, ...], untargeted: tuple[int, ...]
) -> tuple[Level, bool, tuple[str, ...], tuple[int, ...], tuple[str, ...], int]:
    """What decides :func:`judgment_fields` (with the rules and the language); the number of
    age stages decides ``split_by_age``."""
    delivering = delivering_ids(pool, strategy_ids)
    stages = len(pool.situation.age_stages)
    return (pool.situation.level, risk_known, strategy_ids, untargeted, delivering, stages)


def judgment_fields(
    rules: RuleSet,
    pool: Pool,
    risk_known: bool,
    strategy_ids: tuple[str, ...],
    untargeted: tuple[int, ...],
    lang: str,
) -> dict[str, Any]:
    """``warnings`` and ``untargeted_factors``: the judgments on the mix (kept: few
    combinations occur; what it reads of the population is :func:`judgment_key`)."""
    index: OptionIndex = index_for(rules)
    level, risk_known, strategy_ids, untargeted, delivering, stages = judgment_key(
        pool, risk_known, strategy_ids, untargeted
    )
    key = ("judgments", lang, level, risk_known, strategy_ids, untargeted, delivering, stages)
    found: dict[str, Any] | None = index.built.get(key)
    if found is None:
        factors = tables_for(rules).factors
        named = tuple(factors[code] for code in untargeted)
        findings = judgments.recommendation_findings(
            rules,
            level=level,
            risk_known=risk_known,
            strategies=strategy_ids,
            untargeted=named,
            interventions=delivering,
            age_stages=stages,
        )
        found = index.built[key] = {
            "warnings": tuple(
                WarningOut(**judgments.warning_fields(rules, finding, lang)) for finding in findings
            ),
            "untargeted_factors": tuple(factor_id for _, factor_id in named),
        }
    return found
