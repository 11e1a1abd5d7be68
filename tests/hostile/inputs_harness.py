"""Run one hostile input through prevplan in this process and report what it cost.

Started by tests/hostile/test_hostile_inputs.py in a subprocess with ``resource`` limits, so
a regression that explodes is stopped by the limit, not by the machine. Prevplan is first
warmed up on a harmless bad file (imports, rules, caches), so the figures are the cost of
the hostile input alone: wall time, and growth of the peak resident memory.

``python -m tests.hostile.inputs_harness cli COMMAND FILE`` runs ``prevplan COMMAND FILE``;
``... app populations FILE`` and ``... app inventory FILE [POPULATIONS]`` call the functions
the app's uploaders call. The last line of stdout is JSON: exit code (cli), the problems
said, seconds and megabytes.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
WARM_UP = {
    "recommend": SAMPLES / "populations.yaml",
    "populations": SAMPLES / "populations.yaml",
    "assess": SAMPLES / "ngo_inventory.xlsx",
    "inventory": SAMPLES / "ngo_inventory.xlsx",
}


def _status_mb(field: str) -> float | None:
    """A memory figure of this process from /proc (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return None  # pragma: no cover - not Linux


def _reset_peak() -> None:
    """Forget the warm-up's peak, so the peak measured next is the hostile input's own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux 4.0+)


def _peak_mb() -> float:
    peak = _status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_mb() -> float:
    """Resident memory now."""
    current = _status_mb("VmRSS")
    return current if current is not None else _peak_mb()


def _cli(command: str, file: str) -> tuple[int, str]:
    from prevplan.cli import main

    err = io.StringIO()
    with (
        contextlib.redirect_stderr(err),
        contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())),
    ):
        try:
            code = main([command, file])
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, err.getvalue()


def _app(kind: str, files: list[str]) -> tuple[int, str]:
    from prevplan.io.populations import parse_populations_bytes
    from prevplan.problems import ProblemsError
    from prevplan.rules import load_rules
    from prevplan.ui.inventory_upload import read_upload

    uploads = [(Path(f).name, Path(f).read_bytes()) for f in files]
    try:
        if kind == "populations":
            parse_populations_bytes(uploads[0][1], uploads[0][0])
        else:
            read_upload(uploads, load_rules())
    except ProblemsError as err:
        return 2, "\n".join(str(p) for p in err.problems)
    return 0, ""


def main(argv: list[str]) -> None:
    mode, kind, *files = argv

    def run(files: list[str]) -> tuple[int, str]:
        return _cli(kind, files[0]) if mode == "cli" else _app(kind, files)

    warm = WARM_UP[kind]
    if kind in ("recommend", "populations") and files[0].endswith(".csv"):
        warm = SAMPLES / "populations.csv"  # the CSV reader imports numpy
    run([str(warm)])  # warm up on a sample: imports, rules, caches
    import numpy  # noqa: F401  # the plain-CSV reader imports it on first use

    # Growth is measured from the memory held now to the peak after: an upper bound, since
    # the peak may still be the warm-up's.
    _reset_peak()
    before = _current_mb()
    start = time.perf_counter()
    code, said = run(files)
    seconds = time.perf_counter() - start
    grown = _peak_mb() - before
    print(json.dumps({"code": code, "said": said, "seconds": seconds, "grown_mb": grown}))


if __name__ == "__main__":
    main(sys.argv[1:])
