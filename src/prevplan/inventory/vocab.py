"""The words an NGO's spreadsheet may use for the concept's things, and what they mean.

An inventory is filled in by people who do not know clause numbers. A cell may name a
strategy by the label the template's drop-down offers ("Work with parents (VI-3.1.1)"), by its
label alone, by its rule id (``work_with_parents``) or by its clause (``VI-3.1.1``); a Program
of Actions item as "V-3.5 — School and extracurricular prevention; …", as ``V-3.5`` or by its
label. Everything here comes from ``concept_rules/``: strategies (VI-3.1, VI-3.2),
interventions (VI-4), settings, risk groups (VI-2, Table 1), special groups (VI-1.2, VI-4.1)
and Annex V items. Strategies and interventions start from :func:`resolve.lookup_table`, so
the ids, clauses and labels accepted in a plan file are accepted here too.

The template and the export show the labels in the reader's language (English, Russian or
Chinese, from ``concept_rules/translations/``); reading accepts the labels of all three
languages, whatever the current one is, so a Russian NGO's workbook can be checked by an
English-speaking coordinator and the other way round.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final

from prevplan.i18n import LANGUAGES, N_, _, current_language, ngettext
from prevplan.plan.models import ActivityFormat, Practice
from prevplan.plan.resolve import lookup_table
from prevplan.present.delivery import FORMAT_LABELS, PRACTICE_LABELS
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind


class Delivery(StrEnum):
    """Lists of how an activity is delivered (interfaces §3), beside the rules' kinds."""

    FORMAT = "format"
    PRACTICE = "practice"
    YES_NO = "yes_no"


#: What a list of allowed values is keyed by: a kind of the rules, or a delivery list.
ListKey = Kind | Delivery

# Kinds a spreadsheet cell may name, in the order of the Lists sheet's columns.
LIST_KINDS: Final[tuple[ListKey, ...]] = (
    Kind.STRATEGY,
    Kind.INTERVENTION,
    Kind.SETTING,
    Kind.RISK_GROUP,
    Kind.SPECIAL_GROUP,
    Kind.ACTION_ITEM,
    Delivery.FORMAT,
    Delivery.PRACTICE,
    Delivery.YES_NO,
)

#: The yes/no list's values: what the plan stores, and how a cell says it.
YES_NO_LABELS: Final[dict[str, str]] = {"true": N_("yes"), "false": N_("no")}

# The Lists sheet's column titles (and the inventory's column of that kind).
TITLES: Final[Mapping[ListKey, str]] = {
    Kind.STRATEGY: N_("Strategies"),
    Kind.INTERVENTION: N_("Interventions"),
    Kind.SETTING: N_("Settings"),
    Kind.RISK_GROUP: N_("Risk groups"),
    Kind.SPECIAL_GROUP: N_("Special groups"),
    Kind.ACTION_ITEM: N_("Annex V items"),
    Delivery.FORMAT: N_("Formats"),
    Delivery.PRACTICE: N_("Practices"),
    Delivery.YES_NO: N_("Yes or no"),
}

# One whole sentence per kind: the noun's gender and case differ in Russian.
_UNKNOWN: Final[Mapping[ListKey, str]] = {
    Kind.STRATEGY: N_("unknown strategy '{value}'{hint}; expected {expected}"),
    Kind.INTERVENTION: N_("unknown intervention '{value}'{hint}; expected {expected}"),
    Kind.SETTING: N_("unknown setting '{value}'{hint}; expected {expected}"),
    Kind.RISK_GROUP: N_("unknown risk group '{value}'{hint}; expected {expected}"),
    Kind.SPECIAL_GROUP: N_("unknown special group '{value}'{hint}; expected {expected}"),
    Kind.ACTION_ITEM: N_("unknown Program of Actions item '{value}'{hint}; expected {expected}"),
    Delivery.FORMAT: N_("unknown format '{value}'{hint}; expected {expected}"),
    Delivery.PRACTICE: N_("unknown practice '{value}'{hint}; expected {expected}"),
    Delivery.YES_NO: N_("unknown answer '{value}'{hint}; expected {expected}"),
}
_TWO_VALUES: Final[Mapping[ListKey, str]] = {
    Kind.STRATEGY: N_(
        "'{value}' names two different strategy values: '{label}' is '{by_label}' but "
        "'{ref}' is '{by_ref}'; expected one of them"
    ),
    Kind.INTERVENTION: N_(
        "'{value}' names two different intervention values: '{label}' is '{by_label}' but "
        "'{ref}' is '{by_ref}'; expected one of them"
    ),
    Kind.SETTING: N_(
        "'{value}' names two different setting values: '{label}' is '{by_label}' but "
        "'{ref}' is '{by_ref}'; expected one of them"
    ),
    Kind.RISK_GROUP: N_(
        "'{value}' names two different risk group values: '{label}' is '{by_label}' but "
        "'{ref}' is '{by_ref}'; expected one of them"
    ),
    Kind.SPECIAL_GROUP: N_(
        "'{value}' names two different special group values: '{label}' is '{by_label}' but "
        "'{ref}' is '{by_ref}'; expected one of them"
    ),
    Kind.ACTION_ITEM: N_(
        "'{value}' names two different Program of Actions item values: '{label}' is "
        "'{by_label}' but '{ref}' is '{by_ref}'; expected one of them"
    ),
    Delivery.FORMAT: N_(
        "'{value}' names two different formats: '{label}' is '{by_label}' but '{ref}' is "
        "'{by_ref}'; expected one of them"
    ),
    Delivery.PRACTICE: N_(
        "'{value}' names two different practices: '{label}' is '{by_label}' but '{ref}' is "
        "'{by_ref}'; expected one of them"
    ),
    Delivery.YES_NO: N_(
        "'{value}' gives two different answers: '{label}' is '{by_label}' but '{ref}' is "
        "'{by_ref}'; expected one of them"
    ),
}
_ONE_EXPECTED: Final[Mapping[ListKey, str]] = {
    Kind.STRATEGY: N_("expected one strategy, got {n}: '{value}'"),
    Kind.INTERVENTION: N_("expected one intervention, got {n}: '{value}'"),
    Kind.SETTING: N_("expected one setting, got {n}: '{value}'"),
    Kind.RISK_GROUP: N_("expected one risk group, got {n}: '{value}'"),
    Kind.SPECIAL_GROUP: N_("expected one special group, got {n}: '{value}'"),
    Kind.ACTION_ITEM: N_("expected one Program of Actions item, got {n}: '{value}'"),
    Delivery.FORMAT: N_("expected one format, got {n}: '{value}'"),
    Delivery.PRACTICE: N_("expected one practice, got {n}: '{value}'"),
    Delivery.YES_NO: N_("expected one answer, got {n}: '{value}'"),
}
# The drop-down's error box of a one-value column: its title and its text.
_CHOOSE: Final[Mapping[ListKey, tuple[str, str]]] = {
    Kind.STRATEGY: (
        N_("Unknown strategy"),
        N_("Choose a strategy from the list (see the {lists} sheet)."),
    ),
    Kind.INTERVENTION: (
        N_("Unknown intervention"),
        N_("Choose an intervention from the list (see the {lists} sheet)."),
    ),
    Kind.SETTING: (
        N_("Unknown setting"),
        N_("Choose a setting from the list (see the {lists} sheet)."),
    ),
    Kind.RISK_GROUP: (
        N_("Unknown risk group"),
        N_("Choose a risk group from the list (see the {lists} sheet)."),
    ),
    Kind.SPECIAL_GROUP: (
        N_("Unknown special group"),
        N_("Choose a special group from the list (see the {lists} sheet)."),
    ),
    Kind.ACTION_ITEM: (
        N_("Unknown Program of Actions item"),
        N_("Choose a Program of Actions item from the list (see the {lists} sheet)."),
    ),
    Delivery.FORMAT: (
        N_("Unknown format"),
        N_("Choose a format from the list (see the {lists} sheet)."),
    ),
    Delivery.PRACTICE: (
        N_("Unknown practice"),
        N_("Choose a practice from the list (see the {lists} sheet)."),
    ),
    Delivery.YES_NO: (
        N_("Yes or no"),
        N_("Choose yes or no from the list (see the {lists} sheet)."),
    ),
}

#: The key of the template's sheet of allowed values (its title is translated).
LISTS: Final = N_("Lists")

# Above this many choices a message names the Lists sheet instead of every choice.
_LIST_IN_MESSAGE: Final = 12

_FOLD: Final = str.maketrans(
    {"—": "-", "–": "-", "‑": "-", "−": "-", "\u00a0": " ", "\u202f": " ", "’": "'"}
)
_LABEL_AND_REF: Final = re.compile(r"^(?P<label>.*?)\s*\((?P<ref>[^()]*)\)$")
_AROUND_SEMICOLON: Final = re.compile(r"\s*;\s*")
_LEADING_ITEM: Final = re.compile(r"^(?P<ref>v-\d+\.\d+[ab]?)(?![\w.])")
# Characters Excel refuses in a sheet title, and its longest title.
_NOT_IN_TITLE: Final = re.compile(r"[\[\]:*?/\\]")
_TITLE_LENGTH: Final = 31


def fold(text: str) -> str:
    """A spelling with case, dashes and runs of blanks made uniform, for matching."""
    return _AROUND_SEMICOLON.sub("; ", " ".join(text.translate(_FOLD).casefold().split()))


def every_language(message: str) -> tuple[str, ...]:
    """``message`` (marked with ``N_``) as each language says it, English first, no repeats.

    What a reader may have typed or kept from a workbook made in another language.
    """
    return tuple(dict.fromkeys(_(message, lang) for lang in LANGUAGES))


def sheet_title(key: str, lang: str | None = None) -> str:
    """The title of the sheet ``key`` (an ``N_`` message) as Excel allows it, in ``lang``."""
    title = _NOT_IN_TITLE.sub(" ", _(key, lang)).strip()
    return title[:_TITLE_LENGTH] or key


def sheet_spellings(key: str) -> frozenset[str]:
    """Every title (folded) the sheet ``key`` may have: its title in each language."""
    return frozenset(fold(sheet_title(key, lang)) for lang in LANGUAGES)


def joined(items: Iterable[str]) -> str:
    """``a and b and c`` in the current language (for a short list of names)."""
    out = ""
    for item in items:
        out = _("{first} and {second}").format(first=out, second=item) if out else item
    return out


@dataclass(frozen=True)
class Resolved:
    """The rule id a cell names, or why it names none."""

    id: str | None
    problem: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The values of one kind: how the template shows them, and every accepted spelling.

    ``choices`` are in the language the vocabulary was built in; ``spellings`` hold the
    ids, clauses and labels of every language.
    """

    kind: ListKey
    ids: tuple[str, ...]
    choices: tuple[str, ...]  # readable labels, as the Lists sheet shows them (same order)
    spellings: Mapping[str, str]  # folded spelling -> id

    @property
    def title(self) -> str:
        """The kind's title in the current language ("Strategies"), as the Lists sheet has it."""
        return _(TITLES[self.kind])

    def choose_box(self) -> tuple[str, str]:
        """The title and text of the drop-down's error box of a one-value column."""
        title, text = _CHOOSE[self.kind]
        return _(title), _(text).format(lists=sheet_title(LISTS))

    def one_expected(self, text: str, n: int) -> str:
        """What a one-value cell holding ``n`` values is told."""
        return _(_ONE_EXPECTED[self.kind]).format(n=n, value=text)

    def display(self, entity_id: str) -> str:
        """The readable label of ``entity_id`` (the id itself if unknown)."""
        try:
            return self.choices[self.ids.index(entity_id)]
        except ValueError:
            return entity_id

    def exact(self, text: str) -> str | None:
        """The id ``text`` spells exactly (ignoring case and blanks), or None."""
        return self.spellings.get(fold(text))

    def resolve(self, text: str) -> Resolved:
        """The id ``text`` names, trying the whole text, then "label (clause)", then a ref."""
        key = fold(text)
        found = self.spellings.get(key)
        if found is not None:
            return Resolved(found)
        parts = _LABEL_AND_REF.match(text.strip())
        if parts:
            by_ref = self.exact(parts["ref"])
            by_label = self.exact(parts["label"])
            if by_ref and by_label and by_ref != by_label:
                return Resolved(
                    None,
                    _(_TWO_VALUES[self.kind]).format(
                        value=text,
                        label=parts["label"],
                        by_label=self.display(by_label),
                        ref=parts["ref"],
                        by_ref=self.display(by_ref),
                    ),
                )
            if by_ref or by_label:
                return Resolved(by_ref or by_label)
        if self.kind is Kind.ACTION_ITEM:
            leading = _LEADING_ITEM.match(key)
            if leading and leading["ref"] in self.spellings:
                return Resolved(self.spellings[leading["ref"]])
        return Resolved(None, self.unknown(text))

    def suggest(self, text: str) -> str | None:
        """The readable label closest to ``text``, if any is close."""
        close = difflib.get_close_matches(fold(text), list(self.spellings), n=1, cutoff=0.6)
        return self.display(self.spellings[close[0]]) if close else None

    def expected(self) -> str:
        if len(self.choices) <= _LIST_IN_MESSAGE:
            return _("one of: {choices}").format(choices="; ".join(self.choices))
        n = len(self.choices)
        return ngettext(
            "one of the {n} value in the '{title}' column of the template's {lists} sheet, "
            "e.g. '{example}'",
            "one of the {n} values in the '{title}' column of the template's {lists} sheet, "
            "e.g. '{example}'",
            n,
        ).format(n=n, title=self.title, lists=sheet_title(LISTS), example=self.choices[0])

    def unknown(self, text: str) -> str:
        parts = [part for part in text.split(",") if part.strip()]
        suggestion = self.suggest(text)
        if len(parts) > 1 and all(self.exact(part) for part in parts):
            hint = " " + _("(separate several values with ';')")
        elif suggestion is not None:
            hint = " " + _("(did you mean '{id}'?)").format(id=suggestion)
        else:
            hint = ""
        return _(_UNKNOWN[self.kind]).format(value=text, hint=hint, expected=self.expected())


def vocabularies(rules: RuleSet) -> dict[ListKey, Vocabulary]:
    """Every vocabulary a spreadsheet cell may use, built from the rules.

    Choices are labelled in the current language; every language's labels are accepted.
    """
    return dict(_vocabularies(rules, current_language()))


@lru_cache(maxsize=16)
def _vocabularies(rules: RuleSet, lang: str) -> Mapping[ListKey, Vocabulary]:
    return {kind: _vocabulary(rules, kind, lang) for kind in LIST_KINDS}


def _labels(rules: RuleSet, kind: Kind, item_id: str) -> dict[str, str]:
    """The label of an entity (or Annex V item) by language, English first."""
    return {lang: rules.translated(kind, item_id, "label", lang) for lang in LANGUAGES}


def _delivery_labels(kind: Delivery) -> dict[str, str]:
    """A delivery list's values and the message that names each."""
    if kind is Delivery.FORMAT:
        return {f.value: FORMAT_LABELS[f] for f in ActivityFormat}
    if kind is Delivery.PRACTICE:
        return {p.value: PRACTICE_LABELS[p] for p in Practice}
    return dict(YES_NO_LABELS)


def _vocabulary(rules: RuleSet, kind: ListKey, lang: str) -> Vocabulary:
    spellings: dict[str, str] = {}
    ids: list[str] = []
    shown: dict[str, list[str]] = {code: [] for code in LANGUAGES}  # choices by language
    if isinstance(kind, Delivery):
        for value, message in _delivery_labels(kind).items():
            ids.append(value)
            for code in LANGUAGES:
                label = _(message, code)
                shown[code].append(label)
                for spelling in (value, label, value.replace("_", " ")):
                    spellings.setdefault(fold(spelling), value)
    elif kind is Kind.ACTION_ITEM:
        for ref in rules.action_items:
            ids.append(ref)
            for code, label in _labels(rules, kind, ref).items():
                # A label may hold a ';' (V-3.5), which separates values in a cell: show a
                # comma.
                shown[code].append(f"{ref} — {label.replace(';', ',')}")
                for spelling in (ref, label, f"{ref} — {label}"):
                    spellings.setdefault(fold(spelling), ref)
    else:
        if kind in (Kind.STRATEGY, Kind.INTERVENTION):
            spellings.update({fold(k): v for k, v in lookup_table(rules, kind).items()})
        for entity_id, entity in rules.entities[kind].items():
            clause = getattr(entity, "clause", None)
            ids.append(entity_id)
            for code, label in _labels(rules, kind, entity_id).items():
                choice = f"{label} ({clause})" if isinstance(clause, str) else label
                shown[code].append(choice)
                for spelling in (entity_id, label, choice, entity_id.replace("_", " ")):
                    spellings.setdefault(fold(spelling), entity_id)
    # The choices shown in any language name their id, whatever else a spelling named.
    for code in (*(c for c in LANGUAGES if c != lang), lang):
        for choice, entity_id in zip(shown[code], ids, strict=True):
            spellings[fold(choice)] = entity_id
    return Vocabulary(kind, tuple(ids), tuple(shown[lang]), spellings)
