"""The Excel side in Russian and Chinese: the plan's workbook and the NGO inventory template
are written in the reader's language — sheet titles, headers, the Plan sheet's field names,
statuses, readable labels instead of rule ids, drop-down lists and their messages, the
instructions — and read back in any of the three languages, whatever the current one is,
so a workbook made in Russian imports under English and the other way round. Problems found
while reading are said in the current language, with the sheet, row and column; in English
they are worded as before."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from prevplan.cli import main
from prevplan.export import plan_workbook, read_plan_xlsx
from prevplan.i18n import LANGUAGES, _, use_language
from prevplan.inventory.columns import (
    ACTIVITIES,
    POPULATIONS,
    activity_columns,
    population_columns,
)
from prevplan.inventory.progress_sheets import INDICATORS
from prevplan.inventory.reader import import_inventory, inventory_template_csv, read_inventory
from prevplan.inventory.template import INSTRUCTIONS, inventory_template_xlsx
from prevplan.inventory.vocab import LIST_KINDS, LISTS, sheet_title, vocabularies
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "national_plan.yaml"
CYRILLIC = re.compile("[А-Яа-яЁё]")
CJK = re.compile("[\u4e00-\u9fff]")
SCRIPT = {"ru": CYRILLIC, "zh": CJK}
CLAUSE = re.compile(r"\b(?:VI|V|IV)-[\w.#-]*\w")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are the same in every language: product and file-format names.
NAMES = {"prevplan", "Excel", "LibreOffice", "CSV", "UTF", "xlsx", "ID", "id"}
# ISO 4217 currency codes, given as examples in the Plan sheet, are codes in every language.
NAMES |= {"ISO", "KZT", "RUB", "CNY"}
# English words a translated problem must not contain.
UI_WORDS = re.compile(r"\b(?:row|line|column|sheet|expected|unknown|missing|field|did you)\b")


@pytest.fixture(scope="module")
def sample(rules: RuleSet) -> Plan:
    return read_plan(SAMPLE, rules)


@pytest.fixture(scope="module")
def exported(sample: Plan, rules: RuleSet) -> dict[str, bytes]:
    return {lang: plan_workbook(sample, rules, lang=lang) for lang in LANGUAGES}


def book_of(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def saved(book: Any, path: Path) -> Path:
    book.save(path)
    return path


def user_data(plan: Plan) -> list[str]:
    """Every text the planner wrote, longest first (to be cut out of a cell before checking)."""
    texts: list[str | None] = [plan.name, plan.country, plan.region, plan.period]
    texts += [plan.description]
    for population in plan.populations:
        texts += [population.id, population.name, population.region]
    for activity in plan.activities:
        texts += [activity.id, activity.name, activity.executor, activity.schedule]
    texts += [entry.note for entry in plan.tracker]
    # Monitoring (interfaces §8): survey sources, progress notes, the decisions log.
    texts += [r.source for results in plan.surveys.values() for r in results]
    texts += [p.note for activity in plan.activities for p in activity.progress]
    texts += [text for d in plan.decisions for text in (d.decision, d.by)]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def known_ids(rules: RuleSet) -> set[str]:
    """Rule ids and warning codes: ids, shown in ID and code columns in every language."""
    ids = {entity_id for kind in Kind for entity_id in rules.ids(kind)}
    # The Surveys sheet names its indicators by id (risk_factors.peers, use.past_30_day).
    indicators = {part for key in INDICATORS for part in key.split(".")}
    return ids | set(rules.warning_definitions) | indicators


def english_left(text: str, data: list[str], ids: set[str]) -> list[str]:
    """The English words of ``text`` once user data, clauses and ids are taken out."""
    for item in data:
        text = text.replace(item, " ")
    text = CLAUSE.sub(" ", text)
    words = re.findall(r"[A-Za-z][A-Za-z0-9_]*", text)
    return [w for w in words if w not in ids and w not in NAMES and ENGLISH_WORD.fullmatch(w) and w]


def cells(book: Any, skip: dict[str, set[int]]) -> Iterator[tuple[str, str, str]]:
    """(sheet, coordinate, text) of every text cell outside the ``skip`` columns."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.column not in skip.get(sheet.title, ()):
                    yield sheet.title, cell.coordinate, cell.value


def problems_of(work: Any) -> list[str]:
    with pytest.raises(ProblemsError) as raised:
        work()
    return [str(p) for p in raised.value.problems]


# --------------------------------------------------------------------------- the export


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_exported_workbook_has_no_english_words_outside_user_data(
    lang: str, exported: dict[str, bytes], sample: Plan, rules: RuleSet
) -> None:
    """Every cell of the Russian and Chinese workbook is in the language, except what the
    planner wrote, clause references, ids, and the Annex V table's own columns (schedule,
    executors, coordinating body), which quote the source and stay in its English."""
    book = book_of(exported[lang])
    with use_language(lang):
        quoted = {_("Schedule (Annex V)"), _("Executors (Annex V)")}
        quoted.add(_("Coordinating body (Annex V)"))
        action_items = sheet_title("Action items")
    header = [c.value for c in book[action_items][1]]
    skip = {action_items: {header.index(h) + 1 for h in quoted}}
    data, ids = user_data(sample), known_ids(rules)
    found = [
        (sheet, coordinate, text, left)
        for sheet, coordinate, text in cells(book, skip)
        if (left := english_left(text, data, ids))
    ]
    assert not found, found[:10]
    assert all(SCRIPT[lang].search(title) for title in book.sheetnames), book.sheetnames


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_exported_data_sheets_show_labels_in_the_language(
    lang: str, exported: dict[str, bytes], rules: RuleSet
) -> None:
    """Vocabulary columns show labels, not rule ids; the Plan sheet names its fields and the
    Tracker its statuses in the language."""
    book = book_of(exported[lang])
    with use_language(lang):
        vocabs = vocabularies(rules)
        activities = book[sheet_title(ACTIVITIES)]
        populations = book[sheet_title(POPULATIONS)]
        plan_sheet = book[sheet_title("Plan")]
        tracker = book[sheet_title("Tracker")]
        assert [c.value for c in activities[1]] == [c.header for c in activity_columns()]
        assert [c.value for c in populations[1]] == [c.header for c in population_columns(rules)]
        field_names = [row[0].value for row in plan_sheet.iter_rows(min_row=2)]
        assert field_names == [
            _(f)
            for f in (
                "Name",
                "Country",
                "Region",
                "Period",
                "Description",
                "Currency",
                "Price year",
            )
        ]
        statuses = {row[1].value for row in tracker.iter_rows(min_row=2)}
        assert statuses <= {_("Not started"), _("In progress"), _("Done")}
    strategies = [
        label
        for row in activities.iter_rows(min_row=2)
        if row[3].value
        for label in str(row[3].value).split("; ")
    ]
    assert strategies and set(strategies) <= set(vocabs[Kind.STRATEGY].choices)
    assert all(SCRIPT[lang].search(s) and CLAUSE.search(s) for s in strategies)
    risk_groups = {row[6].value for row in populations.iter_rows(min_row=2)} - {None}
    assert risk_groups and risk_groups <= set(vocabs[Kind.RISK_GROUP].choices)


def test_english_export_shows_labels_too(exported: dict[str, bytes], rules: RuleSet) -> None:
    """A planner does not know rule ids: the English workbook shows labels as well."""
    book = book_of(exported["en"])
    assert book.sheetnames[:4] == ["Plan", "Populations", "Activities", "Tracker"]
    cell = book["Populations"]["G2"].value
    assert cell == "General population"
    strategies = {
        label
        for row in book["Activities"].iter_rows(min_row=2)
        if row[3].value
        for label in str(row[3].value).split("; ")
    }
    assert "Work with parents (VI-3.1.1)" in strategies
    assert book["Plan"]["A2"].value == "Name"
    assert book["Tracker"]["B2"].value in {"Not started", "In progress", "Done"}


@pytest.mark.parametrize(("made_in", "read_in"), [("ru", "en"), ("zh", "ru"), ("en", "zh")])
def test_workbook_imports_back_in_another_language(
    made_in: str, read_in: str, exported: dict[str, bytes], sample: Plan, rules: RuleSet
) -> None:
    data = exported[made_in]
    with use_language(read_in):
        assert read_plan_xlsx(data, "plan.xlsx", rules) == sample
        imported = import_inventory(data, "plan.xlsx", rules)
    assert imported.plan == sample
    assert imported.notes == ()


def test_prevplan_assess_reads_a_russian_workbook(
    exported: dict[str, bytes], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan_ru.xlsx"
    path.write_bytes(exported["ru"])
    assert main(["--lang", "en", "assess", str(path), "--format", "json"]) == 0
    assert '"coverage"' in capsys.readouterr().out


def test_edited_russian_workbook_names_problems_in_russian(
    exported: dict[str, bytes], rules: RuleSet
) -> None:
    book = book_of(exported["ru"])
    with use_language("ru"):
        book[sheet_title(POPULATIONS)]["F3"] = "много"
        book[sheet_title("Tracker")]["B2"] = "наполовину"
        book[sheet_title("Plan")]["A3"] = "Столица"
    buffer = io.BytesIO()
    book.save(buffer)
    with use_language("ru"):
        said = problems_of(lambda: read_plan_xlsx(buffer.getvalue(), "p.xlsx", rules))
    assert any(
        "лист «Целевые группы», строка 3, столбец F" in s and "целое число" in s for s in said
    )
    assert any("лист «Мониторинг», строка 2, столбец B" in s and "Выполняется" in s for s in said)
    assert any("лист «План», строка 3, столбец A" in s and "неизвестное поле" in s for s in said)
    assert all(not UI_WORDS.search(s.split(": ", 1)[1]) for s in said), said


# --------------------------------------------------------------------------- the template


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_template_is_in_the_language(lang: str, rules: RuleSet) -> None:
    """Sheets, headers, lists, drop-down lists and messages and the instructions."""
    book = book_of(inventory_template_xlsx(rules, lang=lang))
    with use_language(lang):
        titles = [sheet_title(k) for k in (INSTRUCTIONS, POPULATIONS, ACTIVITIES, LISTS)]
        vocabs = vocabularies(rules)
        lists = book[sheet_title(LISTS)]
        for col, kind in enumerate(LIST_KINDS, start=1):
            column = [lists.cell(row=r, column=col).value for r in range(1, lists.max_row + 1)]
            assert column[0] == vocabs[kind].title
            assert [v for v in column[1:] if v] == list(vocabs[kind].choices)
        headers = [c.value for c in book[sheet_title(ACTIVITIES)][1]]
        assert headers == [c.header for c in activity_columns()]
    assert sorted(book.sheetnames) == sorted(titles)
    lists_ref = f"'{titles[3]}'!"
    for title in titles[1:3]:
        validations = book[title].data_validations.dataValidation
        assert validations
        for validation in validations:
            texts = [validation.prompt, validation.promptTitle, validation.error]
            texts.append(validation.errorTitle)
            assert all(t and SCRIPT[lang].search(t) for t in texts), texts
            assert len(validation.prompt) <= 255 and len(validation.error) <= 225
            if validation.type == "list" and "$A$2" not in (validation.formula1 or ""):
                assert validation.formula1.startswith(lists_ref)
    instructions = book[titles[0]]
    lines = [c.value for row in instructions.iter_rows() for c in row if isinstance(c.value, str)]
    ids = known_ids(rules)
    left = [(line, words) for line in lines if (words := english_left(line, [], ids))]
    assert not left, left
    example = book[titles[1]]["B2"].value
    assert SCRIPT[lang].search(example)


def fill_russian_template(rules: RuleSet, path: Path, strategy: str) -> Path:
    """The Russian template with one population and one activity of our own, by labels."""
    book = book_of(inventory_template_xlsx(rules, lang="ru"))
    with use_language("ru"):
        pops = book[sheet_title(POPULATIONS)]
        acts = book[sheet_title(ACTIVITIES)]
        pop_headers = [c.value for c in pops[1]]
        act_headers = [c.value for c in acts[1]]
    for column in range(1, pops.max_column + 1):
        pops.cell(row=2, column=column).value = None
    for column in range(1, acts.max_column + 1):
        acts.cell(row=2, column=column).value = None
    population = {
        "Идентификатор": "подростки",
        "Название": "Школьники 12–16 лет",
        "Возраст от": 12,
        "Возраст до": 16,
        "Численность (человек)": 5000,
        "Группа риска": "Население в целом",
        "Среды": "Школа и другие образовательные учреждения; Семья и дом",
        "Доля с фактором риска: Влияние сверстников": 0.3,
    }
    activity = {
        "Идентификатор": "уроки",
        "Название мероприятия": "Уроки жизненных навыков",
        "Идентификатор группы": "подростки",
        "Стратегии": strategy,
        "Число охваченных (человек)": 1200,
        "Стоимость": 15000,
        "Пункты Приложения V": "V-3.5",
    }
    for header, value in population.items():
        pops.cell(row=2, column=pop_headers.index(header) + 1).value = value
    for header, value in activity.items():
        acts.cell(row=2, column=act_headers.index(header) + 1).value = value
    return saved(book, path)


@pytest.mark.parametrize("read_in", ["en", "ru", "zh"])
def test_russian_template_filled_in_imports_in_any_language(
    read_in: str, rules: RuleSet, tmp_path: Path
) -> None:
    path = fill_russian_template(
        rules, tmp_path / "ngo.xlsx", "Развитие жизненных навыков (VI-3.1.3); Работа с родителями"
    )
    with use_language(read_in):
        imported = import_inventory(path, rules=rules)
    assert imported.notes == ()
    (population,) = imported.plan.populations
    assert (population.id, population.size, population.risk_group.value) == (
        "подростки",
        5000,
        "general",
    )
    assert {s.value for s in population.settings} == {"school", "family"}
    (activity,) = imported.plan.activities
    assert activity.strategies == ("life_skills", "work_with_parents")
    assert activity.action_items == ("V-3.5",)


@pytest.mark.parametrize(("made_in", "read_in"), [("ru", "en"), ("zh", "ru")])
def test_unchanged_template_in_another_language_holds_only_examples(
    made_in: str, read_in: str, rules: RuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(inventory_template_xlsx(rules, lang=made_in))
    with use_language(read_in):
        said = problems_of(lambda: read_inventory(path, rules=rules))
        expected = _(
            "the sheet has only the template's example row; expected at least one row of your "
            "own under the header"
        )
    assert said and all(expected in s for s in said), said


def test_russian_csv_template_imports_under_english(rules: RuleSet, tmp_path: Path) -> None:
    populations, activities = inventory_template_csv(rules, lang="ru")
    assert CYRILLIC.search(populations.splitlines()[0])
    (tmp_path / "x_populations.csv").write_text(
        populations.replace("example-pupils", "pupils"), encoding="utf-8"
    )
    (tmp_path / "x_activities.csv").write_text(
        activities.replace("example-lessons", "lessons").replace("example-pupils", "pupils"),
        encoding="utf-8",
    )
    plan = read_inventory(tmp_path / "x_activities.csv", rules=rules)
    assert [p.id for p in plan.populations] == ["pupils"]
    assert [a.id for a in plan.activities] == ["lessons"]
    assert plan.activities[0].strategies == ("life_skills", "refusal_skills")


# --------------------------------------------------------------------------- problems


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_typo_in_a_russian_label_is_answered_in_the_language(
    lang: str, rules: RuleSet, tmp_path: Path
) -> None:
    path = fill_russian_template(rules, tmp_path / "typo.xlsx", "Работа с родитилями")
    with use_language(lang):
        said = problems_of(lambda: read_inventory(path, rules=rules))
        suggestion = vocabularies(rules)[Kind.STRATEGY].display("work_with_parents")
        place = _("sheet '{sheet}', row {row}, column {column}").format(
            sheet="Мероприятия", row=2, column="D"
        )
    (line,) = said
    assert place in line and suggestion in line and "Работа с родитилями" in line
    message = line.split(": ", 1)[1]
    assert SCRIPT[lang].search(message) and not UI_WORDS.search(message), line
    if lang == "ru":
        assert "лист «Мероприятия», строка 2, столбец D" in line
        assert "неизвестная стратегия «Работа с родитилями»" in line
        assert "(возможно, имелось в виду «Работа с родителями (VI-3.1.1)»?)" in line


def test_english_messages_are_worded_as_before(rules: RuleSet, tmp_path: Path) -> None:
    path = fill_russian_template(rules, tmp_path / "typo.xlsx", "Work with parnts")
    (line,) = problems_of(lambda: read_inventory(path, rules=rules))
    assert line.startswith(
        f"{path}: sheet 'Мероприятия', row 2, column D: field 'Стратегии': unknown strategy "
        "'Work with parnts' (did you mean 'Work with parents (VI-3.1.1)'?); expected one of: "
        "Work with parents (VI-3.1.1); "
    )
    book = book_of(inventory_template_xlsx(rules, lang="en"))
    del book["Populations"]
    book["Activities"]["A1"] = None
    book["Activities"]["L1"] = "Strategies"
    said = problems_of(lambda: read_inventory(saved(book, tmp_path / "e.xlsx"), rules=rules))
    assert f"{tmp_path / 'e.xlsx'}: sheet 'Populations': missing; expected sheets " in said[0]
    assert "'Populations' and 'Activities' (found 'Instructions', 'Activities', 'Lists')" in said[0]
    assert any(
        "column appears twice (columns D and L); expected each column once" in s for s in said
    )
    assert any(
        "missing required column 'ID'; expected the header in row 1 with at least" in s
        for s in said
    )


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_header_problems_are_said_in_the_language(
    lang: str, rules: RuleSet, tmp_path: Path
) -> None:
    book = book_of(inventory_template_xlsx(rules, lang="en"))
    populations = book["Populations"]
    populations.insert_rows(1)
    populations["A1"] = "Inventory 2025"
    activities = book["Activities"]
    activities["A1"] = None
    activities["M1"] = "Colour"
    activities["N3"] = "stray"
    activities["A3"] = "lessons-2"
    activities["C3"] = "example-pupils"
    activities["D3"] = "Work with parents"
    book.create_sheet("Notes")
    path = saved(book, tmp_path / "h.xlsx")
    with use_language(lang):
        said = problems_of(lambda: read_inventory(path, rules=rules))
    assert len(said) >= 4, said
    for line in said:
        message = line.split(": ", 1)[1]
        assert SCRIPT[lang].search(message), line
        assert not UI_WORDS.search(message.replace("'Colour'", "").replace("'stray'", "")), line


def test_notes_are_said_in_the_language(rules: RuleSet, tmp_path: Path) -> None:
    book = book_of(inventory_template_xlsx(rules, lang="zh"))
    with use_language("zh"):
        pops = book[sheet_title(POPULATIONS)]
        for cell in pops[2]:
            pops.cell(row=3, column=cell.column).value = cell.value
        pops["B3"] = "Pupils"
        acts = book[sheet_title(ACTIVITIES)]
        acts["A3"] = "lessons-2"
        acts["C3"] = "example-pupils"
        acts["D3"] = "VI-3.1.1"
    book.create_sheet("Notes")
    path = saved(book, tmp_path / "n.xlsx")
    with use_language("ru"):
        notes = import_inventory(path, rules=rules).notes
    assert len(notes) == 3, notes  # the ignored sheet, and the two example rows skipped
    assert all(CYRILLIC.search(n.split(": ", 1)[1]) for n in notes), notes
    assert any("«Notes»" in n for n in notes)


def test_headers_of_every_language_name_one_column_each(rules: RuleSet) -> None:
    """A header in any language names exactly one column of its table."""
    for columns in (population_columns(rules), activity_columns()):
        owner: dict[str, str] = {}
        for column in columns:
            assert len(column.names) == len(LANGUAGES), column.names
            for spelling in column.spellings():
                assert owner.setdefault(spelling, column.field) == column.field, spelling


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_annex_v_columns_quote_the_source_with_prevplans_translation(
    lang: str, exported: dict[str, bytes]
) -> None:
    """The schedule, executors and coordinating body of Annex V stay in the source's
    English, followed by prevplan's translation in brackets (as on the tracker page)."""
    book = book_of(exported[lang])
    with use_language(lang):
        sheet = book[sheet_title("Action items")]
        header = [c.value for c in sheet[1]]
        columns = [header.index(_(h)) for h in ("Schedule (Annex V)", "Executors (Annex V)")]
    for column in columns:
        values = [row[column].value for row in sheet.iter_rows(min_row=2)]
        quoted = [v for v in values if isinstance(v, str) and v]
        assert quoted
        both = [v for v in quoted if re.search("[A-Za-z]", v) and SCRIPT[lang].search(v)]
        assert len(both) >= len(quoted) // 2, quoted[:5]


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_every_sheet_prints_landscape_with_its_header_on_each_page(
    lang: str, exported: dict[str, bytes], rules: RuleSet
) -> None:
    """A planner printing the export or the template gets readable tables: landscape,
    shrunk to a few pages across at most, the header row on every page and tall enough
    for its wrapped words."""
    template = book_of(inventory_template_xlsx(rules, lang=lang))
    for sheet in [*book_of(exported[lang]).worksheets, *template.worksheets]:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert 1 <= int(sheet.page_setup.fitToWidth) <= 3, sheet.title
        if sheet.title != sheet_title(INSTRUCTIONS, lang):
            assert sheet.print_title_rows in ("1:1", "$1:$1"), sheet.title
            if sheet.title != sheet_title(LISTS, lang):  # one line: columns fit their titles
                assert (sheet.row_dimensions[1].height or 0) >= 30, sheet.title
