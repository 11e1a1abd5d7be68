"""Shared fixtures: the shipped rules, loaded once."""

from __future__ import annotations

import pytest

from prevplan.rules import RuleSet, load_rules


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()
