"""The words of a recommended strategy or intervention: its rationale and the clauses behind it.

A rationale says what the work is (its description in the rules), then, for this
population, how it fits (level and age stages), which priority factors it targets, how it
reaches the population when not by its age (a special group, a setting not listed), and
what it must be joined with and who takes part (VI-4.5#2, VI-4.6#2). Beside it: the clauses
of every relation that led to it (``sources``) and the other ends of the relations that are
prevplan's inference (``inferred``), so that what the Concept states and what prevplan infers
stay apart wherever a user reads the item. :mod:`prevplan.engine.build` puts these into the
item models.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from prevplan.engine.options import Option, index_for, item_links
from prevplan.engine.profile import tables_for
from prevplan.engine.reach import reaching
from prevplan.i18n import _
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind, Meaning
from prevplan.rules.ruleset import Link
from prevplan.vocab import Basis


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


def explained(
    rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The item's rationale, its sources and the other ends of its inferred relations (kept
    with the option: many items differ only in rank and score)."""
    key = ("explained", lang, targeted, delivers)
    found: Explanation | None = option.cache.get(key)
    if found is None:
        found = option.cache[key] = _shared(rules, option, targeted, delivers, lang)
    return found


Explanation = tuple[str, tuple[str, ...], tuple[str, ...]]

MAX_SHARED = 20_000
"""Rationales kept for options of other situations; past it they are written again."""


def _shared(rules: RuleSet, option: Option, targeted: int, delivers: int, lang: str) -> Explanation:
    """The explanation. Options of many situations differ in the relations (and so the
    sources) behind them, yet their rationale reads alike: it is kept by everything
    :func:`rationale` reads of the option, in the rule set's index. Special-group relations
    are the rule set's own objects, kept by identity (hashing one hashes every field)."""
    links = item_links(option, targeted, delivers)
    codes = tuple(code for code, _links in option.factors if targeted >> code & 1)
    key = (
        option.kind,
        option.id,
        option.level,
        option.age_stages,
        codes,
        option.relaxed and delivery_settings(rules, option),
        tuple(map(id, option.special)),
        lang,
    )
    built = index_for(rules).built
    shared: dict[tuple[object, ...], str] = built.setdefault("rationales", {})
    text = shared.get(key)
    if text is None:
        if len(shared) >= MAX_SHARED:
            shared.clear()
        text = shared[key] = rationale(rules, option, codes, lang)
    sources = dict.fromkeys(
        [_own_clause(rules, option), *(ref for link in links for ref in link.relation.sources)]
    )
    sources.update(dict.fromkeys(_partner_sources(rules, option)))
    return text, tuple(sources), tuple(_inferred(option, links))


def rationale(rules: RuleSet, option: Option, codes: tuple[int, ...], lang: str) -> str:
    """What the work is, then how it fits the population, the priority factors ``codes`` it
    targets, how it reaches them and what it must be joined with."""
    names = [_lower(rules, *tables_for(rules).factors[code], lang) for code in codes]
    targets = ""
    if names:
        targets = _("; targets the priority factors: {factors}", lang).format(
            factors=", ".join(names)
        )
    why = _fit_text(rules, option, lang) + targets + _reach_text(rules, option, lang)
    why += _partners_text(rules, option, lang)
    what = rules.translated(option.kind, option.id, "description", lang)
    text = _("{what} For this population: {why}", lang).format(
        what=what, why=why[:1].lower() + why[1:]
    )
    return text + _full_stop(lang)


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


def _full_stop(lang: str) -> str:
    """The sentence-ending mark of the language: Chinese ends a sentence with 。 not '.'."""
    return "\u3002" if lang == "zh" else "."
