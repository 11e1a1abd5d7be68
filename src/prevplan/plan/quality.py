"""Gathering what a population's activities say of their delivery, for the judgments.

The UNODC/WHO Standards (2018) and the Concept's own requirements (VI-4.3.1: interactive,
structured lessons; VI-4.5#2: campaigns joined with programmes in family, school and
community; VI-2.3 and Table 1: screening and referral for people who already use, treatment
for people with dependence) say what works and what does not. Each warning's trigger and
parameters are data in ``concept_rules/warnings.yaml``; this module reads them and applies
them (:mod:`prevplan.engine.judgments`, the one place where warnings are decided) to every
activity of a plan at once (:func:`judge_plan`: each kind of activity is described once for
each kind of population, and the rest is arrays over the plan's activities):

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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.judge import effective_dose, programme_of, tested_use_codes
from prevplan.engine import judgments
from prevplan.engine.judgments import WarningCode, is_parent_group
from prevplan.plan.counts import Ints, RowArrays, Rows, any_of, best_reach, largest
from prevplan.plan.credit import ActivityFacts
from prevplan.plan.models import Activity
from prevplan.rules import RuleSet

__all__ = [
    "Context",
    "Description",
    "Judged",
    "PlanJudgments",
    "Served",
    "describe",
    "is_parent_group",
    "judge_plan",
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

    flagged: list[tuple[Served, tuple[str, ...]]] = field(default_factory=list)
    """The activities with activity warnings, in the population's order, with their codes."""
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
    """Its fit, delivery and tested-use warnings, in the order :func:`judge_plan` gives."""
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
    undescribed: bool
    """It gives no format, so its quality cannot be judged."""


def describe(
    served: Served,
    rules: RuleSet,
    level: str,
    stages: tuple[str, ...],
    adult: bool = False,
    ages: tuple[int, int] | None = None,
) -> Description:
    """What the activity's description decides (see :func:`judge_plan`).

    An activity that names a catalogue programme is judged with the programme's tested
    sessions unless it gives its own, and flagged when it is delivered below that dose or
    for people outside the ages it was tested on (the children's ages, for parents). An
    activity that answers a need of the level (screening, referral to treatment) fits the
    level whatever strategies it names. For an adult population, interventions that work
    through parents are not checked against its ages (they are the children's)."""
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
        undescribed=fmt is None,
    )


class Context(NamedTuple):
    """What the judgments of a population's activities depend on besides the activities."""

    level: str
    stages: tuple[str, ...]
    """The age stages an activity must suit (for parents, their children's)."""
    adult: bool
    """Parents (or pregnant women): interventions that work through parents suit them."""
    ages: tuple[int, int]
    """The ages a catalogue programme is checked against (for parents, their children's)."""


@dataclass
class PlanJudgments:
    """The quality judgments on every activity of a plan, by population (in order)."""

    judged: list[Judged]
    effective_reach: list[int]
    """The largest reach of one activity that counts towards effective reach (uncapped)."""
    effective_ids: list[tuple[str, ...]]
    """The ids of the activities that count towards effective reach."""
    strategy_effective: dict[str, int]
    """Per strategy: the people effectively reached, summed over populations."""


def judge_plan(
    rules: RuleSet,
    activities: Sequence[Activity],
    rows: Rows,
    arrays: RowArrays,
    contexts: list[Context],
) -> PlanJudgments:
    """Every quality judgment on a plan's activities (see the module docstring).

    Each activity (a row, :class:`~prevplan.plan.counts.Rows`) has its warnings: those of
    its description for its population (:func:`describe`, once for all the activities
    described alike), ``reach_exceeds_size`` first when its reach is impossible, and
    ``information_lecture`` last when it is a lecture reaching about as many people as the
    population's largest activity. An activity counts towards effective reach when it gives
    a format, none of its warnings flags it, and its description counts."""
    descriptions, at = _descriptions(rules, activities, rows, arrays, contexts)
    pick = _picker(descriptions, at)
    flagging = judgments.flagging_codes(rules)
    impossible = ~arrays.valid
    pop = arrays.pop.tolist()
    main = np.zeros(len(at), dtype=np.bool_)
    for r in np.flatnonzero(pick(lambda x: x.lecture)).tolist():
        activity = activities[rows.activity[r]]
        main[r] = judgments.lecture_is_main(
            rules, _fmt(activity), activity.reach, int(arrays.main_reach[pop[r]])
        )
    flagged = (
        pick(lambda x: x.flagged)
        | (impossible & (_REACH in flagging))
        | (main & (_LECTURE in flagging))
    )
    described = ~pick(lambda x: x.undescribed)
    effective = described & ~flagged & pick(lambda x: x.counts)
    judged = _population_judgments(rules, descriptions, at, arrays, contexts, described)
    for r in np.flatnonzero(pick(lambda x: bool(x.codes)) | impossible | main).tolist():
        codes = descriptions[at[r]].codes
        if impossible[r]:
            codes = (_REACH, *codes)
        if main[r]:
            codes = (*codes, _LECTURE)
        n = rows.activity[r]
        served = Served(activities[n], rows.distinct[rows.facts[r]], rows.kind[r])
        judged[pop[r]].flagged.append((served, codes))
    return PlanJudgments(judged, *_effective(arrays, effective))


def _descriptions(
    rules: RuleSet,
    activities: Sequence[Activity],
    rows: Rows,
    arrays: RowArrays,
    contexts: list[Context],
) -> tuple[list[Description], list[int]]:
    """The descriptions of the plan's rows, one for each kind of activity in each context
    (:func:`describe`), and the one of each row."""
    numbers: dict[Context, int] = {}
    context: Ints = np.array(
        [numbers.setdefault(c, len(numbers)) for c in contexts], dtype=np.int64
    )
    kinds = int(arrays.kind.max()) + 1 if len(arrays.kind) else 1
    _keys, first, at = np.unique(
        context[arrays.pop] * kinds + arrays.kind, return_index=True, return_inverse=True
    )
    out = []
    for r in first.tolist():
        n = rows.activity[r]
        served = Served(activities[n], rows.distinct[rows.facts[r]], rows.kind[r])
        c = contexts[int(arrays.pop[r])]
        out.append(describe(served, rules, c.level, c.stages, c.adult, c.ages))
    return out, at.tolist()


def _picker(
    descriptions: list[Description], at: list[int]
) -> Callable[[Callable[[Description], bool]], npt.NDArray[np.bool_]]:
    """A function giving, for each row, a property of its description."""

    def pick(read: Callable[[Description], bool]) -> npt.NDArray[np.bool_]:
        return np.array([read(x) for x in descriptions], dtype=np.bool_)[at]

    return pick


def _population_judgments(
    rules: RuleSet,
    descriptions: list[Description],
    at: list[int],
    arrays: RowArrays,
    contexts: list[Context],
    described: npt.NDArray[np.bool_],
) -> list[Judged]:
    """Each population's own warnings: ``media_only`` when all its activities are mass-media
    work, the needs of its level that none of them answers, ``delivery_unknown`` when some
    give no format."""
    n, pop = len(contexts), arrays.pop
    # As many columns as the most needs any population's level has: a population without
    # activities (or whose activities answer nothing) still has its level's needs.
    width = max((len(judgments.level_needs(rules, c.level)) for c in contexts), default=0)
    table = np.zeros((len(descriptions), width + 1), dtype=np.bool_)
    for row, x in enumerate(descriptions):
        table[row, 0] = not x.media
        table[row, 1 : len(x.answers) + 1] = x.answers
    found = any_of(table[at], pop, n)
    media = ((np.bincount(pop, minlength=n) > 0) & ~found[:, 0]).tolist()
    answered = found[:, 1:].tolist()
    undescribed = np.bincount(pop[~described], minlength=n).tolist()
    out = []
    for i, context in enumerate(contexts):
        codes = [WarningCode.MEDIA_ONLY.value] if media[i] else []
        needs = judgments.level_needs(rules, context.level)
        codes += [
            code.value
            for (code, _trigger), done in zip(needs, answered[i][: len(needs)], strict=True)
            if not done
        ]
        if undescribed[i]:
            codes.append(WarningCode.DELIVERY_UNKNOWN.value)
        out.append(Judged(population_codes=codes, undescribed=undescribed[i]))
    return out


def _effective(
    arrays: RowArrays, effective: npt.NDArray[np.bool_]
) -> tuple[list[int], list[tuple[str, ...]], dict[str, int]]:
    """Per population, the largest reach of an effective row and the ids of its effective
    rows; per strategy, the people effectively reached (each population's largest reach of
    an effective activity delivering it, capped at its size, summed)."""
    pop, reach, n = arrays.pop, arrays.reach, len(arrays.size)
    credits = arrays.credits
    top = largest(np.where(effective, reach, 0), pop, n).tolist()
    best = best_reach((credits.strategy[credits.row] > 0) & effective[:, None], reach, pop, n)
    capped = np.where(best >= 0, np.minimum(best, arrays.size[:, None]), 0).sum(axis=0)
    chosen = np.flatnonzero(effective)
    ids: list[str] = arrays.ids[chosen].tolist()
    counts = np.bincount(pop[chosen], minlength=n).tolist()
    return (
        top,
        [tuple(ids[end - k : end]) for end, k in zip(accumulate(counts), counts, strict=True)],
        dict(zip(credits.strategies, capped.tolist(), strict=True)),
    )
