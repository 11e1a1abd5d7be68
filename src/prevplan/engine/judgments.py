"""Judgments on a population's plan: the warnings of interfaces §4 and the reasons why an
item is or is not recommended.

Longer than 500 lines on purpose: issue #11 asks for one judgments module that every consumer
uses, so that a warning's trigger, its reasons and its wording are found and changed in one
place; its four parts (findings, words, reasons, how activities are delivered) are fenced by
the ``# ---`` headings below.

Every consumer asks here: ``recommend`` (the warnings on a recommended mix), ``assess`` (the
warnings on a plan's activities), the workshop ("why not" for an item participants chose),
and what comes next (the optimiser, the monitor). A judgment is a :class:`Finding` — a
warning code with what it is about — decided from facts the caller gives; the parameters of
each trigger are data (``concept_rules/warnings.yaml``, ``trigger``), and the wording and the
sources come from the warning's definition there. The codes are the :class:`WarningCode`
vocabulary, which the rules loader checks against ``warnings.yaml``.

- ``route_to_treatment`` (VI-T1 degree III, V-4.1, V-4.4): the population's level is one the
  trigger names (tertiary); nothing the plan does silences it.
- ``split_by_age`` (VI-4, interventions by age stage): the population spans so many age
  stages that one mix cannot serve it.
- ``information_only``, ``no_fundamental_strategy``, ``single_strategy`` (VI-3.1, VI-3.2,
  VI-intro): the strategies that serve the population.
- ``untargeted_priority_risk`` (VI-1.2): a priority factor nothing addresses.
- ``level_mismatch`` (VI-2, Table 1) and ``age_stage_mismatch`` (VI-4): an item the rules tie
  to other levels or age stages only.
- How a plan's activities are delivered (``assess``): ``one_off_session``,
  ``information_lecture``, ``fear_appeal``, ``ex_user_testimony``, ``drug_testing``,
  ``untrained_deliverers``, ``harmful_programme``, ``media_only``, and the needs of a level
  that an activity must answer — ``needs_screening_referral`` (symptomatic) and
  ``route_to_treatment`` (tertiary), which no information activity answers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from prevplan.catalogue import load_catalogue
from prevplan.i18n import N_, _, join_list
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind, Meaning, WarningCode, WarningDefinition, WarningTrigger
from prevplan.vocab import Level, StrategyKind

__all__ = [
    "Finding",
    "Reason",
    "WarningCode",
    "age_span_findings",
    "age_stage_mismatch",
    "answers_need",
    "delivery_codes",
    "effective_formats",
    "fit_codes",
    "flagging_codes",
    "fundamental_strategies",
    "is_media",
    "is_parent_group",
    "is_venue_work",
    "lecture_is_main",
    "level_findings",
    "level_mismatch",
    "level_needs",
    "mix_findings",
    "programme_verdict",
    "recommendation_findings",
    "trigger_of",
    "untargeted_findings",
    "warning_fields",
    "why_not_intervention",
    "why_not_strategy",
    "works_through_parents",
]


@dataclass(frozen=True)
class Finding:
    """A warning raised: its code and what it is about."""

    code: WarningCode
    population_id: str | None = None
    activity_id: str | None = None
    factor: tuple[Kind, str] | None = None
    """The priority factor concerned (``untargeted_priority_risk``)."""
    detail: tuple[tuple[str, Any], ...] = field(default=())
    """Values for the sentence that follows the explanation (see :data:`DETAILS`)."""


DETAILS: dict[WarningCode, str] = {
    WarningCode.UNTARGETED_PRIORITY_RISK: N_("Not addressed: {factor}."),
    WarningCode.REACH_EXCEEDS_SIZE: N_(
        "Reach {reach} is larger than the population ({size}); the activity is left out of "
        "reach and coverage until it is corrected."
    ),
    WarningCode.LEVEL_MISMATCH: N_("Activity '{name}' does not suit {level} prevention."),
}
"""The sentence a warning adds to its explanation, where it names what it is about."""


def definition(rules: RuleSet, code: WarningCode) -> WarningDefinition:
    """The warning's definition (present: the rules loader checks every code)."""
    return rules.warning_definitions[code.value]


# --- the findings ------------------------------------------------------------------------------


def level_findings(rules: RuleSet, level: Level, population_id: str | None = None) -> list[Finding]:
    """Warnings raised by the prevention level alone: ``route_to_treatment`` at the levels
    its trigger names (tertiary), whatever the plan does."""
    code = WarningCode.ROUTE_TO_TREATMENT
    if level.value in definition(rules, code).trigger.levels:
        return [Finding(code, population_id)]
    return []


def mix_findings(
    rules: RuleSet,
    strategies: Collection[str],
    population_id: str | None = None,
    interventions: Collection[str] = (),
) -> list[Finding]:
    """Warnings on the strategies that serve a population (at least one activity or item).

    No fundamental strategy (VI-3.2): ``information_only`` when a strategy its trigger names
    is among them, and ``no_fundamental_strategy``; too few strategies (VI-intro):
    ``single_strategy``. The Concept asks for a connected set of strategies *and
    interventions*: ``interventions`` (those the population's activities deliver) that are
    components of their own beside the nine strategies — the ``single_strategy`` trigger
    lists them (antenatal screening and treatment, screening and brief intervention…) —
    count with the strategies, so one strategy with such a service is not single.
    """
    found: list[Finding] = []
    if not any(rules.strategies[s].kind is StrategyKind.FUNDAMENTAL for s in strategies):
        information = definition(rules, WarningCode.INFORMATION_ONLY).trigger.strategies
        if any(s in strategies for s in information):
            found.append(Finding(WarningCode.INFORMATION_ONLY, population_id))
        found.append(Finding(WarningCode.NO_FUNDAMENTAL_STRATEGY, population_id))
    single = definition(rules, WarningCode.SINGLE_STRATEGY).trigger
    most = single.max_strategies or 1
    components = len(set(interventions) & set(single.interventions)) if interventions else 0
    if strategies and len(strategies) + components <= most:
        found.append(Finding(WarningCode.SINGLE_STRATEGY, population_id))
    return found


def untargeted_findings(
    rules: RuleSet, factors: Iterable[tuple[Kind, str]], population_id: str | None = None
) -> list[Finding]:
    """``untargeted_priority_risk`` for each priority factor that nothing addresses."""
    return [
        Finding(
            WarningCode.UNTARGETED_PRIORITY_RISK,
            population_id,
            factor=factor,
            detail=(("factor", factor),),
        )
        for factor in factors
    ]


def needs_findings(rules: RuleSet, level: Level) -> list[Finding]:
    """What a recommendation at ``level`` must lead with: ``route_to_treatment`` at the
    tertiary level (V-4.1, V-4.4), ``needs_screening_referral`` at the indicated level
    (VI-2.3, Standards m) — each at the levels its trigger names."""
    return [
        Finding(code)
        for code in (WarningCode.ROUTE_TO_TREATMENT, WarningCode.NEEDS_SCREENING_REFERRAL)
        if level.value in definition(rules, code).trigger.levels
    ]


def age_span_findings(
    rules: RuleSet, age_stages: int, population_id: str | None = None
) -> list[Finding]:
    """``split_by_age`` (VI-4: interventions by age stage): the population spans at least as
    many age stages as the trigger names."""
    least = definition(rules, WarningCode.SPLIT_BY_AGE).trigger.min_age_stages
    if least is not None and age_stages >= least:
        return [Finding(WarningCode.SPLIT_BY_AGE, population_id)]
    return []


def media_only(rules: RuleSet, interventions: Collection[str]) -> bool:
    """Every intervention must be joined with work in other settings (VI-4.5#2: a media
    campaign with family, school and community programmes) and nothing else is there."""
    return bool(interventions) and all(
        rules.context(Meaning.INTEGRATES_WITH, Kind.INTERVENTION, i) for i in interventions
    )


def recommendation_findings(
    rules: RuleSet,
    *,
    level: Level,
    risk_known: bool,
    strategies: Sequence[str],
    untargeted: Sequence[tuple[Kind, str]],
    interventions: Collection[str] = (),
    age_stages: int = 0,
) -> list[Finding]:
    """The warnings on a recommended mix, in the order the recommendation lists them: what
    the level requires first (treatment, or screening and referral), then whether the
    population spans too many age stages (``age_stages``: how many) to plan as one."""
    found = needs_findings(rules, level)
    found += age_span_findings(rules, age_stages)
    if media_only(rules, interventions):
        found.append(Finding(WarningCode.MEDIA_ONLY))
    if not risk_known:
        found.append(Finding(WarningCode.UNKNOWN_RISK_FACTORS))
    if not strategies:
        found.append(Finding(WarningCode.NO_FUNDAMENTAL_STRATEGY))
    else:
        found += mix_findings(rules, strategies)
    return found + untargeted_findings(rules, untargeted)


def level_mismatch(rules: RuleSet, kind: Kind, entity_id: str, level: Level) -> bool:
    """The rules tie the strategy or intervention to prevention levels, not to ``level``."""
    levels = rules.objects(kind, Kind.LEVEL, entity_id)
    return bool(levels) and level.value not in levels


def age_stage_mismatch(
    rules: RuleSet, kind: Kind, entity_id: str, age_stages: Collection[str]
) -> bool:
    """The rules tie the strategy or intervention to age stages, none of them ``age_stages``."""
    stages = rules.objects(kind, Kind.AGE_STAGE, entity_id)
    return bool(stages) and not set(stages) & set(age_stages)


# --- words -------------------------------------------------------------------------------------


def warning_fields(
    rules: RuleSet, finding: Finding, lang: str, subject: str | None = None
) -> dict[str, Any]:
    """``code``, ``message`` and ``sources`` of a finding, in ``lang``.

    The explanation's ``{population}`` becomes ``subject`` (the population's id or name), or
    "this population" when there is none.
    """
    code = finding.code
    message = rules.translated("warnings", code.value, "explanation", lang)
    if subject is not None:
        message = message.replace("{population}", subject)
    else:
        if message.startswith("{population}"):
            message = _("This population", lang) + message[len("{population}") :]
        message = message.replace("{population}", _("this population", lang))
    detail = _detail(rules, finding, lang)
    if detail:
        message = f"{message} {detail}"
    return {"code": code.value, "message": message, "sources": definition(rules, code).sources}


def _detail(rules: RuleSet, finding: Finding, lang: str) -> str:
    template = DETAILS.get(finding.code)
    if template is None or not finding.detail:
        return ""
    values = dict(finding.detail)
    factor = values.get("factor")
    if isinstance(factor, tuple):
        values["factor"] = rules.translated(factor[0], factor[1], "label", lang)
    return _(template, lang).format(**values)


# --- reasons -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why an item is, or is not, in a population's recommendation, with its clauses."""

    text: str
    clauses: tuple[str, ...]


def _names(rules: RuleSet, kind: Kind, ids: Iterable[str]) -> str:
    return join_list(rules.label(kind, entity_id) for entity_id in dict.fromkeys(ids)).lower()


def _relation_sources(rules: RuleSet, kind: Kind, other: Kind, entity_id: str) -> list[str]:
    return [ref for link in rules.related(kind, other, entity_id) for ref in link.relation.sources]


def _clauses(*groups: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ref for group in groups for ref in group))


def level_reason(rules: RuleSet, kind: Kind, entity_id: str, level: Level) -> Reason | None:
    """Why an item does not suit the population's level (VI-2, Table 1), if it does not."""
    if not level_mismatch(rules, kind, entity_id, level):
        return None
    text = _(
        "The population calls for {level}; the Concept ties this to {levels} instead, so it "
        "does not match the population's prevention level."
    ).format(
        level=rules.label(Kind.LEVEL, level.value).lower(),
        levels=_names(rules, Kind.LEVEL, rules.objects(kind, Kind.LEVEL, entity_id)),
    )
    sources = definition(rules, WarningCode.LEVEL_MISMATCH).sources
    own = _own_clause(rules, kind, entity_id)
    return Reason(
        text, _clauses(sources, [own], _relation_sources(rules, kind, Kind.LEVEL, entity_id))
    )


def age_stage_reason(
    rules: RuleSet, kind: Kind, entity_id: str, age_stages: Collection[str]
) -> Reason | None:
    """Why an item does not suit the population's age (VI-4), if it does not."""
    if not age_stage_mismatch(rules, kind, entity_id, age_stages):
        return None
    text = _("The Concept places this in {stages}, not in the population's age ({own}).").format(
        stages=_names(rules, Kind.AGE_STAGE, rules.objects(kind, Kind.AGE_STAGE, entity_id)),
        own=_names(rules, Kind.AGE_STAGE, age_stages),
    )
    sources = definition(rules, WarningCode.AGE_STAGE_MISMATCH).sources
    own = _own_clause(rules, kind, entity_id)
    return Reason(
        text, _clauses(sources, [own], _relation_sources(rules, kind, Kind.AGE_STAGE, entity_id))
    )


def setting_reason(rules: RuleSet, intervention_id: str, listed: Collection[str]) -> Reason | None:
    """Why an intervention cannot reach the population, if it is delivered only in settings
    the planner did not list."""
    settings = rules.objects(Kind.INTERVENTION, Kind.SETTING, intervention_id)
    if not listed or not settings or set(settings) & set(listed):
        return None
    text = _(
        "It is delivered in {settings}, where this population cannot be reached (listed: {listed})."
    ).format(
        settings=_names(rules, Kind.SETTING, settings), listed=_names(rules, Kind.SETTING, listed)
    )
    own = rules.interventions[intervention_id].clause
    sources = _relation_sources(rules, Kind.INTERVENTION, Kind.SETTING, intervention_id)
    return Reason(text, _clauses([own], sources))


def supporting_alone_reason(rules: RuleSet, strategy_id: str) -> Reason | None:
    """Why a supporting strategy is not enough without a fundamental one (VI-3.2)."""
    strategy = rules.strategies[strategy_id]
    if strategy.kind is not StrategyKind.SUPPORTING:
        return None
    text = _(
        "A supporting strategy works only together with fundamental ones, and no "
        "fundamental strategy was chosen."
    )
    sources = definition(rules, WarningCode.NO_FUNDAMENTAL_STRATEGY).sources
    return Reason(text, _clauses(sources, [strategy.clause]))


def lower_rank_reason(rules: RuleSet, kind: Kind, entity_id: str) -> Reason:
    """Why an item that suits the population is not among the recommended ones."""
    selection = rules.files.prioritisation.selection
    text = _(
        "It suits this population, but fits its priority factors less well than the "
        "recommended items; a mix keeps at most {fundamental} fundamental and {supporting} "
        "supporting strategies."
    ).format(fundamental=selection.max_fundamental, supporting=selection.max_supporting)
    return Reason(text, _clauses([_own_clause(rules, kind, entity_id)], selection.sources))


def why_not_strategy(
    rules: RuleSet,
    strategy_id: str,
    *,
    level: Level,
    age_stages: Collection[str],
    fundamental_chosen: bool,
) -> Reason:
    """The first reason the Concept gives for not recommending a strategy to a population."""
    alone = None if fundamental_chosen else supporting_alone_reason(rules, strategy_id)
    return (
        alone
        or level_reason(rules, Kind.STRATEGY, strategy_id, level)
        or age_stage_reason(rules, Kind.STRATEGY, strategy_id, age_stages)
        or lower_rank_reason(rules, Kind.STRATEGY, strategy_id)
    )


def why_not_intervention(
    rules: RuleSet,
    intervention_id: str,
    *,
    level: Level,
    age_stages: Collection[str],
    settings: Collection[str],
) -> Reason:
    """The first reason the Concept gives for not recommending an intervention."""
    return (
        level_reason(rules, Kind.INTERVENTION, intervention_id, level)
        or age_stage_reason(rules, Kind.INTERVENTION, intervention_id, age_stages)
        or setting_reason(rules, intervention_id, settings)
        or lower_rank_reason(rules, Kind.INTERVENTION, intervention_id)
    )


def _own_clause(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    if kind is Kind.STRATEGY:
        return rules.strategies[entity_id].clause
    return rules.interventions[entity_id].clause


# --- how a plan's activities are delivered (assess) --------------------------------------------
#
# The quality judgments of ``assess`` (interfaces §4): each takes what an activity says of
# itself (its format, sessions, trained deliverers, practices, programme, the levels and
# strategies it is credited with) and the trigger in ``warnings.yaml``;
# :mod:`prevplan.plan.quality` gathers those facts for a population's activities.

#: Needs of a prevention level that an activity must answer (the trigger names the levels).
NEED_CODES = (WarningCode.ROUTE_TO_TREATMENT, WarningCode.NEEDS_SCREENING_REFERRAL)
#: Practices an activity may declare, each with the warning it raises.
PRACTICE_CODES = (WarningCode.FEAR_APPEAL, WarningCode.EX_USER_TESTIMONY, WarningCode.DRUG_TESTING)


@lru_cache(maxsize=256)
def trigger_of(rules: RuleSet, code: WarningCode) -> WarningTrigger:
    """The warning's trigger (every code is defined: the rules loader checks)."""
    return definition(rules, code).trigger


@lru_cache(maxsize=8)
def flagging_codes(rules: RuleSet) -> frozenset[str]:
    """The warnings that take the activity they name out of effective reach."""
    return frozenset(w.code for w in rules.warning_definitions.values() if w.trigger.flags_activity)


@lru_cache(maxsize=8)
def effective_formats(rules: RuleSet) -> frozenset[str]:
    """Formats through which people take part (``assessment.yaml``, ``effective``)."""
    return frozenset(rules.files.assessment.effective.formats)


@lru_cache(maxsize=8)
def fundamental_strategies(rules: RuleSet) -> frozenset[str]:
    """The fundamental strategies of VI-3.1."""
    return frozenset(s for s, e in rules.strategies.items() if e.kind is StrategyKind.FUNDAMENTAL)


@lru_cache(maxsize=64)
def _intervention_stages(rules: RuleSet, intervention: str) -> frozenset[str]:
    return frozenset(rules.objects(Kind.INTERVENTION, Kind.AGE_STAGE, intervention))


@lru_cache(maxsize=8)
def _through_parents(rules: RuleSet) -> frozenset[str]:
    """Interventions that work through parents (``age_stage_mismatch``'s trigger)."""
    wanted = set(trigger_of(rules, WarningCode.AGE_STAGE_MISMATCH).parent_strategies)
    return frozenset(
        i
        for i in rules.interventions
        if set(rules.objects(Kind.INTERVENTION, Kind.STRATEGY, i)) & wanted
    )


def is_parent_group(rules: RuleSet, special_groups: Iterable[str]) -> bool:
    """Whether a population's special groups make it parents (pregnant women, VI-4.1.2) for
    interventions that work through parents, as ``parents_of`` does. Adults as such are not
    parents: a parenting course for pensioners does not suit their ages."""
    groups = trigger_of(rules, WarningCode.AGE_STAGE_MISMATCH).parent_groups
    return any(group in groups for group in special_groups)


def works_through_parents(rules: RuleSet, interventions: Iterable[str]) -> bool:
    """Whether one of the interventions works through parents (a family programme)."""
    return any(i in _through_parents(rules) for i in interventions)


def programme_verdict(rules: RuleSet, programme: str) -> str | None:
    """The catalogue's verdict on a named programme (interfaces §6), if it holds one."""
    entry = load_catalogue().get(programme)
    return entry.verdict.value if entry is not None else None


def fit_codes(
    rules: RuleSet,
    levels: frozenset[str],
    interventions: tuple[str, ...],
    level: str,
    stages: tuple[str, ...],
    *,
    adult: bool,
    answers_need: bool,
) -> tuple[str, ...]:
    """``level_mismatch`` and ``age_stage_mismatch``: does the activity fit the population?

    ``levels``: the levels the activity suits (its interventions', else its strategies'). An
    activity that ``answers_need`` of the level fits it whatever else it names. For a
    population of parents (``adult``: it gives ``parents_of``, or is a parent group such as
    pregnant women, :func:`is_parent_group`), interventions that work through parents are not
    checked against its ages (they are the children's); any other population, adults
    included, is.
    """
    out: list[str] = []
    if levels and level not in levels and not answers_need:
        out.append(WarningCode.LEVEL_MISMATCH.value)
    if stages and any(
        (found := _intervention_stages(rules, i)) and not found.intersection(stages)
        for i in interventions
        if not (adult and i in _through_parents(rules))
    ):
        out.append(WarningCode.AGE_STAGE_MISMATCH.value)
    return tuple(out)


@lru_cache(maxsize=4096)
def delivery_codes(
    rules: RuleSet,
    fmt: str | None,
    sessions: int | None,
    trained: bool | None,
    practices: tuple[str, ...],
    programme: str | None,
) -> tuple[str, ...]:
    """The warnings on how an activity is delivered: programme, practices, dose, trainers.

    (``information_lecture`` depends on the population's other activities: see
    :func:`lecture_is_main`.)
    """
    out: list[str] = []
    harmful = trigger_of(rules, WarningCode.HARMFUL_PROGRAMME)
    verdict = programme_verdict(rules, programme) if programme else None
    if verdict is not None and verdict in harmful.verdicts:
        out.append(WarningCode.HARMFUL_PROGRAMME.value)
    out += [code.value for code in PRACTICE_CODES if trigger_of(rules, code).practice in practices]
    one_off = trigger_of(rules, WarningCode.ONE_OFF_SESSION)
    if fmt in one_off.always_formats or (
        sessions is not None
        and one_off.max_sessions is not None
        and sessions <= one_off.max_sessions
        and (fmt is None or fmt in one_off.formats)
    ):
        out.append(WarningCode.ONE_OFF_SESSION.value)
    untrained = trigger_of(rules, WarningCode.UNTRAINED_DELIVERERS)
    if trained is False and (fmt is None or fmt in untrained.untrained_formats):
        out.append(WarningCode.UNTRAINED_DELIVERERS.value)
    return tuple(out)


def is_venue_work(rules: RuleSet, settings: Collection[str]) -> bool:
    """An activity in the settings the ``one_off_session`` trigger names (entertainment
    venues, VI-4.6), whose remedy is work with the venue rather than a series of lessons."""
    return bool(settings) and any(
        x in settings for x in trigger_of(rules, WarningCode.ONE_OFF_SESSION).settings
    )


def lecture_is_main(rules: RuleSet, fmt: str | None, reach: int, main_reach: int) -> bool:
    """``information_lecture``: a lecture that reaches about as many people as the
    population's largest activity is its main work."""
    lecture = trigger_of(rules, WarningCode.INFORMATION_LECTURE)
    return fmt in lecture.formats and reach >= (lecture.main_share or 0.0) * main_reach


@lru_cache(maxsize=64)
def level_needs(rules: RuleSet, level: str) -> tuple[tuple[WarningCode, WarningTrigger], ...]:
    """What the level needs an activity to answer (screening and referral, treatment)."""
    return tuple((code, t) for code in NEED_CODES if level in (t := trigger_of(rules, code)).levels)


def answers_need(
    trigger: WarningTrigger,
    fmt: str | None,
    strategies: frozenset[str],
    interventions: tuple[str, ...],
    action_items: tuple[str, ...],
) -> bool:
    """Whether an activity answers the need a population warning looks for.

    Never a format that only informs, nor information alone (``route_to_treatment`` is not
    silenced by leaflets); through the Annex V items the trigger names, else a format or an
    intervention it names. The strategies decide only for an activity that gives no format:
    a one-to-one referral to treatment (V-4.1, V-4.4) answers the need whatever strategy it
    names, leaflets never do.
    """
    if fmt is not None and fmt in trigger.not_satisfied_by_formats:
        return False
    if (
        fmt is None
        and trigger.not_satisfied_by_strategies
        and not interventions
        and strategies <= set(trigger.not_satisfied_by_strategies)
    ):
        return False
    if trigger.satisfied_by_items:
        return bool(set(action_items) & set(trigger.satisfied_by_items))
    return (fmt is not None and fmt in trigger.satisfied_by_formats) or bool(
        set(interventions) & set(trigger.satisfied_by_interventions)
    )


def is_media(
    trigger: WarningTrigger,
    fmt: str | None,
    interventions: tuple[str, ...],
    settings: tuple[str, ...],
) -> bool:
    """``media_only``: an activity is mass-media work (by its format, else its interventions,
    else its settings)."""
    if fmt is not None:
        return fmt in trigger.formats
    if interventions:
        return set(interventions) <= set(trigger.interventions)
    return bool(settings) and set(settings) <= set(trigger.settings)
