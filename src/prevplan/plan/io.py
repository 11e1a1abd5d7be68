"""Reading and writing plan files (YAML or JSON): populations, activities and tracker.

``read_plan`` validates the whole file and reports every problem at once — populations as in
interfaces §2; activities pointing at unknown populations, strategies, interventions or
Annex V items; negative reach or cost; duplicate ids — and resolves strategy and
intervention names given as clause references (``VI-3.1.1``) to rule ids. The JSON written
by :func:`plan_to_json` reads back to an equal plan.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from prevplan.i18n import _
from prevplan.io.errors import problem_from_error
from prevplan.io.files import read_input_bytes
from prevplan.io.populations import check_population_records, load_structured_bytes
from prevplan.plan.models import Activity, Plan, TrackerEntry
from prevplan.plan.resolve import resolve_refs
from prevplan.problems import PLAN, Location, Problem, ProblemsError, record_at
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind

PLAN_KEYS = (
    "name",
    "country",
    "region",
    "period",
    "description",
    "currency",
    "price_year",
    "populations",
    "activities",
    "tracker",
)


def read_plan(path: Path, rules: RuleSet | None = None) -> Plan:
    """Read and validate a plan file; raise :class:`ProblemsError` with every problem."""
    file = str(path)
    return parse_plan_bytes(read_input_bytes(path, file), file, rules)


def parse_plan_bytes(data: bytes, file: str, rules: RuleSet | None = None) -> Plan:
    loaded = load_structured_bytes(data, file)
    if not isinstance(loaded, Mapping):
        raise ProblemsError(
            [Problem(file, "", "", _("expected a mapping with 'populations' and 'activities'"))]
        )
    default_name = Path(file).stem or "plan"
    return plan_from_data(loaded, file, rules, default_name=default_name)


def plan_from_data(
    data: Mapping[str, Any],
    file: str,
    rules: RuleSet | None = None,
    *,
    default_name: str = "plan",
) -> Plan:
    """Validate plan data already loaded from a file, a form or the database."""
    ruleset = rules if rules is not None else load_rules()
    problems: list[Problem] = []
    unknown = sorted(set(data) - set(PLAN_KEYS))
    problems += [
        Problem(
            file,
            "",
            key,
            _("unknown key; expected one of {keys}").format(keys=", ".join(PLAN_KEYS)),
        )
        for key in unknown
    ]
    # A missing or null section is empty; anything else must be a list.
    raw_pops = data.get("populations")
    raw_acts = data.get("activities")
    raw_tracker = data.get("tracker")
    raw_pops = [] if raw_pops is None else raw_pops
    raw_acts = [] if raw_acts is None else raw_acts
    raw_tracker = [] if raw_tracker is None else raw_tracker
    for key, value in (
        ("populations", raw_pops),
        ("activities", raw_acts),
        ("tracker", raw_tracker),
    ):
        if not isinstance(value, list):
            problems.append(Problem(file, "", key, _("expected a list")))
    if problems:
        raise ProblemsError(problems)
    populations, pop_problems = check_population_records(raw_pops, file, label="population")
    problems += pop_problems
    activities = _activities(raw_acts, file, problems)
    tracker = _tracker(raw_tracker, file, problems)
    pop_ids = {p.get("id") for p in raw_pops if isinstance(p, Mapping)}
    resolved = [_resolve(a, n, file, pop_ids, ruleset, problems) for n, a in activities]
    positions: dict[str, list[int]] = {}
    for n, activity in activities:
        positions.setdefault(activity.id, []).append(n + 1)
    for dup, where in positions.items():
        if len(where) > 1:
            items = ", ".join(_("activity {n}").format(n=n) for n in where)
            problems.append(
                Problem(
                    file,
                    Location("activity_id", id=dup),
                    "id",
                    _("duplicate activity id (used by {items})").format(items=items),
                )
            )
    tracked = Counter(entry.action_item for entry in tracker)
    for ref in sorted(ref for ref, n in tracked.items() if n > 1):
        problems.append(
            Problem(
                file,
                tracker_where(ref),
                "action_item",
                _("the same Program of Actions item is tracked more than once"),
            )
        )
    for entry in tracker:
        if entry.action_item not in ruleset.action_items:
            problems.append(
                Problem(
                    file,
                    tracker_where(entry.action_item),
                    "action_item",
                    _("unknown Program of Actions item (expected e.g. {example})").format(
                        example="V-3.5"
                    ),
                )
            )
    ProblemsError.raise_if_any(problems)
    meta = {
        k: data[k]
        for k in ("name", "country", "region", "period", "description", "currency", "price_year")
        if data.get(k) is not None
    }
    meta.setdefault("name", default_name)
    try:
        return Plan.model_validate(
            {**meta, "populations": populations, "activities": resolved, "tracker": tracker}
        )
    except ValidationError as exc:
        raise ProblemsError(
            [problem_from_error(file, PLAN, e) for e in exc.errors(include_url=False)]
        ) from None


def activity_where(n: int, raw: object) -> Location:
    """``activity 3 (id a3)``: the ``n``-th activity (from 0) of a plan, as problems name it.

    ``raw`` is the activity as read (a mapping) or the validated :class:`Activity`; the
    table editor matches problems to its rows with the location's number.
    """
    raw_id = raw.get("id") if isinstance(raw, Mapping) else getattr(raw, "id", None)
    return record_at("activity", n + 1, raw_id)


def tracker_where(ref: str) -> Location:
    """``tracker V-3.5``: the tracker entry of one Program of Actions item."""
    return Location("tracker_ref", id=ref)


def _activities(
    raw: Sequence[object], file: str, problems: list[Problem]
) -> list[tuple[int, Activity]]:
    out: list[tuple[int, Activity]] = []
    for n, item in enumerate(raw):
        try:
            out.append((n, Activity.model_validate(item)))
        except ValidationError as exc:
            where = activity_where(n, item)
            problems += [problem_from_error(file, where, e) for e in exc.errors(include_url=False)]
    return out


def _tracker(raw: Sequence[object], file: str, problems: list[Problem]) -> list[TrackerEntry]:
    out: list[TrackerEntry] = []
    for n, item in enumerate(raw):
        try:
            out.append(TrackerEntry.model_validate(item))
        except ValidationError as exc:
            where = Location("tracker", number=n + 1)
            problems += [problem_from_error(file, where, e) for e in exc.errors(include_url=False)]
    return out


def _resolve(
    activity: Activity,
    n: int,
    file: str,
    pop_ids: set[object],
    rules: RuleSet,
    problems: list[Problem],
) -> Activity:
    where = activity_where(n, activity)
    if activity.population_id not in pop_ids:
        problems.append(
            Problem(
                file,
                where,
                "population_id",
                _("unknown population '{id}'").format(id=activity.population_id),
            )
        )
    strategies = resolve_refs(rules, Kind.STRATEGY, activity.strategies, file, where, problems)
    interventions = resolve_refs(
        rules, Kind.INTERVENTION, activity.interventions, file, where, problems
    )
    for ref in activity.action_items:
        if ref not in rules.action_items:
            problems.append(
                Problem(
                    file,
                    where,
                    "action_items",
                    _("unknown Program of Actions item '{ref}' (expected e.g. {example})").format(
                        ref=ref, example="V-3.5"
                    ),
                )
            )
    return activity.model_copy(update={"strategies": strategies, "interventions": interventions})


def plan_to_data(plan: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data; reads back with :func:`plan_from_data` unchanged."""
    return plan.model_dump(mode="json", exclude_none=True)


def plan_to_json(plan: Plan) -> str:
    return json.dumps(plan_to_data(plan), ensure_ascii=False, indent=2) + "\n"
