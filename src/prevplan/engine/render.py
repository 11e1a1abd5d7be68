"""Writing a chosen mix out as the JSON of a recommendation, each item with its clauses.

Every item names its own clause, the clauses of every relation that led to it (``sources``),
which of those relations are prevplan's inference rather than the text's (``inferred``), a
rationale in words and the crosswalk to the UNODC/WHO Standards. The Annex V items, the practices to
avoid and the warnings are derived from the mix here too.

The output is JSON text, written in the field order of
:class:`~prevplan.engine.models.Recommendation`. Parts that many profiles share — an item
with the same priorities targeted, the action items of the same mix — are rendered once and
kept with the option or the rules' index they belong to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from prevplan.engine.profile import Profile, Situation, tables_for
from prevplan.engine.selection import Mix, Option, Pool, index_for, item_links
from prevplan.i18n import _
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind, Strength
from prevplan.rules.ruleset import Link
from prevplan.vocab import Basis, Level

_STRENGTH_ORDER = [s.value for s in Strength]


def dumps(value: Any) -> str:
    """Compact JSON with non-ASCII text kept as is (the recommendation's JSON style)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_string = json.encoder.encode_basestring


def strings(values: Iterable[str]) -> str:
    """A JSON array of strings, as :func:`dumps` writes it (faster, for the hot paths)."""
    return "[" + ",".join(map(_string, values)) + "]"


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


# --- items ---------------------------------------------------------------------------------


def _sources(own: str, links: Iterable[Link]) -> list[str]:
    return list(dict.fromkeys([own, *(ref for link in links for ref in link.relation.sources)]))


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


def _basis(option: Option) -> str:
    """Stated when the text itself ties the item to the level and the age stage (or group)."""
    core = [k for k in option.links if k.object_kind in (Kind.LEVEL, Kind.AGE_STAGE)]
    if not any(k.object_kind is Kind.AGE_STAGE for k in core):
        core += option.special
    stated = all(k.relation.basis is Basis.STATED for k in core)
    return (Basis.STATED if stated else Basis.INFERRED).value


def _evidence(rules: RuleSet, option: Option) -> dict[str, Any]:
    """The crosswalk to the Standards: their keys and the best evidence strength among them."""
    entry = rules.crosswalk.get(f"{option.kind.value}:{option.id}")
    keys = list(entry.standards) if entry else []
    items = [rules.standards[k] for k in keys if k in rules.standards]
    if not items:
        return {"standards": keys, "strength": "none", "strength_tag": ""}
    best = min(items, key=lambda s: _STRENGTH_ORDER.index(s.strength.value))
    return {
        "standards": keys,
        "strength": best.strength.value,
        "strength_tag": best.strength_tag.value,
    }


class _Parts(NamedTuple):
    """What an option's JSON is made of, apart from the priorities it targets."""

    start: str
    """A strategy's JSON up to its priority number; an intervention's up to its basis."""
    basis: str
    rationale_start: str
    rationale_end: str
    sources: list[str]
    inferred: list[str]
    evidence: str
    factors: tuple[tuple[int, tuple[str, ...], tuple[str, ...], str], ...]
    """For each factor the item addresses (in factor order): its number, the clauses and
    inferred ends its relations add, and its name for the rationale."""
    strategies: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...]
    """For each strategy an intervention delivers: its bit, clauses and inferred ends."""
    plain: str
    """The item's JSON from ``"basis"`` when it targets no priority and delivers nothing."""


def _parts(rules: RuleSet, option: Option, lang: str) -> _Parts:
    key = ("parts", lang)
    found: _Parts | None = option.cache.get(key)
    if found is None:
        found = option.cache[key] = _new_parts(rules, option, lang)
    return found


def _new_parts(rules: RuleSet, option: Option, lang: str) -> _Parts:
    level = _lower(rules, Kind.LEVEL, option.level, lang)
    if option.age_stages:
        stages = _joined(rules, Kind.AGE_STAGE, option.age_stages, lang)
        text = _("Fits {level} for {stages}", lang).format(level=level, stages=stages)
    else:
        text = _("Fits {level}", lang).format(level=level)
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
            settings=_joined(rules, Kind.SETTING, option.settings, lang)
        )
    if option.kind is Kind.STRATEGY:
        strategy = rules.strategies[option.id]
        own = strategy.clause
        start = (
            '{"id":'
            + _string(option.id)
            + ',"label":'
            + _string(label(rules, Kind.STRATEGY, option.id, lang))
            + ',"kind":'
            + _string(strategy.kind.value)
            + ',"clause":'
            + _string(own)
            + ',"priority":'
        )
    else:
        own = rules.interventions[option.id].clause
        start = (
            '{"id":'
            + _string(option.id)
            + ',"label":'
            + _string(label(rules, Kind.INTERVENTION, option.id, lang))
            + ',"clause":'
            + _string(own)
            + ',"settings":'
            + strings(option.settings)
            + ',"age_stages":'
            + strings(option.age_stages)
        )
    links = item_links(option, 0, 0)
    factor_names = tables_for(rules).factors
    basis = ',"basis":' + _string(_basis(option))
    sources = _sources(own, links)
    inferred = _inferred(option, links)
    evidence = ',"evidence":' + dumps(_evidence(rules, option)) + "}"
    return _Parts(
        start=start,
        basis=basis,
        rationale_start=text,
        rationale_end=end + _full_stop(lang),
        sources=sources,
        inferred=inferred,
        evidence=evidence,
        factors=tuple(
            (
                code,
                tuple(ref for link in found for ref in link.relation.sources),
                tuple(_inferred(option, found)),
                _lower(rules, *factor_names[code], lang),
            )
            for code, found in option.factors
        ),
        strategies=tuple(
            (bit, tuple(link.relation.sources), tuple(_inferred(option, [link])))
            for bit, _, link in option.strategies
        ),
        plain=_item_json(basis, text + end + _full_stop(lang), sources, inferred, evidence),
    )


def _item_json(
    basis: str, rationale: str, sources: Iterable[str], inferred: Iterable[str], evidence: str
) -> str:
    return (
        basis
        + ',"rationale":'
        + _string(rationale)
        + ',"sources":'
        + strings(sources)
        + ',"inferred":'
        + strings(inferred)
        + evidence
    )


def _item_end(rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str) -> str:
    """The item's JSON from ``"basis"`` to its end: with the clauses and inferred relations
    behind the priority factors it targets and the strategies it delivers."""
    parts = _parts(rules, option, lang)
    if not (targeted or delivers):
        return parts.plain
    sources, inferred = list(parts.sources), list(parts.inferred)
    names: list[str] = []
    for code, refs, ends, name in parts.factors:
        if targeted >> code & 1:
            sources += refs
            inferred += ends
            names.append(name)
    for bit, refs, ends in parts.strategies:
        if delivers >> bit & 1:
            sources += refs
            inferred += ends
    targets = ""
    if names:
        targets = _("; targets the priority factors: {factors}", lang).format(
            factors=", ".join(names)
        )
    return _item_json(
        parts.basis,
        parts.rationale_start + targets + parts.rationale_end,
        dict.fromkeys(sources),
        dict.fromkeys(inferred),
        parts.evidence,
    )


def strategy_parts(rules: RuleSet, option: Option, targeted: int, lang: str) -> tuple[str, str]:
    """A strategy item's JSON before its priority number and after its score (kept with
    the option, per language and targeted priorities)."""
    key = (lang, targeted)
    found: tuple[str, str] | None = option.cache.get(key)
    if found is None:
        found = option.cache[key] = (
            _parts(rules, option, lang).start,
            _item_end(rules, option, targeted, 0, lang),
        )
    return found


def strategy_json(parts: tuple[str, str], priority: int, score: int) -> str:
    """A strategy item's JSON, from its :func:`strategy_parts`."""
    return f'{parts[0]}{priority},"score":{score}{parts[1]}'


def intervention_json(
    rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str
) -> str:
    """An intervention item's JSON (kept with the option)."""
    key = (lang, targeted, delivers)
    found: str | None = option.cache.get(key)
    if found is None:
        found = option.cache[key] = _parts(rules, option, lang).start + _item_end(
            rules, option, targeted, delivers, lang
        )
    return found


def head_start(situation: Situation) -> str:
    """The JSON members from ``prevention_level`` up to ``"settings":``, after a comma."""
    return (
        ',"prevention_level":'
        + _string(situation.level.value)
        + ',"level_sources":'
        + strings(situation.level_sources)
        + ',"age_stages":'
        + strings(situation.age_stages)
        + ',"settings":'
    )


def head(rules: RuleSet, pool: Pool, mix: Mix, lang: str) -> str:
    """The JSON members from ``prevention_level`` to ``interventions``, after a comma.

    Items are rendered once per option, language and profile-dependent part, and kept with
    the option (options are shared by every situation they fit in the same way).
    """
    situation = pool.situation
    cache = pool.cache
    start = cache.get("head")
    if start is None:
        start = cache["head"] = head_start(situation)
    # Every intervention that fits is in the mix, so the settings depend on the situation
    # alone, unless no intervention fits and the strategies' settings are proposed.
    key = ("settings", () if mix.interventions else _strategy_key(mix))
    settings = cache.get(key)
    if settings is None:
        chosen = [p[0] for p in mix.interventions] or [p[0] for p in mix.strategies]
        settings = cache[key] = settings_json(rules, situation.settings, chosen)
    parts = [start, settings, ',"strategies":[']
    for n, (option, score, targeted) in enumerate(mix.strategies, start=1):
        if n > 1:
            parts.append(",")
        parts.append(strategy_json(strategy_parts(rules, option, targeted, lang), n, score))
    parts.append('],"interventions":[')
    parts.append(
        ",".join(
            intervention_json(rules, option, targeted, delivers, lang)
            for option, targeted, delivers in mix.interventions
        )
    )
    parts.append("]")
    return "".join(parts)


def _strategy_key(mix: Mix) -> tuple[Option, ...]:
    return tuple(option for option, _, _ in mix.strategies)


def settings_json(rules: RuleSet, listed: tuple[str, ...], chosen: Iterable[Option]) -> str:
    """``settings`` and ``settings_proposed``: as listed, or where the mix can be delivered.

    prevplan proposes where the ``chosen`` items can be delivered: the interventions, or the
    strategies if no intervention fits.
    """
    if listed:
        return strings(listed) + ',"settings_proposed":false'
    wanted = {s for option in chosen for s in option.settings}
    return strings(s for s in rules.ids(Kind.SETTING) if s in wanted) + ',"settings_proposed":true'


def tail_start(rules: RuleSet, level: Level, factors_known: bool, lang: str) -> str:
    """The JSON members ``priorities_basis`` and ``information_mode``, after a comma."""
    info = rules.levels[level.value].information_mode
    return (
        ',"priorities_basis":'
        + dumps(priorities_basis(factors_known, lang))
        + ',"information_mode":'
        + dumps({"clause": info, "text": rules.ref_text(info) or ""})
    )


def middle_json(
    rules: RuleSet,
    level: Level,
    age_stages: tuple[str, ...],
    intervention_ids: tuple[str, ...],
    strategy_ids: tuple[str, ...],
    lang: str,
) -> str:
    """The JSON members ``action_items`` and ``avoid``, after a comma.

    The interventions are every one that fits the situation (rules order), the strategies
    those of the mix (mix order): what the cache key says, so that the text kept never
    depends on which profile made it.
    """
    shared = index_for(rules).cache
    key = ("middle", lang, level.value, age_stages, intervention_ids, strategy_ids)
    found: str | None = shared.get(key)
    if found is None:
        items = [
            *((Kind.STRATEGY, sid) for sid in strategy_ids),
            *((Kind.INTERVENTION, iid) for iid in intervention_ids),
        ]
        found = shared[key] = (
            ',"action_items":'
            + strings(action_items(rules, level, items))
            + ',"avoid":'
            + avoid_json(rules, age_stages, items, lang)
        )
    return found


def warnings_json(
    rules: RuleSet,
    lang: str,
    level: Level,
    risk_known: bool,
    has_fundamental: bool,
    strategy_count: int,
    untargeted: tuple[int, ...],
) -> str:
    """The ``warnings`` array (kept: few combinations occur)."""
    shared = index_for(rules).cache
    key = ("warnings", lang, level, risk_known, has_fundamental, strategy_count, untargeted)
    found: str | None = shared.get(key)
    if found is None:
        found = shared[key] = dumps(
            warnings(rules, lang, level, risk_known, has_fundamental, strategy_count, untargeted)
        )
    return found


def tail(rules: RuleSet, pool: Pool, profile: Profile, mix: Mix, lang: str) -> str:
    """The JSON members from ``priorities_basis`` to ``warnings``, after a comma."""
    cache = pool.cache
    situation = pool.situation
    level = situation.level
    start_key = ("tail", lang, profile.factors_known)
    start = cache.get(start_key)
    if start is None:
        start = cache[start_key] = tail_start(rules, level, profile.factors_known, lang)
    strategies = [option for option, _, _ in mix.strategies]
    middle = middle_json(
        rules,
        level,
        situation.age_stages,
        pool.intervention_ids,
        tuple(o.id for o in strategies),
        lang,
    )
    untargeted: tuple[int, ...] = ()
    if profile.priorities:
        addressed = pool.interventions.factors
        for _, _, targeted in mix.strategies:
            addressed |= targeted
        untargeted = tuple(code for code in profile.priorities if not addressed >> code & 1)
    found = warnings_json(
        rules,
        lang,
        level,
        profile.risk_known,
        any(option.fundamental for option in strategies),
        len(strategies),
        untargeted,
    )
    return f'{start}{middle},"warnings":{found}'


def priorities_basis(factors_known: bool, lang: str) -> str:
    if factors_known:
        return _(
            "Priorities from the shares you gave: most prevalent risks, weakest resources.", lang
        )
    return _(
        "No risk or protective shares were given: the mix is ranked from the age stage and "
        "prevention level alone.",
        lang,
    )


def action_items(rules: RuleSet, level: Level, items: Sequence[tuple[Kind, str]]) -> list[str]:
    """The Annex V items the recommended work implements, in Annex V order.

    The level's own items, and the items of the chosen strategies and interventions within
    the focus areas of the level's items: information (VI-3.2.1) serves the social
    reintegration of people with dependence (V-4.4) in a tertiary plan, not in a primary
    school's.
    """
    found = _level_items(rules, level)
    for kind, entity_id in items:
        found |= _items_of(rules, level, kind, entity_id)
    return list(_items_in_order(rules, found))


@lru_cache(maxsize=8)
def _level_items(rules: RuleSet, level: Level) -> int:
    """The level's own Annex V items, as bits (bit *n*: the *n*-th item of Annex V)."""
    bits = _item_bits(rules)
    return sum(bits[ref] for ref in set(rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level.value)))


@lru_cache(maxsize=1024)
def _items_of(rules: RuleSet, level: Level, kind: Kind, entity_id: str) -> int:
    """The Annex V items a strategy or intervention implements within the focus areas of
    the level's own items, as bits."""
    areas = {
        rules.action_items[ref].focus_area
        for ref in rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level.value)
    }
    bits = _item_bits(rules)
    return sum(
        bits[ref]
        for ref in set(rules.objects(kind, Kind.ACTION_ITEM, entity_id))
        if rules.action_items[ref].focus_area in areas
    )


@lru_cache(maxsize=8)
def _item_bits(rules: RuleSet) -> dict[str, int]:
    return {ref: 1 << n for n, ref in enumerate(rules.action_items)}


@lru_cache(maxsize=4096)
def _items_in_order(rules: RuleSet, found: int) -> tuple[str, ...]:
    return tuple(ref for n, ref in enumerate(rules.action_items) if found >> n & 1)


def avoid(
    rules: RuleSet, age_stages: tuple[str, ...], items: Sequence[tuple[Kind, str]], lang: str
) -> list[dict[str, Any]]:
    """Practices to avoid, from the Standards items for these strategies and interventions
    (by kind and id) and age stages: each practice once, with the items it applies to."""
    practices = _practices(rules, lang)
    return [
        {"text": practices[n][0], "tag": practices[n][1], "applies_to": ids}
        for n, ids in _avoided(rules, age_stages, items, lang).items()
    ]


def avoid_json(
    rules: RuleSet, age_stages: tuple[str, ...], items: Sequence[tuple[Kind, str]], lang: str
) -> str:
    """:func:`avoid` as JSON."""
    heads = _practice_heads(rules, lang)
    found = _avoided(rules, age_stages, items, lang)
    return "[" + ",".join(heads[n] + strings(ids) + "}" for n, ids in found.items()) + "]"


def _avoided(
    rules: RuleSet, age_stages: tuple[str, ...], items: Sequence[tuple[Kind, str]], lang: str
) -> dict[int, list[str]]:
    """The practices to avoid (by number) and the items each applies to, in order."""
    found: dict[int, list[str]] = {}
    for kind, entity_id in items:
        for practice in _avoid_of(rules, kind, entity_id, age_stages, lang):
            applies = found.setdefault(practice, [])
            if entity_id not in applies:
                applies.append(entity_id)
    return found


@lru_cache(maxsize=8)
def _practices(rules: RuleSet, lang: str) -> list[tuple[str, str]]:
    """Every practice to avoid in the Standards items, as (text, confidence tag), each
    once, numbered in the order of the items."""
    found: dict[tuple[str, str], None] = {}
    for item in rules.standards.values():
        for n, fact in enumerate(item.avoid, start=1):
            text = rules.translated("standards_items", item.key, f"avoid#{n}", lang)
            found[(text, fact.tag.value)] = None
    return list(found)


@lru_cache(maxsize=8)
def _practice_heads(rules: RuleSet, lang: str) -> list[str]:
    """Each practice's JSON up to its ``applies_to`` list."""
    return [
        '{"text":' + _string(text) + ',"tag":' + _string(tag) + ',"applies_to":'
        for text, tag in _practices(rules, lang)
    ]


@lru_cache(maxsize=4096)
def _avoid_of(
    rules: RuleSet, kind: Kind, entity_id: str, age_stages: tuple[str, ...], lang: str
) -> tuple[int, ...]:
    """The practices to avoid (by number) for a strategy or intervention and age stages:
    those of its Standards items, unless the item is for other age stages only."""
    number = {practice: n for n, practice in enumerate(_practices(rules, lang))}
    entry = rules.crosswalk.get(f"{kind.value}:{entity_id}")
    stages = set(age_stages)
    return tuple(
        number[(rules.translated("standards_items", item.key, f"avoid#{n}", lang), fact.tag.value)]
        for item in (rules.standards[key] for key in (entry.standards if entry else ()))
        if not item.age_stages or stages & set(item.age_stages)
        for n, fact in enumerate(item.avoid, start=1)
    )


def warning(rules: RuleSet, code: str, lang: str, detail: str = "") -> dict[str, Any]:
    """The warning ``code`` of ``warnings.yaml``, about "this population"."""
    definition = rules.warning_definitions[code]
    message = rules.translated("warnings", code, "explanation", lang)
    if message.startswith("{population}"):
        message = _("This population", lang) + message[len("{population}") :]
    message = message.replace("{population}", _("this population", lang))
    if detail:
        message = f"{message} {detail}"
    return {"code": code, "message": message, "sources": list(definition.sources)}


def warnings(
    rules: RuleSet,
    lang: str,
    level: Level,
    risk_known: bool,
    has_fundamental: bool,
    strategy_count: int,
    untargeted: Sequence[int],
) -> list[dict[str, Any]]:
    """The warnings for a mix (interfaces §4)."""
    out: list[dict[str, Any]] = []
    if level is Level.TERTIARY:
        out.append(warning(rules, "route_to_treatment", lang))
    if not risk_known:
        out.append(warning(rules, "unknown_risk_factors", lang))
    if not has_fundamental:
        out.append(warning(rules, "no_fundamental_strategy", lang))
    if strategy_count == 1:
        out.append(warning(rules, "single_strategy", lang))
    factors = tables_for(rules).factors
    for code in untargeted:
        detail = _("Not addressed: {factor}.", lang).format(
            factor=label(rules, *factors[code], lang)
        )
        out.append(warning(rules, "untargeted_priority_risk", lang, detail))
    return out


def _full_stop(lang: str) -> str:
    """The sentence-ending mark of the language: Chinese ends a sentence with 。 not '.'."""
    return "\u3002" if lang == "zh" else "."
