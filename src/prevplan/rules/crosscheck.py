"""Integrity of the knowledge base as a whole, once each file is valid on its own.

Checks that ids are unique, that the entity ids are exactly the interface vocabularies, that
every citation names a clause (and part) that exists in the encoded sources, that every
relation joins things that exist, and that every strategy and intervention takes part in
the relations the recommendation engine needs.

Every message is produced in the language of the call (see :mod:`prevplan.i18n`): the people
who edit ``concept_rules/`` read them in English, Russian or Chinese. Ids, clause references,
file and field names stay as they are written in the rule files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from enum import StrEnum

from prevplan.i18n import N_, _
from prevplan.problems import Problem
from prevplan.rules.clauses import parse_ref
from prevplan.rules.files import RuleFiles
from prevplan.rules.models import ENTITY_SECTIONS, Kind, Meaning, SourceClause, WarningCode
from prevplan.rules.translations import check_translation, english_texts, relation_file_stem
from prevplan.vocab import Level, ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

#: Entity kinds whose ids are fixed by the public interfaces.
_FIXED_VOCABULARIES: dict[Kind, type[StrEnum]] = {
    Kind.LEVEL: Level,
    Kind.RISK_GROUP: RiskGroup,
    Kind.SPECIAL_GROUP: SpecialGroup,
    Kind.SETTING: Setting,
    Kind.RISK_FACTOR: RiskFactor,
    Kind.PROTECTIVE_FACTOR: ProtectiveFactor,
}

#: Relations every strategy / intervention must take part in (as subject).
_REQUIRED_FOR: dict[Kind, tuple[Kind, ...]] = {
    Kind.STRATEGY: (Kind.LEVEL, Kind.AGE_STAGE, Kind.SETTING, Kind.ACTION_ITEM),
    Kind.INTERVENTION: (
        Kind.STRATEGY,
        Kind.AGE_STAGE,
        Kind.LEVEL,
        Kind.SETTING,
        Kind.ACTION_ITEM,
    ),
}


#: "unknown …" for an id that names no entity of a kind (``{id}`` is the id).
_UNKNOWN: dict[Kind, str] = {
    Kind.LEVEL: N_("unknown level '{id}'"),
    Kind.RISK_GROUP: N_("unknown risk_group '{id}'"),
    Kind.SPECIAL_GROUP: N_("unknown special_group '{id}'"),
    Kind.AGE_STAGE: N_("unknown age_stage '{id}'"),
    Kind.SETTING: N_("unknown setting '{id}'"),
    Kind.RISK_FACTOR: N_("unknown risk_factor '{id}'"),
    Kind.PROTECTIVE_FACTOR: N_("unknown protective_factor '{id}'"),
    Kind.STRATEGY: N_("unknown strategy '{id}'"),
    Kind.INTERVENTION: N_("unknown intervention '{id}'"),
    Kind.ACTION_ITEM: N_("unknown action_item '{id}'"),
    Kind.ACTOR: N_("unknown actor '{id}'"),
    Kind.AUDIENCE: N_("unknown audience '{id}'"),
}

#: The kinds a relation of each meaning other than ``fits`` may join: (subject, object).
_MEANING_KINDS: dict[Meaning, tuple[frozenset[Kind], frozenset[Kind]]] = {
    Meaning.INTEGRATES_WITH: (
        frozenset({Kind.INTERVENTION, Kind.STRATEGY}),
        frozenset({Kind.SETTING}),
    ),
    Meaning.INVOLVES: (frozenset({Kind.INTERVENTION, Kind.STRATEGY}), frozenset({Kind.ACTOR})),
    Meaning.EXCLUDES: (
        frozenset({Kind.SPECIAL_GROUP}),
        frozenset({Kind.INTERVENTION, Kind.STRATEGY}),
    ),
}

#: How an entry of a rule file is named in a problem, by the field that identifies it.
_ENTRY: dict[str, str] = {
    "id": N_("id {value}"),
    "ref": N_("ref {value}"),
    "code": N_("code {value}"),
    "key": N_("key {value}"),
    "concept": N_("concept {value}"),
    "abbr": N_("abbr {value}"),
}


def entry_label(key: str, value: str) -> str:
    """The entry whose ``key`` field is ``value``: ``ref VI-3.1``, ``code single_strategy``."""
    return _(_ENTRY[key]).format(value=value)


def entity_label(section: str, entity_id: str) -> str:
    """An entity of ``entities.yaml``: ``strategies id life_skills``."""
    return _("{section} id {id}").format(section=section, id=entity_id)


def unknown(kind: Kind, entity_id: str) -> str:
    """``unknown level 'quaternary'``: an id that names nothing of its kind."""
    return _(_UNKNOWN[kind]).format(id=entity_id)


def cross_check(files: RuleFiles) -> list[Problem]:
    """Every problem that spans files; an empty list when the rules hang together."""
    problems: list[Problem] = []
    refs = _citable_refs(files)
    ids = _entity_ids(files)
    problems += _duplicates(files)
    problems += _vocabularies(files, ids)
    problems += _warning_codes(files, ids)
    problems += _clause_parents(files)
    problems += _citations(files, refs)
    problems += _relations(files, ids)
    problems += _participation(files, ids)
    problems += _evidence(files, ids)
    problems += _notes(files, ids)
    problems += _translations(files)
    return problems


def _translations(files: RuleFiles) -> list[Problem]:
    """Every translated text names something that exists, and keeps its placeholders."""
    if not files.translations:
        return []
    english = english_texts(files)
    found: list[Problem] = []
    for lang, translation in sorted(files.translations.items()):
        path = files.paths.get(f"translations/{lang}.yaml", f"translations/{lang}.yaml")
        found += check_translation(path, lang, translation, english)
    return found


def _citable_refs(files: RuleFiles) -> set[str]:
    refs: set[str] = set()
    for clause in (*files.annex_vi.clauses, *files.annex_iv.clauses):
        refs.add(clause.ref)
        refs.update(f"{clause.ref}#p{n}" for n in range(1, len(clause.paragraphs) + 1))
        refs.update(f"{clause.ref}#{n}" for n in range(1, len(clause.bullets) + 1))
    refs.update(a.ref for a in files.annex_v.focus_areas)
    refs.update(i.ref for i in files.annex_v.items)
    for provision in files.annex_v.general_provisions:
        refs.add(provision.ref)
        refs.update(f"{provision.ref}#p{n}" for n in range(1, len(provision.paragraphs) + 1))
    return refs


def _entity_ids(files: RuleFiles) -> dict[Kind, set[str]]:
    ids = {
        kind: {e.id for e in getattr(files.entities, section)}
        for kind, section in ENTITY_SECTIONS.items()
    }
    ids[Kind.ACTION_ITEM] = {i.ref for i in files.annex_v.items}
    return ids


def _dupes(values: Iterable[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def _duplicates(files: RuleFiles) -> list[Problem]:
    found: list[Problem] = []
    p = files.paths
    for path, clauses in (
        (p.get("sources/annex_vi.yaml", "annex_vi"), files.annex_vi.clauses),
        (p.get("sources/annex_iv.yaml", "annex_iv"), files.annex_iv.clauses),
    ):
        found += [
            Problem(path, entry_label("ref", d), "ref", _("duplicate clause reference"))
            for d in _dupes(c.ref for c in clauses)
        ]
    annex_v = p.get("sources/annex_v.yaml", "annex_v")
    found += [
        Problem(annex_v, entry_label("ref", d), "ref", _("duplicate action item reference"))
        for d in _dupes(i.ref for i in files.annex_v.items)
    ]
    for section in ENTITY_SECTIONS.values():
        found += [
            Problem(
                p.get("entities.yaml", "entities"),
                entity_label(section, d),
                "id",
                _("duplicate id"),
            )
            for d in _dupes(e.id for e in getattr(files.entities, section))
        ]
    evidence = p.get("evidence.yaml", "evidence")
    found += [
        Problem(evidence, entry_label("key", d), "key", _("duplicate Standards item key"))
        for d in _dupes(s.key for s in files.evidence.standards_items)
    ]
    found += [
        Problem(evidence, entry_label("concept", d), "concept", _("duplicate crosswalk entry"))
        for d in _dupes(c.concept for c in files.evidence.crosswalk)
    ]
    found += [
        Problem(
            p.get("warnings.yaml", "warnings"), entry_label("code", d), "code", _("duplicate code")
        )
        for d in _dupes(w.code for w in files.warnings.warnings)
    ]
    found += [
        Problem(p.get("notes.yaml", "notes"), entry_label("id", d), "id", _("duplicate id"))
        for d in _dupes(n.id for n in files.notes.notes)
    ]
    for path, rf in files.relations.items():
        pairs = [f"{r.subject} -> {r.object}" for r in rf.relations]
        found += [
            Problem(path, d, "subject/object", _("duplicate relation")) for d in _dupes(pairs)
        ]
    return found


def _vocabularies(files: RuleFiles, ids: dict[Kind, set[str]]) -> list[Problem]:
    found: list[Problem] = []
    path = files.paths.get("entities.yaml", "entities")
    for kind, vocab in _FIXED_VOCABULARIES.items():
        expected = {v.value for v in vocab}
        section = ENTITY_SECTIONS[kind]
        for missing in sorted(expected - ids[kind]):
            found.append(
                Problem(path, section, "id", _("missing entry for '{id}'").format(id=missing))
            )
        for extra in sorted(ids[kind] - expected):
            found.append(
                Problem(
                    path,
                    entity_label(section, extra),
                    "id",
                    _("unknown id; expected one of {ids}").format(ids=", ".join(sorted(expected))),
                )
            )
    return found


def _warning_codes(files: RuleFiles, ids: dict[Kind, set[str]]) -> list[Problem]:
    """Every code the code raises is defined, every definition is raised, and each trigger
    names levels and strategies that exist."""
    found: list[Problem] = []
    path = files.paths.get("warnings.yaml", "warnings")
    defined = {w.code for w in files.warnings.warnings}
    for missing in sorted({c.value for c in WarningCode} - defined):
        found.append(
            Problem(path, "warnings", "code", _("missing entry for '{id}'").format(id=missing))
        )
    expected = ", ".join(sorted(c.value for c in WarningCode))
    for warning in files.warnings.warnings:
        where = entry_label("code", warning.code)
        if warning.code not in {c.value for c in WarningCode}:
            found.append(
                Problem(
                    path, where, "code", _("unknown id; expected one of {ids}").format(ids=expected)
                )
            )
        for field, kind, names in (
            ("trigger.levels", Kind.LEVEL, warning.trigger.levels),
            ("trigger.not_at_levels", Kind.LEVEL, warning.trigger.not_at_levels),
            ("trigger.strategies", Kind.STRATEGY, warning.trigger.strategies),
        ):
            found += [
                Problem(path, where, field, _(_UNKNOWN[kind]).format(id=name))
                for name in names
                if name not in ids[kind]
            ]
    return found


def _clause_parents(files: RuleFiles) -> list[Problem]:
    found: list[Problem] = []
    for name, text_file in (
        ("sources/annex_vi.yaml", files.annex_vi),
        ("sources/annex_iv.yaml", files.annex_iv),
    ):
        known = {c.ref for c in text_file.clauses}
        prefix = f"{text_file.annex}-"
        for clause in text_file.clauses:
            found += _clause_shape(files.paths.get(name, name), clause, known, prefix)
    return found


def _clause_shape(path: str, clause: SourceClause, known: set[str], prefix: str) -> list[Problem]:
    found: list[Problem] = []
    parsed = parse_ref(clause.ref)
    if parsed is None or parsed.part is not None or not clause.ref.startswith(prefix):
        message = _("expected a reference of the form {prefix}…").format(prefix=prefix)
        found.append(Problem(path, entry_label("ref", clause.ref), "ref", message))
    if clause.parent is not None and clause.parent not in known:
        message = _("unknown parent clause {ref}").format(ref=clause.parent)
        found.append(Problem(path, entry_label("ref", clause.ref), "parent", message))
    return found


def _citations(files: RuleFiles, refs: set[str]) -> list[Problem]:
    """Every clause reference anywhere in the rules must exist in the sources."""
    found: list[Problem] = []
    p = files.paths

    def check(path: str, where: str, field: str, cited: Iterable[str]) -> None:
        for ref in cited:
            if ref not in refs:
                found.append(Problem(path, where, field, _unknown_ref_message(ref, refs)))

    entities_path = p.get("entities.yaml", "entities")
    for kind, section in ENTITY_SECTIONS.items():
        for entity in getattr(files.entities, section):
            where = entity_label(section, entity.id)
            check(entities_path, where, "clauses", entity.clauses)
            if kind is Kind.LEVEL:
                check(entities_path, where, "information_mode", [entity.information_mode])
            if kind in (Kind.STRATEGY, Kind.INTERVENTION):
                check(entities_path, where, "clause", [entity.clause])
            if kind is Kind.INTERVENTION:
                check(entities_path, where, "components", entity.components)
    for item in files.annex_v.items:
        if item.focus_area not in refs:
            found.append(
                Problem(
                    p.get("sources/annex_v.yaml", "annex_v"),
                    entry_label("ref", item.ref),
                    "focus_area",
                    _("unknown focus area {ref}").format(ref=item.focus_area),
                )
            )
    for path, rf in files.relations.items():
        for rel in rf.relations:
            check(path, f"{rel.subject} -> {rel.object}", "sources", rel.sources)
    for warning in files.warnings.warnings:
        where = entry_label("code", warning.code)
        check(p.get("warnings.yaml", "warnings"), where, "sources", warning.sources)
    prio = files.prioritisation
    path_prio = p.get("prioritisation.yaml", "prioritisation")
    check(path_prio, "priority_factors", "sources", prio.priority_factors.sources)
    check(path_prio, "selection", "sources", prio.selection.sources)
    check(path_prio, "age_stages", "sources", prio.age_stages.sources)
    check(path_prio, "interventions", "sources", prio.interventions.sources)
    check(path_prio, "scoring", "sources", prio.scoring.sources)
    for note in files.notes.notes:
        where = entry_label("id", note.id)
        check(p.get("notes.yaml", "notes"), where, "concept_sources", note.concept_sources)
    for entry in files.evidence.crosswalk:
        where = entry_label("concept", entry.concept)
        check(p.get("evidence.yaml", "evidence"), where, "components", entry.components.values())
    found += _assessment(files, check)
    return found


def _assessment(
    files: RuleFiles, check: Callable[[str, str, str, Iterable[str]], None]
) -> list[Problem]:
    """``assessment.yaml``: sources cited, strategies and items known, Annex V split once."""
    found: list[Problem] = []
    path = files.paths.get("assessment.yaml", "assessment")
    rules = files.assessment
    check(path, "credit", "sources", rules.credit.sources)
    check(path, "effective", "sources", rules.effective.sources)
    check(path, "planned_delivery", "sources", rules.planned_delivery.sources)
    interventions = {i.id for i in files.entities.interventions}
    found += [
        Problem(
            path,
            "planned_delivery",
            "formats",
            _("unknown intervention '{id}'").format(id=i),
        )
        for i in rules.planned_delivery.formats
        if i not in interventions
    ]
    strategies = {s.id for s in files.entities.strategies}
    for entry in rules.format_strategies:
        check(path, f"format_strategies {entry.format}", "sources", entry.sources)
        found += [
            Problem(
                path,
                f"format_strategies {entry.format}",
                "strategies",
                _("unknown strategy '{id}'").format(id=s),
            )
            for s in entry.strategies
            if s not in strategies
        ]
    known_items = {i.ref for i in files.annex_v.items}
    for by_format in rules.format_items:
        check(path, f"format_items {by_format.format}", "sources", by_format.sources)
        check(path, f"format_items {by_format.format}", "items", by_format.items)
    scope = rules.annex_v_scope
    placed = [*scope.activities, *(i.item for i in scope.plan)]
    for group in scope.outside:
        check(path, f"annex_v_scope {group.group}", "sources", group.sources)
        placed += group.items
    items = [i.ref for i in files.annex_v.items]
    for ref in sorted(set(placed) - known_items):
        found.append(
            Problem(
                path,
                "annex_v_scope",
                "items",
                _("unknown Program of Actions item '{ref}'").format(ref=ref),
            )
        )
    for ref in items:
        n = placed.count(ref)
        if n != 1:
            found.append(
                Problem(
                    path,
                    "annex_v_scope",
                    ref,
                    _("each Program of Actions item belongs in one place (found {n})").format(n=n),
                )
            )
    return found


def _unknown_ref_message(ref: str, refs: set[str]) -> str:
    parsed = parse_ref(ref)
    if parsed is None:
        return _(
            "'{ref}' is not a clause reference (expected e.g. VI-3.1.1, VI-4.3.2#3, V-3.5)"
        ).format(ref=ref)
    if parsed.part is not None and parsed.base in refs:
        if parsed.is_paragraph:
            message = _("clause {clause} has no paragraph {n} ('{ref}')")
        else:
            message = _("clause {clause} has no bullet {n} ('{ref}')")
        return message.format(clause=parsed.base, n=parsed.part, ref=ref)
    return _("unknown clause '{ref}': it is not in the encoded sources").format(ref=ref)


def _relations(files: RuleFiles, ids: dict[Kind, set[str]]) -> list[Problem]:
    found: list[Problem] = []
    for path, rf in files.relations.items():
        expected_name = f"{relation_file_stem(rf.subject_kind, rf.object_kind, rf.meaning)}.yaml"
        allowed = _MEANING_KINDS.get(rf.meaning)
        if allowed is not None and not (
            rf.subject_kind in allowed[0] and rf.object_kind in allowed[1]
        ):
            found.append(
                Problem(
                    path,
                    "",
                    "subject_kind/object_kind",
                    _("a '{meaning}' relation joins {subjects} to {objects}").format(
                        meaning=rf.meaning.value,
                        subjects=" | ".join(sorted(k.value for k in allowed[0])),
                        objects=" | ".join(sorted(k.value for k in allowed[1])),
                    ),
                )
            )
        if allowed is None and Kind.ACTOR in (rf.subject_kind, rf.object_kind):
            found.append(
                Problem(
                    path,
                    "",
                    "meaning",
                    _("actors take part in work; they join only through meaning 'involves'"),
                )
            )
        if not path.endswith(expected_name):
            found.append(
                Problem(
                    path,
                    "",
                    "subject_kind/object_kind",
                    _("file should be named {name}").format(name=expected_name),
                )
            )
        for rel in rf.relations:
            where = f"{rel.subject} -> {rel.object}"
            if rel.subject not in ids[rf.subject_kind]:
                found.append(Problem(path, where, "subject", unknown(rf.subject_kind, rel.subject)))
            if rel.object not in ids[rf.object_kind]:
                found.append(Problem(path, where, "object", unknown(rf.object_kind, rel.object)))
    return found


def _participation(files: RuleFiles, ids: dict[Kind, set[str]]) -> list[Problem]:
    """No orphans: the engine needs every strategy and intervention to be related."""
    found: list[Problem] = []
    present: set[tuple[Kind, Kind, str]] = set()
    for rf in files.relations.values():
        if rf.meaning is Meaning.FITS:
            present.update((rf.subject_kind, rf.object_kind, r.subject) for r in rf.relations)
    path = files.paths.get("entities.yaml", "entities")
    for kind, needed in _REQUIRED_FOR.items():
        for entity_id in sorted(ids[kind]):
            for object_kind in needed:
                if (kind, object_kind, entity_id) not in present:
                    found.append(
                        Problem(
                            path,
                            entity_label(ENTITY_SECTIONS[kind], entity_id),
                            "relations",
                            _("takes part in no {relation} relation").format(
                                relation=f"{kind.value}_{object_kind.value}"
                            ),
                        )
                    )
    return found


def _evidence(files: RuleFiles, ids: dict[Kind, set[str]]) -> list[Problem]:
    found: list[Problem] = []
    path = files.paths.get("evidence.yaml", "evidence")
    keys = {s.key for s in files.evidence.standards_items}
    for item in files.evidence.standards_items:
        where = entry_label("key", item.key)
        for field, kind, values in (
            ("settings", Kind.SETTING, item.settings),
            ("age_stages", Kind.AGE_STAGE, item.age_stages),
            ("levels", Kind.LEVEL, item.levels),
        ):
            for value in values:
                if value not in ids[kind]:
                    found.append(Problem(path, where, field, unknown(kind, value)))
    covered: set[str] = set()
    for entry in files.evidence.crosswalk:
        kind_name, concept_id = entry.concept.split(":", 1)
        kind = Kind(kind_name)
        where = entry_label("concept", entry.concept)
        if concept_id not in ids[kind]:
            found.append(Problem(path, where, "concept", unknown(kind, concept_id)))
        covered.add(entry.concept)
        for field, listed in (("standards", entry.standards), ("components", entry.components)):
            for key in listed:
                if key not in keys:
                    message = _("unknown Standards item '{id}'").format(id=key)
                    found.append(Problem(path, where, field, message))
    for kind in (Kind.STRATEGY, Kind.INTERVENTION):
        for concept_id in sorted(ids[kind]):
            if f"{kind.value}:{concept_id}" not in covered:
                found.append(
                    Problem(
                        path,
                        "crosswalk",
                        "concept",
                        _("no crosswalk entry for {concept}").format(
                            concept=f"{kind.value}:{concept_id}"
                        ),
                    )
                )
    return found


def _notes(files: RuleFiles, ids: dict[Kind, set[str]]) -> list[Problem]:
    """Every how-to-apply note names Standards items and entities that exist."""
    found: list[Problem] = []
    path = files.paths.get("notes.yaml", "notes")
    keys = {s.key for s in files.evidence.standards_items}
    for note in files.notes.notes:
        where = entry_label("id", note.id)
        for key in note.standards:
            if key not in keys:
                message = _("unknown Standards item '{id}'").format(id=key)
                found.append(Problem(path, where, "standards", message))
        scope = note.applies_to
        for field, kind, values in (
            ("applies_to.levels", Kind.LEVEL, scope.levels),
            ("applies_to.strategies", Kind.STRATEGY, scope.strategies),
            ("applies_to.interventions", Kind.INTERVENTION, scope.interventions),
        ):
            found += [
                Problem(path, where, field, unknown(kind, value))
                for value in values
                if value not in ids[kind]
            ]
    return found
