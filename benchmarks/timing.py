"""Timing and verdicts the benchmarks share (imported by the ``bench_*.py`` scripts)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def verdict(ok: bool) -> str:
    """PASS or OVER, for a figure printed beside its budget."""
    return "PASS" if ok else "OVER"


def timed(work: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``work()`` took, and what it returned."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def median_of(work: Callable[[], object], runs: int) -> float:
    """Median seconds of ``runs`` calls of ``work()``."""
    return statistics.median(timed(work)[0] for _ in range(runs))


def best_of(work: Callable[[], object], runs: int) -> float:
    """Fewest seconds of ``runs`` calls of ``work()``: the run least disturbed by other
    processes on the machine."""
    return min(timed(work)[0] for _ in range(runs))
