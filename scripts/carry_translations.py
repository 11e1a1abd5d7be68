"""Carry translations from one catalogue into another, for merges of parallel work.

    uv run python scripts/carry_translations.py FROM.po INTO.po

After a merge in which both sides added messages, take one side's ``prevplan.po``, run
``scripts/update_catalogues.py`` so that it lists every message of the merged code, then carry
the other side's translations in (``git show BRANCH:path > /tmp/other.po`` gives the file).
A message of INTO that is empty or fuzzy takes FROM's translation of the same message id and
context when FROM has a finished one; nothing else changes. Prints how many were carried.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def _finished(message: object) -> bool:
    string = getattr(message, "string", "")
    strings = string if isinstance(string, tuple) else (string,)
    return bool(strings) and all(strings) and not getattr(message, "fuzzy", False)


def main(argv: list[str]) -> int:
    """Copy finished translations of FROM into empty or fuzzy entries of INTO."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    source_path, target_path = (Path(arg) for arg in argv)
    with source_path.open("rb") as handle:
        source = read_po(handle)
    with target_path.open("rb") as handle:
        target = read_po(handle)
    carried = 0
    for message in target:
        if not message.id or _finished(message):
            continue
        found = source.get(message.id, context=message.context)
        if found is not None and _finished(found):
            message.string = found.string
            message.flags.discard("fuzzy")
            carried += 1
    with target_path.open("wb") as handle:
        write_po(handle, target, width=100, ignore_obsolete=True)
    print(f"{carried} translations carried into {target_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
