"""Access to the source document for the tests that check the encoding against it.

The document (the UN text of the SCO documents, see ``concept_rules/README.md``) lives outside
the repository, in ``../shared/seed`` beside the clone, or wherever ``PREVPLAN_SEED`` points.
Without it the completeness tests skip on a developer's machine and **fail** under ``CI=true``:
CI must always check the encoding against the source text.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from tests.support import unavailable

SEED_NAME = "000_22b9589c97c82594.txt"
SEED_DIR = Path(
    os.environ.get("PREVPLAN_SEED")
    or Path(__file__).resolve().parents[1].parent / "shared" / "seed"
)
SEED_FILE = SEED_DIR / SEED_NAME


def normalise(text: str) -> str:
    """Fold the source's markup away: markdown emphasis, headings, HTML tags, white space."""
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("\\", "")
    text = text.replace("**", "").replace("*", "")
    text = re.sub(r"(?m)^\s*#+\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def seed_lines() -> tuple[str, ...]:
    """The source document's lines; skips (fails under ``CI=true``) when it is absent."""
    if not SEED_FILE.exists():
        unavailable(
            f"source document not found at {SEED_FILE} (set PREVPLAN_SEED to its folder)",
            f"source document not found at {SEED_FILE}: CI must check the rules against the "
            "source text (put ../shared/seed beside the clone or set PREVPLAN_SEED)",
        )
    return tuple(SEED_FILE.read_text(encoding="utf-8").splitlines())


def annex_lines(start_marker: str, end_marker: str) -> list[str]:
    """The lines of one annex, from its 'Annex No. N' line to the next annex's cover."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if start_marker in line)
    end = next(i for i in range(start + 1, len(lines)) if end_marker in lines[i])
    return list(lines[start:end])


@lru_cache(maxsize=1)
def normalised_seed() -> str:
    """The whole source, normalised; tags replaced by nothing as well as by a space."""
    raw = "\n".join(seed_lines())
    with_space = normalise(raw)
    without_space = normalise(re.sub(r"<[^>]+>", "", raw))
    return with_space + " \u241e " + without_space
