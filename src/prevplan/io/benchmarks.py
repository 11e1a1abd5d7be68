"""Reading a benchmarks file: the national or regional figures priorities are judged against.

Communities That Care judges each risk and protective factor against a benchmark (national
figures, other communities) rather than a fixed cut-off (VI-1.2, VI-1.3 rank the factors; the
practice is in the prevention-science reference, §2). ``prevplan recommend FILE --benchmarks
B`` gives every population without benchmarks of its own the figures of ``B``, a YAML or
JSON file of the shape of a population's ``benchmarks`` (docs/interfaces.md §2)::

    scope: national                      # or regional
    source: National school survey 2025
    risk_factors: {peers: 0.19, family: 0.24}
    protective_factors: {parents: 0.62}
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from prevplan.io.errors import validated_document
from prevplan.io.files import read_input_bytes
from prevplan.io.populations import load_structured_bytes
from prevplan.population import FactorBenchmarks, TargetPopulation


def read_benchmarks(path: Path) -> FactorBenchmarks:
    """Read and validate a benchmarks file; every problem names its field."""
    file = str(path)
    return parse_benchmarks(read_input_bytes(path, file), file)


def parse_benchmarks(data: bytes, file: str) -> FactorBenchmarks:
    """Validate benchmarks given as bytes named ``file``."""
    return validated_document(FactorBenchmarks, load_structured_bytes(data, file), file)


def with_benchmarks(
    populations: Iterable[TargetPopulation], default: FactorBenchmarks | None
) -> list[TargetPopulation]:
    """The populations, each without benchmarks of its own given ``default``."""
    if default is None:
        return list(populations)
    return [
        p if p.benchmarks is not None else p.model_copy(update={"benchmarks": default})
        for p in populations
    ]
