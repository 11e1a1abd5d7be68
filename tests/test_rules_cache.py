"""The cache of parsed rule files: never stale, strict as the parser, private, optional."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from prevplan.problems import ProblemsError
from prevplan.rules import parsed_cache
from prevplan.rules.loader import default_rules_dir, load_rules_uncached
from prevplan.rules.parsed_cache import parsed_yaml


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREVPLAN_RULES_CACHE", raising=False)
    return tmp_path / "home" / "cache" / "rules"


def test_a_clean_file_is_kept_privately_and_served_again(home: Path) -> None:
    text = "items:\n  - id: a\n    weight: 2\n"
    assert parsed_yaml(text, "f.yaml") == ({"items": [{"id": "a", "weight": 2}]}, [])
    kept = list(home.glob("*.json"))
    assert len(kept) == 1
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600
    # Served from the cache: what it holds is what comes back.
    kept[0].write_text(kept[0].read_text().replace('"weight": 2', '"weight": 3'))
    assert parsed_yaml(text, "f.yaml") == ({"items": [{"id": "a", "weight": 3}]}, [])


def test_changed_text_is_parsed_again(home: Path) -> None:
    assert parsed_yaml("a: 1\n", "f.yaml") == ({"a": 1}, [])
    assert parsed_yaml("a: 2\n", "f.yaml") == ({"a": 2}, [])


def test_duplicate_keys_are_reported_every_time_and_never_kept(home: Path) -> None:
    text = "a: 1\nb: 2\na: 3\n"
    for _ in range(2):
        _data, duplicates = parsed_yaml(text, "f.yaml")
        assert [d.field for d in duplicates] == ["a"]
    assert not list(home.glob("*.json"))


def test_data_json_would_change_is_not_kept(home: Path) -> None:
    assert parsed_yaml("1: one\nwhen: 2024-01-02\n", "f.yaml")[1] == []
    assert not list(home.glob("*.json"))


def test_a_damaged_or_shared_cache_is_ignored(home: Path) -> None:
    parsed_yaml("a: 1\n", "f.yaml")
    (kept,) = home.glob("*.json")
    kept.write_text("{not json")
    assert parsed_yaml("a: 1\n", "f.yaml") == ({"a": 1}, [])
    kept.write_text('{"key": "another", "data": {"a": 9}}')
    assert parsed_yaml("a: 1\n", "f.yaml") == ({"a": 1}, [])
    parsed_yaml("b: 1\n", "f.yaml")
    for path in home.glob("*.json"):
        if "b" in path.read_text():
            path.write_text(path.read_text().replace('"b": 1', '"b": 5'))
            os.chmod(path, 0o644)  # readable by others: not trusted
    assert parsed_yaml("b: 1\n", "f.yaml") == ({"b": 1}, [])


def test_an_unwritable_home_falls_back_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PREVPLAN_HOME", str(blocker))
    assert parsed_yaml("a: 1\n", "f.yaml") == ({"a": 1}, [])


def test_it_can_be_turned_off(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREVPLAN_RULES_CACHE", "off")
    assert parsed_cache.cache_dir() is None
    assert parsed_yaml("a: 1\n", "f.yaml") == ({"a": 1}, [])
    assert not home.exists()


def test_rules_load_the_same_with_and_without_the_cache(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = default_rules_dir()
    first = load_rules_uncached(directory)  # parses and fills the cache
    assert list(home.glob("*.json"))
    cached = load_rules_uncached(directory)
    monkeypatch.setenv("PREVPLAN_RULES_CACHE", "off")
    parsed = load_rules_uncached(directory)
    for rules in (cached, parsed):
        assert rules.files == first.files


def test_an_edited_rule_file_with_a_duplicate_key_is_refused_after_caching(
    home: Path, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), copy)
    load_rules_uncached(copy)  # every file cached
    path = copy / "warnings.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "warnings: []\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as raised:
        load_rules_uncached(copy)
    assert any("warnings.yaml" in p.file and p.field == "warnings" for p in raised.value.problems)
