"""The catalogue in words: labels, dose, cost and rating lines in the reader's language.

Shared by ``prevplan programmes``, the app's catalogue page and the recommendation views,
so a programme reads the same everywhere. Closed vocabularies (verdicts, deliverers,
registries, regions) are gettext strings; names and descriptions come from the catalogue's
own translations (``concept_rules/programmes/translations``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from prevplan.catalogue.costs import CostConverter
from prevplan.catalogue.loader import Catalogue, load_catalogue
from prevplan.catalogue.match import Ages
from prevplan.catalogue.models import Money, Programme
from prevplan.catalogue.output import ProgrammeItem, RecommendationLike, for_recommendation
from prevplan.i18n import (
    N_,
    _,
    current_language,
    format_money,
    format_number,
    join_list,
    ngettext,
)
from prevplan.problems import ProblemsError

VERDICTS: Final[Mapping[str, str]] = {
    "recommended": N_("recommended"),
    "promising": N_("promising"),
    "no_effect": N_("no effect found"),
    "harmful": N_("harmful"),
}
DELIVERERS: Final[Mapping[str, str]] = {
    "teachers": N_("teachers"),
    "facilitators": N_("trained facilitators"),
    "nurses": N_("nurses"),
    "health_workers": N_("health workers"),
    "psychologists": N_("psychologists"),
    "counsellors": N_("counsellors"),
    "social_workers": N_("social workers"),
    "police": N_("police officers"),
    "prison_staff": N_("prison staff"),
    "coaches": N_("sports coaches"),
    "peer_leaders": N_("peer leaders"),
    "parents": N_("parents"),
    "community_coalition": N_("community coalition"),
    "bar_staff": N_("bar and door staff"),
    "online_self_guided": N_("self-guided online"),
}
TRAINING: Final[Mapping[str, str]] = {
    "certified": N_("certified facilitators"),
    "masters_level": N_("master's-level professionals"),
    "motivational_interviewing": N_("trained in motivational interviewing"),
}
REGISTRIES: Final[Mapping[str, str]] = {
    "blueprints": N_("Blueprints"),
    "xchange": N_("EUDA Xchange"),
    "wsipp": N_("WSIPP"),
    "crimesolutions": N_("CrimeSolutions"),
    "nrepp": N_("NREPP (archived)"),
    "eddra": N_("EMCDDA EDDRA"),
    "collegeaim": N_("NIAAA CollegeAIM"),
    "unodc": N_("UNODC"),
}
REGIONS: Final[Mapping[str, str]] = {
    "north_america": N_("North America"),
    "latin_america": N_("Latin America"),
    "europe": N_("Europe"),
    "central_asia": N_("Central Asia"),
    "east_asia": N_("East Asia"),
    "africa": N_("Africa"),
    "middle_east": N_("Middle East"),
    "oceania": N_("Oceania"),
}
STATUS: Final[Mapping[str, str]] = {"verified": N_("verified"), "reported": N_("reported")}
BASIS: Final[Mapping[str, str]] = {
    "wsipp_cost": N_("programme cost per participant (WSIPP)"),
    "programme_budget": N_("from a published programme budget"),
    "developer_price": N_("developer's price"),
    "local_estimate": N_("local estimate"),
}
NONE_FITS: Final = N_("No catalogue programme fits this population (ages, level and settings).")


def verdict_label(verdict: str) -> str:
    """A verdict in the reader's language."""
    return _(VERDICTS.get(verdict, verdict))


def dose_text(programme: Programme) -> str:
    """``7 sessions, 14 h, 4 boosters, groups of 11 families`` in the reader's language."""
    d = programme.dose
    parts: list[str] = []
    if d.sessions is not None:
        if d.sessions_max:
            parts.append(_("{low}–{high} sessions").format(low=d.sessions, high=d.sessions_max))
        else:
            parts.append(ngettext("{n} session", "{n} sessions", d.sessions).format(n=d.sessions))
    if d.hours is not None:
        hours = format_number(d.hours)
        if d.hours_max:
            hours = f"{hours}–{format_number(d.hours_max)}"
        parts.append(_("{n} h").format(n=hours))
    if d.boosters:
        parts.append(ngettext("{n} booster", "{n} boosters", d.boosters).format(n=d.boosters))
    if d.group_size is not None:
        unit = _("families") if d.group_unit == "families" else _("participants")
        parts.append(_("groups of {n} {unit}").format(n=d.group_size, unit=unit))
    if d.months is not None:
        parts.append(ngettext("over {n} month", "over {n} months", d.months).format(n=d.months))
    elif d.years is not None:
        parts.append(ngettext("over {n} year", "over {n} years", d.years).format(n=d.years))
    return join_list(parts) if parts else _("not published")


def deliverers_text(programme: Programme) -> str:
    """Who delivers the programme and their training."""
    d = programme.deliverers
    text = join_list(_(DELIVERERS[w]) for w in d.who)
    extra = []
    if d.training_days:
        extra.append(_("{n} days' training").format(n=format_number(d.training_days)))
    if d.training_note:
        extra.append(_(TRAINING[d.training_note]))
    return f"{text} ({'; '.join(extra)})" if extra else text


def money_text(money: Money | None) -> str:
    """An amount with its currency and price year."""
    if money is None:
        return _("not published")
    amount = format_money(money.amount, currency=money.currency)
    return _("{amount} ({year} prices)").format(amount=amount, year=money.year)


def converted_cost(
    programme: Programme, converter: CostConverter | None, to: tuple[str, int] | None
) -> tuple[float, str, int] | None:
    """The cost per participant in the plan's currency and year, when it can be converted."""
    cost = programme.cost_per_participant
    if cost is None or converter is None or to is None:
        return None
    try:
        c = converter.convert(cost.amount, cost.currency, cost.year, to[0], to[1])
    except ProblemsError:
        return None
    return c.amount, c.currency, c.year


def cost_text(
    programme: Programme, converter: CostConverter | None = None, to: tuple[str, int] | None = None
) -> str:
    """The cost per participant, and its value in another currency and year when asked."""
    text = money_text(programme.cost_per_participant)
    converted = converted_cost(programme, converter, to)
    if converted is not None and programme.cost_per_participant is not None:
        amount, currency, year = converted
        if (currency, year) != (
            programme.cost_per_participant.currency,
            programme.cost_per_participant.year,
        ):
            text += " ≈ " + _("{amount} ({year} prices)").format(
                amount=format_money(amount, currency=currency), year=year
            )
    return text


def ratings_text(programme: Programme) -> str:
    """Every registry rating, registry named."""
    if not programme.ratings:
        return _("no registry rating")
    return "; ".join(f"{_(REGISTRIES[r.registry])}: {r.rating}" for r in programme.ratings)


def benefit_cost_text(programme: Programme) -> str:
    """The published benefit-cost ratio, its price year and chance of a net benefit."""
    bc = programme.benefit_cost
    if bc is None:
        return _("not published")
    text = _("{ratio} per unit spent ({year} prices)").format(
        ratio=format_number(bc.ratio, decimals=2), year=bc.year
    )
    if bc.chance_positive is not None:
        text += "; " + _("chance benefits exceed costs {share}").format(
            share=f"{round(bc.chance_positive * 100)}%"
        )
    return text


def implemented_text(programme: Programme) -> str:
    """Where the programme has been delivered and in which languages."""
    imp = programme.implemented
    parts = [*(_(REGIONS[r]) for r in imp.regions), *imp.countries]
    text = join_list(parts) or _("not recorded")
    if imp.languages:
        text += " · " + _("languages: {codes}").format(codes=", ".join(imp.languages))
    return text


def summary(
    programme: Programme,
    catalogue: Catalogue,
    converter: CostConverter | None = None,
    to: tuple[str, int] | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    """One programme as the JSON of a recommendation lists it (interfaces §3 ``programmes``)."""
    chosen = lang or current_language()
    out: dict[str, Any] = {
        "id": programme.id,
        "name": catalogue.name(programme, chosen),
        "verdict": programme.verdict.value,
        "local": programme.local,
        "dose": programme.dose.model_dump(mode="json", exclude_none=True),
        "deliverers": programme.deliverers.model_dump(mode="json", exclude_none=True),
        "cost_per_participant": (
            programme.cost_per_participant.model_dump(mode="json")
            if programme.cost_per_participant
            else None
        ),
        "ratings": [r.model_dump(mode="json") for r in programme.ratings],
    }
    converted = converted_cost(programme, converter, to)
    if converted is not None:
        out["cost_converted"] = {
            "amount": round(converted[0], 2),
            "currency": converted[1],
            "year": converted[2],
        }
    return out


def rows(
    programmes: Iterable[Programme],
    catalogue: Catalogue,
    converter: CostConverter | None = None,
    to: tuple[str, int] | None = None,
) -> list[dict[str, str]]:
    """Table rows (already worded) for a list of programmes."""
    lang = current_language()
    return [
        {
            "id": p.id,
            "name": catalogue.name(p, lang) + (" " + _("(local)") if p.local else ""),
            "ages": f"{p.age_min}–{p.age_max}"
            + (" " + _("(children)") if p.ages_of == "children" else ""),
            "verdict": verdict_label(p.verdict.value),
            "dose": dose_text(p),
            "deliverers": deliverers_text(p),
            "cost": cost_text(p, converter, to),
            "ratings": ratings_text(p),
        }
        for p in programmes
    ]


def recommendation_rows(
    population: Ages, rec: RecommendationLike, plan: object | None = None
) -> list[list[str]]:
    """Rows (programme, intervention id, verdict, dose, deliverers, cost) of the programmes a
    recommendation names, costs also in the plan's currency and price year when it has them;
    empty when none fits. For the plan report."""
    from prevplan.catalogue.costs import load_converter, plan_money

    catalogue = load_catalogue()
    to = plan_money(plan) if plan is not None else None
    converter = load_converter() if to is not None else None
    lang = current_language()
    out = []
    for item in for_recommendation(population, rec):
        programme = catalogue.get(item.id)
        if programme is None:
            continue
        out.append(
            [
                catalogue.name(programme, lang),
                item.intervention,
                verdict_label(programme.verdict.value),
                dose_text(programme),
                deliverers_text(programme),
                cost_text(programme, converter, to),
            ]
        )
    return out


def table_lines(items: Sequence[ProgrammeItem], intervention: str) -> list[str]:
    """Lines for a terminal table: the programmes named under one intervention."""
    catalogue = load_catalogue()
    lang = current_language()
    out = []
    for item in items:
        if item.intervention != intervention:
            continue
        programme = catalogue.get(item.id)
        if programme is None:
            continue
        out.append(
            f"      · {catalogue.name(programme, lang)} — "
            f"{verdict_label(programme.verdict.value)}; {dose_text(programme)}; "
            f"{deliverers_text(programme)}; {cost_text(programme)}"
        )
    return out


def reported(text: str, status: str) -> str:
    """``text``, marked "(reported)" when the fact was not read at its source."""
    return f"{text} {_('(reported)')}" if status == "reported" else text


def fact_sources(programme: Programme) -> list[tuple[str, str, str, str]]:
    """(fact, link, date read, status) for every fact of a programme that names a source:
    the dose, the deliverers, each rating, the cost, the benefit-cost ratio, where it has
    been implemented; a fact's date is its own, else that of the record's source with the
    same link."""
    dates = {s.url: s.retrieved for s in programme.sources}
    out: list[tuple[str, str, str, str]] = []
    for fact, part in (
        (_("Dose"), programme.dose),
        (_("Deliverers"), programme.deliverers),
        (_("Implemented"), programme.implemented),
    ):
        if part.source:
            out.append((fact, part.source, dates.get(part.source, ""), part.status.value))
    for r in programme.ratings:
        out.append((f"{_(REGISTRIES[r.registry])}: {r.rating}", r.url, r.retrieved, r.status.value))
    for fact, money in (
        (_("Cost per participant"), programme.cost_per_participant),
        (_("Benefit-cost"), programme.benefit_cost),
    ):
        if money is not None:
            out.append((fact, money.source, money.retrieved, money.status.value))
    return out
