"""Words the app shows for prevplan's ids: entity labels, kinds, bases, strengths, fields.

Every label passes through :func:`prevplan.i18n._` when it is asked for, so the app shows it in
the language of the current session. Nothing here renders; pages and widgets call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Final, TypeVar

from prevplan.engine.evidence_scope import rated_for
from prevplan.i18n import DEFAULT_LANGUAGE, N_, _, current_language, join_list
from prevplan.plan.models import ActionStatus
from prevplan.population import TargetPopulation
from prevplan.present.delivery import FIELD_LABELS as DELIVERY_FIELD_LABELS
from prevplan.problems import Problem
from prevplan.rules import RuleSet
from prevplan.rules.models import Confidence, Kind, Strength
from prevplan.vocab import Basis, StrategyKind

SOURCE_NOTE: Final = N_("source text, unofficial English translation")
"""Shown beside every verbatim excerpt of the SCO text (in English)."""
TRANSLATED_SOURCE_NOTE: Final = N_(
    "Quotes are the source text in its unofficial English translation; beside each, "
    "prevplan's own unofficial translation of it (not an official SCO text)"
)
"""Shown under excerpts of the SCO text in Russian or Chinese: the English source with
prevplan's own translation beside it."""
UNOFFICIAL_TRANSLATION: Final = N_("prevplan's unofficial translation")
#: The mark on an official text the user supplied (``concept_rules/official/``).
OFFICIAL_TEXT: Final = N_("official text")
"""The mark on prevplan's own translation of a source excerpt."""


def is_english() -> bool:
    return current_language() == DEFAULT_LANGUAGE


def source_note() -> str:
    """What the excerpts of the SCO text are, in the current language."""
    return _(SOURCE_NOTE) if is_english() else _(TRANSLATED_SOURCE_NOTE)


join = join_list
"""Items as the language lists them (``a, b`` in English, ``a、b`` in Chinese)."""


def text(rules: RuleSet, section: Kind | str, item_id: str, field: str, default: str = "") -> str:
    """A text of the rules in the current language (English where it is not translated)."""
    return rules.text(section, item_id, field, default)


def label(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    """The label of an entity (or of an Annex V item) in the current language; else its id."""
    return rules.label(kind, entity_id)


def labels(rules: RuleSet, kind: Kind, ids: Iterable[str]) -> list[str]:
    return [label(rules, kind, entity_id) for entity_id in ids]


def description(rules: RuleSet, kind: Kind, entity_id: str) -> str:
    return text(rules, kind, entity_id, "description")


def clause_label(rules: RuleSet, ref: str) -> str:
    """The short label of a clause, Annex V item or focus area, in the current language."""
    return rules.ref_label_in(ref)


def clause_text(rules: RuleSet, ref: str) -> str | None:
    """The words of the source a reference points at, in the current language."""
    return rules.ref_text_in(ref)


def source_and_translation(rules: RuleSet, ref: str) -> tuple[str, str | None] | None:
    """The source's words for ``ref`` (its English), and prevplan's translation of them.

    The translation is ``None`` in English, and where prevplan has none (then the source
    is shown alone). ``None`` when the reference points at nothing.
    """
    source = rules.ref_text(ref)
    if not source:
        return None
    if is_english():
        return source, None
    translated = rules.ref_text_in(ref)
    return source, (translated if translated and translated != source else None)


def ref_label(rules: RuleSet, ref: str) -> str:
    """``VI-3.1.1 — Work with parents``: a clause reference with its short label."""
    found = clause_label(rules, ref)
    return ref if found == ref else f"{ref} — {found}"


def focus_area_title(rules: RuleSet, ref: str) -> str:
    return text(rules, "focus_areas", ref, "title", ref)


def focus_area_label(rules: RuleSet, ref: str) -> str:
    return text(rules, "focus_areas", ref, "label", ref)


def warning_title(rules: RuleSet, code: str) -> str:
    return text(rules, "warnings", code, "title", code)


def kind_name(kind: Kind, plural: bool = False) -> str:
    """What a kind of rule entity is called, for headings and relation lists."""
    names: dict[Kind, tuple[str, str]] = {
        Kind.LEVEL: (_("Prevention level"), _("Prevention levels")),
        Kind.RISK_GROUP: (_("Risk group"), _("Risk groups")),
        Kind.SPECIAL_GROUP: (_("Special group"), _("Special groups")),
        Kind.AGE_STAGE: (_("Age stage"), _("Age stages")),
        Kind.SETTING: (_("Setting"), _("Settings")),
        Kind.RISK_FACTOR: (_("Risk factor"), _("Risk factors")),
        Kind.PROTECTIVE_FACTOR: (_("Protective factor"), _("Protective factors")),
        Kind.STRATEGY: (_("Strategy"), _("Strategies")),
        Kind.INTERVENTION: (_("Intervention"), _("Interventions")),
        Kind.ACTION_ITEM: (_("Program of Actions item"), _("Program of Actions items")),
        Kind.ACTOR: (_("Taking part"), _("Taking part")),
        Kind.AUDIENCE: (_("Audience"), _("Audiences")),
    }
    singular, many = names[kind]
    return many if plural else singular


def basis_text(basis: Basis | str) -> str:
    """Whether the SCO text states a relation or prevplan infers it, in words."""
    return _("Stated in the text") if Basis(basis) is Basis.STATED else _("Inferred by prevplan")


def strategy_kind_text(kind: StrategyKind | str) -> str:
    if StrategyKind(kind) is StrategyKind.FUNDAMENTAL:
        return _("Fundamental (VI-3.1)")
    return _("Supporting (VI-3.2)")


E = TypeVar("E", bound=StrEnum)


def _named(texts: Mapping[E, str], vocabulary: type[E], value: E | str) -> str:
    """The words for a vocabulary value; an unknown value is shown as it is."""
    try:
        return texts[vocabulary(value)]
    except ValueError:
        return str(value)


def strength_text(strength: Strength | str) -> str:
    """The evidence strength of the UNODC/WHO Standards, in words."""
    texts = {
        Strength.VERY_GOOD: _("Very good evidence"),
        Strength.GOOD: _("Good evidence"),
        Strength.ADEQUATE: _("Adequate evidence"),
        Strength.LISTED: _("Listed as working, not rated"),
        Strength.NOT_VERIFIED: _("Strength not verified"),
    }
    return _named(texts, Strength, strength)


def confidence_text(tag: Confidence | str) -> str:
    """How prevplan knows an evidence fact (the confidence tags of the science reference)."""
    texts = {
        Confidence.READ_IN_SOURCE: _("read in the Standards"),
        Confidence.READ_IN_CURRICULUM: _("from a training curriculum on the Standards"),
        Confidence.REPORTED: _("reported in the field, not checked against the Standards"),
    }
    return _named(texts, Confidence, tag)


def status_text(status: ActionStatus | str) -> str:
    texts = {
        ActionStatus.NOT_STARTED: _("Not started"),
        ActionStatus.IN_PROGRESS: _("In progress"),
        ActionStatus.DONE: _("Done"),
    }
    return _named(texts, ActionStatus, status)


def population_label(population: TargetPopulation) -> str:
    """``Secondary-school pupils (teens-12-15)``: name with id, or the id alone."""
    if population.name and population.name != population.id:
        return f"{population.name} ({population.id})"
    return population.id


def field_label(field: str) -> str:
    """A readable name for a field of a population or an activity, as problems name them."""
    base, _dot, key = field.partition(".")
    names = {
        "id": _("Id"),
        "name": _("Name"),
        "region": _("Region"),
        "age_min": _("Youngest age"),
        "age_max": _("Oldest age"),
        "size": _("Number of people"),
        "risk_group": _("Risk group"),
        "settings": _("Settings"),
        "special_groups": _("Special groups"),
        "risk_factors": _("Risk factors"),
        "protective_factors": _("Protective factors"),
        "population_id": _("Target population"),
        "strategies": _("Strategies"),
        "interventions": _("Interventions"),
        "reach": _("People reached"),
        "target_reach": _("Target reach"),
        "cost": _("Cost"),
        "executor": _("Executor"),
        "schedule": _("Schedule"),
        "action_items": _("Program of Actions items"),
        **{name: _(text) for name, text in DELIVERY_FIELD_LABELS.items()},
        "status": _("Status"),
        "note": _("Note"),
    }
    text = names.get(base, field)
    return f"{text}: {key}" if key else text


def problem_rows(problems: Iterable[Problem]) -> list[dict[str, str]]:
    """Rows of a problems table: where (row or item), which field, what is wrong."""
    return [
        {
            _("File"): problem.file.replace("\\", "/").rsplit("/", 1)[-1],
            _("Where"): problem.where,
            _("Field"): field_label(problem.field) if problem.field else "",
            _("Problem"): problem.message,
        }
        for problem in problems
    ]


# The words of Annex V's table (schedule, executors, coordinating body) are source text: they
# stay in English, and outside English prevplan's translation follows in brackets. The
# executors and bodies are lists of these names, separated by commas.
SOURCE_TABLE_WORDS: Final = {
    "Constantly": N_("Constantly"),
    "As necessary": N_("As necessary"),
    "One time a year": N_("One time a year"),
    "Annually": N_("Annually"),
    "Constantly Under a separate schedule": N_("Constantly; under a separate schedule"),
    "Under a separate schedule": N_("Under a separate schedule"),
    "As necessary and in coordination with the competent authorities of the SCO Member States": N_(
        "As necessary and in coordination with the competent authorities of the SCO Member States"
    ),
    "Competent authorities of the SCO Member States": N_(
        "Competent authorities of the SCO Member States"
    ),
    "Working Groups": N_("Working Groups"),
    "the SSO": N_("SSO (Session of Senior Officials of the anti-drug agencies)"),
    "SSO": N_("SSO (Session of Senior Officials of the anti-drug agencies)"),
    "SHCA": N_("SHCA (Session of the Heads of competent authorities)"),
    "CMFA": N_("CMFA (Council of Foreign Ministers)"),
    "CNC": N_("CNC (Council of National Coordinators)"),
    "Secretariat": N_("Secretariat"),
}


def source_table_text(value: str | None) -> str:
    """A cell of Annex V's table as shown: the source's words; outside English, with
    prevplan's unofficial translation in brackets. ``—`` for an empty cell."""
    if not value:
        return "—"
    if is_english():
        return value
    if value in SOURCE_TABLE_WORDS:
        parts = [_(SOURCE_TABLE_WORDS[value])]
    else:
        names = [name.strip() for name in value.split(",")]
        if not all(name in SOURCE_TABLE_WORDS for name in names):
            return value
        parts = [_(SOURCE_TABLE_WORDS[name]) for name in names]
    translated = join(parts)
    if translated == value:
        return value
    return _("{source} ({translation})").format(source=value, translation=translated)


def extrapolation_text(rules: RuleSet, standards: Iterable[str], age_stages: Iterable[str]) -> str:
    """Why an item's evidence is extrapolated: who the Standards rated its items
    (``standards``) for — their ages where the population's (``age_stages``) differ, else
    their levels — in the reader's language."""
    lang = current_language()
    named = [
        rules.translated(kind, entity_id, "label", lang)
        for entity_id in rated_for(rules, standards, age_stages)
        for kind in (Kind.AGE_STAGE, Kind.LEVEL)
        if rules.exists(kind, entity_id)
    ]
    who = join_list(text[:1].lower() + text[1:] for text in named)
    return _("rated for {who} only; extrapolated to this population by prevplan").format(who=who)
