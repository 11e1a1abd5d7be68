"""The command line in the chosen language: help texts, argparse's own words and errors, the
messages of ``recommend``, ``assess`` and ``export``, and the export helpers' problems
(charts, fonts), in Russian and Chinese — English unchanged."""

from __future__ import annotations

import argparse
import gettext
import re
from pathlib import Path

import pytest

from prevplan.cli import main
from prevplan.commands.argparse_messages import argparse_in_language, language_in_argv
from prevplan.commands.output import Progress
from prevplan.export import images
from prevplan.export.fonts import FONT_DIR_ENV, missing_fonts
from prevplan.export.formats import export_plan
from prevplan.i18n import current_language, text_width, use_language
from prevplan.plan.io import read_plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PLAN = ROOT / "sample_data" / "national_plan.yaml"
LANGS = ("ru", "zh")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
CJK = re.compile(r"[\u4e00-\u9fff]")
SCRIPT = {"ru": CYRILLIC, "zh": CJK}
NBSP = "\u00a0"

COMMANDS = ("recommend", "assess", "export", "programmes")
ASCII_WORD = re.compile(r"[A-Za-z_]{2,}")
HELP_WORDS = {
    # prevplan, its commands, options and their values, formats and the environment.
    "prevplan",
    "rules",
    "recommend",
    "assess",
    "export",
    "programmes",
    # prevplan monitor and survey (their option names and values are in HELP_WORDS already
    # or below).
    "monitor",
    "survey",
    "benchmarks",  # recommend --benchmarks
    "approved",  # export --approved
    # prevplan optimise: its command and option names, and the example currency code.
    "optimise",
    "budget",
    "must",
    "serve",
    "item",
    "keep",
    "working",
    "min",
    "evidence",
    "share",
    "cap",
    "executor",
    "report",
    "USD",
    # prevplan programmes: its options and the values they take (levels, settings, verdicts).
    "age",
    "level",
    "setting",
    "intervention",
    "verdict",
    "compare",
    "currency",
    "year",
    "ID",
    "universal",
    "selective",
    "symptomatic",
    "tertiary",
    "family",
    "school",
    "workplace",
    "community",
    "health_services",
    "mass_media",
    "entertainment_venues",
    "sport",
    "prison",
    "military",
    "university",
    "online",
    "recommended",
    "promising",
    "no_effect",
    "harmful",
    "AGE",
    "LEVEL",
    "SETTING",
    "INTERVENTION",
    "VERDICT",
    "CURRENCY",
    "YEAR",
    "FORMAT",
    "backup",
    "force",
    "GB",
    "lang",
    "help",
    "format",
    "output",
    "populations",
    "en",
    "ru",
    "zh",
    "json",
    "csv",
    "table",
    "pdf",
    "xlsx",
    "JSON",
    "CSV",
    "YAML",
    "PDF",
    "Excel",
    "PREVPLAN_LANG",
    # The file names of a CSV inventory: <name>_activities.csv, <name>_populations.csv.
    "_activities",
    "_populations",
}
"""The only Latin words a translated help may hold: names a user types, never English prose."""

ENGLISH_ARGPARSE = (
    "usage",
    "error",
    "positional arguments",
    "options:",
    "show this help",
    "required",
    "invalid choice",
    "unrecognized",
    "expected",
    "argument",
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``prevplan argv`` (argparse's exits included)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(SAMPLE_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture
def population_file(tmp_path: Path) -> Path:
    """Populations named in Russian: a universal one with priorities, a selective one."""
    path = tmp_path / "populations.yaml"
    path.write_text(
        "- {id: pupils, name: Школьники, age_min: 12, age_max: 15, size: 12000,\n"
        "   risk_factors: {peers: 0.4, family: 0.2}, protective_factors: {parents: 0.1}}\n"
        "- {id: clubs, name: Посетители клубов, age_min: 18, age_max: 30, size: 4000,\n"
        "   risk_group: at_risk, special_groups: [pregnant_women]}\n",
        encoding="utf-8",
    )
    return path


# --- the language is known before the parser is built -------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang", "ru", "--help"], "ru"),
        (["--lang=zh", "recommend", "f"], "zh"),
        (["recommend", "f", "--lang", "ru"], "ru"),
        (["--lang", "ru", "recommend", "f", "--lang", "zh"], "zh"),
        (["--la", "ru", "--help"], "ru"),
        (["recommend", "--", "--lang", "ru"], None),
        (["--lang", "xx"], None),
        (["--lang"], None),
        (["--help"], None),
    ],
)
def test_the_language_is_read_from_the_raw_arguments(argv: list[str], expected: str | None) -> None:
    assert language_in_argv(argv) == expected


def test_argparse_speaks_prevplans_language_only_while_a_command_line_is_read(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(capsys, "--lang", "ru", "--help")[0] == 0
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]
    assert _run(capsys, "--lang", "zh", "export")[0] == 2  # an error leaves it restored too
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert current_language() == "en"
    with use_language("ru"), argparse_in_language():
        assert argparse._("options") == "параметры"  # type: ignore[attr-defined]
    assert argparse._("options") == "options"  # type: ignore[attr-defined]


# --- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_in_the_language(
    lang: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--lang", lang, *([command] if command else []), "--help"]
    code, out, _err = _run(capsys, *argv)
    assert code == 0
    assert SCRIPT[lang].search(out)
    assert out.startswith({"ru": "Использование: prevplan", "zh": "用法：prevplan"}[lang])
    assert {"ru": "показать эту справку и выйти", "zh": "显示此帮助信息并退出"}[lang] in out
    english = set(ASCII_WORD.findall(out)) - HELP_WORDS
    assert english == set(), out


@pytest.mark.parametrize("lang", LANGS)
def test_the_language_may_also_come_after_the_command_or_from_the_environment(
    lang: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    after = _run(capsys, "export", "--help", "--lang", lang)[1]
    assert after == _run(capsys, "--lang", lang, "export", "--help")[1]
    monkeypatch.setenv("PREVPLAN_LANG", lang)
    assert (
        _run(capsys, "assess", "--help")[1] == _run(capsys, "--lang", lang, "assess", "--help")[1]
    )
    assert _run(capsys, "--lang", "en", "assess", "--help")[1].startswith("usage: prevplan")


def test_the_rules_command_help_has_argparses_words_in_the_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _run(capsys, "--lang", "ru", "rules", "--help")[1]
    assert out.startswith("Использование: prevplan rules")
    assert "показать эту справку и выйти" in out
    top = _run(capsys, "--lang", "zh", "--help")[1]
    assert "查看构想规则" in top  # the rules command's line in the program's help


@pytest.mark.parametrize("command", ["", *COMMANDS, "rules check"])
def test_chinese_help_lines_up_and_fits_the_terminal(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Chinese character takes two columns: help texts still start in one column and no
    line runs past the terminal's edge (argparse alone measures characters)."""
    monkeypatch.setenv("COLUMNS", "80")
    out = _run(capsys, "--lang", "zh", *command.split(), "--help")[1]
    lines = out.splitlines()
    assert all(text_width(line) <= 80 for line in lines), out
    starts = set()
    for line in lines:
        found = re.match(r"^(  \S.*?\S)( {2,})(\S)", line)
        if found and not line.startswith("   "):
            starts.add(text_width(found[1]) + len(found[2]))
    assert len(starts) == 1, out


def test_help_in_english_is_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "--help")[1]
    assert out.startswith("usage: prevplan [-h] [--lang {en,ru,zh}] COMMAND ...")
    assert "positional arguments:" in out and "options:" in out
    assert "  -h, --help         show this help message and exit" in out
    assert "recommend a strategy mix for each population" in out
    out = " ".join(_run(capsys, "export", "--help")[1].split())
    assert "--output OUTPUT [--approved] file Export a plan as the PDF report for approval" in out
    assert "positional arguments: file plan file (YAML, JSON, or an .xlsx" in out
    assert "--output OUTPUT write the export here" in out
    assert "pdf, xlsx or json (default: from the suffix of --output)" in out


def test_an_unknown_language_is_refused_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _run(capsys, "--lang", "xx", "--help")
    assert code == 2
    assert "usage: prevplan" in err
    assert "error: argument --lang: invalid choice: 'xx' (choose from 'en', 'ru', 'zh')" in err


# --- argparse's errors ------------------------------------------------------------------------

ARGPARSE_ERRORS = {
    "missing-output": (["export", "plan.yaml"], {"ru": "--output", "zh": "--output"}),
    "invalid-choice": (["recommend", "f", "--format", "xml"], {"ru": "'xml'", "zh": "'xml'"}),
    "unrecognized": (["assess", "a", "b", "c"], {"ru": "b c", "zh": "b c"}),
    "unknown-command": (["bogus"], {"ru": "'bogus'", "zh": "'bogus'"}),
    "no-value": (["export", "p", "--output"], {"ru": "--output", "zh": "--output"}),
}
ARGPARSE_WORDS = {
    "missing-output": {
        "ru": "необходимо указать следующие аргументы",
        "zh": "缺少以下必需参数",
    },
    "invalid-choice": {"ru": "недопустимое значение", "zh": "无效的取值"},
    "unrecognized": {"ru": "нераспознанные аргументы", "zh": "无法识别的参数"},
    "unknown-command": {"ru": "недопустимое значение", "zh": "无效的取值"},
    "no-value": {"ru": "требуется одно значение", "zh": "需要一个值"},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(ARGPARSE_ERRORS))
def test_argparse_errors_are_in_the_language(
    lang: str, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, named = ARGPARSE_ERRORS[case]
    code, _out, err = _run(capsys, *argv, "--lang", lang)
    assert code == 2
    assert ARGPARSE_WORDS[case][lang] in err and named[lang] in err
    assert {"ru": "prevplan", "zh": "prevplan"}[lang] in err
    assert {"ru": "ошибка: ", "zh": "错误："}[lang] in err
    lowered = err.lower()
    assert not [word for word in ENGLISH_ARGPARSE if word in lowered], err


def test_argparse_errors_in_english_are_unchanged(capsys: pytest.CaptureFixture[str]) -> None:
    err = _run(capsys, "export", "plan.yaml")[2]
    assert err.startswith("usage: prevplan export")
    assert err.endswith("prevplan export: error: the following arguments are required: --output\n")
    err = _run(capsys, "recommend", "f", "--format", "xml")[2]
    assert "error: argument --format: invalid choice: 'xml' (choose from 'json', 'csv', " in err
    assert "error: unrecognized arguments: b c" in _run(capsys, "assess", "a", "b", "c")[2]


# --- export -----------------------------------------------------------------------------------

EXPORT_PROBLEMS = {
    "format-mismatch": (
        ["--format", "pdf", "--output", "{tmp}/out.xlsx"],
        {"ru": "имя оканчивается на .xlsx, а --format равен pdf", "zh": "文件名以 .xlsx 结尾"},
    ),
    "no-format": (["--output", "{tmp}/out.txt"], {"ru": "не указан", "zh": "未指定"}),
    "no-folder": (
        ["--output", "{tmp}/absent/out.json"],
        {"ru": "не существует", "zh": "不存在"},
    ),
    "output-is-folder": (["--output", "{tmp}"], {"ru": "это папка", "zh": "这是一个文件夹"}),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(EXPORT_PROBLEMS))
def test_export_output_problems_are_in_the_language(
    lang: str, case: str, plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args, said = EXPORT_PROBLEMS[case]
    filled = [a.replace("{tmp}", str(tmp_path)) for a in args]
    code, _out, err = _run(capsys, "export", str(plan_file), *filled, "--lang", lang)
    assert code == 2
    line = err.splitlines()[0].replace(str(tmp_path), "")  # what is said, not where
    assert said[lang] in line and SCRIPT[lang].search(line)
    assert not re.search(r"\b(expected|folder|missing|ends in|give|does not)\b", line), line


def _export_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str) -> str:
    code, _out, err = _run(
        capsys, "export", "no-such-plan", "--output", str(tmp_path / "o.json"), "--lang", lang
    )
    assert code == 2
    return err.splitlines()[0]


@pytest.mark.parametrize("lang", LANGS)
def test_export_of_an_unknown_name_says_so_in_the_language(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    nothing_saved = _export_missing(capsys, tmp_path, lang)
    assert nothing_saved.startswith("no-such-plan: ")
    assert {"ru": "такого файла нет, а сохранённых планов пока нет", "zh": "尚未保存任何计划"}[
        lang
    ] in nothing_saved
    assert "no such file" not in nothing_saved and "expected" not in nothing_saved

    from prevplan.storage import store_from_url

    url = f"sqlite:///{tmp_path / 'plans.db'}"
    with store_from_url(url, rules=load_rules()):
        pass  # an empty database
    monkeypatch.setenv("PREVPLAN_DATABASE_URL", url)
    not_saved = _export_missing(capsys, tmp_path, lang)
    assert {"ru": "плана с таким названием в базе данных нет", "zh": "数据库中也没有"}[
        lang
    ] in not_saved
    assert "no such file" not in not_saved and "saved plan" not in not_saved

    monkeypatch.setenv("PREVPLAN_DATABASE_URL", "nosuchdb://somewhere/plans")
    failed = _export_missing(capsys, tmp_path, lang)
    assert {
        "ru": "найти сохранённый план с таким названием не удалось",
        "zh": "按已保存计划查找时出错",
    }[lang] in failed
    assert "looking it up" not in failed


@pytest.mark.parametrize("lang", LANGS)
def test_export_says_it_cannot_write_in_the_language(
    lang: str,
    plan_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def refuse(data: bytes, output: Path) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("prevplan.commands.export.write_bytes_atomically", refuse)
    output = str(tmp_path / "o.json")
    code, _out, err = _run(capsys, "export", str(plan_file), "--output", output, "--lang", lang)
    assert code == 2
    said = {"ru": "не удалось записать: Permission denied", "zh": "无法写入：Permission denied"}
    assert said[lang] in err and "cannot write" not in err
    english = _run(capsys, "export", str(plan_file), "--output", output)[2]
    assert "field '--output': cannot write: Permission denied" in english


# --- assess and recommend ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_assess_refuses_a_populations_file_for_a_plan_in_the_language(
    lang: str, plan_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = tmp_path / "pops.csv"
    extra.write_text("id\n", encoding="utf-8")
    code, _out, err = _run(
        capsys, "assess", str(plan_file), "--populations", str(extra), "--lang", lang
    )
    assert code == 2
    line = err.splitlines()[0]
    said = {"ru": "отдельный файл целевых групп указывается только", "zh": "只有 CSV 清单才需要"}
    assert said[lang] in line and "inventory" not in line and "populations file" not in line


# "intro" and "IV", "prevention" are parts of the clause references VI-intro#p1 and
# IV-prevention#p3; "Delivers" lists strategy ids in English.
IDS = {"pupils", "clubs", "unknown_risk_factors", "prevplan", "VI", "intro", "IV", "prevention"}


def _without_programme_lines(out: str) -> str:
    """The table without its lines of named programmes (proper names stay in Latin script)."""
    return "\n".join(line for line in out.splitlines() if not line.startswith("      · "))


def test_recommend_table_in_russian_has_no_english_words(
    population_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = _run(
        capsys, "recommend", str(population_file), "--format", "table", "--lang", "ru"
    )
    assert code == 0
    assert f"Школьники  (pupils; возраст 12–15; человек: 12{NBSP}000)" in out
    assert f"  - фактор риска: влияние сверстников [VI-1.2.5] 40{NBSP}%" in out
    assert "  - слабый защитный ресурс: поддерживающее родительское воспитание [VI-1.3.2]" in out
    # 12-15: four years of early adolescence, one of adolescence (a stage counts from two).
    assert "Возрастные этапы: ранний подростковый возраст (11\u201314 лет)\n" in out
    assert "СМИ" in out  # an abbreviation keeps its capitals in a list
    # Latin letters only in ids (of populations, warnings), clause references and the name
    # of the tool — and in the proper names of catalogue programmes, whose lines are
    # otherwise in Russian.
    named = [line for line in out.splitlines() if line.startswith("      · ")]
    assert named and all("рекомендуется" in n or "перспективная" in n for n in named)
    words = set(ASCII_WORD.findall(_without_programme_lines(out)))
    assert words <= IDS, words


def test_recommend_table_in_chinese_lists_labels_the_chinese_way(
    population_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, "recommend", str(population_file), "--format", "table", "--lang", "zh")[1]
    assert "Школьники（pupils；12–15 岁；12,000 人）" in out
    assert "  - 风险因素：同伴影响 [VI-1.2.5] 40%" in out
    assert "家庭、学校和其他教育机构" in out
    assert set(ASCII_WORD.findall(_without_programme_lines(out))) <= IDS


def test_recommend_table_in_english_names_stages_and_settings(
    population_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table is for reading: age stages (with their ages), settings, factors and the
    strategies an intervention delivers are named, not given as ids (JSON and CSV keep
    the ids)."""
    out = _run(capsys, "recommend", str(population_file), "--format", "table")[1]
    assert "Школьники  (pupils; ages 12-15; 12,000 people)" in out
    assert "  - risk peer influence [VI-1.2.5] 40%" in out
    assert "  - weak resource supportive parenting [VI-1.3.2] 10%" in out
    assert "Age stages: early adolescence (11\u201314)\n" in out
    assert "Settings: family and home, school and other educational institutions, " in out
    assert "     Delivered in: " in out
    for word in ("early_adolescence", "work_with_parents", "health_services"):
        assert word not in out


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "Recommending [##########----------]  50% (5/10)\n"),
        ("ru", f"Подбор рекомендаций [##########----------] 50{NBSP}% (5/10)\n"),
        ("zh", "正在生成建议 [##########----------]  50% (5/10)\n"),
    ],
)
def test_the_progress_bar_writes_the_share_as_the_language_does(
    lang: str, line: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from prevplan.i18n import _

    with use_language(lang):
        progress = Progress(10, _("Recommending"), threshold=1)
        progress.tty = False
        progress.update(5)
    assert capsys.readouterr().err == line


# --- the export helpers' problems -------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_missing_browser_is_reported_in_the_language(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "_find_browser", lambda: None)
    with use_language(lang):
        problem = images.browser_problem()
        assert problem is not None
        text = str(problem)
        # The worker thread that draws a report's charts speaks the caller's language too.
        job = images.ChartJob(timeout=30)
        job.draw({})
        with pytest.raises(ProblemsError) as raised:
            job.images()
    assert str(raised.value) == text
    said = {"ru": "Chrome или Chromium не найден", "zh": "未找到 Chrome 或 Chromium"}
    assert said[lang] in text and SCRIPT[lang].search(text)
    assert "could not draw" not in text and "needs" not in text
    english = str(images.browser_problem())
    assert (
        "could not draw the charts (no Chrome or Chromium found); prevplan needs Chromium"
        in english
    )


@pytest.mark.parametrize("lang", LANGS)
def test_a_browser_that_is_not_there_or_does_not_answer_is_reported_in_the_language(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(images, "_find_browser", lambda: str(tmp_path / "chromium"))
    with use_language(lang):
        text = str(images.browser_problem())
        job = images.ChartJob(timeout=0.01)
        job._drawing = True  # the figures were handed over; nothing answers
        with pytest.raises(ProblemsError) as raised:
            job.images()
    assert str(tmp_path / "chromium") in text and SCRIPT[lang].search(text)
    assert "no browser at" not in text
    assert {"ru": "не ответил за 0\u00a0с", "zh": "在 0 秒内没有响应"}[lang] in str(raised.value)
    assert "did not answer" not in str(raised.value)


@pytest.mark.parametrize("lang", LANGS)
def test_missing_fonts_are_reported_in_the_language(
    lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(FONT_DIR_ENV, str(tmp_path))
    monkeypatch.setattr("prevplan.export.fonts._SYSTEM_DIRS", ())
    with use_language(lang):
        problems = missing_fonts()
    assert problems
    text = str(problems[0])
    assert "fonts-dejavu-core" in text and f"${FONT_DIR_ENV}" in text and str(tmp_path) in text
    assert SCRIPT[lang].search(text) and "install" not in text and "not found" not in text
    english = str(missing_fonts()[0])
    assert f"font not found in {tmp_path}; install the Debian package fonts-dejavu-core" in english


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_export_format_is_named_in_the_language(lang: str) -> None:
    rules: RuleSet = load_rules()
    plan = read_plan(SAMPLE_PLAN, rules)
    with use_language(lang), pytest.raises(ValueError) as raised:
        export_plan(plan, "odt", rules)  # type: ignore[arg-type]
    assert "'odt'" in str(raised.value) and SCRIPT[lang].search(str(raised.value))
    with pytest.raises(ValueError, match="unknown export format 'odt'; expected one of pdf"):
        export_plan(plan, "odt", rules)  # type: ignore[arg-type]
