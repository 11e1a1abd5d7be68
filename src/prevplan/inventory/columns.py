"""The columns of an NGO inventory, and how one spreadsheet cell becomes one field's value.

An inventory has two tables. **Populations**: one row per target population (interfaces §2),
whose ``size`` is the number of people in it — the denominator of coverage. **Activities**:
one row per activity, naming the population it serves, the strategies (VI-3) and
interventions (VI-4) it delivers, how many people it reaches, what it costs, who runs it and
when, and the Program of Actions items (Annex V) it serves.

Headers are readable ("Size (number of people)"); the field names of the plan format
(``size``, ``risk_factors.family``) are accepted too, so a population CSV of interfaces §2 can
serve as an inventory's populations. Cells are converted leniently — a number stored as text,
``12.0`` for 12, ``30%`` for a share of 0.3 — and anything that cannot be converted is named
with what was expected. Ranges, required fields and the rest are left to the plan model, so
an inventory is validated exactly as a plan file is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from prevplan.i18n import LANGUAGES, N_, _
from prevplan.inventory.vocab import Delivery, ListKey, Vocabulary, every_language, fold
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

#: Keys of the two data sheets; a workbook titles them in its language (``sheet_title``).
POPULATIONS: Final = N_("Populations")
ACTIVITIES: Final = N_("Activities")
#: Keys of the sheets only an exported plan has (:mod:`prevplan.export.xlsx`): a workbook
#: with both is read as the plan it holds.
PLAN_SHEET: Final = N_("Plan")
TRACKER_SHEET: Final = N_("Tracker")
LIST_SEPARATOR: Final = ";"


class CellType(StrEnum):
    TEXT = "text"
    WHOLE = "whole"  # a whole number of people or years
    MONEY = "money"
    SHARE = "share"  # a share from 0 to 1
    CHOICE = "choice"  # one value from a vocabulary
    CHOICES = "choices"  # ';'-separated values from a vocabulary
    YES_NO = "yes_no"  # yes or no (a checkbox value TRUE/FALSE too)


_SHORT: Final = re.compile(r"\s*[(（].*[)）]$")


@dataclass(frozen=True)
class Column:
    """One column of an inventory table.

    ``header`` and ``help`` are in the language the column was made in; ``names`` holds the
    header as every language writes it, all of them accepted when a file is read.
    """

    field: str  # the plan field; ``risk_factors.family`` for a factor share
    header: str  # what the template's header row says
    type: CellType
    help: str  # one sentence in plain words for the Instructions sheet
    required: bool = False
    vocab: ListKey | None = None
    width: int = 16
    names: tuple[str, ...] = ()
    legacy: tuple[str, ...] = ()  # headers of earlier templates, still read

    def spellings(self) -> tuple[str, ...]:
        """Every header accepted for this column, folded."""
        headers = dict.fromkeys((self.header, *self.names, *self.legacy))
        shorts = [_SHORT.sub("", header) for header in headers]
        return tuple(
            dict.fromkeys(
                fold(s)
                for s in (*headers, *shorts, self.field, self.field.replace("_", " "))
                if s.strip()
            )
        )


LEGACY_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    # Headers of earlier templates, still read: workbooks filled in from an older template
    # keep working after a header's wording was corrected (termbase: reach is a number of
    # people, «число охваченных»; an Annex V item is 事项).
    "Reach (people reached)": ("Охват (охвачено человек)",),
    "Target reach (people)": ("Целевой охват (человек)",),
    "Annex V items": ("附件五条目",),
}


def column(
    field: str,
    header: str,
    cell_type: CellType,
    help_text: str,
    *,
    required: bool = False,
    vocab: ListKey | None = None,
    width: int = 16,
) -> Column:
    """A column whose ``header`` and ``help_text`` are ``N_`` messages, said in the current
    language and accepted in every language."""
    return Column(
        field,
        _(header),
        cell_type,
        _(help_text),
        required=required,
        vocab=vocab,
        width=width,
        names=every_language(header),
        legacy=LEGACY_HEADERS.get(header, ()),
    )


def _factor_columns(rules: RuleSet, kind: Kind, prefix: str) -> list[Column]:
    header = (
        N_("Risk share: {factor}") if kind is Kind.RISK_FACTOR else N_("Protective share: {factor}")
    )
    help_text = (
        N_(
            "Share (0 to 1) of the people who have this risk ({clause}); leave empty if "
            "unknown — empty means unknown, not zero."
        )
        if kind is Kind.RISK_FACTOR
        else N_(
            "Share (0 to 1) of the people who have this resource ({clause}); leave empty if "
            "unknown."
        )
    )
    out: list[Column] = []
    for factor_id, factor in rules.entities[kind].items():
        names = tuple(
            dict.fromkeys(
                _(header, lang).format(factor=rules.translated(kind, factor_id, "label", lang))
                for lang in LANGUAGES
            )
        )
        out.append(
            Column(
                f"{prefix}.{factor_id}",
                _(header).format(factor=rules.translated(kind, factor_id, "label")),
                CellType.SHARE,
                _(help_text).format(clause=factor.clauses[0]),
                width=18,
                names=names,
            )
        )
    return out


def population_columns(rules: RuleSet) -> tuple[Column, ...]:
    """The Populations table: interfaces §2, with one column per factor share."""
    return (
        column(
            "id",
            N_("ID"),
            CellType.TEXT,
            N_(
                "A short name of your own for the group, unique in the sheet; the Activities "
                "sheet refers to it."
            ),
            required=True,
            width=18,
        ),
        column("name", N_("Name"), CellType.TEXT, N_("What you call the group."), width=34),
        column("region", N_("Region"), CellType.TEXT, N_("District or region, if any."), width=14),
        column(
            "age_min",
            N_("Age from"),
            CellType.WHOLE,
            N_("Youngest age in years (0–120)."),
            required=True,
        ),
        column(
            "age_max",
            N_("Age to"),
            CellType.WHOLE,
            N_("Oldest age in years (0–120)."),
            required=True,
        ),
        column(
            "size",
            N_("Size (number of people)"),
            CellType.WHOLE,
            N_(
                "How many people are in the group — the denominator: coverage is people "
                "reached divided by this number."
            ),
            required=True,
            width=14,
        ),
        column(
            "risk_group",
            N_("Risk group"),
            CellType.CHOICE,
            N_("What is known about the group's drug risk; empty means the general population."),
            vocab=Kind.RISK_GROUP,
            width=28,
        ),
        column(
            "settings",
            N_("Settings"),
            CellType.CHOICES,
            N_("Where the group can be reached; several separated by ';'."),
            vocab=Kind.SETTING,
            width=34,
        ),
        column(
            "special_groups",
            N_("Special groups"),
            CellType.CHOICES,
            N_(
                "Pregnant women, marginalised young people or people affected by war or "
                "disaster, if the group includes them; several separated by ';'."
            ),
            vocab=Kind.SPECIAL_GROUP,
            width=28,
        ),
        # Parents and carers (parents_of, interfaces §2): the children's ages, both or neither.
        column(
            "parents_of.age_min",
            N_("Children's age from (parents)"),
            CellType.WHOLE,
            N_(
                "Only for a group of parents or carers: the youngest age of their children. "
                "Family programmes are then judged by the children's ages."
            ),
        ),
        column(
            "parents_of.age_max",
            N_("Children's age to (parents)"),
            CellType.WHOLE,
            N_("Only for a group of parents or carers: the oldest age of their children."),
        ),
        *_factor_columns(rules, Kind.RISK_FACTOR, "risk_factors"),
        *_factor_columns(rules, Kind.PROTECTIVE_FACTOR, "protective_factors"),
    )


def activity_columns() -> tuple[Column, ...]:
    """The Activities table: one activity serving one population."""
    return (
        column(
            "id",
            N_("ID"),
            CellType.TEXT,
            N_("A short name of your own for the activity, unique in the sheet."),
            required=True,
            width=16,
        ),
        column(
            "name",
            N_("Activity name"),
            CellType.TEXT,
            N_("What the activity is called."),
            width=36,
        ),
        column(
            "population_id",
            N_("Population ID"),
            CellType.TEXT,
            N_("The ID of the group it serves, as written in the Populations sheet."),
            required=True,
            width=18,
        ),
        column(
            "strategies",
            N_("Strategies"),
            CellType.CHOICES,
            N_(
                "Which prevention strategies it uses (VI-3); several separated by ';'. Name "
                "at least one strategy or one intervention."
            ),
            vocab=Kind.STRATEGY,
            width=40,
        ),
        column(
            "interventions",
            N_("Interventions"),
            CellType.CHOICES,
            N_("Which kinds of intervention it is (VI-4); several separated by ';'."),
            vocab=Kind.INTERVENTION,
            width=40,
        ),
        column(
            "settings",
            N_("Settings"),
            CellType.CHOICES,
            N_(
                "Where it takes place; several separated by ';'. Empty: taken from the "
                "interventions."
            ),
            vocab=Kind.SETTING,
            width=28,
        ),
        column(
            "reach",
            N_("Reach (people reached)"),
            CellType.WHOLE,
            N_(
                "How many people of the group the activity reached (or reaches in a year); "
                "0 or empty if not yet started."
            ),
            width=14,
        ),
        column(
            "target_reach",
            N_("Target reach (people)"),
            CellType.WHOLE,
            N_("How many people it aims to reach."),
            width=14,
        ),
        column(
            "cost",
            N_("Cost"),
            CellType.MONEY,
            N_(
                "What it costs for the period, as a plain number in one currency (say which "
                "in the plan's description)."
            ),
            width=12,
        ),
        column("executor", N_("Executor"), CellType.TEXT, N_("Who carries it out."), width=28),
        column("schedule", N_("Schedule"), CellType.TEXT, N_("When, in your own words."), width=20),
        column(
            "action_items",
            N_("Annex V items"),
            CellType.CHOICES,
            N_(
                "Which items of the SCO Program of Actions it serves, e.g. 'V-3.5'; several "
                "separated by ';'. Empty: worked out from the strategies."
            ),
            vocab=Kind.ACTION_ITEM,
            width=40,
        ),
        *delivery_columns(),
    )


def delivery_columns() -> tuple[Column, ...]:
    """How an activity is delivered (interfaces §3): the assessment judges quality by it."""
    return (
        column(
            "format",
            N_("Format"),
            CellType.CHOICE,
            N_(
                "How it is delivered: interactive sessions, lecture, one-to-one work, campaign, "
                "policy, event, screening, training, materials or survey."
            ),
            vocab=Delivery.FORMAT,
            width=24,
        ),
        column(
            "sessions",
            N_("Sessions"),
            CellType.WHOLE,
            N_("How many sessions each participant gets (1 for a single talk or event)."),
            width=10,
        ),
        column(
            "boosters",
            N_("Booster sessions"),
            CellType.WHOLE,
            N_("Follow-up sessions in later years that refresh the skills."),
            width=10,
        ),
        column(
            "deliverers_trained",
            N_("Deliverers trained"),
            CellType.YES_NO,
            N_("Yes if those who deliver it were trained in this programme."),
            vocab=Delivery.YES_NO,
            width=12,
        ),
        column(
            "practices",
            N_("Practices"),
            CellType.CHOICES,
            N_(
                "If it uses fear appeals, testimonies of former users or drug testing, say "
                "which; several separated by ';'."
            ),
            vocab=Delivery.PRACTICE,
            width=28,
        ),
        column(
            "programme",
            N_("Programme"),
            CellType.TEXT,
            N_("The named programme it follows, if any (a catalogue id)."),
            width=18,
        ),
    )


def header_index(columns: Sequence[Column]) -> dict[str, Column]:
    """Folded header spelling -> column."""
    index: dict[str, Column] = {}
    for column in columns:
        for spelling in column.spellings():
            index.setdefault(spelling, column)
    return index


def match_header(text: str, index: Mapping[str, Column]) -> Column | None:
    return index.get(fold(text).rstrip("*").rstrip())


# --------------------------------------------------------------------------- cells

Value = str | int | float | bool | tuple[str, ...]


@dataclass(frozen=True)
class Converted:
    """A cell's value for the plan (``None``: the cell is empty), or what went wrong."""

    value: Value | None = None
    problems: tuple[str, ...] = ()


_EMPTY: Final = Converted()
_GROUPED: Final = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER: Final = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_DECIMAL_COMMA: Final = re.compile(r"^[+-]?\d*,\d+$")
_DIGIT_BLANKS: Final = re.compile(r"(?<=\d)[\s'\u00a0\u202f\u2009](?=\d)")


def convert(column: Column, raw: object, vocab: Vocabulary | None) -> Converted:
    """The plan value of one cell, as the column reads it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return _EMPTY
    if column.type is CellType.TEXT:
        return Converted(_text(raw))
    if column.type is CellType.YES_NO:
        if isinstance(raw, bool):
            return Converted(raw)
        assert vocab is not None
        answer = _choices(column, _text(raw), vocab)
        return Converted(answer.value == "true", answer.problems) if answer.value else answer
    if column.type in (CellType.CHOICE, CellType.CHOICES):
        assert vocab is not None  # every choice column names its vocabulary
        return _choices(column, _text(raw), vocab)
    return _number(column.type, raw)


def _text(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    return str(raw).strip()


def _choices(column: Column, text: str, vocab: Vocabulary) -> Converted:
    found: list[str] = []
    problems: list[str] = []
    for item in split_values(text, vocab):
        resolved = vocab.resolve(item)
        if resolved.id is None:
            problems.append(resolved.problem or vocab.unknown(item))
        elif resolved.id not in found:
            found.append(resolved.id)
    if problems:
        return Converted(problems=tuple(problems))
    if column.type in (CellType.CHOICE, CellType.YES_NO):
        if len(found) > 1:
            return Converted(problems=(vocab.one_expected(text, len(found)),))
        return Converted(found[0] if found else None)
    return Converted(tuple(found))


def split_values(text: str, vocab: Vocabulary) -> list[str]:
    """The values in a ';'-separated cell.

    A label may itself hold a ';' (the source's label of V-3.5 does), so neighbouring parts
    that together spell one value exactly are kept together, longest first.
    """
    parts = [part.strip() for part in re.split(r"[;\n]", text)]
    values: list[str] = []
    start = 0
    while start < len(parts):
        end = next(
            (
                end
                for end in range(len(parts), start + 1, -1)
                if vocab.exact("; ".join(parts[start:end])) is not None
            ),
            start + 1,
        )
        value = "; ".join(parts[start:end])
        if value.strip():
            values.append(value)
        start = end
    return values


_EXPECTED: Final[Mapping[CellType, str]] = {
    CellType.WHOLE: N_("a whole number"),
    CellType.MONEY: N_("a number (an amount of money, without the currency)"),
    CellType.SHARE: N_("a share from 0 to 1 (30% is 0.3)"),
}


def _number(kind: CellType, raw: object) -> Converted:
    expected = _(_EXPECTED[kind])
    if isinstance(raw, bool):
        return Converted(problems=(_got(expected, "TRUE" if raw else "FALSE"),))
    if isinstance(raw, dt.date | dt.time | dt.datetime):
        return Converted(
            problems=(
                _("expected {expected}, got a date or time (format the cell as Number)").format(
                    expected=expected
                ),
            )
        )
    number: float
    if isinstance(raw, int | float):
        number = raw
    else:
        parsed = _parse_text_number(str(raw), kind)
        if isinstance(parsed, str):
            return Converted(problems=(parsed,))
        number = parsed
    if number != number or number in (float("inf"), float("-inf")):
        return Converted(problems=(_got(expected, repr(raw)),))
    if kind is CellType.WHOLE:
        if not float(number).is_integer():
            return Converted(problems=(_got(expected, f"{number:g}"),))
        return Converted(int(number))
    return Converted(float(number))


def _parse_text_number(text: str, kind: CellType) -> float | str:
    """A number stored as text ("1 200", "1,200", "30%"), or what was expected instead."""
    expected = _(_EXPECTED[kind])
    cleaned = _DIGIT_BLANKS.sub("", text.strip())
    percent = kind is CellType.SHARE and cleaned.endswith("%")
    if percent:
        cleaned = cleaned[:-1].strip()
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if _NUMBER.match(cleaned):
        value = float(cleaned)
        return value / 100 if percent else value
    hint = ""
    if _DECIMAL_COMMA.match(cleaned):
        hint = " " + _("(write the decimal point as '.')")
    elif re.search(r"\d", cleaned) and kind is CellType.MONEY:
        hint = " " + _("(write the amount only, without a currency)")
    return _got(expected, f"'{text.strip()}'") + hint


def _got(expected: str, value: str) -> str:
    """``expected X, got Y`` in the reader's language; ``value`` as shown to them."""
    return _("expected {expected}, got {value}").format(expected=expected, value=value)
