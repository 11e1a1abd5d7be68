"""Finding a rule from its clause, and the clauses from a rule: the index of ``concept_rules/``.

Every entity, relation, warning and prioritisation rule cites the clauses of Annex IV, V or
VI it rests on (interfaces §1). This module turns those citations round, so that one look-up
answers "what in prevplan rests on ``VI-3.1.1``?" and "what does ``work_with_parents`` rest
on, and what rests on it?". ``prevplan rules show REF`` prints the answer and
``scripts/build_rules_index.py`` writes the whole index to ``concept_rules/INDEX.md``.
Nothing here adds policy: it only reads the loaded :class:`RuleSet`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from prevplan.rules.clauses import parse_ref
from prevplan.rules.models import Entity, InterventionEntity, Kind, StrategyEntity
from prevplan.rules.ruleset import Link, RuleSet
from prevplan.vocab import Basis


class CitingKind(StrEnum):
    """What kind of rule cites a clause."""

    ENTITY = "entity"
    RELATION = "relation"
    WARNING = "warning"
    PRIORITISATION = "prioritisation"


@dataclass(frozen=True)
class Citing:
    """One rule that cites a clause: an entity, a relation, a warning or a ranking rule.

    ``group`` and ``item`` name it: an entity's kind and id, a relation's file
    (``strategy_level``) and ``subject/object``, ``warnings`` and a code, ``prioritisation``
    and a section. ``cites`` are the exact references it gives into the clause (``VI-3.1.1``,
    ``VI-3.1.1#2``); ``link`` and ``basis`` are set for a relation.
    """

    kind: CitingKind
    group: str
    item: str
    cites: tuple[str, ...]
    link: Link | None = None

    @property
    def basis(self) -> Basis | None:
        """For a relation, whether the text states it or prevplan infers it."""
        return self.link.relation.basis if self.link is not None else None


@dataclass(frozen=True)
class Found:
    """Everything prevplan holds about one reference, as ``prevplan rules show`` prints it.

    ``clause`` is the clause a clause reference points into (``None`` for an entity id);
    ``kinds`` the kinds of entity the reference names (an id such as ``family`` is both a
    setting and a risk factor; an Annex V item is an entity of kind ``action_item``);
    ``citing`` the rules that cite the clause; ``links`` the relations in which the entity is
    subject or object.
    """

    ref: str
    clause: str | None
    kinds: tuple[Kind, ...]
    citing: tuple[Citing, ...]
    links: tuple[Link, ...]


def clause_base(ref: str) -> str:
    """The clause a reference points into: ``VI-4.3.2`` for ``VI-4.3.2#3``."""
    parsed = parse_ref(ref)
    return parsed.base if parsed is not None else ref


def relation_group(link: Link) -> str:
    """The relation file a link comes from, by its conventional stem: ``strategy_level``."""
    return f"{link.subject_kind.value}_{link.object_kind.value}"


def entity_refs(entity: Entity) -> tuple[str, ...]:
    """The clauses an entity cites: those defining it, its own clause, its components."""
    refs: list[str] = list(entity.clauses)
    if isinstance(entity, StrategyEntity | InterventionEntity):
        refs.append(entity.clause)
    if isinstance(entity, InterventionEntity):
        refs.extend(entity.components)
    return tuple(dict.fromkeys(refs))


def citations(rules: RuleSet) -> dict[str, list[Citing]]:
    """Every rule that cites each clause, by clause (a cited part is filed under its clause)."""
    found: dict[str, list[Citing]] = defaultdict(list)

    def add(
        refs: Iterable[str], kind: CitingKind, group: str, item: str, link: Link | None = None
    ) -> None:
        by_clause: dict[str, list[str]] = defaultdict(list)
        for ref in refs:
            by_clause[clause_base(ref)].append(ref)
        for base, cited in by_clause.items():
            found[base].append(Citing(kind, group, item, tuple(dict.fromkeys(cited)), link))

    for kind, entities in rules.entities.items():
        for entity in entities.values():
            add(entity_refs(entity), CitingKind.ENTITY, kind.value, entity.id)
    for link in rules.links:
        item = f"{link.subject}/{link.object}"
        add(link.relation.sources, CitingKind.RELATION, relation_group(link), item, link)
    for code, warning in rules.warning_definitions.items():
        add(warning.sources, CitingKind.WARNING, "warnings", code)
    prioritisation = rules.files.prioritisation
    for section in type(prioritisation).model_fields:
        sources = getattr(getattr(prioritisation, section), "sources", None)
        if sources:  # every ranking rule cites what it rests on
            add(sources, CitingKind.PRIORITISATION, "prioritisation", section)
    return dict(found)


def entity_kinds(rules: RuleSet, entity_id: str) -> tuple[Kind, ...]:
    """The kinds of entity ``entity_id`` names, in the order of :class:`Kind`."""
    return tuple(kind for kind in Kind if rules.exists(kind, entity_id))


def links_of(rules: RuleSet, kind: Kind, entity_id: str) -> tuple[Link, ...]:
    """The relations in which the entity is the subject or the object."""
    return tuple(
        link
        for link in rules.links
        if (link.subject_kind is kind and link.subject == entity_id)
        or (link.object_kind is kind and link.object == entity_id)
    )


def known_refs(rules: RuleSet) -> list[str]:
    """Every reference ``look_up`` answers: clauses, Annex V items and areas, entity ids."""
    refs: dict[str, None] = {}
    for ref in (*rules.clauses, *rules.focus_areas, *rules.action_items, *rules.provisions):
        refs[ref] = None
    for entities in rules.entities.values():
        for entity_id in entities:
            refs[entity_id] = None
    return list(refs)


def look_up(rules: RuleSet, ref: str) -> Found | None:
    """What rests on ``ref`` (a clause reference or an entity id) and what it rests on.

    ``None`` when prevplan knows no such clause or entity. A reference to a part
    (``VI-4.3.2#3``) finds the rules that cite that part or the whole clause.
    """
    ref = ref.strip()
    clause = clause_base(ref) if rules.ref_exists(ref) else None
    kinds = entity_kinds(rules, ref)
    if clause is None and not kinds:
        return None
    citing: tuple[Citing, ...] = ()
    if clause is not None:
        filed = citations(rules).get(clause, [])
        # The whole clause: every citation into it. A part: that part, or the whole clause.
        wanted = {ref, clause}
        citing = tuple(c for c in filed if ref == clause or wanted.intersection(c.cites))
    links = tuple(link for kind in kinds for link in links_of(rules, kind, ref))
    return Found(ref, clause, kinds, citing, links)


def rests_on(rules: RuleSet, kind: Kind, entity_id: str) -> tuple[str, ...]:
    """The clauses an entity rests on: its own, then those its relations cite, in order."""
    entity = rules.entity(kind, entity_id)
    refs: dict[str, None] = dict.fromkeys(entity_refs(entity) if entity is not None else ())
    for link in links_of(rules, kind, entity_id):
        refs.update(dict.fromkeys(link.relation.sources))
    return tuple(refs)


def suggestions(rules: RuleSet, ref: str, count: int = 3) -> list[str]:
    """The known references closest to a mistyped ``ref`` (``did you mean …``)."""
    known = known_refs(rules)
    by_lower = {k.lower(): k for k in known}
    close = difflib.get_close_matches(ref.strip().lower(), list(by_lower), n=count, cutoff=0.6)
    return [by_lower[c] for c in close]
