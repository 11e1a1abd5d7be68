"""The shapes of ``translations/<lang>.yaml``: the concept's content in another language."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from prevplan.rules.models.base import Strict

#
# ``translations/<lang>.yaml`` gives the concept's content in another language. Fields named
# ``unofficial_…`` translate text of the source document (clause headings, paragraphs and
# bullets, Annex V items and focus-area titles): they are prevplan's own unofficial
# translation, never a quotation, and the source files keep the English text. The other
# fields translate prevplan's own words (labels, descriptions, warnings, evidence notes).
# Every field is optional: what is missing falls back to English.

Text = Field(default=None, min_length=1)


class EntityTranslation(Strict):
    """An entity's label and description in another language."""

    label: str | None = Text
    description: str | None = Text


class EntitiesTranslation(Strict):
    """The sections of ``entities.yaml``, each a map from entity id to its translation."""

    levels: dict[str, EntityTranslation] = Field(default_factory=dict)
    risk_groups: dict[str, EntityTranslation] = Field(default_factory=dict)
    special_groups: dict[str, EntityTranslation] = Field(default_factory=dict)
    age_stages: dict[str, EntityTranslation] = Field(default_factory=dict)
    settings: dict[str, EntityTranslation] = Field(default_factory=dict)
    risk_factors: dict[str, EntityTranslation] = Field(default_factory=dict)
    protective_factors: dict[str, EntityTranslation] = Field(default_factory=dict)
    strategies: dict[str, EntityTranslation] = Field(default_factory=dict)
    interventions: dict[str, EntityTranslation] = Field(default_factory=dict)
    actors: dict[str, EntityTranslation] = Field(default_factory=dict)
    audiences: dict[str, EntityTranslation] = Field(default_factory=dict)


class FocusAreaTranslation(Strict):
    """A focus area's label and (unofficial) title in another language."""

    label: str | None = Text
    unofficial_title: str | None = Text


class ActionItemTranslation(Strict):
    """An Annex V item's label and (unofficial) text in another language."""

    label: str | None = Text
    unofficial_text: str | None = Text


class ClauseTranslation(Strict):
    """A clause of Annex VI or IV; the paragraphs and bullets in source order, all or none."""

    label: str | None = Text
    unofficial_heading: str | None = Text
    unofficial_paragraphs: tuple[str, ...] | None = None
    unofficial_bullets: tuple[str, ...] | None = None


class WarningTranslation(Strict):
    """A warning's title and explanation in another language."""

    title: str | None = Text
    explanation: str | None = Text


class StandardsItemTranslation(Strict):
    """A Standards item; ``works`` and ``avoid`` in the order of ``evidence.yaml``."""

    label: str | None = Text
    works: tuple[str, ...] | None = None
    avoid: tuple[str, ...] | None = None


class NoteTranslation(Strict):
    """An application note's title and text in another language."""

    title: str | None = Text
    text: str | None = Text


class TranslationFile(Strict):
    """``translations/<lang>.yaml``: the concept's content in one more language."""

    language: str = Field(pattern=r"^[a-z]{2}$")
    note: str = Field(min_length=1)
    unofficial_annex_titles: dict[Literal["IV", "V", "VI"], str] = Field(default_factory=dict)
    entities: EntitiesTranslation = Field(default_factory=EntitiesTranslation)
    focus_areas: dict[str, FocusAreaTranslation] = Field(default_factory=dict)
    action_items: dict[str, ActionItemTranslation] = Field(default_factory=dict)
    clauses: dict[str, ClauseTranslation] = Field(default_factory=dict)
    warnings: dict[str, WarningTranslation] = Field(default_factory=dict)
    standards_items: dict[str, StandardsItemTranslation] = Field(default_factory=dict)
    #: Why prevplan infers a relation: relation file (``strategy_level``) → ``subject/object``
    #: → the justification in this language.
    relations: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: Why a strategy or intervention corresponds to Standards items (``evidence.yaml``'s
    #: crosswalk): ``strategy:life_skills`` → the justification in this language.
    crosswalk: dict[str, str] = Field(default_factory=dict)
    #: The crosswalk's evidence notes: ``intervention:sport`` → the note in this language.
    crosswalk_notes: dict[str, str] = Field(default_factory=dict)
    #: ``notes.yaml``, by note id.
    notes: dict[str, NoteTranslation] = Field(default_factory=dict)
