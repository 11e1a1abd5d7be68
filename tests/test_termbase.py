"""The termbase (``concept_rules/termbase.yaml``) holds over every Russian and Chinese text.

Texts checked: the gettext catalogues ``src/prevplan/locale/{ru,zh}/LC_MESSAGES/prevplan.po``
and the concept's content ``concept_rules/translations/{ru,zh}.yaml``. For each text:

- no forbidden form of any term appears;
- where the English names a term, the translation uses the term's one chosen form;
- house punctuation: Russian «» quotes, a non-breaking space before units (%, МБ, с) and
  before a dash; Chinese full-width punctuation, “ ” quotes, —— without spaces;
- a count directly before a Russian noun comes from ngettext (or is written «Label: {n}").

Each failure names the file, the message (msgid, or section/id/field of the YAML), the
offending form and the expected one, so that whoever added the message can fix it at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po

from prevplan.i18n import catalogue_path
from prevplan.rules import load_rules
from prevplan.rules.translations import english_texts, translated_texts

ROOT = Path(__file__).resolve().parent.parent
TERMBASE = ROOT / "concept_rules" / "termbase.yaml"
LANGS = ("ru", "zh")
SOURCE_KINDS = {"convention", "standards", "sco", "decision"}
NBSP = "\u00a0"

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rs])?(?::[^}]*)?\}|%\(\w+\)[sdfr]|%[sd]")
_CODE = re.compile(r"`[^`]*`")
_CJK = "\u4e00-\u9fff"


@dataclass(frozen=True)
class Text:
    """One translated text beside its English: a catalogue message or a YAML field."""

    file: str
    where: str
    english: str
    translation: str
    lang: str
    plural: bool = False


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def catalogue_texts(lang: str) -> Iterator[Text]:
    path = catalogue_path(lang)
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    shown = str(path.relative_to(ROOT))
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple | list):
            english = "\n".join(message.id)
            strings = (
                tuple(message.string)
                if isinstance(message.string, tuple | list)
                else (message.string,)
            )
            translation = "\n".join(s for s in strings if s)
            where = f'msgid "{_short(message.id[0])}"'
            yield Text(shown, where, english, translation, lang, plural=True)
        else:
            where = f'msgid "{_short(message.id)}"'
            yield Text(shown, where, message.id, str(message.string), lang)


def rule_texts(lang: str) -> Iterator[Text]:
    rules = load_rules()
    english = english_texts(rules.files)
    translation = rules.files.translations.get(lang)
    if translation is None:
        return
    shown = f"concept_rules/translations/{lang}.yaml"
    for key, text in translated_texts(translation).items():
        section, item_id, field = key
        yield Text(shown, f"{section} {item_id} {field}", english.get(key, ""), text, lang)


@cache
def all_texts(lang: str) -> tuple[Text, ...]:
    return (*catalogue_texts(lang), *rule_texts(lang))


@cache
def termbase() -> dict[str, Any]:
    data = yaml.safe_load(TERMBASE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _plain(text: str) -> str:
    """The text without placeholders and `code`, which are not language."""
    return _PLACEHOLDER.sub(" ", _CODE.sub(" ", text))


def _pattern(regex: str) -> re.Pattern[str]:
    return re.compile(regex, re.IGNORECASE)


# -- the checks, each a function from one text to its problems ---------------------------------


def forbidden_problems(text: Text, terms: list[dict[str, Any]]) -> list[str]:
    found = []
    plain = _plain(text.translation)
    for term in terms:
        for rule in (term.get("forbidden") or {}).get(text.lang, []):
            if "when_en" in rule and not _pattern(rule["when_en"]).search(text.english):
                continue
            hit = _pattern(rule["form"]).search(plain)
            if hit:
                found.append(
                    f"{text.file}: {text.where}: forbidden «{hit.group(0)}» ({rule['why']}); "
                    f"expected «{term[text.lang]}» [term {term['id']}]"
                )
    return found


def chosen_form_problems(text: Text, terms: list[dict[str, Any]]) -> list[str]:
    found = []
    english, translation = _plain(text.english), _plain(text.translation)
    for term in terms:
        match = term.get("match") or {}
        if "en" not in match or text.lang not in match:
            continue
        en_hits = _pattern(match["en"]).findall(english)
        if not en_hits:
            continue
        tr_hits = _pattern(match[text.lang]).findall(translation)
        wanted = len(en_hits) if term.get("same_count") else 1
        if len(tr_hits) < wanted:
            times = f" {wanted} times, as the English does" if wanted > 1 else ""
            found.append(
                f"{text.file}: {text.where}: the English says '{term['en']}' but the "
                f"translation does not use «{term[text.lang]}»{times} "
                f"(pattern {match[text.lang]!r}) [term {term['id']}]"
            )
    return found


_RU_ASCII_QUOTES = re.compile(r"(?<![\w])'[^'\n]+'(?![\w])|\"[^\"\n]+\"|“[^”\n]*”")
_RU_UNIT = re.compile(r"(?<=[\d}])( ?)(%|МБ|КБ|ГБ)(?!\w)|(?<=[\d}])( )(с|мин)(?=[.,;:)]|$)")
_RU_DASH = re.compile(r"(?<=[^\s\u00a0(«„]) —")
_ZH_ASCII_QUOTES = re.compile(r"(?<![\w])'[^'\n]+'(?![\w])|\"[^\"\n]+\"|«[^»\n]*»")
_ZH_ASCII_PUNCT = re.compile(
    rf"[{_CJK}][,;:!?]|[,;!?][{_CJK}]|[{_CJK}]\.(?=\s|$)|[{_CJK}]\(|\)[{_CJK}]"
    rf"|\([^()]*[{_CJK}][^()]*\)"
)
_ZH_SPACED_DASH = re.compile(r" ——|—— ")
_FULL_WIDTH = {
    ",": "，",
    ";": "；",
    ":": "：",
    "!": "！",
    "?": "？",
    ".": "。",
    "(": "（",
    ")": "）",
}


def punctuation_problems(text: Text) -> list[str]:
    found = []
    raw = text.translation
    plain = _PLACEHOLDER.sub("{}", _CODE.sub("``", raw))
    head = f"{text.file}: {text.where}"
    if text.lang == "ru":
        for hit in _RU_ASCII_QUOTES.finditer(plain):
            found.append(f"{head}: quotes «{hit.group(0)}»; expected «{hit.group(0)[1:-1]}»")
        for hit in _RU_UNIT.finditer(raw):
            space, unit = (hit.group(1), hit.group(2)) if hit.group(2) else hit.group(3, 4)
            found.append(
                f"{head}: «{space}{unit}» after a number; expected a non-breaking space "
                f"(U+00A0) before «{unit}»"
            )
        for hit in _RU_DASH.finditer(raw):
            before = raw[max(0, hit.start() - 12) : hit.end() + 1]
            found.append(
                f"{head}: «…{before}…» has an ordinary space before the dash; expected a "
                "non-breaking space (U+00A0) before «—»"
            )
    else:
        for hit in _ZH_ASCII_QUOTES.finditer(plain):
            found.append(f"{head}: quotes {hit.group(0)}; expected “{hit.group(0)[1:-1]}”")
        for hit in _ZH_ASCII_PUNCT.finditer(plain):
            mark = next(c for c in hit.group(0) if c in _FULL_WIDTH)
            expected = _FULL_WIDTH[mark]
            found.append(f"{head}: half-width «{hit.group(0)}» in Chinese; expected «{expected}»")
        for hit in _ZH_SPACED_DASH.finditer(raw):
            found.append(f"{head}: «{hit.group(0)}»; expected «——» without spaces")
    return found


def _count_placeholders(english: str, nouns: list[str]) -> set[str]:
    """Placeholders of the English that count a following noun: ``{n} target populations``."""
    alternatives = "|".join(re.escape(n) for n in sorted(nouns, key=len, reverse=True))
    pattern = re.compile(rf"\{{(\w+)\}}\s+(?:[a-z-]+\s+){{0,2}}?(?:{alternatives})\b")
    return set(pattern.findall(english))


_RU_PREPOSITIONS = {"из", "в", "на", "с", "со", "по", "до", "от", "к", "и", "или", "—"}


def plural_problems(text: Text, nouns: list[str], invariant: list[str]) -> list[str]:
    """A count right before a noun in a message without plural forms (Russian)."""
    if text.lang != "ru" or text.plural or not text.file.endswith(".po"):
        return []
    found = []
    for name in sorted(_count_placeholders(text.english, nouns)):
        for hit in re.finditer(rf"\{{{name}\}}[ \u00a0]+(\S+)", text.translation):
            word = hit.group(1)
            if word in invariant or word in _RU_PREPOSITIONS or not re.match(r"[а-яё]", word, re.I):
                continue
            found.append(
                f"{text.file}: {text.where}: «{hit.group(0)}» puts a count before a noun in a "
                "message without plural forms; expected ngettext() in the code (three Russian "
                f"forms), or the label first: «…: {{{name}}}», or «{{{name}}} чел.»"
            )
    return found


# -- the termbase itself ------------------------------------------------------------------------


def _source_problems(term: dict[str, Any], where: str) -> list[str]:
    """Every field present, and a source of a known kind with its ref or reason."""
    problems = [
        f"{where}: missing '{f}'" for f in ("id", "en", "ru", "zh", "source") if not term.get(f)
    ]
    source = term.get("source") or {}
    if source.get("kind") not in SOURCE_KINDS:
        problems.append(f"{where}: source.kind must be one of {sorted(SOURCE_KINDS)}")
    if source.get("kind") == "decision" and not source.get("reason"):
        problems.append(f"{where}: a decision needs a reason")
    if source.get("kind") in SOURCE_KINDS - {"decision"} and not source.get("ref"):
        problems.append(f"{where}: source.ref missing")
    return problems


def _pattern_problems(term: dict[str, Any], where: str) -> list[str]:
    """Patterns that compile; chosen forms that match their own pattern and are not forbidden."""
    match = term.get("match") or {}
    forbidden = term.get("forbidden") or {}
    rules = [r for lang_rules in forbidden.values() for r in lang_rules]
    problems = [f"{where}: a forbidden form needs 'why'" for r in rules if not r.get("why")]
    patterns = [
        *match.values(),
        *(r["form"] for r in rules),
        *(r.get("when_en", "") for r in rules),
    ]
    for regex in patterns:
        try:
            re.compile(regex)
        except re.error as exc:
            problems.append(f"{where}: bad pattern {regex!r}: {exc}")
    for lang in LANGS:
        chosen = term.get(lang) or ""
        if lang in match and not _pattern(match[lang]).search(chosen):
            problems.append(f"{where}: the chosen {lang} form does not match its own pattern")
        if any(_pattern(r["form"]).search(chosen) for r in forbidden.get(lang, [])):
            problems.append(f"{where}: the chosen {lang} form is itself forbidden")
    return problems


def test_termbase_is_complete_and_well_formed() -> None:
    """At least the 40 terms a planner meets, each with its forms, valid patterns and source."""
    terms = termbase()["terms"]
    assert len(terms) >= 40, f"{TERMBASE}: {len(terms)} terms; expected at least 40"
    ids = [t.get("id") for t in terms]
    problems = [f"duplicate term id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for term in terms:
        where = f"{TERMBASE.name}: term {term.get('id')}"
        problems += _source_problems(term, where) + _pattern_problems(term, where)
    assert not problems, "\n".join(problems)


def test_checks_catch_what_they_should() -> None:
    """Each check flags a known-bad text and passes its corrected form."""
    terms = termbase()["terms"]
    nouns = termbase()["count_nouns"]
    invariant = termbase()["invariant_after_count"]["ru"]

    def text(english: str, translation: str, lang: str) -> Text:
        return Text("x.po", 'msgid "x"', english, translation, lang)

    assert forbidden_problems(text("Narcology", "麻醉学", "zh"), terms)
    assert not forbidden_problems(text("Narcology", "成瘾医学", "zh"), terms)
    assert chosen_form_problems(
        text("brief intervention", "краткосрочное вмешательство", "ru"), terms
    )
    assert not chosen_form_problems(
        text("brief intervention", "краткое вмешательство", "ru"), terms
    )
    psychiatrists = "psychiatrists and psychiatrists"
    assert chosen_form_problems(text(psychiatrists, "психиатры и психологи", "ru"), terms)
    assert not chosen_form_problems(text(psychiatrists, "психиатры и психиатры", "ru"), terms)
    assert punctuation_problems(text("x", "лист 'Целевые группы'", "ru"))
    assert punctuation_problems(text("x", "30 %", "ru"))
    assert punctuation_problems(text("x", "охват — доля", "ru"))
    assert not punctuation_problems(
        text("x", "лист «Целевые группы»: 30\u00a0%, охват\u00a0— доля", "ru")
    )
    assert punctuation_problems(text("x", "文件:无效", "zh"))
    assert punctuation_problems(text("x", "工作表 'Populations'", "zh"))
    assert not punctuation_problems(text("x", "文件：无效，工作表“人群”", "zh"))
    counted = text("{n} warnings", "{n} предупреждений", "ru")
    assert plural_problems(counted, nouns, invariant)
    assert not plural_problems(text("{n} warnings", "Предупреждений: {n}", "ru"), nouns, invariant)
    assert not plural_problems(text("{n} people", "{n} чел.", "ru"), nouns, invariant)


# -- the texts ------------------------------------------------------------------------------


def _report(problems: list[str], what: str) -> str:
    return f"{len(problems)} {what}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_no_forbidden_form(lang: str) -> None:
    terms = termbase()["terms"]
    problems = [p for t in all_texts(lang) for p in forbidden_problems(t, terms)]
    assert not problems, _report(problems, "forbidden forms")


@pytest.mark.parametrize("lang", LANGS)
def test_each_term_has_its_chosen_form(lang: str) -> None:
    terms = termbase()["terms"]
    problems = [p for t in all_texts(lang) for p in chosen_form_problems(t, terms)]
    assert not problems, _report(problems, "terms not in their chosen form")


@pytest.mark.parametrize("lang", LANGS)
def test_house_punctuation(lang: str) -> None:
    problems = [p for t in all_texts(lang) for p in punctuation_problems(t)]
    assert not problems, _report(problems, "punctuation problems")


def test_counts_before_nouns_have_plural_forms() -> None:
    data = termbase()
    nouns, invariant = data["count_nouns"], data["invariant_after_count"]["ru"]
    problems = [p for t in all_texts("ru") for p in plural_problems(t, nouns, invariant)]
    assert not problems, _report(problems, "counts without plural forms")
