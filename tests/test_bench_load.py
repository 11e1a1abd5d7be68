"""The load benchmark driving a server that is already running (``--server URL``): it finds
the app's process when the server is on this machine, and only then reads its CPU."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import free_port

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_load  # noqa: E402

# A listener whose command line names it (as ``streamlit run …`` does), or not (an SSH
# tunnel's end, a proxy): the benchmark must take only the first for the app.
LISTEN = (
    "import socket, sys, time; s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1]))); "
    "s.listen(); time.sleep(60)"
)


def listener(port: int, name: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", LISTEN, str(port), name])
    deadline = time.monotonic() + 20
    while not bench_load.listening_sockets(port):
        assert time.monotonic() < deadline, "the listener did not start"
        time.sleep(0.05)
    return process


@pytest.fixture
def port() -> Iterator[int]:
    yield free_port()


def test_the_app_process_on_this_machine_is_found_by_its_port(port: int) -> None:
    process = listener(port, "streamlit")
    try:
        pid = bench_load.listening_pid(f"http://127.0.0.1:{port}")
        assert pid == process.pid
        server = bench_load.Server(f"http://127.0.0.1:{port}", pid)
        assert bench_load.server_cpu(server) >= 0
    finally:
        process.kill()
        process.wait()


def test_a_tunnel_or_another_machine_gives_no_cpu(port: int) -> None:
    process = listener(port, "ssh-tunnel")
    try:
        assert bench_load.listening_pid(f"http://127.0.0.1:{port}") is None
    finally:
        process.kill()
        process.wait()
    assert bench_load.listening_pid("http://192.0.2.7:8501") is None  # TEST-NET: elsewhere
    elsewhere = bench_load.Server("http://192.0.2.7:8501", None)
    cpu = bench_load.server_cpu(elsewhere)
    assert cpu != cpu  # NaN: not read
    assert bench_load.ms(cpu).strip() == "n/a"
    assert bench_load.ms(0.0421).strip() == "42 ms"


def test_help_says_how_to_drive_a_server_elsewhere() -> None:
    shown = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_load.py"), "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "--server URL" in shown
    assert "ssh -N -L" in shown
    assert "only when the server runs on the machine" in " ".join(shown.split())
