"""A team's tables: organisations, roles, plan ownership, the audit log, approval, comments.

``audit_log`` is append-only in the database itself: a trigger refuses every ``UPDATE`` and
``DELETE`` on it (SQLite ``RAISE(ABORT)``, a PostgreSQL trigger function), so not even a
bug in prevplan can rewrite who did what. Plans stored before this revision belong to no
organisation: with sign-in, only an administrator of the whole deployment sees them until
one is given to an organisation (Admin page).

Revision ID: 0005
Revises: 0003
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = "the audit log is append-only"


def upgrade() -> None:
    """Create the team tables and make the audit log append-only."""
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_organisations"),
        sa.UniqueConstraint("name", name="uq_organisations_name"),
    )
    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_memberships"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_memberships_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "subject",
            "source",
            name="uq_memberships_organisation_id_subject_source",
        ),
    )
    op.create_table(
        "plan_owners",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id", name="pk_plan_owners"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_plan_owners_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_plan_owners_organisation_id_organisations",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "plan_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_grants"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_plan_grants_plan_id_plans", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("plan_id", "subject", name="uq_plan_grants_plan_id_subject"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("plan_name", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    for table in ("plan_reviews", "plan_comments"):
        columns: list[sa.Column[Any]] = (
            [
                sa.Column("status", sa.Text(), nullable=False),
                sa.Column("actor", sa.Text(), nullable=False),
                sa.Column("at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("comment", sa.Text(), nullable=False),
            ]
            if table == "plan_reviews"
            else [
                sa.Column("target_kind", sa.Text(), nullable=False),
                sa.Column("target_id", sa.Text(), nullable=True),
                sa.Column("author", sa.Text(), nullable=False),
                sa.Column("at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("text", sa.Text(), nullable=False),
            ]
        )
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("plan_id", sa.Integer(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            *columns,
            sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
            sa.ForeignKeyConstraint(
                ["plan_id"], ["plans.id"], name=f"fk_{table}_plan_id_plans", ondelete="CASCADE"
            ),
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION prevplan_audit_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION prevplan_audit_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )


def downgrade() -> None:
    """Drop the team tables (the audit log with them)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION prevplan_audit_append_only()")
    for table in (
        "plan_comments",
        "plan_reviews",
        "audit_log",
        "plan_grants",
        "plan_owners",
        "memberships",
        "organisations",
    ):
        op.drop_table(table)
