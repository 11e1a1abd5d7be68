"""The activities grid groups thousands as the app's language writes them (#18), whatever the
browser's locale: the printf-style display format handed to Streamlit's grid."""

from __future__ import annotations

import pytest

from prevplan.i18n import format_number, grid_number_format, writes_decimal_point


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "%,.0f"), ("zh", "%,.0f"), ("ru", "%'\u00a0,.0f")],
)
def test_whole_numbers_use_the_language_group_separator(lang: str, expected: str) -> None:
    assert grid_number_format(lang) == expected
    # The pad character after the quote is the separator the grid's formatter writes; it is
    # the same one the rest of the app writes for this language.
    separator = expected[2] if expected.startswith("%'") else ","
    assert separator in format_number(12345, lang)


def test_fractions_only_where_the_language_writes_a_full_stop() -> None:
    assert grid_number_format("en", decimals=2) == "%,.2f"
    assert writes_decimal_point("en") and writes_decimal_point("zh")
    assert not writes_decimal_point("ru")
