"""The tables that keep every version of every plan.

``plans`` holds one row per plan name; ``plan_versions`` one row per save, numbered
1, 2, 3 … within its plan — the unique constraint on ``(plan_id, version)`` is what makes a
second concurrent save of the same version fail instead of overwriting the first. A
version's content is the plan's JSON (:func:`prevplan.plan.io.plan_to_data`) in a text
column, stored as written so that it reads back unchanged on any database; the population
and activity counts are copied out of it so listings need not parse it, and
``plans.description`` (migration 0002) is the latest version's description for the same
reason; ``plan_versions.described_count`` (migration 0003) is how many of the version's
activities say how they are delivered (their ``format``).

Migration 0005 adds the tables a team needs (see :mod:`prevplan.storage.access`,
:mod:`prevplan.storage.audit` and :mod:`prevplan.storage.workflow`): ``organisations``;
``memberships`` (a person's role in an organisation, given by an administrator or read from
the identity provider's group claim); ``plan_owners`` (the organisation a plan belongs to);
``plan_grants`` (a person's role on one plan); ``audit_log`` (append-only: who, when, what,
before → after); ``plan_reviews`` (each step of a version's approval); and ``plan_comments``
(remarks on a plan, a population or an activity).

These definitions describe the schema at the newest migration; the migrations in
``migrations/versions`` create and change it, and a test checks the two agree.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, always given back in UTC with its time zone.

    PostgreSQL keeps the zone (``timestamptz``); SQLite has no zone, so the time is stored
    as UTC and the zone restored on reading.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("storage times must carry a time zone")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(naming_convention=NAMING_CONVENTION)

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("description", Text, nullable=True),
    UniqueConstraint("name"),
)

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("author", Text, nullable=False),
    Column("comment", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("population_count", Integer, nullable=False),
    Column("activity_count", Integer, nullable=False),
    Column("described_count", Integer, nullable=False, server_default="0"),
    Column("data", Text, nullable=False),
    UniqueConstraint("plan_id", "version"),
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("name"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("subject", Text, nullable=False),
    Column("role", Text, nullable=False),
    # "admin": given in the app; "claim": read from the identity provider at sign-in.
    Column("source", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("organisation_id", "subject", "source"),
)

plan_owners = Table(
    "plan_owners",
    metadata,
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id",
        Integer,
        ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
    ),
)

plan_grants = Table(
    "plan_grants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("subject", Text, nullable=False),
    Column("role", Text, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("plan_id", "subject"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", Text, nullable=False),
    # No foreign key: the record outlives the plan it is about.
    Column("plan_id", Integer, nullable=True),
    Column("plan_name", Text, nullable=True),
    Column("version", Integer, nullable=True),
    Column("target", Text, nullable=False),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
)

plan_reviews = Table(
    "plan_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("comment", Text, nullable=False),
)

plan_comments = Table(
    "plan_comments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("target_kind", Text, nullable=False),
    Column("target_id", Text, nullable=True),
    Column("author", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("text", Text, nullable=False),
)

plan_drafts = Table(
    "plan_drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", Text, nullable=False),
    Column("plan_key", Text, nullable=False),
    Column("base_version", Integer, nullable=True),
    Column("data", Text, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("owner", "plan_key"),
)
"""A person's unsaved work on one plan (:mod:`prevplan.storage.drafts`); migration 0006."""
