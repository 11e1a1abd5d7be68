"""Loading the rules prepares the engine: its first recommendation builds no index
(issue #11's performance budget: one ``recommend()`` under 2 ms after the rules are loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from prevplan.catalogue.loader import LOCAL_ENV
from prevplan.engine.options import index_for
from prevplan.engine.profile import tables_for
from prevplan.engine.recommend import recommend
from prevplan.problems import ProblemsError
from prevplan.rules import load_rules
from tests.plans import district_populations
from tests.rule_files import copy_rules


def test_loading_rules_builds_the_engine_indexes(tmp_path: Path) -> None:
    rules = load_rules(copy_rules(tmp_path))  # a rule set no test loaded before
    indexes, tables = index_for.cache_info(), tables_for.cache_info()
    index_for(rules)
    tables_for(rules)
    assert index_for.cache_info().hits == indexes.hits + 1
    assert index_for.cache_info().misses == indexes.misses
    assert tables_for.cache_info().misses == tables.misses


def test_a_faulty_catalogue_is_reported_by_the_recommendation_not_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "ours.yaml"
    local.write_text("programmes: [", encoding="utf-8")
    monkeypatch.setenv(LOCAL_ENV, str(local))
    rules = load_rules(copy_rules(tmp_path))
    with pytest.raises(ProblemsError) as raised:
        recommend(district_populations()[0], rules)
    assert any("ours.yaml" in p.file for p in raised.value.problems)
