"""A team's store: roles per organisation and per plan, the audit log, approval — on SQLite
and PostgreSQL alike."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from prevplan.plan.models import Plan
from prevplan.population import TargetPopulation
from prevplan.storage import SqlPlanStore
from prevplan.storage.access import LOCAL, Identity, Role, roles_from_groups
from prevplan.storage.audit import audit_csv
from prevplan.storage.errors import (
    AccessDeniedError,
    PlanLockedError,
    PlanNotFoundError,
    WorkflowError,
)
from prevplan.storage.scoped import ScopedPlanStore, scoped
from prevplan.storage.workflow import Status
from tests.storage.conftest import make_plan

ROOT = Identity(subject="root@ministry.example", name="Root", superuser=True)
EDITOR = Identity(subject="aigerim@health.example", name="Aigerim", email="aigerim@health.example")
APPROVER = Identity(subject="boris@health.example", name="Boris", email="boris@health.example")
VIEWER = Identity(subject="chen@health.example", name="Chen", email="chen@health.example")
NGO = Identity(subject="dana@ngo.example", name="Dana", email="dana@ngo.example")


@pytest.fixture
def team(store: SqlPlanStore) -> SqlPlanStore:
    """Two organisations: the ministry (editor, approver, viewer) and an NGO (editor)."""
    root = scoped(store, ROOT)
    root.create_organisation("Ministry of Health")
    root.create_organisation("Hope NGO")
    root.set_member_role("Ministry of Health", EDITOR.subject, Role.EDITOR)
    root.set_member_role("Ministry of Health", APPROVER.subject, Role.APPROVER)
    root.set_member_role("Ministry of Health", VIEWER.subject, Role.VIEWER)
    root.set_member_role("Hope NGO", NGO.subject, Role.EDITOR)
    return store


def as_user(store: SqlPlanStore, who: Identity, organisation: str | None = None) -> ScopedPlanStore:
    return scoped(store, who, organisation)


def test_a_new_plan_belongs_to_its_editors_organisation_and_is_invisible_elsewhere(
    team: SqlPlanStore, plan: Plan
) -> None:
    editor = as_user(team, EDITOR, "Ministry of Health")
    info = editor.save(plan, author="typed name is ignored", base_version=None)
    assert info.author == "Aigerim <aigerim@health.example>"
    assert [p.name for p in as_user(team, VIEWER).list_plans()] == [plan.name]
    ngo = as_user(team, NGO, "Hope NGO")
    assert ngo.list_plans() == []
    # Another organisation's plan is "not stored" to them: its name reveals nothing.
    with pytest.raises(PlanNotFoundError):
        ngo.load(plan.name)
    with pytest.raises(PlanNotFoundError):
        ngo.save(plan, author="x", base_version=1)
    with pytest.raises(AccessDeniedError, match="taken by a plan you cannot see"):
        ngo.save(plan, author="x", base_version=None)
    assert editor.plan_access(plan.name).organisation == "Ministry of Health"


def test_a_viewer_cannot_save_restore_or_comment_and_is_told_why(
    team: SqlPlanStore, plan: Plan
) -> None:
    as_user(team, EDITOR, "Ministry of Health").save(plan, author="-", base_version=None)
    viewer = as_user(team, VIEWER, "Ministry of Health")
    assert viewer.load(plan.name) == plan
    changed = plan.model_copy(update={"description": "viewer's edit"})
    with pytest.raises(AccessDeniedError) as refused:
        viewer.save(changed, author="Chen", base_version=1)
    message = str(refused.value)
    assert "Chen" in message and "viewer" in message and "editor" in message
    with pytest.raises(AccessDeniedError):
        viewer.restore(plan.name, 1, author="Chen")
    with pytest.raises(AccessDeniedError):
        viewer.comment(plan.name, "looks fine")
    with pytest.raises(AccessDeniedError):
        viewer.save(make_plan("Viewer's own plan"), author="Chen", base_version=None)
    assert [v.version for v in team.versions(plan.name)] == [1]


def test_a_role_on_one_plan_opens_that_plan_only(team: SqlPlanStore, plan: Plan) -> None:
    as_user(team, EDITOR, "Ministry of Health").save(plan, author="-", base_version=None)
    other = make_plan("Regional plan")
    as_user(team, EDITOR, "Ministry of Health").save(other, author="-", base_version=None)
    as_user(team, ROOT).set_plan_role(plan.name, NGO.subject, Role.VIEWER)
    ngo = as_user(team, NGO, "Hope NGO")
    assert [p.name for p in ngo.list_plans()] == [plan.name]
    assert ngo.role_on(plan.name) is Role.VIEWER
    assert ngo.role_on(other.name) is None


def test_an_admin_of_one_organisation_cannot_assign_roles_in_another(team: SqlPlanStore) -> None:
    as_user(team, ROOT).set_member_role("Hope NGO", APPROVER.subject, Role.ADMIN)
    ngo_admin = as_user(team, APPROVER)
    ngo_admin.set_member_role("Hope NGO", VIEWER.subject, Role.VIEWER)
    with pytest.raises(AccessDeniedError):
        ngo_admin.set_member_role("Ministry of Health", NGO.subject, Role.ADMIN)
    with pytest.raises(AccessDeniedError):
        as_user(team, EDITOR).create_organisation("Shadow organisation")
    assert {m.organisation for m in ngo_admin.members()} == {"Hope NGO"}


def test_roles_from_the_group_claim_follow_the_provider(team: SqlPlanStore) -> None:
    claimed, admin = roles_from_groups(
        ["/prevplan/Regional Department/approver", "prevplan:Hope NGO:viewer", "staff", "x/y/z"]
    )
    assert claimed == [("Regional Department", Role.APPROVER), ("Hope NGO", Role.VIEWER)]
    assert not admin
    assert roles_from_groups(["/prevplan/admin"]) == ([], True)
    who = as_user(team, VIEWER)
    who.sync_claimed_roles(claimed)
    roles = who.organisation_roles()
    assert roles["Regional Department"] is Role.APPROVER  # created from the claim
    assert roles["Ministry of Health"] is Role.VIEWER  # given in the app, kept
    who.sync_claimed_roles([])  # removed from the group at the provider
    assert "Regional Department" not in who.organisation_roles()


def test_approval_goes_draft_submitted_returned_submitted_approved_and_freezes(
    team: SqlPlanStore, plan: Plan
) -> None:
    editor = as_user(team, EDITOR, "Ministry of Health")
    approver = as_user(team, APPROVER, "Ministry of Health")
    editor.save(plan, author="-", base_version=None)
    assert editor.plan_access(plan.name).status is Status.DRAFT
    with pytest.raises(WorkflowError):
        approver.approve(plan.name)  # a draft is not approved
    with pytest.raises(AccessDeniedError):
        as_user(team, VIEWER).submit(plan.name)
    editor.submit(plan.name, comment="ready")
    with pytest.raises(PlanLockedError, match="submitted"):
        editor.save(plan.model_copy(update={"period": "2027"}), author="-", base_version=1)
    with pytest.raises(AccessDeniedError):
        editor.approve(plan.name)  # approving needs the approver role
    with pytest.raises(WorkflowError):
        approver.return_for_revision(plan.name, comment="  ")
    approver.comment(plan.name, "Reach looks too high", target_kind="activity", target_id="lessons")
    approver.return_for_revision(plan.name, comment="Check the reach of the lessons")
    assert editor.plan_access(plan.name).status is Status.RETURNED
    revised = editor.save(
        plan.model_copy(update={"period": "2026–2028"}), author="-", base_version=1
    )
    assert editor.plan_access(plan.name).status is Status.DRAFT
    editor.submit(plan.name)
    approver.approve(plan.name, comment="Approved by the board")
    state = editor.plan_access(plan.name)
    assert state.status is Status.APPROVED and state.approval is not None
    assert (state.approval.version, state.approval.actor) == (revised.version, APPROVER.author)
    assert editor.approval_of(plan.name, revised.version) == state.approval
    with pytest.raises(PlanLockedError, match="approved"):
        editor.save(plan, author="-", base_version=revised.version)
    with pytest.raises(PlanLockedError):
        editor.restore(plan.name, 1, author="-")
    with pytest.raises(PlanLockedError):
        as_user(team, ROOT).delete(plan.name)
    # A new revision: drafting goes on above the approved version, which stays approved.
    editor.reopen(plan.name)
    third = editor.save(plan, author="-", base_version=revised.version)
    assert editor.plan_access(plan.name).status is Status.DRAFT
    assert editor.approval_of(plan.name, revised.version) is not None
    assert editor.approval_of(plan.name, third.version) is None
    [comment] = editor.comments(plan.name)
    assert (comment.target_kind, comment.target_id, comment.author) == (
        "activity",
        "lessons",
        APPROVER.author,
    )
    steps = [(s.status, s.actor) for s in editor.review_history(plan.name)]
    assert steps == [
        ("submitted", EDITOR.author),
        ("returned", APPROVER.author),
        ("submitted", EDITOR.author),
        ("approved", APPROVER.author),
        ("reopened", EDITOR.author),
    ]


def test_the_audit_log_says_who_changed_what_from_what_to_what(
    team: SqlPlanStore, plan: Plan
) -> None:
    editor = as_user(team, EDITOR, "Ministry of Health")
    editor.save(plan, author="-", base_version=None)
    bigger = plan.model_copy(
        update={
            "populations": (
                plan.populations[0].model_copy(update={"size": 900}),
                *plan.populations[1:],
                TargetPopulation(id="teachers", age_min=25, age_max=60, size=90),
            )
        }
    )
    editor.save(bigger, author="-", comment="more pupils", base_version=1)
    editor.submit(plan.name)
    lines = editor.audit_log(plan.name)
    assert all(line.actor == EDITOR.author for line in lines)
    actions = [(line.action, line.target, line.before, line.after) for line in lines]
    assert ("save", "more pupils", "1", "2") in actions
    assert ("change", "population pupils: size", "800", "900") in actions
    assert ("add", "population teachers", None, None) in actions
    assert actions[-1] == ("submit", "", "draft", "submitted")
    table = list(csv.reader(io.StringIO(audit_csv(lines).decode("utf-8-sig"))))
    assert table[0][:3] == ["Time (UTC)", "Who", "Action"]
    assert any(row[5] == "population pupils: size" and row[6:] == ["800", "900"] for row in table)
    # Role changes are in the log too.
    assert any(line.action == "role" for line in as_user(team, ROOT).full_audit_log())


def test_the_audit_log_refuses_updates_and_deletes_in_the_database(
    team: SqlPlanStore, plan: Plan
) -> None:
    as_user(team, EDITOR, "Ministry of Health").save(plan, author="-", base_version=None)
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), team.transaction(write=True) as conn:
            conn.execute(sa.text(statement))
    lines = as_user(team, ROOT).full_audit_log()
    assert lines and all(line.actor != "someone else" for line in lines)


def test_the_single_user_default_is_unrestricted_and_audited(
    store: SqlPlanStore, plan: Plan
) -> None:
    local = scoped(store, LOCAL)
    local.save(plan, author="Aigerim", base_version=None)
    assert local.can_create()
    local.submit(plan.name)
    local.approve(plan.name)
    assert local.plan_access(plan.name).status is Status.APPROVED
    assert [line.actor for line in local.audit_log(plan.name)][:1] == ["Aigerim"]


SECOND = Identity(subject="erlan@health.example", name="Erlan", email="erlan@health.example")


def test_the_four_eyes_rule_refuses_approving_what_one_saved_or_submitted(
    team: SqlPlanStore, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREVPLAN_FOUR_EYES", raising=False)
    as_user(team, ROOT).set_member_role("Ministry of Health", SECOND.subject, Role.APPROVER)
    # An approver who drafted the plan themselves: their own version, someone else submits.
    author = as_user(team, APPROVER, "Ministry of Health")
    author.save(plan, author="-", base_version=None)
    as_user(team, EDITOR).submit(plan.name)
    found = author.plan_access(plan.name)
    assert found.own_work is not None and found.approval_refusal is not None
    assert "you saved version 1" in found.approval_refusal
    with pytest.raises(AccessDeniedError, match="four-eyes"):
        author.approve(plan.name)
    assert author.plan_access(plan.name).status is Status.SUBMITTED  # nothing written
    # The approver who submitted a version someone else saved may not approve it either.
    author.return_for_revision(plan.name, comment="withdrawn")
    as_user(team, EDITOR).save(
        plan.model_copy(update={"period": "2027"}), author="-", base_version=1
    )
    second = as_user(team, SECOND)
    second.submit(plan.name)
    with pytest.raises(AccessDeniedError, match="you submitted version 2"):
        second.approve(plan.name)
    # The revision since the last approval counts: version 1 was the first approver's.
    with pytest.raises(AccessDeniedError, match="you saved version 1"):
        author.approve(plan.name)
    # A third approver, who neither wrote nor submitted it, approves.
    third = Identity(subject="farida@health.example", name="Farida", email="farida@health.example")
    as_user(team, ROOT).set_member_role("Ministry of Health", third.subject, Role.APPROVER)
    assert as_user(team, third).plan_access(plan.name).approval_refusal is None
    as_user(team, third).approve(plan.name)
    assert not any(line.action == "own_approval" for line in author.audit_log(plan.name))
    # After approval the next revision starts clean: version 1's author may approve version 3.
    editor = as_user(team, EDITOR)
    editor.reopen(plan.name)
    editor.save(plan, author="-", base_version=2)
    editor.submit(plan.name)
    author.approve(plan.name)
    assert author.plan_access(plan.name).status is Status.APPROVED


def test_an_office_of_one_switches_the_four_eyes_rule_off_and_the_log_says_so(
    team: SqlPlanStore, plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREVPLAN_FOUR_EYES", "off")
    alone = as_user(team, APPROVER, "Ministry of Health")
    alone.save(plan, author="-", base_version=None)
    alone.submit(plan.name)
    assert alone.plan_access(plan.name).approval_refusal is None
    alone.approve(plan.name)
    [waiver] = [line for line in alone.audit_log(plan.name) if line.action == "own_approval"]
    assert (waiver.actor, waiver.target, waiver.version) == (
        APPROVER.author,
        "PREVPLAN_FOUR_EYES=off",
        1,
    )
    assert waiver.after == "submitted v1"


def test_renaming_and_deleting_go_through_the_roles_the_approval_and_the_audit_log(
    team: SqlPlanStore, plan: Plan
) -> None:
    editor = as_user(team, EDITOR, "Ministry of Health")
    editor.save(plan, author="-", base_version=None)
    with pytest.raises(AccessDeniedError):
        as_user(team, VIEWER).rename(plan.name, "Viewer's name")
    with pytest.raises(PlanNotFoundError):
        as_user(team, NGO).take_out(plan.name)
    with pytest.raises(AccessDeniedError):
        editor.take_out(plan.name)  # deleting needs an admin
    editor.rename(plan.name, "Renamed plan")
    admin = as_user(team, ROOT)
    history = admin.take_out("Renamed plan")
    assert as_user(team, VIEWER).list_plans() == []
    admin.put_back(history)
    # Back with its owner: the ministry's people see it again.
    assert [p.name for p in as_user(team, VIEWER).list_plans()] == ["Renamed plan"]
    actions = [(line.action, line.before, line.after) for line in admin.audit_log("Renamed plan")]
    assert ("rename", plan.name, "Renamed plan") in actions
    assert [a for a, _b, _c in actions][-2:] == ["delete", "undelete"]
    editor.submit("Renamed plan")
    with pytest.raises(PlanLockedError):
        editor.rename("Renamed plan", "Another name")
    # Nor deleted while an approver reviews it.
    with pytest.raises(PlanLockedError, match="submitted"):
        admin.take_out("Renamed plan")
    as_user(team, APPROVER).approve("Renamed plan")
    with pytest.raises(PlanLockedError):
        admin.take_out("Renamed plan")


def test_a_new_plan_never_inherits_a_deleted_plans_audit_log(
    team: SqlPlanStore, plan: Plan
) -> None:
    ngo = as_user(team, NGO, "Hope NGO")
    ngo.save(plan.model_copy(update={"name": "NGO inventory"}), author="-", base_version=None)
    as_user(team, ROOT).delete("NGO inventory")
    editor = as_user(team, EDITOR, "Ministry of Health")
    editor.save(plan, author="-", base_version=None)
    assert {line.plan_name for line in editor.audit_log(plan.name)} == {plan.name}
