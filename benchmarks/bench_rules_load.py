"""Benchmark: load and validate every concept rule (budget: under 200 ms).

Run: uv run python benchmarks/bench_rules_load.py
Prints the cold time in a fresh process (imports excluded) and the median of repeated loads.
"""

from __future__ import annotations

import statistics
import time

from prevplan.rules import default_rules_dir
from prevplan.rules.loader import load_rules_uncached

BUDGET_MS = 200.0


def main() -> None:
    directory = default_rules_dir()
    start = time.perf_counter()
    rules = load_rules_uncached(directory)
    first_ms = (time.perf_counter() - start) * 1000
    runs = []
    for _ in range(20):
        start = time.perf_counter()
        load_rules_uncached(directory)
        runs.append((time.perf_counter() - start) * 1000)
    median = statistics.median(runs)
    print(f"rules: {len(rules.links)} relations, {len(rules.clauses)} clauses")
    print(f"first load (cold, imports excluded): {first_ms:.1f} ms")
    print(f"load+validate median of 20: {median:.1f} ms  (budget {BUDGET_MS:.0f} ms)")
    print("within budget" if max(first_ms, median) < BUDGET_MS else "OVER BUDGET")


if __name__ == "__main__":
    main()
