"""``prevplan programmes`` (interfaces §6): filters, JSON and table, side-by-side comparison
with sources and dates, costs converted to one currency, and for a bad request exit code 2
with a line naming what was wrong — never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prevplan.catalogue.loader import LOCAL_ENV
from prevplan.cli import main


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    assert main(["programmes", *args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list)
    return data


def test_filters(capsys: pytest.CaptureFixture[str]) -> None:
    everything = _json(capsys)
    assert len(everything) >= 30
    school = _json(capsys, "--age", "13", "--level", "universal", "--setting", "school")
    assert school and all(
        p["age_min"] <= 13 <= p["age_max"]  # type: ignore[operator]
        and "universal" in p["levels"]  # type: ignore[operator]
        and "school" in p["settings"]  # type: ignore[operator]
        for p in school
    )
    assert {"lifeskills_training", "unplugged"} <= {p["id"] for p in school}
    family = _json(capsys, "--intervention", "family_bonding_programmes")
    assert all("family_bonding_programmes" in p["interventions"] for p in family)  # type: ignore[operator]
    harmful = _json(capsys, "--verdict", "harmful")
    assert [p["id"] for p in harmful] == ["scared_straight"]


def test_best_evidence_first(capsys: pytest.CaptureFixture[str]) -> None:
    ids = [p["id"] for p in _json(capsys, "--age", "12", "--setting", "school")]
    assert ids.index("lifeskills_training") < ids.index("keepin_it_real")
    assert ids.index("keepin_it_real") < ids.index("dare_original")


def test_every_rating_and_cost_has_its_source_and_date(capsys: pytest.CaptureFixture[str]) -> None:
    for p in _json(capsys):
        assert p["sources"], p["id"]
        for rating in p["ratings"]:  # type: ignore[attr-defined]
            assert rating["url"].startswith("http") and rating["retrieved"]
        cost = p["cost_per_participant"]
        if cost is not None:
            assert cost["currency"] and cost["year"] and cost["source"]  # type: ignore[index]


def test_table_and_compare(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programmes", "--age", "20", "--setting", "university"]) == 0
    out = capsys.readouterr().out
    assert "BASICS" in out and "eCHECKUP TO GO" in out
    assert main(["programmes", "--compare", "sfp_10_14", "unplugged", "guiding_good_choices"]) == 0
    out = capsys.readouterr().out
    assert "Strengthening Families Program 10-14" in out and "Guiding Good Choices" in out
    assert "https://www.wsipp.wa.gov/BenefitCost/Program/138" in out
    assert "read 2026-11" in out


def test_costs_in_another_currency(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "--compare", "sfp_10_14", "good_behavior_game", "--currency", "EUR")
    converted = data[0]["cost_converted"]
    assert converted["currency"] == "EUR" and converted["year"] == 2024  # type: ignore[index]
    assert 500 < converted["amount"] < 800  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--compare", "sfp_10_14"], "expected two or three programme ids"),
        (["--compare", "sfp_10_14", "no_such"], "unknown programme id(s): no_such"),
        (["--currency", "XYZ"], "--currency"),
    ],
)
def test_bad_requests_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert main(["programmes", *args]) == 2
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err


def test_bad_local_file_exits_2_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    local = tmp_path / "ours.yaml"
    local.write_text("programmes:\n  - id: ours\n    name: Ours\n", encoding="utf-8")
    monkeypatch.setenv(LOCAL_ENV, str(local))
    assert main(["programmes"]) == 2
    err = capsys.readouterr().err
    assert "ours.yaml: item 1 (id ours): field 'sources'" in err


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_in_language(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    assert main(["--lang", lang, "programmes", "--verdict", "harmful"]) == 0
    out = capsys.readouterr().out
    assert {"ru": "вредная", "zh": "有害"}[lang] in out
    assert {
        "ru": "Scared Straight («Напугать, чтобы исправить»)",
        "zh": "Scared Straight（“吓唬从善”）",
    }[lang] in out
