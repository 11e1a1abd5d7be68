"""Judging how a plan's activities are delivered: the quality warnings of interfaces §4.

The UNODC/WHO Standards (2018) and the Concept's own requirements (VI-4.3.1: interactive,
structured lessons; VI-4.5#2: campaigns joined with programmes in family, school and
community; VI-2.3 and Table 1: screening and referral for people who already use, treatment
for people with dependence) say what works and what does not. Each warning's trigger and
parameters are data in ``concept_rules/warnings.yaml``; this module reads them and applies
them to one population's activities:

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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from prevplan.plan.credit import ActivityFacts
from prevplan.plan.models import Activity, Practice
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind, WarningTrigger
from prevplan.vocab import StrategyKind

#: The activity-level warnings and the order they are checked and reported in.
ACTIVITY_CODES = (
    "reach_exceeds_size",
    "level_mismatch",
    "age_stage_mismatch",
    "harmful_programme",
    "fear_appeal",
    "ex_user_testimony",
    "drug_testing",
    "one_off_session",
    "information_lecture",
    "untrained_deliverers",
)
#: Needs of a prevention level that an activity must answer.
NEED_CODES = ("route_to_treatment", "needs_screening_referral")


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


@lru_cache(maxsize=8)
def triggers(rules: RuleSet) -> dict[str, WarningTrigger]:
    """Every warning's trigger, by code (a warning without one gets the empty trigger)."""
    return {
        code: definition.trigger or WarningTrigger()
        for code, definition in rules.warning_definitions.items()
    }


@lru_cache(maxsize=8)
def flagging_codes(rules: RuleSet) -> frozenset[str]:
    """The warnings that take the activity they name out of effective reach."""
    return frozenset(code for code, t in triggers(rules).items() if t.flags_activity)


@lru_cache(maxsize=8)
def _effective_formats(rules: RuleSet) -> frozenset[str]:
    return frozenset(rules.files.assessment.effective.formats)


@lru_cache(maxsize=8)
def _fundamental(rules: RuleSet) -> frozenset[str]:
    return frozenset(s for s, e in rules.strategies.items() if e.kind is StrategyKind.FUNDAMENTAL)


@lru_cache(maxsize=64)
def _intervention_stages(rules: RuleSet, intervention: str) -> frozenset[str]:
    return frozenset(rules.objects(Kind.INTERVENTION, Kind.AGE_STAGE, intervention))


@lru_cache(maxsize=8)
def _through_parents(rules: RuleSet) -> frozenset[str]:
    """Interventions that work through parents (``age_stage_mismatch``'s trigger)."""
    trigger = triggers(rules).get("age_stage_mismatch")
    if trigger is None:
        return frozenset()
    return frozenset(
        i
        for i in rules.interventions
        if set(rules.objects(Kind.INTERVENTION, Kind.STRATEGY, i)) & set(trigger.parent_strategies)
    )


def is_adult(rules: RuleSet, age_min: int) -> bool:
    """Whether a population counts as adults for interventions that work through parents."""
    trigger = triggers(rules).get("age_stage_mismatch")
    return bool(trigger and trigger.adult_age is not None and age_min >= trigger.adult_age)


def programme_verdict(rules: RuleSet, programme: str) -> str | None:
    """The catalogue's verdict on a named programme (interfaces §6), if the rules have one."""
    catalogue: Mapping[str, Any] = getattr(rules, "programmes", None) or {}
    entry = catalogue.get(programme)
    verdict = getattr(entry, "verdict", None)
    return str(verdict) if verdict is not None else None


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
) -> list[str]:
    """The activity warnings that concern one activity, in :data:`ACTIVITY_CODES` order.

    ``main_reach`` is the largest reach of any of the population's activities (for
    ``information_lecture``: lectures that reach about as many people are its main work).
    An activity that ``answers_need`` of the level (screening, referral to treatment) fits
    the level whatever strategies it names. For an ``adult`` population, interventions that
    work through parents are not checked against its ages (they are the children's).
    ``cache`` keeps the fit of activities alike (same facts and interventions) for a run.
    """
    activity, facts = served.activity, served.facts
    out: list[str] = ["reach_exceeds_size"] if activity.reach > size else []
    key = (id(facts), activity.interventions, level, stages, adult, answers_need)
    fit = cache.get(key) if cache is not None else None
    if fit is None:
        fit = _fit_codes(facts, activity.interventions, rules, level, stages, adult, answers_need)
        if cache is not None:
            cache[key] = fit
    out += fit
    fmt = _fmt(activity)
    out += _delivery_codes(
        rules,
        fmt,
        activity.sessions,
        activity.deliverers_trained,
        activity.practices,
        activity.programme,
    )
    lecture = triggers(rules).get("information_lecture")
    if (
        lecture is not None
        and fmt in lecture.formats
        and activity.reach >= (lecture.main_share or 0.0) * main_reach
    ):
        out.append("information_lecture")
    return out


def _fit_codes(
    facts: ActivityFacts,
    interventions: tuple[str, ...],
    rules: RuleSet,
    level: str,
    stages: tuple[str, ...],
    adult: bool,
    answers_need: bool,
) -> tuple[str, ...]:
    """``level_mismatch`` and ``age_stage_mismatch``: does the activity fit the population?"""
    out: list[str] = []
    if facts.levels and level not in facts.levels and not answers_need:
        out.append("level_mismatch")
    if stages and any(
        (found := _intervention_stages(rules, i)) and not found.intersection(stages)
        for i in interventions
        if not (adult and i in _through_parents(rules))
    ):
        out.append("age_stage_mismatch")
    return tuple(out)


@lru_cache(maxsize=4096)
def _delivery_codes(
    rules: RuleSet,
    fmt: str | None,
    sessions: int | None,
    trained: bool | None,
    practices: tuple[Practice, ...],
    programme: str | None,
) -> tuple[str, ...]:
    """The warnings on how an activity is delivered: programme, practices, dose, trainers.

    (``information_lecture`` depends on the population's other activities too: see
    :func:`activity_codes`.)
    """
    t = triggers(rules)
    out: list[str] = []
    harmful = t.get("harmful_programme")
    if harmful is not None and programme:
        verdict = programme_verdict(rules, programme)
        if verdict is not None and verdict in harmful.verdicts:
            out.append("harmful_programme")
    used = {p.value for p in practices}
    out += [
        code
        for code in ("fear_appeal", "ex_user_testimony", "drug_testing")
        if code in t and t[code].practice in used
    ]
    one_off = t.get("one_off_session")
    if one_off is not None and (
        fmt in one_off.always_formats
        or (
            sessions is not None
            and one_off.max_sessions is not None
            and sessions <= one_off.max_sessions
            and (fmt is None or fmt in one_off.formats)
        )
    ):
        out.append("one_off_session")
    untrained = t.get("untrained_deliverers")
    if (
        untrained is not None
        and trained is False
        and (fmt is None or fmt in untrained.untrained_formats)
    ):
        out.append("untrained_deliverers")
    return tuple(out)


def _answers(served: Served, trigger: WarningTrigger) -> bool:
    """Whether an activity answers the need a population warning looks for."""
    activity, facts = served.activity, served.facts
    fmt = _fmt(activity)
    if fmt is not None and fmt in trigger.not_satisfied_by_formats:
        return False
    if (
        trigger.not_satisfied_by_strategies
        and not activity.interventions
        and facts.strategies <= set(trigger.not_satisfied_by_strategies)
    ):
        return False
    if trigger.satisfied_by_items:
        return bool(set(facts.action_items) & set(trigger.satisfied_by_items))
    return (fmt is not None and fmt in trigger.satisfied_by_formats) or bool(
        set(activity.interventions) & set(trigger.satisfied_by_interventions)
    )


def _is_media(served: Served, trigger: WarningTrigger) -> bool:
    activity, facts = served.activity, served.facts
    fmt = _fmt(activity)
    if fmt is not None:
        return fmt in trigger.formats
    if activity.interventions:
        return set(activity.interventions) <= set(trigger.interventions)
    return bool(facts.settings) and set(facts.settings) <= set(trigger.settings)


def judge(
    acts: Sequence[Served],
    rules: RuleSet,
    level: str,
    stages: tuple[str, ...],
    size: int,
    adult: bool = False,
    cache: dict[tuple[object, ...], tuple[str, ...]] | None = None,
) -> Judged:
    """Every quality judgment on one population's activities (see the module docstring).

    ``cache`` (kept by the caller for a whole plan) holds the fit of activities alike.
    """
    t = triggers(rules)
    out = Judged()
    flagging = flagging_codes(rules)
    main_reach = max((s.activity.reach for s in acts), default=0)
    needs = [(code, t[code]) for code in NEED_CODES if code in t and level in t[code].levels]
    answered = {code: False for code, _trigger in needs}
    effective_formats = _effective_formats(rules)
    fundamental = _fundamental(rules)
    for served in acts:
        activity = served.activity
        answers_need = False
        for code, trigger in needs:
            if _answers(served, trigger):
                answered[code] = answers_need = True
        codes = activity_codes(
            served, rules, level, stages, size, main_reach, answers_need, adult, cache
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
    media = t.get("media_only")
    if media is not None and acts and all(_is_media(s, media) for s in acts):
        out.population_codes.append("media_only")
    out.population_codes += [code for code, done in answered.items() if not done]
    if out.undescribed:
        out.population_codes.append("delivery_unknown")
    return out
