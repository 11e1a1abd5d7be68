"""Write concept_rules/INDEX.md: every clause with the rules that cite it, every entity with its
relations, and how many of them the text states and how many prevplan infers.

    uv run python scripts/build_rules_index.py           # rewrite the index
    uv run python scripts/build_rules_index.py --check   # exit 1 if it is out of date

tests/test_rules_index.py fails when the committed index differs from what this writes, so a
change to concept_rules/ comes with its regenerated index. `prevplan rules show REF` prints the
same look-up in detail (clause text, each relation with prevplan's reason, in en/ru/zh).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from prevplan.rules import RuleSet, default_rules_dir, load_rules
from prevplan.rules.lookup import Citing, CitingKind, citations, links_of, relation_group
from prevplan.rules.models import Kind
from prevplan.rules.ruleset import Link
from prevplan.vocab import Basis

INDEX_NAME = "INDEX.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _bases(links: Iterable[Link]) -> tuple[int, int]:
    counts = Counter(link.relation.basis for link in links)
    return counts[Basis.STATED], counts[Basis.INFERRED]


def _relations_cell(links: list[Link]) -> str:
    if not links:
        return "—"
    stated, inferred = _bases(links)
    files = Counter(relation_group(link) for link in links)
    per_file = ", ".join(f"{name} {n}" for name, n in sorted(files.items()))
    return f"**{len(links)}** ({stated} stated, {inferred} inferred): {per_file}"


def _clause_refs(rules: RuleSet) -> list[str]:
    """Every clause in source order: Annex VI, Annex IV, then Annex V's areas and items."""
    refs = [*rules.clauses, *rules.provisions]
    for area in rules.focus_areas.values():
        refs.append(area.ref)
        refs += [item.ref for item in rules.action_items.values() if item.focus_area == area.ref]
    return list(dict.fromkeys(refs))


def _clause_section(rules: RuleSet) -> list[str]:
    cited = citations(rules)
    lines = [
        "## Clause → rules",
        "",
        "Every clause of Annex VI and IV and every item of Annex V, in source order, with the "
        "entities that cite it (`kind:id`), the relations that cite it (by relation file), and "
        "the warnings and ranking rules that cite it. A citation of a part (`VI-4.3.2#3`) is "
        "listed under its clause.",
        "",
        "| clause | label | entities | relations | warnings and ranking rules |",
        "|---|---|---|---|---|",
    ]
    for ref in _clause_refs(rules):
        found = cited.get(ref, [])
        entities = [f"`{c.group}:{c.item}`" for c in found if c.kind is CitingKind.ENTITY]
        links = [c.link for c in found if c.link is not None]
        others = [f"`{_other(c)}`" for c in found if c.kind in _OTHER_KINDS]
        row = [
            f"`{ref}`",
            _cell(rules.ref_label(ref)),
            ", ".join(entities) or "—",
            _relations_cell(links),
            ", ".join(others) or "—",
        ]
        lines.append("| " + " | ".join(row) + " |")
    return lines


_OTHER_KINDS = (CitingKind.WARNING, CitingKind.PRIORITISATION)


def _other(citing: Citing) -> str:
    if citing.kind is CitingKind.WARNING:
        return f"warning:{citing.item}"
    return f"prioritisation:{citing.item}"


def _entity_section(rules: RuleSet) -> list[str]:
    lines = [
        "## Entity → relations",
        "",
        "Every entity of `entities.yaml` (and every Annex V item) with the clauses that define "
        "it and the relations it takes part in, as subject or object.",
    ]
    for kind in Kind:
        ids = rules.ids(kind)
        lines += ["", f"### {kind.value}", ""]
        lines += ["| id | label | defined by | relations |", "|---|---|---|---|"]
        for entity_id in ids:
            entity = rules.entity(kind, entity_id)
            defined = ", ".join(f"`{ref}`" for ref in entity.clauses) if entity else "—"
            links = list(links_of(rules, kind, entity_id))
            row = [
                f"`{entity_id}`",
                _cell(rules.label(kind, entity_id, "en")),
                defined,
                _relations_cell(links),
            ]
            lines.append("| " + " | ".join(row) + " |")
    return lines


def _summary(rules: RuleSet) -> list[str]:
    stated, inferred = _bases(rules.links)
    lines = [
        "## Relations by file",
        "",
        f"{len(rules.links)} relations: **{stated} stated** by the text, **{inferred} inferred** "
        "by prevplan (each inferred one carries a one-sentence justification).",
        "",
        "| relation file | relations | stated | inferred |",
        "|---|---|---|---|",
    ]
    by_file: dict[str, list[Link]] = {}
    for link in rules.links:
        by_file.setdefault(relation_group(link), []).append(link)
    for name in sorted(by_file):
        s, i = _bases(by_file[name])
        lines.append(f"| `relations/{name}.yaml` | {len(by_file[name])} | {s} | {i} |")
    return lines


def render(rules: RuleSet) -> str:
    """The whole index as Markdown."""
    lines = [
        "# Index of the concept rules",
        "",
        "<!-- Generated by scripts/build_rules_index.py from concept_rules/: do not edit by "
        "hand. tests/test_rules_index.py fails when it is out of date. -->",
        "",
        "Find any rule from the clause it rests on, or any entity's relations, in one step. "
        "`prevplan rules show REF` (a clause such as `VI-3.1.1` or an entity such as "
        "`work_with_parents`) prints the same in detail: the clause text, every relation with "
        "prevplan's reason for it, in English, Russian or Chinese (`--lang`).",
        "",
        *_summary(rules),
        "",
        *_clause_section(rules),
        "",
        *_entity_section(rules),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the index is stale")
    parser.add_argument("--rules", type=Path, default=None, help="rules folder")
    args = parser.parse_args(argv)
    directory: Path = args.rules or default_rules_dir()
    text = render(load_rules(directory))
    target = directory / INDEX_NAME
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} is out of date: run `uv run python scripts/build_rules_index.py`")
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
