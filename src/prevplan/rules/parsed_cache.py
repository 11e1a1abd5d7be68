"""A cache of parsed rule files, so that loading the Concept's rules does not parse YAML anew.

Parsing the ~30 YAML files of ``concept_rules/`` (the Concept's clauses, the relations and
their ru and zh translations) with the strict loader takes most of the time of loading the
rules. A file that parsed cleanly (no problem, no duplicate key) is kept as JSON, named by
the SHA-256 of its exact text (and of this cache's format and the YAML library's version):

- it is never stale: changed text has another name, so it is parsed again;
- it is only data (JSON, never pickle): reading it cannot run code;
- it is kept only where the data survives JSON unchanged (string keys, no dates);
- it lives in ``$PREVPLAN_HOME/cache/rules`` (default ``~/.local/share/prevplan/cache/rules``),
  a folder only its owner may open, files only its owner may read; a folder or file owned by
  someone else, or open to others, is ignored;
- anything unexpected (no home, read-only disk, a damaged file) falls back silently to
  parsing: the cache only ever saves time.

``PREVPLAN_RULES_CACHE=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Final

import yaml

from prevplan.io.yaml_strict import load_yaml
from prevplan.problems import Problem

FORMAT: Final = "prevplan-rules-cache-1"
"""Changes whenever what the strict loader makes of a text could change."""
HOME_ENV: Final = "PREVPLAN_HOME"
DEFAULT_HOME: Final = "~/.local/share/prevplan"
SWITCH_ENV: Final = "PREVPLAN_RULES_CACHE"


def cache_dir() -> Path | None:
    """Where parsed rule files are kept, or ``None`` when the cache is off."""
    if os.environ.get(SWITCH_ENV, "").strip().lower() in {"off", "0", "no", "false"}:
        return None
    home = Path(os.environ.get(HOME_ENV) or DEFAULT_HOME).expanduser()
    return home / "cache" / "rules"


def parsed_yaml(text: str, file: str) -> tuple[object, list[Problem]]:
    """:func:`~prevplan.io.yaml_strict.load_yaml` of ``text``, from the cache when the same
    text parsed cleanly before."""
    folder = cache_dir()
    if folder is None:
        return load_yaml(text, file)
    key = _key(text)
    found = _read(folder, key)
    if found is not None:
        return found, []
    data, duplicates = load_yaml(text, file)
    if not duplicates:
        _write(folder, key, data)
    return data, duplicates


def _key(text: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\0{yaml.__version__}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _private(info: os.stat_result) -> bool:
    """Owned by this user and open to no one else."""
    getuid = getattr(os, "getuid", None)
    owner_ok = getuid is None or info.st_uid == getuid()
    return owner_ok and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)


def _read(folder: Path, key: str) -> object | None:
    try:
        if not _private(folder.stat()):
            return None
        with (folder / f"{key}.json").open("rb") as handle:
            if not _private(os.fstat(handle.fileno())):
                return None
            stored = json.loads(handle.read())
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("key") != key or "data" not in stored:
        return None  # damaged, or not ours
    data: object = stored["data"]
    return data


def _write(folder: Path, key: str, data: object) -> None:
    try:
        text = json.dumps({"key": key, "data": data}, ensure_ascii=False, allow_nan=False)
        if json.loads(text)["data"] != data:
            return  # JSON would change it (a date, a number as a key): parse it every time
    except (TypeError, ValueError, RecursionError):
        return
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(folder.stat()):
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, folder / f"{key}.json")  # whole or not at all
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return
