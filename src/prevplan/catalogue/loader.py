"""Reading the programme catalogue: ``concept_rules/programmes/*.yaml`` and an
organisation's own local records, validated the same way, every problem reported at once.

Each problem names the file, the record (its number and id) and the field, in the reader's
language: a record without sources, a rating without the date it was read, a cost without
currency or base year, ages outside 0–120 are all load errors. With the rules at hand the
references to the Concept (interventions VI-4, strategies VI-3, special groups VI-1.2) are
checked against them. Local records (``PREVPLAN_PROGRAMMES_LOCAL``, a file or folder, or
``concept_rules/programmes_local/``) are marked ``local`` and may not reuse a shipped id.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from prevplan.catalogue.models import Programme, ProgrammeTranslations
from prevplan.i18n import _
from prevplan.io.errors import explain
from prevplan.problems import Location, Problem, ProblemsError, record_at
from prevplan.rules import RuleSet, default_rules_dir
from prevplan.rules.parsed_cache import parsed_yaml

LOCAL_ENV = "PREVPLAN_PROGRAMMES_LOCAL"
"""Names a file or folder of an organisation's own programme records."""


@dataclass(frozen=True, eq=False)
class Catalogue:
    """Every programme by id (shipped first, then local), with their translations.

    Compared and hashed by identity: a loaded catalogue is one value, cached as a whole."""

    programmes: Mapping[str, Programme]
    translations: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    """Programme id -> the file it was read from."""

    def __len__(self) -> int:
        """How many programmes."""
        return len(self.programmes)

    def get(self, programme_id: str) -> Programme | None:
        """The programme with this id, if any."""
        return self.programmes.get(programme_id)

    def name(self, programme: Programme, lang: str) -> str:
        """The programme's name in ``lang`` (its own name where not translated)."""
        entry = self.translations.get(lang, {}).get(programme.id)
        return str(getattr(entry, "name", None) or programme.name)

    def description(self, programme: Programme, lang: str) -> str:
        """The programme's description in ``lang`` (English where not translated)."""
        entry = self.translations.get(lang, {}).get(programme.id)
        return str(getattr(entry, "description", None) or programme.description)


def programmes_dir(rules_dir: Path | None = None) -> Path:
    """The shipped catalogue's folder."""
    return (rules_dir or default_rules_dir()) / "programmes"


def local_paths(rules_dir: Path | None = None) -> list[Path]:
    """The organisation's local programme files: the env variable's, else the folder's."""
    named = os.environ.get(LOCAL_ENV, "").strip()
    if named:
        path = Path(named)
        return sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    folder = (rules_dir or default_rules_dir()) / "programmes_local"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_catalogue(
    rules_dir: Path | None = None,
    rules: RuleSet | None = None,
    local: Sequence[Path] | None = None,
) -> Catalogue:
    """The catalogue below ``rules_dir`` (default: the shipped rules) plus local records.

    Raises :class:`ProblemsError` with every problem found.
    """
    directory = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    local_files = tuple(local if local is not None else local_paths(directory))
    shipped = tuple(sorted((directory / "programmes").glob("*.yaml")))
    return _cached(shipped, local_files, _fingerprint((*shipped, *local_files)), rules)


def _fingerprint(paths: Iterable[Path]) -> tuple[tuple[str, float, int], ...]:
    out = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            out.append((str(path), -1.0, -1))
            continue
        out.append((str(path), stat.st_mtime, stat.st_size))
    translations = [p for p in paths if p.parent.name == "programmes"]
    if translations:
        for t in sorted((translations[0].parent / "translations").glob("*.yaml")):
            out.append((str(t), t.stat().st_mtime, t.stat().st_size))
    return tuple(out)


@lru_cache(maxsize=8)
def _cached(
    shipped: tuple[Path, ...],
    local: tuple[Path, ...],
    _fingerprint: tuple[tuple[str, float, int], ...],
    rules: RuleSet | None,
) -> Catalogue:
    return read_catalogue(shipped, local, rules)


def read_catalogue(
    shipped: Sequence[Path], local: Sequence[Path] = (), rules: RuleSet | None = None
) -> Catalogue:
    """Read and check the given files (uncached)."""
    problems: list[Problem] = []
    found: dict[str, Programme] = {}
    files: dict[str, str] = {}
    if not shipped:
        problems.append(Problem("concept_rules/programmes", "", "", _("no programme files found")))
    for path, is_local in [*((p, False) for p in shipped), *((p, True) for p in local)]:
        for n, programme in _read_file(path, problems):
            if is_local:
                programme = programme.model_copy(update={"local": True})
            shown = _show(path)
            if programme.id in found:
                problems.append(
                    Problem(
                        shown,
                        record_at("item", n, programme.id),
                        "id",
                        _("the id is already used in {file}; expected a new id").format(
                            file=files[programme.id]
                        ),
                    )
                )
                continue
            found[programme.id] = programme
            files[programme.id] = shown
            if rules is not None:
                problems.extend(_cross_check(programme, rules, shown, n))
    translations = _read_translations(shipped, found, problems)
    ProblemsError.raise_if_any(problems)
    return Catalogue(programmes=found, translations=translations, files=files)


def _read_file(path: Path, problems: list[Problem]) -> list[tuple[int, Programme]]:
    shown = _show(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(shown, "", "", _("file not found")))
        return []
    except UnicodeDecodeError:
        problems.append(Problem(shown, "", "", _("not a UTF-8 text file")))
        return []
    try:
        data, duplicates = parsed_yaml(text, shown)
    except ProblemsError as err:
        problems.extend(err.problems)
        return []
    problems.extend(duplicates)
    if not isinstance(data, dict) or not isinstance(data.get("programmes"), list):
        problems.append(
            Problem(shown, "", "programmes", _("expected a mapping with a list 'programmes'"))
        )
        return []
    out: list[tuple[int, Programme]] = []
    for n, raw in enumerate(data["programmes"], start=1):
        record_id = raw.get("id") if isinstance(raw, dict) else None
        where = record_at("item", n, record_id)
        try:
            programme = Programme.model_validate(raw)
        except ValidationError as err:
            problems.extend(_problems(shown, where, err, raw))
            continue
        problems.extend(_undated_facts(programme, shown, where))
        out.append((n, programme))
    if not out and not data["programmes"]:
        problems.append(Problem(shown, "", "programmes", _("must not be empty")))
    return out


def _undated_facts(programme: Programme, shown: str, where: Location) -> list[Problem]:
    """Facts whose source is not among the record's sources, so their date is unknown."""
    urls = {s.url for s in programme.sources}
    return [
        Problem(
            shown,
            where,
            f"{name}.source",
            _("expected one of the record's sources (whose date read is known), got {url}").format(
                url=part.source
            ),
        )
        for name, part in (
            ("dose", programme.dose),
            ("deliverers", programme.deliverers),
            ("implemented", programme.implemented),
        )
        if part.source and part.source not in urls
    ]


def _problems(
    shown: str, where: Location, err: ValidationError, data: object = None
) -> list[Problem]:
    found = []
    errors = err.errors()
    faulty_items = {tuple(e["loc"][:-2]) for e in errors if len(e["loc"]) >= 2}
    for error in errors:
        if error["type"] == "too_short" and tuple(error["loc"]) in faulty_items:
            continue  # a list whose only items are faulty: the items' problems say it
        name = field_path(error["loc"], data)
        kind = error["type"]
        if kind == "extra_forbidden":
            message = _("unknown field")
        elif kind == "missing":
            message = _("missing; this field is required")
        else:
            message = explain(error)
        found.append(Problem(shown, where, name, message))
    return found


def field_path(loc: Sequence[int | str], data: object = None) -> str:
    """A pydantic location as a person reads it: ``ratings[2].retrieved``; a number is a
    list position (from 1) only where ``data`` holds a list there, else a mapping key."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int) and (node is None or isinstance(node, list)):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = None
    return out


def _cross_check(programme: Programme, rules: RuleSet, shown: str, n: int) -> list[Problem]:
    """References to the Concept that the rules do not hold."""
    from prevplan.rules.models import Kind

    where = record_at("item", n, programme.id)
    checks: list[tuple[str, Kind, Iterable[str]]] = [
        ("interventions", Kind.INTERVENTION, programme.interventions),
        ("strategies", Kind.STRATEGY, programme.strategies),
        ("special_groups", Kind.SPECIAL_GROUP, programme.special_groups),
    ]
    problems = []
    for name, kind, ids in checks:
        for i, item in enumerate(ids, start=1):
            if not rules.exists(kind, item):
                problems.append(
                    Problem(
                        shown,
                        where,
                        f"{name}[{i}]",
                        _("'{id}' is not in the concept rules; expected one of {known}").format(
                            id=item, known=", ".join(rules.ids(kind))
                        ),
                    )
                )
    return problems


def _read_translations(
    shipped: Sequence[Path], programmes: Mapping[str, Programme], problems: list[Problem]
) -> dict[str, dict[str, Any]]:
    if not shipped:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for path in sorted((shipped[0].parent / "translations").glob("*.yaml")):
        shown = _show(path)
        try:
            data, duplicates = parsed_yaml(path.read_text(encoding="utf-8"), shown)
        except ProblemsError as err:
            problems.extend(err.problems)
            continue
        problems.extend(duplicates)
        try:
            parsed = ProgrammeTranslations.model_validate(data)
        except ValidationError as err:
            problems.extend(_problems(shown, Location("top"), err, data))
            continue
        for programme_id in parsed.programmes:
            if programme_id not in programmes:
                problems.append(
                    Problem(
                        shown,
                        Location("text", id=programme_id),
                        "programmes",
                        _("no programme has this id"),
                    )
                )
        out[parsed.language] = dict(parsed.programmes)
    return out


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
