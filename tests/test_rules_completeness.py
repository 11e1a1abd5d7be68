"""The encoded sources are complete and verbatim against the source document."""

from __future__ import annotations

import re

import pytest

from prevplan.rules import RuleSet
from tests.seed import annex_lines, normalise, normalised_seed


def test_every_numbered_clause_of_annex_vi_is_encoded(rules: RuleSet) -> None:
    """Each numbered heading of the Concept (1.1 … 4.7) has a clause VI-<number>."""
    lines = annex_lines("Annex No. 6", "Anexo VII")
    body = lines[next(i for i, line in enumerate(lines) if "INTRODUCTION" in line) :]
    numbers = set()
    for line in body:
        match = re.match(r"^[#*\s]*(\d+(?:\.\d+)+)\.\s", line)
        if match:
            numbers.add(match.group(1))
    assert len(numbers) >= 35, numbers
    missing = sorted(n for n in numbers if f"VI-{n}" not in rules.clauses)
    assert not missing, f"numbered clauses of Annex VI not encoded: {missing}"


@pytest.mark.parametrize(
    "ref",
    ["VI-intro", "VI-goals", "VI-1", "VI-2", "VI-3", "VI-4", "VI-T1", "VI-conclusion"],
)
def test_unnumbered_parts_of_annex_vi_are_encoded(rules: RuleSet, ref: str) -> None:
    """Introduction, goals, section headings, Table 1 and the conclusion are citable."""
    assert ref in rules.clauses


def test_every_bullet_of_annex_vi_is_encoded(rules: RuleSet) -> None:
    """Each '- ' bullet line of the Concept appears as a bullet of some clause."""
    lines = annex_lines("Annex No. 6", "Anexo VII")
    bullets = [normalise(line.lstrip()[2:]) for line in lines if line.lstrip().startswith("- ")]
    encoded = {normalise(b) for c in rules.clauses.values() for b in c.bullets}
    missing = [b for b in bullets if b not in encoded]
    assert len(bullets) >= 35
    assert not missing, missing


def test_table_1_has_three_degrees_and_six_rows(rules: RuleSet) -> None:
    table = rules.clauses["VI-T1"]
    assert len(table.paragraphs) == 3
    assert len(table.bullets) == 6
    assert table.bullets[4] == "Treatment and resocialization"


def test_every_annex_v_item_is_present_with_its_number(rules: RuleSet) -> None:
    """Each numbered row of the Program of Actions table is an item, in source order."""
    lines = annex_lines("Annex No. 5", "Anexo VI")
    numbers = [
        m.group(1).rstrip(".") for line in lines if (m := re.match(r"^(\d+\.\d+\.?)\t", line))
    ]
    assert len(numbers) == 40
    encoded = [item.number for item in rules.action_items.values()]
    assert encoded == numbers
    assert numbers.count("3.2") == 2
    assert rules.action_items["V-3.2a"].text.startswith("Implementation of the Concept")
    assert rules.action_items["V-3.2b"].text.startswith("Promotion of the formation")


def test_merged_cells_are_carried_down(rules: RuleSet) -> None:
    """Blank schedule/executor/coordinator cells take the value of the merged cell above."""
    for item in rules.action_items.values():
        assert item.executors, item.ref
        assert item.coordinating_body, item.ref
        assert item.schedule, item.ref
    assert "executors" in rules.action_items["V-4.2"].carried_down
    assert rules.action_items["V-3.5"].coordinating_body == "SHCA, SSO"


def test_every_excerpt_is_verbatim(rules: RuleSet) -> None:
    """Every paragraph, bullet, heading and item text occurs in the source."""
    source = normalised_seed()
    texts: list[tuple[str, str]] = []
    for clause in rules.clauses.values():
        texts += [(clause.ref, t) for t in (*clause.paragraphs, *clause.bullets)]
        if clause.heading:
            texts.append((clause.ref, clause.heading))
    for item in rules.action_items.values():
        texts.append((item.ref, item.text))
        for value in (item.schedule, item.executors, item.coordinating_body):
            texts.append((item.ref, value or ""))
    for provision in rules.provisions.values():
        texts += [(provision.ref, p) for p in provision.paragraphs]
    not_found = [(ref, t[:60]) for ref, t in texts if not _in_source(normalise(t), source)]
    assert len(texts) > 250
    assert not not_found, not_found


def _in_source(text: str, source: str) -> bool:
    """Verbatim, or in two verbatim pieces where a table cell runs over a page break."""
    if text in source:
        return True
    words = text.split(" ")
    return any(
        " ".join(words[:n]) in source and " ".join(words[n:]) in source
        for n in range(3, len(words) - 2)
    )


def test_annex_iv_prevention_and_rehabilitation_sections_are_citable(rules: RuleSet) -> None:
    assert len(rules.clauses["IV-prevention"].paragraphs) == 6
    assert len(rules.clauses["IV-medical-rehabilitation"].paragraphs) == 4
    assert rules.ref_exists("IV-principles#3")
