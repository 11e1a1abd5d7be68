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

from prevplan.engine.profile import Profile, tables_for
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
    if kind is Kind.ACTION_ITEM:
        item = rules.action_items.get(entity_id)
        return _(item.label, lang) if item is not None else entity_id
    entity = rules.entity(kind, entity_id)
    return _(entity.label, lang) if entity is not None else entity_id


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


def _targets(rules: RuleSet, option: Option, targeted: int, lang: str) -> str:
    """The part of the rationale that names the priority factors the item addresses."""
    if not targeted:
        return ""
    factors = tables_for(rules).factors
    return _("; targets the priority factors: {factors}", lang).format(
        factors=", ".join(
            _lower(rules, *factors[code], lang)
            for code, _links in option.factors
            if targeted >> code & 1
        )
    )


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
            + dumps(option.id)
            + ',"label":'
            + dumps(label(rules, Kind.STRATEGY, option.id, lang))
            + ',"kind":'
            + dumps(strategy.kind.value)
            + ',"clause":'
            + dumps(own)
            + ',"priority":'
        )
    else:
        own = rules.interventions[option.id].clause
        start = (
            '{"id":'
            + dumps(option.id)
            + ',"label":'
            + dumps(label(rules, Kind.INTERVENTION, option.id, lang))
            + ',"clause":'
            + dumps(own)
            + ',"settings":'
            + dumps(list(option.settings))
            + ',"age_stages":'
            + dumps(list(option.age_stages))
        )
    links = item_links(option, 0, 0)
    return _Parts(
        start=start,
        basis=',"basis":' + dumps(_basis(option)),
        rationale_start=text,
        rationale_end=end + ".",
        sources=_sources(own, links),
        inferred=_inferred(option, links),
        evidence=',"evidence":' + dumps(_evidence(rules, option)) + "}",
    )


def _item_end(rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str) -> str:
    """The item's JSON from ``"basis"`` to its end."""
    parts = _parts(rules, option, lang)
    sources, inferred = parts.sources, parts.inferred
    if targeted or delivers:
        extra = item_links(option, targeted, delivers)[len(option.links) + len(option.special) :]
        sources = list(dict.fromkeys([*sources, *(r for k in extra for r in k.relation.sources)]))
        inferred = list(dict.fromkeys([*inferred, *_inferred(option, extra)]))
    return (
        parts.basis
        + ',"rationale":'
        + _string(
            parts.rationale_start + _targets(rules, option, targeted, lang) + parts.rationale_end
        )
        + ',"sources":'
        + strings(sources)
        + ',"inferred":'
        + strings(inferred)
        + parts.evidence
    )


def _strategy_parts(rules: RuleSet, option: Option, targeted: int, lang: str) -> tuple[str, str]:
    """A strategy item's JSON before its priority number and after its score."""
    return _parts(rules, option, lang).start, _item_end(rules, option, targeted, 0, lang)


def _intervention_json(
    rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str
) -> str:
    return _parts(rules, option, lang).start + _item_end(rules, option, targeted, delivers, lang)


def head(rules: RuleSet, pool: Pool, mix: Mix, lang: str) -> str:
    """The JSON members from ``prevention_level`` to ``interventions``, after a comma.

    Items are rendered once per option, language and profile-dependent part, and kept with
    the option (options are shared by every situation they fit in the same way).
    """
    situation = pool.situation
    cache = pool.cache
    start = cache.get(("head", lang))
    if start is None:
        start = cache[("head", lang)] = (
            ',"prevention_level":'
            + dumps(situation.level.value)
            + ',"level_sources":'
            + dumps(list(situation.level_sources))
            + ',"age_stages":'
            + dumps(list(situation.age_stages))
            + ',"settings":'
        )
    # Every intervention that fits is in the mix, so the settings depend on the situation
    # alone, unless no intervention fits and the strategies' settings are proposed.
    key = ("settings", () if mix.interventions else _strategy_key(mix))
    settings = cache.get(key)
    if settings is None:
        settings = cache[key] = _settings(rules, situation.settings, mix)
    parts = [start, settings, ',"strategies":[']
    for n, (option, score, targeted) in enumerate(mix.strategies, start=1):
        found = option.cache.get((lang, targeted))
        if found is None:
            found = option.cache[(lang, targeted)] = _strategy_parts(rules, option, targeted, lang)
        parts.append(f'{"," if n > 1 else ""}{found[0]}{n},"score":{score}{found[1]}')
    parts.append('],"interventions":[')
    first = True
    for option, targeted, delivers in mix.interventions:
        item_key = (lang, targeted, delivers)
        text = option.cache.get(item_key)
        if text is None:
            text = option.cache[item_key] = _intervention_json(
                rules, option, targeted, delivers, lang
            )
        parts.append(text if first else "," + text)
        first = False
    parts.append("]")
    return "".join(parts)


def _strategy_key(mix: Mix) -> tuple[Option, ...]:
    return tuple(option for option, _, _ in mix.strategies)


def _settings(rules: RuleSet, listed: tuple[str, ...], mix: Mix) -> str:
    """``settings`` and ``settings_proposed``: as listed, or where the mix can be delivered.

    prevplan proposes where the interventions can be delivered, or the strategies' settings
    if no intervention fits.
    """
    if listed:
        return dumps(list(listed)) + ',"settings_proposed":false'
    chosen = [p[0] for p in mix.interventions] or [p[0] for p in mix.strategies]
    wanted = {s for option in chosen for s in option.settings}
    return dumps([s for s in rules.ids(Kind.SETTING) if s in wanted]) + ',"settings_proposed":true'


def tail(rules: RuleSet, pool: Pool, profile: Profile, mix: Mix, lang: str) -> str:
    """The JSON members from ``priorities_basis`` to ``warnings``, after a comma."""
    cache = pool.cache
    level = pool.situation.level
    start_key = ("tail", lang, profile.factors_known)
    start = cache.get(start_key)
    if start is None:
        info = rules.levels[level.value].information_mode
        start = cache[start_key] = (
            ',"priorities_basis":'
            + dumps(priorities_basis(profile.factors_known, lang))
            + ',"information_mode":'
            + dumps({"clause": info, "text": rules.ref_text(info) or ""})
        )
    # The interventions are the same for every mix of the situation: the strategies decide.
    shared = index_for(rules).cache
    strategies = tuple(option.id for option, _, _ in mix.strategies)
    situation = pool.situation
    middle_key = ("middle", lang, level, situation.age_stages, pool.intervention_ids, strategies)
    middle = shared.get(middle_key)
    if middle is None:
        # The strategies in the mix's order, the interventions in the rules' order: what
        # the key says, so that the cached text never depends on which profile made it.
        options = [*(p[0] for p in mix.strategies), *pool.interventions.options]
        middle = shared[middle_key] = (
            ',"action_items":'
            + dumps(action_items(rules, level, options))
            + ',"avoid":'
            + dumps(avoid(rules, situation.age_stages, options, lang))
        )
    untargeted: tuple[int, ...] = ()
    if profile.priorities:
        addressed = pool.interventions.factors
        for _, _, targeted in mix.strategies:
            addressed |= targeted
        untargeted = tuple(code for code in profile.priorities if not addressed >> code & 1)
    has_fundamental = any(option.fundamental for option, _, _ in mix.strategies)
    warnings_key = (
        "warnings",
        lang,
        level,
        profile.risk_known,
        has_fundamental,
        len(strategies),
        untargeted,
    )
    found = shared.get(warnings_key)
    if found is None:
        found = shared[warnings_key] = dumps(
            warnings(
                rules,
                lang,
                level,
                profile.risk_known,
                has_fundamental,
                len(strategies),
                untargeted,
            )
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


@lru_cache(maxsize=8)
def _level_focus_areas(rules: RuleSet, level: Level) -> frozenset[str]:
    return frozenset(
        rules.action_items[ref].focus_area
        for ref in rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level.value)
    )


def action_items(rules: RuleSet, level: Level, options: Sequence[Option]) -> list[str]:
    """The Annex V items the recommended work implements, in Annex V order.

    The level's own items, and the items of the chosen strategies and interventions within
    the focus areas of the level's items: information (VI-3.2.1) serves the social
    reintegration of people with dependence (V-4.4) in a tertiary plan, not in a primary
    school's.
    """
    areas = _level_focus_areas(rules, level)
    found = set(rules.objects(Kind.LEVEL, Kind.ACTION_ITEM, level.value))
    for option in options:
        found.update(ref for ref, area in _items_of(rules, option.kind, option.id) if area in areas)
    return [ref for ref in rules.action_items if ref in found]


@lru_cache(maxsize=256)
def _items_of(rules: RuleSet, kind: Kind, entity_id: str) -> tuple[tuple[str, str], ...]:
    """(Annex V item, its focus area) for each item the strategy or intervention implements."""
    return tuple(
        (ref, rules.action_items[ref].focus_area)
        for ref in rules.objects(kind, Kind.ACTION_ITEM, entity_id)
    )


def avoid(
    rules: RuleSet, age_stages: tuple[str, ...], options: Sequence[Option], lang: str
) -> list[dict[str, Any]]:
    """Practices to avoid, from the Standards items for these options and age stages."""
    found: dict[tuple[str, str], list[str]] = {}
    stages = set(age_stages)
    for option in options:
        for text, tag, item_stages in _avoid_of(rules, option.kind, option.id, lang):
            if item_stages and not item_stages & stages:
                continue
            applies = found.setdefault((text, tag), [])
            if option.id not in applies:
                applies.append(option.id)
    return [{"text": t, "tag": tag, "applies_to": ids} for (t, tag), ids in found.items()]


@lru_cache(maxsize=256)
def _avoid_of(
    rules: RuleSet, kind: Kind, entity_id: str, lang: str
) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(text, confidence tag, age stages of the Standards item) of each practice to avoid."""
    entry = rules.crosswalk.get(f"{kind.value}:{entity_id}")
    return tuple(
        (_(fact.text, lang), fact.tag.value, frozenset(item.age_stages))
        for item in (rules.standards[key] for key in (entry.standards if entry else ()))
        for fact in item.avoid
    )


def warning(rules: RuleSet, code: str, lang: str, detail: str = "") -> dict[str, Any]:
    """The warning ``code`` of ``warnings.yaml``, about "this population"."""
    definition = rules.warning_definitions[code]
    message = _(definition.explanation, lang)
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
