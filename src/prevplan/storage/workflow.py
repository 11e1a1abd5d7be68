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
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Final

from sqlalchemy import Connection, and_, insert, select

from prevplan.i18n import N_, _
from prevplan.storage.records import Comment, ReviewStep
from prevplan.storage.schema import plan_comments, plan_reviews


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


__all__: Sequence[str] = ("COMMENT_TARGETS", "REOPENED", "Status")
