"""The app in Russian and Chinese, in a real browser: every page opened by a shared link
(``?lang=ru``), its heading and landmarks in the language, no English left in the headings,
charts or page names, the language kept in the address when the user moves on, and a
screenshot of every page in each language kept for review (``artifacts/screenshots``).

English that may stay: the user's own data (the sample plan's name, its populations and
the workshop's scenarios), clause references, and the SCO's source text, which is shown in
its English with prevplan's translation beside it.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser

from prevplan.i18n import _, use_language
from prevplan.inventory.columns import ACTIVITIES, POPULATIONS
from prevplan.inventory.vocab import sheet_title
from prevplan.io.populations import read_populations
from prevplan.plan.io import read_plan
from prevplan.rules import load_rules
from prevplan.ui.plans import SAMPLE_PLAN, SAMPLE_POPULATIONS
from prevplan.ui.widgets import DOCUMENT_LANGUAGE
from tests.browser.conftest import SCREENSHOTS, App, Server, open_app, wait_idle

pytestmark = pytest.mark.browser

#: (screenshot name, URL path, English page title): every page of the app, in nav order.
PAGES = (
    ("1_start", "", "Start"),
    ("2_concept", "concept", "Concept explorer"),
    ("3_populations", "populations", "Populations & recommendations"),
    ("4_plan", "plan", "Plan"),
    ("5_dashboard", "dashboard", "Coverage dashboard"),
    ("6_tracker", "tracker", "Program of Actions tracker"),
    ("7_workshop", "workshop", "Workshop exercise"),
)
#: The landmark of the start page, whose own heading is the name "prevplan".
START_LANDMARK = (
    "Plan drug-use prevention on the SCO Concept on Preventing the Abuse of Narcotic Drugs "
    "and Psychotropic Substances."
)
LOCALES = {"ru": "ru-RU", "zh": "zh-CN"}
SCRIPT = {"ru": re.compile(r"[А-Яа-яЁё]"), "zh": re.compile(r"[\u4e00-\u9fff]")}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Clause references and codes, which are the same in every language.
REFERENCE = re.compile(r"\b(?:VI|IV|V)-[\w.#]+|\bUNODC\b|\bWHO\b|\bSCO\b|\bprevplan\b|\bPDF\b")

# Text of the page the checks read: headings, page names, tabs, metric labels, buttons,
# expanders, the charts' titles and axis titles and legends, widget labels and placeholders,
# captions, alerts, paragraphs and list items (not the quoted source text).
VISIBLE_TEXTS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  // The file uploader's own words are Streamlit's; the app restyles them (checked apart).
  // Quotes (blockquotes) are the SCO's source text, which stays in its English.
  const pick = (root, selector) =>
    [...root.querySelectorAll(selector)]
      .filter(e => !e.closest("[data-testid='stFileUploaderDropzone'], blockquote"))
      .map(e => e.innerText || e.textContent || "");
  return [
    ...pick(main, "h1, h2, h3, h4, h5"),
    ...pick(document, "[data-testid='stSidebarNav'] a"),
    ...pick(main, "[role='tab']"),
    ...pick(main, "[data-testid='stMetricLabel']"),
    ...pick(main, "button[data-testid^='stBaseButton']"),
    ...pick(main, "[data-testid='stExpander'] summary"),
    ...pick(main, ".js-plotly-plot .gtitle, .js-plotly-plot .xtitle, .js-plotly-plot .ytitle"),
    ...pick(main, ".js-plotly-plot .legendtext, .js-plotly-plot .legendtitletext"),
    ...pick(main, "[data-testid='stWidgetLabel'], [data-testid='stCaptionContainer']"),
    ...pick(main, "[data-testid='stAlert'], [data-testid='stMarkdownContainer'] p"),
    ...pick(main, "[data-testid='stMarkdownContainer'] li"),
    ...[...main.querySelectorAll("input[placeholder], textarea[placeholder]")]
      .map(e => e.getAttribute("placeholder") || ""),
  ].map(t => t.trim()).filter(t => t);
}"""


def data_words() -> set[str]:
    """English the user's data brings: names of the sample plan, its populations and
    activities, the workshop's scenarios (all shown as they were typed)."""
    rules = load_rules()
    plan = read_plan(SAMPLE_PLAN, rules)
    names = [plan.name, *(p.name or p.id for p in plan.populations)]
    names += [p.id for p in plan.populations]
    names += [a.name or a.id for a in plan.activities]
    names += [p.name or p.id for p in read_populations(SAMPLE_POPULATIONS)]
    return {word for name in names for word in LATIN_WORD.findall(name)}


def english_leftovers(texts: list[str], lang: str, allowed: set[str]) -> list[str]:
    """Texts with an English word that is neither data nor a reference, and none of the
    language's own script."""
    found = []
    for text in texts:
        bare = REFERENCE.sub("", text)
        words = [w for w in LATIN_WORD.findall(bare) if w not in allowed]
        if words and not SCRIPT[lang].search(bare):
            found.append(text)
    return found


@pytest.fixture(scope="module")
def allowed() -> set[str]:
    return data_words()


def in_language(
    chromium_browser: Browser, server: Server, lang: str, path: str = ""
) -> AbstractContextManager[App]:
    """The page at ``path`` opened by a link with ``?lang=``, in a browser of that language."""
    return open_app(chromium_browser, server, f"/{path}?lang={lang}", locale=LOCALES[lang])


def wait_for_document_language(app: App, tag: str) -> None:
    """The page's ``<html lang>`` becomes ``tag`` (set by a script the app sends with the
    page, which the browser runs a moment after drawing it)."""
    app.page.wait_for_function(
        "tag => document.documentElement.lang === tag", arg=tag, timeout=10_000
    )


FULL_HEIGHT_MAX = 12_000


def full_page_screenshot(app: App, name: str) -> None:
    """The whole page, not only the first screen: Streamlit scrolls an inner container, so
    the window is made as tall as the page for the picture (none when the page fits)."""
    viewport = app.page.viewport_size
    assert viewport is not None
    height = app.page.evaluate(
        "() => document.querySelector(\"[data-testid='stMain']\").scrollHeight"
    )
    (SCREENSHOTS / f"{name}.png").unlink(missing_ok=True)
    if height <= viewport["height"]:
        return
    app.page.set_viewport_size({"width": viewport["width"], "height": min(height, FULL_HEIGHT_MAX)})
    try:
        wait_until_drawn(app)
        app.page.wait_for_timeout(300)  # charts re-lay themselves out for the new size
        app.screenshot(name)
    finally:
        app.page.set_viewport_size(viewport)


def expected_heading(title: str, lang: str) -> str:
    with use_language(lang):
        return _(START_LANDMARK) if title == "Start" else _(title)


# effective coverage, level × stage, strategies, Annex V items, reach vs target, cost per person
DASHBOARD_CHARTS = 6
# Tables (Streamlit draws them on a canvas after the script ends) and charts drawn.
DRAWN = """() =>
  [...document.querySelectorAll("[data-testid='stDataFrame']")]
    .filter(e => e.offsetParent !== null && !e.closest("details:not([open])"))
    .every(e => e.querySelector("canvas"))
  && [...document.querySelectorAll(".js-plotly-plot")].every(e => e.querySelector(".gtitle"))
  && document.fonts.status === "loaded"
"""


def wait_until_drawn(app: App) -> None:
    """What the browser draws after the app has finished: tables, charts, fonts."""
    app.page.wait_for_function(DRAWN)
    wait_idle(app.page)


def wait_for_charts(app: App) -> None:
    """Open the dashboard's folded charts (a folded chart is not drawn), then wait until
    every chart has its title: plotly draws after the script has finished."""
    folded = app.page.locator("[data-testid='stExpander'] details:not([open]) summary").filter(
        has_text="📊"
    )
    app.page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .gtitle').length")
    wait_idle(app.page)
    for _n in range(DASHBOARD_CHARTS):
        if folded.count() == 0:
            break
        folded.first.click()
        wait_idle(app.page)
    app.page.wait_for_function(
        f"() => document.querySelectorAll('.js-plotly-plot .gtitle').length >= {DASHBOARD_CHARTS}"
    )


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_every_page_opens_in_the_language_of_the_link(
    chromium_browser: Browser, server: Server, lang: str, allowed: set[str]
) -> None:
    """``/<page>?lang=ru`` opens the page in Russian: heading, page names, tabs, metrics,
    buttons, charts — with no English left but data and references. Each page is
    photographed as ``artifacts/screenshots/<lang>_<n>_<page>.png``."""
    leftovers: dict[str, list[str]] = {}
    for name, path, title in PAGES:
        with in_language(chromium_browser, server, lang, path) as app:
            heading = expected_heading(title, lang)
            assert heading != title, f"{title!r} has no {lang} translation"
            app.page.get_by_text(heading, exact=False).first.wait_for(state="visible")
            assert app.page.locator("[data-testid='stException']").count() == 0
            with use_language(lang):
                assert app.page.get_by_text(_("Something went wrong on this page.")).count() == 0
                nav = app.page.locator("[data-testid='stSidebarNav']").get_by_role(
                    "link", name=_(title), exact=True
                )
            assert nav.count() == 1, f"{name}: the page's name in the sidebar"
            assert f"lang={lang}" in app.page.url
            # The page says which language it is in (screen readers, Chinese glyph forms).
            wait_for_document_language(app, DOCUMENT_LANGUAGE[lang])
            if path == "dashboard":
                wait_for_charts(app)
            wait_until_drawn(app)
            texts = app.page.evaluate(VISIBLE_TEXTS)
            assert any(SCRIPT[lang].search(t) for t in texts), name
            found = english_leftovers(texts, lang, allowed)
            if found:
                leftovers[name] = found
            assert app.screenshot(f"{lang}_{name}").stat().st_size > 0
            full_page_screenshot(app, f"{lang}_{name}_full")
    assert leftovers == {}


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_the_dashboards_charts_speak_the_language(
    chromium_browser: Browser, server: Server, lang: str
) -> None:
    """Chart titles, axes and legends are translated and numbers are written the reader's way."""
    with in_language(chromium_browser, server, lang, "dashboard") as app:
        wait_for_charts(app)
        titles = app.page.locator(".js-plotly-plot .gtitle").all_text_contents()
        assert len(titles) == DASHBOARD_CHARTS
        assert all(SCRIPT[lang].search(t) for t in titles), titles
        ticks = app.page.locator(".js-plotly-plot .ytick text").all_text_contents()
        assert any(SCRIPT[lang].search(t) for t in ticks), "category labels from the rules"
        bar_values = app.page.locator(".js-plotly-plot .bartext").all_text_contents()
        if lang == "ru":
            assert any("\u00a0" in v and "%" in v for v in bar_values), "26 % in Russian"
            assert any(re.fullmatch(r"\d{1,3}(?:\u00a0\d{3})+", v) for v in bar_values)
        else:
            assert any(re.fullmatch(r"\d{1,3}(?:,\d{3})+", v) for v in bar_values)
        # The headline metrics include people counts in thousands, written the reader's way.
        metrics = app.page.locator("[data-testid='stMetricValue']").all_inner_texts()
        grouped = r"\d{1,3}(?:\u00a0\d{3})+" if lang == "ru" else r"\d{1,3}(?:,\d{3})+"
        assert any(re.search(grouped, m) for m in metrics), metrics
        # ... and whole: none is cut to "3 2…" by a column too narrow for it.
        cut = app.page.locator("[data-testid='stMetricValue']").evaluate_all(
            "boxes => boxes.filter(b => [b, ...b.querySelectorAll('*')].some("
            "e => e.scrollWidth > e.clientWidth + 1)).map(b => b.innerText)"
        )
        assert cut == [], cut
        # plotly's own tool bar (shown on hover) speaks the language too; Streamlit adds a
        # "Fullscreen" button of its own to it (no data-attr), which it writes in English.
        app.page.locator(".js-plotly-plot").first.hover()
        tooltips = app.page.locator(".js-plotly-plot .modebar-btn[data-attr]").evaluate_all(
            "buttons => buttons.map(b => b.getAttribute('data-title'))"
        )
        assert tooltips, "the chart's tool bar"
        assert all(SCRIPT[lang].search(t) for t in tooltips), tooltips


def test_the_language_switch_changes_every_page_and_stays_in_the_address(
    chromium_browser: Browser, server: Server
) -> None:
    """A trainer switches to Russian in the sidebar: the page changes language, the address
    gets ``?lang=ru`` (a link to share), and it stays through moves to other pages."""
    with open_app(chromium_browser, server, "/concept") as app:
        app.page.locator("h1", has_text="Concept explorer").wait_for()
        app.page.get_by_role("combobox", name=re.compile("Language")).click()
        app.page.get_by_role("option", name="Русский").click()
        wait_idle(app.page)
        with use_language("ru"):
            app.page.locator("h1", has_text=_("Concept explorer")).wait_for()
            assert "lang=ru" in app.page.url
            wait_for_document_language(app, "ru")
            for _name, path, title in PAGES[1:]:
                nav = app.page.locator("[data-testid='stSidebarNav']")
                nav.get_by_role("link", name=_(title), exact=True).click()
                app.page.locator("h1", has_text=_(title)).first.wait_for()
                wait_idle(app.page)
                assert "lang=ru" in app.page.url, path
                assert app.page.url.split("?")[0].rstrip("/").endswith(path)
        # And a shared link opens in the language for someone else, in a new session.
        shared = app.page.url
    with open_app(chromium_browser, server, shared.removeprefix(server.url)) as other:
        with use_language("ru"):
            other.page.locator("h1", has_text=_("Workshop exercise")).wait_for()
        other.page.get_by_role("combobox", name=re.compile("Language")).click()
        other.page.get_by_role("option", name="中文").click()
        wait_idle(other.page)
        with use_language("zh"):
            other.page.locator("h1", has_text=_("Workshop exercise")).wait_for()
        assert "lang=zh" in other.page.url
        wait_for_document_language(other, "zh-Hans")


def test_source_text_stays_english_beside_prevplans_translation(
    chromium_browser: Browser, server: Server
) -> None:
    """In Russian the SCO's text is quoted in its English, with prevplan's own translation
    under it, marked as unofficial."""
    rules = load_rules()
    with in_language(chromium_browser, server, "ru", "tracker") as app:
        english = rules.ref_text("V-3.1") or ""
        russian = rules.ref_text_in("V-3.1", "ru") or ""
        app.page.get_by_text(english[:40]).first.wait_for()
        app.page.get_by_text(russian[:40]).first.wait_for()
        with use_language("ru"):
            assert app.page.get_by_text(_("prevplan's unofficial translation")).count() >= 1


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_the_inventory_template_and_the_uploader_speak_the_language(
    chromium_browser: Browser, server: Server, lang: str, tmp_path: Path
) -> None:
    """The NGO downloads the inventory template in the page's language (sheets, headers,
    drop-down lists); Streamlit writes "Upload" on its file uploader, the app shows the
    language's word instead."""
    with in_language(chromium_browser, server, lang, "plan") as app:
        with use_language(lang):
            app.page.get_by_role("tab", name=re.compile(_("Import an NGO inventory"))).click()
            wait_idle(app.page)
            word = _("Upload")
        button = app.page.locator(
            "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"
        ).first
        shown = button.evaluate("e => getComputedStyle(e, '::after').content")
        assert shown == f'"{word}"'
        assert button.evaluate("e => getComputedStyle(e).fontSize") == "0px"
        with use_language(lang):
            template_button = app.page.get_by_role("button", name=_("Template (Excel)"))
        with app.page.expect_download(timeout=60_000) as download:
            template_button.click()
        target = tmp_path / "template.xlsx"
        download.value.save_as(target)
    book = load_workbook(target, read_only=True)
    try:
        with use_language(lang):
            expected = {sheet_title(key) for key in (POPULATIONS, ACTIVITIES)}
        assert expected <= set(book.sheetnames), book.sheetnames
        assert all(SCRIPT[lang].search(title) for title in book.sheetnames), book.sheetnames
        headers = [c.value for c in next(book[sheet_title(POPULATIONS, lang)].iter_rows())]
        assert all(SCRIPT[lang].search(str(h)) for h in headers if h), headers
    finally:
        book.close()
