"""Drafts: each person's unsaved work on a plan, and which plan they had open last.

Adds ``plan_drafts`` (:mod:`prevplan.storage.drafts`): one row per person and plan, the
plan's JSON while it has unsaved changes. No existing row changes.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``plan_drafts``."""
    op.create_table(
        "plan_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("plan_key", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("data", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_drafts"),
        sa.UniqueConstraint("owner", "plan_key", name="uq_plan_drafts_owner_plan_key"),
    )


def downgrade() -> None:
    """Drop ``plan_drafts`` (unsaved drafts are lost; saved versions are untouched)."""
    op.drop_table("plan_drafts")
