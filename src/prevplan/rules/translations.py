"""The concept's content in Russian and Chinese, beside the English rules.

Every translatable text of the rules has a key ``(section, id, field)``: ``("strategies",
"work_with_parents", "label")``, ``("clauses", "VI-4.3.2", "bullets#3")``, ``("warnings",
"single_strategy", "explanation")``, ``("standards_items", "e", "avoid#2")``. The English
texts come from the rule files, the others from ``translations/<lang>.yaml``; both are
flattened here into maps from key to text, so that looking one up, falling back to English,
checking a translation file and listing what is left to translate are all the same join.

Fields that hold text of the source document (``SOURCE_TEXT_FIELDS``) are, in any language
but English, prevplan's own unofficial translation and must be shown as such.

The problems :func:`check_translation` finds are written for the translator, in the language
of the call: a Russian translator of ``ru.yaml`` reads them in Russian.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

from prevplan.i18n import N_, _, ngettext
from prevplan.problems import Problem
from prevplan.rules.files import RuleFiles
from prevplan.rules.models import ENTITY_SECTIONS, Kind, Meaning, TranslationFile

TextKey = tuple[str, str, str]

#: (section, field) pairs that hold text of the source document rather than prevplan's words.
SOURCE_TEXT_FIELDS = frozenset(
    {
        ("annexes", "title"),
        ("focus_areas", "title"),
        ("action_items", "text"),
        ("clauses", "heading"),
        ("clauses", "paragraphs"),
        ("clauses", "bullets"),
    }
)

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def section_name(kind_or_section: Kind | str) -> str:
    """``Kind.STRATEGY`` or ``"strategy"`` → ``"strategies"``; a section name stays itself."""
    if isinstance(kind_or_section, Kind):
        kind: Kind | None = kind_or_section
    else:
        kind = Kind(kind_or_section) if kind_or_section in Kind.__members__.values() else None
    if kind is Kind.ACTION_ITEM:
        return "action_items"
    if kind is not None:
        return ENTITY_SECTIONS[kind]
    return str(kind_or_section)


def is_source_text(section: str, field: str) -> bool:
    """Whether ``field`` of ``section`` quotes the source document (``bullets#3`` counts)."""
    return (section_name(section), field.split("#", 1)[0]) in SOURCE_TEXT_FIELDS


def relation_file_stem(
    subject_kind: Kind, object_kind: Kind, meaning: Meaning = Meaning.FITS
) -> str:
    """The name of a relation file without ``.yaml``: ``strategy_level``, or
    ``intervention_integrates_with_setting`` for a relation that does not mean ``fits``."""
    if meaning is Meaning.FITS:
        return f"{subject_kind.value}_{object_kind.value}"
    return f"{subject_kind.value}_{meaning.value}_{object_kind.value}"


def relation_id(
    subject_kind: Kind, object_kind: Kind, subject: str, obj: str, meaning: Meaning = Meaning.FITS
) -> str:
    """The id of a relation in the ``relations`` section: ``strategy_level:life_skills/universal``
    (its relation file, then subject and object)."""
    return f"{relation_file_stem(subject_kind, object_kind, meaning)}:{subject}/{obj}"


def _numbered(field: str, texts: Iterable[str]) -> Iterator[tuple[str, str]]:
    for n, text in enumerate(texts, start=1):
        yield f"{field}#{n}", text


def english_texts(files: RuleFiles) -> dict[TextKey, str]:
    """Every translatable text of the rules, in English, by key."""
    texts: dict[TextKey, str] = {}
    for annex in (files.annex_iv, files.annex_v, files.annex_vi):
        texts[("annexes", annex.annex, "title")] = annex.title
    for section in ENTITY_SECTIONS.values():
        for entity in getattr(files.entities, section):
            texts[(section, entity.id, "label")] = entity.label
            texts[(section, entity.id, "description")] = entity.description
    for area in files.annex_v.focus_areas:
        texts[("focus_areas", area.ref, "label")] = area.label
        texts[("focus_areas", area.ref, "title")] = area.title
    for item in files.annex_v.items:
        texts[("action_items", item.ref, "label")] = item.label
        texts[("action_items", item.ref, "text")] = item.text
    for clause in (*files.annex_vi.clauses, *files.annex_iv.clauses):
        texts[("clauses", clause.ref, "label")] = clause.label
        if clause.heading:
            texts[("clauses", clause.ref, "heading")] = clause.heading
        for field, text in _numbered("paragraphs", clause.paragraphs):
            texts[("clauses", clause.ref, field)] = text
        for field, text in _numbered("bullets", clause.bullets):
            texts[("clauses", clause.ref, field)] = text
    for warning in files.warnings.warnings:
        texts[("warnings", warning.code, "title")] = warning.title
        texts[("warnings", warning.code, "explanation")] = warning.explanation
    for standard in files.evidence.standards_items:
        texts[("standards_items", standard.key, "label")] = standard.label
        for field, text in _numbered("works", (f.text for f in standard.works)):
            texts[("standards_items", standard.key, field)] = text
        for field, text in _numbered("avoid", (f.text for f in standard.avoid)):
            texts[("standards_items", standard.key, field)] = text
    for relation_file in files.relations.values():
        for relation in relation_file.relations:
            if relation.justification:
                item_id = relation_id(
                    relation_file.subject_kind,
                    relation_file.object_kind,
                    relation.subject,
                    relation.object,
                    relation_file.meaning,
                )
                texts[("relations", item_id, "justification")] = relation.justification
    for entry in files.evidence.crosswalk:
        texts[("crosswalk", entry.concept, "justification")] = entry.justification
        if entry.note:
            texts[("crosswalk", entry.concept, "note")] = entry.note
    for note in files.notes.notes:
        texts[("notes", note.id, "title")] = note.title
        texts[("notes", note.id, "text")] = note.text
    return texts


def expected_keys(english: dict[TextKey, str]) -> list[TextKey]:
    """The keys every translation should cover: all but the text of Annex IV's clauses.

    Annex IV (the Strategy) is law-enforcement policy that prevplan only cites; its clause
    labels and headings are translated, its paragraphs are read in the official languages.
    """
    return [
        key
        for key in english
        if not (key[0] == "clauses" and key[1].startswith("IV-") and "#" in key[2])
    ]


def translated_texts(translation: TranslationFile) -> dict[TextKey, str]:
    """Every text a translation file gives, by key (list fields numbered from 1)."""
    texts: dict[TextKey, str] = {}

    def put(section: str, item_id: str, field: str, text: str | None) -> None:
        if text is not None:
            texts[(section, item_id, field)] = text

    def put_all(section: str, item_id: str, field: str, values: tuple[str, ...] | None) -> None:
        for numbered, text in _numbered(field, values or ()):
            texts[(section, item_id, numbered)] = text

    for annex, title in translation.unofficial_annex_titles.items():
        put("annexes", annex, "title", title)
    for section in ENTITY_SECTIONS.values():
        entries = getattr(translation.entities, section)
        for entity_id, entity in entries.items():
            put(section, entity_id, "label", entity.label)
            put(section, entity_id, "description", entity.description)
    for ref, area in translation.focus_areas.items():
        put("focus_areas", ref, "label", area.label)
        put("focus_areas", ref, "title", area.unofficial_title)
    for ref, item in translation.action_items.items():
        put("action_items", ref, "label", item.label)
        put("action_items", ref, "text", item.unofficial_text)
    for ref, clause in translation.clauses.items():
        put("clauses", ref, "label", clause.label)
        put("clauses", ref, "heading", clause.unofficial_heading)
        put_all("clauses", ref, "paragraphs", clause.unofficial_paragraphs)
        put_all("clauses", ref, "bullets", clause.unofficial_bullets)
    for code, warning in translation.warnings.items():
        put("warnings", code, "title", warning.title)
        put("warnings", code, "explanation", warning.explanation)
    for key, standard in translation.standards_items.items():
        put("standards_items", key, "label", standard.label)
        put_all("standards_items", key, "works", standard.works)
        put_all("standards_items", key, "avoid", standard.avoid)
    for relation_file, justifications in translation.relations.items():
        for pair, text in justifications.items():
            put("relations", f"{relation_file}:{pair}", "justification", text)
    for concept, text in translation.crosswalk.items():
        put("crosswalk", concept, "justification", text)
    for concept, text in translation.crosswalk_notes.items():
        put("crosswalk", concept, "note", text)
    for note_id, note in translation.notes.items():
        put("notes", note_id, "title", note.title)
        put("notes", note_id, "text", note.text)
    return texts


def _yaml_field(section: str, field: str) -> str:
    """The name a translator sees in the file for the field of a key."""
    base = field.split("#", 1)[0]
    if (section, base) in SOURCE_TEXT_FIELDS:
        base = f"unofficial_{base}"
    return base


def check_translation(
    path: str, lang: str, translation: TranslationFile, english: dict[TextKey, str]
) -> list[Problem]:
    """Problems of one translation file: unknown ids and fields, lists of the wrong length,
    placeholders lost or invented.

    A missing translation is not a problem here (it falls back to English); the test suite
    and :meth:`RuleSet.missing_translations` list those.
    """
    found: list[Problem] = []
    if translation.language != lang:
        found.append(
            Problem(
                path,
                "",
                "language",
                _("expected '{lang}' (the file's name), got '{given}'").format(
                    lang=lang, given=translation.language
                ),
            )
        )
    known_items = {(section, item_id) for section, item_id, _field in english}
    given = translated_texts(translation)
    unknown_items = sorted({(s, i) for s, i, _field in given if (s, i) not in known_items})
    for section, item_id in unknown_items:
        found.append(Problem(path, _item(section, item_id), "", _unknown(section, item_id)))
    for key, text in given.items():
        section, item_id, field = key
        if (section, item_id) not in known_items:
            continue
        where, yaml_field = _item(section, item_id), _yaml_field(section, field)
        if "#" in field:
            yaml_field += f"[{field.split('#', 1)[1]}]"
        source = english.get(key)
        if source is None and "#" not in field:
            found.append(Problem(path, where, yaml_field, _("the English has no such text")))
        elif source is not None:
            found += _placeholders(path, where, yaml_field, source, text)
    found += _list_lengths(path, given, english, known_items)
    return found


def _list_lengths(
    path: str,
    given: dict[TextKey, str],
    english: dict[TextKey, str],
    known_items: set[tuple[str, str]],
) -> list[Problem]:
    """A translated list must match the English one entry for entry, or it shifts."""

    def counts(texts: Iterable[TextKey]) -> Counter[tuple[str, str, str]]:
        return Counter((s, i, f.split("#", 1)[0]) for s, i, f in texts if "#" in f)

    expected, got = counts(english), counts(given)
    found: list[Problem] = []
    for (section, item_id, base), count in sorted(got.items()):
        wanted = expected[(section, item_id, base)]
        if (section, item_id) in known_items and count != wanted:
            message = ngettext(
                "expected {n} entry, one per English {field} entry in the same order; got {got}",
                "expected {n} entries, one per English {field} entry in the same order; got {got}",
                wanted,
            ).format(n=wanted, field=base, got=count)
            found.append(
                Problem(path, _item(section, item_id), _yaml_field(section, base), message)
            )
    return found


def _placeholders(path: str, where: str, field: str, source: str, text: str) -> list[Problem]:
    expected = set(_PLACEHOLDER.findall(source))
    given = set(_PLACEHOLDER.findall(text))
    if expected == given:
        return []
    return [
        Problem(
            path,
            where,
            field,
            _("placeholders must match the English: expected {expected}, got {got}").format(
                expected=sorted(expected), got=sorted(given)
            ),
        )
    ]


#: "unknown …" for an id a translation file names and the English rules do not, by section.
_UNKNOWN_ITEM = {
    "focus_areas": N_("unknown focus area '{id}'"),
    "action_items": N_("unknown action item '{id}'"),
    "clauses": N_("unknown clause '{id}'"),
    "warnings": N_("unknown warning code '{id}'"),
    "standards_items": N_("unknown Standards item '{id}'"),
    "annexes": N_("unknown annex '{id}'"),
    "relations": N_("unknown relation (relation file:subject/object) '{id}'"),
    "crosswalk": N_("unknown crosswalk entry '{id}'"),
    "notes": N_("unknown note '{id}'"),
}


def _unknown(section: str, item_id: str) -> str:
    if section in _UNKNOWN_ITEM:
        return _(_UNKNOWN_ITEM[section]).format(id=item_id)
    return _("unknown id in {section} '{id}'").format(section=section, id=item_id)


def _item(section: str, item_id: str) -> str:
    """Where a text is in a translation file: ``clauses VI-3.1`` (section, then id)."""
    return _("{section} {id}").format(section=section, id=item_id)
