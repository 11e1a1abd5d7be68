"""Problems with input files and with saved plans read in the planner's language.

A Russian or Chinese planner who uploads a bad population file or plan, or whose save
conflicts with a colleague's, gets every problem line in their own language: the place
(row, line, column, item, activity, tracker entry), the field and what was expected. Only
what the planner wrote stays as written — file names, ids, values and field names. English
output is unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pydantic import ValidationError

from prevplan.analytics.frames import NOT_SERVED, SERVED, status_label
from prevplan.engine.recommend import recommend
from prevplan.i18n import _, use_language
from prevplan.io.populations import parse_populations_bytes
from prevplan.plan.assess import assess
from prevplan.plan.from_recommendation import activities_from_recommendation
from prevplan.plan.io import parse_plan_bytes, plan_from_data, plan_to_data
from prevplan.plan.models import Activity, Plan, TrackerEntry
from prevplan.population import TargetPopulation
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.storage import ConflictError, StorageError, store_from_url
from prevplan.storage.database import storage_errors
from prevplan.ui import plans
from prevplan.ui.activity_table import apply_table

LANGUAGES = ("ru", "zh")

# English words of prevplan's own wording that must not be left in a translated line.
_ENGLISH = """
    row rows line column columns field expected expecting unknown plan plans version
    versions item items activity activities population populations header tracker top
    level got missing stored database failed saved saving deleted changed value values
    malformed cannot connect invalid unsupported named exists opened listing restoring
    restored loading deleting schema revision strategy intervention delimiter mapping
    document found allowed lists more than once greater table choose another your changes
    were not was the of in is an or and
"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())
# What the planner wrote (quoted values, identifiers such as age_min or life_skills) and
# technical names (SQLite, URLs, paths) are kept as they are; they are removed before the
# words are checked.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|“[^”]*”")
_KEPT = re.compile(r"\b\w+[_.]\w+\b|\b[\w+]+://\S+|/\S+|\b[A-Z]+-[\d.]+[a-z]?\b")
_LATIN_WORD = re.compile(r"\b[A-Za-z]+\b")


def english_words(line: str, kept: tuple[str, ...] = ()) -> set[str]:
    """The English words of ``line`` apart from user data, identifiers and ``kept`` texts."""
    for text in kept:
        line = line.replace(text, " ")
    line = _KEPT.sub(" ", _QUOTED.sub(" ", line))
    return {w.lower() for w in _LATIN_WORD.findall(line)} & ENGLISH_WORDS


def in_language(lang: str, text: str) -> bool:
    """``text`` is written in Russian (Cyrillic) or Chinese (CJK ideographs)."""
    pattern = r"[\u0400-\u04FF]" if lang == "ru" else r"[\u4E00-\u9FFF]"
    return re.search(pattern, text) is not None


def problem_lines(action: Callable[[], object], lang: str) -> list[str]:
    with use_language(lang), pytest.raises(ProblemsError) as caught:
        action()
    with use_language(lang):
        return [str(p) for p in caught.value.problems]


def assert_translated(lines: list[str], lang: str, kept: tuple[str, ...] = ()) -> None:
    assert lines
    for line in lines:
        assert in_language(lang, line), line
        assert not english_words(line, kept), (line, english_words(line, kept))


# --- population files --------------------------------------------------------------------

BAD_YAML = b"""\
- id: teens
  age_min: 15
  age_max: 12
  size: many
  colour: red
- id: teens
  age_min: 12
  age_max: 14
  size: 10
  settings: [school, school]
- age_min: 12
"""
BAD_YAML_SYNTAX = b"- id: a\n  name: bad: colon\n"
DUPLICATE_KEY_YAML = b"- id: a\n  id: b\n  age_min: 1\n  age_max: 2\n  size: 3\n"
TOP_LEVEL_YAML = b"populations: 3\nextra: 1\n"
BAD_JSON_SYNTAX = b'[{"id": "a", 5}]'  # worded alike by Python 3.11 to 3.13
BAD_JSON = b'[{"id": "a", "age_min": "12", "age_max": 200, "size": 0, "risk_group": "x"}]'
BAD_CSV = b"""\
id,age_min,age_max,size,colour,,
a,12,14,100,red,,
b,12,x,0,,oops,
c,1,2,3,,,,extra
"""
UNCLOSED_CSV = b'id,age_min,age_max,size\na,1,2,"3\n'

POPULATION_FILES = {
    "pops.yaml": BAD_YAML,
    "syntax.yaml": BAD_YAML_SYNTAX,
    "duplicate.yaml": DUPLICATE_KEY_YAML,
    "top.yaml": TOP_LEVEL_YAML,
    "syntax.json": BAD_JSON_SYNTAX,
    "pops.json": BAD_JSON,
    "pops.csv": BAD_CSV,
    "unclosed.csv": UNCLOSED_CSV,
}


def _parse(name: str) -> object:
    return parse_populations_bytes(POPULATION_FILES[name], name)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(POPULATION_FILES))
def test_bad_population_files_are_described_in_the_readers_language(name: str, lang: str) -> None:
    lines = problem_lines(lambda: parse_populations_bytes(POPULATION_FILES[name], name), lang)
    assert_translated(lines, lang)
    assert all(line.startswith(f"{name}: ") for line in lines)


def test_population_places_in_russian_and_chinese() -> None:
    expected = {
        "ru": (
            "pops.csv: строка 2 (строка файла 3): поле «age_max»: ",
            "pops.csv: заголовок (строка файла 1): поле «colour»: ",
            "pops.csv: строка 2 (строка файла 3): поле «столбец 6»: ",
            "pops.yaml: элемент 1 (id teens): поле «size»: ",
            "pops.yaml: элемент 3: поле «id»: ",
            "syntax.yaml: строка 2, столбец 12: ",
            "duplicate.yaml: строка файла 2: поле «id»: ",
            "top.yaml: верхний уровень: поле «extra»: ",
        ),
        "zh": (
            "pops.csv: 第 2 行（文件第 3 行）: 字段“age_max”: ",
            "pops.csv: 表头（文件第 1 行）: 字段“colour”: ",
            "pops.csv: 第 2 行（文件第 3 行）: 字段“第 6 列”: ",
            "pops.yaml: 第 1 项（id teens）: 字段“size”: ",
            "pops.yaml: 第 3 项: 字段“id”: ",
            "syntax.yaml: 第 2 行，第 12 列: ",
            "duplicate.yaml: 文件第 2 行: 字段“id”: ",
            "top.yaml: 顶层: 字段“extra”: ",
        ),
    }
    for lang, starts in expected.items():
        lines = [
            line
            for name in ("pops.csv", "pops.yaml", "syntax.yaml", "duplicate.yaml", "top.yaml")
            for line in problem_lines(partial(_parse, name), lang)
        ]
        for start in starts:
            assert any(line.startswith(start) for line in lines), (start, lines)


def test_parser_messages_are_translated_but_english_keeps_the_parsers_words() -> None:
    def first(name: str, lang: str) -> str:
        return problem_lines(lambda: parse_populations_bytes(POPULATION_FILES[name], name), lang)[0]

    assert first("syntax.json", "en") == (
        "syntax.json: line 1, column 14: malformed JSON: "
        "Expecting property name enclosed in double quotes"
    )
    assert first("syntax.json", "ru") == (
        "syntax.json: строка 1, столбец 14: ошибка в синтаксисе JSON: "
        "здесь ожидается ключ в двойных кавычках"
    )
    assert first("syntax.yaml", "en") == (
        "syntax.yaml: line 2, column 12: malformed YAML: "
        "mapping values are not allowed in this context"
    )
    assert first("syntax.yaml", "zh").startswith("syntax.yaml: 第 2 行，第 12 列: YAML 格式错误：")


@pytest.mark.parametrize("text", [b'[{"id": "a", }]', b"[1, 2, ]"])
def test_a_trailing_comma_is_explained_in_the_readers_language(text: bytes) -> None:
    """Python 3.13 words a trailing comma in its own way; it is translated all the same."""
    (line,) = problem_lines(lambda: parse_populations_bytes(text, "x.json"), "ru")
    assert line.startswith("x.json: строка 1, столбец ")
    assert not re.search(r"[A-Za-z]{3,}", line.split(": ", 2)[2].replace("JSON", "")), line


def test_population_problems_in_english_are_unchanged() -> None:
    lines = problem_lines(lambda: parse_populations_bytes(BAD_CSV, "pops.csv"), "en")
    assert lines[0].startswith(
        "pops.csv: header (line 1): field 'colour': unknown column; expected columns from id, "
    )
    assert any(line.startswith("pops.csv: row 2 (line 3): field 'column 6': ") for line in lines)
    assert any(line.startswith("pops.csv: row 3 (line 4): ") for line in lines)
    yaml_lines = problem_lines(lambda: parse_populations_bytes(BAD_YAML, "pops.yaml"), "en")
    assert (
        "pops.yaml: item 1 (id teens): field 'age_min': is 15, greater than age_max 12; "
        "expected age_min ≤ age_max"
    ) in yaml_lines
    assert any(line.startswith("pops.yaml: item 3: field 'id': ") for line in yaml_lines)
    top = problem_lines(lambda: parse_populations_bytes(TOP_LEVEL_YAML, "top.yaml"), "en")
    assert top[0] == "top.yaml: top level: field 'extra': unknown key; expected 'populations'"


def test_the_models_own_checks_are_translated() -> None:
    record = {"id": "a", "age_min": 9, "age_max": 3, "size": 1}
    for lang, words in (("en", "is greater than"), ("ru", "больше"), ("zh", "大于")):
        with use_language(lang), pytest.raises(ValueError, match=words):
            TargetPopulation.model_validate(record)
        with use_language(lang), pytest.raises(ValidationError) as caught:
            Activity.model_validate({"id": "x", "population_id": "a"})
        message = caught.value.errors()[0]["msg"]
        assert message.startswith("Value error, ")
        if lang == "en":
            assert message.endswith("an activity must name at least one strategy or intervention")
        else:
            assert in_language(lang, message)


# --- plan files --------------------------------------------------------------------------

BAD_PLAN = b"""\
name: Plan
populations:
  - {id: pupils, age_min: 12, age_max: 14, size: 800}
  - {id: pupils, age_min: 30, age_max: 20, size: 5}
activities:
  - {id: a1, population_id: pupils, strategies: [lifeskills]}
  - {id: a1, population_id: nobody, interventions: [VI-4.9], action_items: [V-9.9]}
  - {id: a3, population_id: pupils}
  - {population_id: pupils, strategies: [life_skills], reach: -1}
tracker:
  - {action_item: V-3.5}
  - {action_item: V-3.5}
  - {action_item: V-9.9}
  - {action_item: V-3.4, status: finished}
"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bad_plan_files_are_described_in_the_readers_language(lang: str, rules: RuleSet) -> None:
    lines = problem_lines(lambda: parse_plan_bytes(BAD_PLAN, "plan.yaml", rules), lang)
    # Allowed strategy and intervention ids are quoted from the rules as they are.
    kept = (", ".join(rules.ids(Kind.STRATEGY)), ", ".join(rules.ids(Kind.INTERVENTION)))
    assert_translated(lines, lang, kept)
    assert len(lines) >= 12


def test_plan_places_in_russian_and_chinese(rules: RuleSet) -> None:
    places = {
        "ru": (
            "plan.yaml: целевая группа 2 (id pupils): поле «id»: ",
            "plan.yaml: мероприятие 1 (id a1): поле «strategies»: неизвестная стратегия "
            "«lifeskills»",
            "plan.yaml: мероприятие 2 (id a1): поле «action_items»: ",
            "plan.yaml: мероприятие 3 (id a3): ",
            "plan.yaml: мероприятие 4: поле «id»: ",
            "plan.yaml: id мероприятия a1: поле «id»: повторяющийся id мероприятия "
            "(используется в: мероприятие 1, мероприятие 2)",
            "plan.yaml: мониторинг, пункт V-3.5: поле «action_item»: ",
            "plan.yaml: мониторинг, пункт V-9.9: поле «action_item»: ",
            "plan.yaml: мониторинг, запись 4: поле «status»: ",
        ),
        "zh": (
            "plan.yaml: 第 2 个目标人群（id pupils）: 字段“id”: ",
            "plan.yaml: 第 1 项活动（id a1）: 字段“strategies”: 未知的策略“lifeskills”",
            "plan.yaml: 第 2 项活动（id a1）: 字段“action_items”: ",
            "plan.yaml: 第 3 项活动（id a3）: ",
            "plan.yaml: 第 4 项活动: 字段“id”: ",
            "plan.yaml: 活动 id a1: 字段“id”: ",
            "plan.yaml: 跟踪记录 V-3.5: 字段“action_item”: ",
            "plan.yaml: 跟踪记录 V-9.9: 字段“action_item”: ",
            "plan.yaml: 第 4 条跟踪记录: 字段“status”: ",
        ),
    }
    for lang, starts in places.items():
        lines = problem_lines(lambda: parse_plan_bytes(BAD_PLAN, "plan.yaml", rules), lang)
        for start in starts:
            assert any(line.startswith(start) for line in lines), (start, lines)


def test_plan_problems_in_english_are_unchanged(rules: RuleSet) -> None:
    lines = problem_lines(lambda: parse_plan_bytes(BAD_PLAN, "plan.yaml", rules), "en")
    accepted = ", ".join(rules.ids(Kind.STRATEGY))
    assert (
        "plan.yaml: activity 1 (id a1): field 'strategies': unknown strategy 'lifeskills'; "
        f"expected an id ({accepted}) or its clause reference"
    ) in lines
    assert (
        "plan.yaml: activity 3 (id a3): an activity must name at least one strategy or intervention"
    ) in lines
    assert (
        "plan.yaml: tracker V-3.5: field 'action_item': the same Program of Actions item is "
        "tracked more than once"
    ) in lines
    duplicates = [line for line in lines if line.startswith("plan.yaml: activity id a1: ")]
    assert duplicates == [
        "plan.yaml: activity id a1: field 'id': duplicate activity id (used by activity 1, "
        "activity 2)"
    ]
    assert (
        "plan.yaml: tracker 4: field 'status': expected one of 'not_started', 'in_progress' or "
        "'done'; got 'finished'"
    ) in lines
    assert any(line.startswith("plan.yaml: tracker V-9.9: field 'action_item': ") for line in lines)
    assert "plan.yaml: activity 4: field 'id': missing; this field is required" in lines


@pytest.fixture
def small_plan() -> Plan:
    return Plan(
        name="Plan",
        populations=(TargetPopulation(id="pupils", age_min=12, age_max=14, size=800),),
        activities=(
            Activity(
                id="a1", population_id="pupils", strategies=("life_skills",), reach=10, cost=5
            ),
        ),
        tracker=(TrackerEntry(action_item="V-3.5"),),
    )


def test_an_assessed_plan_with_unknown_references_is_described_in_words(
    small_plan: Plan, rules: RuleSet
) -> None:
    broken = small_plan.model_copy(
        update={
            "activities": (
                Activity(
                    id="a9",
                    population_id="nobody",
                    strategies=("no_such_strategy",),
                    interventions=("no_such_intervention",),
                    action_items=("V-9.9",),
                ),
            )
        }
    )
    english = problem_lines(lambda: assess(broken, rules), "en")
    assert english == [
        "Plan: activity a9: field 'population_id': unknown population 'nobody'",
        "Plan: activity a9: field 'strategies': unknown strategy id 'no_such_strategy'",
        "Plan: activity a9: field 'interventions': unknown intervention id 'no_such_intervention'",
        "Plan: activity a9: field 'action_items': unknown action_item id 'V-9.9'",
    ]
    for lang in LANGUAGES:
        lines = problem_lines(lambda: assess(broken, rules), lang)
        assert len(lines) == len(english)
        assert_translated(lines, lang, ("Plan",))


def test_the_activities_table_finds_the_row_of_each_problem_in_any_language(
    small_plan: Plan, rules: RuleSet
) -> None:
    records: list[dict[str, Any]] = [
        {"id": "a1", "population_id": "pupils", "strategies": ["life_skills"]},
        {"id": "a2", "population_id": "nobody", "strategies": ["life_skills"]},
        {"population_id": "pupils"},
    ]
    for lang in ("en", *LANGUAGES):
        with use_language(lang):
            result = apply_table(small_plan, records, rules)
            lines = [str(p) for p in result.problems]
        assert result.plan is None
        assert set(result.rows) == {2, 3}, (lang, result.rows)
        if lang != "en":
            assert_translated(lines, lang)


def test_skipped_ids_of_a_merge_are_named_in_the_readers_language(small_plan: Plan) -> None:
    assert plans.merge(small_plan, small_plan)[1] == ["population pupils", "activity a1"]
    with use_language("ru"):
        assert plans.merge(small_plan, small_plan)[1] == [
            "целевая группа pupils",
            "мероприятие a1",
        ]
    with use_language("zh"):
        assert plans.merge(small_plan, small_plan)[1] == ["目标人群 pupils", "活动 a1"]


def test_recommended_activities_are_named_in_the_planners_language(rules: RuleSet) -> None:
    population = TargetPopulation(id="pupils", name="Школьники", age_min=12, age_max=14, size=9)
    for lang in ("en", *LANGUAGES):
        with use_language(lang):
            activities = activities_from_recommendation(
                population, recommend(population, rules), rules
            )
        assert activities
        for activity in activities:
            assert activity.name.endswith("Школьники")
            label = activity.name.removesuffix("Школьники").rstrip(" —")
            if lang == "en":
                assert not in_language("ru", label), activity.name
            else:
                assert in_language(lang, label), activity.name


def test_annex_v_status_words_are_translated_and_the_keys_stay() -> None:
    assert (status_label(SERVED), status_label(NOT_SERVED)) == ("Served by the plan", "Not served")
    for lang in LANGUAGES:
        with use_language(lang):
            assert in_language(lang, status_label(SERVED) + status_label(NOT_SERVED))
    assert (SERVED, NOT_SERVED) == ("served", "not served")


# --- the plan store ----------------------------------------------------------------------


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'plans.db'}"


def storage_messages(database_url: str, rules: RuleSet, small_plan: Plan) -> list[str]:
    """The message of every storage failure a planner can meet, in the current language."""
    messages: list[str] = []
    with store_from_url(database_url, rules=rules) as store:
        store.save(small_plan, author="Айгерим", base_version=None)
        store.save(small_plan, author="Li Wei", base_version=1)
        for attempt in (
            lambda: store.save(small_plan, author="Бахтияр", base_version=None),
            lambda: store.save(small_plan, author="Бахтияр", base_version=1),
            lambda: store.load("Plan", 7),
            lambda: store.versions("Nothing"),
            lambda: store.save(small_plan, author=" ", base_version=2),
        ):
            with pytest.raises((StorageError, ValueError)) as caught:
                attempt()
            messages.append(str(caught.value))
        store.delete("Plan")
        with pytest.raises(ConflictError) as conflict:
            store.save(small_plan, author="Бахтияр", base_version=2)
        messages.append(str(conflict.value))
    with (
        pytest.raises(StorageError) as caught,
        storage_errors(_("listing plans"), sa.make_url(database_url)),
    ):
        raise sa.exc.SQLAlchemyError("disk I/O error")
    messages.append(str(caught.value))
    for url in ("not a url", "mysql://u@host/db"):
        with pytest.raises(StorageError) as bad:
            store_from_url(url)
        messages.append(str(bad.value))
    return messages


def test_storage_failures_in_english_are_unchanged(
    database_url: str, rules: RuleSet, small_plan: Plan
) -> None:
    messages = storage_messages(database_url, rules, small_plan)
    assert messages[:6] == [
        "a plan named 'Plan' already exists (version 2, saved by Li Wei); open it or choose "
        "another name",
        "plan 'Plan' was changed by Li Wei (now version 2) after version 1 was opened; your "
        "changes were not saved",
        "no version 7 of plan 'Plan' is stored",
        "no plan 'Nothing' is stored",
        "every saved version needs an author",
        "plan 'Plan' was deleted after version 2 was opened",
    ]
    assert messages[6] == "listing plans failed: disk I/O error"
    assert messages[7].startswith("invalid database URL 'not a url'; expected for example ")
    assert messages[8].startswith("unsupported database 'mysql' in ")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_storage_failures_are_explained_in_the_readers_language(
    lang: str, database_url: str, rules: RuleSet, small_plan: Plan
) -> None:
    with use_language(lang):
        messages = storage_messages(database_url, rules, small_plan)
    assert len(messages) == 9
    # "disk I/O error" is the driver's own text; "Li Wei" and "Plan" are the planner's words.
    assert_translated(messages, lang, ("disk I/O error", "Li Wei", "SQLite", "PostgreSQL"))


@pytest.mark.parametrize("lang", ("en", *LANGUAGES))
def test_a_restore_records_its_comment_in_the_restorers_language(
    lang: str, database_url: str, rules: RuleSet, small_plan: Plan
) -> None:
    with store_from_url(database_url, rules=rules) as store:
        store.save(small_plan, author="a", base_version=None)
        store.save(small_plan.model_copy(update={"country": "KZ"}), author="a", base_version=1)
        with use_language(lang):
            info = store.restore("Plan", 1, author="b")
        assert store.versions("Plan")[-1].comment == info.comment
    if lang == "en":
        assert info.comment == "restored version 1"
    else:
        assert in_language(lang, info.comment) and "1" in info.comment


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_database_from_a_newer_prevplan_is_refused_in_the_readers_language(
    lang: str, database_url: str
) -> None:
    with store_from_url(database_url) as store, store._engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0999'"))
    with use_language(lang), pytest.raises(StorageError) as caught:
        store_from_url(database_url)
    message = str(caught.value)
    assert "0999" in message
    assert_translated([message], lang, ("prevplan",))


def test_a_stored_plan_that_no_longer_validates_names_it_in_the_readers_language(
    database_url: str, rules: RuleSet, small_plan: Plan
) -> None:
    with store_from_url(database_url, rules=rules) as store:
        store.save(small_plan, author="a", base_version=None)
        with store._engine.begin() as conn:
            data = plan_to_data(small_plan)
            data["activities"][0]["strategies"] = ["retired_strategy"]
            conn.execute(sa.text("UPDATE plan_versions SET data = :d"), {"d": json.dumps(data)})
        english = problem_lines(lambda: store.load("Plan", 1), "en")
        assert english[0].startswith("stored plan 'Plan' version 1: activity 1 (id a1): ")
        for lang in LANGUAGES:
            lines = problem_lines(lambda: store.load("Plan", 1), lang)
            kept = (", ".join(rules.ids(Kind.STRATEGY)),)
            assert_translated(lines, lang, kept)


def test_a_problem_without_a_file_names_the_input_in_the_readers_language() -> None:
    problem = Problem("", "", "", "x")
    assert str(problem) == "<input>: x"
    with use_language("ru"):
        assert str(problem) == "<входные данные>: x"


def test_plan_from_data_reports_a_nameless_plan_in_the_readers_language(rules: RuleSet) -> None:
    lines = problem_lines(lambda: plan_from_data({"name": ""}, "form", rules), "en")
    assert lines[0].startswith("form: plan: field 'name': ")
    with use_language("zh"):
        zh = problem_lines(lambda: plan_from_data({"name": ""}, "form", rules), "zh")
    assert zh[0].startswith("form: 计划: 字段“name”: ")
