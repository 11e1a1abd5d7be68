"""How the PDF report words numbers, ages, strategy kinds and lists of activities.

Counts, shares, money and dates follow the report's language (:mod:`prevplan.i18n`); plan
names, population names and the like print as the planner wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version

from babel.dates import format_date

from prevplan.i18n import _, format_money, format_number, format_percent
from prevplan.plan.models import Activity, Plan
from prevplan.vocab import StrategyKind


@dataclass(frozen=True)
class Numbers:
    """Counts, shares, money and dates in the report's language (:mod:`prevplan.i18n`)."""

    locale: str

    def count(self, value: float) -> str:
        """A whole number of people, activities or items."""
        return format_number(round(value), self.locale)

    def share(self, value: float | None) -> str:
        """A share as a percentage with one decimal; "—" when unknown."""
        return "—" if value is None else format_percent(value, self.locale, decimals=1)

    def money(self, value: float | None) -> str:
        """An amount in the plan's currency, whole; "—" when unknown."""
        return "—" if value is None else format_number(value, self.locale, decimals=0)

    def per_person(self, value: float | None) -> str:
        """A cost per person, with two decimals; "—" when unknown."""
        return "—" if value is None else format_money(value, self.locale)

    def day(self, value: date) -> str:
        """A date written out in full."""
        return format_date(value, format="long", locale=self.locale)


_DOUBLE_STOP = re.compile(r"(?<=\w)\.\.(?=\s|$)")


def one_full_stop(text: str) -> str:
    """A sentence whose last word already ends in a full stop keeps only one: a Russian date
    ends in "г." ("7 декабря 2026 г."), so "… on {date}." would print "г..".
    An ellipsis ("…" or "...") is left alone."""
    return _DOUBLE_STOP.sub(".", text)


def age_range(age_min: int, age_max: int) -> str:
    """A population's ages, e.g. "12–17"."""
    return f"{age_min}–{age_max}"


def kind_word(kind: StrategyKind) -> str:
    """A strategy's kind as the report's tables word it."""
    return _("Fundamental") if kind is StrategyKind.FUNDAMENTAL else _("Supporting")


def activity_names(activities: Sequence[Activity], limit: int = 4) -> str:
    """The first ``limit`` activities by name, then how many more there are."""
    shown = [a.name or a.id for a in activities[:limit]]
    more = len(activities) - limit
    text = "; ".join(shown)
    if more > 0:
        text += " " + _("and {n} more").format(n=more)
    return text


def plan_text(plan: Plan) -> str:
    """Every text of the plan that the report prints, to choose the fonts it needs."""
    parts = [plan.name, plan.country, plan.region, plan.period, plan.description]
    for p in plan.populations:
        parts += [p.id, p.name, p.region]
    for a in plan.activities:
        parts += [a.id, a.name, a.executor, a.schedule]
    parts += [t.note for t in plan.tracker]
    return "".join(x for x in parts if x)


def prevplan_version() -> str:
    """The installed prevplan's version ("" when run from a source tree)."""
    try:
        return version("prevplan")
    except PackageNotFoundError:  # running from a source tree without installing
        return ""
