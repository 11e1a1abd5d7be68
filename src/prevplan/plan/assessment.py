"""The result of assessing a plan: coverage tables, costs and warnings (interfaces §3).

``coverage.populations``, ``coverage.strategies`` (all nine strategies of VI-3 by clause),
``coverage.action_items`` (every Annex V item, with the activities serving it) and
``warnings`` are the public interface; the other tables extend it for the dashboards.
Each population carries its exposure (``reach``/``coverage``) and its ``effective_reach``/
``effective_coverage`` (docs/effective-coverage.md); costs are given per person effectively
reached as well as per person reached.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from prevplan.vocab import Level


class Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


_Out = TypeVar("_Out", bound=Out)
_ALL_FIELDS: dict[type[Out], set[str]] = {}
"""Per model, the one set of field names its :func:`trusted` instances share."""
_FIELD_ORDER: dict[type[Out], tuple[str, ...]] = {}
"""Per model, its field names in order (the order ``model_dump`` gives them in)."""


def trusted(model: type[_Out], **values: Any) -> _Out:
    """``model.model_construct(**values)`` for values already checked, every field given:
    the same model, built without pydantic's search for aliases and defaults (a national
    plan's assessment builds tens of thousands of warnings).

    Its instances share one ``model_fields_set`` (every field): the models are frozen, and
    pydantic copies the set before it changes it (``model_copy``), so none can change it.
    One set less per instance is tens of thousands fewer objects for the cyclic garbage
    collector, which would otherwise walk the whole heap once more while a national plan is
    assessed (measured: 2 full collections instead of 1, ~0.2 s)."""
    shared = _ALL_FIELDS.get(model)
    if shared is None:
        shared = _ALL_FIELDS[model] = set(model.__pydantic_fields__)
        _FIELD_ORDER[model] = tuple(model.__pydantic_fields__)
    if tuple(values) == _FIELD_ORDER[model]:
        fields = values  # given in the model's order, as a fresh dict: its own
    elif values.keys() == shared:
        fields = {name: values[name] for name in _FIELD_ORDER[model]}
    else:
        return cast(_Out, model.model_construct(**values))
    built: _Out = model.__new__(model)
    object.__setattr__(built, "__dict__", fields)
    object.__setattr__(built, "__pydantic_fields_set__", shared)
    object.__setattr__(built, "__pydantic_extra__", None)
    object.__setattr__(built, "__pydantic_private__", None)
    return built


class PopulationCoverage(Out):
    population_id: str
    name: str
    region: str | None
    size: int
    prevention_level: Level
    age_stages: tuple[str, ...]
    activities: int
    reach: int
    reach_upper: int
    coverage: float
    effective_reach: int
    """People reached by at least one effective activity (docs/effective-coverage.md)."""
    effective_coverage: float
    effective_activities: tuple[str, ...]
    """The ids of the activities that count towards effective reach."""
    linked_populations: tuple[str, ...]
    """Populations linked as parents and children (``parents_of``): a family programme of
    either serves both."""
    unreliable_activities: int
    """Activities whose reach exceeds the population, left out of reach until corrected."""
    undescribed_activities: int
    """Activities that give no format, so their quality cannot be judged."""
    target_reach: int | None
    target_coverage: float | None
    cost: float
    cost_per_person: float | None
    cost_per_effective_person: float | None
    strategies: tuple[str, ...]
    warnings: tuple[str, ...]


class CoverageCell(Out):
    """People and reach for one prevention level × age stage."""

    level: str
    age_stage: str
    people: int
    reach: int
    coverage: float
    effective_reach: int
    effective_coverage: float


class FactorCoverage(Out):
    """People with a risk (or lacking a resource) and how many of them the plan reaches."""

    id: str
    clause: str
    people: int
    reach: int
    coverage: float
    populations: int


class SettingCoverage(Out):
    setting: str
    activities: int
    reach: int
    cost: float


class OutsideItems(Out):
    """Program of Actions items outside a prevention plan's reach, by kind of work."""

    group: str
    items: tuple[str, ...]
    sources: tuple[str, ...]


class AnnexVCoverage(Out):
    """The Program of Actions split as a prevention plan can serve it."""

    activity_items: tuple[str, ...]
    """Items a prevention plan's activities can serve."""
    activity_items_served: tuple[str, ...]
    """Those of them at least one activity serves."""
    activity_items_served_effectively: tuple[str, ...] = ()
    """Those of them at least one activity that counts in effective reach serves: an item
    served only by flagged lectures, drug testing or one-off events is not among them."""
    served_by_plan: tuple[str, ...]
    """Items the plan itself serves (a national plan of actions, V-6.1)."""
    served_by_report: tuple[str, ...]
    """Items the plan's report serves (analysis and reporting, V-6.6, V-6.7)."""
    outside: tuple[OutsideItems, ...]
    """Items outside a prevention plan's reach (law enforcement, NPS control, …)."""


class Coverage(Out):
    populations: tuple[PopulationCoverage, ...]
    strategies: dict[str, int]
    action_items: dict[str, tuple[str, ...]]
    strategy_reach: dict[str, int]
    levels: tuple[CoverageCell, ...]
    risk_factors: tuple[FactorCoverage, ...]
    protective_factors: tuple[FactorCoverage, ...]
    settings: tuple[SettingCoverage, ...]
    annex_v: AnnexVCoverage


class CostLine(Out):
    """Cost and cost per person reached for one strategy or prevention level.

    A strategy's line carries the whole cost of every activity delivering it (the lines
    overlap); a level's lines add up to the plan's cost.
    """

    group: str
    id: str
    clause: str
    cost: float
    reach: int
    cost_per_person: float | None
    effective_reach: int
    cost_per_effective_person: float | None


class Totals(Out):
    populations: int
    activities: int
    people: int
    reach: int
    coverage: float
    effective_reach: int
    effective_coverage: float
    cost: float
    cost_per_person: float | None
    cost_per_effective_person: float | None
    uncovered_populations: int
    unreliable_activities: int
    action_items_served: int
    activity_items: int
    """Program of Actions items a prevention plan's activities can serve."""
    activity_items_served: int
    activity_items_served_effectively: int = 0
    """Of them, those served by an activity that counts in effective reach."""
    outside_items: int
    """Program of Actions items outside a prevention plan's reach."""


class AssessWarning(Out):
    code: str
    population_id: str | None = None
    activity_id: str | None = None
    factor_kind: str | None = None
    factor_id: str | None = None
    message: str
    sources: tuple[str, ...]
    standards: tuple[str, ...] = ()
    """UNODC/WHO Standards items (letters) the warning also rests on."""


class Assessment(Out):
    plan_name: str
    reach_rule: str
    effective_rule: str
    cost_rule: str
    totals: Totals
    coverage: Coverage
    costs: tuple[CostLine, ...]
    warnings: tuple[AssessWarning, ...]
