"""An NGO inventory filled in on the template — in Excel or as two CSV files, with labels
instead of clause numbers — imports into the same plan a plan file gives; a faulty file is
answered with every problem at once, naming the sheet, the row as the spreadsheet numbers
it, the column and what was expected, and the file itself is never changed."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from prevplan.i18n import use_language
from prevplan.inventory.columns import (
    activity_columns,
    header_index,
    match_header,
    population_columns,
)
from prevplan.inventory.reader import (
    import_inventory,
    inventory_csv,
    inventory_template_csv,
    inventory_template_xlsx,
    read_inventory,
)
from prevplan.inventory.vocab import vocabularies
from prevplan.plan.assess import assess
from prevplan.plan.io import plan_from_data
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

POPULATION = {
    "ID": "teens",
    "Name": "Pupils aged 12–16",
    "Age from": 12,
    "Age to": 16,
    "Size (number of people)": 5000,
    "Risk group": "General population",
    "Settings": "School and other educational institutions; Family and home",
    "Risk share: Peer influence": 0.3,
}
ADULTS = {
    "ID": "adults",
    "Age from": 18,
    "Age to": 60,
    "Size (number of people)": 20000,
    "Risk group": "at_risk",
}
ACTIVITY = {
    "ID": "a1",
    "Activity name": "Life-skills lessons",
    "Population ID": "teens",
    "Strategies": "Life skills development (VI-3.1.3); VI-3.2.3",
    "Interventions": "Skills and social-influence prevention education (VI-4.3.1)",
    "Reach (people reached)": 1200,
    "Target reach (people)": 3000,
    "Cost": 15000,
    "Executor": "Our NGO",
    "Schedule": "2025",
    "Annex V items": "V-3.5 — School and extracurricular prevention, youth leisure and "
    "leisure venues",
}
PARENTS = {
    "ID": "a2",
    "Population ID": "adults",
    "Strategies": "work_with_parents",
    "Reach (people reached)": 300,
    "Cost": 900.5,
}

Rows = Sequence[Mapping[str, object]]


# --------------------------------------------------------------------------- helpers


def template_book(rules: RuleSet) -> Any:
    return openpyxl.load_workbook(io.BytesIO(inventory_template_xlsx(rules)))


def put(ws: Any, number: int, row: Mapping[str, object]) -> None:
    """Write one row (header -> value) at row ``number`` of a sheet."""
    headers = {ws.cell(row=1, column=c).value: c for c in range(1, ws.max_column + 1)}
    for header, value in row.items():
        ws.cell(row=number, column=headers[header], value=value)


def fill(book: Any, sheet: str, rows: Rows) -> None:
    """Write rows (header -> value) under the header, replacing the example row."""
    ws = book[sheet]
    ws.delete_rows(2, ws.max_row)
    for number, row in enumerate(rows, start=2):
        put(ws, number, row)


def filled_book(
    rules: RuleSet, populations: Rows = (POPULATION, ADULTS), activities: Rows = (ACTIVITY,)
) -> Any:
    book = template_book(rules)
    fill(book, "Populations", populations)
    fill(book, "Activities", activities)
    return book


def save(book: Any, path: Path) -> Path:
    book.save(path)
    return path


def problems(path: Path, rules: RuleSet, **kwargs: Any) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        read_inventory(path, rules=rules, **kwargs)
    return [str(p) for p in caught.value.problems]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def has(found: list[str], *parts: str) -> bool:
    """Whether one problem line contains every part."""
    return any(all(part in line for part in parts) for line in found)


# --------------------------------------------------------------------------- template


def test_template_has_data_sheets_lists_and_instructions(rules: RuleSet) -> None:
    book = template_book(rules)
    assert set(book.sheetnames) == {"Instructions", "Populations", "Activities", "Lists"}
    for title, columns in (
        ("Populations", population_columns(rules)),
        ("Activities", activity_columns()),
    ):
        ws = book[title]
        assert [c.value for c in ws[1]] == [c.header for c in columns]
        assert ws.freeze_panes == "A2"
        assert ws.column_dimensions["A"].width >= 10
        assert ws.max_row == 2, "one example row"
        assert all(c.font.b for c in ws[1])


def test_template_lists_show_readable_labels(rules: RuleSet) -> None:
    lists = template_book(rules)["Lists"]
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols()}
    assert "Work with parents (VI-3.1.1)" in columns["Strategies"]
    assert len(columns["Strategies"]) == 9
    assert "Home visiting for pregnant women and infants (VI-4.1.2)" in columns["Interventions"]
    assert "Family and home" in columns["Settings"]
    assert "Known risk group" in columns["Risk groups"]
    assert "Marginalised young people" in columns["Special groups"]
    items = columns["Annex V items"]
    assert len(items) == len(rules.action_items) == 40
    assert all(re.match(r"^V-\d+\.\d+[ab]? — \S", item) for item in items)
    assert any(item.startswith("V-3.5 — School and extracurricular") for item in items)
    # ';' separates values inside a cell, so no offered value may hold one.
    assert not any(";" in value for values in columns.values() for value in values)


def test_template_has_drop_downs_on_choice_columns(rules: RuleSet) -> None:
    book = template_book(rules)

    def lists_by_column(title: str) -> dict[str, str]:
        ws = book[title]
        found: dict[str, str] = {}
        for validation in ws.data_validations.dataValidation:
            if validation.type != "list":
                continue
            for cell_range in validation.sqref.ranges:
                header = ws.cell(row=1, column=cell_range.min_col).value
                assert cell_range.min_row == 2 and cell_range.max_row >= 500
                found[header] = validation.formula1
        return found

    activities = lists_by_column("Activities")
    assert activities["Strategies"] == "'Lists'!$A$2:$A$10"
    assert activities["Interventions"] == "'Lists'!$B$2:$B$19"
    assert activities["Settings"] == "'Lists'!$C$2:$C$13"
    assert activities["Annex V items"] == "'Lists'!$F$2:$F$41"
    assert activities["Population ID"].startswith("'Populations'!$A$2")
    populations = lists_by_column("Populations")
    assert populations["Risk group"] == "'Lists'!$D$2:$D$5"
    assert populations["Special groups"] == "'Lists'!$E$2:$E$4"
    kinds = {v.type for v in book["Activities"].data_validations.dataValidation if v.type != "list"}
    assert kinds == {"whole", "decimal"}, "reach and cost are checked as numbers"


def test_instructions_explain_size_reach_and_lists_in_plain_words(rules: RuleSet) -> None:
    ws = template_book(rules)["Instructions"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "denominator" in text
    assert "number of people" in text
    assert "reached" in text
    assert "separated by ';'" in text
    assert "empty means unknown, not zero" in text
    for column in (*population_columns(rules), *activity_columns()):
        assert column.header in text


def test_template_bytes_are_reproducible(rules: RuleSet) -> None:
    assert inventory_template_xlsx(rules) == inventory_template_xlsx(rules)


def test_unchanged_template_is_refused_as_holding_only_examples(
    rules: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(inventory_template_xlsx(rules))
    found = problems(path, rules)
    assert found == [
        f"{path}: sheet 'Populations', row 2: the sheet has only the template's example row; "
        "expected at least one row of your own under the header",
        f"{path}: sheet 'Activities', row 2: the sheet has only the template's example row; "
        "expected at least one row of your own under the header",
    ]


def test_an_example_row_left_in_place_is_skipped_with_a_note(
    rules: RuleSet, tmp_path: Path
) -> None:
    book = template_book(rules)
    put(book["Populations"], 3, POPULATION)  # below the example row
    put(book["Activities"], 3, ACTIVITY)
    path = save(book, tmp_path / "n.xlsx")
    imported = import_inventory(path, rules=rules)
    assert [p.id for p in imported.plan.populations] == ["teens"]
    assert [a.id for a in imported.plan.activities] == ["a1"]
    assert imported.notes == (
        f"{path}: sheet 'Populations', row 2: skipped the template's unchanged example row",
        f"{path}: sheet 'Activities', row 2: skipped the template's unchanged example row",
    )


def test_csv_template_has_the_same_headers_and_an_example_each(rules: RuleSet) -> None:
    populations, activities = inventory_template_csv(rules)
    pop_lines = populations.splitlines()
    act_lines = activities.splitlines()
    assert pop_lines[0].split(",")[:3] == ["ID", "Name", "Region"]
    assert act_lines[0].startswith("ID,Activity name,Population ID,Strategies")
    assert len(pop_lines) == len(act_lines) == 2


# --------------------------------------------------------------------------- round trip


def test_filled_template_imports_labels_ids_and_clauses(rules: RuleSet, tmp_path: Path) -> None:
    path = save(filled_book(rules, activities=(ACTIVITY, PARENTS)), tmp_path / "ngo.xlsx")
    plan = read_inventory(path, rules=rules)
    expected = plan_from_data(
        {
            "name": "ngo",
            "populations": [
                {
                    "id": "teens",
                    "name": "Pupils aged 12–16",
                    "age_min": 12,
                    "age_max": 16,
                    "size": 5000,
                    "risk_group": "general",
                    "settings": ["school", "family"],
                    "risk_factors": {"peers": 0.3},
                },
                {
                    "id": "adults",
                    "age_min": 18,
                    "age_max": 60,
                    "size": 20000,
                    "risk_group": "at_risk",
                },
            ],
            "activities": [
                {
                    "id": "a1",
                    "name": "Life-skills lessons",
                    "population_id": "teens",
                    "strategies": ["life_skills", "refusal_skills"],
                    "interventions": ["skills_social_influence"],
                    "reach": 1200,
                    "target_reach": 3000,
                    "cost": 15000,
                    "executor": "Our NGO",
                    "schedule": "2025",
                    "action_items": ["V-3.5"],
                },
                {
                    "id": "a2",
                    "population_id": "adults",
                    "strategies": ["work_with_parents"],
                    "reach": 300,
                    "cost": 900.5,
                },
            ],
        },
        "expected",
        rules,
    )
    assert plan == expected


def test_plan_name_can_be_given(rules: RuleSet, tmp_path: Path) -> None:
    path = save(filled_book(rules), tmp_path / "ngo.xlsx")
    assert read_inventory(path, rules=rules, name="Bright Path 2025").name == "Bright Path 2025"


def test_bytes_and_filename_are_read_like_a_path(rules: RuleSet, tmp_path: Path) -> None:
    path = save(filled_book(rules), tmp_path / "ngo.xlsx")
    from_bytes = read_inventory(path.read_bytes(), "upload.xlsx", rules)
    assert from_bytes.model_copy(update={"name": "ngo"}) == read_inventory(path, rules=rules)
    assert from_bytes.name == "upload"


def test_csv_pair_imports_the_same_plan_as_the_workbook(rules: RuleSet, tmp_path: Path) -> None:
    workbook = read_inventory(save(filled_book(rules), tmp_path / "ngo.xlsx"), rules=rules)

    def rows(items: Rows, columns: Any) -> list[dict[str, object]]:
        by_header = {c.header: c.field for c in columns}
        return [{by_header[h]: v for h, v in row.items()} for row in items]

    pop_text, act_text = inventory_csv(
        rules,
        rows((POPULATION, ADULTS), population_columns(rules)),
        rows((ACTIVITY,), activity_columns()),
    )
    (tmp_path / "ngo_populations.csv").write_text(pop_text, encoding="utf-8")
    (tmp_path / "ngo_activities.csv").write_text(act_text, encoding="utf-8")
    for given in ("ngo_activities.csv", "ngo_populations.csv"):
        assert read_inventory(tmp_path / given, rules=rules) == workbook
    explicit = read_inventory(
        act_text.encode(),
        "x.csv",
        rules,
        populations=pop_text.encode(),
        populations_filename="p.csv",
        name="ngo",
    )
    assert explicit == workbook


def test_csv_with_semicolon_separator_and_bom_is_read(rules: RuleSet, tmp_path: Path) -> None:
    """Excel's "CSV" in many countries separates columns with ';' (lists are then quoted)."""
    (tmp_path / "n_populations.csv").write_bytes(
        "\ufeffID;Age from;Age to;Size (number of people);Settings\n"
        't;12;16;"1 200";"School and other educational institutions; Family and home"\n'.encode()
    )
    (tmp_path / "n_activities.csv").write_text(
        "ID;Population ID;Strategies\nx;t;Normative education\n", encoding="utf-8"
    )
    plan = read_inventory(tmp_path / "n_activities.csv", rules=rules)
    assert plan.populations[0].size == 1200
    assert [s.value for s in plan.populations[0].settings] == ["school", "family"]


def test_csv_without_its_pair_says_how_to_name_the_files(rules: RuleSet, tmp_path: Path) -> None:
    lone = tmp_path / "things.csv"
    lone.write_text("ID,Population ID,Strategies\nx,t,VI-3.1.1\n", encoding="utf-8")
    assert has(problems(lone, rules), "'<name>_populations.csv'", "'<name>_activities.csv'")
    orphan = tmp_path / "ngo_activities.csv"
    orphan.write_text("ID,Population ID,Strategies\nx,t,VI-3.1.1\n", encoding="utf-8")
    assert has(problems(orphan, rules), "ngo_populations.csv", "not found")


def test_csv_problems_name_the_file_line_and_column(rules: RuleSet, tmp_path: Path) -> None:
    (tmp_path / "n_populations.csv").write_text(
        "ID,Age from,Age to,Size (number of people)\nt,12,16,abc\n", encoding="utf-8"
    )
    (tmp_path / "n_activities.csv").write_text(
        "ID,Population ID,Strategies,Reach (people reached)\n\nx,t,Normative educaton,-3\n",
        encoding="utf-8",
    )
    found = problems(tmp_path / "n_activities.csv", rules)
    pops, acts = tmp_path / "n_populations.csv", tmp_path / "n_activities.csv"
    assert (
        f"{pops}: line 2: field 'Size (number of people)': expected a whole number, got 'abc'"
        in found
    )
    assert has(
        found,
        f"{acts}: line 3: field 'Strategies': unknown strategy 'Normative educaton'",
        "did you mean 'Normative education (VI-3.1.4)'?",
    )
    assert (
        f"{acts}: line 3: field 'Reach (people reached)': expected a number of at least 0, got -3"
        in found
    )


# --------------------------------------------------------------------------- cells


def test_numbers_stored_as_text_and_integral_floats_are_read(
    rules: RuleSet, tmp_path: Path
) -> None:
    population = {
        **POPULATION,
        "Size (number of people)": "5 000",
        "Age from": "12",
        "Age to": 16.0,
        "Risk share: Peer influence": "30%",
    }
    activity = {**ACTIVITY, "Reach (people reached)": "1,200", "Cost": "15000.50"}
    path = save(filled_book(rules, (population, ADULTS), (activity,)), tmp_path / "n.xlsx")
    plan = read_inventory(path, rules=rules)
    teens = plan.populations[0]
    assert (teens.size, teens.age_min, teens.age_max) == (5000, 12, 16)
    assert teens.risk_factors == {"peers": 0.3}
    assert (plan.activities[0].reach, plan.activities[0].cost) == (1200, 15000.5)


def test_empty_rows_are_skipped_and_rows_keep_their_numbers(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules)
    fill(book, "Activities", [ACTIVITY, {}, {}, {**PARENTS, "Reach (people reached)": -5}])
    book["Activities"]["J3"] = "   "  # blanks only: still an empty row
    found = problems(save(book, tmp_path / "n.xlsx"), rules)
    assert found == [
        f"{tmp_path / 'n.xlsx'}: sheet 'Activities', row 5, column G: field 'Reach (people "
        "reached)': expected a number of at least 0, got -5"
    ]


def test_negative_reach_and_cost_and_fractional_people(rules: RuleSet, tmp_path: Path) -> None:
    activity = {
        **ACTIVITY,
        "Reach (people reached)": -1,
        "Cost": -100,
        "Target reach (people)": 12.5,
    }
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    found = problems(path, rules)
    where = f"{path}: sheet 'Activities', row 2"
    assert (
        f"{where}, column G: field 'Reach (people reached)': expected a number of at least 0, "
        "got -1" in found
    )
    assert (
        f"{where}, column H: field 'Target reach (people)': expected a whole number, got 12.5"
        in found
    )
    assert f"{where}, column I: field 'Cost': expected a number of at least 0, got -100.0" in (
        found
    )


def test_reach_above_size_imports_and_assess_warns(rules: RuleSet, tmp_path: Path) -> None:
    activity = {**ACTIVITY, "Reach (people reached)": 9000}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    result = assess(read_inventory(path, rules=rules), rules)
    assert [w.activity_id for w in result.warnings if w.code == "reach_exceeds_size"] == ["a1"]


def test_unknown_population_suggests_the_closest_id(rules: RuleSet, tmp_path: Path) -> None:
    activity = {**ACTIVITY, "Population ID": "teen"}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    assert problems(path, rules) == [
        f"{path}: sheet 'Activities', row 2, column C: field 'Population ID': unknown "
        "population 'teen' (did you mean 'teens'?); expected an ID from the sheet "
        "'Populations': teens, adults"
    ]


def test_unknown_strategy_suggests_the_closest_label(rules: RuleSet, tmp_path: Path) -> None:
    activity = {**ACTIVITY, "Strategies": "Work with parent", "Interventions": None}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    found = problems(path, rules)
    assert len(found) == 1, found
    assert found[0].startswith(
        f"{path}: sheet 'Activities', row 2, column D: field 'Strategies': unknown strategy "
        "'Work with parent' (did you mean 'Work with parents (VI-3.1.1)'?); expected one of: "
        "Work with parents (VI-3.1.1); Mentoring by trusted adults (VI-3.1.2);"
    )


def test_unknown_values_in_every_choice_column(rules: RuleSet, tmp_path: Path) -> None:
    population = {
        **POPULATION,
        "Risk group": "risky",
        "Settings": "school, family",
        "Special groups": "pregnant",
    }
    activity = {**ACTIVITY, "Interventions": "VI-9.9", "Annex V items": "V-9.1"}
    path = save(filled_book(rules, (population, ADULTS), (activity,)), tmp_path / "n.xlsx")
    found = problems(path, rules)
    pops, acts = f"{path}: sheet 'Populations', row 2", f"{path}: sheet 'Activities', row 2"
    assert has(
        found,
        f"{pops}, column G: field 'Risk group': unknown risk group 'risky'",
        "expected one of: General population; Known risk group;",
    )
    assert has(
        found,
        f"{pops}, column H: field 'Settings': unknown setting 'school, family'",
        "(separate several values with ';')",
    )
    assert has(
        found,
        f"{pops}, column I: field 'Special groups': unknown special group "
        "'pregnant' (did you mean 'Pregnant women and mothers of infants'?)",
    )
    assert has(found, f"{acts}, column E: field 'Interventions': unknown intervention 'VI-9.9'")
    assert has(
        found,
        f"{acts}, column L: field 'Annex V items': unknown Program of Actions item 'V-9.1'",
        "the template's Lists sheet",
    )
    assert len(found) == 5, found


def test_label_and_clause_that_disagree_are_refused(rules: RuleSet, tmp_path: Path) -> None:
    activity = {**ACTIVITY, "Strategies": "Work with parents (VI-3.1.3)"}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    assert has(
        problems(path, rules),
        "column D",
        "names two different strategy values",
        "'Work with parents' is 'Work with parents (VI-3.1.1)'",
    )


def test_source_label_with_a_semicolon_is_one_value(rules: RuleSet, tmp_path: Path) -> None:
    """V-3.5's label holds a ';' in the source; written so, it is still one item."""
    label = rules.action_items["V-3.5"].label
    assert ";" in label
    activity = {**ACTIVITY, "Annex V items": f"V-3.5 — {label}; V-3.6"}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    assert read_inventory(path, rules=rules).activities[0].action_items == ("V-3.5", "V-3.6")


def test_every_choice_on_the_lists_sheet_resolves_to_its_id(rules: RuleSet) -> None:
    for kind, vocab in vocabularies(rules).items():
        for entity_id, choice in zip(vocab.ids, vocab.choices, strict=True):
            assert vocab.resolve(choice).id == entity_id, (kind, choice)
            assert vocab.resolve(entity_id).id == entity_id
            assert vocab.resolve(choice.upper()).id == entity_id
    strategies = vocabularies(rules)[Kind.STRATEGY]
    assert strategies.resolve("VI-3.1.1").id == "work_with_parents"
    assert strategies.resolve("work with parents").id == "work_with_parents"


def test_duplicate_ids_name_both_rows(rules: RuleSet, tmp_path: Path) -> None:
    path = save(
        filled_book(
            rules,
            (POPULATION, ADULTS, {**ADULTS, "ID": "teens"}),
            (ACTIVITY, PARENTS, {**PARENTS, "ID": "a1"}),
        ),
        tmp_path / "n.xlsx",
    )
    assert problems(path, rules) == [
        f"{path}: sheet 'Populations', row 4, column A: field 'ID': duplicate population ID "
        "'teens', also used in row 2; expected each ID once",
        f"{path}: sheet 'Activities', row 4, column A: field 'ID': duplicate activity ID "
        "'a1', also used in row 2; expected each ID once",
    ]


def test_required_cells_and_columns(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(
        rules,
        activities=(
            {**ACTIVITY, "Population ID": None, "Strategies": None, "Interventions": None},
        ),
    )
    book["Populations"].delete_cols(6)  # the Size column
    path = save(book, tmp_path / "n.xlsx")
    found = problems(path, rules)
    assert found == [
        f"{path}: sheet 'Populations', row 1: missing required column 'Size (number of "
        "people)'; expected the header in row 1 with at least ID, Name, Age from, Age to, "
        "Size (number of people)",
        f"{path}: sheet 'Activities', row 2, column C: field 'Population ID': empty; "
        "expected a value — this column is required",
        f"{path}: sheet 'Activities', row 2, column D: field 'Strategies': an activity must "
        "name at least one strategy or intervention",
    ]


def test_age_order_is_said_with_the_headers(rules: RuleSet, tmp_path: Path) -> None:
    population = {**POPULATION, "Age from": 17, "Age to": 12}
    path = save(filled_book(rules, (population, ADULTS)), tmp_path / "n.xlsx")
    assert problems(path, rules) == [
        f"{path}: sheet 'Populations', row 2, column D: field 'Age from': is 17, greater "
        "than 'Age to' 12; expected 'Age from' ≤ 'Age to'"
    ]


# --------------------------------------------------------------------------- layout faults


def test_title_row_above_the_header(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules)
    book["Activities"].insert_rows(1)
    book["Activities"]["A1"] = "Bright Path activities 2025"
    path = save(book, tmp_path / "n.xlsx")
    found = problems(path, rules)
    assert found == [
        f"{path}: sheet 'Activities', row 1: expected the header in row 1: ID, Activity "
        "name, Population ID, …; it is in row 2 — delete the 1 row above it"
    ]


def test_a_sheet_without_any_header(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules)
    book["Activities"].delete_rows(1)
    fill(book, "Populations", [])
    book["Populations"].delete_rows(1)
    path = save(book, tmp_path / "n.xlsx")
    found = problems(path, rules)
    assert found[0] == (
        f"{path}: sheet 'Populations', row 1: expected the header in row 1: ID, Name, Age "
        "from, Age to, Size (number of people), …; row 1 is empty"
    )
    assert found[1].startswith(
        f"{path}: sheet 'Activities', row 1: expected the header in row 1: ID, Activity "
        "name, Population ID, …; found 'a1', 'Life-skills lessons', 'teens'"
    )
    assert len(found) == 2


def test_merged_cells_are_named(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules, activities=(ACTIVITY, PARENTS))
    book["Activities"].merge_cells("J2:K3")
    path = save(book, tmp_path / "n.xlsx")
    assert problems(path, rules) == [
        f"{path}: sheet 'Activities', row 2: merged cells in J2:K3; unmerge them and write "
        "the value in each cell (or leave the cell empty)"
    ]


def test_formula_without_a_saved_result(rules: RuleSet, tmp_path: Path) -> None:
    activity = {**ACTIVITY, "Reach (people reached)": "=H2/2"}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    assert problems(path, rules) == [
        f"{path}: sheet 'Activities', row 2, column G: field 'Reach (people reached)': cell "
        "G2 holds a formula (=H2/2) with no saved result; open the file in Excel or "
        "LibreOffice and save it again, or type the value instead of the formula"
    ]


def test_formula_with_a_saved_result_gives_its_value(rules: RuleSet, tmp_path: Path) -> None:
    activity = {**ACTIVITY, "Reach (people reached)": "=H2/2"}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    _add_cached_value(path, "G2", "1500")
    assert read_inventory(path, rules=rules).activities[0].reach == 1500


def _add_cached_value(path: Path, coordinate: str, value: str) -> None:
    """Give a formula cell the result a spreadsheet program would have saved."""
    _patch_sheets(
        path,
        rb'(<c r="' + coordinate.encode() + rb'"[^>]*><f>[^<]*</f>)<v\s*/>',
        rb"\g<1><v>" + value.encode() + rb"</v>",
    )


def test_formula_whose_saved_result_is_empty_text_is_an_empty_cell(
    rules: RuleSet, tmp_path: Path
) -> None:
    """Templates often fill a column with =IF(A3="","",…): an empty result is no fault."""
    book = filled_book(rules)
    book["Activities"]["J3"] = "=TRIM(A3)"
    path = save(book, tmp_path / "n.xlsx")
    _patch_sheets(
        path,
        rb'<c r="J3"([^>]*)><f>TRIM\(A3\)</f><v\s*/>',
        rb'<c r="J3"\1 t="str"><f>TRIM(A3)</f><v></v>',
    )
    assert [a.id for a in read_inventory(path, rules=rules).activities] == ["a1"]


def _patch_sheets(path: Path, pattern: bytes, replacement: bytes) -> None:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(pattern, replacement, data)
            target.writestr(info, data)
    path.write_bytes(out.getvalue())


def test_error_values_are_named(rules: RuleSet, tmp_path: Path) -> None:
    activity = {**ACTIVITY, "Cost": "#DIV/0!"}
    path = save(filled_book(rules, activities=(activity,)), tmp_path / "n.xlsx")
    assert problems(path, rules) == [
        f"{path}: sheet 'Activities', row 2, column I: field 'Cost': cell I2 shows the error "
        "'#DIV/0!'; expected a value — correct the formula or type the value"
    ]


def test_extra_sheets_are_ignored_with_a_note(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules)
    book.create_sheet("Summary")["A1"] = "anything"
    book.create_sheet("Chart data")
    path = save(book, tmp_path / "n.xlsx")
    imported = import_inventory(path, rules=rules)
    assert len(imported.plan.activities) == 1
    also = "and Periods, Progress, Surveys, Decisions where present"
    assert imported.notes == (
        f"{path}: ignored sheet 'Summary' (only the Populations and Activities sheets, {also}, "
        "are read)",
        f"{path}: ignored sheet 'Chart data' (only the Populations and Activities sheets, "
        f"{also}, are read)",
    )


def test_sheet_names_are_matched_ignoring_case(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules)
    book["Activities"].title = "activities "
    assert read_inventory(save(book, tmp_path / "n.xlsx"), rules=rules).activities


def test_missing_sheet_is_named_with_the_sheets_found(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules)
    book["Activities"].title = "My activities"
    path = save(book, tmp_path / "n.xlsx")
    assert problems(path, rules) == [
        f"{path}: sheet 'Activities': missing; expected sheets 'Populations' and "
        "'Activities' (found 'Instructions', 'Populations', 'My activities', 'Lists')"
    ]


def test_unknown_and_unnamed_columns(rules: RuleSet, tmp_path: Path) -> None:
    book = filled_book(rules)
    ws = book["Activities"]
    # Beyond the last column of the template (the delivery columns end at S).
    ws["X1"] = "Budget line"
    ws["Y2"] = "a note without a header"
    path = save(book, tmp_path / "n.xlsx")
    found = problems(path, rules)
    assert has(
        found,
        f"{path}: sheet 'Activities', row 1, column X: field 'Budget line': "
        "unknown column 'Budget line'; expected one of: ID, Activity name,",
    )
    assert (
        f"{path}: sheet 'Activities', row 2, column Y: value in a column without a header; "
        "give the column a header or clear it" in found
    )
    assert len(found) == 2


def test_field_names_are_accepted_as_headers(rules: RuleSet, tmp_path: Path) -> None:
    """A population CSV of interfaces §2 can serve as an inventory's populations."""
    (tmp_path / "x_populations.csv").write_text(
        "id,age_min,age_max,size,risk_group,risk_factors.peers\nt,12,16,100,at_risk,0.4\n",
        encoding="utf-8",
    )
    (tmp_path / "x_activities.csv").write_text(
        "id,population_id,strategies,reach\na,t,life_skills,10\n", encoding="utf-8"
    )
    plan = read_inventory(tmp_path / "x_activities.csv", rules=rules)
    assert plan.populations[0].risk_factors == {"peers": 0.4}


# --------------------------------------------------------------------------- not a workbook


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (
            b"ID,Name\nx,y\n",
            "not a readable Excel .xlsx file: it does not start like one — "
            "it looks like text; name a CSV file .csv",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel 97–2003 (.xls)"),
        (b"PK\x03\x04garbage", "it is damaged (not a complete zip archive)"),
        (b"", "file is empty; expected an Excel workbook (.xlsx)"),
    ],
    ids=["csv-renamed", "xls", "damaged-zip", "empty"],
)
def test_a_file_that_is_not_a_real_xlsx(
    rules: RuleSet, tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(content)
    found = problems(path, rules)
    assert len(found) == 1 and says in found[0], found


def test_a_zip_that_is_not_a_workbook(rules: RuleSet, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(buffer.getvalue())
    assert problems(path, rules) == [
        f"{path}: not a readable Excel .xlsx file: it is a zip archive but holds no Excel workbook"
    ]


def test_xls_and_other_suffixes_are_refused(rules: RuleSet, tmp_path: Path) -> None:
    old = tmp_path / "inventory.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert has(problems(old, rules), "save it as 'Excel Workbook (.xlsx)'")
    other = tmp_path / "inventory.ods"
    other.write_bytes(b"x")
    assert has(problems(other, rules), "unsupported inventory file type '.ods'")


# --------------------------------------------------------------------------- all at once


def test_every_problem_at_once_and_the_file_unchanged(rules: RuleSet, tmp_path: Path) -> None:
    population = {**POPULATION, "Size (number of people)": 0, "Age to": "sixteen"}
    activities = (
        {**ACTIVITY, "Population ID": "nobody", "Strategies": "Life skils"},
        {**PARENTS, "Reach (people reached)": -2, "Cost": "12 USD"},
        {**PARENTS},
    )
    book = filled_book(rules, (population, ADULTS), activities)
    book["Populations"].merge_cells("B3:C3")
    path = save(book, tmp_path / "n.xlsx")
    before = sha(path)
    found = problems(path, rules)
    after = sha(path)
    assert before == after
    pops, acts = f"{path}: sheet 'Populations'", f"{path}: sheet 'Activities'"
    expected_parts = [
        (f"{pops}, row 2, column E:", "'Age to'", "expected a whole number, got 'sixteen'"),
        (f"{pops}, row 2, column F:", "expected a whole number from 1 to 10,000,000,000, got 0"),
        (f"{pops}, row 3: merged cells in B3:C3",),
        (f"{acts}, row 2, column C:", "unknown population 'nobody'"),
        (
            f"{acts}, row 2, column D:",
            "unknown strategy 'Life skils'",
            "did you mean 'Life skills development (VI-3.1.3)'?",
        ),
        (f"{acts}, row 3, column G:", "expected a number of at least 0, got -2"),
        (f"{acts}, row 3, column I:", "got '12 USD' (write the amount only, without a currency)"),
        (f"{acts}, row 4, column A:", "duplicate activity ID 'a2', also used in row 3"),
    ]
    for parts in expected_parts:
        assert has(found, *parts), (parts, found)
    assert len(found) == len(expected_parts), found
    # In reading order: Populations before Activities, then by row and column.
    assert found.index(next(f for f in found if "merged" in f)) == 2


def test_a_read_only_file_can_be_imported(rules: RuleSet, tmp_path: Path) -> None:
    path = save(filled_book(rules), tmp_path / "n.xlsx")
    path.chmod(0o444)
    try:
        before = sha(path)
        assert read_inventory(path, rules=rules).populations
        assert sha(path) == before
    finally:
        path.chmod(0o644)


def test_problems_are_said_in_the_language_and_each_only_once(
    rules: RuleSet, tmp_path: Path
) -> None:
    activities = (
        {**ACTIVITY, "Population ID": "nobody"},
        {**PARENTS, "ID": "a1", "Strategies": ""},
    )
    path = save(filled_book(rules, (POPULATION, ADULTS), activities), tmp_path / "n.xlsx")
    english = problems(path, rules)
    with use_language("ru"):
        russian = problems(path, rules)
    assert len(russian) == len(english) == 3, russian
    assert has(english, "row 2, column C", "unknown population 'nobody'")
    assert has(english, "row 3, column A", "duplicate activity ID 'a1', also used in row 2")
    assert has(english, "row 3", "an activity must name at least one strategy or intervention")
    assert all(re.search("[А-Яа-яЁё]", line) for line in russian), russian
    assert has(russian, "строка 2, столбец C", "неизвестная целевая группа «nobody»")


def test_headers_of_earlier_templates_are_still_read() -> None:
    """A workbook filled in from an older template keeps its columns after a header's
    wording was corrected (reach is «число охваченных», an Annex V item 事项)."""
    index = header_index(activity_columns())
    for old, field in (
        ("Охват (охвачено человек)", "reach"),
        ("Целевой охват (человек)", "target_reach"),
        ("Число охваченных (человек)", "reach"),
        ("附件五条目", "action_items"),
    ):
        found = match_header(old, index)
        assert found is not None and found.field == field, old
