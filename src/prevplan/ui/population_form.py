"""The target-population form: between its fields, the population model and the plan.

The form shows factor shares as percentages (planners think "30 % of pupils", the file format
says 0.3) and leaves a factor empty when it is unknown — never zero (VI-1.2: an unmeasured
risk is not an absent one). Validation goes through
:func:`prevplan.io.populations.check_population_records`, the same check a population file
gets, and each problem is returned under the form field it concerns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from prevplan.i18n import _
from prevplan.io.populations import check_population_records
from prevplan.plan.models import Plan
from prevplan.population import TargetPopulation
from prevplan.problems import Problem
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup

FORM_FILE: Final = "form"
RISK_PREFIX: Final = "risk."
PROTECTIVE_PREFIX: Final = "protective."
TEXT_FIELDS: Final = ("id", "name", "region")
NUMBER_FIELDS: Final = ("age_min", "age_max", "size")
LIST_FIELDS: Final = ("settings", "special_groups")
CHILDREN_PREFIX: Final = "children."
"""Form fields of a population of parents: their children's ages (``parents_of``)."""
CHILDREN_FIELDS: Final = (CHILDREN_PREFIX + "age_min", CHILDREN_PREFIX + "age_max")
FORM_FIELDS: Final[tuple[str, ...]] = (
    *TEXT_FIELDS,
    *NUMBER_FIELDS,
    "risk_group",
    *LIST_FIELDS,
    *CHILDREN_FIELDS,
    *(RISK_PREFIX + f.value for f in RiskFactor),
    *(PROTECTIVE_PREFIX + f.value for f in ProtectiveFactor),
)
GENERAL: Final = ""
"""Key of problems that concern no single field."""


def empty_values() -> dict[str, Any]:
    """The form's fields for a new population."""
    values: dict[str, Any] = dict.fromkeys(FORM_FIELDS)
    values.update({name: "" for name in TEXT_FIELDS})
    values.update({name: [] for name in LIST_FIELDS})
    values["risk_group"] = RiskGroup.GENERAL.value
    return values


def values_from_population(population: TargetPopulation) -> dict[str, Any]:
    """The form's fields showing ``population``."""
    values = empty_values()
    values.update(
        id=population.id,
        name=population.name or "",
        region=population.region or "",
        age_min=population.age_min,
        age_max=population.age_max,
        size=population.size,
        risk_group=population.risk_group.value,
        settings=[s.value for s in population.settings],
        special_groups=[g.value for g in population.special_groups],
    )
    if population.parents_of is not None:
        values[CHILDREN_FIELDS[0]] = population.parents_of.age_min
        values[CHILDREN_FIELDS[1]] = population.parents_of.age_max
    for risk, share in population.risk_factors.items():
        values[RISK_PREFIX + risk.value] = _percent(share)
    for protective, share in population.protective_factors.items():
        values[PROTECTIVE_PREFIX + protective.value] = _percent(share)
    return values


def _percent(share: float) -> float:
    return round(share * 100, 2)


def record_from_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The population record (interfaces §2) the form's fields describe."""
    record: dict[str, Any] = {"id": str(values.get("id") or "").strip()}
    for name in ("name", "region"):
        text = str(values.get(name) or "").strip()
        if text:
            record[name] = text
    for name in NUMBER_FIELDS:
        number = values.get(name)
        record[name] = int(number) if isinstance(number, int | float) else None
    record["risk_group"] = values.get("risk_group") or RiskGroup.GENERAL.value
    for name in LIST_FIELDS:
        items = list(values.get(name) or ())
        if items:
            record[name] = items
    children = {
        name[len(CHILDREN_PREFIX) :]: int(number)
        for name in CHILDREN_FIELDS
        if isinstance(number := values.get(name), int | float)
    }
    if children:  # one age alone is said to be missing the other
        record["parents_of"] = children
    for key, prefix, factors in (
        ("risk_factors", RISK_PREFIX, [f.value for f in RiskFactor]),
        ("protective_factors", PROTECTIVE_PREFIX, [f.value for f in ProtectiveFactor]),
    ):
        shares = {
            factor: round(float(value) / 100, 4)
            for factor in factors
            if isinstance(value := values.get(prefix + factor), int | float)
        }
        if shares:
            record[key] = shares
    return record


def form_field(problem_field: str) -> str:
    """The form field a problem's field names (``risk_factors.family`` → ``risk.family``)."""
    base, _dot, key = problem_field.partition(".")
    if base == "risk_factors" and key:
        return RISK_PREFIX + key
    if base == "protective_factors" and key:
        return PROTECTIVE_PREFIX + key
    if base == "parents_of":
        return CHILDREN_PREFIX + key if key else CHILDREN_FIELDS[0]
    return base if base in FORM_FIELDS else GENERAL


@dataclass(frozen=True)
class FormResult:
    """A valid population, or the problems by form field."""

    population: TargetPopulation | None
    problems: dict[str, list[str]] = field(default_factory=dict)


def validate(values: Mapping[str, Any], plan: Plan, editing: str | None = None) -> FormResult:
    """Check the form: the population file's checks, then that its id is free in the plan.

    ``editing`` is the id of the population being edited (its own id is not a clash).
    """
    record = record_from_values(values)
    populations, problems = check_population_records([record], FORM_FILE, label="population")
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(form_field(problem.field), []).append(_message(problem, record))
    new_id = record["id"]
    if new_id and new_id != editing and plan.population(new_id) is not None:
        found.setdefault("id", []).append(
            _("another population of the plan already has the id '{id}'").format(id=new_id)
        )
    if found or not populations:
        return FormResult(None, found or {GENERAL: [_("the form could not be read")]})
    return FormResult(populations[0])


def _message(problem: Problem, record: Mapping[str, Any]) -> str:
    """The problem's message in the form's words (the file format's field names are not
    what the form shows)."""
    if problem.field == "size" and record.get("size") == 0:
        return _("at least 1 person: a population of no one needs no prevention plan")
    if problem.message.startswith("missing"):
        return _("required: please fill this in")
    if problem.field == "age_min" and "age_max" in problem.message:
        return _("the youngest age ({low}) is above the oldest age ({high})").format(
            low=record.get("age_min"), high=record.get("age_max")
        )
    return problem.message


def unique_id(plan: Plan, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3`` … whichever no population of the plan uses."""
    taken = {p.id for p in plan.populations}
    candidate, n = stem, 2
    while candidate in taken:
        candidate, n = f"{stem}-{n}", n + 1
    return candidate


def duplicate_values(plan: Plan, population: TargetPopulation) -> dict[str, Any]:
    """The form's fields for a copy of ``population`` under a free id."""
    values = values_from_population(population)
    values["id"] = unique_id(plan, f"{population.id}-copy")
    if population.name:
        values["name"] = _("{name} (copy)").format(name=population.name)
    return values


def put_population(plan: Plan, population: TargetPopulation, replacing: str | None) -> Plan:
    """The plan with ``population`` added, or in place of population ``replacing``.

    Renaming a population's id carries its activities along.
    """
    if replacing is None:
        return plan.model_copy(update={"populations": (*plan.populations, population)})
    populations = tuple(population if p.id == replacing else p for p in plan.populations)
    activities = plan.activities
    if population.id != replacing:
        activities = tuple(
            a.model_copy(update={"population_id": population.id})
            if a.population_id == replacing
            else a
            for a in plan.activities
        )
    return plan.model_copy(update={"populations": populations, "activities": activities})


def remove_population(plan: Plan, population_id: str) -> Plan:
    """The plan without the population and the activities serving it."""
    return plan.model_copy(
        update={
            "populations": tuple(p for p in plan.populations if p.id != population_id),
            "activities": tuple(a for a in plan.activities if a.population_id != population_id),
        }
    )


def add_populations(plan: Plan, populations: Sequence[TargetPopulation]) -> tuple[Plan, list[str]]:
    """The plan with the new populations added; ids the plan already has are left out."""
    taken = {p.id for p in plan.populations}
    new = [p for p in populations if p.id not in taken]
    skipped = [p.id for p in populations if p.id in taken]
    return plan.model_copy(update={"populations": (*plan.populations, *new)}), skipped
