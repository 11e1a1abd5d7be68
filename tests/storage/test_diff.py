"""What changed between two states of a plan, without a database."""

from __future__ import annotations

from prevplan.plan.models import Plan
from prevplan.storage import FieldChange, ItemChange, diff_plan_data, diff_plans


def test_identical_plans_have_an_empty_diff(plan: Plan) -> None:
    diff = diff_plans(plan, plan)
    assert diff.is_empty
    assert diff.name == plan.name


def test_reordering_populations_and_activities_is_not_a_change(plan: Plan) -> None:
    shuffled = plan.model_copy(
        update={
            "populations": tuple(reversed(plan.populations)),
            "activities": tuple(reversed(plan.activities)),
        }
    )
    assert diff_plans(plan, shuffled).is_empty


def test_metadata_changes_say_old_and_new(plan: Plan) -> None:
    renamed = plan.model_copy(update={"name": "Renamed", "country": None})
    diff = diff_plans(plan, renamed)
    assert diff.metadata == (
        FieldChange(field="name", old=plan.name, new="Renamed"),
        FieldChange(field="country", old="Kazakhstan", new=None),
    )


def test_factor_maps_are_compared_factor_by_factor() -> None:
    old = {"name": "p", "populations": [{"id": "a", "risk_factors": {"family": 0.2}}]}
    new = {
        "name": "p",
        "populations": [{"id": "a", "risk_factors": {"family": 0.2, "peers": 0.5}}],
    }
    diff = diff_plan_data(old, new, old_version=3, new_version=4)
    assert (diff.old_version, diff.new_version) == (3, 4)
    assert diff.populations.edited == (
        ItemChange(id="a", changes=(FieldChange(field="risk_factors.peers", old=None, new=0.5),)),
    )


def test_tracker_entries_are_matched_by_action_item() -> None:
    old = {"name": "p", "tracker": [{"action_item": "V-3.5", "status": "not_started"}]}
    new = {
        "name": "p",
        "tracker": [
            {"action_item": "V-4.1", "status": "not_started"},
            {"action_item": "V-3.5", "status": "done"},
        ],
    }
    diff = diff_plan_data(old, new)
    assert diff.tracker.added == ("V-4.1",)
    assert diff.tracker.edited == (
        ItemChange(
            id="V-3.5", changes=(FieldChange(field="status", old="not_started", new="done"),)
        ),
    )


def test_repeated_ids_are_all_shown() -> None:
    old = {"name": "p", "activities": [{"id": "x", "reach": 1}]}
    new = {"name": "p", "activities": [{"id": "x", "reach": 1}, {"id": "x", "reach": 2}]}
    assert diff_plan_data(old, new).activities.added == ("x#2",)
