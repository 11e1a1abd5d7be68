"""``prevplan rules show REF`` and ``concept_rules/INDEX.md``: from a clause to every rule that
rests on it, from an entity to the clauses it rests on, in one step (issue #11).

The expectations are read from the rule files themselves, so the tests hold whatever the rules
say, and fail if the look-up misses or invents a rule.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from prevplan.cli import main
from prevplan.rules import RuleSet, default_rules_dir
from prevplan.rules.lookup import CitingKind, clause_base, look_up, rests_on, suggestions
from prevplan.rules.models import Kind
from prevplan.vocab import Basis
from tests.test_official_texts import with_official

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_rules_index", ROOT / "scripts" / "build_rules_index.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_rules_index", module)
    spec.loader.exec_module(module)
    return module


def test_a_clause_finds_every_relation_that_cites_it_or_one_of_its_parts(rules: RuleSet) -> None:
    expected = {
        (link.subject, link.object)
        for link in rules.links
        if any(clause_base(ref) == "VI-3.1.1" for ref in link.relation.sources)
    }
    found = look_up(rules, "VI-3.1.1")
    assert found is not None and found.clause == "VI-3.1.1"
    got = {
        (c.link.subject, c.link.object)
        for c in found.citing
        if c.kind is CitingKind.RELATION and c.link is not None
    }
    assert got == expected and expected
    entities = {c.item for c in found.citing if c.kind is CitingKind.ENTITY}
    assert "work_with_parents" in entities


def test_a_part_finds_the_rules_citing_it_or_the_whole_clause_but_not_other_parts(
    rules: RuleSet,
) -> None:
    found = look_up(rules, "VI-4.3.2#3")
    assert found is not None and found.clause == "VI-4.3.2"
    for citing in found.citing:
        assert {"VI-4.3.2", "VI-4.3.2#3"} & set(citing.cites), citing


def test_warnings_and_ranking_rules_are_found_from_their_clauses(rules: RuleSet) -> None:
    warning = next(iter(rules.warning_definitions.values()))
    found = look_up(rules, clause_base(warning.sources[0]))
    assert found is not None
    assert warning.code in {c.item for c in found.citing if c.kind is CitingKind.WARNING}
    selection = clause_base(rules.files.prioritisation.selection.sources[0])
    found = look_up(rules, selection)
    assert found is not None
    assert "selection" in {c.item for c in found.citing if c.kind is CitingKind.PRIORITISATION}


def test_an_entity_finds_its_relations_and_the_clauses_they_rest_on(rules: RuleSet) -> None:
    found = look_up(rules, "work_with_parents")
    assert found is not None and found.kinds == (Kind.STRATEGY,) and found.clause is None
    expected = [
        link
        for link in rules.links
        if "work_with_parents" in (link.subject, link.object)
        and Kind.STRATEGY in (link.subject_kind, link.object_kind)
    ]
    assert sorted(map(id, found.links)) == sorted(map(id, expected))
    clauses = rests_on(rules, Kind.STRATEGY, "work_with_parents")
    assert clauses[:2] == ("VI-3.1.1", "VI-3.1")
    assert all(ref in clauses for link in expected for ref in link.relation.sources)


def test_an_id_of_two_kinds_is_shown_as_both(rules: RuleSet) -> None:
    found = look_up(rules, "family")
    assert found is not None
    assert found.kinds == (Kind.SETTING, Kind.RISK_FACTOR)


def test_an_unknown_reference_is_none_with_the_closest_known_ones(rules: RuleSet) -> None:
    assert look_up(rules, "work_with_parent") is None
    assert look_up(rules, "VI-9.9") is None
    assert suggestions(rules, "work_with_parent")[0] == "work_with_parents"
    assert "VI-3.1.1" in suggestions(rules, "vi-3.1.1")


def test_the_command_prints_the_clause_its_rules_and_what_prevplan_infers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["rules", "show", "VI-3.1.1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("VI-3.1.1 — ")
    # Inferred since the review found VI-3.1.1 assigns no level (rec12 relabelled it).
    assert "strategy_level: Work with parents → Universal prevention (Inferred by prevplan" in out
    assert "Inferred by prevplan" in out and "Why: " in out


def test_the_command_shows_an_entity_and_the_reverse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "work_with_parents"]) == 0
    out = capsys.readouterr().out
    assert "Strategy work_with_parents — Work with parents" in out
    assert "→ Prevention level universal — Universal prevention" in out
    assert "← Intervention family_bonding_programmes" in out
    assert "Rests on " in out and "  VI-3.1.1 — " in out


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ("Сказано в тексте", "неофициальный перевод prevplan", "Работа с родителями")),
        (
            "zh",
            (
                "prevplan",
                "“",
            ),
        ),
    ],
)
def test_the_command_speaks_the_language(
    lang: str, words: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", lang, "rules", "show", "VI-3.1.1"]) == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out
    assert "What rests on" not in out and "weight " not in out


def test_an_unknown_reference_exits_2_and_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "show", "work_with_parent"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Unknown clause or entity: 'work_with_parent'." in captured.err
    assert "Did you mean: work_with_parents?" in captured.err


def test_the_committed_index_is_what_the_script_writes(rules: RuleSet) -> None:
    committed = (default_rules_dir() / "INDEX.md").read_text(encoding="utf-8")
    assert committed == _script().render(rules), (
        "concept_rules/INDEX.md is out of date: run `uv run python scripts/build_rules_index.py`"
    )


def test_the_index_counts_stated_and_inferred_relations(rules: RuleSet) -> None:
    stated = sum(1 for link in rules.links if link.relation.basis is Basis.STATED)
    text = _script().render(rules)
    assert f"{len(rules.links)} relations: **{stated} stated** by the text" in text
    assert "| `VI-3.1.1` | " in text and "| `work_with_parents` | " in text


def test_an_official_text_is_quoted_instead_of_prevplans_translation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    official = "Официальный текст пункта о работе с родителями."
    rules_dir = with_official(
        tmp_path,
        "ru",
        {"language": "ru", "source": "Источник (тест)", "texts": {"VI-3.1.1": official}},
    )
    assert main(["--lang", "ru", "rules", "show", "VI-3.1.1", "--rules", str(rules_dir)]) == 0
    out = capsys.readouterr().out
    assert f"«{official}» (официальный текст, Источник (тест))" in out
    assert "неофициальный перевод prevplan" not in out
