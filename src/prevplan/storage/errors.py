"""What can go wrong when plans are kept in a database, in words a planner can act on.

Every storage failure reaches the caller as a :class:`StorageError` whose message is one
line naming what was being done and why it failed (a bad URL, an unreachable server, a busy
database), never a driver traceback. Two failures carry data the caller needs:
:class:`ConflictError` — someone saved the plan since the editor opened it, so the editor's
changes are kept and not written — and :class:`PlanNotFoundError`. Messages are in the
language current when the error is raised (the language of the person whose action failed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from prevplan.i18n import _
from prevplan.problems import Problem, ProblemsError

if TYPE_CHECKING:
    from prevplan.storage.records import VersionInfo


class StorageError(Exception):
    """A plan could not be stored or read; the message says why, in one line."""


class PlanNotFoundError(StorageError):
    """No plan of that name (or no such version of it) is stored."""

    def __init__(self, name: str, version: int | None = None) -> None:
        self.name = name
        self.version = version
        if version is None:
            message = _("no plan '{name}' is stored").format(name=name)
        else:
            message = _("no version {version} of plan '{name}' is stored").format(
                version=version, name=name
            )
        super().__init__(message)


class ConflictError(StorageError):
    """The plan changed since the editor opened it; nothing was written.

    ``latest`` is the plan's newest stored version, or ``None`` when the plan the editor
    started from has since been deleted. The caller still holds its own edits and can show
    both, reload, or save under another name.
    """

    def __init__(self, name: str, base_version: int | None, latest: VersionInfo | None) -> None:
        self.name = name
        self.base_version = base_version
        self.latest = latest
        if latest is None:
            message = _("plan '{name}' was deleted after version {base} was opened").format(
                name=name, base=base_version
            )
        elif base_version is None:
            message = _(
                "a plan named '{name}' already exists (version {version}, saved by {author}); "
                "open it or choose another name"
            ).format(name=name, version=latest.version, author=latest.author)
        else:
            message = _(
                "plan '{name}' was changed by {author} (now version {version}) after version "
                "{base} was opened; your changes were not saved"
            ).format(name=name, author=latest.author, version=latest.version, base=base_version)
        super().__init__(message)


class DamagedVersionError(StorageError, ProblemsError):
    """A stored version that cannot be opened: its data is damaged, or it no longer passes
    validation (saved before a limit existed, say).

    The version stays in the database untouched — quarantined, never handed to a page —
    and ``previous`` is the newest older version that does open (``None`` when none does),
    for the caller to offer instead. As a :class:`ProblemsError` it carries every problem
    found (each naming the stored plan and version); its message is one line.
    """

    def __init__(
        self,
        name: str,
        version: int,
        reason: str,
        previous: int | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        self.name = name
        self.version = version
        self.reason = reason
        self.previous = previous
        where = _("stored plan '{name}' version {version}").format(name=name, version=version)
        self.problems = tuple(problems) or (Problem(where, "", "", reason),)
        message = _("version {version} of plan '{name}' cannot be opened: {reason}").format(
            version=version, name=name, reason=reason
        )
        if previous is not None:
            message += "; " + _("version {previous} is the latest that opens").format(
                previous=previous
            )
        Exception.__init__(self, message)


class AccessDeniedError(StorageError):
    """The signed-in person's role does not allow what they tried; nothing was written.

    The message names the person, the plan or organisation, the role they hold and the role
    the action needs, and whom to ask.
    """


class PlanLockedError(StorageError):
    """The plan's latest version is submitted for approval or approved: it takes no new
    version until it is returned, or a new revision is started."""

    def __init__(self, name: str, version: int, status: str) -> None:
        self.name = name
        self.version = version
        self.status = status
        if status == "approved":
            message = _(
                "version {version} of plan '{name}' is approved and frozen; start a new "
                "revision to change the plan"
            ).format(version=version, name=name)
        else:
            message = _(
                "version {version} of plan '{name}' is submitted for approval; it cannot "
                "change until an approver returns it"
            ).format(version=version, name=name)
        super().__init__(message)


class WorkflowError(StorageError):
    """An approval step that does not fit the plan's state (approving a draft, say)."""
