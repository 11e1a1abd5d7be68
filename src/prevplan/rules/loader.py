"""Loading ``concept_rules/``: parse every file, validate it, and report every problem.

The loader never stops at the first fault: YAML syntax errors, fields that do not fit the
models in :mod:`prevplan.rules.models`, duplicate ids, unknown clauses and dangling
references are all collected (file, id, field, what was expected) and raised together as a
:class:`~prevplan.problems.ProblemsError`.

Every message is written in the language of the call (``prevplan --lang ru rules check``):
rules are cached only once they load without a problem, so a faulty folder is read again
on every call and its problems always come out in the language asked for. Each file's
parsed data is kept between processes by its exact text (:mod:`prevplan.rules.parsed_cache`),
so a new process validates the rules without parsing YAML again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from prevplan.i18n import DEFAULT_LANGUAGE, LANGUAGES, _
from prevplan.io.errors import explain
from prevplan.problems import Problem, ProblemsError
from prevplan.rules.crosscheck import cross_check, entry_label
from prevplan.rules.files import RuleFiles
from prevplan.rules.models import (
    AnnexTextFile,
    AnnexVFile,
    AssessmentFile,
    EntitiesFile,
    EvidenceFile,
    NotesFile,
    PrioritisationFile,
    RelationFile,
    TranslationFile,
    WarningsFile,
)
from prevplan.rules.official_texts import OfficialTextFile, check_official_file, official_paths
from prevplan.rules.parsed_cache import parsed_yaml
from prevplan.rules.ruleset import RuleSet

M = TypeVar("M", bound=BaseModel)


REQUIRED_FILES: dict[str, type[BaseModel]] = {
    "sources/annex_vi.yaml": AnnexTextFile,
    "sources/annex_iv.yaml": AnnexTextFile,
    "sources/annex_v.yaml": AnnexVFile,
    "entities.yaml": EntitiesFile,
    "evidence.yaml": EvidenceFile,
    "warnings.yaml": WarningsFile,
    "prioritisation.yaml": PrioritisationFile,
    "assessment.yaml": AssessmentFile,
    "notes.yaml": NotesFile,
}

_ID_KEYS = ("id", "ref", "code", "key", "concept", "abbr")


def default_rules_dir() -> Path:
    """Where the shipped rules live: ``PREVPLAN_RULES`` or the project's ``concept_rules/``."""
    override = os.environ.get("PREVPLAN_RULES")
    if override:
        return Path(override)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "concept_rules"
        if (candidate / "sources").is_dir():
            return candidate
    packaged = here.parent.parent / "concept_rules"
    return packaged


def load_rules(rules_dir: Path | str | None = None) -> RuleSet:
    """Load and validate the rules; raise :class:`ProblemsError` listing every problem."""
    directory = Path(rules_dir) if rules_dir is not None else default_rules_dir()
    return _load_cached(directory.resolve(), _fingerprint(directory))


def _fingerprint(directory: Path) -> tuple[tuple[str, float, int], ...]:
    """Changes whenever a rule file changes, so an edited rule is never served stale."""
    if not directory.is_dir():
        return ()
    return tuple(
        (str(p), p.stat().st_mtime, p.stat().st_size) for p in sorted(directory.rglob("*.yaml"))
    )


_PREPARERS: list[Callable[[RuleSet], None]] = []


def when_loaded(prepare: Callable[[RuleSet], None]) -> None:
    """Have ``prepare(rules)`` run once for each rule set :func:`load_rules` loads and keeps:
    the engine builds its indexes there, so that its first recommendation costs no more
    than the next (``benchmarks/bench_recommend.py`` times both)."""
    if prepare not in _PREPARERS:
        _PREPARERS.append(prepare)


@lru_cache(maxsize=4)
def _load_cached(directory: Path, _fingerprint: tuple[tuple[str, float, int], ...]) -> RuleSet:
    # A ProblemsError is not cached (lru_cache keeps only results), so the problems of a
    # faulty folder are written afresh, in the current language, on every call.
    rules = load_rules_uncached(directory)
    for prepare in _PREPARERS:
        prepare(rules)
    return rules


def load_rules_uncached(directory: Path) -> RuleSet:
    """Read, validate and cross-check every rule file below ``directory``."""
    problems: list[Problem] = []
    if not directory.is_dir():
        raise ProblemsError(
            [Problem(str(directory), "", "", _("rules folder not found (expected concept_rules/)"))]
        )
    parsed: dict[str, BaseModel] = {}
    for name, model in REQUIRED_FILES.items():
        path = directory / name
        if not path.exists():
            problems.append(Problem(_show(path), "", "", _("required rule file is missing")))
            continue
        result = _read_model(path, model, problems)
        if result is not None:
            parsed[name] = result
    relation_files: dict[str, RelationFile] = {}
    relation_paths = sorted((directory / "relations").glob("*.yaml"))
    if not relation_paths:
        problems.append(
            Problem(_show(directory / "relations"), "", "", _("no relation files found"))
        )
    for path in relation_paths:
        rel = _read_model(path, RelationFile, problems)
        if rel is not None:
            relation_files[_show(path)] = rel
    translations = _read_translations(directory, problems)
    official = {
        p.stem: (_show(p), _read_model(p, OfficialTextFile, problems))
        for p in official_paths(directory)
    }
    if problems:
        raise ProblemsError(problems)
    files = RuleFiles(
        annex_vi=_as(parsed["sources/annex_vi.yaml"], AnnexTextFile),
        annex_iv=_as(parsed["sources/annex_iv.yaml"], AnnexTextFile),
        annex_v=_as(parsed["sources/annex_v.yaml"], AnnexVFile),
        entities=_as(parsed["entities.yaml"], EntitiesFile),
        evidence=_as(parsed["evidence.yaml"], EvidenceFile),
        warnings=_as(parsed["warnings.yaml"], WarningsFile),
        prioritisation=_as(parsed["prioritisation.yaml"], PrioritisationFile),
        assessment=_as(parsed["assessment.yaml"], AssessmentFile),
        relations=relation_files,
        notes=_as(parsed["notes.yaml"], NotesFile),
        paths={
            **{name: _show(directory / name) for name in REQUIRED_FILES},
            **{f"translations/{lang}.yaml": path for lang, (path, _tf) in translations.items()},
        },
        translations={lang: tf for lang, (_path, tf) in translations.items()},
        official={lang: of for lang, (_path, of) in official.items() if of is not None},
    )
    problems.extend(cross_check(files))
    if problems:
        raise ProblemsError(problems)
    rules = RuleSet(files)
    for lang, (shown, of) in official.items():
        problems.extend(check_official_file(shown, lang, of, rules.ref_exists) if of else [])
    if problems:
        raise ProblemsError(problems)
    return rules


def _read_translations(
    directory: Path, problems: list[Problem]
) -> dict[str, tuple[str, TranslationFile]]:
    """``translations/<lang>.yaml`` for the languages prevplan speaks besides English.

    The folder is optional: without it every text is shown in English.
    """
    found: dict[str, tuple[str, TranslationFile]] = {}
    others = sorted(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
    for path in sorted((directory / "translations").glob("*.yaml")):
        lang = path.stem
        if lang not in others:
            problems.append(
                Problem(
                    _show(path),
                    "",
                    "",
                    _("unknown language '{lang}': name the file after one of {languages}").format(
                        lang=lang, languages=", ".join(others)
                    ),
                )
            )
            continue
        translation = _read_model(path, TranslationFile, problems)
        if translation is not None:
            found[lang] = (_show(path), translation)
    return found


def _as(value: BaseModel, model: type[M]) -> M:
    assert isinstance(value, model)
    return value


def _show(path: Path) -> str:
    """A path as a person would type it: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read_model(path: Path, model: type[M], problems: list[Problem]) -> M | None:
    shown = _show(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(shown, "", "", _("not a UTF-8 text file")))
        return None
    try:
        data, duplicates = parsed_yaml(text, shown)
    except ProblemsError as exc:
        problems.extend(exc.problems)
        return None
    if duplicates:  # the last value would silently win: policy must not change unseen
        problems.extend(duplicates)
        return None
    if not isinstance(data, dict):
        problems.append(Problem(shown, "", "", _("expected a mapping at the top of the file")))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_validation_problems(shown, data, exc))
        return None


def _validation_problems(
    shown: str, data: Mapping[str, Any], exc: ValidationError
) -> list[Problem]:
    found: list[Problem] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        where, field = _locate(data, loc)
        found.append(Problem(shown, where, field, _explain(error)))
    return found


def _locate(data: Mapping[str, Any], loc: Sequence[int | str]) -> tuple[str, str]:
    """Turn a pydantic location into 'which item' and 'which field'."""
    node: Any = data
    where = ""
    field_parts: list[str] = []
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            node = node[step]
            label = _identify(node)
            section = ".".join(field_parts)
            where = f"{section}[{step + 1}]" if section else _("item[{n}]").format(n=step + 1)
            if label:
                where = _("{place} ({label})").format(place=where, label=label)
            field_parts = []
            continue
        if isinstance(node, Mapping) and step in node:
            node = node[step]
        field_parts.append(str(step))
    return where, ".".join(field_parts)


def _identify(node: Any) -> str:
    if not isinstance(node, Mapping):
        return ""
    for key in _ID_KEYS:
        if isinstance(node.get(key), str):
            return entry_label(key, node[key])
    if "subject" in node and "object" in node:
        return f"{node['subject']} -> {node['object']}"
    return ""


def _explain(error: Mapping[str, Any]) -> str:
    """What is wrong with a value of a rule file, in the current language."""
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return _(
            "unknown field (check its spelling against the rules format in concept_rules/README.md)"
        )
    if kind == "missing":
        return _("required field is missing")
    return explain(error)
