"""Fixtures for the app's AppTests: a fresh data folder per test and a running app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import APP, assert_clean


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty prevplan data folder (SQLite) for this test only."""
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path))
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("PREVPLAN_LANG", raising=False)
    return tmp_path


@pytest.fixture
def at(home: Path) -> Iterator[AppTest]:
    """The app after its first run: the sample plan seeded into the store and opened."""
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    assert_clean(app)
    yield app
