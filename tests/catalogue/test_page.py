"""The app's programme catalogue page: filters, the side-by-side comparison with sources,
and every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import APP, assert_clean, go


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path))
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    monkeypatch.delenv("PREVPLAN_LANG", raising=False)
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    return go(app, "programmes")


def _names(at: AppTest) -> list[str]:
    frame = at.dataframe[0].value
    return list(frame.iloc[:, 0])


def test_filters_narrow_the_list(page: AppTest) -> None:
    everything = len(_names(page))
    assert everything >= 30
    page.number_input(key="programmes.age").set_value(13).run()
    page.selectbox(key="programmes.setting").set_value("school").run()
    page.selectbox(key="programmes.verdict").set_value("recommended").run()
    assert_clean(page)
    names = _names(page)
    assert "LifeSkills Training (middle school)" in names
    assert "Unplugged" in names
    assert "D.A.R.E. (original curriculum)" not in names
    assert len(names) < everything


def test_filter_with_no_match_says_so(page: AppTest) -> None:
    page.number_input(key="programmes.age").set_value(90).run()
    assert any("No programme matches" in i.value for i in page.info)


def test_compare_shows_facts_and_sources(page: AppTest) -> None:
    page.multiselect(key="programmes.compare").set_value(["sfp_10_14", "unplugged"]).run()
    assert_clean(page)
    compare = page.dataframe[1].value
    assert list(compare.columns) == [
        "Strengthening Families Program 10-14",
        "Unplugged",
    ]
    assert "Cost per participant" in compare.index
    links = " ".join(m.value for m in page.markdown)
    assert "https://www.wsipp.wa.gov/BenefitCost/Program/138" in links
    assert "read 2026-11" in links


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_page_in_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path))
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.query_params["lang"] = lang
    app.run()
    go(app, "programmes")
    title = app.title[0].value
    assert title.endswith({"ru": "Каталог программ", "zh": "项目目录"}[lang])
    names = _names(app)
    assert {
        "ru": "«Сильные семьи» (Strong Families, УНП ООН)",
        "zh": "毒品和犯罪问题办公室“坚强家庭”项目（Strong Families）",
    }[lang] in names


def test_recommendation_view_names_programmes(page: AppTest) -> None:
    """The recommendation for the sample plan's secondary pupils names school curricula
    under skills education, and a group no programme fits says so."""
    go(page, "populations")
    page.selectbox(key="pop.selected").set_value("secondary_pupils").run()
    assert_clean(page)
    # Markdown escapes its special characters; read the text as shown.
    text = " ".join(m.value for m in page.markdown).replace("\\", "")
    assert "LifeSkills Training (middle school)" in text
    assert "D.A.R.E." not in text
    page.selectbox(key="pop.selected").set_value("workers").run()
    text = " ".join(m.value for m in page.markdown).replace("\\", "")
    assert "No catalogue programme fits this population" in text
