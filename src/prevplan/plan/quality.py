"""Gathering what a population's activities say of their delivery, for the judgments.

The UNODC/WHO Standards (2018) and the Concept's own requirements (VI-4.3.1: interactive,
structured lessons; VI-4.5#2: campaigns joined with programmes in family, school and
community; VI-2.3 and Table 1: screening and referral for people who already use, treatment
for people with dependence) say what works and what does not. Each warning's trigger and
parameters are data in ``concept_rules/warnings.yaml``; this module reads them and applies
them (:mod:`prevplan.engine.judgments`, the one place where warnings are decided) to one
population's activities:

- activity warnings (an activity uses a fear appeal, is a one-off session, a lecture is the
  main activity, deliverers are untrained, the intervention does not suit the ages or the
  level, a catalogue programme was found harmful, the reach is impossible) — those whose
  trigger says ``flags_activity`` take the activity out of effective reach;
- population warnings (only mass-media work, no screening and brief intervention at the
  symptomatic level, no route to treatment at the tertiary level, delivery not described).

An activity counts towards **effective reach** when it is valid and unflagged and either
delivers a fundamental strategy (VI-3.1) in a format through which people take part
(``assessment.yaml``: interactive, one-to-one, screening, policy), or is the response the
population's level needs (screening and brief intervention, referral to treatment).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.judge import effective_dose, programme_of, tested_use_codes
from prevplan.engine import judgments
from prevplan.engine.judgments import WarningCode, is_adult
from prevplan.plan.credit import ActivityFacts
from prevplan.plan.models import Activity
from prevplan.rules import RuleSet

__all__ = ["Judged", "Served", "activity_codes", "is_adult", "judge"]


class Served(NamedTuple):
    """An activity of a population together with what it is credited with."""

    activity: Activity
    facts: ActivityFacts


@dataclass
class Judged:
    """The quality judgments on one population's activities."""

    flags: dict[str, list[str]] = field(default_factory=dict)
    """Activity id -> codes of the activity warnings that concern it."""
    effective: list[Served] = field(default_factory=list)
    """The activities that count towards effective reach."""
    population_codes: list[str] = field(default_factory=list)
    """Population warnings (media_only, needs_…, route_…, delivery_unknown)."""
    undescribed: int = 0
    """Activities that give no format."""


#: The catalogue's warnings on how a programme is used (``prevplan.catalogue.judge``).
_TESTED_USE = frozenset(
    {WarningCode.BELOW_TESTED_DOSE.value, WarningCode.OUTSIDE_TESTED_AGES.value}
)


def _fmt(activity: Activity) -> str | None:
    return activity.format.value if activity.format is not None else None


def activity_codes(
    served: Served,
    rules: RuleSet,
    level: str,
    stages: tuple[str, ...],
    size: int,
    main_reach: int,
    answers_need: bool = False,
    adult: bool = False,
    cache: dict[tuple[object, ...], tuple[str, ...]] | None = None,
    ages: tuple[int, int] | None = None,
) -> list[str]:
    """The activity warnings that concern one activity, in :data:`ACTIVITY_CODES` order.

    An activity that names a catalogue programme is judged with the programme's tested
    sessions unless it gives its own, and flagged when it is delivered below that dose or
    for people outside the ``ages`` it was tested on (the children's ages, for parents).

    ``main_reach`` is the largest reach of any of the population's activities (for
    ``information_lecture``: lectures that reach about as many people are its main work).
    An activity that ``answers_need`` of the level (screening, referral to treatment) fits
    the level whatever strategies it names. For an ``adult`` population, interventions that
    work through parents are not checked against its ages (they are the children's).
    ``cache`` keeps the fit of activities alike (same facts and interventions) for a run.
    """
    activity, facts = served.activity, served.facts
    out: list[str] = [WarningCode.REACH_EXCEEDS_SIZE.value] if activity.reach > size else []
    key = (id(facts), activity.interventions, level, stages, adult, answers_need)
    fit = cache.get(key) if cache is not None else None
    if fit is None:
        fit = judgments.fit_codes(
            rules,
            facts.levels,
            activity.interventions,
            level,
            stages,
            adult=adult,
            answers_need=answers_need,
        )
        if cache is not None:
            cache[key] = fit
    out += fit
    fmt = _fmt(activity)
    programme = programme_of(activity, load_catalogue()) if activity.programme else None
    out += judgments.delivery_codes(
        rules,
        fmt,
        effective_dose(activity, programme).sessions,
        activity.deliverers_trained,
        tuple(p.value for p in activity.practices),
        activity.programme,
    )
    if programme is not None:
        out += [c for c in tested_use_codes(activity, programme, ages) if c in _TESTED_USE]
    if judgments.lecture_is_main(rules, fmt, activity.reach, main_reach):
        out.append(WarningCode.INFORMATION_LECTURE.value)
    return out


def judge(
    acts: Sequence[Served],
    rules: RuleSet,
    level: str,
    stages: tuple[str, ...],
    size: int,
    adult: bool = False,
    cache: dict[tuple[object, ...], tuple[str, ...]] | None = None,
    ages: tuple[int, int] | None = None,
) -> Judged:
    """Every quality judgment on one population's activities (see the module docstring).

    ``cache`` (kept by the caller for a whole plan) holds the fit of activities alike.
    """
    out = Judged()
    flagging = judgments.flagging_codes(rules)
    main_reach = max((s.activity.reach for s in acts), default=0)
    needs = judgments.level_needs(rules, level)
    answered = {code.value: False for code, _trigger in needs}
    effective_formats = judgments.effective_formats(rules)
    fundamental = judgments.fundamental_strategies(rules)
    for served in acts:
        activity, facts = served
        answers_need = False
        for code, trigger in needs:
            if judgments.answers_need(
                trigger,
                _fmt(activity),
                facts.strategies,
                activity.interventions,
                facts.action_items,
            ):
                answered[code.value] = answers_need = True
        codes = activity_codes(
            served, rules, level, stages, size, main_reach, answers_need, adult, cache, ages
        )
        if codes:
            out.flags[activity.id] = codes
        if activity.format is None:
            out.undescribed += 1
        if any(c in flagging for c in codes) or activity.format is None:
            continue
        if answers_need or (
            activity.format.value in effective_formats and served.facts.strategies & fundamental
        ):
            out.effective.append(served)
    media = judgments.trigger_of(rules, WarningCode.MEDIA_ONLY)
    if acts and all(
        judgments.is_media(media, _fmt(a), a.interventions, f.settings) for a, f in acts
    ):
        out.population_codes.append(WarningCode.MEDIA_ONLY.value)
    out.population_codes += [code for code, done in answered.items() if not done]
    if out.undescribed:
        out.population_codes.append(WarningCode.DELIVERY_UNKNOWN.value)
    return out
