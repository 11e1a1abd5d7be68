"""The Monitoring page's helpers and ``prevplan survey --mapping`` (issue #16).

The progress grid carries the fidelity checklist (as files and Excel do): shown as
``component=yes; component=no``, saved back into the plan, its share of components delivered
the fidelity when no share is given; a malformed cell is a problem naming the activity and
the field, and the plan is unchanged. Survey groups reach populations by a mapping file
(CSV, YAML or JSON), from the command line and from the page's upload; a bad mapping exits 2
naming the row and the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from prevplan.cli import main
from prevplan.i18n import use_language
from prevplan.monitor import monitor
from prevplan.monitor.checklist import checklist_text, parse_checklist
from prevplan.plan.io import plan_from_data, read_plan
from prevplan.rules import RuleSet
from prevplan.survey import estimate, read_definitions
from prevplan.survey.read import read_survey
from prevplan.ui.monitoring import apply_progress, progress_frame, write_survey

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"
SURVEY = SAMPLES / "school_survey_2026.csv"
DEFINITIONS = SAMPLES / "school_survey_definitions.yaml"
PLAN = SAMPLES / "national_plan.yaml"


def _plan(rules: RuleSet) -> Any:
    data = {
        "name": "grid",
        "periods": ["2025", "2026"],
        "populations": [{"id": "p", "age_min": 12, "age_max": 14, "size": 1000}],
        "activities": [
            {
                "id": "a",
                "population_id": "p",
                "strategies": ["life_skills"],
                "reach": 500,
                "progress": [
                    {
                        "period": "2025",
                        "reach": 400,
                        "fidelity_checklist": {"all_lessons": True, "role_play": False},
                    }
                ],
            },
            {"id": "b", "population_id": "p", "strategies": ["life_skills"], "reach": 100},
        ],
    }
    return plan_from_data(data, "grid.yaml", rules)


def _rows(frame: Any) -> list[dict[str, Any]]:
    return [
        {str(k): v for k, v in row.items()}
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
    ]


def test_the_grid_shows_the_checklist_and_saves_it_back(rules: RuleSet) -> None:
    plan = _plan(rules)
    frame = progress_frame(plan, "2025")
    assert "fidelity_checklist" in frame.columns
    rows = _rows(frame)
    assert rows[0]["fidelity_checklist"] == "all_lessons=yes; role_play=no"
    assert rows[1]["fidelity_checklist"] == ""
    # Unchanged grid, same plan; a new checklist for b is saved and is b's fidelity.
    assert apply_progress(plan, "2025", rows, rules).plan == plan
    rows[1]["reach"] = 90
    rows[1]["fidelity_checklist"] = "all_lessons=yes; trained_teacher=yes; role_play=no; x=no"
    outcome = apply_progress(plan, "2025", rows, rules)
    assert outcome.plan is not None, outcome.problems
    saved = next(a for a in outcome.plan.activities if a.id == "b").progress[0]
    assert saved.fidelity_checklist == {
        "all_lessons": True,
        "trained_teacher": True,
        "role_play": False,
        "x": False,
    }
    assert saved.adherence == pytest.approx(0.5)
    period = monitor(outcome.plan, rules, "en").periods[0]
    fidelity = {a.activity_id: a.fidelity for a in period.activities}
    assert fidelity["b"] == pytest.approx(0.5)


def test_a_bad_checklist_cell_names_the_activity_and_field(rules: RuleSet) -> None:
    plan = _plan(rules)
    rows = _rows(progress_frame(plan, "2025"))
    rows[1]["fidelity_checklist"] = "all_lessons=maybe"
    outcome = apply_progress(plan, "2025", rows, rules)
    assert outcome.plan is None
    [problem] = outcome.problems
    text = str(problem)
    assert "activity 2 (id b)" in text and "field 'fidelity_checklist'" in text
    assert "all_lessons=maybe" in text


def test_checklist_words_in_every_language_round_trip() -> None:
    assert parse_checklist("a=да; b=нет; c=是; d=否; e=1; f=false") == {
        "a": True,
        "b": False,
        "c": True,
        "d": False,
        "e": True,
        "f": False,
    }
    assert parse_checklist("  ") == {}
    assert parse_checklist("a＝是；b=否") == {"a": True, "b": False}
    with use_language("ru"):
        text = checklist_text({"a": True, "b": False})
        assert text == "a=да; b=нет"
        assert parse_checklist(text) == {"a": True, "b": False}
    with pytest.raises(ValueError, match="component=yes"):
        parse_checklist("no equals sign")


MAPPING_CSV = """\
region,age_band,population_id
North,15-17,rural_adolescents_north
south,11-14,secondary_pupils
"""


def _survey_args(tmp_path: Path, mapping: Path, *more: str) -> list[str]:
    return [
        "survey",
        str(SURVEY),
        "--definitions",
        str(DEFINITIONS),
        "--by",
        "region,age_band",
        "--plan",
        str(PLAN),
        "--period",
        "2027",
        "--mapping",
        str(mapping),
        *more,
    ]


@pytest.mark.parametrize("kind", ["csv", "yaml"])
def test_survey_groups_reach_populations_by_a_mapping_file(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], rules: RuleSet
) -> None:
    mapping = tmp_path / f"map.{kind}"
    if kind == "csv":
        mapping.write_text(MAPPING_CSV, encoding="utf-8")
    else:
        mapping.write_text(
            "mapping:\n"
            "  - {region: North, age_band: 15-17, population_id: rural_adolescents_north}\n"
            "  - {region: South, age_band: 11-14, population_id: Secondary_Pupils}\n",
            encoding="utf-8",
        )
    out = tmp_path / "plan.json"
    assert main(_survey_args(tmp_path, mapping, "--output", str(out))) == 0
    err = capsys.readouterr().err
    assert "group 'North / 15-17' written into population 'rural_adolescents_north'" in err
    assert "group 'South / 11-14' written into population 'secondary_pupils'" in err
    assert "group 'Capital / 11-14' is not in the mapping; not written" in err
    plan = read_plan(out, rules)
    north = plan.surveys["rural_adolescents_north"][-1]
    assert north.period == "2027"
    # The shares are those of the North 15-17 group itself.
    definitions = read_definitions(DEFINITIONS)
    report = estimate(
        read_survey(SURVEY, definitions, ["region", "age_band"]),
        definitions,
        ["region", "age_band"],
        source=SURVEY.name,
    )
    group = next(g for g in report.groups if g.label == "North / 15-17")
    peers = group.estimates["risk_factors.peers"].value
    assert north.risk_factors["peers"] == pytest.approx(peers)  # type: ignore[index]


def test_a_bad_mapping_exits_2_naming_row_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "region,age_band,population_id\n"
        "North,15-17,rural_adolescents_north\n"
        "North,15-17,secondary_pupils\n"
        "East,,secondary_pupils\n"
        "South,11-14,ghosts\n"
        "South,15-17,rural_adolescents_north\n",
        encoding="utf-8",
    )
    out = tmp_path / "plan.json"
    assert main(_survey_args(tmp_path, mapping, "--output", str(out))) == 2
    err = capsys.readouterr().err
    assert (
        "map.csv: row 2 (line 3): field 'region, age_band': "
        "this group is already mapped in row 1 (line 2)" in err
    )
    assert "map.csv: row 3 (line 4): field 'age_band': missing" in err
    assert (
        "map.csv: row 4 (line 5): field 'population_id': the plan has no population 'ghosts'" in err
    )
    assert (
        "map.csv: row 5 (line 6): field 'population_id': "
        "population 'rural_adolescents_north' already takes" in err
    )
    assert "Traceback" not in err and not out.exists()
    mapping.write_text("region,population_id,district\nNorth,x,y\n", encoding="utf-8")
    assert main(_survey_args(tmp_path, mapping)) == 2
    err = capsys.readouterr().err
    assert "header (line 1): field 'district': not a grouping column" in err
    assert "header (line 1): field 'age_band': missing column" in err


def test_a_mapping_needs_a_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mapping = tmp_path / "map.csv"
    mapping.write_text(MAPPING_CSV, encoding="utf-8")
    args = ["survey", str(SURVEY), "--definitions", str(DEFINITIONS), "--mapping", str(mapping)]
    assert main(args) == 2
    assert "field '--mapping'" in capsys.readouterr().err


def test_the_page_upload_writes_by_the_mapping_or_shows_its_problems(rules: RuleSet) -> None:
    plan = read_plan(PLAN, rules)
    definitions = read_definitions(DEFINITIONS)
    report = estimate(
        read_survey(SURVEY, definitions, ["region", "age_band"]),
        definitions,
        ["region", "age_band"],
        source=SURVEY.name,
    )
    mapped = write_survey(plan, report, "2027", rules, ("map.csv", MAPPING_CSV.encode()))
    assert mapped.plan is not None, mapped.problems
    assert mapped.plan.surveys["secondary_pupils"][-1].period == "2027"
    assert any("South / 11-14" in n and "secondary_pupils" in n for n in mapped.notes)
    without = write_survey(plan, report, "2027", rules)
    assert without.plan is not None
    assert all("written into" not in n for n in without.notes)  # no label is a population
    bad = write_survey(
        plan, report, "2027", rules, ("map.json", json.dumps([{"region": "North"}]).encode())
    )
    assert bad.plan is None
    fields = {p.field for p in bad.problems}
    assert fields == {"age_band", "population_id"}
    assert all("item 1" in str(p) for p in bad.problems)
