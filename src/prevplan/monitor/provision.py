"""An EUDA-style "level of provision" table: none / rare / limited / extensive / full.

EUDA's prevention profiles rate how widely prevention is provided in each setting (school,
family, community…) at each level. prevplan computes the same table from a plan: for each
setting and prevention level, the people effectively reached there (docs/effective-coverage.md;
in a period, with the period's reach) over the people of that level who can be reached in that
setting, turned into a band by the cut-points of ``concept_rules/provision.yaml``.

Where an activity is delivered: its own ``settings``; else the settings its interventions and
strategies fit (the rules' relations) among those of its population; else its population's
first setting. A population counts in every setting it lists. A cell with no population of
that level in that setting is "not applicable", never "none".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from prevplan.i18n import N_
from prevplan.io.files import read_input_bytes
from prevplan.io.populations import load_structured_bytes
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Activity, Plan
from prevplan.rules import RuleSet
from prevplan.rules.loader import default_rules_dir
from prevplan.rules.models import Kind

BAND_LABELS: Final = {
    "none": N_("None"),
    "rare": N_("Rare"),
    "limited": N_("Limited"),
    "extensive": N_("Extensive"),
    "full": N_("Full"),
}
NOT_APPLICABLE: Final = N_("not applicable")


class Band(BaseModel):
    """One band: its id and the share below which a cell falls in it (none: the top band)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Literal["none", "rare", "limited", "extensive", "full"]
    below: Annotated[float, Field(gt=0, le=1)] | None = None


class ProvisionRules(BaseModel):
    """``concept_rules/provision.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str
    basis: Literal["stated", "inferred"]
    justification: str
    clauses: tuple[str, ...] = Field(min_length=1)
    bands: tuple[Band, ...] = Field(min_length=2)


@lru_cache(maxsize=4)
def provision_rules(directory: Path | None = None) -> ProvisionRules:
    """The bands (validated); ``directory`` defaults to the shipped ``concept_rules/``."""
    path = (directory or default_rules_dir()) / "provision.yaml"
    data = load_structured_bytes(read_input_bytes(path, str(path)), str(path))
    return ProvisionRules.model_validate(data)


def band_of(share: float, bands: ProvisionRules) -> str:
    """The band a share of effective coverage falls in."""
    for band in bands.bands:
        if band.below is None or share < band.below:
            return band.id
    return bands.bands[-1].id


@dataclass(frozen=True)
class ProvisionCell:
    """One setting at one level."""

    setting: str
    level: str
    people: int
    effective_reach: int
    share: float | None
    band: str | None
    """``None`` when no population of the level can be reached in the setting."""


def activity_settings(
    activity: Activity, plan_settings: tuple[str, ...], rules: RuleSet
) -> list[str]:
    """Where an activity is delivered (see the module's docstring)."""
    if activity.settings:
        return [s.value for s in activity.settings]
    fitting: list[str] = []
    for intervention in activity.interventions:
        fitting += rules.objects(Kind.INTERVENTION, Kind.SETTING, intervention)
    for strategy in activity.strategies:
        fitting += rules.objects(Kind.STRATEGY, Kind.SETTING, strategy)
    found = [s for s in plan_settings if s in fitting]
    if found:
        return found
    return list(plan_settings[:1])


def provision_table(
    plan: Plan,
    assessment: Assessment,
    rules: RuleSet,
    reach: Mapping[str, int | None] | None = None,
    bands: ProvisionRules | None = None,
) -> list[ProvisionCell]:
    """The level of provision by setting and level; ``reach`` overrides activities' reach
    (a period's figures), else the plan's planned reach is used."""
    bands = bands or provision_rules()
    coverage = {p.population_id: p for p in assessment.coverage.populations}
    people: dict[tuple[str, str], int] = defaultdict(int)
    reached: dict[tuple[str, str], int] = defaultdict(int)
    by_population: dict[str, list[Activity]] = defaultdict(list)
    for activity in plan.activities:
        by_population[activity.population_id].append(activity)
    for population in plan.populations:
        row = coverage.get(population.id)
        if row is None:
            continue
        level = row.prevention_level.value
        settings = tuple(s.value for s in population.settings)
        best = _best_reach(
            population.size,
            by_population.get(population.id, []),
            set(row.effective_activities),
            settings,
            reach,
            rules,
        )
        for setting in settings:
            people[(setting, level)] += population.size
            reached[(setting, level)] += min(best.get(setting, 0), population.size)
    levels = list(rules.ids(Kind.LEVEL))
    cells: list[ProvisionCell] = []
    for setting in rules.ids(Kind.SETTING):
        for level in levels:
            size = people.get((setting, level), 0)
            got = reached.get((setting, level), 0)
            share = got / size if size else None
            cells.append(
                ProvisionCell(
                    setting=setting,
                    level=level,
                    people=size,
                    effective_reach=got,
                    share=None if share is None else round(share, 4),
                    band=None if share is None else band_of(share, bands),
                )
            )
    return cells


def _best_reach(
    size: int,
    activities: list[Activity],
    effective: set[str],
    settings: tuple[str, ...],
    reach: Mapping[str, int | None] | None,
    rules: RuleSet,
) -> dict[str, int]:
    """The largest effective reach of one population in each setting (no double counting)."""
    best: dict[str, int] = defaultdict(int)
    for activity in activities:
        if activity.id not in effective:
            continue
        count = activity.reach if reach is None else (reach.get(activity.id) or 0)
        if count > size:  # unreliable, as in the assessment
            continue
        for setting in activity_settings(activity, settings, rules):
            best[setting] = max(best[setting], count)
    return best
