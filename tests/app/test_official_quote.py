"""The app quotes an official text the user supplied (``concept_rules/official/``), marked
"official text" with its source, instead of prevplan's unofficial translation."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.helpers import texts
from tests.rule_files import copy_rules
from tests.test_official_texts import SOURCE, with_official


def _quote_in_russian(rules_dir: str, ref: str) -> None:
    """An app script: the source quote of ``ref``, as the pages show it, in Russian."""
    from pathlib import Path

    from prevplan.i18n import use_language
    from prevplan.rules.loader import load_rules_uncached
    from prevplan.ui.widgets import source_quote

    with use_language("ru"):
        source_quote(load_rules_uncached(Path(rules_dir)), ref)


def test_the_app_quote_shows_the_official_text_with_its_source(tmp_path: Path) -> None:
    official = "ОФИЦИАЛЬНЫЙ ТЕКСТ О РАБОТЕ С РОДИТЕЛЯМИ."
    rules_dir = with_official(
        tmp_path, "ru", {"language": "ru", "source": SOURCE, "texts": {"VI-3.1.1": official}}
    )
    at = AppTest.from_function(
        _quote_in_russian, args=(str(rules_dir), "VI-3.1.1"), default_timeout=30
    ).run()
    assert not at.exception, at.exception
    shown = "\n".join(texts(at, "markdown"))
    assert official in shown and "официальный текст" in shown and SOURCE in shown
    assert "неофициальный перевод" not in shown
    plain = AppTest.from_function(
        _quote_in_russian,
        args=(str(copy_rules(tmp_path / "plain")), "VI-3.1.1"),
        default_timeout=30,
    ).run()
    assert "неофициальный перевод" in "\n".join(texts(plain, "markdown"))
