"""Which age stages a setting reaches (``relations/setting_age_stage.yaml``).

Schools reach children and adolescents (VI-4.1.3, VI-4.2, VI-4.3.2), workplaces adults
(VI-4.4): a setting is proposed to a population, and an intervention shown as delivered in
it, only where the setting reaches one of the population's age stages. A setting with no such
relation (the family, the community, health services, the media, online) reaches every age.
These relations never decide whether a strategy or intervention fits.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from prevplan.rules import RuleSet
from prevplan.rules.models import Kind


@lru_cache(maxsize=8)
def stages_reached(rules: RuleSet) -> dict[str, frozenset[str]]:
    """For each setting with relations to age stages, the stages it reaches; a setting
    missing here reaches every stage."""
    found: dict[str, frozenset[str]] = {}
    for setting in rules.ids(Kind.SETTING):
        links = rules.related(Kind.SETTING, Kind.AGE_STAGE, setting)
        if links:
            found[setting] = frozenset(link.object for link in links)
    return found


def reaching(rules: RuleSet, settings: Iterable[str], stages: Iterable[str]) -> tuple[str, ...]:
    """The ``settings`` (in their order) that reach one of ``stages``; all of them when no
    stage is given."""
    wanted = frozenset(stages)
    listed = tuple(settings)
    if not wanted:
        return listed
    reach = stages_reached(rules)
    return tuple(s for s in listed if s not in reach or reach[s] & wanted)
