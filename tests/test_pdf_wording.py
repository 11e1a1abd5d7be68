"""The report's sentences end in one full stop, whatever the date's own ends in (#18)."""

from __future__ import annotations

from datetime import date

from prevplan.export.pdf.wording import Numbers, one_full_stop


def test_a_russian_date_at_the_end_of_a_sentence_keeps_one_full_stop() -> None:
    day = Numbers("ru").day(date(2026, 12, 7))
    assert day.endswith("г.")
    sentence = one_full_stop(f"Подготовлено в prevplan 0.1.0 {day}.")
    assert sentence.endswith("г.") and ".." not in sentence


def test_an_ellipsis_and_a_sentence_inside_stay_as_written() -> None:
    assert one_full_stop("and so on...") == "and so on..."
    assert one_full_stop("г.. Далее") == "г. Далее"
    assert one_full_stop("version 1.2.") == "version 1.2."
