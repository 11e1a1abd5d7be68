"""The assessment's warnings in words: each finding of the judgments with its message.

The findings are decided in :mod:`prevplan.engine.judgments` (on the mix of strategies and
the factors targeted) and :mod:`prevplan.plan.quality` (on how activities are delivered);
here each becomes an :class:`~prevplan.plan.assessment.AssessWarning` in the current
language: the warning's explanation from ``concept_rules/warnings.yaml`` and its
translations, and a sentence naming the activity, the factor or the figures concerned.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.judge import detail as programme_detail
from prevplan.engine import judgments
from prevplan.engine.judgments import WarningCode
from prevplan.engine.profile import Factor, age_stages_for
from prevplan.i18n import DEFAULT_LANGUAGE, _, current_language, format_number, ngettext
from prevplan.plan.assessment import AssessWarning, trusted
from prevplan.plan.models import Activity
from prevplan.plan.quality import Judged
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind


def _warn(
    rules: RuleSet,
    code: str,
    population_id: str | None,
    activity_id: str | None,
    detail: str = "",
    factor: tuple[str, str] | None = None,
    population_name: str | None = None,
    lang: str | None = None,
) -> AssessWarning:
    """A warning in the current language (or ``lang``), about its population (and factor, if
    any); the message names the population as people read it (its name; the id only when it
    has none), while ``population_id`` keeps the id for machines."""
    # The explanation in the language, from concept_rules/translations/.
    message, sources, standards = _wording(rules, code, lang or current_language())
    if message.startswith("{population}") and not population_id:
        message = _("This population") + message[len("{population}") :]
    message = message.replace(
        "{population}", population_name or population_id or _("this population")
    )
    return trusted(
        AssessWarning,
        code=code,
        population_id=population_id,
        activity_id=activity_id,
        factor_kind=factor[0] if factor else None,
        factor_id=factor[1] if factor else None,
        message=f"{message} {detail}".strip() if detail else message.strip(),
        sources=sources,
        standards=standards,
    )


@lru_cache(maxsize=256)
def _wording(rules: RuleSet, code: str, lang: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """A warning's explanation in ``lang``, its sources and its Standards items."""
    definition = rules.warning_definitions[code]
    explanation = rules.translated("warnings", code, "explanation", lang)
    return explanation, definition.sources, definition.standards


@lru_cache(maxsize=1024)
def _mix_codes(
    rules: RuleSet, served: tuple[str, ...], interventions: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The warnings on a mix of strategies and the interventions delivering them (kept:
    plans repeat the same mixes)."""
    return tuple(f.code.value for f in judgments.mix_findings(rules, served, None, interventions))


@lru_cache(maxsize=1024)
def _untargeted(
    rules: RuleSet, factors: tuple[tuple[Kind, str], ...]
) -> tuple[tuple[str, tuple[Kind, str] | None, tuple[str, str] | None], ...]:
    """The warnings on priority factors nothing addresses, each with its factor (and the
    factor's kind and id as the warning names them)."""
    return tuple(
        (f.code.value, f.factor, (f.factor[0].value, f.factor[1]) if f.factor else None)
        for f in judgments.untargeted_findings(rules, factors)
    )


def level_name(level: str, rules: RuleSet) -> str:
    """The level as the level-mismatch message names it: the id in English ("selective
    prevention"), the translated label in another language (whose message quotes it)."""
    if current_language() == DEFAULT_LANGUAGE:
        return level
    return rules.translated(Kind.LEVEL, level, "label")


def population_warnings(
    population: TargetPopulation,
    has_activities: bool,
    addressed: frozenset[Factor],
    served: Sequence[str],
    priorities: tuple[Factor, ...],
    rules: RuleSet,
    interventions: tuple[str, ...] = (),
) -> list[AssessWarning]:
    """The warnings about a population's mix of strategies and the factors it targets
    (:mod:`prevplan.engine.judgments`); ``addressed``: the factors its activities address,
    ``served`` includes what a linked family programme delivers, ``interventions`` what its
    activities name (sorted; needed beside a single strategy only)."""
    pid = population.id
    lang = current_language()
    name = population.name or None
    # A population too wide in age to plan as one (VI-4): the same warning as recommend's.
    out = [
        _warn(rules, code, pid, None, "", None, name, lang)
        for code in _age_span_codes(rules, population.age_min, population.age_max)
    ]
    if not has_activities:
        out.append(_warn(rules, WarningCode.UNCOVERED_POPULATION.value, pid, None, "", None, name))
        return out
    out += [
        _warn(rules, code, pid, None, "", None, name, lang)
        for code in _mix_codes(rules, tuple(served), interventions)
    ]
    if priorities:
        untargeted = tuple(factor for factor in priorities if factor not in addressed)
        for code, factor, ids in _untargeted(rules, untargeted) if untargeted else ():
            detail = _not_addressed(rules, *factor, lang) if factor is not None else ""
            out.append(_warn(rules, code, pid, None, detail, ids, name, lang))
    return out


@lru_cache(maxsize=512)
def _age_span_codes(rules: RuleSet, age_min: int, age_max: int) -> tuple[str, ...]:
    """``split_by_age`` when the ages span too many age stages (kept: plans repeat ages)."""
    stages = age_stages_for(age_min, age_max, rules)
    return tuple(f.code.value for f in judgments.age_span_findings(rules, len(stages)))


@lru_cache(maxsize=256)
def _not_addressed(rules: RuleSet, kind: Kind, factor_id: str, lang: str) -> str:
    """The sentence naming a priority factor nothing addresses (kept: plans repeat them)."""
    label = rules.translated(kind, factor_id, "label", lang)
    return _("Not addressed: {factor}.", lang).format(factor=label)


def quality_warnings(
    population: TargetPopulation,
    judged: Judged,
    level: str,
    rules: RuleSet,
) -> list[AssessWarning]:
    """The warnings of :func:`prevplan.plan.quality.judge_plan`, with their details."""
    pid = population.id
    lang = current_language()
    name = population.name or None
    out: list[AssessWarning] = []
    for f, codes in judged.flagged:
        activity = f.activity
        for code in codes:
            detail = _detail(code, activity, population, level, rules, lang, f.facts.settings)
            out.append(_warn(rules, code, pid, activity.id, detail, None, name, lang))
    for code in judged.population_codes:
        detail = ""
        if code == "delivery_unknown":
            detail = _undescribed(judged.undescribed, lang)
        out.append(_warn(rules, code, pid, None, detail, None, name, lang))
    return out


@lru_cache(maxsize=512)
def _undescribed(n: int, lang: str) -> str:
    """How many activities give no format (one sentence, cached: plans repeat the counts)."""
    return ngettext("{n} activity gives no format.", "{n} activities give no format.", n).format(
        n=format_number(n, lang)
    )


def _detail(
    code: str,
    activity: Activity,
    population: TargetPopulation,
    level: str,
    rules: RuleSet,
    lang: str,
    settings: tuple[str, ...] = (),
) -> str:
    """The sentence that names the activity (and its figures) after a warning's explanation,
    in ``lang`` (the current language); for ``one_off_session``, what to do instead, which
    follows the activity's ``settings`` (credited, :class:`ActivityFacts`)."""
    name = activity.name or activity.id
    if code == "one_off_session":
        venue = judgments.is_venue_work(rules, settings)
        if not settings:
            # An activity that names neither settings nor an intervention happens where its
            # population is reached: venue work when venues are all of it besides the media
            # (festival sessions for young people in the nightlife scene).
            places = [s.value for s in population.settings or () if s.value != "mass_media"]
            venue = bool(places) and all(judgments.is_venue_work(rules, (p,)) for p in places)
        return _one_off_advice(venue, lang).format(name=name)
    if code == "reach_exceeds_size":
        return _(
            "Reach {reach} is larger than the population ({size}); the activity is left out "
            "of reach and coverage until it is corrected."
        ).format(reach=format_number(activity.reach), size=format_number(population.size))
    if code == "level_mismatch":
        return _("Activity '{name}' does not suit {level} prevention.").format(
            name=name, level=level_name(level, rules)
        )
    if (
        code == "age_stage_mismatch"
        and population.parents_of is None
        and judgments.works_through_parents(rules, activity.interventions)
    ):
        # A family programme for people who are not entered as parents (pensioners).
        return _(
            "Activity '{name}' is a family or parenting programme; this population is not "
            "entered as parents. If they are parents or carers, give their children's ages "
            "(parents_of); otherwise plan the programme for the children's parents."
        ).format(name=name)
    if code in ("below_tested_dose", "outside_tested_ages", "harmful_programme"):
        programme = load_catalogue().get(activity.programme or "")
        if programme is not None:
            return programme_detail(code, activity, programme)
    return _named_activity(lang).format(name=name)


@lru_cache(maxsize=16)
def _one_off_advice(venue: bool, lang: str) -> str:
    """What a one-off activity should become: a series of lessons (VI-4.3.1#2), or, at
    festivals and entertainment venues, work with the venues themselves (VI-4.6)."""
    if venue:
        return _(
            "Work at festivals and entertainment venues lasts when the venues take it on: agree "
            "house rules with organisers and owners, train staff in responsible serving, and "
            "see that the laws on drugs and on selling alcohol to minors are enforced, together "
            "with the police, health services and the community (VI-4.6). Activity: '{name}'.",
            lang,
        )
    return _(
        "Deliver the content as a structured series of sessions (about ten or more) with "
        "booster sessions in later years. Activity: '{name}'.",
        lang,
    )


@lru_cache(maxsize=8)
def _named_activity(lang: str) -> str:
    return _("Activity: '{name}'.", lang)
