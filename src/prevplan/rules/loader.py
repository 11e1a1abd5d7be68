"""Loading ``concept_rules/``: parse every file, validate it, and report every problem.

The loader never stops at the first fault: YAML syntax errors, fields that do not fit the
models in :mod:`prevplan.rules.models`, duplicate ids, unknown clauses and dangling
references are all collected (file, id, field, what was expected) and raised together as a
:class:`~prevplan.problems.ProblemsError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from prevplan.i18n import DEFAULT_LANGUAGE, LANGUAGES
from prevplan.problems import Problem, ProblemsError
from prevplan.rules.crosscheck import cross_check
from prevplan.rules.models import (
    AnnexTextFile,
    AnnexVFile,
    EntitiesFile,
    EvidenceFile,
    PrioritisationFile,
    RelationFile,
    TranslationFile,
    WarningsFile,
)
from prevplan.rules.ruleset import RuleFiles, RuleSet

M = TypeVar("M", bound=BaseModel)

_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

REQUIRED_FILES: dict[str, type[BaseModel]] = {
    "sources/annex_vi.yaml": AnnexTextFile,
    "sources/annex_iv.yaml": AnnexTextFile,
    "sources/annex_v.yaml": AnnexVFile,
    "entities.yaml": EntitiesFile,
    "evidence.yaml": EvidenceFile,
    "warnings.yaml": WarningsFile,
    "prioritisation.yaml": PrioritisationFile,
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


@lru_cache(maxsize=4)
def _load_cached(directory: Path, _fingerprint: tuple[tuple[str, float, int], ...]) -> RuleSet:
    return load_rules_uncached(directory)


def load_rules_uncached(directory: Path) -> RuleSet:
    """Read, validate and cross-check every rule file below ``directory``."""
    problems: list[Problem] = []
    if not directory.is_dir():
        raise ProblemsError(
            [Problem(str(directory), "", "", "rules folder not found (expected concept_rules/)")]
        )
    parsed: dict[str, BaseModel] = {}
    for name, model in REQUIRED_FILES.items():
        path = directory / name
        if not path.exists():
            problems.append(Problem(_show(path), "", "", "required rule file is missing"))
            continue
        result = _read_model(path, model, problems)
        if result is not None:
            parsed[name] = result
    relation_files: dict[str, RelationFile] = {}
    relation_paths = sorted((directory / "relations").glob("*.yaml"))
    if not relation_paths:
        problems.append(Problem(_show(directory / "relations"), "", "", "no relation files found"))
    for path in relation_paths:
        rel = _read_model(path, RelationFile, problems)
        if rel is not None:
            relation_files[_show(path)] = rel
    translations = _read_translations(directory, problems)
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
        relations=relation_files,
        paths={
            **{name: _show(directory / name) for name in REQUIRED_FILES},
            **{f"translations/{lang}.yaml": path for lang, (path, _) in translations.items()},
        },
        translations={lang: tf for lang, (_, tf) in translations.items()},
    )
    problems.extend(cross_check(files))
    if problems:
        raise ProblemsError(problems)
    return RuleSet(files)


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
                    f"unknown language '{lang}': name the file after one of {', '.join(others)}",
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
        problems.append(Problem(shown, "", "", "not a UTF-8 text file"))
        return None
    try:
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(shown, where, "", f"malformed YAML: {reason}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(shown, "", "", "expected a mapping at the top of the file"))
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
            section = ".".join(field_parts) or "item"
            where = f"{section}[{step + 1}]" + (f" ({label})" if label else "")
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
            return f"{key} {node[key]}"
    if "subject" in node and "object" in node:
        return f"{node['subject']} -> {node['object']}"
    return ""


def _explain(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return (
            "unknown field (check its spelling against the rules format in concept_rules/README.md)"
        )
    if kind == "missing":
        return "required field is missing"
    if kind in ("literal_error", "enum"):
        return f"expected one of {ctx.get('expected', '')}, got {error.get('input')!r}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"expected text matching {ctx.get('pattern')!r}, got {error.get('input')!r}"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")
