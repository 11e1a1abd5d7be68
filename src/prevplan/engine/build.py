"""Building the :class:`~prevplan.engine.models.Recommendation` of a decision, each item with
its clauses.

Every item names its own clause, the clauses of every relation that led to it (``sources``),
which of those relations are prevplan's inference rather than the text's (``inferred``), a
rationale in words and the crosswalk to the UNODC/WHO Standards. The Annex V items and the
practices to avoid are derived from the mix here too; the warnings come from
:mod:`prevplan.engine.judgments`.

Items are immutable models; one that many populations share — a strategy with the same rank,
score and targeted priorities, the action items of the same mix — is built once and kept
with the option or the rules' index it belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from prevplan.engine import judgments
from prevplan.engine.decide import ChosenStrategy, Decision, ProposedIntervention
from prevplan.engine.evidence_scope import items_for
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
    evidence_strength,
    index_for,
    item_links,
)
from prevplan.engine.profile import Situation, tables_for
from prevplan.engine.reach import reaching
from prevplan.i18n import _
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind, Meaning
from prevplan.rules.ruleset import Link
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
        **factor_fields(rules, decision.priorities),
        **plan_fields(rules, decision.pool, _strategy_ids(decision), decision.factors_known, lang),
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
    rules: RuleSet, priorities: Sequence[tuple[int, float]]
) -> dict[str, tuple[PriorityFactor, ...]]:
    """``priority_risk_factors`` and ``weak_protective_factors``, most needed first."""
    risks: list[PriorityFactor] = []
    weak: list[PriorityFactor] = []
    for code, share in priorities:
        (risks if is_risk(rules, code) else weak).append(priority_factor(rules, code, share))
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


def priority_factor(rules: RuleSet, code: int, share: float) -> PriorityFactor:
    """The factor numbered ``code`` as a priority, with its share."""
    kind, factor_id = tables_for(rules).factors[code]
    return PriorityFactor(
        id=factor_id, clause=rules.entities[kind][factor_id].clauses[0], share=share
    )


# --- items -----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def label(rules: RuleSet, kind: Kind, entity_id: str, lang: str) -> str:
    """The entity's label in ``lang`` (the action item's own label for Annex V items)."""
    if not rules.exists(kind, entity_id):
        return entity_id
    return rules.translated(kind, entity_id, "label", lang)


def _lower(rules: RuleSet, kind: Kind, entity_id: str, lang: str) -> str:
    text = label(rules, kind, entity_id, lang)
    return text[:1].lower() + text[1:]


def _joined(rules: RuleSet, kind: Kind, ids: Iterable[str], lang: str) -> str:
    return ", ".join(_lower(rules, kind, i, lang) for i in dict.fromkeys(ids))


def strategy_item(
    rules: RuleSet, option: Option, priority: int, score: int, targeted: int, lang: str
) -> StrategyRecommendation:
    """A strategy of the mix as an item (its parts kept with the option)."""
    strategy = rules.strategies[option.id]
    rationale, sources, inferred = _explained(rules, option, targeted, 0, lang)
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
    rationale, sources, inferred = _explained(rules, option, targeted, delivers, lang)
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


def delivery_settings(rules: RuleSet, option: Option) -> tuple[str, ...]:
    """Where a strategy or intervention is delivered for the population: the settings
    listed that it fits, or else those of its settings that reach the population's ages
    (:mod:`prevplan.engine.reach`)."""
    if any(link.object_kind is Kind.SETTING for link in option.links):
        return option.settings  # the planner's listed settings
    return reaching(rules, option.settings, option.age_stages) or option.settings


def _own_clause(rules: RuleSet, option: Option) -> str:
    if option.kind is Kind.STRATEGY:
        return rules.strategies[option.id].clause
    return rules.interventions[option.id].clause


def _explained(
    rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The item's rationale, its sources and the other ends of its inferred relations (kept
    with the option: many items differ only in rank and score)."""
    key = ("explained", lang, targeted, delivers)
    found: tuple[str, tuple[str, ...], tuple[str, ...]] | None = option.cache.get(key)
    if found is None:
        found = option.cache[key] = _explain(rules, option, targeted, delivers, lang)
    return found


def _explain(
    rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    links = item_links(option, targeted, delivers)
    sources = dict.fromkeys(
        [_own_clause(rules, option), *(ref for link in links for ref in link.relation.sources)]
    )
    names = [
        _lower(rules, *tables_for(rules).factors[code], lang)
        for code, _links in option.factors
        if targeted >> code & 1
    ]
    targets = ""
    if names:
        targets = _("; targets the priority factors: {factors}", lang).format(
            factors=", ".join(names)
        )
    why = _fit_text(rules, option, lang) + targets + _reach_text(rules, option, lang)
    why += _partners_text(rules, option, lang)
    sources.update(dict.fromkeys(_partner_sources(rules, option)))
    what = rules.translated(option.kind, option.id, "description", lang)
    rationale = _("{what} For this population: {why}", lang).format(
        what=what, why=why[:1].lower() + why[1:]
    )
    return rationale + _full_stop(lang), tuple(sources), tuple(_inferred(option, links))


def _partners_text(rules: RuleSet, option: Option, lang: str) -> str:
    """What an intervention must be joined with (VI-4.5#2) and who takes part (VI-4.6#2)."""
    if option.kind is not Kind.INTERVENTION:
        return ""
    end = ""
    joined = rules.context(Meaning.INTEGRATES_WITH, Kind.INTERVENTION, option.id)
    if joined:
        end += _("; only joined with programmes in {settings}", lang).format(
            settings=_joined(rules, Kind.SETTING, [k.object for k in joined], lang)
        )
    actors = rules.context(Meaning.INVOLVES, Kind.INTERVENTION, option.id)
    if actors:
        end += _("; taking part: {actors}", lang).format(
            actors=_joined(rules, Kind.ACTOR, [k.object for k in actors], lang)
        )
    return end


def _partner_sources(rules: RuleSet, option: Option) -> list[str]:
    if option.kind is not Kind.INTERVENTION:
        return []
    return [
        ref
        for meaning in (Meaning.INTEGRATES_WITH, Meaning.INVOLVES)
        for link in rules.context(meaning, Kind.INTERVENTION, option.id)
        for ref in link.relation.sources
    ]


def _fit_text(rules: RuleSet, option: Option, lang: str) -> str:
    level = _lower(rules, Kind.LEVEL, option.level, lang)
    if option.age_stages:
        stages = _joined(rules, Kind.AGE_STAGE, option.age_stages, lang)
        return _("Fits {level} for {stages}", lang).format(level=level, stages=stages)
    return _("Fits {level}", lang).format(level=level)


def _reach_text(rules: RuleSet, option: Option, lang: str) -> str:
    """How the item reaches the population, when not by its age stage and listed settings."""
    end = ""
    if option.special and option.kind is Kind.INTERVENTION:
        stated = [k.subject for k in option.special if k.relation.basis is Basis.STATED]
        inferred = [k.subject for k in option.special if k.relation.basis is Basis.INFERRED]
        if stated:
            end += _("; named by the Concept for {groups}", lang).format(
                groups=_joined(rules, Kind.SPECIAL_GROUP, stated, lang)
            )
        if inferred:
            end += _("; proposed by prevplan for {groups}", lang).format(
                groups=_joined(rules, Kind.SPECIAL_GROUP, inferred, lang)
            )
    elif option.special:
        end += _("; delivered by {interventions} for a special group", lang).format(
            interventions=_joined(
                rules, Kind.INTERVENTION, [k.subject for k in option.special], lang
            )
        )
    if option.relaxed:
        end += _("; needs a setting you did not list ({settings})", lang).format(
            settings=_joined(rules, Kind.SETTING, delivery_settings(rules, option), lang)
        )
    return end


def _inferred(option: Option, links: Iterable[Link]) -> list[str]:
    """The other end (``kind:id``) of each relation behind ``option`` that is inferred."""
    found: dict[str, None] = {}
    for link in links:
        if link.relation.basis is Basis.INFERRED:
            if link.object_kind is option.kind and link.object == option.id:
                found[f"{link.subject_kind.value}:{link.subject}"] = None
            else:
                found[f"{link.object_kind.value}:{link.object}"] = None
    return list(found)


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


@lru_cache(maxsize=1024)
def evidence_of(
    rules: RuleSet,
    kind: Kind,
    entity_id: str,
    lang: str,
    age_stages: tuple[str, ...] = (),
    level: str | None = None,
) -> Evidence:
    """A strategy's or intervention's own Standards items (those rated for ``age_stages``
    and ``level``, where some are), their weakest rating (never a component's or a broader
    item's), the note on its evidence and what works, in ``lang``. When none of its items
    was rated for the population, all are shown and the evidence is marked extrapolated
    (:mod:`prevplan.engine.evidence_scope`)."""
    concept = f"{kind.value}:{entity_id}"
    entry = rules.crosswalk.get(concept)
    own = tuple(entry.standards) if entry else ()
    for_stages = items_for(rules, own, age_stages, None)
    rated = items_for(rules, for_stages or own, age_stages, level)
    keys = rated or for_stages or own
    extrapolated = bool(keys) and not rated
    strength, tag = evidence_strength(rules, kind, entity_id, keys)
    return Evidence(
        standards=keys,
        strength=strength,
        strength_tag=tag,
        components=tuple(entry.components) if entry else (),
        extrapolated=extrapolated,
        note=rules.text("crosswalk", concept, "note", "", lang),
    )


@lru_cache(maxsize=1024)
def what_works(rules: RuleSet, standards: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """How the work is delivered where it works (sessions, boosters, trained deliverers,
    interactive methods): the ``works`` facts of these Standards items, each once, in
    ``lang``."""
    facts = (
        rules.translated("standards_items", key, f"works#{n}", lang)
        for key in standards
        if key in rules.standards
        for n in range(1, len(rules.standards[key].works) + 1)
    )
    return tuple(dict.fromkeys(facts))


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


def plan_fields(
    rules: RuleSet, pool: Pool, strategy_ids: tuple[str, ...], factors_known: bool, lang: str
) -> dict[str, Any]:
    """``priorities_basis`` … ``notes``: what the level and the mix imply."""
    situation = pool.situation
    info = rules.levels[situation.level.value].information_mode
    fitting = delivering_ids(pool, strategy_ids)
    action, avoided = _items_and_avoid(rules, situation, fitting, strategy_ids, lang)
    return {
        "priorities_basis": priorities_basis(factors_known, lang),
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


def priorities_basis(factors_known: bool, lang: str) -> str:
    """What the ranking rests on: the shares given, or the age stage and level alone."""
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


def judgment_fields(
    rules: RuleSet,
    pool: Pool,
    risk_known: bool,
    strategy_ids: tuple[str, ...],
    untargeted: tuple[int, ...],
    lang: str,
) -> dict[str, Any]:
    """``warnings`` and ``untargeted_factors``: the judgments on the mix (kept: few
    combinations occur)."""
    index: OptionIndex = index_for(rules)
    level = pool.situation.level
    delivering = delivering_ids(pool, strategy_ids)
    stages = len(pool.situation.age_stages)
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


def _full_stop(lang: str) -> str:
    """The sentence-ending mark of the language: Chinese ends a sentence with 。 not '.'."""
    return "\u3002" if lang == "zh" else "."
