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
from prevplan.engine.judgments import Finding, WarningCode
from prevplan.engine.profile import Factor, age_stages_for
from prevplan.i18n import DEFAULT_LANGUAGE, _, current_language, format_number, ngettext
from prevplan.plan.assessment import AssessWarning, trusted
from prevplan.plan.models import Activity
from prevplan.plan.quality import Judged, Served
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
) -> AssessWarning:
    """A warning in the current language, about its population (and factor, if any); the
    message names the population as people read it (its name; the id only when it has none),
    while ``population_id`` keeps the id for machines."""
    definition = rules.warning_definitions[code]
    # The explanation in the current language, from concept_rules/translations/.
    message = _explanation(rules, code, current_language())
    if message.startswith("{population}") and not population_id:
        message = _("This population") + message[len("{population}") :]
    message = message.replace(
        "{population}", population_name or population_id or _("this population")
    )
    return trusted(
        AssessWarning,
        code=code,
        factor_kind=factor[0] if factor else None,
        factor_id=factor[1] if factor else None,
        population_id=population_id,
        activity_id=activity_id,
        message=f"{message} {detail}".strip(),
        sources=definition.sources,
        standards=definition.standards,
    )


@lru_cache(maxsize=256)
def _explanation(rules: RuleSet, code: str, lang: str) -> str:
    return rules.translated("warnings", code, "explanation", lang)


def level_name(level: str, rules: RuleSet) -> str:
    """The level as the level-mismatch message names it: the id in English ("selective
    prevention"), the translated label in another language (whose message quotes it)."""
    if current_language() == DEFAULT_LANGUAGE:
        return level
    return rules.translated(Kind.LEVEL, level, "label")


def population_warnings(
    population: TargetPopulation,
    acts: list[Served],
    served: Sequence[str],
    priorities: tuple[Factor, ...],
    rules: RuleSet,
) -> list[AssessWarning]:
    """The warnings about a population's mix of strategies and the factors it targets
    (:mod:`prevplan.engine.judgments`); ``served`` includes what a linked family programme
    delivers."""
    pid = population.id
    # A population too wide in age to plan as one (VI-4): the same warning as recommend's.
    stages = age_stages_for(population.age_min, population.age_max, rules)
    found: list[Finding] = judgments.age_span_findings(rules, len(stages), pid)
    if not acts:
        found.append(Finding(WarningCode.UNCOVERED_POPULATION, pid))
    else:
        found += judgments.mix_findings(rules, served, pid)
        addressed = {id(f.facts): f.facts.factors for f in acts}.values()
        untargeted = [
            factor for factor in priorities if not any(factor in known for known in addressed)
        ]
        found += judgments.untargeted_findings(rules, untargeted, pid)
    out: list[AssessWarning] = []
    for finding in found:
        detail = ""
        if finding.factor is not None:
            detail = _not_addressed(rules, *finding.factor, current_language())
        factor = (finding.factor[0].value, finding.factor[1]) if finding.factor else None
        out.append(
            _warn(rules, finding.code.value, pid, None, detail, factor, population.name or None)
        )
    return out


@lru_cache(maxsize=256)
def _not_addressed(rules: RuleSet, kind: Kind, factor_id: str, lang: str) -> str:
    """The sentence naming a priority factor nothing addresses (kept: plans repeat them)."""
    label = rules.translated(kind, factor_id, "label", lang)
    return _("Not addressed: {factor}.", lang).format(factor=label)


def quality_warnings(
    population: TargetPopulation,
    acts: list[Served],
    judged: Judged,
    level: str,
    rules: RuleSet,
) -> list[AssessWarning]:
    """The warnings of :func:`prevplan.plan.quality.judge`, with their details."""
    pid = population.id
    out: list[AssessWarning] = []
    for f in acts:
        activity = f.activity
        for code in judged.flags.get(activity.id, ()):
            out.append(
                _warn(
                    rules,
                    code,
                    pid,
                    activity.id,
                    _detail(code, activity, population, level, rules),
                    population_name=population.name or None,
                )
            )
    for code in judged.population_codes:
        detail = ""
        if code == "delivery_unknown":
            detail = _undescribed(judged.undescribed, current_language())
        out.append(_warn(rules, code, pid, None, detail, population_name=population.name or None))
    return out


@lru_cache(maxsize=512)
def _undescribed(n: int, lang: str) -> str:
    """How many activities give no format (one sentence, cached: plans repeat the counts)."""
    return ngettext("{n} activity gives no format.", "{n} activities give no format.", n).format(
        n=format_number(n, lang)
    )


def _detail(
    code: str, activity: Activity, population: TargetPopulation, level: str, rules: RuleSet
) -> str:
    """The sentence that names the activity (and its figures) after a warning's explanation."""
    name = activity.name or activity.id
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
    return _("Activity: '{name}'.").format(name=name)
