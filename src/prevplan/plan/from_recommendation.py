"""Turning a recommendation into planned activities, in one step.

Each recommended intervention (VI-4) becomes an activity delivering it together with the
recommended strategies it serves; each recommended strategy (VI-3) that no intervention
delivers becomes an activity of its own. Reach starts at zero and the target at the
population's size, for the planner to fill in. Each activity is named after what it delivers
and the population, in the language of the planner who adds it, and is planned to be
delivered in the form that works (``assessment.yaml``, ``planned_delivery``): interactive
sessions by trained deliverers, or a policy, campaign or screening where the intervention is
one.
"""

from __future__ import annotations

from prevplan.engine.models import Recommendation
from prevplan.i18n import _
from prevplan.plan.models import Activity
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind


def activities_from_recommendation(
    population: TargetPopulation,
    recommendation: Recommendation,
    rules: RuleSet,
    existing_ids: set[str] | None = None,
) -> list[Activity]:
    """Planned activities implementing ``recommendation`` for ``population``."""
    taken = set(existing_ids or ())
    recommended = [s.id for s in recommendation.strategies]
    covered: set[str] = set()
    out: list[Activity] = []

    def name(kind: Kind, entity_id: str, fallback: str) -> str:
        return _("{activity} — {population}").format(
            activity=rules.text(kind, entity_id, "label", fallback),
            population=population.name or population.id,
        )

    def new_id(stem: str) -> str:
        base = f"{population.id}-{stem}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        taken.add(candidate)
        return candidate

    planned = rules.files.assessment.planned_delivery

    def delivery(intervention: str | None) -> dict[str, object]:
        fmt = planned.formats.get(intervention or "", planned.default_format)
        return {"format": fmt, "deliverers_trained": planned.deliverers_trained}

    for item in recommendation.interventions:
        delivers = [
            s for s in rules.objects(Kind.INTERVENTION, Kind.STRATEGY, item.id) if s in recommended
        ]
        covered.update(delivers)
        out.append(
            Activity.model_validate(
                {
                    "id": new_id(item.id),
                    "name": name(Kind.INTERVENTION, item.id, item.label),
                    "population_id": population.id,
                    "strategies": tuple(delivers),
                    "interventions": (item.id,),
                    "target_reach": population.size,
                    **delivery(item.id),
                }
            )
        )
    for strategy in recommendation.strategies:
        if strategy.id in covered:
            continue
        out.append(
            Activity.model_validate(
                {
                    "id": new_id(strategy.id),
                    "name": name(Kind.STRATEGY, strategy.id, strategy.label),
                    "population_id": population.id,
                    "strategies": (strategy.id,),
                    "target_reach": population.size,
                    **delivery(None),
                }
            )
        )
    return out
