"""The optimiser's assumptions, read from ``concept_rules/costs/optimiser.yaml``.

They turn the Concept's priorities into numbers a solver can use: how much a person reached
counts at each prevention level (VI-2, VI-T1), how much more an option counts when it
addresses the population's priority risk factors (VI-1.2), how much the evidence behind an
option counts, the diminishing returns of coverage and the share of a population any
programme can reach. They are prevplan's planning assumptions, documented in
``docs/optimiser.md`` and editable by a ministry; a bad value is a clear problem naming the
file and field.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from prevplan.i18n import _
from prevplan.io.errors import explain
from prevplan.io.yaml_strict import load_yaml
from prevplan.problems import Location, Problem, ProblemsError
from prevplan.rules import default_rules_dir

Weight = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Share = Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EvidenceWeights(_Strict):
    """How much a person reached counts, by the evidence behind the option."""

    programme: dict[str, Weight]
    intervention: dict[str, Weight]
    strategies_only: Weight


class Segment(_Strict):
    """One piece of the diminishing-returns curve: up to a share, at a value per person."""

    up_to: Share
    value: Weight


class OptimiserSettings(_Strict):
    """Every assumption of the model (docs/optimiser.md)."""

    level_weights: dict[str, Weight]
    risk_factor_bonus: Weight
    evidence_weights: EvidenceWeights
    segments: tuple[Segment, ...] = Field(min_length=1)
    reachable_share: Share
    default_min_participants: Annotated[int, Field(strict=True, ge=1)]

    @model_validator(mode="after")
    def _concave(self) -> OptimiserSettings:
        ups = [s.up_to for s in self.segments]
        values = [s.value for s in self.segments]
        if ups != sorted(ups) or len(set(ups)) != len(ups):
            raise ValueError(_("segments: expected shares that rise from one segment to the next"))
        if values != sorted(values, reverse=True):
            raise ValueError(_("segments: expected values that never rise (diminishing returns)"))
        return self

    def widths(self, size: float) -> list[tuple[float, float]]:
        """(people, value) of each segment for a population of ``size``, up to the reachable
        share."""
        out: list[tuple[float, float]] = []
        low = 0.0
        for seg in self.segments:
            high = min(seg.up_to, self.reachable_share)
            if high > low:
                out.append(((high - low) * size, seg.value))
            low = max(low, high)
        return out

    def value_of(self, people: float, size: float) -> float:
        """The diminishing-returns value of reaching ``people`` of ``size`` (saturating)."""
        left, total = max(0.0, people), 0.0
        for width, value in self.widths(size):
            used = min(left, width)
            total += used * value
            left -= used
        return total


def settings_path(rules_dir: Path | None = None) -> Path:
    """The shipped assumptions file."""
    return (rules_dir or default_rules_dir()) / "costs" / "optimiser.yaml"


def load_settings(path: Path | None = None) -> OptimiserSettings:
    """The assumptions (cached by file and modification time); every problem raised at once."""
    chosen = path or settings_path()
    try:
        mtime = chosen.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _cached(chosen, mtime)


@lru_cache(maxsize=4)
def _cached(path: Path, _mtime: float) -> OptimiserSettings:
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise ProblemsError([Problem(shown, "", "", _("file not found"))]) from None
    data, problems = load_yaml(text, shown)
    ProblemsError.raise_if_any(problems)
    try:
        return OptimiserSettings.model_validate(data)
    except ValidationError as err:
        raise ProblemsError(
            [
                Problem(
                    shown,
                    Location("top"),
                    ".".join(str(x) for x in e["loc"]) or "-",
                    explain(e),
                )
                for e in err.errors(include_url=False)
            ]
        ) from None
