"""The checks that enforce the architecture cover the whole code base (issue #11).

A new package that no import contract places, or a stale entry in the list of slow tests,
would let the checks pass without checking anything.
"""

from __future__ import annotations

import ast
import configparser
import functools
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

from tests.conftest import SLOW

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "prevplan"


def _top_level_modules() -> set[str]:
    return {
        path.stem
        for path in PACKAGE.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and path.stem != "__init__")
    }


def test_every_package_has_its_place_in_the_layers() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    layers = config["importlinter:contract:layers"]["layers"]
    placed = set(re.findall(r"[a-z_0-9]+", layers))
    missing = sorted(_top_level_modules() - placed)
    assert not missing, f"add these to the layers in .importlinter: {missing}"


def test_every_slow_test_listed_exists() -> None:
    for entry in SLOW:
        path, _, name = entry.partition("::")
        assert (ROOT / path).is_file(), entry
        if name:
            assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), entry


def test_the_supported_pythons_are_the_ones_tested() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    classifiers = {c.rsplit(" ", 1)[-1] for c in project["classifiers"] if "Python :: 3." in c}
    assert classifiers == {"3.11", "3.12", "3.13"}
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PYTHONS ?= 3.12 3.13" in makefile
    assert project["license"] == "Apache-2.0"
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def _imported(folders: list[Path]) -> set[str]:
    names: set[str] = set()
    for folder in folders:
        files = [folder] if folder.suffix == ".py" else sorted(folder.rglob("*.py"))
        for path in files:
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return names


def _declared(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[\[<>=!~ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        for requirement in requirements
    }


@functools.cache
def _packages() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


def _distributions(module: str) -> set[str]:
    if module in sys.stdlib_module_names or module in {"prevplan", "tests", "__future__"}:
        return set()
    found = _packages().get(module)
    assert found, f"{module} is imported but installed by no distribution"
    return {name.lower().replace("_", "-") for name in found}


def test_every_imported_package_is_declared() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _declared(project["dependencies"])
    dev = runtime | _declared(project["optional-dependencies"]["dev"])
    local = {"timing", "bench_app", "bench_dashboard", "bench_load", "save_worker"}  # helpers
    for folders, allowed in (
        ([PACKAGE, ROOT / "app_pages", ROOT / "streamlit_app.py"], runtime),
        ([ROOT / "tests", ROOT / "benchmarks", ROOT / "scripts"], dev),
    ):
        for module in sorted(_imported(folders) - local):
            distributions = _distributions(module)
            assert not distributions or distributions & allowed, (
                f"{module} (from {sorted(distributions)}) is imported but not declared"
            )
