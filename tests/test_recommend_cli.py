"""``prevplan recommend FILE``: formats, atomic output, and bad input answered with exit 2.

Most tests call :func:`prevplan.cli.main` in-process; the console script itself is run once
as a real subprocess (and again with several worker processes).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prevplan.cli import main
from prevplan.commands import recommend as recommend_command
from prevplan.commands.recommend import CSV_COLUMNS, LARGE_FILE
from prevplan.engine import recommend
from prevplan.engine.evidence import delivery_facts
from prevplan.io.populations import read_populations
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules

POPULATIONS = """\
- id: pupils
  name: Primary pupils
  age_min: 7
  age_max: 10
  size: 2400
  settings: [school, family]
  risk_factors: {family: 0.3}
- id: teens
  age_min: 12
  age_max: 16
  size: 5000
  risk_factors: {peers: 0.4, school: 0.2}
  protective_factors: {parents: 0.35}
- id: clients
  age_min: 20
  age_max: 45
  size: 300
  risk_group: dependent
"""

CSV_HEADER = "id,age_min,age_max,size,risk_group,settings,risk_factors.peers\n"


def run_cli(*argv: str) -> int:
    return main(["recommend", *argv])


@pytest.fixture
def population_file(tmp_path: Path) -> Path:
    path = tmp_path / "populations.yaml"
    path.write_text(POPULATIONS, encoding="utf-8")
    return path


def test_json_goes_to_stdout_one_object_per_population_in_order(
    population_file: Path, capsys: pytest.CaptureFixture[str], rules: RuleSet
) -> None:
    """The default format is a JSON array in input order, each object the model's JSON."""
    assert run_cli(str(population_file)) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["population_id"] for r in data] == ["pupils", "teens", "clients"]
    for record, population in zip(data, read_populations(population_file), strict=True):
        assert record == recommend(population, rules).model_dump(mode="json")
        assert {
            "population_id",
            "prevention_level",
            "strategies",
            "interventions",
            "priority_risk_factors",
            "action_items",
            "warnings",
        } <= set(record)
    assert data[2]["prevention_level"] == "tertiary"
    assert "route_to_treatment" in {w["code"] for w in data[2]["warnings"]}


def test_output_file_is_written_and_replaces_an_old_one(
    population_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--output`` writes the file (replacing an old one) and nothing to stdout."""
    output = tmp_path / "out.json"
    output.write_text("old", encoding="utf-8")
    assert run_cli(str(population_file), "--output", str(output)) == 0
    assert capsys.readouterr().out == ""
    assert len(json.loads(output.read_text(encoding="utf-8"))) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "populations.yaml"]


def test_csv_has_one_row_per_item(population_file: Path, tmp_path: Path, rules: RuleSet) -> None:
    """CSV: the documented columns, a row per strategy, intervention, factor, item, warning."""
    output = tmp_path / "out.csv"
    assert run_cli(str(population_file), "--format", "csv", "--output", str(output)) == 0
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8"))))
    assert list(rows[0]) == CSV_COLUMNS
    teens = [r for r in rows if r["population_id"] == "teens"]
    rec = recommend(read_populations(population_file)[1], rules)
    assert [r["item_id"] for r in teens if r["item_type"] == "strategy"] == [
        s.id for s in rec.strategies
    ]
    assert {r["item_type"] for r in teens} >= {
        "strategy",
        "intervention",
        "priority_risk_factor",
        "weak_protective_factor",
        "action_item",
    }
    assert any(r["item_type"] == "warning" and r["item_id"] == "route_to_treatment" for r in rows)


def test_table_is_readable_text(population_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The table names each population, its level with clauses, strategies and warnings."""
    assert run_cli(str(population_file), "--format", "table") == 0
    out = capsys.readouterr().out
    assert "Primary pupils" in out
    assert "Prevention level: Universal prevention [VI-2.1#p1" in out
    assert "Strategies (1 = first):" in out
    assert "route_to_treatment" in out


def test_delivery_facts_of_prevention_curricula_are_not_offered_for_dependence(
    population_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What works in school curricula (10–15 sessions, boosters, pupils) is shown where the
    Standards rate prevention; for people with dependence (tertiary: treatment and
    rehabilitation) the table leads with the route to treatment and shows none of it."""
    assert run_cli(str(population_file), "--format", "table") == 0
    blocks = capsys.readouterr().out.split("=" * 78)
    pupils = next(b for b in blocks if "Primary pupils" in b)
    clients = next(b for b in blocks if "(clients;" in b)
    assert "What works:" in pupils
    assert "FIRST: Treatment and rehabilitation needed." in clients
    assert "Strategies (1 = first):" in clients
    assert "What works:" not in clients


@pytest.mark.parametrize(
    ("population", "item", "shown"),
    [
        # School-curriculum facts (pupils, 10–15 lessons) are not advice for older adults.
        ("{age_min: 65, age_max: 85, risk_group: at_risk}", "life_skills", False),
        # Rated for the same ages at another level: brief intervention is delivered the same
        # way whoever is screened.
        ("{age_min: 18, age_max: 21, settings: [military]}", "screening_brief_intervention", True),
        # Rated for these ages and this level.
        ("{age_min: 12, age_max: 14, settings: [school]}", "life_skills", True),
    ],
)
def test_delivery_facts_are_shown_where_the_standards_rated_those_ages(
    population: str, item: str, shown: bool, rules: RuleSet
) -> None:
    data = yaml.safe_load(population) | {"id": "p", "size": 1000}
    rec = recommend(TargetPopulation.model_validate(data), rules)
    found = {e.id: (e.evidence, rec.age_stages) for e in rec.strategies}
    found |= {e.id: (e.evidence, e.age_stages or rec.age_stages) for e in rec.interventions}
    evidence, stages = found[item]
    facts = delivery_facts(rules, evidence, stages, rec.prevention_level.value, "en")
    assert bool(facts) is shown, (evidence, facts)


def test_csv_input_gives_the_same_recommendations_as_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A population is recommended the same whether it comes from CSV or YAML."""
    (tmp_path / "p.csv").write_text(CSV_HEADER + "a,12,15,100,at_risk,school;sport,0.4\n")
    (tmp_path / "p.yaml").write_text(
        "- {id: a, age_min: 12, age_max: 15, size: 100, risk_group: at_risk,"
        " settings: [school, sport], risk_factors: {peers: 0.4}}\n"
    )
    assert run_cli(str(tmp_path / "p.csv")) == 0
    from_csv = capsys.readouterr().out
    assert run_cli(str(tmp_path / "p.yaml")) == 0
    assert capsys.readouterr().out == from_csv


# --- bad input --------------------------------------------------------------------------------

BAD_FILES: dict[str, tuple[str, str | bytes, list[tuple[str, ...]]]] = {
    # name: (file name, content, [(parts every problem line must contain), …] one per line)
    "wrong types": (
        "p.yaml",
        "- {id: a, age_min: '12', age_max: 15, size: true}\n",
        [("item 1 (id a)", "age_min", "expected"), ("item 1 (id a)", "size", "expected")],
    ),
    "share outside 0 to 1": (
        "p.csv",
        CSV_HEADER + "a,12,15,100,general,,1.5\n",
        [("row 1 (line 2)", "risk_factors.peers", "expected a share from 0 to 1")],
    ),
    "age_min above age_max": (
        "p.yaml",
        "- {id: a, age_min: 16, age_max: 12, size: 10}\n",
        [("item 1 (id a)", "age_min", "expected age_min ≤ age_max")],
    ),
    "unknown words": (
        "p.yaml",
        "- {id: a, age_min: 1, age_max: 2, size: 10, risk_group: risky, settings: [pub]}\n",
        [("risk_group", "expected one of general"), ("settings", "expected one of family")],
    ),
    "duplicate ids": (
        "p.csv",
        CSV_HEADER + "a,1,2,10,general,,\na,3,4,10,general,,\n",
        [("row 2 (line 3)", "'id'", "duplicate id 'a'", "expected ids unique")],
    ),
    "missing columns": (
        "p.csv",
        "id,age_min,size\na,1,10\n",
        [("header (line 1)", "missing required column age_max", "expected")],
    ),
    "empty file": ("p.csv", "", [("file is empty", "expected")]),
    "binary file": ("p.csv", bytes(range(256)) * 4, [("not a text file", "expected UTF-8")]),
    "unsupported suffix": ("p.txt", "id\n", [("unsupported file type", "expected one of")]),
}


def _write(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


def _assert_problems(err: str, path: Path, expected: list[tuple[str, ...]]) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert summary == f"{len(expected)} problem{'s' if len(expected) != 1 else ''} found."
    assert len(problems) == len(expected), problems
    for line, parts in zip(problems, expected, strict=True):
        assert line.startswith(str(path)), line
        for part in parts:
            assert part in line, (part, line)


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_input_exits_2_naming_each_problem_and_writes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2, one line per problem (file, row, field, expected), no traceback, and the
    output file is neither created nor touched."""
    name, content, expected = BAD_FILES[case]
    path = tmp_path / name
    _write(path, content)
    existing = tmp_path / "existing.json"
    existing.write_text("keep me", encoding="utf-8")
    before = existing.stat().st_mtime_ns
    assert run_cli(str(path), "--output", str(existing)) == 2
    assert run_cli(str(path), "--output", str(tmp_path / "new.json")) == 2
    out, err = capsys.readouterr()
    assert out == ""
    _assert_problems(err.split("found.\n", 1)[0] + "found.\n", path, expected)
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert existing.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "existing.json"])


def test_a_file_over_50_mb_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A huge file (sparse here, so it costs no disk) is refused with one clear line."""
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.write(CSV_HEADER.encode())
        handle.truncate(51 * 1024 * 1024)
    output = tmp_path / "out.json"
    assert run_cli(str(path), "--output", str(output)) == 2
    err = capsys.readouterr().err
    _assert_problems(err, path, [("file is too large", "expected at most 50 MB")])
    assert not output.exists()


def test_a_missing_file_is_one_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere.yaml"
    assert run_cli(str(path)) == 2
    _assert_problems(capsys.readouterr().err, path, [("file not found",)])


def test_an_unknown_format_is_a_usage_error(
    population_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--format xml``: exit 2 with argparse's one-line explanation, nothing written."""
    with pytest.raises(SystemExit) as exc:
        run_cli(str(population_file), "--format", "xml")
    assert exc.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "invalid choice: 'xml'" in err
    assert "Traceback" not in err


def test_an_output_folder_that_does_not_exist_is_a_problem(
    population_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "missing" / "out.json"
    assert run_cli(str(population_file), "--output", str(output)) == 2
    err = capsys.readouterr().err
    assert "--output" in err
    assert "does not exist" in err
    assert "Traceback" not in err


# --- the installed command --------------------------------------------------------------------


def _command() -> list[str]:
    script = shutil.which("prevplan", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "prevplan.cli"]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_command(), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )


def test_the_console_script_recommends_and_refuses(population_file: Path, tmp_path: Path) -> None:
    """The installed ``prevplan`` command: exit 0 with JSON; exit 2 without a traceback."""
    done = _run(["recommend", str(population_file)])
    assert done.returncode == 0, done.stderr
    assert [r["population_id"] for r in json.loads(done.stdout)] == ["pupils", "teens", "clients"]
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + "a,20,10,0,sometimes,,2\n", encoding="utf-8")
    refused = _run(["recommend", str(bad), "--output", str(tmp_path / "out.json")])
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr
    assert refused.stdout == ""
    assert "row 1 (line 2)" in refused.stderr
    assert not (tmp_path / "out.json").exists()


def _many_populations(path: Path, count: int) -> None:
    rows = [
        f"p{n},{n % 60},{n % 60 + n % 7},{n + 1},"
        f"{['general', 'at_risk', 'experienced_use', 'dependent'][n % 4]},"
        f"{['', 'school', 'family;sport', 'workplace'][n % 4]},{(n % 50) / 100}\n"
        for n in range(count)
    ]
    path.write_text(CSV_HEADER + "".join(rows), encoding="utf-8")


def test_a_national_file_is_each_recommend_model(
    tmp_path: Path,
) -> None:
    """A large file is decided as one batch and written by the JSON writer: each record is
    byte for byte ``model_dump_json()`` of that population's own ``recommend()``."""
    source = tmp_path / "many.csv"
    _many_populations(source, 9000)
    assert source.stat().st_size >= LARGE_FILE  # read as columns, written as one batch
    output = tmp_path / "out.json"
    done = _run(["recommend", str(source), "--output", str(output)])
    assert done.returncode == 0, done.stderr
    text = output.read_text(encoding="utf-8")
    assert text.startswith("[\n") and text.endswith("\n]\n")
    records = text[2:-3].split(",\n")
    populations = read_populations(source)
    assert len(records) == len(populations) == 9000
    rules = load_rules()
    for n in range(0, 9000, 97):
        assert records[n] == recommend(populations[n], rules).model_dump_json()


def test_recommend_imports_no_heavy_library(tmp_path: Path) -> None:
    """``prevplan recommend`` loads only what it needs: no workbook, dataframe, chart, web
    app or database library (each costs a fraction of a second at every start)."""
    source = tmp_path / "many.csv"
    _many_populations(source, 50)
    heavy = ["openpyxl", "pandas", "plotly", "streamlit", "alembic", "sqlalchemy", "fpdf"]
    script = (
        "import sys\n"
        "from prevplan.cli import main\n"
        f"code = main(['recommend', {str(source)!r}, '--output', {str(tmp_path / 'o.json')!r}])\n"
        f"print(code, sorted({{m.split('.')[0] for m in sys.modules}} & {set(heavy)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "[]"]


def test_help_lists_every_command_and_each_command_its_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Commands load lazily, yet ``--help`` lists them all, and each one's help its own
    options."""
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("rules", "recommend", "assess", "export"):
        assert f"    {command} " in out
    for command, option in (
        ("assess", "--populations"),
        ("export", "--output"),
        ("rules", "ACTION"),
    ):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert option in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["rules", "check", "--help"])
    assert "--lang" in capsys.readouterr().out


@pytest.mark.parametrize("large_from", [0, LARGE_FILE], ids=["as a batch", "one by one"])
def test_a_national_csv_gives_the_records_of_the_reference_path(
    large_from: int, tmp_path: Path, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV file read straight into columns and recommended in one batch, or read into
    objects, gives, record for record, what the Python API gives each population."""
    monkeypatch.setattr(recommend_command, "LARGE_FILE", large_from)
    source = tmp_path / "many.csv"
    _many_populations(source, 2500)
    output = tmp_path / "out.json"
    assert run_cli(str(source), "--output", str(output)) == 0
    records = json.loads(output.read_text(encoding="utf-8"))
    populations = read_populations(source)
    assert len(records) == len(populations)
    for record, population in zip(records[::97], populations[::97], strict=True):
        assert record == recommend(population, rules).model_dump(mode="json")
    text = output.read_text(encoding="utf-8")
    assert text.startswith("[\n{") and text.endswith("}\n]\n")


def test_a_batch_written_to_stdout_is_what_one_by_one_writes(
    population_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch path and the one-by-one path write the same bytes, to stdout too."""
    assert run_cli(str(population_file)) == 0
    one_by_one = capsys.readouterr().out
    monkeypatch.setattr(recommend_command, "LARGE_FILE", 0)
    assert run_cli(str(population_file)) == 0
    assert capsys.readouterr().out == one_by_one


def test_output_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    """An --output file is readable by others as any new file is, not private to its owner."""
    from prevplan.commands.output import write_text_atomically

    target = tmp_path / "out.json"
    write_text_atomically(["[]"], target)
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    target.chmod(0o640)
    write_text_atomically(["[1]"], target)
    assert target.stat().st_mode & 0o777 == 0o640
