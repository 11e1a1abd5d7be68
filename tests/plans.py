"""Target populations the analytics and export tests both build their small plans from."""

from __future__ import annotations

from prevplan.population import TargetPopulation
from prevplan.vocab import RiskFactor, RiskGroup

DISTRICT_NAMES = ("Secondary pupils", "Parents of pupils", "Street youth")


def district_populations(
    names: tuple[str, str, str] = DISTRICT_NAMES,
) -> tuple[TargetPopulation, TargetPopulation, TargetPopulation]:
    """Pupils 12–17 with peer and school risks, their parents and street youth (both at
    risk), named ``names``; ids ``pupils``, ``parents`` and ``street_youth``."""
    pupils, parents, street = names
    return (
        TargetPopulation(
            id="pupils",
            name=pupils,
            age_min=12,
            age_max=17,
            size=1000,
            region="North",
            risk_factors={RiskFactor.PEERS: 0.6, RiskFactor.SCHOOL: 0.3},
        ),
        TargetPopulation(
            id="parents",
            name=parents,
            age_min=25,
            age_max=50,
            size=500,
            risk_group=RiskGroup.AT_RISK,
        ),
        TargetPopulation(
            id="street_youth",
            name=street,
            age_min=14,
            age_max=20,
            size=200,
            risk_group=RiskGroup.AT_RISK,
        ),
    )
