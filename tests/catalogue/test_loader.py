"""The catalogue loader: the shipped catalogue is valid, and every fault in a record is a
problem naming the file, the record and the field."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.loader import LOCAL_ENV, read_catalogue
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet

GOOD: dict[str, Any] = {
    "id": "test_programme",
    "name": "Test programme",
    "description": "A programme made up for the loader tests.",
    "age_min": 12,
    "age_max": 14,
    "ages_of": "participants",
    "audience": ["children"],
    "levels": ["universal"],
    "settings": ["school"],
    "interventions": ["skills_social_influence"],
    "strategies": ["life_skills"],
    "standards": ["i"],
    "dose": {"sessions": 10, "status": "verified", "source": "https://example.org"},
    "deliverers": {"who": ["teachers"], "status": "reported"},
    "ratings": [
        {
            "registry": "blueprints",
            "rating": "Promising",
            "url": "https://example.org/rating",
            "retrieved": "2026-11-20",
            "status": "verified",
        }
    ],
    "cost_per_participant": {
        "amount": 50,
        "currency": "EUR",
        "year": 2022,
        "basis": "programme_budget",
        "source": "https://example.org/cost",
        "retrieved": "2026-11",
        "status": "reported",
    },
    "implemented": {"countries": ["DE"], "languages": ["de"], "status": "reported"},
    "verdict": "promising",
    "sources": [
        {
            "url": "https://example.org",
            "title": "Example",
            "retrieved": "2026-11",
            "status": "verified",
        }
    ],
}


def _write(folder: Path, records: list[dict[str, Any]], name: str = "test.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump({"programmes": records}, allow_unicode=True), encoding="utf-8")
    return path


def _problems(tmp_path: Path, change: Any) -> list[str]:
    record = copy.deepcopy(GOOD)
    change(record)
    path = _write(tmp_path / "programmes", [copy.deepcopy(GOOD) | {"id": "first"}, record])
    with pytest.raises(ProblemsError) as caught:
        read_catalogue([path])
    return [str(p) for p in caught.value.problems]


def test_shipped_catalogue_is_valid_against_the_rules(rules: RuleSet) -> None:
    catalogue = load_catalogue(rules=rules)
    assert len(catalogue) >= 30
    ids = set(catalogue.programmes)
    assert {"dare_original", "scared_straight", "project_success", "casastart"} <= ids
    for programme_id in ("dare_original", "scared_straight", "project_success", "casastart"):
        assert catalogue.programmes[programme_id].to_avoid


def test_shipped_catalogue_loads() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 30
    assert {"dare_original", "scared_straight", "project_success", "casastart"} <= set(
        catalogue.programmes
    )


def test_good_record_loads(tmp_path: Path) -> None:
    path = _write(tmp_path / "programmes", [GOOD])
    catalogue = read_catalogue([path])
    assert catalogue.programmes["test_programme"].cost_per_participant is not None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda r: r.pop("sources"), "sources"),
        (lambda r: r.update(sources=[]), "sources"),
        (lambda r: r["ratings"][0].pop("retrieved"), "ratings[1].retrieved"),
        (lambda r: r["ratings"][0].update(retrieved="last year"), "ratings[1].retrieved"),
        (lambda r: r["cost_per_participant"].pop("currency"), "cost_per_participant.currency"),
        (
            lambda r: r["cost_per_participant"].update(currency="dollars"),
            "cost_per_participant.currency",
        ),
        (lambda r: r["cost_per_participant"].pop("year"), "cost_per_participant.year"),
        (lambda r: r.update(age_max=121), "age_max"),
        (lambda r: r.update(age_min=-1), "age_min"),
        (lambda r: r["sources"][0].update(url="example.org"), "sources[1].url"),
        (lambda r: r.update(verdict="great"), "verdict"),
        (lambda r: r.update(colour="blue"), "colour"),
        (lambda r: r["dose"].update(source="https://example.org/other"), "dose.source"),
    ],
    ids=[
        "no source",
        "empty sources",
        "rating without date",
        "rating with a date in words",
        "cost without currency",
        "cost with a currency in words",
        "cost without year",
        "age above 120",
        "negative age",
        "source without web address",
        "unknown verdict",
        "unknown field",
        "fact from a page not among the sources",
    ],
)
def test_fault_names_file_record_and_field(tmp_path: Path, change: Any, field: str) -> None:
    problems = _problems(tmp_path, change)
    assert len(problems) == 1, problems
    assert "test.yaml" in problems[0]
    assert "item 2 (id test_programme)" in problems[0]
    assert f"field '{field}'" in problems[0]


def test_ages_in_wrong_order(tmp_path: Path) -> None:
    problems = _problems(tmp_path, lambda r: r.update(age_min=15, age_max=12))
    assert "item 2 (id test_programme)" in problems[0]
    assert "age_min must not be greater than age_max" in problems[0]


def test_every_problem_at_once(tmp_path: Path) -> None:
    def many(r: dict[str, Any]) -> None:
        r.pop("sources")
        r["ratings"][0].pop("retrieved")
        r.update(age_max=200)

    assert len(_problems(tmp_path, many)) == 3


def test_duplicate_key_and_duplicate_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "programmes", [GOOD, GOOD])
    text = path.read_text().replace("age_max: 14\n", "age_max: 14\n  age_max: 15\n", 1)
    path.write_text(text)
    with pytest.raises(ProblemsError) as caught:
        read_catalogue([path])
    words = [str(p) for p in caught.value.problems]
    assert any("age_max" in w and "appears twice" in w for w in words), words
    assert any("item 2 (id test_programme)" in w and "already used" in w for w in words), words


def test_unknown_concept_reference(tmp_path: Path, rules: RuleSet) -> None:
    record = copy.deepcopy(GOOD) | {"interventions": ["made_up_intervention"]}
    path = _write(tmp_path / "programmes", [record])
    with pytest.raises(ProblemsError) as caught:
        read_catalogue([path], rules=rules)
    (problem,) = caught.value.problems
    assert "field 'interventions[1]'" in str(problem)
    assert "made_up_intervention" in str(problem)


def test_local_records_are_validated_the_same_and_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = _write(tmp_path / "programmes", [GOOD])
    local = _write(tmp_path / "mine", [GOOD | {"id": "our_programme"}], name="ours.yaml")
    catalogue = read_catalogue([shipped], [local])
    assert catalogue.programmes["our_programme"].local
    assert not catalogue.programmes["test_programme"].local

    bad = _write(tmp_path / "mine", [GOOD | {"id": "bad", "sources": []}], name="bad.yaml")
    with pytest.raises(ProblemsError) as caught:
        read_catalogue([shipped], [bad])
    assert "bad.yaml: item 1 (id bad): field 'sources'" in str(caught.value.problems[0])

    clash = _write(tmp_path / "mine", [GOOD], name="clash.yaml")
    with pytest.raises(ProblemsError) as caught:
        read_catalogue([shipped], [clash])
    assert "already used" in str(caught.value.problems[0])

    monkeypatch.setenv(LOCAL_ENV, str(local))
    assert load_catalogue().programmes["our_programme"].local


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "programmes" / "broken.yaml"
    path.parent.mkdir()
    path.write_text("programmes:\n  - id: [unclosed\n")
    with pytest.raises(ProblemsError) as caught:
        read_catalogue([path])
    assert "broken.yaml" in str(caught.value.problems[0])
    assert "line" in str(caught.value.problems[0])


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_every_programme_is_described_in_every_language(lang: str) -> None:
    catalogue = load_catalogue()
    translated = catalogue.translations[lang]
    missing = sorted(set(catalogue.programmes) - set(translated))
    assert not missing
    for programme in catalogue.programmes.values():
        assert catalogue.description(programme, lang) != programme.description
    if lang == "zh":
        joined = " ".join(catalogue.description(p, "zh") for p in catalogue.programmes.values())
        assert "药物使用预防" not in joined and "毒品使用预防" not in joined


def test_translation_of_an_unknown_programme(tmp_path: Path) -> None:
    shipped = _write(tmp_path / "programmes", [GOOD])
    (tmp_path / "programmes" / "translations").mkdir()
    (tmp_path / "programmes" / "translations" / "ru.yaml").write_text(
        "language: ru\nprogrammes:\n  nowhere: {description: Текст}\n", encoding="utf-8"
    )
    with pytest.raises(ProblemsError) as caught:
        read_catalogue([shipped])
    assert "ru.yaml: nowhere: field 'programmes'" in str(caught.value.problems[0])
