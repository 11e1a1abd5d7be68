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
from prevplan.engine.judgments import WarningCode, is_parent_group
from prevplan.plan.credit import ActivityFacts
from prevplan.plan.models import Activity
from prevplan.rules import RuleSet

__all__ = [
    "Description",
    "Judged",
    "Served",
    "activity_codes",
    "describe",
    "is_parent_group",
    "judge",
]


class Served(NamedTuple):
    """An activity of a population together with what it is credited with."""

    activity: Activity
    facts: ActivityFacts
    kind: int = -1
    """Activities described alike (what :func:`describe` and the credit read of them: the
    strategies, interventions, items and settings they name and how they are delivered)
    share one number within an assessment; -1: not numbered (judged on its own)."""


@dataclass
class Judged:
    """The quality judgments on one population's activities."""

    flags: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Activity id -> codes of the activity warnings that concern it."""
    flagged: list[tuple[Served, tuple[str, ...]]] = field(default_factory=list)
    """The activities with activity warnings, in the population's order, with their codes
    (:attr:`flags` by activity)."""
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
_REACH = WarningCode.REACH_EXCEEDS_SIZE.value
_LECTURE = WarningCode.INFORMATION_LECTURE.value


def _fmt(activity: Activity) -> str | None:
    return activity.format.value if activity.format is not None else None


class Description(NamedTuple):
    """What an activity's description (not its reach) decides for a population of one kind:
    the same for every activity described alike."""

    codes: tuple[str, ...]
    """Its fit, delivery and tested-use warnings, in :func:`activity_codes` order."""
    answers: tuple[bool, ...]
    """Whether it answers each need of the level (:func:`judgments.level_needs` order)."""
    answers_any: bool
    """It answers at least one of them."""
    flagged: bool
    """One of ``codes`` takes it out of effective reach."""
    counts: bool
    """Unflagged, it counts towards effective reach: it answers a need of the level, or
    delivers a fundamental strategy in a format through which people take part."""
    lecture: bool
    """Its format is one ``information_lecture`` looks at."""
    media: bool
    """It is mass-media work (``media_only``)."""


def describe(
    served: Served,
    rules: RuleSet,
    level: str,
    stages: tuple[str, ...],
    adult: bool = False,
    ages: tuple[int, int] | None = None,
) -> Description:
    """What the activity's description decides (see :func:`activity_codes`)."""
    activity, facts = served.activity, served.facts
    fmt = _fmt(activity)
    answers = tuple(
        judgments.answers_need(
            trigger, fmt, facts.strategies, activity.interventions, facts.action_items
        )
        for _code, trigger in judgments.level_needs(rules, level)
    )
    answers_need = any(answers)
    codes = judgments.fit_codes(
        rules,
        facts.levels,
        activity.interventions,
        level,
        stages,
        adult=adult,
        answers_need=answers_need,
    )
    programme = programme_of(activity, load_catalogue()) if activity.programme else None
    codes += judgments.delivery_codes(
        rules,
        fmt,
        effective_dose(activity, programme).sessions,
        activity.deliverers_trained,
        tuple(p.value for p in activity.practices),
        activity.programme,
    )
    if programme is not None:
        codes += tuple(c for c in tested_use_codes(activity, programme, ages) if c in _TESTED_USE)
    flagging = judgments.flagging_codes(rules)
    lecture = judgments.trigger_of(rules, WarningCode.INFORMATION_LECTURE)
    media = judgments.trigger_of(rules, WarningCode.MEDIA_ONLY)
    return Description(
        codes=codes,
        answers=answers,
        answers_any=answers_need,
        flagged=any(c in flagging for c in codes),
        counts=answers_need
        or (
            fmt is not None
            and fmt in judgments.effective_formats(rules)
            and bool(facts.strategies & judgments.fundamental_strategies(rules))
        ),
        lecture=fmt in lecture.formats,
        media=judgments.is_media(media, fmt, activity.interventions, facts.settings),
    )


def activity_codes(
    served: Served,
    description: Description,
    rules: RuleSet,
    size: int,
    main_reach: int,
) -> tuple[str, ...]:
    """The activity warnings that concern one activity, in a fixed order: an impossible
    reach, the fit to the population's level and ages, how it is delivered, how a named
    catalogue programme is used, and ``information_lecture``.

    An activity that names a catalogue programme is judged with the programme's tested
    sessions unless it gives its own, and flagged when it is delivered below that dose or
    for people outside the ages it was tested on (the children's ages, for parents).
    ``main_reach`` is the largest reach of any of the population's activities (for
    ``information_lecture``: lectures that reach about as many people are its main work).
    An activity that answers a need of the level (screening, referral to treatment) fits
    the level whatever strategies it names. For an adult population, interventions that
    work through parents are not checked against its ages (they are the children's).
    """
    reach = served.activity.reach
    out = description.codes
    if reach > size:
        out = (_REACH, *out)
    if description.lecture and judgments.lecture_is_main(
        rules, _fmt(served.activity), reach, main_reach
    ):
        out = (*out, _LECTURE)
    return out


def judge(
    acts: Sequence[Served],
    rules: RuleSet,
    level: str,
    stages: tuple[str, ...],
    size: int,
    adult: bool = False,
    cache: dict[tuple[object, ...], dict[int, Description]] | None = None,
    ages: tuple[int, int] | None = None,
    main_reach: int | None = None,
) -> Judged:
    """Every quality judgment on one population's activities (see the module docstring).

    ``cache`` (kept by the caller for a whole plan) holds, for each kind of population (its
    level, age stages, whether adult, the ages a programme is checked against), the
    :class:`Description` of each numbered kind of activity (:attr:`Served.kind`).
    ``main_reach``: the largest reach of any of the activities, when the caller knows it.
    """
    out = Judged()
    flagging = judgments.flagging_codes(rules)
    if main_reach is None:
        main_reach = max([s.activity.reach for s in acts], default=0)
    needs = judgments.level_needs(rules, level)
    answered = [False] * len(needs)
    context = (level, stages, adult, ages)
    known = (cache if cache is not None else {}).setdefault(context, {})
    media = bool(acts)
    flags, flagged_acts, effective = out.flags, out.flagged, out.effective
    for served in acts:
        kind = served.kind
        description = known.get(kind) if kind >= 0 else None
        if description is None:
            description = describe(served, rules, level, stages, adult, ages)
            if kind >= 0:
                known[kind] = description
        if description.answers_any:
            answered = [a or b for a, b in zip(answered, description.answers, strict=True)]
        media = media and description.media
        activity = served.activity
        codes = activity_codes(served, description, rules, size, main_reach)
        if codes:
            flags[activity.id] = codes
            flagged_acts.append((served, codes))
        if activity.format is None:
            out.undescribed += 1
            continue
        flagged = description.flagged or (
            codes is not description.codes and any(c in flagging for c in codes)
        )
        if not flagged and description.counts:
            effective.append(served)
    if media:
        out.population_codes.append(WarningCode.MEDIA_ONLY.value)
    out.population_codes += [
        code.value for (code, _trigger), done in zip(needs, answered, strict=True) if not done
    ]
    if out.undescribed:
        out.population_codes.append(WarningCode.DELIVERY_UNKNOWN.value)
    return out
