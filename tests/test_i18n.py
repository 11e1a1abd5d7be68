"""prevplan speaks English, Russian and Chinese: message catalogues, plural rules, numbers,
the concept's content in translation, and the ``--lang`` option of the command line."""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog

from prevplan.cli import main
from prevplan.i18n import (
    _,
    catalogue_path,
    current_language,
    extract_python,
    format_money,
    format_number,
    format_percent,
    ngettext,
    reload_catalogues,
    use_language,
)
from prevplan.io.populations import read_populations
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.loader import load_rules_uncached
from prevplan.rules.models import ENTITY_SECTIONS, Kind
from tests.rule_files import break_russian_translation, copy_rules

ROOT = Path(__file__).resolve().parent.parent
OTHER_LANGUAGES = ("ru", "zh")
NBSP = "\u00a0"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
CJK = re.compile(r"[\u4e00-\u9fff]")
SCRIPT_OF = {"ru": CYRILLIC, "zh": CJK}
PLURAL = ("{n} problem found.", "{n} problems found.")


def _update_script() -> ModuleType:
    """scripts/update_catalogues.py, the one place that knows how messages are extracted."""
    path = ROOT / "scripts" / "update_catalogues.py"
    spec = importlib.util.spec_from_file_location("update_catalogues", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("update_catalogues", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def catalogues() -> ModuleType:
    return _update_script()


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory, catalogues: ModuleType) -> Catalog:
    """The messages of the code as it is now, extracted afresh."""
    path = tmp_path_factory.mktemp("extract") / "prevplan.pot"
    catalogues.extract(path)
    template: Catalog = catalogues.read(path)
    return template


# --- message catalogues -----------------------------------------------------------------


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_catalogue_holds_exactly_the_messages_of_the_code_all_translated(
    lang: str, catalogues: ModuleType, fresh_template: Catalog
) -> None:
    """Every message the code shows is in the catalogue, translated and not fuzzy; no message
    the code no longer shows is left behind. Fix: `uv run python scripts/update_catalogues.py`,
    then translate what it lists."""
    assert len(catalogues.message_ids(fresh_template)) > 50
    problems = catalogues.problems(fresh_template, lang)
    assert problems == [], "\n".join(problems)


def test_template_is_up_to_date(catalogues: ModuleType, fresh_template: Catalog) -> None:
    """The committed prevplan.pot is what extraction gives today."""
    committed = catalogues.read(catalogues.TEMPLATE)
    expected = catalogues.message_ids(fresh_template)
    assert catalogues.message_ids(committed) == expected


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_translations_keep_their_placeholders(lang: str, catalogues: ModuleType) -> None:
    """`{level}`, `{n}` … survive translation, or `.format()` would fail at run time."""
    catalog = catalogues.read(catalogue_path(lang), lang)
    wrong = []
    for message in catalog:
        if not message.id or message.fuzzy:  # a fuzzy guess is not shown (and is reported)
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"\{[a-z_]*\}", ids[-1]))
        wrong += [(ids[0], s) for s in strings if set(re.findall(r"\{[a-z_]*\}", s)) != expected]
    assert wrong == []


def test_extraction_finds_messages_inside_f_strings() -> None:
    """Before Python 3.12 Babel's tokenizer cannot see into f-strings; prevplan's extractor can."""
    source = (
        b"x = f\"{_('Size'):>9} {i18n._('Reach')}\"\n"
        b'y = ngettext("{n} row", "{n} rows", n, lang)\n'
        b"z = _(label)\n"
        b'w = N_("Kept " "together")\n'
    )
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = list(extract_python(io.BytesIO(source), keywords, (), {}))
    assert [(line, name, message) for line, name, message, _ in found] == [
        (1, "_", "Size"),
        (1, "_", "Reach"),
        (2, "ngettext", ("{n} row", "{n} rows", None, None)),
        (4, "N_", "Kept together"),
    ]


def test_no_compiled_catalogue_is_kept() -> None:
    """Translators edit .po files; nothing generated lives beside them."""
    assert list((ROOT / "src" / "prevplan" / "locale").rglob("*.mo")) == []


def test_messages_are_translated_and_english_is_unchanged() -> None:
    assert _("Warnings:", "en") == "Warnings:"
    assert _("Warnings:", "ru") == "Предупреждения:"
    assert _("Warnings:", "zh") == "警示："
    assert _("a message no catalogue has", "ru") == "a message no catalogue has"
    assert _("Warnings:", "xx") == "Warnings:"


def test_use_language_sets_the_language_for_a_block_only() -> None:
    assert current_language() == "en"
    with use_language("ru"):
        assert current_language() == "ru"
        assert _("Warnings:") == "Предупреждения:"
        with use_language("zh"):
            assert _("Warnings:") == "警示："
        assert _("Warnings:", "en") == "Warnings:"
    assert current_language() == "en"
    with use_language("xx"):
        assert current_language() == "en"


@pytest.mark.parametrize(("n", "form"), [(1, 0), (3, 1), (5, 2), (11, 2), (21, 0), (22, 1), (0, 2)])
def test_russian_has_three_plural_forms(n: int, form: int, catalogues: ModuleType) -> None:
    """1 проблема, 3 проблемы, 5 проблем: the form follows the number's last digits."""
    catalog = catalogues.read(catalogue_path("ru"), "ru")
    assert catalog.num_plurals == 3
    forms = catalog[PLURAL[0]].string
    assert len(forms) == 3
    assert ngettext(*PLURAL, n, lang="ru") == forms[form]
    assert ngettext(*PLURAL, n, lang="ru").format(n=n).startswith(("Найден", "Найдено"))


@pytest.mark.parametrize("n", [1, 3, 5])
def test_chinese_has_one_plural_form(n: int, catalogues: ModuleType) -> None:
    catalog = catalogues.read(catalogue_path("zh"), "zh")
    assert catalog.num_plurals == 1
    assert ngettext(*PLURAL, n, lang="zh") == catalog[PLURAL[0]].string[0]


def test_english_plurals_need_no_catalogue() -> None:
    assert ngettext(*PLURAL, 1, lang="en") == PLURAL[0]
    assert ngettext(*PLURAL, 2, lang="en") == PLURAL[1]


def test_fuzzy_and_empty_translations_fall_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A guess the translator has not checked is never shown."""
    po = tmp_path / "ru" / "LC_MESSAGES" / "prevplan.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
        'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "Checked"\nmsgstr "Проверено"\n\n'
        '#, fuzzy\nmsgid "Guessed"\nmsgstr "Догадка"\n\n'
        'msgid "Empty"\nmsgstr ""\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("prevplan.i18n.LOCALE_DIR", tmp_path)
    reload_catalogues()
    try:
        assert _("Checked", "ru") == "Проверено"
        assert _("Guessed", "ru") == "Guessed"
        assert _("Empty", "ru") == "Empty"
    finally:
        monkeypatch.undo()
        reload_catalogues()


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "number", "percent", "money"),
    [
        ("en", "12,345", "26%", "1,234.50"),
        ("ru", f"12{NBSP}345", f"26{NBSP}%", f"1{NBSP}234,50"),
        ("zh", "12,345", "26%", "1,234.50"),
    ],
)
def test_numbers_are_written_as_the_reader_writes_them(
    lang: str, number: str, percent: str, money: str
) -> None:
    assert format_number(12345, lang) == number
    assert format_percent(0.256, lang) == percent
    assert format_money(1234.5, lang) == money


def test_number_helpers_follow_the_current_language() -> None:
    with use_language("ru"):
        assert format_number(1234567) == f"1{NBSP}234{NBSP}567"
        assert format_number(0.5, decimals=2) == "0,50"
        assert format_percent(0.1234, decimals=1) == f"12,3{NBSP}%"
        assert format_money(10, currency="RUB") == f"10,00{NBSP}₽"
    assert format_number(1234567) == "1,234,567"


# --- the concept's content ------------------------------------------------------------------


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_text_of_the_concept_is_translated(rules: RuleSet, lang: str) -> None:
    """Every entity, Annex V focus area and item, clause, warning and Standards item has its
    label (and description, text, explanation …) in the language; Annex VI's clause text too."""
    missing = [" ".join(key) for key in rules.missing_translations(lang)]
    assert missing == []


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_every_label_is_in_the_languages_own_script(rules: RuleSet, lang: str) -> None:
    script = SCRIPT_OF[lang]
    kinds: list[tuple[str, list[str]]] = [
        (section, rules.ids(kind)) for kind, section in ENTITY_SECTIONS.items()
    ]
    kinds += [
        ("action_items", list(rules.action_items)),
        ("focus_areas", list(rules.focus_areas)),
        ("clauses", list(rules.clauses)),
        ("warnings", list(rules.warning_definitions)),
        ("standards_items", list(rules.standards)),
    ]
    untranslated = []
    for section, ids in kinds:
        field = "title" if section == "warnings" else "label"
        for item_id in ids:
            text = rules.translated(section, item_id, field, lang)
            if not rules.has_translation(section, item_id, field, lang) or not script.search(text):
                untranslated.append(f"{section} {item_id}")
    assert untranslated == []


def test_translated_falls_back_to_english_and_knows_kinds(rules: RuleSet) -> None:
    assert rules.translated(Kind.STRATEGY, "work_with_parents", "label", "ru") == (
        "Работа с родителями"
    )
    assert rules.translated("strategy", "work_with_parents", "label", "zh") == "家长工作"
    assert rules.translated("levels", "symptomatic", "label", "ru") == "Индикативная профилактика"
    assert rules.translated("levels", "universal", "label", "zh") == "普遍性预防"
    assert rules.translated("levels", "selective", "label", "en") == "Selective prevention"
    with use_language("ru"):
        assert rules.translated("warnings", "single_strategy", "title") == "Только одна стратегия"
    # Annex IV's paragraphs are not translated: English is shown.
    english = rules.translated("clauses", "IV-prevention", "paragraphs#1", "en")
    assert rules.translated("clauses", "IV-prevention", "paragraphs#1", "ru") == english
    assert not rules.has_translation("clauses", "IV-prevention", "paragraphs#1", "ru")
    with pytest.raises(KeyError):
        rules.translated("strategies", "no_such_strategy", "label", "ru")


def test_source_text_is_marked_as_prevplans_unofficial_translation(rules: RuleSet) -> None:
    """Users must tell the SCO's text from prevplan's words, also in translation."""
    assert rules.is_source_text("clauses", "bullets#3")
    assert rules.is_source_text(Kind.ACTION_ITEM, "text")
    assert not rules.is_source_text("clauses", "label")
    assert not rules.is_source_text("warnings", "title")
    bullet = rules.ref_text_in("VI-4.3.2#3", "ru")
    assert bullet is not None and bullet.startswith("усилить контроль")
    assert rules.ref_text("VI-4.3.2#3") == rules.ref_text_in("VI-4.3.2#3", "en")
    assert rules.ref_label_in("V-3.5", "zh") == "学校和课外预防；青年休闲和休闲场所"
    whole = rules.ref_text_in("VI-T1", "ru")
    assert whole is not None and "Лечение и ресоциализация" in whole
    # The English sources themselves stay verbatim.
    assert rules.ref_text("V-3.5") == rules.action_items["V-3.5"].text


def test_translation_files_are_checked_and_every_problem_is_reported(tmp_path: Path) -> None:
    rules_dir = copy_rules(tmp_path)
    break_russian_translation(rules_dir)
    with pytest.raises(ProblemsError) as caught:
        load_rules_uncached(rules_dir)
    found = "\n".join(str(p) for p in caught.value.problems)
    assert "levels universel" in found and "unknown id in levels 'universel'" in found
    assert "unknown action item 'V-9.9'" in found
    assert "clauses VI-4.1.2: field 'unofficial_bullets': expected 3 entries" in found
    assert "warnings single_strategy: field 'explanation': placeholders must match" in found
    assert len(caught.value.problems) == 4


def test_a_translation_file_must_name_a_language_prevplan_speaks(tmp_path: Path) -> None:
    rules_dir = copy_rules(tmp_path)
    (rules_dir / "translations" / "de.yaml").write_text("language: de\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_rules_uncached(rules_dir)
    assert [p.message for p in caught.value.problems] == [
        "unknown language 'de': name the file after one of ru, zh"
    ]


def test_relation_and_crosswalk_justifications_are_translated_and_checked(
    rules: RuleSet, tmp_path: Path
) -> None:
    """Why prevplan infers a link is prevplan's own words: translated, keyed by the relation."""
    link = next(
        link
        for link in rules.related(Kind.STRATEGY, Kind.LEVEL, "life_skills")
        if link.object == "selective"
    )
    assert rules.justification(link, "en") == link.relation.justification
    russian = rules.justification(link, "ru")
    assert russian is not None and CYRILLIC.search(russian)
    assert CJK.search(rules.translated("crosswalk", "strategy:information", "justification", "zh"))
    rules_dir = copy_rules(tmp_path)
    ru = rules_dir / "translations" / "ru.yaml"
    text = ru.read_text(encoding="utf-8")
    text = text.replace('    "life_skills/selective":', '    "life_skills/nobody":', 1)
    text = text.replace('  "strategy:information":', '  "strategy:informaton":', 1)
    ru.write_text(text, encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        load_rules_uncached(rules_dir)
    found = "\n".join(str(p) for p in caught.value.problems)
    assert (
        "unknown relation (relation file:subject/object) 'strategy_level:life_skills/nobody'"
        in (found)
    )
    assert "unknown crosswalk entry 'strategy:informaton'" in found


def test_a_typo_in_a_translation_field_is_a_problem(tmp_path: Path) -> None:
    rules_dir = copy_rules(tmp_path)
    ru = rules_dir / "translations" / "ru.yaml"
    ru.write_text(
        ru.read_text(encoding="utf-8").replace("description:", "descripton:", 1), encoding="utf-8"
    )
    with pytest.raises(ProblemsError) as caught:
        load_rules_uncached(rules_dir)
    assert any("descripton" in str(p) and "unknown field" in str(p) for p in caught.value.problems)


def test_rules_load_without_translations(tmp_path: Path) -> None:
    """The translations folder is optional: everything then shows in English."""
    rules_dir = copy_rules(tmp_path)
    shutil.rmtree(rules_dir / "translations")
    rules = load_rules_uncached(rules_dir)
    assert rules.translated("strategies", "life_skills", "label", "ru") == "Life skills development"
    assert len(rules.missing_translations("ru")) > 400


# --- command line -------------------------------------------------------------------------


@pytest.fixture
def population_file(tmp_path: Path) -> Path:
    path = tmp_path / "populations.yaml"
    path.write_text(
        "- {id: teens, name: Pupils, age_min: 12, age_max: 15, size: 12000,\n"
        "   risk_factors: {peers: 0.4, family: 0.2}}\n",
        encoding="utf-8",
    )
    return path


def test_cli_speaks_russian_with_lang_ru(
    population_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["recommend", str(population_file), "--format", "table", "--lang", "ru"])
    out = capsys.readouterr().out
    assert code == 0
    assert CYRILLIC.search(out)
    assert "Уровень профилактики:" in out
    assert current_language() == "en"


def test_cli_takes_lang_before_the_command_or_from_the_environment(
    population_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["--lang", "zh", "recommend", str(population_file), "--format", "table"]) == 0
    assert "预防层级：" in capsys.readouterr().out
    monkeypatch.setenv("PREVPLAN_LANG", "ru")
    assert main(["recommend", str(population_file), "--format", "table"]) == 0
    assert "Уровень профилактики:" in capsys.readouterr().out
    assert main(["recommend", str(population_file), "--format", "table", "--lang", "en"]) == 0
    assert "Prevention level:" in capsys.readouterr().out


def test_cli_counts_problems_with_the_plural_of_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    assert main(["rules", "check", "--rules", str(missing), "--lang", "ru"]) == 2
    assert capsys.readouterr().err.rstrip().endswith("Найдена 1 проблема.")
    assert main(["rules", "check", "--rules", str(missing)]) == 2
    assert capsys.readouterr().err.rstrip().endswith("1 problem found.")


def test_cli_reports_input_problems_in_the_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "populations.csv"
    bad.write_text(
        "id,age_min,age_max,size,risk_factors.peers\nteens,12,15,100,1.5\n", encoding="utf-8"
    )
    assert main(["recommend", str(bad), "--lang", "ru"]) != 0
    lines = [line for line in capsys.readouterr().err.splitlines() if "risk_factors.peers" in line]
    assert len(lines) == 1
    line = lines[0]
    assert str(bad) in line and "строка 1 (строка файла 2)" in line
    assert CYRILLIC.search(line) and "доля от 0 до 1" in line and "1.5" in line
    assert "expected" not in line and "row" not in line and "line" not in line
    with use_language("zh"), pytest.raises(ProblemsError) as raised:
        read_populations(bad)
    assert "0 到 1 之间的比例" in str(raised.value)
    assert main(["recommend", str(bad)]) != 0
    english = capsys.readouterr().err
    assert (
        "row 1 (line 2): field 'risk_factors.peers': expected a share from 0 to 1, got '1.5'"
        in (english)
    )


# --- analytics, assessment and the command line in other languages ------------------------

SAMPLE_PLAN = ROOT / "sample_data" / "national_plan.yaml"


@pytest.fixture(scope="module")
def sample_plan(rules: RuleSet) -> Plan:
    return read_plan(SAMPLE_PLAN, rules)


def test_analytics_tables_carry_the_rules_labels_in_the_language(
    rules: RuleSet, sample_plan: Plan
) -> None:
    """Labels come from the translated rules; English is the rules' own text, unchanged."""
    from prevplan.analytics import (
        action_item_frame,
        gap_frame,
        level_stage_frame,
        strategy_frame,
        warning_frame,
    )
    from prevplan.plan.assess import assess

    english = assess(sample_plan, rules)
    strategies = strategy_frame(english, rules)
    assert strategies["label"].tolist() == [s.label for s in rules.strategies.values()]
    items = action_item_frame(english, rules)
    assert items["label"].tolist() == [i.label for i in rules.action_items.values()]
    with use_language("ru"):
        russian = assess(sample_plan, rules)
        for frame, column in (
            (strategy_frame(russian, rules), "label"),
            (level_stage_frame(russian, rules), "level_label"),
            (level_stage_frame(russian, rules), "stage_label"),
            (action_item_frame(russian, rules), "label"),
            (action_item_frame(russian, rules), "focus_area_label"),
            (warning_frame(russian, rules), "title"),
            (gap_frame(russian, rules, sample_plan), "clause_label"),
            (gap_frame(russian, rules, sample_plan), "subject_label"),
        ):
            assert all(CYRILLIC.search(v) for v in frame[column]), column
        assert "Работа с родителями" in strategy_frame(russian, rules)["label"].tolist()


def test_warnings_explain_themselves_in_the_language(rules: RuleSet, sample_plan: Plan) -> None:
    from prevplan.plan.assess import REACH_RULE, assess

    english = assess(sample_plan, rules)
    assert english.reach_rule == REACH_RULE
    with use_language("zh"):
        chinese = assess(sample_plan, rules)
    assert CJK.search(chinese.reach_rule)
    assert [w.code for w in chinese.warnings] == [w.code for w in english.warnings]
    for warning in chinese.warnings:
        assert CJK.search(warning.message), warning.code
    explanation = rules.translated("warnings", "uncovered_population", "explanation", "zh")
    uncovered = next(w for w in chinese.warnings if w.code == "uncovered_population")
    assert uncovered.message.startswith(explanation.split("{population}")[0])
    for warning in english.warnings:
        definition = rules.warning_definitions[warning.code]
        assert warning.message.startswith(definition.explanation.split("{population}")[0])


@pytest.mark.parametrize("level", ["selective", "tertiary"])
def test_the_level_mismatch_names_the_level_in_the_language(rules: RuleSet, level: str) -> None:
    from prevplan.plan.assess import level_name

    assert level_name(level, rules) == level
    with use_language("ru"):
        assert level_name(level, rules) == rules.translated(Kind.LEVEL, level, "label", "ru")


def test_chart_text_and_numbers_follow_the_language(rules: RuleSet, sample_plan: Plan) -> None:
    from prevplan.analytics import dashboard_figures
    from prevplan.analytics.chart_labels import wrap_label
    from prevplan.plan.assess import assess

    with use_language("ru"):
        figures = dashboard_figures(assess(sample_plan, rules), rules, sample_plan)
    heatmap = figures["level_stage"]
    assert heatmap.layout.separators == f",{NBSP}"
    assert all(CYRILLIC.search(str(y)) for y in heatmap.data[0].y)
    cells = [a.text for a in heatmap.layout.annotations]
    assert any(t.endswith(f"{NBSP}%") for t in cells)
    assert f"100{NBSP}%" in heatmap.data[0].colorbar.ticktext
    reach = figures["reach_vs_target"]
    assert all(t.endswith(f"{NBSP}%") for t in reach.data[0].text)
    for name, figure in figures.items():
        assert CYRILLIC.search(figure.layout.title.text), name
    # Chinese has no spaces: labels still break into lines, evenly, never before punctuation.
    wrapped = wrap_label("治疗、重返社会与预防复发", 14)
    assert wrapped.count("<br>") == 1
    assert not any(line.startswith("、") for line in wrapped.split("<br>"))


def test_cli_tables_write_numbers_and_labels_in_the_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["assess", str(SAMPLE_PLAN), "--format", "table", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert f"3{NBSP}239{NBSP}000" in out
    assert "Селективная профилактика" in out and "Работа с родителями" in out
    assert main(["assess", str(SAMPLE_PLAN), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "3,239,000 people" in out and " selective " in out
    assert main(["rules", "check", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "有效" in out and "策略" in out


def test_the_charts_tool_bar_is_given_the_readers_words() -> None:
    """plotly's tooltips and notices come from prevplan's catalogue, through a plotly
    locale in the chart's config; English needs none."""
    from prevplan.analytics.charts import PLOTLY_WORDS, chart_config

    assert chart_config("en") == {"displaylogo": False}
    for lang in OTHER_LANGUAGES:
        config = chart_config(lang)
        assert config["locale"] == lang and config["displaylogo"] is False
        words = config["locales"][lang]["dictionary"]
        assert set(words) == set(PLOTLY_WORDS)
        assert all(SCRIPT_OF[lang].search(text) for text in words.values()), words
