"""Problems found in user input or in the concept rules, reported all at once.

Every part of prevplan that reads something a person wrote (rule files, population files,
plans, inventories) reports what is wrong as a list of :class:`Problem` — one per fault,
naming the file, the place, the field and what was expected — instead of stopping at the
first one or raising a traceback.

A problem's place is a structured :class:`Location` (a line, a CSV row, a sheet cell, the
n-th record of a list and its id…). It becomes text only when the problem is shown, in the
reader's language at that moment; code that needs to know *which* record a problem is about
(the inventory import, the app's table editor) reads the fields, never the words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from prevplan.i18n import N_, _

# The words of each kind of place. Record kinds have a template with the id and one
# without, so that the word and its place in the phrase are translated together.
_RECORD: Final = {
    "item": (N_("item {n} (id {id})"), N_("item {n}")),
    "population": (N_("population {n} (id {id})"), N_("population {n}")),
    "activity": (N_("activity {n} (id {id})"), N_("activity {n}")),
}
# The words of the other kinds of place (``{n}``: the number, ``{ref}``/``{id}``: the id).
_PLACES: Final = {
    "line": N_("line {line}"),
    "row": N_("row {row} (line {line})"),
    "header": N_("header (line {line})"),
    "sheet": N_("sheet '{sheet}'"),
    "tracker": N_("tracker {n}"),
    "tracker_ref": N_("tracker {ref}"),
    "activity_id": N_("activity id {id}"),
    "plan": N_("plan"),
    "top": N_("top level"),
}


@dataclass(frozen=True)
class Location:
    """Where in an input a problem is; worded only by :meth:`text`.

    ``kind`` says which fields matter:

    - ``line`` — ``line`` (and ``column``, a character on it) of a text file;
    - ``row`` — data row ``number`` of a CSV file (from 1), starting on file ``line``;
    - ``header`` — the header line of a CSV file (``line``);
    - ``cell`` — ``row`` ``number`` of ``sheet`` (spreadsheet numbering), at the spreadsheet
      ``column`` (from 1) if given; without ``sheet``, a line of a CSV table;
    - ``sheet`` — a whole ``sheet``;
    - ``item`` / ``population`` / ``activity`` — the ``number``-th record (from 1) of a list,
      with its ``id`` if it has one;
    - ``tracker`` — the ``number``-th tracker entry; ``tracker_ref`` — the entry of Annex V
      item ``id``; ``activity_id`` — every activity with ``id``;
    - ``plan`` — the plan's own fields; ``top`` — a YAML/JSON mapping's own keys;
    - ``text`` — a place already worded (``id`` holds the words), for rule files;
    - any other kind — the ``number``-th record of a list the caller names so (shown as given).
    """

    kind: str
    number: int | None = None
    id: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None

    def text(self) -> str:
        """The place in the reader's current language (``row 3 (line 4)``)."""
        kind = self.kind
        if kind in _RECORD:
            return self._record(*(_(template) for template in _RECORD[kind]))
        if kind == "line" and self.column is not None:
            return _("line {line}, column {column}").format(line=self.line, column=self.column)
        if kind == "cell":
            return _cell_text(self.sheet, self.number or 0, self.column)
        template = _PLACES.get(kind)
        if template is not None:
            return _(template).format(
                n=self.number,
                row=self.number,
                line=self.line,
                sheet=self.sheet,
                ref=self.id,
                id=self.id,
            )
        if kind == "text":
            return self.id or ""
        # A record of a list the caller names in its own words (``{kind} {n} (id X)``).
        return self._record(kind + " {n} (id {id})", kind + " {n}")

    def _record(self, with_id: str, without_id: str) -> str:
        if self.id is not None and self.id.strip():
            return with_id.format(n=self.number, id=self.id)
        return without_id.format(n=self.number)

    def __str__(self) -> str:
        return self.text()


def _cell_text(sheet: str | None, row: int, column: int | None) -> str:
    if sheet is None:
        return _("line {line}").format(line=row)
    if column is None:
        return _("sheet '{sheet}', row {row}").format(sheet=sheet, row=row)
    return _("sheet '{sheet}', row {row}, column {column}").format(
        sheet=sheet, row=row, column=column_letter(column)
    )


def column_letter(column: int) -> str:
    """A spreadsheet column's letters (1 → ``A``, 28 → ``AB``)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def record_at(label: str, n: int, record_id: object = None) -> Location:
    """The ``n``-th record (from 1) of a list, with its id when it is a text."""
    return Location(label, number=n, id=record_id if isinstance(record_id, str) else None)


def line_at(line: int, column: int | None = None) -> Location:
    """A line (and a character column on it) of a text file."""
    return Location("line", line=line, column=column)


def row_at(row: int, line: int) -> Location:
    """A CSV data row (from 1) and the file line it starts on."""
    return Location("row", number=row, line=line)


NOWHERE: Final = Location("text")
"""The file as a whole."""
TOP_LEVEL: Final = Location("top")
"""A YAML/JSON mapping's own keys."""
PLAN: Final = Location("plan")
"""The plan's own fields (its name, say)."""


def worded(place: str) -> Location:
    """A place already in words (rule files name entries by their path and label)."""
    return Location("text", id=place) if place else NOWHERE


@dataclass(frozen=True)
class Problem:
    """One fault in one place: file, place, field, and what was expected."""

    file: str
    at: Location
    field: str
    message: str

    def __init__(self, file: str, at: Location | str, field: str, message: str) -> None:
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "at", at if isinstance(at, Location) else worded(at))
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "message", message)

    @property
    def where(self) -> str:
        """The place in the reader's current language ('' for the file as a whole)."""
        return self.at.text()

    def __str__(self) -> str:
        parts = [self.file or _("<input>")]
        where = self.where
        if where:
            parts.append(where)
        if self.field:
            parts.append(_("field '{field}'").format(field=self.field))
        return f"{': '.join(parts)}: {self.message}"


class ProblemsError(Exception):
    """Raised with every problem found, never just the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[ProblemsError], tuple[tuple[Problem, ...]]]:
        # Problems cross process boundaries (uploads are read in a worker process).
        return (type(self), (self.problems,))

    @classmethod
    def raise_if_any(cls, problems: Iterable[Problem]) -> None:
        """Raise with ``problems`` if there is any; do nothing if there is none."""
        found = list(problems)
        if found:
            raise cls(found)
