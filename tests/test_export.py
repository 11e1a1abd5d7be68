"""Exports of a plan: the PDF report for approval, the Excel workbook and the JSON.

The PDF is checked the way a person would check it, through poppler: its pages render to
PNG images that are not blank, its text (``pdftotext``) holds the plan's figures, names and
clause references and "Page 1 of N", a Russian plan's report holds its Cyrillic and a
Chinese plan's its Chinese text, and every font is embedded (``pdffonts``). The workbook is
read back with openpyxl: sheets, headers, counts, numbers as numbers, and texts that look
like formulas (``=1+1``, ``@cmd``) stored as plain text; it imports back to an equal plan,
as does the JSON. The command line answers bad input with exit code 2 and one line per
problem. Chromium (for the charts) and poppler are needed: without them these tests are
skipped, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from prevplan.cli import main
from prevplan.export import (
    neutralise,
    plan_json,
    plan_report_pdf,
    plan_workbook,
    read_plan_file,
    read_plan_xlsx,
)
from prevplan.export.xlsx import unescape
from prevplan.i18n import _, format_number, format_percent
from prevplan.inventory.columns import activity_columns, population_columns
from prevplan.plan.assess import assess
from prevplan.plan.io import plan_from_data, read_plan
from prevplan.plan.models import Activity, Plan, TrackerEntry
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from tests.plans import DISTRICT_NAMES, district_populations
from tests.support import unavailable

SAMPLE_PLAN = Path(__file__).resolve().parents[1] / "sample_data" / "national_plan.yaml"
SHEETS = [
    "Plan",
    "Populations",
    "Activities",
    "Tracker",
    # The plan's monitoring (interfaces §8): the sample plan follows its periods.
    "Periods",
    "Progress",
    "Surveys",
    "Decisions",
    "Coverage",
    "Strategies",
    "Action items",
    "Costs",
    "Warnings",
]


# --- tools ---------------------------------------------------------------------------------


def require(found: bool, what: str) -> None:
    """Skip without ``what``; under CI=true, fail: CI must check the real report."""
    if not found:
        unavailable(f"{what} not installed", f"{what} is required under CI=true")


def require_poppler() -> None:
    for tool in ("pdftoppm", "pdftotext", "pdffonts"):
        require(shutil.which(tool) is not None, f"{tool} (Debian package poppler-utils)")


def require_chromium() -> None:
    browser = os.environ.get("BROWSER_PATH") or next(
        (
            found
            for name in ("chromium", "chromium-browser", "google-chrome", "chrome")
            if (found := shutil.which(name))
        ),
        None,
    )
    require(browser is not None, "Chromium (Debian package chromium) for the charts")


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of white space made single spaces."""
    out = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def page_count(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))  # type: ignore[union-attr]


def fonts(path: Path) -> list[tuple[str, str]]:
    """``(font name, embedded yes/no)`` for each font ``pdffonts`` lists."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    rows = out.stdout.splitlines()[2:]
    # Columns: name, type (may hold spaces), encoding, emb, sub, uni, object, ID.
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def render_pages(path: Path, folder: Path) -> list[Path]:
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "50", str(path), str(folder / "page")],
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stderr == "", f"poppler complained: {result.stderr}"
    return sorted(folder.glob("page-*.png"))


def ink(png: Path) -> float:
    """Share of the page's pixels that are not (nearly) white."""
    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)


# --- plans ---------------------------------------------------------------------------------


def small_plan(
    name: str = "District plan",
    names: tuple[str, str, str] = DISTRICT_NAMES,
) -> Plan:
    return Plan(
        name=name,
        country="Kazakhstan",
        region="Almaty",
        period="2026–2027",
        description="A small plan for the tests.",
        populations=district_populations(names),
        activities=(
            Activity(
                id="a1",
                name="Life skills lessons",
                population_id="pupils",
                strategies=("life_skills",),
                interventions=("skills_social_influence",),
                reach=600,
                target_reach=800,
                cost=12000,
                executor="Ministry of Education",
                schedule="2026",
            ),
            Activity(
                id="a2",
                name="Parenting programme",
                population_id="parents",
                strategies=("work_with_parents",),
                reach=100,
                target_reach=300,
                cost=5000,
                action_items=("V-3.5",),
            ),
        ),
        tracker=(TrackerEntry(action_item="V-3.4", status="in_progress", note="survey"),),
    )


def russian_plan() -> Plan:
    return small_plan(
        "Региональный план профилактики 2026",
        ("Учащиеся средних школ", "Родители учащихся", "Беспризорная молодёжь"),
    )


def chinese_plan() -> Plan:
    # Chinese names beside a Cyrillic one: the fonts must mix in one document.
    return small_plan(
        "国家禁毒预防计划 2026",
        ("中学生", "学生家长", "Беспризорная молодёжь"),
    )


def injection_plan() -> Plan:
    base = small_plan(names=("=1+1", "@cmd", "+SUM(A1:A9)"))
    extra = Activity(
        id="-1",
        name='=HYPERLINK("http://example.com")',
        population_id="pupils",
        strategies=("information",),
        executor="'quoted already",
        schedule="-2+3",
    )
    return base.model_copy(update={"activities": (*base.activities, extra)})


@pytest.fixture(scope="module")
def sample(rules: RuleSet) -> Plan:
    if SAMPLE_PLAN.exists():
        return read_plan(SAMPLE_PLAN, rules)
    return small_plan()


@pytest.fixture(scope="module")
def sample_pdf(sample: Plan, rules: RuleSet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_chromium()
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(plan_report_pdf(sample, rules, lang="en"))
    return path


def report_in(plan: Plan, rules: RuleSet, lang: str, folder: Path) -> Path:
    require_chromium()
    path = folder / f"report_{lang}.pdf"
    path.write_bytes(plan_report_pdf(plan, rules, lang=lang))
    return path


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_pages_render_as_images_with_content(sample_pdf: Path, tmp_path: Path) -> None:
    """The report has more than three pages, and every page renders to a non-blank image."""
    require_poppler()
    pages = render_pages(sample_pdf, tmp_path)
    assert len(pages) > 3
    assert len(pages) == page_count(sample_pdf)
    for png in pages:
        assert png.stat().st_size > 5_000, png.name
        assert ink(png) > 0.01, f"{png.name} is blank"


def test_pdf_text_holds_the_plans_figures_names_and_clauses(
    sample_pdf: Path, sample: Plan, rules: RuleSet
) -> None:
    """Total people, coverage, every population's name, a clause and page numbers are there."""
    require_poppler()
    text = pdf_text(sample_pdf)
    totals = assess(sample, rules).totals
    assert format_number(totals.people, "en") in text
    assert format_number(totals.reach, "en") in text
    assert format_percent(totals.coverage, "en", decimals=1) in text
    for population in sample.populations:
        assert " ".join((population.name or population.id).split()) in text, population.id
    assert sample.name in text
    assert "VI-3.1.1" in text
    assert f"Page 1 of {page_count(sample_pdf)}" in text
    assert "prevplan" in text


def test_pdf_marks_stated_and_inferred_and_lists_annex_v(sample_pdf: Path) -> None:
    """Recommendations say whether the text states them; Annex V items are listed by ref."""
    require_poppler()
    text = pdf_text(sample_pdf)
    assert "Stated in the text" in text
    assert "Inferred by prevplan" in text
    assert "Program of Actions (Annex V)" in text
    assert "V-3.5" in text


def test_pdf_embeds_its_fonts(sample_pdf: Path) -> None:
    """Every font is embedded, so the report reads the same on any computer."""
    require_poppler()
    listed = fonts(sample_pdf)
    assert listed
    assert all(embedded == "yes" for _name, embedded in listed), listed
    assert any("DejaVuSans" in name for name, _e in listed)


def test_russian_report_prints_cyrillic(rules: RuleSet, tmp_path: Path) -> None:
    """A plan named in Russian, reported in Russian: the Cyrillic text survives."""
    require_poppler()
    plan = russian_plan()
    path = report_in(plan, rules, "ru", tmp_path)
    text = pdf_text(path)
    for word in (plan.name, "Учащиеся средних школ", "Беспризорная молодёжь"):
        assert word in text
    footer = _("Page {page} of {total}", "ru").format(page=1, total=page_count(path))
    assert footer in text
    assert all(embedded == "yes" for _n, embedded in fonts(path))
    assert render_pages(path, tmp_path)


#: Russian words of one to three letters that may stand alone on a line of a table cell.
SHORT_RUSSIAN_WORDS = frozenset(
    [
        "и",
        "в",
        "на",
        "не",
        "до",
        "из",
        "по",
        "от",
        "за",
        "к",
        "с",
        "у",
        "о",
        "для",
        "или",
        "их",
        "без",
        "при",
        "над",
        "под",
        "все",
        "нет",
        "как",
        "что",
        "где",
        "это",
        "его",
        "её",
        "они",
        "да",
        "же",
        "ли",
        "бы",
        "мы",
        "вы",
        "ч",
        "них",
        "ним",
        "нас",
        "вас",
        "тем",
        "том",
        "чём",
        "год",
        "лет",
    ]
)


def test_russian_tables_keep_their_words_whole(
    sample: Plan, rules: RuleSet, tmp_path: Path
) -> None:
    """Russian headings and level names are long: a nine-column table sets smaller type rather
    than cutting «профилактика» into «профилактик» / «а» (the ministry prints this report)."""
    require_poppler()
    path = report_in(sample, rules, "ru", tmp_path)
    lines = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    fragments = [
        (before[-30:], line)
        for before, line in itertools.pairwise(lines)
        if re.fullmatch(r"[а-яё]{1,3}[,.)]?", line.strip())
        and line.strip().rstrip(",.)") not in SHORT_RUSSIAN_WORDS
    ]
    assert fragments == []
    assert "Универсальная профилактика" in pdf_text(path)


def test_chinese_report_prints_chinese_and_cyrillic(rules: RuleSet, tmp_path: Path) -> None:
    """Chinese and Cyrillic names in one report: both fonts are embedded, no text is lost."""
    require_poppler()
    plan = chinese_plan()
    path = report_in(plan, rules, "zh", tmp_path)
    text = pdf_text(path)
    for word in (plan.name, "中学生", "学生家长", "Беспризорная молодёжь", "VI-3.1"):
        assert word in text
    # A Chinese line followed by a Latin one (the population's region under its name):
    # the Latin line must not lose its font.
    assert "中学生 North" in text
    listed = fonts(path)
    assert all(embedded == "yes" for _n, embedded in listed), listed
    names = " ".join(name for name, _e in listed)
    assert "DejaVuSans" in names and "NotoSansCJK" in names
    pages = render_pages(path, tmp_path)  # poppler reports any text drawn without a font
    assert len(pages) == page_count(path)


def test_english_report_needs_no_chinese_font(rules: RuleSet, tmp_path: Path) -> None:
    """Without a character DejaVu lacks, the CJK font is neither loaded nor embedded."""
    require_poppler()
    path = report_in(small_plan(), rules, "en", tmp_path)
    assert not any("CJK" in name for name, _e in fonts(path))


def test_missing_browser_is_a_problem_not_a_hang(
    rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No Chromium: one clear problem, at once (kaleido itself would wait forever)."""
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(ProblemsError) as raised:
        plan_report_pdf(small_plan(), rules)
    assert "could not draw the charts" in str(raised.value)
    assert "chromium" in str(raised.value)


def test_charts_drawn_from_two_threads_are_not_mixed_up() -> None:
    """Two reports at once (two app users): each gets its own images back from kaleido."""
    import threading

    import plotly.graph_objects as go

    from prevplan.export.images import chart_pngs

    require_chromium()
    results: dict[int, dict[str, tuple[int, int]]] = {}

    def draw(height: int) -> None:
        figures = {f"f{n}": go.Figure(layout={"height": height + n}) for n in range(3)}
        images = chart_pngs(figures)
        results[height] = {
            name: Image.open(io.BytesIO(image.png)).size for name, image in images.items()
        }

    threads = [threading.Thread(target=draw, args=(h,)) for h in (300, 600)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for height, sizes in results.items():
        for n in range(3):
            assert sizes[f"f{n}"][1] == 2 * (height + n)
    assert len(results) == 2


def test_missing_font_is_a_problem(rules: RuleSet, monkeypatch: pytest.MonkeyPatch) -> None:
    """No DejaVu: one clear problem naming the package to install."""
    from prevplan.export import fonts as font_module

    monkeypatch.setattr(font_module, "_search_dirs", lambda: [Path("/nonexistent")])
    with pytest.raises(ProblemsError) as raised:
        plan_report_pdf(small_plan(), rules)
    assert "fonts-dejavu-core" in str(raised.value)


# --- Excel ---------------------------------------------------------------------------------


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_workbook_has_a_sheet_per_table_with_headers_and_counts(
    sample: Plan, rules: RuleSet
) -> None:
    """Sheets in order; data sheets with the inventory's headers; one row per thing."""
    book = load(plan_workbook(sample, rules))
    assert book.sheetnames == SHEETS
    pops, acts = book["Populations"], book["Activities"]
    assert [c.value for c in pops[1]] == [c.header for c in population_columns(rules)]
    assert [c.value for c in acts[1]] == [c.header for c in activity_columns()]
    result = assess(sample, rules)
    assert pops.max_row - 1 == len(sample.populations)
    assert acts.max_row - 1 == len(sample.activities)
    assert book["Coverage"].max_row - 1 == len(sample.populations)
    assert book["Strategies"].max_row - 1 == len(rules.strategies)
    assert book["Action items"].max_row - 1 == len(rules.action_items)
    assert book["Warnings"].max_row - 1 == len(result.warnings)
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2"), sheet.title
        assert sheet.auto_filter.ref, sheet.title
        assert all(cell.font.bold for cell in sheet[1] if cell.value), sheet.title


def test_workbook_numbers_stay_numbers(sample: Plan, rules: RuleSet) -> None:
    """Sizes, reach, shares and costs are numeric cells, with readable number formats."""
    book = load(plan_workbook(sample, rules))
    sizes = [row[5].value for row in book["Populations"].iter_rows(min_row=2)]
    assert sizes == [p.size for p in sample.populations]
    coverage = book["Coverage"]
    header = [c.value for c in coverage[1]]
    column = header.index("Coverage by any activity")
    assert header.index("Effective coverage") < column  # effective coverage comes first
    cells = [row[column] for row in coverage.iter_rows(min_row=2)]
    # (a share of exactly 0 reads back as the whole number 0)
    assert all(isinstance(c.value, int | float) and c.number_format == "0.0%" for c in cells)
    assert any(isinstance(c.value, float) and 0 < c.value < 1 for c in cells)


def test_formula_like_texts_stay_text(rules: RuleSet) -> None:
    """``=1+1``, ``@cmd``, ``+…``, ``-…`` are stored as text with a leading ', never as formulas."""
    plan = injection_plan()
    data = plan_workbook(plan, rules)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = load(data)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    names = [row[1].value for row in book["Populations"].iter_rows(min_row=2)]
    assert names == ["'=1+1", "'@cmd", "'+SUM(A1:A9)"]
    coverage_names = [row[0].value for row in book["Coverage"].iter_rows(min_row=2)]
    assert coverage_names[:2] == ["'=1+1", "'@cmd"]
    assert book["Populations"]["B2"].data_type == "s"


def test_neutralise_and_unescape_are_inverse() -> None:
    for text in ("=1+1", "@cmd", "+x", "-3", "'", "'=x", "''", "plain", "", "a=b"):
        assert unescape(neutralise(text)) == text
    assert neutralise("plain") == "plain"
    assert neutralise("=1+1") == "'=1+1"


@pytest.mark.parametrize(
    "make",
    [small_plan, russian_plan, chinese_plan, injection_plan],
    ids=["small", "russian", "chinese", "formula-like"],
)
def test_workbook_round_trip_gives_an_equal_plan(make: object, rules: RuleSet) -> None:
    """Export to Excel, import back: the same plan (names, shares, tracker and all)."""
    assert callable(make)
    plan = make()
    assert read_plan_xlsx(plan_workbook(plan, rules), "plan.xlsx", rules) == plan


def test_sample_plan_round_trips_through_excel(sample: Plan, rules: RuleSet) -> None:
    assert read_plan_xlsx(plan_workbook(sample, rules), "plan.xlsx", rules) == sample


def test_plan_without_activities_or_tracker_round_trips(rules: RuleSet) -> None:
    """A new plan with populations only is a valid export and import."""
    plan = small_plan().model_copy(update={"activities": (), "tracker": ()})
    assert read_plan_xlsx(plan_workbook(plan, rules), "plan.xlsx", rules) == plan


def test_import_names_sheet_row_column_and_what_was_expected(rules: RuleSet) -> None:
    """Bad cells are reported all at once, each with its sheet, row, column and expectation."""
    book = load(plan_workbook(small_plan(), rules))
    book["Populations"]["F3"] = "many"  # size
    book["Activities"]["C2"] = "pupil"  # population ID
    book["Tracker"]["B2"] = "halfway"  # status
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ProblemsError) as raised:
        read_plan_xlsx(buffer.getvalue(), "edited.xlsx", rules)
    said = [str(p) for p in raised.value.problems]
    assert any(
        "sheet 'Populations', row 3, column F" in s and "expected a whole number" in s for s in said
    ), said
    assert any("sheet 'Activities', row 2, column C" in s and "pupil" in s for s in said), said
    assert any("sheet 'Tracker', row 2, column B" in s and "In progress" in s for s in said)
    assert all(s.startswith("edited.xlsx: ") for s in said)


def test_import_refuses_a_file_that_is_not_a_workbook(rules: RuleSet) -> None:
    with pytest.raises(ProblemsError) as raised:
        read_plan_xlsx(b"name,size\nx,1\n", "plan.xlsx", rules)
    assert "not a readable Excel .xlsx file" in str(raised.value)


def test_import_reads_the_ngo_inventory_too(rules: RuleSet) -> None:
    """An inventory made on the template (no Plan sheet) imports as the inventory import does."""
    from prevplan.inventory.reader import read_inventory

    path = SAMPLE_PLAN.parent / "ngo_inventory.xlsx"
    if not path.exists():
        pytest.skip("sample inventory not present")
    plan = read_plan_xlsx(path.read_bytes(), str(path), rules)
    expected = read_inventory(path, rules=rules)
    assert plan.populations == expected.populations
    assert plan.activities == expected.activities


# --- JSON ----------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [small_plan, chinese_plan, injection_plan])
def test_json_round_trip_gives_an_equal_plan(make: object, rules: RuleSet) -> None:
    assert callable(make)
    plan = make()
    assert plan_from_data(json.loads(plan_json(plan)), "plan.json", rules) == plan


def test_sample_plan_round_trips_through_json(sample: Plan, rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(plan_json(sample), encoding="utf-8")
    assert read_plan_file(path, rules) == sample


# --- command line --------------------------------------------------------------------------


@pytest.fixture
def no_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """An empty prevplan home and no database URL: nothing is saved anywhere."""
    home = tmp_path / "home"
    monkeypatch.setenv("PREVPLAN_HOME", str(home))
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    yield home


def plan_file(tmp_path: Path, plan: Plan) -> Path:
    path = tmp_path / "plan.json"
    path.write_text(plan_json(plan), encoding="utf-8")
    return path


def test_cli_exports_json_and_xlsx_that_read_back(tmp_path: Path, rules: RuleSet) -> None:
    source = plan_file(tmp_path, small_plan())
    assert (
        main(["export", str(source), "--format", "json", "--output", str(tmp_path / "o.json")]) == 0
    )
    assert read_plan_file(tmp_path / "o.json", rules) == small_plan()
    assert main(["export", str(source), "--output", str(tmp_path / "o.xlsx")]) == 0
    assert read_plan_file(tmp_path / "o.xlsx", rules) == small_plan()
    # The workbook is itself an input of export.
    assert main(["export", str(tmp_path / "o.xlsx"), "--output", str(tmp_path / "p.json")]) == 0
    assert read_plan_file(tmp_path / "p.json", rules) == small_plan()


def test_cli_exports_the_pdf_in_the_chosen_language(tmp_path: Path) -> None:
    require_chromium()
    require_poppler()
    source = plan_file(tmp_path, russian_plan())
    output = tmp_path / "report.pdf"
    assert (
        main(["export", str(source), "--format", "pdf", "--output", str(output), "--lang", "ru"])
        == 0
    )
    assert output.read_bytes().startswith(b"%PDF")
    text = pdf_text(output)
    assert "Учащиеся средних школ" in text
    assert _("Summary", "ru") in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf", "--output", "{tmp}/out.xlsx"], "ends in .xlsx but --format is pdf"),
        (["--output", "{tmp}/out.txt"], "give --format pdf, xlsx or json"),
        (["--output", "{tmp}/missing/out.json"], "does not exist"),
        (["--output", "{tmp}"], "is a folder"),
    ],
    ids=["format-mismatch", "no-format", "no-folder", "output-is-folder"],
)
def test_cli_bad_output_is_exit_2(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = plan_file(tmp_path, small_plan())
    filled = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["export", str(source), *filled]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_cli_unknown_plan_name_is_exit_2(
    tmp_path: Path, no_database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neither a file nor a saved plan: a clear line, and no database is created to say so."""
    assert main(["export", "no-such-plan", "--output", str(tmp_path / "o.json")]) == 2
    err = capsys.readouterr().err
    assert "no-such-plan: no such file" in err
    assert not (no_database / "prevplan.db").exists()


def test_cli_invalid_plan_is_exit_2_and_leaves_the_output_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text("name: x\npopulations:\n  - {id: p, age_min: 5, age_max: 3, size: 0}\n")
    output = tmp_path / "o.json"
    output.write_text("previous export")
    assert main(["export", str(source), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "size" in err
    assert output.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".o.json")] == []


def test_cli_exports_a_plan_saved_in_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules: RuleSet
) -> None:
    """A name that is no file is looked up among the saved plans."""
    from prevplan.storage import store_from_url

    url = f"sqlite:///{tmp_path / 'plans.db'}"
    plan = russian_plan()
    with store_from_url(url, rules=rules) as store:
        store.save(plan, author="tester", base_version=None)
    monkeypatch.setenv("PREVPLAN_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "saved.json"
    assert main(["export", plan.name, "--output", str(output)]) == 0
    assert read_plan_file(output, rules) == plan
    assert main(["export", "Другой план", "--output", str(output)]) == 2
