"""Weighted shares per group with 95 % intervals, and small groups suppressed.

For each group (the combination of the ``--by`` columns) and each indicator:

- **share** ``p = Σ w·y / Σ w`` over the respondents whose answers decide the indicator
  (``y`` is 1 when the condition holds, 0 when not; respondents with a blank answer are left
  out of that indicator);
- **effective sample size** (Kish) ``n_eff = (Σ w)² / Σ w²`` over the same respondents: unequal
  weights make a sample worth fewer respondents than it has;
- **95 % interval**: the Wilson score interval with ``n_eff`` in place of ``n`` and
  ``z = 1.96``. Unlike the normal approximation it stays inside 0–1 and behaves for shares
  near 0 or 1 and for small groups. It ignores clustering by school or class (no design
  effect beyond the weights), so for a cluster sample it is too narrow: say so when reporting;
- the **age of first use** is a weighted mean, its interval the normal approximation with the
  weighted variance over ``n_eff``.

A group with fewer respondents than the minimum cell size (default 30) is **suppressed**: no
share is given for it, and the report says so and why. An indicator that fewer respondents
of a kept group answered is suppressed alone.

Where the definitions give a national or regional benchmark, each share is compared with it:
``above`` when the whole interval lies above it, ``below`` when below, else ``similar`` —
the Communities That Care practice of prioritising factors that stand out from the
benchmark, rather than fixed cut-offs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from prevplan.i18n import N_
from prevplan.survey.definitions import Condition, SurveyDefinitions

Z95: Final = 1.959963984540054
METHOD: Final = N_(
    "weighted share; 95 % Wilson score interval on the Kish effective sample size "
    "(n_eff = (Σw)²/Σw²); no design effect for clustering"
)


class Out(BaseModel):
    """An output record."""

    model_config = ConfigDict(frozen=True)


class Estimate(Out):
    """One indicator in one group."""

    value: float | None
    """The share (or the mean age); ``None`` when suppressed."""
    low: float | None
    high: float | None
    respondents: int
    """Respondents whose answers decide the indicator (unweighted)."""
    effective_n: float
    suppressed: bool
    benchmark: float | None = None
    compared: Literal["above", "below", "similar"] | None = None


class GroupResult(Out):
    """One group of respondents."""

    group: dict[str, str]
    label: str
    respondents: int
    weighted: float
    suppressed: bool
    estimates: dict[str, Estimate]
    """By indicator (``risk_factors.family``); empty when the group is suppressed."""


class SurveyReport(Out):
    """The estimates of a survey (``prevplan survey`` JSON)."""

    title: str
    source: str
    method: str
    min_cell: int
    by: tuple[str, ...]
    respondents: int
    groups: tuple[GroupResult, ...]
    suppressed_groups: int
    benchmark_source: str | None
    benchmark_scope: Literal["national", "regional"] | None = None


def condition_values(frame: pd.DataFrame, condition: Condition) -> np.ndarray:
    """1.0 where the condition holds, 0.0 where not, NaN where an answer is blank.

    For a mean indicator, the item's value itself.
    """
    if condition.item is not None:
        values = frame[condition.item].to_numpy(dtype=float)
        if condition.mean:
            return values
        return _cut(values, condition)
    if condition.mean_of is not None:
        block = frame[list(condition.mean_of)].to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            means = block.mean(axis=1)  # NaN when any item is blank
        return _cut(means, condition)
    parts = [condition_values(frame, c) for c in (condition.any or condition.all or ())]
    stack = np.vstack(parts)
    known = ~np.isnan(stack)
    ones = np.nan_to_num(stack, nan=0.0) == 1.0
    zeros = known & ~ones
    if condition.any is not None:
        out = np.where(ones.any(axis=0), 1.0, np.where(known.all(axis=0), 0.0, np.nan))
    else:
        out = np.where(zeros.any(axis=0), 0.0, np.where(known.all(axis=0), 1.0, np.nan))
    return np.asarray(out, dtype=float)


def _cut(values: np.ndarray, condition: Condition) -> np.ndarray:
    holds = np.ones(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        if condition.at_least is not None:
            holds &= values >= condition.at_least
        if condition.at_most is not None:
            holds &= values <= condition.at_most
        if condition.in_ is not None:
            holds &= np.isin(values, np.asarray(condition.in_, dtype=float))
    return np.where(np.isnan(values), np.nan, holds.astype(float))


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of share ``p`` from (effective) sample size ``n``."""
    if n <= 0:
        return (0.0, 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def estimate(
    frame: pd.DataFrame,
    definitions: SurveyDefinitions,
    by: Sequence[str],
    *,
    source: str = "",
    min_cell: int | None = None,
) -> SurveyReport:
    """Weighted estimates per group (see the module's docstring for the method)."""
    floor = definitions.min_cell if min_cell is None else min_cell
    indicators = definitions.indicators.all()
    weight = frame[definitions.weight].to_numpy(dtype=float)
    columns: dict[str, np.ndarray] = {"_n": np.ones(len(frame))}
    for name, condition in indicators.items():
        y = condition_values(frame, condition)
        valid = ~np.isnan(y)
        wv = np.where(valid, weight, 0.0)
        yv = np.nan_to_num(y, nan=0.0)
        columns[f"{name}|n"] = valid.astype(float)
        columns[f"{name}|w"] = wv
        columns[f"{name}|w2"] = wv * wv
        columns[f"{name}|wy"] = wv * yv
        columns[f"{name}|wy2"] = wv * yv * yv
    columns["_w"] = weight
    sums = pd.DataFrame(columns)
    keys = [frame[c].to_numpy() for c in by] if by else [np.zeros(len(frame), dtype=int)]
    grouped = sums.groupby(keys, sort=True).sum()
    benchmarks = definitions.benchmarks.all() if definitions.benchmarks else {}
    groups: list[GroupResult] = []
    for key, row in zip(grouped.index, grouped.to_numpy(), strict=True):
        values = dict(zip(grouped.columns, row, strict=True))
        parts = key if isinstance(key, tuple) else (key,)
        group = {c: str(v) for c, v in zip(by, parts, strict=True)} if by else {}
        label = " / ".join(group.values()) if group else "all"
        n = int(values["_n"])
        suppressed = n < floor
        estimates = (
            {}
            if suppressed
            else {
                name: _estimate(values, name, floor, benchmarks.get(name), mean=c.mean)
                for name, c in indicators.items()
            }
        )
        groups.append(
            GroupResult(
                group=group,
                label=label,
                respondents=n,
                weighted=round(float(values["_w"]), 3),
                suppressed=suppressed,
                estimates=estimates,
            )
        )
    return SurveyReport(
        title=definitions.title,
        source=source,
        method=METHOD,
        min_cell=floor,
        by=tuple(by),
        respondents=len(frame),
        groups=tuple(groups),
        suppressed_groups=sum(1 for g in groups if g.suppressed),
        benchmark_source=definitions.benchmarks.source if definitions.benchmarks else None,
        benchmark_scope=definitions.benchmarks.scope if definitions.benchmarks else None,
    )


def _estimate(
    values: dict[str, float], name: str, floor: int, benchmark: float | None, *, mean: bool
) -> Estimate:
    n = int(values[f"{name}|n"])
    w = values[f"{name}|w"]
    w2 = values[f"{name}|w2"]
    n_eff = (w * w / w2) if w2 > 0 else 0.0
    if n < floor or w <= 0:
        return Estimate(
            value=None,
            low=None,
            high=None,
            respondents=n,
            effective_n=round(n_eff, 2),
            suppressed=True,
            benchmark=benchmark,
        )
    p = values[f"{name}|wy"] / w
    if mean:
        variance = max(0.0, values[f"{name}|wy2"] / w - p * p)
        half = Z95 * math.sqrt(variance / n_eff) if n_eff > 0 else float("inf")
        low, high = p - half, p + half
    else:
        p = min(1.0, max(0.0, p))
        low, high = wilson(p, n_eff)
    compared: Literal["above", "below", "similar"] | None = None
    if benchmark is not None and not mean:
        compared = "above" if low > benchmark else "below" if high < benchmark else "similar"
    return Estimate(
        value=round(p, 4),
        low=round(low, 4),
        high=round(high, 4),
        respondents=n,
        effective_n=round(n_eff, 2),
        suppressed=False,
        benchmark=benchmark,
        compared=compared,
    )
