"""Copies of the shipped rules folder for tests that break it on purpose: the copy, a one-place
text edit, and the faults a translator can put in ``translations/ru.yaml``."""

from __future__ import annotations

import shutil
from pathlib import Path

from prevplan.rules import default_rules_dir


def copy_rules(tmp_path: Path) -> Path:
    """A writable copy of ``concept_rules/`` under ``tmp_path``."""
    target = tmp_path / "concept_rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in ``path`` with ``new`` (``old`` must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def break_russian_translation(rules_dir: Path) -> None:
    """Four faults in ``translations/ru.yaml``: an unknown level id, an unknown Annex V item,
    a list one entry short of the English, and a warning text that lost its placeholder."""
    ru = rules_dir / "translations" / "ru.yaml"
    edit(ru, "    universal:\n", "    universel:\n")
    edit(ru, "  V-3.5:\n", "  V-9.9:\n")
    edit(ru, '      - "регулярное наблюдение;"\n', "")
    edit(
        ru,
        "{population}: реализуется лишь одна стратегия",
        "Группа: реализуется лишь одна стратегия",
    )
