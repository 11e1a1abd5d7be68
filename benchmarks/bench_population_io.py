"""How fast population files are read: rows per second for a generated 100k-row CSV.

The CLI's budget for 100,000 populations — read, recommend, write JSON — is 3 s, so reading
must take well under 1 s. The data is generated into a temporary directory and deleted;
run with ``uv run python benchmarks/bench_population_io.py [ROWS]``.
"""

from __future__ import annotations

import csv
import gc
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from prevplan.io.populations import read_populations
from prevplan.population import csv_columns, populations_to_records
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A realistic population CSV: every column used, some factors unknown (empty)."""
    rng = random.Random(seed)
    settings = [s.value for s in Setting]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        columns = csv_columns()
        writer.writerow(columns)
        for n in range(rows):
            age_min = rng.randint(0, 60)
            row = {
                "id": f"pop-{n}",
                "name": f"Population {n}",
                "age_min": str(age_min),
                "age_max": str(rng.randint(age_min, 120)),
                "size": str(rng.randint(1, 1_000_000)),
                "risk_group": rng.choice(list(RiskGroup)).value,
                "settings": ";".join(rng.sample(settings, rng.randint(0, 3))),
                "special_groups": rng.choice(["", *(g.value for g in SpecialGroup)]),
                "region": f"region-{n % 12}",
            }
            for factor in RiskFactor:
                share = rng.random()
                row[f"risk_factors.{factor.value}"] = f"{share:.3f}" if share < 0.8 else ""
            for protective in ProtectiveFactor:
                share = rng.random()
                row[f"protective_factors.{protective.value}"] = (
                    f"{share:.3f}" if share < 0.8 else ""
                )
            writer.writerow([row[c] for c in columns])


def best_of(runs: int, path: Path) -> tuple[float, float]:
    """The fastest wall-clock and CPU times of several reads.

    The minimum is the run least disturbed by other processes on the machine; CPU time is
    shown too because other jobs on a 2-core machine stretch wall time. Only reading is
    timed: the result is released after the clock stops, as the CLI keeps its populations.
    """
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        populations = read_populations(path)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        del populations
    return min(walls), min(cpus)


def write_json_from(csv_path: Path, json_path: Path) -> None:
    """The same populations as a JSON list, as prevplan itself writes them."""
    records = populations_to_records(read_populations(csv_path))
    json_path.write_text(json.dumps(records), encoding="utf-8")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "populations.csv"
        json_path = Path(tmp) / "populations.json"
        write_csv(csv_path, rows)
        write_json_from(csv_path, json_path)
        for label, path in (("CSV", csv_path), ("JSON", json_path)):
            size_mb = path.stat().st_size / 1e6
            for collector in ("on", "off"):
                # "off" is how a batch CLI may run: otherwise the cyclic collector walks the
                # 100k new models once when reading ends, and again later in the run.
                if collector == "off":
                    gc.disable()
                wall, cpu = best_of(5, path)
                gc.enable()
                print(
                    f"{label:4} {rows:,} rows ({size_mb:.1f} MB), cyclic GC {collector:3}: "
                    f"{wall:.3f} s ({cpu:.3f} s CPU), {rows / wall:,.0f} rows/s"
                )


if __name__ == "__main__":
    main()
