"""Loading ``concept_rules/``: parse every file, validate it, and report every problem.

The loader never stops at the first fault: YAML syntax errors, fields that do not fit the
models in :mod:`prevplan.rules.models`, duplicate ids, unknown clauses and dangling
references are all collected (file, id, field, what was expected) and raised together as a
:class:`~prevplan.problems.ProblemsError`.

Every message is written in the language of the call (``prevplan --lang ru rules check``):
rules are cached only once they load without a problem, so a faulty folder is read again
on every call and its problems always come out in the language asked for.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from prevplan.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, format_number, ngettext
from prevplan.i18n import current_language as _language
from prevplan.problems import Problem, ProblemsError
from prevplan.rules.crosscheck import cross_check, entry_label
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


@lru_cache(maxsize=4)
def _load_cached(directory: Path, _fingerprint: tuple[tuple[str, float, int], ...]) -> RuleSet:
    # A ProblemsError is not cached (lru_cache keeps only results), so the problems of a
    # faulty folder are written afresh, in the current language, on every call.
    return load_rules_uncached(directory)


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
        data = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            _("line {line}, column {column}").format(line=mark.line + 1, column=mark.column + 1)
            if mark is not None
            else ""
        )
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(Problem(shown, where, "", _malformed_yaml(reason)))
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


#: What the YAML parser (libyaml, or PyYAML on its own) says about a syntax error, word for
#: word: translated for the reader; anything not listed is shown as the parser says it.
_YAML_PROBLEMS = frozenset(
    {
        N_("did not find expected ',' or ']'"),
        N_("did not find expected ',' or '}'"),
        N_("did not find expected key"),
        N_("did not find expected node content"),
        N_("did not find expected '-' indicator"),
        N_("did not find expected comment or line break"),
        N_("could not find expected ':'"),
        N_("mapping values are not allowed in this context"),
        N_("mapping values are not allowed here"),
        N_("mapping keys are not allowed in this context"),
        N_("mapping keys are not allowed here"),
        N_("block sequence entries are not allowed in this context"),
        N_("sequence entries are not allowed here"),
        N_("found character that cannot start any token"),
        N_("found a tab character that violates indentation"),
        N_("found a tab character where an indentation space is expected"),
        N_("found unexpected end of stream"),
        N_("found unknown escape character"),
        N_("found unexpected ':'"),
        N_("control characters are not allowed"),
        N_("expected a single document in the stream"),
    }
)
_YAML_UNKNOWN_TAG = "could not determine a constructor for the tag "


def _malformed_yaml(reason: str) -> str:
    """``malformed YAML: …`` with the parser's reason, in the reader's language."""
    if reason in _YAML_PROBLEMS:
        return _("malformed YAML: {problem}").format(problem=_(reason))
    if reason.startswith(_YAML_UNKNOWN_TAG):
        tag = reason.removeprefix(_YAML_UNKNOWN_TAG)
        problem = _("could not determine a constructor for the tag {tag}").format(tag=tag)
        return _("malformed YAML: {problem}").format(problem=problem)
    if _language() == DEFAULT_LANGUAGE:
        return _("malformed YAML: {problem}").format(problem=reason)
    # A reason prevplan does not know: quoted, as the parser's own (English) words.
    return _("malformed YAML; the YAML parser says: '{problem}'").format(problem=reason)


#: pydantic's messages for the other errors a rule file can have, word for word (``{…}``
#: come from the error's context), so that they can be translated.
_PYDANTIC_MESSAGES: dict[str, str] = {
    "string_type": N_("Input should be a valid string"),
    "tuple_type": N_("Input should be a valid tuple"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
}


def _explain(error: Mapping[str, Any]) -> str:
    """What is wrong with a value, from a pydantic error, in the current language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return _(
            "unknown field (check its spelling against the rules format in concept_rules/README.md)"
        )
    if kind == "missing":
        return _("required field is missing")
    if kind in ("literal_error", "enum"):
        return _("expected one of {expected}, got {value}").format(
            expected=_choices(str(ctx.get("expected", ""))), value=repr(error.get("input"))
        )
    if kind == "too_short":
        return _("must not be empty")
    if kind == "string_too_short" and isinstance(ctx.get("min_length"), int):
        n = ctx["min_length"]
        return ngettext(
            "String should have at least {n} character",
            "String should have at least {n} characters",
            n,
        ).format(n=format_number(n))
    if kind == "string_pattern_mismatch":
        return _("expected text matching {pattern}, got {value}").format(
            pattern=repr(ctx.get("pattern")), value=repr(error.get("input"))
        )
    message = str(error.get("msg") or _("invalid value")).removeprefix("Value error, ")
    if kind == "value_error":
        # The validators of prevplan.rules.models raise messages marked for translation.
        return _(message)
    if kind in _PYDANTIC_MESSAGES:
        values = {
            key: format_number(value) if isinstance(value, int | float) else str(value)
            for key, value in ctx.items()
        }
        try:
            return _(_PYDANTIC_MESSAGES[kind]).format(**values)
        except (KeyError, IndexError):
            return message
    if _language() == DEFAULT_LANGUAGE:
        return message
    return _("invalid value; the validator says: '{detail}'").format(detail=message)


_QUOTED = re.compile(r"'[^']*'")


def _choices(expected: str) -> str:
    """pydantic's list of allowed values (``'IV', 'V' or 'VI'``) in the current language."""
    values = _QUOTED.findall(expected)
    if len(values) < 2 or f"{', '.join(values[:-1])} or {values[-1]}" != expected:
        return expected
    return _("{choices} or {last}").format(choices=", ".join(values[:-1]), last=values[-1])
