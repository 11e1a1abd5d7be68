"""Population files (interfaces §2) are read in every format, and every fault in them is
reported at once, naming the file, the row or item, the field and what was expected."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from prevplan.io import population_csv, population_csv_bytes
from prevplan.io import populations as population_io
from prevplan.io.columns import PopulationColumns
from prevplan.io.errors import problem_from_error
from prevplan.io.files import MAX_INPUT_BYTES, read_input_bytes
from prevplan.io.populations import (
    check_population_records,
    load_structured_bytes,
    parse_population_records,
    parse_populations_bytes,
    read_population_columns,
    read_populations,
)
from prevplan.population import (
    TargetPopulation,
    csv_columns,
    population_to_csv_row,
    populations_to_records,
)
from prevplan.problems import Problem, ProblemsError
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup

TEENS_YAML = """\
- id: teens
  name: "Teenagers in town, \\"old\\" centre"
  age_min: 12
  age_max: 17
  size: 5000
  risk_group: at_risk
  settings: [school, family]
  risk_factors: {family: 0.2, peers: 0.4}
  protective_factors: {parents: 0.6}
  special_groups: [marginal_youth]
  region: north
- id: adults
  age_min: 18
  age_max: 65
  size: 20000
"""

CSV_HEADER = "id,age_min,age_max,size"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[Problem]:
    with pytest.raises(ProblemsError) as caught:
        read_populations(path)
    assert caught.value.problems, "a ProblemsError must carry its problems"
    return list(caught.value.problems)


def only(found: list[Problem], **match: str) -> Problem:
    """The one problem whose attributes equal ``match``."""
    hits = [p for p in found if all(getattr(p, k) == v for k, v in match.items())]
    assert len(hits) == 1, f"expected one problem with {match}, got:\n" + "\n".join(
        str(p) for p in found
    )
    return hits[0]


# --------------------------------------------------------------------------- valid files


def check_teens(populations: list[TargetPopulation]) -> None:
    teens, adults = populations
    assert teens.id == "teens"
    assert teens.name == 'Teenagers in town, "old" centre'
    assert (teens.age_min, teens.age_max, teens.size) == (12, 17, 5000)
    assert teens.risk_group is RiskGroup.AT_RISK
    assert teens.settings == (Setting.SCHOOL, Setting.FAMILY)
    assert teens.risk_factors == {RiskFactor.FAMILY: 0.2, RiskFactor.PEERS: 0.4}
    assert teens.protective_factors == {ProtectiveFactor.PARENTS: 0.6}
    assert teens.special_groups == (SpecialGroup.MARGINAL_YOUTH,)
    assert teens.region == "north"
    assert adults.risk_group is RiskGroup.GENERAL
    assert adults.settings == ()
    assert adults.name is None


def test_yaml_list(tmp_path: Path) -> None:
    """A YAML list of objects gives one population per object, with defaults filled in."""
    check_teens(read_populations(write(tmp_path, "p.yaml", TEENS_YAML)))


def test_yaml_populations_mapping_and_yml_suffix(tmp_path: Path) -> None:
    """``{populations: [...]}`` is read like a bare list, and ``.yml`` like ``.yaml``."""
    indented = "".join("  " + line + "\n" for line in TEENS_YAML.splitlines())
    check_teens(read_populations(write(tmp_path, "p.yml", "populations:\n" + indented)))


def test_json_list_and_populations_mapping(tmp_path: Path) -> None:
    """JSON holds the same shapes as YAML: a list, or an object with ``populations``."""
    records = populations_to_records(read_populations(write(tmp_path, "p.yaml", TEENS_YAML)))
    check_teens(read_populations(write(tmp_path, "list.json", json.dumps(records))))
    document = json.dumps({"populations": records}, indent=2)
    check_teens(read_populations(write(tmp_path, "doc.json", document)))


def test_csv_with_flattened_maps_and_semicolon_lists(tmp_path: Path) -> None:
    """CSV lists are ``;``-separated, maps are ``field.key`` columns, blanks are stripped."""
    text = (
        "id,name,age_min,age_max,size,risk_group,settings,risk_factors.family,"
        "risk_factors.peers,protective_factors.parents,special_groups,region\n"
        'teens,"Teenagers in town, ""old"" centre",12,17,5000,at_risk, school ; family ,0.2,'
        " 0.4 ,0.6,"
        "marginal_youth,north\n"
        "adults,,18,65,20000,,,,,,,\n"
    )
    check_teens(read_populations(write(tmp_path, "p.csv", text)))


def test_csv_empty_factor_cell_means_unknown_not_zero(tmp_path: Path) -> None:
    """An empty factor cell leaves the factor out (unknown); a written 0 is kept as 0."""
    text = "id,age_min,age_max,size,risk_factors.family,risk_factors.peers\na,1,2,3,,0\n"
    (population,) = read_populations(write(tmp_path, "p.csv", text))
    assert population.risk_factors == {RiskFactor.PEERS: 0.0}


def test_csv_from_excel_with_bom_crlf_and_upper_case_suffix(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" (a byte-order mark, CRLF line ends) reads like any CSV."""
    path = tmp_path / "P.CSV"
    path.write_bytes(("\ufeff" + CSV_HEADER + "\r\na,1,2,3\r\n").encode("utf-8"))
    (population,) = read_populations(path)
    assert population.id == "a"


def test_csv_blank_rows_are_skipped_and_lines_still_counted(tmp_path: Path) -> None:
    """Blank lines and rows of commas are skipped; problems still name the right line."""
    text = CSV_HEADER + "\n\na,1,2,3\n,,,\nb,1,2,oops\n"
    found = problems(write(tmp_path, "p.csv", text))
    assert [str(p) for p in found] == [
        f"{tmp_path / 'p.csv'}: row 2 (line 5): field 'size': "
        "expected a whole number from 1 to 10,000,000,000, got 'oops'"
    ]


def test_csv_quoted_cell_over_two_lines(tmp_path: Path) -> None:
    """A quoted cell may hold a line break; the next row's line number accounts for it."""
    text = CSV_HEADER + ',name\na,1,2,3,"two\nlines"\nb,1,2,0,x\n'
    found = problems(write(tmp_path, "p.csv", text))
    assert only(found, field="size").where == "row 2 (line 4)"


def test_round_trip_through_json_and_csv(tmp_path: Path) -> None:
    """What prevplan writes (records, CSV rows) reads back as equal populations."""
    original = read_populations(write(tmp_path, "p.yaml", TEENS_YAML))
    as_json = write(tmp_path, "p.json", json.dumps(populations_to_records(original)))
    assert read_populations(as_json) == original
    with (tmp_path / "p.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=csv_columns())
        writer.writeheader()
        writer.writerows(population_to_csv_row(p) for p in original)
    assert read_populations(tmp_path / "p.csv") == original


def test_parse_bytes_uses_the_name_for_the_format() -> None:
    """Uploaded bytes are parsed by the suffix of their file name."""
    (population,) = parse_populations_bytes(b"id,age_min,age_max,size\na,1,2,3\n", "up.csv")
    assert population.size == 3


def test_records_from_a_plan_name_items_by_label() -> None:
    """Already-loaded records are validated alone; problems use the caller's label."""
    records: list[object] = [{"id": "a", "age_min": 1, "age_max": 2, "size": 0}]
    with pytest.raises(ProblemsError) as caught:
        parse_population_records(records, "plan.yaml", label="populations item")
    assert str(caught.value) == (
        "plan.yaml: populations item 1 (id a): field 'size': "
        "expected a whole number from 1 to 10,000,000,000, got 0"
    )
    populations, found = check_population_records(records, "plan.yaml")
    assert populations == [] and len(found) == 1


# --------------------------------------------------------------------------- the model


def test_model_is_strict_about_numbers() -> None:
    """The model takes no bool for a number and no number written as text."""
    base = {"id": "a", "age_min": 1, "age_max": 2, "size": 3}
    for field, value in [("size", True), ("age_min", "12"), ("age_max", 2.0)]:
        with pytest.raises(ValidationError):
            TargetPopulation.model_validate({**base, field: value})
    with pytest.raises(ValidationError):
        TargetPopulation.model_validate({**base, "risk_factors": {"family": False}})
    assert TargetPopulation.model_validate({**base, "risk_factors": {"family": 1}}).risk_factors


def test_model_is_frozen_and_closed() -> None:
    """A population cannot be changed after validation, nor carry unknown fields."""
    population = TargetPopulation(id="a", age_min=1, age_max=2, size=3)
    with pytest.raises(ValidationError):
        population.size = 4  # type: ignore[misc]
    with pytest.raises(ValidationError):
        TargetPopulation.model_validate({"id": "a", "age_min": 1, "age_max": 2, "size": 3, "x": 1})


def test_model_rejects_repeated_settings_and_reversed_ages() -> None:
    """The same setting twice, or age_min above age_max, is an error of the model itself."""
    with pytest.raises(ValidationError, match="settings lists school more than once"):
        TargetPopulation(id="a", age_min=1, age_max=2, size=3, settings=("school", "school"))
    with pytest.raises(ValidationError, match="age_min 9 is greater than age_max 2"):
        TargetPopulation(id="a", age_min=9, age_max=2, size=3)


# --------------------------------------------------------------------------- whole-file faults


def test_missing_file(tmp_path: Path) -> None:
    """A path that does not exist is one problem naming it."""
    path = tmp_path / "nope.csv"
    assert [str(p) for p in problems(path)] == [f"{path}: file not found"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("e.csv", ""), ("e.yaml", "  \n\n"), ("e.json", "\n"), ("c.yaml", "# only a comment\n")],
)
def test_empty_file(tmp_path: Path, name: str, content: str) -> None:
    """A file with nothing (or only blanks or comments) says it is empty."""
    (problem,) = problems(write(tmp_path, name, content))
    assert problem.message == "file is empty; expected one or more target populations"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00", "caf\xe9,1".encode("latin-1")])
def test_binary_or_non_utf8_file(tmp_path: Path, data: bytes) -> None:
    """Bytes that are not UTF-8 text are refused as "not a text file"."""
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    (problem,) = problems(path)
    assert problem.file == str(path)
    assert problem.message.startswith("not a text file")
    assert "expected UTF-8 text" in problem.message


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    """A file over MAX_INPUT_BYTES is refused with its size and the limit."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: costs no disk and no time
    (problem,) = problems(path)
    assert problem.message.startswith("file is too large (50.0 MB)")
    assert "expected at most 50 MB" in problem.message


def test_unsupported_suffix(tmp_path: Path) -> None:
    """Only .yaml, .yml, .json and .csv are read; the message lists them."""
    (problem,) = problems(write(tmp_path, "p.txt", "id\n"))
    assert problem.message == (
        "unsupported file type '.txt'; expected one of .yaml, .yml, .json, .csv"
    )


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    """A YAML syntax error gives the line and column where the parser stopped."""
    (problem,) = problems(write(tmp_path, "p.yaml", "- id: a\n  settings: [school,\n"))
    assert problem.where == "line 3, column 1"
    assert problem.message.startswith("malformed YAML:")


def test_malformed_json_names_the_line(tmp_path: Path) -> None:
    """A JSON syntax error gives the line and column."""
    (problem,) = problems(write(tmp_path, "p.json", '[\n  {"id": "a" 1}\n]'))
    assert problem.where == "line 2, column 14"
    assert problem.message.startswith("malformed JSON:")


def test_unclosed_csv_quote_is_an_error_not_a_swallowed_file(tmp_path: Path) -> None:
    """An unclosed quote is reported at its row instead of eating the rest of the file."""
    text = CSV_HEADER + ',name\na,1,2,3,"unclosed\nb,1,2,3,x\n'
    (problem,) = problems(write(tmp_path, "p.csv", text))
    assert problem.where == "row 1 (line 2)"
    assert problem.message.startswith("malformed CSV:")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("42", "expected a list of populations or a mapping with key 'populations', got 42"),
        (
            '"teens"',
            "expected a list of populations or a mapping with key 'populations', got 'teens'",
        ),
        ('{"population": []}', "missing; expected a list of populations or a mapping"),
        ('{"populations": {"id": "a"}}', "expected a list of populations, got a mapping"),
    ],
)
def test_wrong_top_level_shape(tmp_path: Path, text: str, message: str) -> None:
    """Anything but a list or ``{populations: [...]}`` is named for what it is."""
    found = problems(write(tmp_path, "p.json", text))
    assert any(p.where == "top level" and p.message.startswith(message) for p in found), found


def test_unknown_top_level_key_and_empty_list_both_reported(tmp_path: Path) -> None:
    """An unknown key beside ``populations`` and an empty list are two problems."""
    found = problems(write(tmp_path, "p.yaml", "populations: []\nactivities: []\n"))
    only(
        found, where="top level", field="activities", message="unknown key; expected 'populations'"
    )
    only(found, message="contains no populations; expected one or more target populations")


def test_other_top_level_keys_can_be_allowed(tmp_path: Path) -> None:
    """A caller reading a plan may allow its other keys (``activities``)."""
    path = write(
        tmp_path,
        "plan.yaml",
        "populations:\n  - {id: a, age_min: 1, age_max: 2, size: 3}\nactivities: []\n",
    )
    assert len(read_populations(path, other_keys={"activities"})) == 1


def test_duplicate_yaml_key_is_reported(tmp_path: Path) -> None:
    """PyYAML keeps the last of two equal keys silently; prevplan reports the pair."""
    text = "- id: a\n  age_min: 1\n  age_max: 2\n  size: 3\n  size: 4\n"
    (problem,) = problems(write(tmp_path, "p.yaml", text))
    assert (problem.where, problem.field) == ("line 5", "size")
    assert "first on line 4" in problem.message


# --------------------------------------------------------------------------- CSV header faults


def test_csv_with_no_column_prevplan_knows_is_reported(tmp_path: Path) -> None:
    """A spreadsheet whose headers are all unknown (an NGO inventory's own wording) gets a
    problem per column and the missing required columns, not a crash."""
    found = problems(write(tmp_path, "p.csv", "ID,Age from,Age to\nx,1,2\n"))
    assert [p.field for p in found] == ["ID", "Age from", "Age to", ""]
    assert "missing required columns id, age_min, age_max, size" in found[-1].message


def test_csv_missing_required_columns_are_named(tmp_path: Path) -> None:
    """The header problem names each missing required column, once for the whole file."""
    found = problems(write(tmp_path, "p.csv", "id,name,age_min\na,A,1\nb,B,2\n"))
    assert [str(p) for p in found] == [
        f"{tmp_path / 'p.csv'}: header (line 1): missing required columns age_max, size; "
        "expected at least id, age_min, age_max, size"
    ]


def test_csv_unknown_columns_are_named_with_the_allowed_ones(tmp_path: Path) -> None:
    """Each unknown column is a problem listing every allowed column name."""
    text = CSV_HEADER + ",colour,risk_factors.famly\na,1,2,3,red,0.1\n"
    found = problems(write(tmp_path, "p.csv", text))
    for column in ("colour", "risk_factors.famly"):
        problem = only(found, field=column)
        assert problem.where == "header (line 1)"
        assert problem.message.startswith("unknown column; expected columns from id, name,")
        assert "risk_factors.family" in problem.message
        assert "protective_factors.physical_environment" in problem.message


def test_csv_repeated_column_and_semicolon_separated_file(tmp_path: Path) -> None:
    """A column named twice is an error; a ``;``-separated file is told to use commas."""
    found = problems(write(tmp_path, "p.csv", CSV_HEADER + ",size\na,1,2,3,4\n"))
    assert only(found, field="size").message.startswith("column appears twice (columns 4 and 5)")
    (problem,) = problems(write(tmp_path, "q.csv", "id;age_min;age_max;size\na;1;2;3\n"))
    assert problem.message.startswith("the header has no commas; expected comma-separated")


def test_csv_row_wider_than_header(tmp_path: Path) -> None:
    """A row with more (non-empty) cells than the header has columns is reported."""
    (problem,) = problems(write(tmp_path, "p.csv", CSV_HEADER + "\na,1,2,3,extra\n"))
    assert problem.where == "row 1 (line 2)"
    assert problem.message == "has 5 cells; expected at most 4, one per header column"


# --------------------------------------------------------------------------- row and item faults


@pytest.mark.parametrize(
    ("cells", "field", "message"),
    [
        ("a,abc,2,3", "age_min", "expected a whole number from 0 to 120, got 'abc'"),
        ("a,1,121,3", "age_max", "expected a whole number from 0 to 120, got '121'"),
        ("a,1,2,1.5", "size", "expected a whole number from 1 to 10,000,000,000, got '1.5'"),
        ("a,1,2,0", "size", "expected a whole number from 1 to 10,000,000,000, got '0'"),
        ("a,1,2,", "size", "missing; expected a whole number from 1 to 10,000,000,000"),
        (",1,2,3", "id", "missing; expected a non-empty text"),
        ("a,9,2,3", "age_min", "is 9, greater than age_max 2; expected age_min ≤ age_max"),
    ],
)
def test_csv_row_fault(tmp_path: Path, cells: str, field: str, message: str) -> None:
    """Each bad cell names file, row and line, field, and what was expected."""
    path = write(tmp_path, "p.csv", CSV_HEADER + "\nok,1,2,3\n" + cells + "\n")
    assert [str(p) for p in problems(path)] == [
        f"{path}: row 2 (line 3): field '{field}': {message}"
    ]


@pytest.mark.parametrize(
    ("column", "cell", "field", "message"),
    [
        ("risk_factors.peers", "1.4", "risk_factors.peers",
         "expected a share from 0 to 1, got '1.4'"),
        ("risk_factors.peers", "-0.1", "risk_factors.peers",
         "expected a share from 0 to 1, got '-0.1'"),
        ("protective_factors.parents", "0,3", "protective_factors.parents",
         "expected a share from 0 to 1, got '0,3' (write the decimal point as '.')"),
        ("risk_factors.family", "30%", "risk_factors.family",
         "expected a share from 0 to 1, got '30%' (write a percentage as a share: 30% is 0.3)"),
        ("risk_factors.family", "nan", "risk_factors.family",
         "expected a share from 0 to 1, got 'nan'"),
        ("risk_group", "risky", "risk_group",
         "expected one of general, at_risk, experienced_use, dependent; got 'risky'"),
        ("settings", "school;pub", "settings",
         "expected one of family, school, workplace, community, health_services, mass_media, "
         "entertainment_venues, sport, prison, military, university, online; got 'pub'"),
        ("settings", "school,family", "settings",
         "expected one of family, school, workplace, community, health_services, mass_media, "
         "entertainment_venues, sport, prison, military, university, online; got 'school,family' "
         "(separate list items with ';')"),
        ("settings", "school;family;school", "settings",
         "lists school more than once; expected each at most once"),
        ("special_groups", "pregnant_women;aliens", "special_groups",
         "expected one of pregnant_women, marginal_youth, war_or_disaster_affected; got 'aliens'"),
    ],
)  # fmt: skip
def test_csv_value_fault(tmp_path: Path, column: str, cell: str, field: str, message: str) -> None:
    """Shares out of 0–1 and words outside a vocabulary list what is allowed."""
    path = write(tmp_path, "p.csv", f'{CSV_HEADER},{column}\na,1,2,3,"{cell}"\n')
    assert [str(p) for p in problems(path)] == [
        f"{path}: row 1 (line 2): field '{field}': {message}"
    ]


@pytest.mark.parametrize(
    ("item", "field", "message"),
    [
        ("size: true", "size", "expected a whole number from 1 to 10,000,000,000, got true"),
        ("age_min: '12'", "age_min", "expected a whole number from 0 to 120, got '12'"),
        ("age_min: 12.0", "age_min", "expected a whole number from 0 to 120, got 12.0"),
        ("age_max: null", "age_max", "missing; expected a whole number from 0 to 120"),
        ("risk_factors: {peers: 2}", "risk_factors.peers", "expected a share from 0 to 1, got 2"),
        ("risk_factors: {peers: true}", "risk_factors.peers",
         "expected a share from 0 to 1, got true"),
        ("risk_factors: {famly: 0.2}", "risk_factors",
         "unknown key 'famly'; expected one of family, school, early_problem_behaviour, "
         "economic, peers, individual_predisposition"),
        ("risk_factors: [family]", "risk_factors",
         "expected a mapping from risk factors (family, school, early_problem_behaviour, "
         "economic, peers, individual_predisposition) to shares from 0 to 1; got a list"),
        ("settings: school", "settings",
         "expected a list of settings (family, school, workplace, community, health_services, "
         "mass_media, entertainment_venues, sport, prison, military, university, online); "
         "got 'school'"),
        ("special_groups: [pregnant_women, pregnant_women]", "special_groups",
         "lists pregnant_women more than once; expected each at most once"),
        ("colour: red", "colour",
         "unknown field; expected one of id, name, age_min, age_max, size, risk_group, "
         "settings, risk_factors, protective_factors, special_groups, parents_of, region, "
         "benchmarks"),
        ("name: 2024", "name", "expected a text, got 2024 (put it in quotes to make it text)"),
    ],
)  # fmt: skip
def test_yaml_item_fault(tmp_path: Path, item: str, field: str, message: str) -> None:
    """Each bad value in YAML names ``item N (id X)``, the field and what was expected."""
    base = {"age_min": "1", "age_max": "2", "size": "3"}
    key = item.split(":")[0]
    lines = [f"  {k}: {v}" for k, v in base.items() if k != key]
    text = "- id: ok\n  age_min: 1\n  age_max: 2\n  size: 3\n- id: b\n" + "\n".join(lines)
    path = write(tmp_path, "p.yaml", text + f"\n  {item}\n")
    assert [str(p) for p in problems(path)] == [
        f"{path}: item 2 (id b): field '{field}': {message}"
    ]


def test_json_item_without_usable_id_is_named_by_position(tmp_path: Path) -> None:
    """An item whose id is missing or not text is named by its position alone."""
    text = json.dumps(
        [
            {"age_min": 1, "age_max": 2, "size": 3},
            {"id": 7, "age_min": 1, "age_max": 2, "size": 3},
            "x",
        ]
    )
    found = problems(write(tmp_path, "p.json", text))
    assert only(found, where="item 1", field="id").message == "missing; expected a non-empty text"
    assert only(found, where="item 2", field="id").message == (
        "expected a non-empty text, got 7 (put it in quotes to make it text)"
    )
    assert only(found, where="item 3").message.startswith(
        "expected an object with fields id, name, age_min,"
    )


def test_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    """A repeated id is reported at the later row, naming the earlier one."""
    path = write(tmp_path, "p.csv", CSV_HEADER + "\na,1,2,3\nb,1,2,3\na,4,5,6\n")
    assert [str(p) for p in problems(path)] == [
        f"{path}: row 3 (line 4): field 'id': duplicate id 'a', also used by row 1 (line 2); "
        "expected ids unique within the file"
    ]
    text = json.dumps([{"id": "a", "age_min": 1, "age_max": 2, "size": 3}] * 2)
    (problem,) = problems(write(tmp_path, "p.json", text))
    assert problem.where == "item 2 (id a)"
    assert "also used by item 1 (id a)" in problem.message


# --------------------------------------------------------------------------- all at once


def test_csv_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """Header faults and every fault in every row come back together, in file order."""
    text = (
        "id,age_min,age_max,size,risk_group,settings,colour\n"
        "a,abc,17,0,risky,school;school,red\n"
        "b,30,20,10,,,\n"
        "a,1,2,3,,pub,\n"
    )
    path = write(tmp_path, "p.csv", text)
    assert [str(p).removeprefix(f"{path}: ") for p in problems(path)] == [
        "header (line 1): field 'colour': unknown column; expected columns from "
        + ", ".join(csv_columns()),
        "row 1 (line 2): field 'age_min': expected a whole number from 0 to 120, got 'abc'",
        "row 1 (line 2): field 'size': expected a whole number from 1 to 10,000,000,000, got '0'",
        "row 1 (line 2): field 'risk_group': "
        "expected one of general, at_risk, experienced_use, dependent; got 'risky'",
        "row 1 (line 2): field 'settings': lists school more than once; expected each at most once",
        "row 2 (line 3): field 'age_min': is 30, greater than age_max 20; "
        "expected age_min ≤ age_max",
        "row 3 (line 4): field 'settings': expected one of family, school, workplace, community, "
        "health_services, mass_media, entertainment_venues, sport, prison, military, university, "
        "online; got 'pub'",
        "row 3 (line 4): field 'id': duplicate id 'a', also used by row 1 (line 2); "
        "expected ids unique within the file",
    ]


def test_yaml_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    """A YAML file with faults in several items reports each one, plus duplicate keys."""
    text = """\
- id: a
  age_min: 30
  age_max: 20
  size: -1
  settings: [school, school]
- id: b
  age_min: 1
  age_max: 2
  size: 3
  size: 4
  extra: 1
- id: a
  age_min: 1
  age_max: 2
"""
    found = problems(write(tmp_path, "p.yaml", text))
    assert {(p.where, p.field) for p in found} == {
        ("line 10", "size"),
        ("item 1 (id a)", "size"),
        ("item 1 (id a)", "age_min"),
        ("item 1 (id a)", "settings"),
        ("item 2 (id b)", "extra"),
        ("item 3 (id a)", "size"),
        ("item 3 (id a)", "id"),
    }
    assert len(found) == 7


# --------------------------------------------------------------------------- shared helpers


def test_structured_loader_for_plans(tmp_path: Path) -> None:
    """Plan files reuse the YAML/JSON loader: same faults, same wording, no CSV."""
    assert load_structured_bytes(b"populations: []\nactivities: []\n", "plan.yaml") == {
        "populations": [],
        "activities": [],
    }
    with pytest.raises(ProblemsError, match=r"unsupported file type '\.csv'; expected one of"):
        load_structured_bytes(b"id\n", "plan.csv")
    with pytest.raises(ProblemsError, match=r"plan.json: line 1, column 2: malformed JSON"):
        load_structured_bytes(b"{oops", "plan.json")
    with pytest.raises(ProblemsError, match="file is empty"):
        load_structured_bytes(b"# nothing\n", "plan.yaml")
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"name: x\n")
    assert read_input_bytes(path, "plan.yaml") == b"name: x\n"


def test_problem_from_error_words_any_model_error() -> None:
    """Errors of other models (activities, plans) get the same kind of readable message."""

    class Activity(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: str
        reach: Annotated[int, Field(strict=True, ge=0)] = 0
        kind: Literal["planned", "done"] = "planned"

    with pytest.raises(ValidationError) as caught:
        Activity.model_validate({"reach": -1, "kind": "maybe", "colour": "red"})
    found = [problem_from_error("plan.yaml", "activity 1", e) for e in caught.value.errors()]
    assert [str(p) for p in found] == [
        "plan.yaml: activity 1: field 'id': missing; this field is required",
        "plan.yaml: activity 1: field 'reach': expected a number of at least 0, got -1",
        "plan.yaml: activity 1: field 'kind': expected one of 'planned' or 'done', got 'maybe'",
        "plan.yaml: activity 1: field 'colour': unknown field",
    ]


# --------------------------------------------------------------------------- fast paths


def _validated(monkeypatch: pytest.MonkeyPatch, text: str) -> list[TargetPopulation] | Problem:
    """The populations (or first problem) of CSV text, read by validating every row."""
    monkeypatch.setattr(population_io, "valid_csv_table", lambda text, texts=True: None)
    monkeypatch.setattr(population_io, "plain_csv_columns", lambda data: None)
    try:
        return parse_populations_bytes(text.encode(), "p.csv")
    except ProblemsError as err:
        return err.problems[0]
    finally:
        monkeypatch.undo()


def _same_populations(fast: list[TargetPopulation], slow: list[TargetPopulation]) -> None:
    """Equal values, and built alike: the same fields set, dict orders and JSON."""
    assert fast == slow
    for a, b in zip(fast, slow, strict=True):
        assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        assert list(a.__dict__) == list(b.__dict__)
        assert list(a.risk_factors) == list(b.risk_factors)
        assert list(a.protective_factors) == list(b.protective_factors)
        assert a.model_dump_json() == b.model_dump_json()  # -0.0 stays -0.0
        assert a.model_copy(update={"size": 7}).size == 7


def _columns_as_text(columns: PopulationColumns) -> dict[str, list[str]]:
    """The columns, every value by its repr (so NaN and -0.0 compare as written)."""
    found = {
        field: [repr(v) for v in getattr(columns, field)]
        for field in ("ids", "age_min", "age_max", "risk_group", "settings", "special_groups")
    }
    for field in ("risk_factors", "protective_factors"):
        for factor, values in getattr(columns, field).items():
            shares = [repr(float(v)) for v in values]
            if set(shares) != {"nan"}:  # a factor nobody has a share of is simply absent
                found[f"{field}.{factor}"] = shares
    return found


FAST_PATH_FILES: dict[str, str] = {
    "plain": CSV_HEADER + ",risk_group,settings,risk_factors.peers,protective_factors.parents\n"
    "a,1,2,3,at_risk,school;family,0.25,\nb,11,17,900,,,,1\n",
    "blanks, leading zeros, points": CSV_HEADER + ",risk_factors.peers,risk_factors.family\n"
    " a , 007 ,012, 0100 , .5 ,1.\nb,0,120,1,00.50,0\n",
    "CRLF and blank lines at the end": CSV_HEADER + ",special_groups\r\n"
    "a,1,2,3,marginal_youth\r\nb,30,40,5, pregnant_women ; marginal_youth \r\n\r\n\n",
    "quoted cells": CSV_HEADER + ',name,settings\na,1,2,3,"Town, centre","school;sport"\n',
    "non-ASCII ids and names": CSV_HEADER + ",name\nжизнь,1,2,3,Région\n中,4,5,6,\n",
    "minus zero and long decimals": CSV_HEADER + ",risk_factors.peers,protective_factors.parents\n"
    "a,1,2,3,-0.0,0.30000000000000004\nb,1,2,3,0.1234567890123456789,1.0000000000000000001\n",
    "numbers written unusually": CSV_HEADER + ",risk_factors.peers\na,+1,2,12.0,1e-1\n",
    "empty list cells and all columns": ",".join(csv_columns())
    + "\n"
    + "a,Name,1,2,3,dependent,;,,north,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1\n",
}


@pytest.mark.parametrize("name", list(FAST_PATH_FILES), ids=list(FAST_PATH_FILES))
def test_fast_paths_read_what_validation_reads(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Objects and columns read the fast way are exactly those validation gives."""
    text = FAST_PATH_FILES[name]
    slow = _validated(monkeypatch, text)
    assert isinstance(slow, list), slow
    path = tmp_path / "p.csv"
    path.write_bytes(text.encode())
    _same_populations(read_populations(path), slow)
    assert _columns_as_text(read_population_columns(path)) == _columns_as_text(
        PopulationColumns.of(slow)
    )


def test_the_usual_national_file_takes_the_fast_paths(tmp_path: Path) -> None:
    """A plain CSV file with no problem is read without validating each population."""
    path = tmp_path / "p.csv"
    path.write_text(FAST_PATH_FILES["plain"] * 1, encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert population_csv_bytes.plain_csv_columns(path.read_bytes()) is not None
    assert population_csv.valid_csv_table(text) is not None
    assert population_csv_bytes.plain_csv_columns(FAST_PATH_FILES["quoted cells"].encode()) is None


def test_columns_of_a_bad_file_report_the_same_problems(tmp_path: Path) -> None:
    """A file with problems is read the usual way for a batch too: every problem, once."""
    path = tmp_path / "p.csv"
    path.write_text(CSV_HEADER + "\na,1,2,3\nb,9,2,0\na,1,2,3\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as from_objects:
        read_populations(path)
    with pytest.raises(ProblemsError) as from_columns:
        read_population_columns(path)
    assert from_columns.value.problems == from_objects.value.problems
    assert len(from_columns.value.problems) == 3


_CELLS = {
    "id": ["a", " b ", "c1", "", "é"],
    "age_min": ["0", "12", "007", "121", "x", " 5", ""],
    "age_max": ["17", "120", "018", "1_7", "30"],
    "size": ["1", "0", "50", "12.0", "+3", "", "99999999999999999999"],
    "risk_group": ["", "general", "dependent", "risky", " at_risk "],
    "settings": ["", "school", "school;family", "school;school", " sport ; family ", ";", "pub"],
    "special_groups": ["", "pregnant_women", "war_or_disaster_affected;marginal_youth"],
    "risk_factors.peers": ["", "0", "0.1", "1", "1.5", ".5", "0.", "-0.0", "1e-1", "0,3", "."],
    "protective_factors.parents": ["", "0.75", "1.0", "00.25", "0.333333333333333333333"],
}


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_random_csv_files_read_alike_every_way(data: st.DataObject) -> None:
    """Whatever is in the cells, the fast paths give what validation gives, or leave the
    file to it (which then reports the problems)."""
    columns = data.draw(
        st.lists(st.sampled_from(list(_CELLS)[4:]), unique=True, max_size=5), label="columns"
    )
    header = ["id", "age_min", "age_max", "size", *columns]
    rows = data.draw(
        st.lists(
            st.tuples(*(st.sampled_from(_CELLS[name]) for name in header)),
            min_size=1,
            max_size=6,
        ),
        label="rows",
    )
    text = ",".join(header) + "\n" + "".join(",".join(row) + "\n" for row in rows)
    with pytest.MonkeyPatch.context() as monkeypatch:
        slow = _validated(monkeypatch, text)
    plain = population_csv_bytes.plain_csv_columns(text.encode())
    table = population_csv.valid_csv_table(text)
    if isinstance(slow, Problem):
        assert plain is None
        assert table is None
        return
    if table is not None:
        _same_populations(table.populations(), slow)
        assert _columns_as_text(table.columns()) == _columns_as_text(PopulationColumns.of(slow))
    if plain is not None:
        assert _columns_as_text(plain) == _columns_as_text(PopulationColumns.of(slow))


def test_nested_columns_other_than_factors_take_the_usual_way() -> None:
    """A nested column the fast paths do not mirror (``parents_of.age_min``) is never read
    by them as a factor share: only the usual way reads it."""
    from prevplan.io.population_csv import _fast_columns

    required = [(0, "id"), (1, "age_min"), (2, "age_max"), (3, "size")]
    assert _fast_columns([*required, (4, "risk_factors.family"), (5, "settings")])
    assert not _fast_columns([*required, (4, "parents_of.age_min")])
    assert not _fast_columns(required[:3])
