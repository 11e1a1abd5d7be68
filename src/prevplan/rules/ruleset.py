"""The loaded knowledge base and the questions the rest of prevplan asks of it.

A :class:`RuleSet` indexes the validated rule files: clauses by reference (with their
verbatim text), entities by kind and id, relations by subject and by object, the evidence
crosswalk and the warning definitions. It holds no policy of its own: every answer comes
from ``concept_rules/``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from prevplan.i18n import DEFAULT_LANGUAGE, N_, resolve_language
from prevplan.rules.clauses import parse_ref
from prevplan.rules.files import RuleFiles
from prevplan.rules.models import (
    ENTITY_SECTIONS,
    ActionItem,
    AgeStageEntity,
    ApplicationNote,
    CrosswalkEntry,
    Entity,
    FocusArea,
    InterventionEntity,
    Kind,
    LevelEntity,
    Meaning,
    Relation,
    SourceClause,
    StandardsItem,
    StrategyEntity,
    WarningDefinition,
)
from prevplan.rules.official_texts import OfficialText, official_text
from prevplan.rules.translations import (
    TextKey,
    english_texts,
    expected_keys,
    is_source_text,
    relation_id,
    section_name,
    translated_texts,
)
from prevplan.vocab import Basis

#: The name of the count of texts translated into ``{lang}`` (see :meth:`RuleSet.counts`).
TRANSLATED_TEXTS = N_("translated texts ({lang})")


@dataclass(frozen=True)
class Link:
    """A relation together with the kinds it joins."""

    subject_kind: Kind
    object_kind: Kind
    relation: Relation
    meaning: Meaning = Meaning.FITS

    @property
    def subject(self) -> str:
        return self.relation.subject

    @property
    def object(self) -> str:
        return self.relation.object


class RuleSet:
    """Indexed, read-only view of ``concept_rules/``."""

    def __init__(self, files: RuleFiles) -> None:
        self.files = files
        self.clauses: dict[str, SourceClause] = {
            c.ref: c for c in (*files.annex_vi.clauses, *files.annex_iv.clauses)
        }
        self.focus_areas: dict[str, FocusArea] = {f.ref: f for f in files.annex_v.focus_areas}
        self.action_items: dict[str, ActionItem] = {i.ref: i for i in files.annex_v.items}
        self.provisions = {p.ref: p for p in files.annex_v.general_provisions}
        self.entities: dict[Kind, dict[str, Entity]] = {
            kind: {e.id: e for e in getattr(files.entities, section)}
            for kind, section in ENTITY_SECTIONS.items()
        }
        every = [
            Link(rf.subject_kind, rf.object_kind, rel, rf.meaning)
            for rf in files.relations.values()
            for rel in rf.relations
        ]
        self.links: list[Link] = [link for link in every if link.meaning is Meaning.FITS]
        """The relations that say what fits what: the ones the engine scores."""
        self.context_links: list[Link] = [
            link for link in every if link.meaning is not Meaning.FITS
        ]
        """The relations that make nothing eligible: integration requirements and actors
        (:class:`~prevplan.rules.models.Meaning`), for warnings and rationale text."""
        by_meaning: dict[tuple[Meaning, Kind, str], list[Link]] = defaultdict(list)
        for link in self.context_links:
            by_meaning[(link.meaning, link.subject_kind, link.subject)].append(link)
        self._by_meaning = dict(by_meaning)
        self.notes: dict[str, ApplicationNote] = {n.id: n for n in files.notes.notes}
        by_subject: dict[tuple[Kind, Kind, str], list[Link]] = defaultdict(list)
        by_object: dict[tuple[Kind, Kind, str], list[Link]] = defaultdict(list)
        for link in self.links:
            by_subject[(link.subject_kind, link.object_kind, link.subject)].append(link)
            by_object[(link.subject_kind, link.object_kind, link.object)].append(link)
        self._by_subject = dict(by_subject)
        self._by_object = dict(by_object)
        self.standards: dict[str, StandardsItem] = {
            s.key: s for s in files.evidence.standards_items
        }
        self.crosswalk: dict[str, CrosswalkEntry] = {c.concept: c for c in files.evidence.crosswalk}
        self.warning_definitions: dict[str, WarningDefinition] = {
            w.code: w for w in files.warnings.warnings
        }

    # -- entities -------------------------------------------------------------------------

    @cached_property
    def levels(self) -> dict[str, LevelEntity]:
        return {k: v for k, v in self.entities[Kind.LEVEL].items() if isinstance(v, LevelEntity)}

    @cached_property
    def age_stages(self) -> dict[str, AgeStageEntity]:
        return {
            k: v for k, v in self.entities[Kind.AGE_STAGE].items() if isinstance(v, AgeStageEntity)
        }

    @cached_property
    def strategies(self) -> dict[str, StrategyEntity]:
        return {
            k: v for k, v in self.entities[Kind.STRATEGY].items() if isinstance(v, StrategyEntity)
        }

    @cached_property
    def interventions(self) -> dict[str, InterventionEntity]:
        return {
            k: v
            for k, v in self.entities[Kind.INTERVENTION].items()
            if isinstance(v, InterventionEntity)
        }

    def entity(self, kind: Kind, entity_id: str) -> Entity | None:
        return self.entities.get(kind, {}).get(entity_id)

    def exists(self, kind: Kind, entity_id: str) -> bool:
        if kind is Kind.ACTION_ITEM:
            return entity_id in self.action_items
        return entity_id in self.entities.get(kind, {})

    def ids(self, kind: Kind) -> list[str]:
        if kind is Kind.ACTION_ITEM:
            return list(self.action_items)
        return list(self.entities.get(kind, {}))

    # -- relations ------------------------------------------------------------------------

    def related(self, subject_kind: Kind, object_kind: Kind, subject: str) -> list[Link]:
        """Relations from ``subject`` to things of ``object_kind``."""
        return self._by_subject.get((subject_kind, object_kind, subject), [])

    def relating(self, subject_kind: Kind, object_kind: Kind, obj: str) -> list[Link]:
        """Relations from things of ``subject_kind`` to ``obj``."""
        return self._by_object.get((subject_kind, object_kind, obj), [])

    def objects(self, subject_kind: Kind, object_kind: Kind, subject: str) -> list[str]:
        return [link.object for link in self.related(subject_kind, object_kind, subject)]

    def context(self, meaning: Meaning, subject_kind: Kind, subject: str) -> list[Link]:
        """The relations of ``meaning`` from ``subject``: the settings an intervention must be
        joined with (``integrates_with``), the actors that take part in it (``involves``)."""
        return self._by_meaning.get((meaning, subject_kind, subject), [])

    # -- citations ------------------------------------------------------------------------

    def ref_exists(self, ref: str) -> bool:
        return self.ref_text(ref) is not None

    def ref_text(self, ref: str) -> str | None:
        """The verbatim text a clause reference points at, or ``None`` if it does not exist."""
        return self._ref_texts.get(ref)

    def ref_label(self, ref: str) -> str:
        """A short human label for a reference: the clause label, or the action item's."""
        parsed = parse_ref(ref)
        base = parsed.base if parsed else ref
        if base in self.clauses:
            return self.clauses[base].label
        if base in self.action_items:
            return self.action_items[base].label
        if base in self.focus_areas:
            return self.focus_areas[base].label
        if base in self.provisions:
            return self.provisions[base].heading
        return ref

    @cached_property
    def _ref_texts(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        for clause in self.clauses.values():
            whole = " ".join((*clause.paragraphs, *clause.bullets)) or clause.heading or ""
            texts[clause.ref] = whole or clause.label
            for n, text in enumerate(clause.paragraphs, start=1):
                texts[f"{clause.ref}#p{n}"] = text
            for n, text in enumerate(clause.bullets, start=1):
                texts[f"{clause.ref}#{n}"] = text
        for area in self.focus_areas.values():
            texts[area.ref] = area.title
        for item in self.action_items.values():
            texts[item.ref] = item.text
        for provision in self.provisions.values():
            texts[provision.ref] = " ".join(provision.paragraphs) or provision.heading
            for n, text in enumerate(provision.paragraphs, start=1):
                texts[f"{provision.ref}#p{n}"] = text
        return texts

    # -- translations ---------------------------------------------------------------------

    def translated(
        self, kind_or_section: Kind | str, item_id: str, field: str, lang: str | None = None
    ) -> str:
        """A text of the rules in ``lang`` (default: the current language), else in English.

        ``kind_or_section`` is a :class:`Kind` (``Kind.STRATEGY``, ``"strategy"``) or a
        section: an entity section of ``entities.yaml`` (``"strategies"``), ``"focus_areas"``,
        ``"action_items"``, ``"clauses"``, ``"warnings"``, ``"standards_items"`` or
        ``"annexes"`` (ids ``IV``, ``V``, ``VI``). ``field`` is the English field name:
        ``label``, ``description``, ``title``, ``text``, ``heading``, ``explanation``, or one
        entry of a list as ``paragraphs#2``, ``bullets#3``, ``works#1``, ``avoid#2``
        (1-based, as in clause references). Raises ``KeyError`` if the English rules have no
        such text. Where :meth:`is_source_text` holds, a non-English result is prevplan's own
        unofficial translation of the source.
        """
        key = (section_name(kind_or_section), item_id, field)
        chosen = resolve_language(lang)
        if chosen != DEFAULT_LANGUAGE:
            found = self._texts_in(chosen).get(key)
            if found is not None:
                return found
        return self._english_texts[key]

    def text(
        self,
        kind_or_section: Kind | str,
        item_id: str,
        field: str,
        default: str = "",
        lang: str | None = None,
    ) -> str:
        """:meth:`translated`, or ``default`` where the English rules have no such text."""
        try:
            return self.translated(kind_or_section, item_id, field, lang)
        except KeyError:
            return default

    def label(self, kind_or_section: Kind | str, item_id: str, lang: str | None = None) -> str:
        """The label of an entity (or of an Annex V item) in ``lang``; else its id."""
        return self.text(kind_or_section, item_id, "label", item_id, lang)

    def justification(self, link: Link, lang: str | None = None) -> str | None:
        """Why prevplan infers ``link``, in ``lang`` (default: the current language); ``None``
        for a relation the text states without comment."""
        if not link.relation.justification:
            return None
        item_id = relation_id(
            link.subject_kind, link.object_kind, link.subject, link.object, link.meaning
        )
        return self.translated("relations", item_id, "justification", lang)

    def has_translation(
        self, kind_or_section: Kind | str, item_id: str, field: str, lang: str | None = None
    ) -> bool:
        """Whether ``lang`` has its own text for the field (English always has)."""
        chosen = resolve_language(lang)
        key = (section_name(kind_or_section), item_id, field)
        if chosen == DEFAULT_LANGUAGE:
            return key in self._english_texts
        return key in self._texts_in(chosen)

    @staticmethod
    def is_source_text(kind_or_section: Kind | str, field: str) -> bool:
        """Whether the field quotes the source document (clause text, Annex V items, …).

        In Russian and Chinese such a field is prevplan's unofficial translation: show it
        marked as such, next to the clause reference.
        """
        return is_source_text(section_name(kind_or_section), field)

    def missing_translations(self, lang: str) -> list[TextKey]:
        """The keys ``lang`` should translate and does not (empty for English)."""
        if resolve_language(lang) == DEFAULT_LANGUAGE:
            return []
        have = self._texts_in(lang)
        return [key for key in expected_keys(self._english_texts) if key not in have]

    def ref_label_in(self, ref: str, lang: str | None = None) -> str:
        """:meth:`ref_label` in ``lang``: the clause's, action item's or focus area's label."""
        parsed = parse_ref(ref)
        base = parsed.base if parsed else ref
        for section, table in (
            ("clauses", self.clauses),
            ("action_items", self.action_items),
            ("focus_areas", self.focus_areas),
        ):
            if base in table:
                return self.translated(section, base, "label", lang)
        return self.ref_label(ref)

    def official_text(self, ref: str, lang: str | None = None) -> OfficialText | None:
        """The official text of ``ref`` in ``lang`` where the user supplied one (see
        :mod:`prevplan.rules.official_texts`); ``None`` in English and otherwise."""
        return official_text(self.files.official, ref, lang)

    def ref_text_in(self, ref: str, lang: str | None = None) -> str | None:
        """:meth:`ref_text` in ``lang``; outside English, prevplan's unofficial translation.

        Parts not translated, and the general provisions of Annex V, stay in English.
        """
        if resolve_language(lang) == DEFAULT_LANGUAGE or not self.ref_exists(ref):
            return self.ref_text(ref)
        parsed = parse_ref(ref)
        if parsed is None:
            return self.ref_text(ref)
        base = parsed.base
        if base in self.clauses:
            if parsed.part is not None:
                field = f"{'paragraphs' if parsed.is_paragraph else 'bullets'}#{parsed.part}"
                return self.translated("clauses", base, field, lang)
            clause = self.clauses[base]
            parts = [
                *(f"paragraphs#{n}" for n in range(1, len(clause.paragraphs) + 1)),
                *(f"bullets#{n}" for n in range(1, len(clause.bullets) + 1)),
            ]
            if parts:
                # Chinese sentences follow each other without a space.
                glue = "" if resolve_language(lang) == "zh" else " "
                return glue.join(self.translated("clauses", base, f, lang) for f in parts)
            field = "heading" if clause.heading else "label"
            return self.translated("clauses", base, field, lang)
        if base in self.action_items:
            return self.translated("action_items", base, "text", lang)
        if base in self.focus_areas:
            return self.translated("focus_areas", base, "title", lang)
        return self.ref_text(ref)

    @cached_property
    def _english_texts(self) -> dict[TextKey, str]:
        return english_texts(self.files)

    @cached_property
    def _translated_texts(self) -> dict[str, dict[TextKey, str]]:
        return {lang: translated_texts(tf) for lang, tf in self.files.translations.items()}

    def _texts_in(self, lang: str) -> dict[TextKey, str]:
        return self._translated_texts.get(lang, {})

    # -- summary --------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Counts per kind, as ``prevplan rules check`` prints them.

        The names are English and marked for translation: the command shows them with ``_()``.
        """
        every = [*self.links, *self.context_links]
        stated = sum(1 for link in every if link.relation.basis is Basis.STATED)
        return {
            N_("clauses (Annex VI)"): len(self.files.annex_vi.clauses),
            N_("clauses (Annex IV)"): len(self.files.annex_iv.clauses),
            N_("citable parts"): sum(1 for ref in self._ref_texts if "#" in ref),
            N_("levels"): len(self.levels),
            N_("age stages"): len(self.age_stages),
            N_("risk factors"): len(self.entities[Kind.RISK_FACTOR]),
            N_("protective factors"): len(self.entities[Kind.PROTECTIVE_FACTOR]),
            N_("strategies"): len(self.strategies),
            N_("interventions"): len(self.interventions),
            N_("action items (Annex V)"): len(self.action_items),
            N_("actors"): len(self.entities[Kind.ACTOR]),
            N_("relations"): len(every),
            N_("relations stated"): stated,
            N_("relations inferred"): len(every) - stated,
            N_("integration and actor relations"): len(self.context_links),
            N_("evidence items"): len(self.standards),
            N_("warning codes"): len(self.warning_definitions),
            N_("how-to-apply notes"): len(self.notes),
            **{
                TRANSLATED_TEXTS.format(lang=lang): len(self._texts_in(lang))
                for lang in sorted(self.files.translations)
            },
        }
