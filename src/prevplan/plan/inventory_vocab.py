"""The words an NGO's spreadsheet may use for the concept's things, and what they mean.

An inventory is filled in by people who do not know clause numbers. A cell may name a
strategy by the label the template's drop-down offers ("Work with parents (VI-3.1.1)"), by its
label alone, by its rule id (``work_with_parents``) or by its clause (``VI-3.1.1``); a Program
of Actions item as "V-3.5 — School and extracurricular prevention; …", as ``V-3.5`` or by its
label. Everything here comes from ``concept_rules/``: strategies (VI-3.1, VI-3.2),
interventions (VI-4), settings, risk groups (VI-2, Table 1), special groups (VI-1.2, VI-4.1)
and Annex V items. Strategies and interventions start from :func:`resolve.lookup_table`, so
the ids, clauses and labels accepted in a plan file are accepted here too.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from prevplan.plan.resolve import lookup_table
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

# Kinds a spreadsheet cell may name, in the order of the Lists sheet's columns.
LIST_KINDS: Final[tuple[Kind, ...]] = (
    Kind.STRATEGY,
    Kind.INTERVENTION,
    Kind.SETTING,
    Kind.RISK_GROUP,
    Kind.SPECIAL_GROUP,
    Kind.ACTION_ITEM,
)

NOUNS: Final[Mapping[Kind, tuple[str, str]]] = {
    Kind.STRATEGY: ("strategy", "Strategies"),
    Kind.INTERVENTION: ("intervention", "Interventions"),
    Kind.SETTING: ("setting", "Settings"),
    Kind.RISK_GROUP: ("risk group", "Risk groups"),
    Kind.SPECIAL_GROUP: ("special group", "Special groups"),
    Kind.ACTION_ITEM: ("Program of Actions item", "Annex V items"),
}

# Above this many choices a message names the Lists sheet instead of every choice.
_LIST_IN_MESSAGE: Final = 12

_FOLD: Final = str.maketrans(
    {"—": "-", "–": "-", "‑": "-", "−": "-", "\u00a0": " ", "\u202f": " ", "’": "'"}
)
_LABEL_AND_REF: Final = re.compile(r"^(?P<label>.*?)\s*\((?P<ref>[^()]*)\)$")
_AROUND_SEMICOLON: Final = re.compile(r"\s*;\s*")
_LEADING_ITEM: Final = re.compile(r"^(?P<ref>v-\d+\.\d+[ab]?)(?![\w.])")


def fold(text: str) -> str:
    """A spelling with case, dashes and runs of blanks made uniform, for matching."""
    return _AROUND_SEMICOLON.sub("; ", " ".join(text.translate(_FOLD).casefold().split()))


@dataclass(frozen=True)
class Resolved:
    """The rule id a cell names, or why it names none."""

    id: str | None
    problem: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """The values of one kind: how the template shows them, and every accepted spelling."""

    kind: Kind
    ids: tuple[str, ...]
    choices: tuple[str, ...]  # readable labels, as the Lists sheet shows them (same order)
    spellings: Mapping[str, str]  # folded spelling -> id

    @property
    def noun(self) -> str:
        return NOUNS[self.kind][0]

    @property
    def title(self) -> str:
        return NOUNS[self.kind][1]

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
                    f"'{text}' names two different {self.noun} values: "
                    f"'{parts['label']}' is {self.display(by_label)!r} but "
                    f"'{parts['ref']}' is {self.display(by_ref)!r}; expected one of them",
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
            return "one of: " + "; ".join(self.choices)
        return (
            f"one of the {len(self.choices)} values in the '{self.title}' column of the "
            f"template's Lists sheet, e.g. '{self.choices[0]}'"
        )

    def unknown(self, text: str) -> str:
        parts = [part for part in text.split(",") if part.strip()]
        suggestion = self.suggest(text)
        if len(parts) > 1 and all(self.exact(part) for part in parts):
            hint = " (separate several values with ';')"
        elif suggestion is not None:
            hint = f" (did you mean '{suggestion}'?)"
        else:
            hint = ""
        return f"unknown {self.noun} '{text}'{hint}; expected {self.expected()}"


def vocabularies(rules: RuleSet) -> dict[Kind, Vocabulary]:
    """Every vocabulary a spreadsheet cell may use, built from the rules."""
    return {kind: _vocabulary(rules, kind) for kind in LIST_KINDS}


def _vocabulary(rules: RuleSet, kind: Kind) -> Vocabulary:
    spellings: dict[str, str] = {}
    ids: list[str] = []
    choices: list[str] = []
    if kind is Kind.ACTION_ITEM:
        for ref, item in rules.action_items.items():
            ids.append(ref)
            # A label may hold a ';' (V-3.5), which separates values in a cell: show a comma.
            choices.append(f"{ref} — {item.label.replace(';', ',')}")
            for spelling in (ref, item.label, f"{ref} — {item.label}"):
                spellings.setdefault(fold(spelling), ref)
    else:
        if kind in (Kind.STRATEGY, Kind.INTERVENTION):
            spellings.update({fold(k): v for k, v in lookup_table(rules, kind).items()})
        for entity_id, entity in rules.entities[kind].items():
            clause = getattr(entity, "clause", None)
            label = f"{entity.label} ({clause})" if isinstance(clause, str) else entity.label
            ids.append(entity_id)
            choices.append(label)
            for spelling in (entity_id, entity.label, label, entity_id.replace("_", " ")):
                spellings.setdefault(fold(spelling), entity_id)
    for choice, entity_id in zip(choices, ids, strict=True):
        spellings[fold(choice)] = entity_id
    return Vocabulary(kind, tuple(ids), tuple(choices), spellings)
