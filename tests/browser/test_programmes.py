"""The programme catalogue page in a real browser, in English, Russian and Chinese: the
list, a filter, and two programmes compared side by side with their source links
(screenshots kept in ``artifacts/screenshots`` for review)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Server, open_app

pytestmark = pytest.mark.browser

TITLE = {"en": "Programme catalogue", "ru": "Каталог программ", "zh": "项目目录"}
COMPARE = {
    "en": "Choose two or three programmes",
    "ru": "Выберите две или три программы",
    "zh": "请选择两个或三个项目",
}
STRONG_FAMILIES = {
    "en": "UNODC Strong Families",
    "ru": "«Сильные семьи» (Strong Families, УНП ООН)",
    "zh": "毒品和犯罪问题办公室“坚强家庭”项目（Strong Families）",
}


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_catalogue_page(chromium_browser: Browser, server: Server, lang: str) -> None:
    with open_app(chromium_browser, server, f"/programmes?lang={lang}") as app:
        page = app.page
        page.locator("h1", has_text=TITLE[lang]).first.wait_for(state="visible")
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.wait_for(state="visible")
        app.screenshot(f"programmes_{lang}_list")
        box = page.locator("[data-testid='stMultiSelect']").first
        for name in (STRONG_FAMILIES[lang], "Unplugged"):
            box.locator("input").first.click()
            box.locator("input").first.fill(name)
            page.keyboard.press("Enter")
            app.idle()
        page.keyboard.press("Escape")
        app.idle()
        assert page.locator("[data-testid='stDataFrame']").count() == 2
        links = page.locator("a[href*='unodc.org/centralasia']")
        assert links.count() >= 1
        page.locator("h3").last.scroll_into_view_if_needed()
        app.screenshot(f"programmes_{lang}_compare")
