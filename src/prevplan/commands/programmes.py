"""``prevplan programmes``: list, filter and compare the catalogue of named programmes.

Planners use it to see which tested programmes deliver an intervention of the Concept
(VI-4) for an age, level (VI-2) and setting, and to compare two or three side by side:
every fact with its source link and the date it was read. Costs can be shown converted to
one currency and price year (``--currency``, ``--year``) with the rates table of
``concept_rules/costs/rates.yaml``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, get_args

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.costs import CostConverter, load_converter
from prevplan.catalogue.loader import Catalogue
from prevplan.catalogue.match import rank_key
from prevplan.catalogue.models import Level, Programme, Setting, Verdict
from prevplan.catalogue.present import (
    STATUS,
    benefit_cost_text,
    fact_sources,
    implemented_text,
    rows,
    summary,
)
from prevplan.i18n import _, current_language, ngettext, text_width
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import load_rules


def register(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``prevplan programmes`` and its options."""
    parser = commands.add_parser(
        "programmes", help=_("list, filter and compare named prevention programmes")
    )
    parser.add_argument("--age", type=int, default=None, help=_("tested on people of this age"))
    levels, settings = list(get_args(Level)), list(get_args(Setting))
    parser.add_argument(
        "--level",
        choices=levels,
        metavar="LEVEL",
        help=_("prevention level: {choices}").format(choices=", ".join(levels)),
    )
    parser.add_argument(
        "--setting",
        choices=settings,
        metavar="SETTING",
        help=_("setting: {choices}").format(choices=", ".join(settings)),
    )
    parser.add_argument("--intervention", default=None, help=_("intervention id it delivers"))
    verdicts = [v.value for v in Verdict]
    parser.add_argument(
        "--verdict",
        choices=verdicts,
        metavar="VERDICT",
        help=_("verdict: {choices}").format(choices=", ".join(verdicts)),
    )
    parser.add_argument(
        "--compare",
        nargs="+",
        metavar="ID",
        default=None,
        help=_("compare two or three programmes side by side"),
    )
    parser.add_argument("--currency", default=None, help=_("show costs in this currency"))
    parser.add_argument("--year", type=int, default=None, help=_("price year for --currency"))
    parser.add_argument(
        "--format", choices=["json", "table"], default="table", help=_("output (default: table)")
    )
    parser.set_defaults(handler=run)


def select(catalogue: Catalogue, args: argparse.Namespace) -> list[Programme]:
    """The programmes that pass every filter, best evidence first."""
    out = []
    for p in catalogue.programmes.values():
        if args.age is not None and not p.age_min <= args.age <= p.age_max:
            continue
        if args.level and args.level not in p.levels:
            continue
        if args.setting and args.setting not in p.settings:
            continue
        if args.intervention and args.intervention not in p.interventions:
            continue
        if args.verdict and p.verdict.value != args.verdict:
            continue
        out.append(p)
    return sorted(out, key=rank_key)


def run(args: argparse.Namespace) -> int:
    """List, filter or compare; exit 2 (via ProblemsError) for a bad request."""
    catalogue = load_catalogue(rules=load_rules())
    converter, to = _money(args)
    chosen = _compared(catalogue, args.compare) if args.compare is not None else None
    programmes = chosen if chosen is not None else select(catalogue, args)
    if args.format == "json":
        _print_json(programmes, catalogue, converter, to)
    elif chosen is not None:
        _print_comparison(programmes, catalogue, converter, to)
    else:
        _print_table(programmes, catalogue, converter, to)
    return 0


def _money(args: argparse.Namespace) -> tuple[CostConverter | None, tuple[str, int] | None]:
    """The converter and target currency and year asked for with ``--currency``."""
    if not args.currency:
        return None, None
    converter = load_converter()
    if args.currency not in converter.currencies:
        expected = _("expected one of {expected}").format(expected=", ".join(converter.currencies))
        raise ProblemsError([Problem("--currency", "", "", expected)])
    latest = max(max(v) for v in converter.table.price_index.values())
    return converter, (args.currency, args.year or latest)


def _compared(catalogue: Catalogue, ids: list[str]) -> list[Programme]:
    unknown = [i for i in ids if catalogue.get(i) is None]
    if unknown or not 2 <= len(ids) <= 3:
        message = (
            _("unknown programme id(s): {ids}").format(ids=", ".join(unknown))
            if unknown
            else _("expected two or three programme ids")
        )
        raise ProblemsError([Problem("--compare", "", "", message)])
    return [p for i in ids if (p := catalogue.get(i)) is not None]


def _print_json(
    programmes: list[Programme],
    catalogue: Catalogue,
    converter: CostConverter | None,
    to: tuple[str, int] | None,
) -> None:
    lang = current_language()
    data = []
    for p in programmes:
        item = p.model_dump(mode="json")
        item["name"] = catalogue.name(p, lang)
        item["description"] = catalogue.description(p, lang)
        converted = summary(p, catalogue, converter, to).get("cost_converted")
        if converted:
            item["cost_converted"] = converted
        data.append(item)
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _print_table(
    programmes: list[Programme],
    catalogue: Catalogue,
    converter: CostConverter | None,
    to: tuple[str, int] | None,
) -> None:
    table = rows(programmes, catalogue, converter, to)
    if not table:
        print(_("No programme matches these filters."))
        return
    for row in table:
        print(f"{row['name']}  [{row['id']}]")
        print(f"  {_('Ages')}: {row['ages']} · {_('Verdict')}: {row['verdict']}")
        print(f"  {_('Dose')}: {row['dose']}")
        print(f"  {_('Deliverers')}: {row['deliverers']}")
        print(f"  {_('Cost per participant')}: {row['cost']}")
        print(f"  {_('Ratings')}: {row['ratings']}")
    print(ngettext("{n} programme.", "{n} programmes.", len(table)).format(n=len(table)))


def _print_comparison(
    chosen: list[Programme],
    catalogue: Catalogue,
    converter: CostConverter | None,
    to: tuple[str, int] | None,
) -> None:
    from prevplan.rules import load_rules
    from prevplan.rules.models import Kind

    rules = load_rules()
    table = rows(chosen, catalogue, converter, to)
    lines: list[tuple[str, list[str]]] = [
        (_("Programme"), [r["name"] for r in table]),
        (_("Ages"), [r["ages"] for r in table]),
        (_("Verdict"), [r["verdict"] for r in table]),
        (_("Levels"), [", ".join(rules.label(Kind.LEVEL, v) for v in p.levels) for p in chosen]),
        (
            _("Settings"),
            [", ".join(rules.label(Kind.SETTING, v) for v in p.settings) for p in chosen],
        ),
        (
            _("Interventions"),
            [", ".join(rules.label(Kind.INTERVENTION, v) for v in p.interventions) for p in chosen],
        ),
        (_("Dose"), [r["dose"] for r in table]),
        (_("Deliverers"), [r["deliverers"] for r in table]),
        (_("Cost per participant"), [r["cost"] for r in table]),
        (_("Benefit-cost"), [benefit_cost_text(p) for p in chosen]),
        (_("Ratings"), [r["ratings"] for r in table]),
        (_("Implemented"), [implemented_text(p) for p in chosen]),
    ]
    width = max(text_width(label) for label, _v in lines) + 2
    for label, values in lines:
        print(label + " " * (width - text_width(label)) + " | ".join(values))
    print()
    print(_("Sources:"))
    for p in chosen:
        for s in p.sources:
            status = _(STATUS[s.status.value])
            print(f"  [{p.id}] {s.title} — {s.url} ({_('read')} {s.retrieved}, {status})")
        for fact, link, date, status in fact_sources(p):
            read = f"{_('read')} {date}, " if date else ""
            print(f"  [{p.id}] {fact} — {link} ({read}{_(STATUS[status])})")
