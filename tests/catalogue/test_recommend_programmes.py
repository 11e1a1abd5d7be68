"""Recommendations name programmes (interfaces §3 ``programmes``): in the Python API, the
JSON, the CSV and the table of ``prevplan recommend``, never an ineffective or harmful one,
never one outside the population's ages or level; where none fits, the list is empty and
the table says so."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from prevplan.catalogue import load_catalogue
from prevplan.cli import main
from prevplan.engine import recommend
from prevplan.population import TargetPopulation

POPULATIONS = """\
populations:
  - {id: pupils, age_min: 12, age_max: 14, size: 1000, settings: [school]}
  - {id: infants, age_min: 0, age_max: 2, size: 500, risk_group: at_risk}
  - {id: workers, age_min: 25, age_max: 60, size: 1000, settings: [workplace]}
"""


@pytest.fixture
def populations(tmp_path: Path) -> Path:
    path = tmp_path / "populations.yaml"
    path.write_text(POPULATIONS, encoding="utf-8")
    return path


def test_api_names_fitting_programmes_best_first() -> None:
    rec = recommend(TargetPopulation(id="p", age_min=12, age_max=14, size=10, settings=["school"]))
    ids = [p.id for p in rec.programmes]
    assert ids[:2] == ["lifeskills_training", "unplugged"]
    catalogue = load_catalogue()
    recommended = {i.id for i in rec.interventions}
    for item in rec.programmes:
        programme = catalogue.programmes[item.id]
        assert item.intervention in recommended
        assert item.intervention in programme.interventions
        assert not programme.to_avoid
        assert rec.prevention_level.value in programme.levels
        assert programme.age_min <= 14 and programme.age_max >= 12


def test_json_csv_and_table(populations: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", str(populations)]) == 0
    records = {r["population_id"]: r for r in json.loads(capsys.readouterr().out)}
    pupils = records["pupils"]["programmes"]
    assert {"id", "name", "intervention"} <= set(pupils[0])
    assert "dare_original" not in [p["id"] for p in pupils]
    infants = [p["id"] for p in records["infants"]["programmes"]]
    assert "nurse_family_partnership" in infants
    assert records["workers"]["programmes"] == []

    assert main(["recommend", str(populations), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    named = [r for r in rows if r["item_type"] == "programme"]
    assert ("pupils", "lifeskills_training") in {(r["population_id"], r["item_id"]) for r in named}

    assert main(["recommend", str(populations), "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert "LifeSkills Training (middle school) — recommended" in table
    assert "No catalogue programme fits this population" in table


def test_table_in_russian(populations: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "ru", "recommend", str(populations), "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert "Программа укрепления семьи 10–14" in table
    assert "рекомендуется" in table
