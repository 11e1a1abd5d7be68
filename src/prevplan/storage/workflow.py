"""Approving a plan: draft → submitted → approved, or returned with comments; and comments.

A national plan is drafted by editors, submitted for approval, and either approved — that
version is then the plan of record, frozen — or returned with the approver's comments to be
revised. The state belongs to the plan's latest version: a version nobody has submitted is a
*draft*; saving a new version after one was returned makes a new draft. While a version is
*submitted* or *approved* the plan takes no new version (no save, no restore): an approver
must return it first, or — for an approved plan — an editor starts a new revision
(``reopen``), which leaves the approved version approved and lets drafting go on above it.

Comments are remarks on the plan, on one of its target populations or on one of its
activities, made at a version; a returned version's reasons are kept with the step too.

The *four-eyes rule*: whoever submitted a version, or saved any version of the revision
under approval (every version since the last approved one), may not approve it — a second
person checks the plan of record. An office of one switches the rule off with
``PREVPLAN_FOUR_EYES=off`` (:data:`FOUR_EYES_ENV`); each approval of one's own work is then
written in the audit log as such. The single-user default (no sign-in) is one person by
definition and is not held to the rule.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import Connection, and_, insert, select

from prevplan.i18n import N_, _
from prevplan.storage.access import Identity, same_person
from prevplan.storage.records import Comment, ReviewStep
from prevplan.storage.schema import plan_comments, plan_reviews, plan_versions


class Status(StrEnum):
    """Where a plan's latest version stands in the approval."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        """The status in the current language."""
        return _(STATUS_LABELS[self])


STATUS_LABELS: Final = {
    Status.DRAFT: N_("draft"),
    Status.SUBMITTED: N_("submitted for approval"),
    Status.APPROVED: N_("approved"),
    Status.RETURNED: N_("returned with comments"),
}

#: The step that starts a new revision above an approved version (not itself a status).
REOPENED: Final = "reopened"

#: What a comment may be about.
COMMENT_TARGETS: Final = ("plan", "population", "activity")


def history(conn: Connection, plan_id: int) -> list[ReviewStep]:
    """Every approval step of the plan, oldest first."""
    rows = conn.execute(
        select(plan_reviews).where(plan_reviews.c.plan_id == plan_id).order_by(plan_reviews.c.id)
    ).all()
    return [
        ReviewStep(
            version=row.version, status=row.status, actor=row.actor, at=row.at, comment=row.comment
        )
        for row in rows
    ]


def status_of(conn: Connection, plan_id: int, latest_version: int) -> Status:
    """The state of the plan's latest version."""
    row = conn.execute(
        select(plan_reviews.c.version, plan_reviews.c.status)
        .where(plan_reviews.c.plan_id == plan_id)
        .order_by(plan_reviews.c.id.desc())
        .limit(1)
    ).first()
    if row is None or row.version != latest_version or row.status == REOPENED:
        return Status.DRAFT
    return Status(row.status)


def approval_of(conn: Connection, plan_id: int, version: int) -> ReviewStep | None:
    """The step that approved ``version``, if it was approved."""
    row = conn.execute(
        select(plan_reviews)
        .where(
            and_(
                plan_reviews.c.plan_id == plan_id,
                plan_reviews.c.version == version,
                plan_reviews.c.status == Status.APPROVED,
            )
        )
        .order_by(plan_reviews.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return ReviewStep(
        version=row.version, status=row.status, actor=row.actor, at=row.at, comment=row.comment
    )


#: The switch for an office of one: ``PREVPLAN_FOUR_EYES=off`` lets a person approve their own work.
FOUR_EYES_ENV: Final = "PREVPLAN_FOUR_EYES"
FOUR_EYES_OFF: Final = frozenset({"off", "0", "no", "false"})


def four_eyes_required() -> bool:
    """Whether an approver must be someone other than the revision's authors and submitter."""
    return os.environ.get(FOUR_EYES_ENV, "").strip().lower() not in FOUR_EYES_OFF


@dataclass(frozen=True)
class OwnWork:
    """The person's part in the revision under approval: they ``submitted`` or ``saved``
    ``version``."""

    part: str
    version: int

    @property
    def code(self) -> str:
        """Language-neutral, for the audit log (``submitted v2``)."""
        return f"{self.part} v{self.version}"

    @property
    def text(self) -> str:
        """In the reader's language."""
        if self.part == "submitted":
            return _("you submitted version {version}").format(version=self.version)
        return _("you saved version {version} of this revision").format(version=self.version)


def own_work(
    conn: Connection, plan_id: int, latest_version: int, person: Identity
) -> OwnWork | None:
    """Why ``person`` would approve their own work (``None``: they did not write or submit
    the revision under approval).

    The revision is every version above the last approved one up to ``latest_version``.
    """
    if person.local:
        return None
    approved = conn.execute(
        select(plan_reviews.c.version)
        .where(
            and_(
                plan_reviews.c.plan_id == plan_id,
                plan_reviews.c.status == Status.APPROVED,
                plan_reviews.c.version < latest_version,
            )
        )
        .order_by(plan_reviews.c.version.desc())
        .limit(1)
    ).scalar_one_or_none()
    submitter = conn.execute(
        select(plan_reviews.c.actor)
        .where(
            and_(
                plan_reviews.c.plan_id == plan_id,
                plan_reviews.c.version == latest_version,
                plan_reviews.c.status == Status.SUBMITTED,
            )
        )
        .order_by(plan_reviews.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if submitter is not None and same_person(str(submitter), person):
        return OwnWork("submitted", latest_version)
    authored = conn.execute(
        select(plan_versions.c.version, plan_versions.c.author)
        .where(
            and_(
                plan_versions.c.plan_id == plan_id,
                plan_versions.c.version > (approved or 0),
                plan_versions.c.version <= latest_version,
            )
        )
        .order_by(plan_versions.c.version.desc())
    ).all()
    mine = [int(row.version) for row in authored if same_person(str(row.author), person)]
    if mine:
        return OwnWork("saved", mine[0])
    return None


def four_eyes_refusal(work: OwnWork) -> str:
    """The message refusing an approval of one's own work."""
    return _(
        "{reason}: under the four-eyes rule another approver of the plan approves it "
        "(an office of one may set {switch}=off)"
    ).format(reason=work.text, switch=FOUR_EYES_ENV)


def add_step(
    conn: Connection, plan_id: int, version: int, status: str, actor: str, comment: str
) -> ReviewStep:
    at = datetime.now(UTC)
    conn.execute(
        insert(plan_reviews).values(
            plan_id=plan_id, version=version, status=status, actor=actor, at=at, comment=comment
        )
    )
    return ReviewStep(version=version, status=status, actor=actor, at=at, comment=comment)


def add_comment(
    conn: Connection,
    plan_id: int,
    version: int,
    *,
    target_kind: str,
    target_id: str | None,
    author: str,
    text: str,
) -> Comment:
    at = datetime.now(UTC)
    result = conn.execute(
        insert(plan_comments).values(
            plan_id=plan_id,
            version=version,
            target_kind=target_kind,
            target_id=target_id,
            author=author,
            at=at,
            text=text,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return Comment(
        id=int(key[0]),
        version=version,
        target_kind=target_kind,
        target_id=target_id,
        author=author,
        at=at,
        text=text,
    )


def comments_of(conn: Connection, plan_id: int) -> list[Comment]:
    rows = conn.execute(
        select(plan_comments).where(plan_comments.c.plan_id == plan_id).order_by(plan_comments.c.id)
    ).all()
    return [
        Comment(
            id=row.id,
            version=row.version,
            target_kind=row.target_kind,
            target_id=row.target_id,
            author=row.author,
            at=row.at,
            text=row.text,
        )
        for row in rows
    ]


__all__: Sequence[str] = (
    "COMMENT_TARGETS",
    "FOUR_EYES_ENV",
    "REOPENED",
    "OwnWork",
    "Status",
    "four_eyes_refusal",
    "four_eyes_required",
    "own_work",
)
