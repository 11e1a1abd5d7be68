"""The documentation in the repository stays true to the code it describes (issue #11).

``docs/interfaces.md`` is the specification docstrings cite as "interfaces §N";
``docs/architecture.md`` describes every package of ``src/prevplan``.
"""

from __future__ import annotations

import re
from pathlib import Path

from prevplan.commands import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
INTERFACES = (ROOT / "docs" / "interfaces.md").read_text(encoding="utf-8")
ARCHITECTURE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
CITATION = re.compile(r"interfaces(?: reference)?\s+§(\d+)")


def _python_files() -> list[Path]:
    folders = ("src", "tests", "app_pages", "benchmarks", "scripts")
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def test_every_cited_section_of_the_interfaces_exists() -> None:
    sections = set(re.findall(r"(?m)^## (\d+)\. ", INTERFACES))
    cited = {
        (path.relative_to(ROOT).as_posix(), number)
        for path in _python_files()
        for number in CITATION.findall(path.read_text(encoding="utf-8"))
    }
    assert cited, "no docstring cites the interfaces: the pattern is wrong"
    missing = sorted(f"{path}: §{number}" for path, number in cited if number not in sections)
    assert not missing, f"cited sections missing from docs/interfaces.md: {missing}"


def test_every_command_is_specified() -> None:
    for name in COMMANDS:
        assert f"`prevplan {name}" in INTERFACES, name
    assert "`prevplan rules show REF" in INTERFACES


def test_every_package_is_placed_in_the_architecture() -> None:
    package = ROOT / "src" / "prevplan"
    parts = sorted(
        path.stem
        for path in package.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and path.stem != "__init__")
    )
    missing = [name for name in parts if f"`{name}" not in ARCHITECTURE]
    assert not missing, f"packages and modules not described in docs/architecture.md: {missing}"
