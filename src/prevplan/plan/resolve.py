"""Naming strategies and interventions the way planners do: by id, clause or label.

A plan or an inventory may name a strategy as ``life_skills``, as its clause ``VI-3.1.3`` or
by its label ("Development of life skills"); this module turns any of these into the rule id
and reports anything it cannot resolve, with the accepted values.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from prevplan.i18n import N_, _
from prevplan.problems import Location, Problem
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

# One whole sentence per kind, so that the noun and its agreement can be translated.
_UNKNOWN: dict[Kind, str] = {
    Kind.STRATEGY: N_(
        "unknown strategy '{name}'; expected an id ({accepted}) or its clause reference"
    ),
    Kind.INTERVENTION: N_(
        "unknown intervention '{name}'; expected an id ({accepted}) or its clause reference"
    ),
}


@lru_cache(maxsize=16)
def lookup_table(rules: RuleSet, kind: Kind) -> dict[str, str]:
    """Every accepted spelling (lower-cased) mapped to the rule id (built once per rule set)."""
    table: dict[str, str] = {}
    entities = rules.strategies if kind is Kind.STRATEGY else rules.interventions
    for entity_id, entity in entities.items():
        table[entity_id.lower()] = entity_id
        table[entity.clause.lower()] = entity_id
        table[entity.label.lower()] = entity_id
    return table


def resolve_refs(
    rules: RuleSet,
    kind: Kind,
    names: Iterable[str],
    file: str,
    where: Location | str,
    problems: list[Problem],
) -> tuple[str, ...]:
    """Rule ids for ``names``; unknown names are added to ``problems``."""
    table = lookup_table(rules, kind)
    field = "strategies" if kind is Kind.STRATEGY else "interventions"
    out: list[str] = []
    for name in names:
        found = table.get(name.strip().lower())
        if found is None:
            accepted = ", ".join(rules.ids(kind))
            problems.append(
                Problem(
                    file,
                    where,
                    field,
                    _(_UNKNOWN[kind]).format(name=name, accepted=accepted),
                )
            )
        elif found not in out:
            out.append(found)
    return tuple(out)
