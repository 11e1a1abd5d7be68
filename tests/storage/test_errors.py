"""A bad database URL or an unreachable server gives a one-line StorageError."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from prevplan.storage import StorageError, store_from_url


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def message(url: str) -> str:
    with pytest.raises(StorageError) as caught:
        store_from_url(url)
    text = str(caught.value)
    assert "\n" not in text
    assert "Traceback" not in text
    assert "sqlalche.me" not in text
    return text


def test_a_malformed_url_is_named_with_examples() -> None:
    text = message("not a database url")
    assert "invalid database URL 'not a database url'" in text
    assert "postgresql+psycopg://" in text


def test_an_unsupported_database_is_refused_without_showing_the_password() -> None:
    text = message("mysql://planner:s3cret@db.example/prevplan")
    assert "unsupported database 'mysql'" in text
    assert "s3cret" not in text


@pytest.mark.parametrize("scheme", ["postgresql+psycopg", "postgresql"])
def test_an_unreachable_server_is_reported_without_the_password(scheme: str) -> None:
    port = closed_port()
    text = message(f"{scheme}://planner:s3cret@127.0.0.1:{port}/prevplan")
    assert text.startswith("cannot connect to the database postgresql+psycopg://planner:***@")
    assert f"127.0.0.1:{port}" in text
    assert "s3cret" not in text


def test_a_database_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    text = message(f"sqlite:///{blocker / 'sub' / 'prevplan.db'}")
    assert "cannot create the folder" in text


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    not_db = tmp_path / "notes.db"
    not_db.write_text("these are my notes, not a database " * 100)
    text = message(f"sqlite:///{not_db}")
    assert "notes.db" in text
    assert "not a database" in text
