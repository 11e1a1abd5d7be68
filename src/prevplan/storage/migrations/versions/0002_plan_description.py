"""A plan's description on its ``plans`` row, so listings need not read plan data.

Existing plans get the description of their latest version. A version whose stored data is
damaged (not JSON, or not an object) gives no description and does not stop the upgrade:
it is quarantined when it is loaded (``prevplan.storage.errors.DamagedVersionError``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("plans", sa.Column("description", sa.Text(), nullable=True))
    plans = sa.table("plans", sa.column("id", sa.Integer), sa.column("description", sa.Text))
    versions = sa.table(
        "plan_versions",
        sa.column("plan_id", sa.Integer),
        sa.column("version", sa.Integer),
        sa.column("data", sa.Text),
    )
    latest = (
        sa.select(versions.c.plan_id, sa.func.max(versions.c.version).label("version"))
        .group_by(versions.c.plan_id)
        .subquery()
    )
    rows = op.get_bind().execute(
        sa.select(versions.c.plan_id, versions.c.data).join(
            latest,
            sa.and_(versions.c.plan_id == latest.c.plan_id, versions.c.version == latest.c.version),
        )
    )
    for plan_id, data in rows.all():
        try:
            decoded = json.loads(data)
        except (ValueError, RecursionError):
            continue
        description = decoded.get("description") if isinstance(decoded, dict) else None
        if isinstance(description, str):
            op.execute(plans.update().where(plans.c.id == plan_id).values(description=description))


def downgrade() -> None:
    op.drop_column("plans", "description")
