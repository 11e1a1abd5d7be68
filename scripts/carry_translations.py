"""Carry translations from one catalogue into another, for merges of parallel work.

    uv run python scripts/carry_translations.py FROM.po INTO.po [BASE.po]

After a merge in which both sides added messages, take one side's ``prevplan.po``, run
``scripts/update_catalogues.py`` so that it lists every message of the merged code, then carry
the other side's translations in (``git show BRANCH:path > /tmp/other.po`` gives the file).
A message of INTO that is empty or fuzzy takes FROM's translation of the same message id and
context when FROM has a finished one. With BASE (the catalogue both sides started from), a
translation FROM changed since BASE replaces INTO's where INTO kept BASE's: a three-way merge of
the strings. Nothing else changes. Prints how many were carried.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def _finished(message: object) -> bool:
    string = getattr(message, "string", "")
    strings = string if isinstance(string, tuple) else (string,)
    return bool(strings) and all(strings) and not getattr(message, "fuzzy", False)


def main(argv: list[str]) -> int:
    """Copy finished translations of FROM into empty or fuzzy entries of INTO."""
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    paths = [Path(arg) for arg in argv]
    source, target = _read(paths[0]), _read(paths[1])
    base = _read(paths[2]) if len(paths) == 3 else None
    carried = 0
    for message in target:
        if not message.id:
            continue
        found = source.get(message.id, context=message.context)
        if found is None or not _finished(found) or found.string == message.string:
            continue
        if _finished(message):
            before = base.get(message.id, context=message.context) if base else None
            if before is None or before.string != message.string:
                continue  # INTO's own translation, or no base to tell: kept
        message.string = found.string
        message.flags.discard("fuzzy")
        carried += 1
    with paths[1].open("wb") as handle:
        write_po(handle, target, width=100, ignore_obsolete=True)
    print(f"{carried} translations carried into {paths[1]}")
    return 0


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
