"""``prevplan rules check`` and the diagnostics of broken rule files in Russian and Chinese.

Trainers and national teams run ``prevplan --lang ru rules check`` to see what the rules hold;
translators of ``translations/ru.yaml`` and ``zh.yaml`` must understand what the check says
about their file. Counts and every problem come out in the language of the call, with only
ids, clause references, file and field names and quoted values left as they are written.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from prevplan.cli import main
from prevplan.i18n import use_language
from prevplan.io.yaml_strict import malformed_yaml as _malformed_yaml
from prevplan.problems import ProblemsError
from prevplan.rules import default_rules_dir, load_rules
from prevplan.rules.loader import _explain, load_rules_uncached
from prevplan.rules.models import (
    AgeStageEntity,
    AnnexTextFile,
    EvidenceFact,
    PrioritisationFile,
    Relation,
    SourceClause,
    TranslationFile,
)
from tests.rule_files import break_russian_translation, copy_rules, edit

OTHER_LANGUAGES = ("ru", "zh")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
CJK = re.compile(r"[\u4e00-\u9fff]")
SCRIPT = {"ru": CYRILLIC, "zh": CJK}

#: Words that may stay Latin in a translated diagnostic: ids, sections and fields of the rule
#: files as written there, and the names of formats.
IDENTIFIERS = {
    "YAML",
    "UTF",
    "levels",
    "universal",
    "strategies",
    "life_skills",
    "warnings",
    "information_only",
    "single_strategy",
    "information",
    "tertiary",
    "dependent",
    "quaternary",
    "concept_rules",
    "README",
    "md",
    "prevplan",
    "ru",
    "zh",
    "work_with_parents",
    "universel",
    "action_items",
    "clauses",
    "bullets",
    "age_min",
    "age_max",
}

COUNT_NAMES_EN = (
    "clauses (Annex VI)",
    "citable parts",
    "age stages",
    "risk factors",
    "action items (Annex V)",
    "relations inferred",
    "evidence items",
    "warning codes",
    "translated texts (ru)",
)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    return copy_rules(tmp_path)


# --- broken folders -------------------------------------------------------------------------


def break_files(d: Path) -> None:
    """Faults each file shows on its own: a typo, a missing field, a YAML syntax error."""
    edit(d / "entities.yaml", "description:", "descripton:")
    edit(d / "warnings.yaml", "    title: Only one strategy\n", "")
    path = d / "evidence.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")


def break_links(d: Path) -> None:
    """Faults across files: unknown clause, duplicate ids, a dangling reference and a
    translation whose placeholder does not match the English."""
    edit(d / "relations" / "strategy_level.yaml", "VI-3.2.1#p4", "VI-9.9.9")
    edit(d / "entities.yaml", "  - id: life_skills\n", "  - id: work_with_parents\n")
    edit(d / "warnings.yaml", "code: single_strategy", "code: information_only")
    edit(d / "relations" / "risk_group_level.yaml", "object: tertiary", "object: quaternary")
    edit(
        d / "translations" / "ru.yaml",
        "{population}: проводятся информационные",
        "{группа}: проводятся информационные",
    )


BREAKERS: dict[str, Callable[[Path], None]] = {"files": break_files, "links": break_links}

#: The line the YAML parser stops at in the broken ``evidence.yaml``: after the shipped file
#: (its lines) and the blank line ``break_files`` adds, the third line from its end.
EVIDENCE_LINE = (
    len((default_rules_dir() / "evidence.yaml").read_text(encoding="utf-8").splitlines()) + 3
)

#: What each broken folder reports in English, word for word (after the folder's path).
ENGLISH = {
    "files": [
        "entities.yaml: levels[1] (id universal): field 'description': required field is missing",
        "entities.yaml: levels[1] (id universal): field 'descripton': unknown field (check its "
        "spelling against the rules format in concept_rules/README.md)",
        "warnings.yaml: warnings[3] (code single_strategy): field 'title': required field is "
        "missing",
        f"evidence.yaml: line {EVIDENCE_LINE}, column 1: malformed YAML: did not find expected "
        "',' or ']'",
    ],
    "links": [
        "warnings.yaml: code information_only: field 'code': duplicate code",
        "entities.yaml: strategies id work_with_parents: field 'id': duplicate id",
        "relations/strategy_level.yaml: information -> tertiary: field 'sources': unknown clause "
        "'VI-9.9.9': it is not in the encoded sources",
        "relations/risk_group_level.yaml: dependent -> quaternary: field 'object': unknown level "
        "'quaternary'",
        "translations/ru.yaml: warnings information_only: field 'explanation': placeholders must "
        "match the English: expected ['{population}'], got []",
    ],
}


def check_output(directory: Path, lang: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The problem lines ``prevplan --lang LANG rules check`` prints, folder path removed."""
    assert main(["--lang", lang, "rules", "check", "--rules", str(directory)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return [line.replace(f"{directory}/", "") for line in captured.err.splitlines()]


def _quoted(line: str) -> list[str]:
    """The quoted values of a line, whatever the language's quotation marks ('' «» “”)."""
    return ["".join(q) for q in re.findall(r"'([^']*)'|«([^»]*)»|“([^”]*)”", line)]


def leftover_english(line: str) -> list[str]:
    """Latin words of a line that are not a file name, id, reference or quoted value."""
    text = re.sub(r"^\S+\.yaml: ", "", line)  # the file
    text = re.sub(r"^\S+ -> \S+: ", "", text)  # a relation: subject -> object
    text = re.sub(r"'[^']*'|«[^»]*»|“[^”]*”", "", text)  # quoted values and field names
    text = re.sub(r"\[[^\]]*\]", "", text)  # lists of placeholders
    text = re.sub(r"\S*\.(?:yaml|md)\b", "", text)  # file names in the message
    text = re.sub(r"\b[a-z_]+:[a-z_]+\b", "", text)  # crosswalk ids: strategy:life_skills
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)
    return [w for w in words if w not in IDENTIFIERS and not re.fullmatch(r"[IVX]+", w)]


def _fresh(directory: Path) -> Path:
    """A new copy of the shipped rules next to ``directory``."""
    target = directory.with_name("concept_rules_2")
    shutil.copytree(default_rules_dir(), target)
    return target


# --- counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_rules_check_prints_counts_in_the_language(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", lang, "rules", "check"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert SCRIPT[lang].search(lines[0])
    for line in lines[1:]:
        name = line.rsplit(None, 1)[0]
        assert SCRIPT[lang].search(name), line
        assert leftover_english(name) == [], line
    out = "\n".join(lines)
    for english in COUNT_NAMES_EN:
        assert english not in out
    assert re.search(r"[(（]ru[)）]", out) and re.search(r"[(（]zh[)）]", out)


def test_rules_check_counts_stay_english_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith(": valid.")
    for english in COUNT_NAMES_EN:
        assert f"  {english} " in out
    assert not CYRILLIC.search(out) and not CJK.search(out)


# --- problems -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(BREAKERS))
def test_english_problems_are_unchanged(
    rules_copy: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    BREAKERS[case](rules_copy)
    lines = check_output(rules_copy, "en", capsys)
    for expected in ENGLISH[case]:
        assert expected in lines, (expected, lines)
    assert lines[-1] == f"{len(lines) - 1} problems found."


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
@pytest.mark.parametrize("case", list(BREAKERS))
def test_every_problem_is_reported_in_the_language(
    rules_copy: Path, case: str, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same problems, same places, every word but ids, refs, files and values translated."""
    BREAKERS[case](rules_copy)
    english = check_output(rules_copy, "en", capsys)
    lines = check_output(rules_copy, lang, capsys)
    assert len(lines) == len(english)
    for line, original in zip(lines, english, strict=True):
        assert SCRIPT[lang].search(line), line
        assert leftover_english(line) == [], line
        # The file, ids and quoted values are the same as in English.
        assert line.split(": ", 1)[0] == original.split(": ", 1)[0] or line == lines[-1]
        assert _quoted(line) == _quoted(original)


def test_problems_name_the_place_in_russian(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_files(rules_copy)
    lines = check_output(rules_copy, "ru", capsys)
    assert (
        f"evidence.yaml: строка {EVIDENCE_LINE}, столбец 1: ошибка в синтаксисе YAML: не найдена "
        "ожидаемая «,» или «]» (не закрыта квадратная скобка?)"
    ) in lines
    assert (
        "entities.yaml: levels[1] (идентификатор universal): поле «description»: "
        "отсутствует обязательное поле"
    ) in lines
    links = _fresh(rules_copy)
    break_links(links)
    lines = check_output(links, "ru", capsys)
    assert (
        "relations/strategy_level.yaml: information -> tertiary: поле «sources»: неизвестный "
        "пункт «VI-9.9.9»: его нет в закодированных источниках"
    ) in lines
    assert (
        "entities.yaml: раздел strategies, идентификатор work_with_parents: поле «id»: "
        "повторяющийся идентификатор"
    ) in lines
    assert (
        "translations/ru.yaml: раздел warnings, запись information_only: поле «explanation»: "
        "подстановочные поля должны совпадать с английским текстом: ожидается "
        "['{population}'], указано []"
    ) in lines


def test_problems_name_the_place_in_chinese(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_links(rules_copy)
    lines = check_output(rules_copy, "zh", capsys)
    assert (
        "relations/risk_group_level.yaml: dependent -> quaternary: 字段“object”: "
        "未知层级“quaternary”"
    ) in lines
    assert "warnings.yaml: 代码 information_only: 字段“code”: 代码重复" in lines


def test_translation_file_problems_reach_the_translator_in_their_language(
    rules_copy: Path,
) -> None:
    """The problems of ``ru.yaml`` in Russian: unknown ids, list lengths, placeholders."""
    break_russian_translation(rules_copy)
    with use_language("ru"):
        with pytest.raises(ProblemsError) as caught:
            load_rules_uncached(rules_copy)
        found = [str(p).split(": ", 1)[1] for p in caught.value.problems]
    assert (
        "раздел levels, запись universel: неизвестный идентификатор «universel» в разделе levels"
    ) in found
    assert (
        "раздел action_items, запись V-9.9: неизвестный пункт Программы действий «V-9.9»"
    ) in found
    assert any(
        line.startswith(
            "раздел clauses, запись VI-4.1.2: поле «unofficial_bullets»: "
            "ожидается 3 элемента\u00a0— "
        )
        and line.endswith("указано 2")
        for line in found
    ), found
    assert all(leftover_english(line) == [] for line in found), found


def test_the_language_of_the_call_decides_even_for_cached_loading(rules_copy: Path) -> None:
    """A broken folder is never cached: each call writes its problems in its own language."""
    break_links(rules_copy)
    messages: dict[str, str] = {}
    for lang in ("en", "ru", "zh", "en"):
        with use_language(lang), pytest.raises(ProblemsError) as caught:
            load_rules(rules_copy)
        text = "\n".join(str(p) for p in caught.value.problems)
        assert messages.setdefault(lang, text) == text
    assert "duplicate code" in messages["en"] and not CYRILLIC.search(messages["en"])
    assert "повторяющийся код" in messages["ru"]
    assert "代码重复" in messages["zh"]


# --- pydantic and YAML messages -------------------------------------------------------------


def errors_of(model: type[BaseModel], data: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return list(caught.value.errors())


ENTITY = {"id": "ab", "label": "l", "description": "d", "clauses": ["VI-1"]}
INVALID: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (SourceClause, {"ref": "VI", "label": "", "bullets": 5, "parent": 3}),
    (AnnexTextFile, {"annex": "X", "title": "t", "clauses": []}),
    (AgeStageEntity, {**ENTITY, "id": "A b", "age_min": "x", "age_max": 200}),
    (AgeStageEntity, {**ENTITY, "age_min": 9, "age_max": 2}),
    (AgeStageEntity, {**ENTITY, "age_min": -1, "age_max": 2.5}),
    (Relation, {"subject": "a", "object": "b", "basis": "maybe", "sources": ["x"], "weight": 7}),
    (Relation, {"subject": "a", "object": "b", "basis": "inferred", "sources": ["x"]}),
    (EvidenceFact, {"text": "t", "tag": "Q"}),
    (
        TranslationFile,
        {"language": "r", "note": "n", "entities": [], "relations": {"a": "b"}},
    ),
    (
        PrioritisationFile,
        {
            "reference": "r",
            "priority_factors": {
                "min": "x",
                "max": 1.5,
                "min_risk_share": "a",
                "max_protective_share": 2,
                "sources": ["x"],
            },
            "selection": 5,
            "scoring": {"level": [], "age_stage": 1, "setting": 1, "priority_rank": [1]},
        },
    ),
]
#: Error types whose English prevplan writes itself rather than taking pydantic's.
OWN_ENGLISH = {"extra_forbidden", "missing", "literal_error", "enum", "too_short"}
OWN_ENGLISH |= {"string_pattern_mismatch", "value_error"}


def all_errors() -> list[Any]:
    return [error for model, data in INVALID for error in errors_of(model, data)]


def test_rule_errors_are_worded_by_the_one_translator() -> None:
    """Rule files get the wording every input gets (prevplan.io.errors), never pydantic's."""
    errors = all_errors()
    kinds = {error["type"] for error in errors}
    assert {"string_too_short", "int_parsing", "less_than_equal", "model_type"} <= kinds
    for error in errors:
        if error["type"] not in OWN_ENGLISH:
            message = _explain(error)
            assert message.startswith("expected "), error
            assert message != error["msg"], error
    short = next(e for e in errors if e["type"] == "string_too_short")
    assert _explain(short) == "expected a text of at least 4 character(s), got 'VI'"
    literal = next(e for e in errors if e["type"] == "literal_error")
    assert _explain(literal) == "expected one of 'IV' or 'VI', got 'X'"
    value_errors = [_explain(e) for e in errors if e["type"] == "value_error"]
    assert value_errors == [
        "age_min must not exceed age_max",
        "an inferred relation needs a one-sentence 'justification'",
    ]


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_pydantic_messages_are_translated(lang: str) -> None:
    with use_language(lang):
        for error in all_errors():
            message = _explain(error)
            assert SCRIPT[lang].search(message), (error, message)
            assert leftover_english(message) == [], (error, message)


def test_allowed_values_are_listed_in_the_language() -> None:
    (error,) = errors_of(EvidenceFact, {"text": "t", "tag": "Q"})
    with use_language("ru"):
        assert _explain(error) == "ожидается: одно из значений 'V', 'S' или 'R'; получено: 'Q'"
    with use_language("zh"):
        assert _explain(error) == "应为以下之一：'V', 'S' 或 'R'；实际为：'Q'"


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2\n",
        "a: b: c\n",
        "a:\n  - x\n - y\n",
        '"a\n',
        "a: @x\n",
        "a: 1\n\tb: 2\n",
        "- a\nb: 1\n",
        "a: {x: 1\n",
        "a: !foo x\n",
    ],
)
def test_yaml_syntax_errors_are_explained_in_the_language(
    rules_copy: Path, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (rules_copy / "warnings.yaml").write_text(text, encoding="utf-8")
    english = check_output(rules_copy, "en", capsys)[0]
    assert english.startswith("warnings.yaml: line ") and ": malformed YAML: " in english
    for lang in OTHER_LANGUAGES:
        line = check_output(rules_copy, lang, capsys)[0]
        assert SCRIPT[lang].search(line.split("YAML", 1)[1]), line
        assert leftover_english(line) == [], line


def test_an_unknown_yaml_reason_is_quoted_as_the_parser_said_it() -> None:
    assert _malformed_yaml("something new") == "malformed YAML: something new"
    with use_language("ru"):
        assert _malformed_yaml("something new") == (
            "ошибка в синтаксисе YAML; сообщение анализатора YAML: «something new»"
        )
