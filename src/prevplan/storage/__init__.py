"""Plans that survive: every plan kept in a database, every save a new version.

One person's plans live in a SQLite file (``$PREVPLAN_HOME/prevplan.db``, by default
``~/.local/share/prevplan/prevplan.db``); a team shares a PostgreSQL database named by
``PREVPLAN_DATABASE_URL``. Either way, :func:`store_from_url` opens a :class:`PlanStore`
that saves each change as a new version with its author, time and comment, lists plans and
their history, loads and restores any version, tells what changed between two versions,
and refuses — with :class:`ConflictError` — to overwrite a colleague's save. A stored version
that no longer opens is quarantined (:class:`DamagedVersionError`), never handed out;
:meth:`SqlPlanStore.backup` copies a SQLite database safely while it is in use.
"""

from prevplan.storage.database import default_home, resolve_url
from prevplan.storage.diff import (
    CollectionDiff,
    FieldChange,
    ItemChange,
    PlanDiff,
    diff_plan_data,
    diff_plans,
)
from prevplan.storage.drafts import Draft, DraftStore
from prevplan.storage.errors import (
    ConflictError,
    DamagedVersionError,
    PlanNotFoundError,
    StorageError,
)
from prevplan.storage.records import PlanSummary, VersionInfo
from prevplan.storage.store import OpenedVersion, PlanStore, SqlPlanStore, store_from_url

__all__ = [
    "CollectionDiff",
    "ConflictError",
    "DamagedVersionError",
    "Draft",
    "DraftStore",
    "FieldChange",
    "ItemChange",
    "OpenedVersion",
    "PlanDiff",
    "PlanNotFoundError",
    "PlanStore",
    "PlanSummary",
    "SqlPlanStore",
    "StorageError",
    "VersionInfo",
    "default_home",
    "diff_plan_data",
    "diff_plans",
    "resolve_url",
    "store_from_url",
]
