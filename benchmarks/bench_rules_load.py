"""Benchmark: load and validate every concept rule (budget: under 200 ms).

Run: uv run python benchmarks/bench_rules_load.py
Prints the cold time in a fresh process (imports excluded) and the median of repeated loads.
"""

from __future__ import annotations

from timing import median_of, timed

from prevplan.rules import default_rules_dir
from prevplan.rules.loader import load_rules_uncached

BUDGET_MS = 200.0


def main() -> None:
    directory = default_rules_dir()
    first_s, rules = timed(lambda: load_rules_uncached(directory))
    first_ms = first_s * 1000
    median = median_of(lambda: load_rules_uncached(directory), 20) * 1000
    print(f"rules: {len(rules.links)} relations, {len(rules.clauses)} clauses")
    print(f"first load (cold, imports excluded): {first_ms:.1f} ms")
    print(f"load+validate median of 20: {median:.1f} ms  (budget {BUDGET_MS:.0f} ms)")
    print("within budget" if max(first_ms, median) < BUDGET_MS else "OVER BUDGET")


if __name__ == "__main__":
    main()
