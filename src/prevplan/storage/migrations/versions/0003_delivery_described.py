"""How many of a version's activities say how they are delivered, for the version list.

Activities gained optional delivery fields (format, sessions, boosters, trained deliverers,
practices, programme — interfaces §3), from which the assessment judges quality and
effective coverage. ``plan_versions.described_count`` copies out how many activities of a
version give a ``format``, so a coordinator sees from the version list how far the plan's
quality can be judged without loading it. Existing versions are counted from their data.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``plan_versions.described_count`` and count it for the versions already kept."""
    op.add_column(
        "plan_versions",
        sa.Column("described_count", sa.Integer(), nullable=False, server_default="0"),
    )
    versions = sa.table(
        "plan_versions",
        sa.column("id", sa.Integer),
        sa.column("data", sa.Text),
        sa.column("described_count", sa.Integer),
    )
    rows = op.get_bind().execute(sa.select(versions.c.id, versions.c.data)).all()
    for version_id, data in rows:
        # A damaged version counts none and does not stop the upgrade: it is quarantined
        # when loaded (prevplan.storage.errors.DamagedVersionError).
        try:
            decoded = json.loads(data)
        except (ValueError, RecursionError):
            continue
        activities = (decoded.get("activities") if isinstance(decoded, dict) else None) or []
        if not isinstance(activities, list):
            continue
        described = sum(1 for a in activities if isinstance(a, dict) and a.get("format"))
        if described:
            op.execute(
                versions.update()
                .where(versions.c.id == version_id)
                .values(described_count=described)
            )


def downgrade() -> None:
    """Drop the count again."""
    op.drop_column("plan_versions", "described_count")
