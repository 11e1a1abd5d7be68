"""Helpers the test suites (and the app benchmark) share: a free local port, and what to do
when a tool a test needs is missing."""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unavailable(reason: str, under_ci: str) -> NoReturn:
    """Skip a test whose tool is missing (``reason``); under ``CI=true`` fail with
    ``under_ci`` instead: CI must test the real thing."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(under_ci, pytrace=False)
    pytest.skip(reason)


@contextmanager
def sqlite_file(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a SQLite file that commits on success and is always closed.

    ``with sqlite3.connect(path) as conn`` only commits: the connection stays open until the
    garbage collector finds it, which Python 3.13 reports as an unraisable ResourceWarning.
    """
    conn = sqlite3.connect(path)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def spin(cpu_seconds: float) -> float:
    """Use this much processor time, then return it (work stuck on a hostile input); for
    worker-process tests, so importable by name."""
    import time

    start = time.process_time()
    while time.process_time() - start < cpu_seconds:
        pass
    return cpu_seconds


def die() -> None:
    """End this process at once, as the kernel's out-of-memory killer would."""
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
