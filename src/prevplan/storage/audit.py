"""The audit log: every change to a plan or to who may touch it — who, when, what, before → after.

A ministry must be able to answer, long after the fact, who changed a plan's figures, who
approved it, and who gave whom the right to. Each change writes its lines in the same
transaction as the change itself, so a change is never without its record and a record
never without its change. The table is append-only: prevplan only inserts, and the database
refuses updates and deletes with a trigger (migration 0005). A plan's lines outlive the plan.

A save writes one line for the version (before: the version it started from; after: the
new one) and one line per population or activity added or removed and per field that
changed, with the old and the new value — up to :data:`DETAIL_LIMIT` lines, then one line
counting the rest. What is stored is language-neutral (action codes, ids, field names,
values); :func:`action_label` names the action in the reader's language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from pydantic import JsonValue
from sqlalchemy import Connection, insert, select

from prevplan.i18n import N_, _
from prevplan.safe_text import csv_bytes
from prevplan.storage.diff import CollectionDiff, diff_plan_data
from prevplan.storage.records import AuditEntry
from prevplan.storage.schema import audit_log

#: Field-level lines written for one save; more changes are counted in one last line.
DETAIL_LIMIT: Final = 200
#: Longest value kept in a line (a long description is cut, with an ellipsis).
VALUE_LIMIT: Final = 500

ACTION_LABELS: Final = {
    "save": N_("saved a version"),
    "change": N_("changed"),
    "add": N_("added"),
    "remove": N_("removed"),
    "more": N_("further changes, not itemised"),
    "restore": N_("restored a version"),
    "delete": N_("deleted the plan"),
    "undelete": N_("brought the deleted plan back"),
    "rename": N_("renamed the plan"),
    "submit": N_("submitted for approval"),
    "approve": N_("approved"),
    "own_approval": N_("approved their own work (four-eyes rule switched off)"),
    "return": N_("returned with comments"),
    "reopen": N_("started a new revision"),
    "comment": N_("commented"),
    "role": N_("changed a role in an organisation"),
    "grant": N_("changed a role on the plan"),
    "owner": N_("gave the plan to an organisation"),
    "organisation": N_("created an organisation"),
}


def action_label(action: str) -> str:
    """An audit action in the reader's language."""
    found = ACTION_LABELS.get(action)
    return _(found) if found else action


STATUS_ACTIONS: Final = frozenset({"submit", "approve", "return", "reopen"})
ROLE_ACTIONS: Final = frozenset({"role", "grant"})


def shown_value(action: str, value: str | None) -> str:
    """A line's before or after value for the reader: statuses and roles in their language,
    everything else as stored."""
    if value is None:
        return ""
    if action in STATUS_ACTIONS:
        from prevplan.storage.workflow import STATUS_LABELS

        found = {str(status): label for status, label in STATUS_LABELS.items()}.get(value)
        return _(found) if found else value
    if action in ROLE_ACTIONS:
        from prevplan.storage.access import ROLE_LABELS

        role = {str(role): label for role, label in ROLE_LABELS.items()}.get(value)
        return _(role) if role else value
    return value


def record(
    conn: Connection,
    *,
    actor: str,
    action: str,
    target: str,
    plan_id: int | None = None,
    plan_name: str | None = None,
    version: int | None = None,
    before: str | None = None,
    after: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one line to the audit log, inside the caller's transaction."""
    conn.execute(
        insert(audit_log).values(
            at=at or datetime.now(UTC),
            actor=actor,
            action=action,
            plan_id=plan_id,
            plan_name=plan_name,
            version=version,
            target=target,
            before=_short(before),
            after=_short(after),
        )
    )


def record_save(
    conn: Connection,
    *,
    actor: str,
    action: str,
    plan_id: int,
    plan_name: str,
    version: int,
    old: dict[str, Any] | None,
    new: dict[str, Any],
    comment: str,
) -> None:
    """The lines for a new version: the version itself, then each field that changed."""
    at = datetime.now(UTC)
    record(
        conn,
        actor=actor,
        action=action,
        target=comment,
        plan_id=plan_id,
        plan_name=plan_name,
        version=version,
        before=None if old is None else str(version - 1),
        after=str(version),
        at=at,
    )
    lines = list(change_lines(old or {}, new))
    rows = [
        {
            "at": at,
            "actor": actor,
            "action": action_code,
            "plan_id": plan_id,
            "plan_name": plan_name,
            "version": version,
            "target": target,
            "before": _short(before),
            "after": _short(after),
        }
        for action_code, target, before, after in lines[:DETAIL_LIMIT]
    ]
    if len(lines) > DETAIL_LIMIT:
        rows.append(
            {
                "at": at,
                "actor": actor,
                "action": "more",
                "plan_id": plan_id,
                "plan_name": plan_name,
                "version": version,
                "target": str(len(lines) - DETAIL_LIMIT),
                "before": None,
                "after": None,
            }
        )
    if rows:
        conn.execute(insert(audit_log), rows)


def change_lines(
    old: dict[str, Any], new: dict[str, Any]
) -> Iterable[tuple[str, str, str | None, str | None]]:
    """``(action, what, before, after)`` for every change from plan data ``old`` to ``new``:
    ``add`` and ``remove`` for whole items, ``change`` for a field. Stored words are ids and
    field names, the same in every language."""
    diff = diff_plan_data(old, new)
    for change in diff.metadata:
        yield "change", change.field, _value(change.old), _value(change.new)
    parts: tuple[tuple[str, CollectionDiff], ...] = (
        ("population", diff.populations),
        ("activity", diff.activities),
        ("tracker", diff.tracker),
    )
    for kind, part in parts:
        for item in part.added:
            yield "add", f"{kind} {item}", None, None
        for item in part.removed:
            yield "remove", f"{kind} {item}", None, None
        for edited in part.edited:
            for field in edited.changes:
                yield (
                    "change",
                    f"{kind} {edited.id}: {field.field}",
                    _value(field.old),
                    _value(field.new),
                )


def entries(
    conn: Connection, *, plan_id: int | None = None, plan_name: str | None = None
) -> list[AuditEntry]:
    """The log, oldest first: a plan's lines (by id, or by name once it is deleted), or all."""
    query = select(audit_log).order_by(audit_log.c.id)
    if plan_id is not None:
        query = query.where(audit_log.c.plan_id == plan_id)
    elif plan_name is not None:
        query = query.where(audit_log.c.plan_name == plan_name)
    return [
        AuditEntry(
            at=row.at,
            actor=row.actor,
            action=row.action,
            plan_name=row.plan_name,
            version=row.version,
            target=row.target,
            before=row.before,
            after=row.after,
        )
        for row in conn.execute(query).all()
    ]


def audit_csv(lines: Sequence[AuditEntry]) -> bytes:
    """The log as CSV for a spreadsheet (formulas neutralised), headers in the reader's
    language, actions in words."""
    headers = (
        _("Time (UTC)"),
        _("Who"),
        _("Action"),
        _("Plan"),
        _("Version"),
        _("What"),
        _("Before"),
        _("After"),
    )
    rows = [
        dict(
            zip(
                headers,
                (
                    line.at.strftime("%Y-%m-%d %H:%M:%S"),
                    line.actor,
                    action_label(line.action),
                    line.plan_name or "",
                    "" if line.version is None else line.version,
                    line.target,
                    shown_value(line.action, line.before),
                    shown_value(line.action, line.after),
                ),
                strict=True,
            )
        )
        for line in lines
    ]
    return csv_bytes(rows, headers)


def _value(value: JsonValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _short(text: str | None) -> str | None:
    if text is None or len(text) <= VALUE_LIMIT:
        return text
    return text[: VALUE_LIMIT - 1] + "…"
