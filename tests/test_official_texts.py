"""Official Russian and Chinese texts the user drops beside the rules (``concept_rules/official/``).

Without such a file prevplan quotes its own unofficial translation; with one, the official
text is quoted instead, marked "official text" with its source, in the concept explorer and
the PDF report. A reference the rules do not cite is a load error naming the file and key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from prevplan.i18n import use_language
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.loader import load_rules_uncached
from prevplan.ui import concept
from tests.rule_files import copy_rules

SOURCE = "Официальный текст: Концепция ШОС, утверждена в Циндао 10 июня 2018 г. (тест)"


def with_official(tmp_path: Path, lang: str, data: dict[str, object]) -> Path:
    rules_dir = copy_rules(tmp_path)
    folder = rules_dir / "official"
    folder.mkdir(exist_ok=True)
    (folder / f"{lang}.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return rules_dir


def test_without_official_texts_prevplan_quotes_its_own_translation(rules: RuleSet) -> None:
    assert not rules.files.official
    assert rules.official_text("VI-3.1.1", "ru") is None
    assert rules.official_text("VI-3.1.1", "zh") is None


def test_official_texts_are_found_by_reference_and_language(tmp_path: Path) -> None:
    rules_dir = with_official(
        tmp_path,
        "ru",
        {
            "language": "ru",
            "source": SOURCE,
            "texts": {
                "VI-3.1.1": "Официальный текст пункта о работе с родителями.",
                "VI-2.1#p4": {"text": "Официальный абзац.", "source": "Другой источник"},
            },
        },
    )
    rules = load_rules_uncached(rules_dir)
    found = rules.official_text("VI-3.1.1", "ru")
    assert found is not None
    assert (found.text, found.source, found.lang) == (
        "Официальный текст пункта о работе с родителями.",
        SOURCE,
        "ru",
    )
    paragraph = rules.official_text("VI-2.1#p4", "ru")
    assert paragraph is not None and paragraph.source == "Другой источник"
    # Other languages, English and references not given keep prevplan's own texts.
    assert rules.official_text("VI-3.1.1", "zh") is None
    assert rules.official_text("VI-3.1.1", "en") is None
    assert rules.official_text("VI-3.1.2", "ru") is None
    assert rules.ref_text_in("VI-3.1.2", "ru") == load_rules().ref_text_in("VI-3.1.2", "ru")


def test_the_concept_explorer_quotes_the_official_text_marked_as_such(tmp_path: Path) -> None:
    base = load_rules()
    with use_language("ru"):
        level = base.levels[concept.level_items(base)[0].id]
    ref = level.information_mode
    rules_dir = with_official(
        tmp_path,
        "ru",
        {"language": "ru", "source": SOURCE, "texts": {ref: "ОФИЦИАЛЬНЫЙ ТЕКСТ ПУНКТА."}},
    )
    rules = load_rules_uncached(rules_dir)
    with use_language("ru"):
        items = concept.level_items(rules)
    facts = dict(items[0].facts)
    inform = next(v for k, v in facts.items() if k.startswith("Как информировать"))
    assert inform.startswith(f"«{rules.ref_text(ref)}»")
    assert "ОФИЦИАЛЬНЫЙ ТЕКСТ ПУНКТА." in inform
    assert "официальный текст" in inform and SOURCE in inform
    assert "неофициальный перевод prevplan" not in inform


@pytest.mark.parametrize(
    ("data", "key", "expected"),
    [
        (
            {"language": "ru", "source": SOURCE, "texts": {"VI-9.9.9": "текст"}},
            "VI-9.9.9",
            "неизвестная ссылка на положение «VI-9.9.9»",
        ),
        (
            {"language": "zh", "source": SOURCE, "texts": {"VI-3.1.1": "текст"}},
            "",
            "ожидается «ru» (по имени файла), указано «zh»",
        ),
    ],
)
def test_a_faulty_official_file_is_a_load_error_naming_file_and_key(
    tmp_path: Path, data: dict[str, object], key: str, expected: str
) -> None:
    rules_dir = with_official(tmp_path, "ru", data)
    with use_language("ru"), pytest.raises(ProblemsError) as raised:
        load_rules_uncached(rules_dir)
    (problem,) = raised.value.problems
    assert problem.file.endswith("official/ru.yaml")
    assert problem.where == key
    assert expected in problem.message, problem.message


def test_an_unknown_field_of_an_official_file_is_named(tmp_path: Path) -> None:
    rules_dir = with_official(
        tmp_path, "zh", {"language": "zh", "source": SOURCE, "texts": {"V-3.5": "文本"}, "x": 1}
    )
    with pytest.raises(ProblemsError) as raised:
        load_rules_uncached(rules_dir)
    assert any(
        p.file.endswith("official/zh.yaml") and "x" in str(p) for p in raised.value.problems
    ), raised.value.problems


def test_the_pdf_quotes_official_texts_with_their_source(tmp_path: Path) -> None:
    from tests.test_export import pdf_text, report_in, require_poppler, small_plan

    base = load_rules()
    texts = {ref: f"ОФИЦИАЛЬНО {ref}" for ref in (*base.clauses, *base.action_items)}
    rules_dir = with_official(tmp_path, "ru", {"language": "ru", "source": SOURCE, "texts": texts})
    rules = load_rules_uncached(rules_dir)
    path = report_in(small_plan(), rules, "ru", tmp_path)
    require_poppler()
    text = pdf_text(path)
    assert "ОФИЦИАЛЬНО VI-" in text
    assert "Официальный текст: Официальный текст: Концепция ШОС" in text
