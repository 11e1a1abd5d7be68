"""``prevplan rules show REF``: everything that rests on a clause or an entity, and the reverse.

A trainer asks "what in prevplan comes from VI-3.1.1?"; a reviewer asks "what does
``work_with_parents`` rest on?". Given a clause reference (``VI-3.1.1``, ``VI-4.3.2#3``,
``V-3.5``) the command prints the clause and every entity, relation, warning and ranking rule
that cites it; given an entity id (``work_with_parents``, ``family``) it prints the entity, the
clauses it rests on and every relation it takes part in, each relation marked as stated by the
text or inferred by prevplan, with prevplan's reason. Labels, reasons and the clause text come
in the language of ``--lang`` (source text in Russian or Chinese is the official text where one
is supplied in ``concept_rules/official/``, else prevplan's unofficial translation, and says
which). An unknown reference exits 2 and suggests the closest known ones.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from prevplan.i18n import _, join_list, ngettext
from prevplan.present import labels
from prevplan.rules import RuleSet, default_rules_dir, load_rules
from prevplan.rules.lookup import (
    Citing,
    CitingKind,
    Found,
    look_up,
    relation_group,
    rests_on,
    suggestions,
)
from prevplan.rules.models import Kind
from prevplan.rules.ruleset import Link
from prevplan.vocab import Basis

INDENT = "  "


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``show`` to the actions of ``prevplan rules``."""
    show = sub.add_parser(
        "show",
        help=_("show everything that rests on a clause or an entity, and what it rests on"),
        description=_(
            "Show everything in the rules that rests on a clause (VI-3.1.1, VI-4.3.2#3, V-3.5) "
            "or an entity (work_with_parents, family), and what it rests on in turn."
        ),
    )
    show.add_argument("ref", metavar="REF", help=_("a clause reference or an entity id"))
    show.add_argument("--rules", type=Path, default=None, help=_("rules folder (default: shipped)"))
    show.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print what rests on ``args.ref``; exit 2 with suggestions when it is unknown."""
    rules = load_rules(args.rules or default_rules_dir())
    found = look_up(rules, args.ref)
    if found is None:
        print(_("Unknown clause or entity: '{ref}'.").format(ref=args.ref), file=sys.stderr)
        close = suggestions(rules, args.ref)
        if close:
            print(_("Did you mean: {refs}?").format(refs=join_list(close)), file=sys.stderr)
        print(
            _(
                "Clause references look like VI-3.1.1, VI-4.3.2#3 or V-3.5; entity ids like "
                "work_with_parents (see concept_rules/INDEX.md)."
            ),
            file=sys.stderr,
        )
        return 2
    print("\n".join(describe(rules, found)))
    return 0


def describe(rules: RuleSet, found: Found) -> list[str]:
    """The lines ``rules show`` prints for one reference, in the current language."""
    lines: list[str] = []
    if found.clause is not None:
        lines += _clause_lines(rules, found)
    for kind in found.kinds:
        if lines:
            lines.append("")
        lines += _entity_lines(rules, kind, found)
    return lines


# -- a clause and what rests on it ------------------------------------------------------------


def _clause_lines(rules: RuleSet, found: Found) -> list[str]:
    lines = [labels.ref_label(rules, found.ref)]
    excerpt = labels.source_and_translation(rules, found.ref)
    if excerpt is not None:
        source, translated = excerpt
        lines.append(f"{INDENT}{_quoted(source)} ({_(labels.SOURCE_NOTE)})")
        official = rules.official_text(found.ref)
        if official is not None:
            mark = f"{_(labels.OFFICIAL_TEXT)}, {official.source}"
            lines.append(f"{INDENT}{_quoted(official.text)} ({mark})")
        elif translated:
            lines.append(f"{INDENT}{_quoted(translated)} ({_(labels.UNOFFICIAL_TRANSLATION)})")
    parent = found.clause if found.clause != found.ref else None
    clause = rules.clauses.get(found.clause or "")
    if parent is None and clause is not None:
        parent = clause.parent
    if parent:
        lines.append(INDENT + _("Part of {clause}.").format(clause=labels.ref_label(rules, parent)))
    # A relation that joins the entity (an Annex V item) is listed with it, below.
    citing = [c for c in found.citing if c.link is None or c.link not in found.links]
    if not citing:
        if not found.links:
            lines.append(INDENT + _("No rule cites this clause."))
        return lines
    lines.append("")
    lines.append(_("What rests on {ref}:").format(ref=found.ref))
    for kind in CitingKind:
        group = [c for c in citing if c.kind is kind]
        if group:
            lines += _citing_lines(rules, kind, group)
    return lines


def _citing_lines(rules: RuleSet, kind: CitingKind, group: list[Citing]) -> list[str]:
    if kind is CitingKind.RELATION:
        stated = sum(1 for c in group if c.basis is Basis.STATED)
        heading = _(
            "Relations: {n} ({stated} stated in the text, {inferred} inferred by prevplan)"
        ).format(n=len(group), stated=stated, inferred=len(group) - stated)
        lines = [INDENT + heading]
        for citing in group:
            assert citing.link is not None  # a relation's citation carries its link
            lines += _link_lines(rules, citing.link)
        return lines
    titles = {
        CitingKind.ENTITY: _("Entities: {n}"),
        CitingKind.WARNING: _("Warnings: {n}"),
        CitingKind.PRIORITISATION: _("Prioritisation rules: {n}"),
    }
    lines = [INDENT + titles[kind].format(n=len(group))]
    for citing in group:
        cites = join_list(citing.cites)
        if kind is CitingKind.ENTITY:
            entity_kind = Kind(citing.group)
            label = rules.label(entity_kind, citing.item)
            name = f"{labels.kind_name(entity_kind)} {citing.item} — {label}"
        elif kind is CitingKind.WARNING:
            name = f"{citing.item} — {labels.warning_title(rules, citing.item)}"
        else:
            name = f"prioritisation.yaml: {citing.item}"
        lines.append(f"{INDENT * 2}{name} [{cites}]")
    return lines


# -- an entity, what it rests on and what rests on it -------------------------------------------


def _entity_lines(rules: RuleSet, kind: Kind, found: Found) -> list[str]:
    entity_id = found.ref
    lines = [f"{labels.kind_name(kind)} {entity_id} — {rules.label(kind, entity_id)}"]
    description = rules.text(kind, entity_id, "description")
    if description:
        lines.append(INDENT + description)
    entity = rules.entity(kind, entity_id)
    own = entity.clauses if entity is not None else ()
    if own:
        lines.append(INDENT + _("Defined by: {clauses}").format(clauses=join_list(own)))
    links = [link for link in found.links if _touches(link, kind, entity_id)]
    bases = Counter(link.relation.basis for link in links)
    lines.append("")
    lines.append(
        _("Relations: {n} ({stated} stated in the text, {inferred} inferred by prevplan)").format(
            n=len(links), stated=bases[Basis.STATED], inferred=bases[Basis.INFERRED]
        )
    )
    for group, members in _by_group(links):
        lines.append(f"{INDENT}{group}: {len(members)}")
        for link in members:
            lines += _link_lines(rules, link, seen_from=(kind, entity_id))
    refs = rests_on(rules, kind, entity_id)
    lines.append("")
    lines.append(
        ngettext("Rests on {n} clause:", "Rests on {n} clauses:", len(refs)).format(n=len(refs))
    )
    lines += [INDENT + labels.ref_label(rules, ref) for ref in refs]
    return lines


def _link_lines(
    rules: RuleSet,
    link: Link,
    seen_from: tuple[Kind, str] | None = None,
) -> list[str]:
    """One relation: its two ends (or the far end, seen from an entity), basis, clauses, reason."""
    subject = rules.label(link.subject_kind, link.subject)
    obj = rules.label(link.object_kind, link.object)
    if seen_from == (link.subject_kind, link.subject):
        ends = f"→ {labels.kind_name(link.object_kind)} {link.object} — {obj}"
    elif seen_from == (link.object_kind, link.object):
        ends = f"← {labels.kind_name(link.subject_kind)} {link.subject} — {subject}"
    else:
        ends = f"{relation_group(link)}: {subject} → {obj}"
    sources = join_list(link.relation.sources)
    basis = labels.basis_text(link.relation.basis)
    weight = _("weight {n}").format(n=link.relation.weight)
    lines = [f"{INDENT * 2}{ends} ({basis}; {weight}) [{sources}]"]
    why = rules.justification(link)
    if why:
        lines.append(f"{INDENT * 3}{_('Why')}: {why}")
    return lines


def _touches(link: Link, kind: Kind, entity_id: str) -> bool:
    return (link.subject_kind is kind and link.subject == entity_id) or (
        link.object_kind is kind and link.object == entity_id
    )


def _by_group(links: list[Link]) -> list[tuple[str, list[Link]]]:
    groups: dict[str, list[Link]] = {}
    for link in links:
        groups.setdefault(relation_group(link), []).append(link)
    return list(groups.items())


def _quoted(text: str, limit: int = 400) -> str:
    """An excerpt of the source in the language's quotation marks, cut at ``limit``."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _("“{text}”").format(text=text)
