"""The Concept explorer's content: each thing the Concept defines, with its text and links.

A :class:`ConceptItem` is one card of the explorer — a prevention level of Table 1, a risk or
protective factor of VI-1.2/VI-1.3, a strategy of VI-3, an intervention of VI-4 or an item of
the Program of Actions (Annex V) — with the clauses it comes from, what it relates to (each
relation stated by the text or inferred by prevplan, with its justification) and, for
strategies and interventions, the crosswalk to the UNODC/WHO Standards. Built from the rules
alone; the page only lays the cards out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from prevplan.engine.models import Recommendation
from prevplan.i18n import _
from prevplan.present.labels import (
    OFFICIAL_TEXT,
    UNOFFICIAL_TRANSLATION,
    clause_text,
    description,
    focus_area_title,
    join,
    label,
    source_and_translation,
    source_table_text,
    strategy_kind_text,
)
from prevplan.rules import RuleSet
from prevplan.rules.models import (
    CrosswalkEntry,
    Entity,
    InterventionEntity,
    Kind,
    LevelEntity,
    StandardsItem,
    StrategyEntity,
)
from prevplan.rules.ruleset import Link
from prevplan.vocab import Basis


class Section(StrEnum):
    """The explorer's tabs."""

    LEVELS = "levels"
    FACTORS = "factors"
    STRATEGIES = "strategies"
    INTERVENTIONS = "interventions"
    ACTION_ITEMS = "action_items"


def section_title(section: Section) -> str:
    titles = {
        Section.LEVELS: _("Levels (Table 1)"),
        Section.FACTORS: _("Risk & protective factors"),
        Section.STRATEGIES: _("Strategies"),
        Section.INTERVENTIONS: _("Interventions"),
        Section.ACTION_ITEMS: _("Program of Actions"),
    }
    return titles[section]


@dataclass(frozen=True)
class RelationView:
    """One relation seen from an item: the other end, its basis, clauses and justification."""

    other_kind: Kind
    other_id: str
    other_label: str
    basis: Basis
    sources: tuple[str, ...]
    justification: str | None


@dataclass(frozen=True)
class EvidenceView:
    """The crosswalk of a strategy or intervention to the Standards."""

    standards: tuple[StandardsItem, ...]
    basis: Basis
    justification: str


@dataclass(frozen=True)
class ConceptItem:
    section: Section
    kind: Kind
    id: str
    title: str
    group: str
    """A heading the item is listed under (kind of strategy, age stage, focus area …)."""
    refs: tuple[str, ...]
    """The item's own clauses, first the one it is defined by."""
    description: str
    facts: tuple[tuple[str, str], ...]
    """Label–value pairs: degree, schedule, executors …"""
    relations: tuple[RelationView, ...]
    evidence: EvidenceView | None
    filters: frozenset[str]
    """Filter values the item matches (age stages, settings, focus area, kind)."""
    search_text: str

    @property
    def ref(self) -> str:
        return self.refs[0] if self.refs else ""


# The kinds an item's relations are listed by, in this order.
RELATED_KINDS: Final[tuple[Kind, ...]] = (
    Kind.LEVEL,
    Kind.RISK_GROUP,
    Kind.SPECIAL_GROUP,
    Kind.AGE_STAGE,
    Kind.SETTING,
    Kind.RISK_FACTOR,
    Kind.PROTECTIVE_FACTOR,
    Kind.STRATEGY,
    Kind.INTERVENTION,
    Kind.ACTION_ITEM,
)


def relations_of(rules: RuleSet, kind: Kind, entity_id: str) -> tuple[RelationView, ...]:
    """Every relation touching the entity, from either end, grouped by the other kind; each
    justification in the current language."""
    views: list[RelationView] = []
    for other in RELATED_KINDS:
        for link in rules.related(kind, other, entity_id):
            views.append(_view(rules, other, link.object, link))
        for link in rules.relating(other, kind, entity_id):
            views.append(_view(rules, other, link.subject, link))
    return tuple(views)


def _view(rules: RuleSet, kind: Kind, other: str, link: Link) -> RelationView:
    relation = link.relation
    return RelationView(
        other_kind=kind,
        other_id=other,
        other_label=label(rules, kind, other),
        basis=relation.basis,
        sources=relation.sources,
        justification=rules.justification(link),
    )


def evidence_of(rules: RuleSet, kind: Kind, entity_id: str) -> EvidenceView | None:
    concept = f"{kind.value}:{entity_id}"
    entry: CrosswalkEntry | None = rules.crosswalk.get(concept)
    if entry is None:
        return None
    items = tuple(rules.standards[key] for key in entry.standards if key in rules.standards)
    justification = rules.translated("crosswalk", concept, "justification")
    return EvidenceView(standards=items, basis=entry.basis, justification=justification)


def _excerpt(rules: RuleSet, refs: Iterable[str]) -> str:
    """The source text of the refs, in the current language and in English (for search)."""
    parts = []
    for ref in refs:
        parts += [rules.ref_text(ref) or "", clause_text(rules, ref) or ""]
    return " ".join(dict.fromkeys(parts))


def _quoted(rules: RuleSet, ref: str) -> str:
    """The source's words for ``ref`` in quotes; outside English, prevplan's translation
    after them, marked as unofficial."""
    found = source_and_translation(rules, ref)
    if found is None:
        return "—"
    source, translated = found
    official = rules.official_text(ref)
    if official is not None:
        return _("“{source}” ({mark}, {origin}: “{translation}”)").format(
            source=source, mark=_(OFFICIAL_TEXT), origin=official.source, translation=official.text
        )
    if not translated:
        return f"“{source}”"
    return _("“{source}” ({mark}: “{translation}”)").format(
        source=source, mark=_(UNOFFICIAL_TRANSLATION), translation=translated
    )


def _search(*parts: str) -> str:
    return " ".join(parts).casefold()


def _entity_item(
    rules: RuleSet,
    section: Section,
    kind: Kind,
    entity_id: str,
    entity: Entity,
    *,
    group: str,
    refs: tuple[str, ...],
    filters: frozenset[str],
    facts: tuple[tuple[str, str], ...] = (),
    evidence: EvidenceView | None = None,
) -> ConceptItem:
    """The card of an entity: its label, description and relations in the current language,
    searchable by its id, both languages' words and the source text of ``refs``."""
    title = label(rules, kind, entity_id)
    return ConceptItem(
        section=section,
        kind=kind,
        id=entity_id,
        title=title,
        group=group,
        refs=refs,
        description=description(rules, kind, entity_id),
        facts=facts,
        relations=relations_of(rules, kind, entity_id),
        evidence=evidence,
        filters=filters,
        search_text=_search(entity_id, title, entity.description, *refs, _excerpt(rules, refs)),
    )


def level_items(rules: RuleSet) -> list[ConceptItem]:
    out = []
    for level_id, level in rules.levels.items():
        assert isinstance(level, LevelEntity)
        facts = (
            (_("Degree of prevention (Table 1)"), level.degree),
            (_("Term in the source"), level.source_term or "—"),
            (
                _("How to inform this group ({ref})").format(ref=level.information_mode),
                _quoted(rules, level.information_mode),
            ),
        )
        out.append(
            _entity_item(
                rules,
                Section.LEVELS,
                Kind.LEVEL,
                level_id,
                level,
                group=_("Degree {degree}").format(degree=level.degree),
                refs=tuple(level.clauses),
                filters=frozenset({level.degree}),
                facts=facts,
            )
        )
    return out


def factor_items(rules: RuleSet) -> list[ConceptItem]:
    out = []
    for kind, group in (
        (Kind.RISK_FACTOR, _("Risk factors (VI-1.2)")),
        (Kind.PROTECTIVE_FACTOR, _("Protective factors (VI-1.3)")),
    ):
        for factor_id, factor in rules.entities[kind].items():
            out.append(
                _entity_item(
                    rules,
                    Section.FACTORS,
                    kind,
                    factor_id,
                    factor,
                    group=group,
                    refs=factor.clauses,
                    filters=frozenset({kind.value}),
                )
            )
    return out


def strategy_items(rules: RuleSet) -> list[ConceptItem]:
    out = []
    for strategy_id, strategy in rules.strategies.items():
        assert isinstance(strategy, StrategyEntity)
        out.append(
            _entity_item(
                rules,
                Section.STRATEGIES,
                Kind.STRATEGY,
                strategy_id,
                strategy,
                group=strategy_kind_text(strategy.kind),
                refs=tuple(dict.fromkeys((strategy.clause, *strategy.clauses))),
                filters=frozenset({strategy.kind.value}),
                facts=((_("Kind"), strategy_kind_text(strategy.kind)),),
                evidence=evidence_of(rules, Kind.STRATEGY, strategy_id),
            )
        )
    return out


def intervention_items(rules: RuleSet) -> list[ConceptItem]:
    """Interventions grouped by their first age stage (VI-4.1 … VI-4.4), in the rules' order."""
    stage_order = list(rules.age_stages)
    out = []
    for intervention_id, item in rules.interventions.items():
        assert isinstance(item, InterventionEntity)
        stages = rules.objects(Kind.INTERVENTION, Kind.AGE_STAGE, intervention_id)
        settings = rules.objects(Kind.INTERVENTION, Kind.SETTING, intervention_id)
        stages_sorted = sorted(
            dict.fromkeys(stages), key=lambda s: stage_order.index(s) if s in stage_order else 99
        )
        facts = [
            (
                _("Age stages"),
                join(label(rules, Kind.AGE_STAGE, s) for s in stages_sorted) or "—",
            ),
            (
                _("Settings"),
                join(label(rules, Kind.SETTING, s) for s in dict.fromkeys(settings)) or "—",
            ),
        ]
        if item.components:
            facts.append((_("Components"), "; ".join(item.components)))
        group = label(rules, Kind.AGE_STAGE, stages_sorted[0]) if stages_sorted else _("Any age")
        out.append(
            _entity_item(
                rules,
                Section.INTERVENTIONS,
                Kind.INTERVENTION,
                intervention_id,
                item,
                group=group,
                refs=tuple(dict.fromkeys((item.clause, *item.clauses))),
                filters=frozenset({*stages, *settings}),
                facts=tuple(facts),
                evidence=evidence_of(rules, Kind.INTERVENTION, intervention_id),
            )
        )
    rank = {stage: n for n, stage in enumerate(stage_order)}

    def first_stage(ci: ConceptItem) -> int:
        found = [rank[f] for f in ci.filters if f in rank]
        return min(found) if found else len(rank)

    return sorted(out, key=first_stage)


def action_item_items(rules: RuleSet) -> list[ConceptItem]:
    out = []
    carried_note = _("(carried down from the row above in the source table)")
    for ref, item in rules.action_items.items():
        group = f"{item.focus_area} — {focus_area_title(rules, item.focus_area)}"
        facts = []
        for name, value, field in (
            (_("Schedule"), item.schedule, "schedule"),
            (_("Executors"), item.executors, "executors"),
            (_("Coordinating body"), item.coordinating_body, "coordinating_body"),
        ):
            text = source_table_text(value)
            if field in item.carried_down:
                text = f"{text} {carried_note}"
            facts.append((name, text))
        title = f"{item.number} {label(rules, Kind.ACTION_ITEM, ref)}"
        out.append(
            ConceptItem(
                section=Section.ACTION_ITEMS,
                kind=Kind.ACTION_ITEM,
                id=ref,
                title=title,
                group=group,
                refs=(ref,),
                description="",
                facts=tuple(facts),
                relations=relations_of(rules, Kind.ACTION_ITEM, ref),
                evidence=None,
                filters=frozenset({item.focus_area}),
                search_text=_search(
                    ref,
                    title,
                    item.text,
                    clause_text(rules, ref) or "",
                    item.executors or "",
                    item.coordinating_body or "",
                    item.schedule or "",
                ),
            )
        )
    return out


def section_items(rules: RuleSet, section: Section) -> list[ConceptItem]:
    builders = {
        Section.LEVELS: level_items,
        Section.FACTORS: factor_items,
        Section.STRATEGIES: strategy_items,
        Section.INTERVENTIONS: intervention_items,
        Section.ACTION_ITEMS: action_item_items,
    }
    return builders[section](rules)


def search(
    items: Sequence[ConceptItem], text: str = "", filters: Iterable[str] = ()
) -> list[ConceptItem]:
    """The items whose text holds every word of ``text`` and that match any of ``filters``."""
    words = text.casefold().split()
    wanted = set(filters)
    return [
        item
        for item in items
        if all(word in item.search_text for word in words)
        and (not wanted or bool(wanted & item.filters))
    ]


def reasons_for(
    rules: RuleSet, kind: Kind, entity_id: str, recommendation: Recommendation
) -> tuple[RelationView, ...]:
    """The relations that tie a recommended strategy or intervention to this population.

    Its links to the population's prevention level, age stages, settings and priority
    factors — and, for an intervention, to the recommended strategies it delivers — each
    stated in the text or inferred by prevplan.
    """
    wanted: dict[Kind, set[str]] = {
        Kind.LEVEL: {recommendation.prevention_level.value},
        Kind.AGE_STAGE: set(recommendation.age_stages),
        Kind.SETTING: set(recommendation.settings),
        Kind.RISK_FACTOR: {f.id for f in recommendation.priority_risk_factors},
        Kind.PROTECTIVE_FACTOR: {f.id for f in recommendation.weak_protective_factors},
    }
    if kind is Kind.INTERVENTION:
        wanted[Kind.STRATEGY] = {s.id for s in recommendation.strategies}
    return tuple(
        view
        for view in relations_of(rules, kind, entity_id)
        if view.other_id in wanted.get(view.other_kind, set())
    )
