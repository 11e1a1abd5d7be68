"""How fast and how small hostile inputs are refused: each class against the budget of #19.

Budget: any refused input is refused in under 1 s and under 200 MB (beyond what prevplan holds
once warmed up). Every case of the generated corpus (tests/hostile/inputs_corpus.py) is run
in its own subprocess under ``resource`` limits, through the CLI (``prevplan recommend`` /
``assess``) and, where the app reads such a file, through its upload function. Prints one
line per case and run, and exits 1 if any is over budget or not refused with exit code 2.

Run with ``uv run python benchmarks/bench_hostile.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.hostile.inputs_corpus import CASES, write_all
from tests.hostile.test_hostile_inputs import GROWN_MB, SECONDS, run_harness


def main() -> int:
    over = 0
    print(f"budget: refused (exit 2) in < {SECONDS:.0f} s and < {GROWN_MB:.0f} MB")
    print(f"{'case':45} {'path':10} {'code':>4} {'ms':>8} {'MB':>7}  verdict")
    with tempfile.TemporaryDirectory() as scratch:
        files = write_all(Path(scratch))
        for case in CASES:
            path = files[case.name]
            runs = [("cli", ["cli", case.command, str(path)])]
            if case.app:
                app_files = [str(path)]
                if case.app == "inventory" and path.suffix == ".csv":
                    partner = path.name.replace("_activities", "_populations")
                    app_files.append(str(path.with_name(partner)))
                runs.append(("app", ["app", case.app, *app_files]))
            for label, args in runs:
                report = run_harness(*args)
                ok = (
                    report["code"] == 2
                    and report["seconds"] < SECONDS
                    and report["grown_mb"] < GROWN_MB
                )
                over += not ok
                print(
                    f"{case.name:45} {label:10} {report['code']:>4} "
                    f"{report['seconds'] * 1000:8.1f} {max(report['grown_mb'], 0):7.1f}  "
                    f"{'ok' if ok else 'OVER BUDGET'}"
                )
    print("all within budget" if not over else f"{over} over budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
