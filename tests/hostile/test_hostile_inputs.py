"""Hostile input files are refused fast, small and clearly, by the CLI and the app's uploaders.

Issue #19: no input may freeze, crash or poison the app. Every case of
:mod:`tests.hostile.inputs_corpus` is run in a subprocess under ``resource`` limits (address
space and CPU time, so a regression is stopped by the limit, not by the machine), through
``prevplan recommend``/``assess`` and, where the app reads such a file, through the function
its uploader calls. Each run must:

- end with exit code 2 (the app: a :class:`~prevplan.problems.ProblemsError`), one line per
  problem, the expected words in it, and no traceback;
- cost under 1 s and under 200 MB beyond what prevplan holds once warmed up (the budget of
  the issue; benchmarks/bench_hostile.py prints the figures);
- say something short: no message line is longer than 400 characters, whatever the file
  holds (error texts never enumerate unbounded data).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.hostile.inputs_corpus import CASES, Case, write_all

ROOT = Path(__file__).resolve().parents[2]
SECONDS: float = 1.0
"""Most time a refusal may take (after warm-up)."""
GROWN_MB: float = 200.0
"""Most memory a refusal may add (after warm-up)."""
ADDRESS_SPACE: int = 3 * 1024**3
"""The subprocess's hard limit: far above the budget, far below what an explosion takes."""
LONGEST_LINE: int = 400


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (60, 60))


def run_harness(*args: str) -> dict[str, Any]:
    """The harness's report for one run (see tests/hostile/inputs_harness.py)."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile.inputs_harness", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limits,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("hostile"))


def _check(case: Case, report: dict[str, Any]) -> None:
    said = report["said"]
    assert report["code"] == 2, said
    assert case.message in said, said
    assert "Traceback" not in said
    assert max(map(len, said.splitlines())) <= LONGEST_LINE, said[:1000]
    assert report["seconds"] < SECONDS, report["seconds"]
    assert report["grown_mb"] < GROWN_MB, report["grown_mb"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_refuses_hostile_input_fast_and_small(case: Case, corpus: dict[str, Path]) -> None:
    report = run_harness("cli", case.command, str(corpus[case.name]))
    _check(case, report)
    assert report["said"].rstrip().endswith(("problem found.", "problems found.")), report


APP_CASES = [c for c in CASES if c.app]


@pytest.mark.parametrize("case", APP_CASES, ids=[c.name for c in APP_CASES])
def test_app_upload_refuses_hostile_input_fast_and_small(
    case: Case, corpus: dict[str, Path]
) -> None:
    path = corpus[case.name]
    files = [str(path)]
    if case.app == "inventory" and path.suffix == ".csv":
        files.append(str(path.with_name(path.name.replace("_activities", "_populations"))))
    _check(case, run_harness("app", case.app, *files))


def test_the_corpus_covers_every_class_of_the_attack_run() -> None:
    """Alias bombs, nesting, long integers, huge numbers, duplicate keys, long texts, large
    files, workbook bombs (ignored sheet, read sheet, rows, shared texts), NGO CSV."""
    names = " ".join(c.name for c in CASES)
    for word in (
        "alias",
        "merge-key",
        "nested",
        "digits",
        "10^28",
        "duplicate",
        "1 MB",
        "50 MB",
        "ignored sheet",
        "read sheet",
        "rows",
        "shared texts",
        "csv inventory",
        "cost",
    ):
        assert word in names, word
