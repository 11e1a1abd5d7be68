"""Broken rule files get precise messages, and every problem is reported at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from prevplan.cli import main
from prevplan.problems import ProblemsError
from prevplan.rules.loader import load_rules_uncached
from tests.rule_files import copy_rules, edit


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    return copy_rules(tmp_path)


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        load_rules_uncached(directory)
    return [str(p) for p in caught.value.problems]


def typo_field(d: Path) -> None:
    edit(d / "entities.yaml", "description:", "descripton:")


def unknown_clause(d: Path) -> None:
    rel = sorted((d / "relations").glob("strategy_level.yaml"))[0]
    text = rel.read_text(encoding="utf-8")
    rel.write_text(text.replace("VI-3.2.1#p4", "VI-9.9.9", 1), encoding="utf-8")


def duplicate_id(d: Path) -> None:
    edit(d / "warnings.yaml", "code: single_strategy", "code: information_only")


def dangling_reference(d: Path) -> None:
    edit(d / "relations" / "risk_group_level.yaml", "object: tertiary", "object: quaternary")


def malformed_yaml(d: Path) -> None:
    path = d / "evidence.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")


def duplicate_key(d: Path) -> None:
    """A second ``max_fundamental`` in one mapping: with a plain YAML loader it would silently
    win and shrink every recommended mix."""
    edit(
        d / "prioritisation.yaml",
        "  max_fundamental: 3\n",
        "  max_fundamental: 3\n  max_fundamental: 1\n",
    )


def alias_bomb(d: Path) -> None:
    levels = ['&a ["x","x","x","x","x","x","x","x","x"]']
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        levels.append(f"&{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = d / "evidence.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "bomb: [" + ", ".join(levels) + "]\n")


CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "duplicate key": (duplicate_key, ["prioritisation.yaml", "max_fundamental", "appears twice"]),
    "alias bomb": (alias_bomb, ["evidence.yaml", "aliases (*name)"]),
    "typo'd field": (typo_field, ["entities.yaml", "descripton", "unknown field"]),
    "unknown clause": (unknown_clause, ["strategy_level.yaml", "sources", "VI-9.9.9"]),
    "duplicate id": (duplicate_id, ["warnings.yaml", "information_only", "duplicate"]),
    "dangling reference": (
        dangling_reference,
        ["risk_group_level.yaml", "object", "unknown level 'quaternary'"],
    ),
    "malformed YAML": (malformed_yaml, ["evidence.yaml", "line", "malformed YAML"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_fault_gets_a_precise_message(rules_copy: Path, case: str) -> None:
    """The message names the file, the item, the field and what was expected."""
    breaker, expected = CASES[case]
    breaker(rules_copy)
    messages = problems_of(rules_copy)
    assert any(all(part in m for part in expected) for m in messages), messages


def test_several_faults_are_all_reported(rules_copy: Path) -> None:
    """Not just the first: a typo, a dangling reference and an unknown clause together."""
    typo_field(rules_copy)
    malformed_yaml(rules_copy)
    messages = problems_of(rules_copy)
    assert any("descripton" in m for m in messages)
    assert any("malformed YAML" in m for m in messages)


def test_several_cross_file_faults_are_all_reported(rules_copy: Path) -> None:
    unknown_clause(rules_copy)
    dangling_reference(rules_copy)
    duplicate_id(rules_copy)
    messages = problems_of(rules_copy)
    assert sum("VI-9.9.9" in m for m in messages) >= 1
    assert any("quaternary" in m for m in messages)
    assert any("duplicate" in m for m in messages)


def test_rules_check_exits_2_listing_problems_without_traceback(
    rules_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo_field(rules_copy)
    malformed_yaml(rules_copy)
    code = main(["rules", "check", "--rules", str(rules_copy)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert "descripton" in err and "evidence.yaml" in err
    assert "problems found" in err


def test_rules_check_on_shipped_rules_prints_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    for word in ("strategies", "interventions", "action items", "relations stated"):
        assert word in out
