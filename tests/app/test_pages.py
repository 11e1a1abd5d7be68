"""Every page of the app runs without an error, in every language, and Streamlit stays in the UI."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prevplan.i18n import LANGUAGES
from tests.app.helpers import APP, PAGES, ROOT, assert_clean, go, texts


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_the_sample_plan(at: AppTest, page: str) -> None:
    """The page shows its title and no error, with the seeded sample plan open."""
    go(at, page)
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_an_empty_plan(at: AppTest, page: str) -> None:
    """A plan with nothing in it is shown as such, not as an error."""
    from prevplan.plan.models import Plan
    from prevplan.ui.plans import fingerprint

    empty = Plan(name="Empty")
    at.session_state["plan"] = empty
    at.session_state["plan_fingerprint"] = fingerprint(empty)
    go(at, page)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_language_comes_from_the_query_parameter(home: Path, lang: str) -> None:
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.query_params["lang"] = lang
    app.run()
    assert_clean(app)
    assert app.session_state["lang"] == lang
    for page in PAGES:
        go(app, page)


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_every_page_heading_is_in_the_language(home: Path, lang: str) -> None:
    """Opened with ``?lang=``, each page's title and its name in the navigation are translated,
    and the language stays in the address when the user moves to another page."""
    from prevplan.i18n import _, use_language

    titles = {
        "concept": "Concept explorer",
        "populations": "Populations & recommendations",
        "plan": "Plan",
        "dashboard": "Coverage dashboard",
        "tracker": "Program of Actions tracker",
        "workshop": "Workshop exercise",
    }
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.query_params["lang"] = lang
    app.run()
    assert_clean(app)
    for page, title in titles.items():
        go(app, page)
        with use_language(lang):
            assert _(title) != title
            assert _(title) in app.title[0].value, page
        assert app.query_params["lang"] == lang, page


def test_switching_the_language_puts_it_in_the_address(at: AppTest) -> None:
    """The switch in the sidebar changes the session's language and the link to share."""
    from prevplan.i18n import _

    at.selectbox(key="lang").set_value("zh").run()
    assert_clean(at)
    assert at.session_state["lang"] == "zh"
    assert at.query_params["lang"] == "zh"
    go(at, "dashboard")
    assert _("Coverage dashboard", "zh") in at.title[0].value
    assert at.query_params["lang"] == "zh"
    at.selectbox(key="lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert "Coverage dashboard" in at.title[0].value


def test_an_unknown_language_falls_back_to_english(home: Path) -> None:
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.query_params["lang"] = "xx"
    app.run()
    assert_clean(app)
    assert app.session_state["lang"] == "en"


def test_first_start_stores_the_sample_plan(at: AppTest) -> None:
    """`make run` on a fresh machine shows the sample plan, saved as version 1."""
    from prevplan.plan.io import read_plan
    from prevplan.ui.plans import SAMPLE_PLAN

    sample = read_plan(SAMPLE_PLAN)
    assert at.session_state["plan"].name == sample.name
    assert at.session_state["base_version"] == 1
    assert any("Saved as version 1" in c for c in texts(at, "caption"))


ALLOWED = ("streamlit_app.py", "app_pages/", "src/prevplan/ui/")


def _imports_streamlit(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names = [str(node.args[0].value)]
        else:
            continue
        if any(name == "streamlit" or name.startswith("streamlit.") for name in names):
            return True
    return False


def test_only_the_ui_imports_streamlit() -> None:
    """Thin UI: the library (src/prevplan outside ui/) never imports Streamlit."""
    sources = [
        *ROOT.glob("*.py"),
        *(ROOT / "src").rglob("*.py"),
        *(ROOT / "app_pages").glob("*.py"),
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if _imports_streamlit(path)
        and not str(path.relative_to(ROOT)).replace("\\", "/").startswith(ALLOWED)
    ]
    assert offenders == []


def test_the_fence_notices_an_import(tmp_path: Path) -> None:
    """The fence's own check finds each way of importing Streamlit."""
    for text in (
        "import streamlit as st\n",
        "from streamlit import session_state\n",
        "import importlib\nimportlib.import_module('streamlit')\n",
    ):
        module = tmp_path / "m.py"
        module.write_text(text)
        assert _imports_streamlit(module), text


def test_no_material_icons_and_no_remote_assets() -> None:
    """Offline: no :material: icons (they fetch a font) and no http(s) links in the UI code."""
    for path in [APP, *(ROOT / "app_pages").glob("*.py"), *(ROOT / "src/prevplan/ui").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert ":material/" not in text, path
        assert "http://" not in text and "https://" not in text, path
