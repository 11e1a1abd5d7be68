"""``recommend(population)``: the cited, prioritised strategy mix for one target population.

The work is split in two. :func:`core_for` turns a :class:`~prevplan.engine.profile.Profile`
into everything that does not depend on the population's identity — level, strategies,
interventions, action items (Annex V), what to avoid, warnings — and is cached per profile,
so a national file of many similar populations is computed once per distinct profile.
:func:`recommend` adds the population's id and the shares of its priority factors. The same
input always gives the same output.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from prevplan.engine.models import (
    Recommendation,
)
from prevplan.engine.profile import Priority, Profile, profile_for
from prevplan.engine.selection import Candidate, choose_interventions, choose_strategies
from prevplan.i18n import _, current_language
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind, Strength
from prevplan.rules.ruleset import Link
from prevplan.vocab import Basis, Level

_STRENGTH_ORDER = [s.value for s in Strength]


@dataclass(frozen=True)
class Core:
    """The population-independent part of a recommendation, with its JSON pre-rendered."""

    fields: dict[str, Any]
    json_head: str
    json_tail: str
    factor_clauses: dict[str, str]


def recommend(population: TargetPopulation, rules: RuleSet | None = None) -> Recommendation:
    """The recommendation for one population (pure: no I/O beyond loading default rules)."""
    ruleset = rules if rules is not None else load_rules()
    profile, priorities = profile_for(population, ruleset)
    core = core_for(ruleset, profile, current_language())
    return Recommendation.model_validate(
        {
            "population_id": population.id,
            **core.fields,
            **_factor_fields(priorities, core.factor_clauses),
        }
    )


def recommendation_json(population: TargetPopulation, rules: RuleSet) -> str:
    """The recommendation as compact JSON, without building models (for large batches).

    Parses to exactly ``recommend(population, rules).model_dump(mode="json")``.
    """
    profile, priorities = profile_for(population, rules)
    core = core_for(rules, profile, current_language())
    factors = _factor_fields(priorities, core.factor_clauses)
    return (
        '{"population_id":'
        + json.dumps(population.id, ensure_ascii=False)
        + core.json_head
        + ',"priority_risk_factors":'
        + json.dumps(factors["priority_risk_factors"], ensure_ascii=False, separators=(",", ":"))
        + ',"weak_protective_factors":'
        + json.dumps(factors["weak_protective_factors"], ensure_ascii=False, separators=(",", ":"))
        + core.json_tail
        + "}"
    )


def _factor_fields(priorities: Iterable[Priority], clauses: dict[str, str]) -> dict[str, Any]:
    risks = [
        {"id": p.id, "clause": clauses[f"risk_factor:{p.id}"], "share": p.share}
        for p in priorities
        if p.kind is Kind.RISK_FACTOR
    ]
    weak = [
        {"id": p.id, "clause": clauses[f"protective_factor:{p.id}"], "share": p.share}
        for p in priorities
        if p.kind is Kind.PROTECTIVE_FACTOR
    ]
    return {"priority_risk_factors": risks, "weak_protective_factors": weak}


@lru_cache(maxsize=4096)
def core_for(rules: RuleSet, profile: Profile, lang: str) -> Core:
    """Everything in the recommendation that the profile alone decides."""
    del lang  # part of the cache key: rationales are translated when the core is built
    strategies = choose_strategies(rules, profile)
    interventions = choose_interventions(rules, profile, strategies)
    level = rules.levels[profile.level.value]
    settings = profile.settings or _proposed_settings(rules, strategies, interventions)
    strategy_out = [_strategy(rules, c, n, profile) for n, c in enumerate(strategies, start=1)]
    intervention_out = [_intervention(rules, c, profile) for c in interventions]
    fields: dict[str, Any] = {
        "prevention_level": profile.level.value,
        "level_sources": list(profile.level_sources),
        "age_stages": list(profile.age_stages),
        "settings": list(settings),
        "settings_proposed": not profile.settings,
        "strategies": strategy_out,
        "interventions": intervention_out,
        "priorities_basis": _priorities_basis(profile),
        "information_mode": {
            "clause": level.information_mode,
            "text": rules.ref_text(level.information_mode) or "",
        },
        "action_items": _action_items(rules, profile, strategies, interventions),
        "avoid": _avoid(rules, profile, strategies, interventions),
        "warnings": _warnings(rules, profile, strategies, interventions),
    }
    # Round-trip through the model so the cached JSON is exactly what the model would emit.
    model = Recommendation.model_validate(
        {
            "population_id": "",
            **fields,
            "priority_risk_factors": [],
            "weak_protective_factors": [],
        }
    )
    dumped = model.model_dump(mode="json")
    head_keys = [
        "prevention_level",
        "level_sources",
        "age_stages",
        "settings",
        "settings_proposed",
        "strategies",
        "interventions",
    ]
    tail_keys = [
        "priorities_basis",
        "information_mode",
        "action_items",
        "avoid",
        "warnings",
    ]
    return Core(
        fields={k: dumped[k] for k in head_keys + tail_keys},
        json_head="," + _json_members(dumped, head_keys),
        json_tail="," + _json_members(dumped, tail_keys),
        factor_clauses=_factor_clauses(rules),
    )


def _json_members(data: dict[str, Any], keys: list[str]) -> str:
    return ",".join(
        json.dumps(k) + ":" + json.dumps(data[k], ensure_ascii=False, separators=(",", ":"))
        for k in keys
    )


def _factor_clauses(rules: RuleSet) -> dict[str, str]:
    out: dict[str, str] = {}
    for kind in (Kind.RISK_FACTOR, Kind.PROTECTIVE_FACTOR):
        for entity in rules.entities[kind].values():
            out[f"{kind.value}:{entity.id}"] = entity.clauses[0]
    return out


# --- items ---------------------------------------------------------------------------------


def _label(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    entity = rules.entity(kind, entity_id)
    return _(entity.label) if entity is not None else entity_id


def _reasons(rules: RuleSet, links: list[Link]) -> list[dict[str, Any]]:
    seen: set[tuple[str, str, str]] = set()
    out: list[dict[str, Any]] = []
    for link in links:
        key = (link.object_kind.value, link.subject, link.object)
        if key in seen:
            continue
        seen.add(key)
        subject = _label(rules, link.subject_kind, link.subject)
        obj = (
            rules.action_items[link.object].label
            if link.object_kind is Kind.ACTION_ITEM
            else _label(rules, link.object_kind, link.object)
        )
        out.append(
            {
                "text": f"{subject} → {obj}",
                "basis": link.relation.basis.value,
                "sources": list(link.relation.sources),
            }
        )
    return out


def _sources(own: list[str], links: list[Link]) -> list[str]:
    return list(dict.fromkeys([*own, *(ref for link in links for ref in link.relation.sources)]))


def _basis(cand: Candidate) -> Basis:
    """Stated when the text itself ties the item to the level and age stage."""
    core = [k for k in cand.links if k.object_kind in (Kind.LEVEL, Kind.AGE_STAGE)]
    if core and all(k.relation.basis is Basis.STATED for k in core):
        return Basis.STATED
    return Basis.INFERRED


def _evidence(rules: RuleSet, concept: str) -> dict[str, Any]:
    entry = rules.crosswalk.get(concept)
    keys = list(entry.standards) if entry else []
    items = [rules.standards[k] for k in keys if k in rules.standards]
    if items:
        best = min(items, key=lambda s: _STRENGTH_ORDER.index(s.strength.value))
        strength, tag = best.strength.value, best.strength_tag.value
    else:
        strength, tag = "none", ""
    return {
        "standards": keys,
        "strength": strength,
        "strength_tag": tag,
        "works": list(dict.fromkeys(_(f.text) for s in items for f in s.works)),
        "avoid": list(dict.fromkeys(_(f.text) for s in items for f in s.avoid)),
    }


def _rationale(rules: RuleSet, cand: Candidate, profile: Profile) -> str:
    level = _label(rules, Kind.LEVEL, profile.level.value).lower()
    stages = ", ".join(_label(rules, Kind.AGE_STAGE, s).lower() for s in cand.age_stages)
    text = _("Fits {level} for {stages}").format(level=level, stages=stages or "-")
    targeted = [
        _label(rules, kind, fid).lower()
        for kind, fid in profile.priorities
        if (kind, fid) in cand.addresses()
    ]
    if targeted:
        text += _("; targets the priority factors: {factors}").format(factors=", ".join(targeted))
    if cand.special:
        groups = ", ".join(
            _label(rules, Kind.SPECIAL_GROUP, g).lower() for g in profile.special_groups
        )
        text += _("; named by the Concept for {groups}").format(groups=groups)
    if cand.settings_relaxed:
        text += _("; needs a setting you did not list ({settings})").format(
            settings=", ".join(_label(rules, Kind.SETTING, s).lower() for s in cand.settings)
        )
    return text + "."


def _strategy(rules: RuleSet, cand: Candidate, priority: int, profile: Profile) -> dict[str, Any]:
    strategy = rules.strategies[cand.id]
    return {
        "id": cand.id,
        "label": _(strategy.label),
        "kind": strategy.kind.value,
        "clause": strategy.clause,
        "priority": priority,
        "score": cand.score,
        "basis": _basis(cand).value,
        "rationale": _rationale(rules, cand, profile),
        "sources": _sources([strategy.clause], cand.links),
        "reasons": _reasons(rules, cand.links),
        "evidence": _evidence(rules, f"strategy:{cand.id}"),
    }


def _intervention(rules: RuleSet, cand: Candidate, profile: Profile) -> dict[str, Any]:
    intervention = rules.interventions[cand.id]
    settings = cand.settings
    if profile.settings and not cand.settings_relaxed:
        settings = tuple(s for s in settings if s in profile.settings)
    return {
        "id": cand.id,
        "label": _(intervention.label),
        "clause": intervention.clause,
        "settings": list(settings),
        "age_stages": list(cand.age_stages),
        "strategies": [
            link.object for link in rules.related(Kind.INTERVENTION, Kind.STRATEGY, cand.id)
        ],
        "basis": _basis(cand).value,
        "rationale": _rationale(rules, cand, profile),
        "sources": _sources([intervention.clause], cand.links),
        "reasons": _reasons(rules, cand.links),
        "evidence": _evidence(rules, f"intervention:{cand.id}"),
    }


def _proposed_settings(
    rules: RuleSet, strategies: list[Candidate], interventions: list[Candidate]
) -> tuple[str, ...]:
    # Where the interventions can be delivered; the strategies' settings only if none fit.
    wanted = {s for c in interventions for s in c.settings} or {
        s for c in strategies for s in c.settings
    }
    return tuple(s for s in rules.ids(Kind.SETTING) if s in wanted)


def _priorities_basis(profile: Profile) -> str:
    if profile.factors_known:
        return _("Priorities from the shares you gave: most prevalent risks, weakest resources.")
    return _(
        "No risk or protective shares were given: the mix is ranked from the age stage and "
        "prevention level alone."
    )


def _action_items(
    rules: RuleSet, profile: Profile, strategies: list[Candidate], interventions: list[Candidate]
) -> list[str]:
    found: set[str] = set()
    for cand in (*strategies, *interventions):
        found.update(rules.objects(cand.kind, Kind.ACTION_ITEM, cand.id))
    found.update(rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, profile.level.value))
    return [ref for ref in rules.action_items if ref in found]


def _avoid(
    rules: RuleSet, profile: Profile, strategies: list[Candidate], interventions: list[Candidate]
) -> list[dict[str, Any]]:
    """Practices to avoid, from the Standards items for this mix and these age stages."""
    found: dict[tuple[str, str], list[str]] = {}
    for cand in (*strategies, *interventions):
        entry = rules.crosswalk.get(f"{cand.kind.value}:{cand.id}")
        for key in entry.standards if entry else ():
            item = rules.standards[key]
            if item.age_stages and not set(item.age_stages) & set(profile.age_stages):
                continue
            for fact in item.avoid:
                found.setdefault((_(fact.text), fact.tag.value), [])
                if cand.id not in found[(_(fact.text), fact.tag.value)]:
                    found[(_(fact.text), fact.tag.value)].append(cand.id)
    return [{"text": t, "tag": tag, "applies_to": ids} for (t, tag), ids in found.items()]


def _warning(rules: RuleSet, code: str, detail: str = "") -> dict[str, Any]:
    definition = rules.warning_definitions[code]
    message = _(definition.explanation).replace("{population}", _("this population"))
    if detail:
        message = f"{message} {detail}"
    return {"code": code, "message": message, "sources": list(definition.sources)}


def _warnings(
    rules: RuleSet, profile: Profile, strategies: list[Candidate], interventions: list[Candidate]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if profile.level is Level.TERTIARY:
        out.append(_warning(rules, "route_to_treatment"))
    if not profile.factors_known:
        out.append(_warning(rules, "unknown_risk_factors"))
    kinds = {rules.strategies[c.id].kind for c in strategies}
    if (
        not strategies
        or (kinds == {rules.strategies[strategies[0].id].kind}
        and (rules.strategies[strategies[0].id].kind.value == "supporting"))
    ):
        out.append(_warning(rules, "no_fundamental_strategy"))
    if len(strategies) == 1:
        out.append(_warning(rules, "single_strategy"))
    covered = {f for c in (*strategies, *interventions) for f in c.addresses()}
    for kind, factor in profile.priorities:
        if (kind, factor) not in covered:
            label = _label(rules, kind, factor)
            out.append(
                _warning(
                    rules,
                    "untargeted_priority_risk",
                    _("Not addressed: {factor}.").format(factor=label),
                )
            )
    return out


__all__ = ["recommend", "recommendation_json"]
