"""Running prevplan as a user does, bounded: a subprocess with a memory and time limit,
whose exit code, messages, wall time and peak memory the hostile-case tests check.

The cases are made by the tests themselves (small generators), never committed as files.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ADDRESS_SPACE_LIMIT = 3 << 30
"""The most memory (address space) a bounded run may map: a run that needs more fails."""

REFUSAL_SECONDS = 1.0
"""CPU seconds of a refusal of bad input or a bad --output, after prevplan is imported."""
REFUSAL_MB = 200
"""Peak resident memory of a refusing run, interpreter and imports included."""


@dataclass(frozen=True)
class Run:
    code: int
    stdout: bytes
    stderr: str
    seconds: float
    peak_mb: float

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def _limits(fsize: int | None, limit_memory: bool) -> None:
    if limit_memory:  # not for Chromium (the PDF's charts): it reserves far more
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))
    if fsize is not None:
        # A "full disk": writes past fsize bytes fail with EFBIG instead of killing the run.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))


def run_prevplan(
    *args: str,
    env: Mapping[str, str] | None = None,
    stdout: int | None = None,
    timeout: float = 120,
    fsize: int | None = None,
    limit_memory: bool = True,
) -> Run:
    """``prevplan ARGS`` in a bounded subprocess; its own time and peak memory measured.

    The time is the child's CPU time (user + system) from the start of ``main``: the
    interpreter's start-up is left out, and so is waiting for a CPU on a loaded machine (the
    tests share two cores with everything else), so the budget means the same every run.
    """
    full_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
    program = (
        "import sys, resource\n"
        "from prevplan.cli import main\n"
        "def cpu():\n"
        "    used = resource.getrusage(resource.RUSAGE_SELF)\n"
        "    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec (pytest's own size).\n"
        "    with open('/proc/self/status') as status:\n"
        "        peak = [int(line.split()[1]) for line in status if line.startswith('VmHWM')]\n"
        "    return used.ru_utime + used.ru_stime, peak[0]\n"
        "start = cpu()[0]\n"
        "try:\n    code = main(sys.argv[1:])\n"
        "finally:\n"
        "    spent, peak = cpu()\n"
        "    sys.stderr.write('\\n#clock %f %d\\n' % (spent - start, peak))\n"
        "sys.exit(code)\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        timeout=timeout,
        preexec_fn=lambda: _limits(fsize, limit_memory),
        check=False,
    )
    wall = time.perf_counter() - started
    stderr = done.stderr.decode("utf-8", errors="replace")
    seconds, peak_mb = wall, 0.0
    kept = []
    for line in stderr.splitlines():
        if line.startswith("#clock "):
            _tag, clock, rss = line.split()
            seconds, peak_mb = float(clock), int(rss) / 1024
        else:
            kept.append(line)
    return Run(done.returncode, done.stdout or b"", "\n".join(kept), seconds, peak_mb)


def assert_refused(run: Run, *needles: str, code: int = 2) -> None:
    """Exit ``code``, no traceback, every needle in the messages, within the budget."""
    assert run.code == code, (run.code, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    for needle in needles:
        assert needle in run.stderr, (needle, run.stderr)
    assert run.seconds < REFUSAL_SECONDS, f"refused after {run.seconds:.2f} s"
    assert run.peak_mb < REFUSAL_MB, f"refused at {run.peak_mb:.0f} MB"
