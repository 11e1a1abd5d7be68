"""The crosswalk to the UNODC/WHO Standards (``evidence.yaml``) and the notes on applying the
Concept where it and the Standards pull apart (``notes.yaml``)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from prevplan.rules.models.base import Strict
from prevplan.vocab import Basis


class Confidence(StrEnum):
    """How the prevention-science reference knows a fact (see its legend)."""

    READ_IN_SOURCE = "V"
    READ_IN_CURRICULUM = "S"
    REPORTED = "R"


class Strength(StrEnum):
    """How strong the Standards rate the evidence for an item, strongest first."""

    VERY_GOOD = "very_good"
    GOOD = "good"
    ADEQUATE = "adequate"
    LISTED = "listed"
    NOT_VERIFIED = "not_verified"


class EvidenceFact(Strict):
    """A fact the Standards give about an item, with how confident they are."""

    text: str = Field(min_length=1)
    tag: Confidence


class StandardsItem(Strict):
    """An intervention or policy of the UNODC/WHO Standards, Chapter I."""

    key: str = Field(pattern=r"^[a-z]$")
    label: str
    settings: tuple[str, ...] = ()
    age_stages: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    levels_tag: Confidence
    strength: Strength
    strength_tag: Confidence
    works: tuple[EvidenceFact, ...] = ()
    avoid: tuple[EvidenceFact, ...] = ()


class CrosswalkEntry(Strict):
    """Which Standards items a strategy or intervention of the Concept corresponds to.

    ``standards`` are the items that *are* the strategy or intervention: its evidence is
    theirs and no other's. ``components`` are items that rate only a part of it (workplace
    programmes: brief intervention, VI-4.4#3), by item key → the clause of that part; their
    rating is never shown as the whole's. ``note`` says in a few words what a planner must
    know about the evidence (``no Standards entry of its own``; ``not verified; can
    backfire alone``).
    """

    concept: str = Field(pattern=r"^(strategy|intervention):[a-z][a-z0-9_]*$")
    standards: tuple[str, ...] = ()
    components: dict[str, str] = Field(default_factory=dict)
    basis: Basis
    justification: str = Field(min_length=1)
    note: str | None = Field(default=None, min_length=1)


class EvidenceFile(Strict):
    """``evidence.yaml``."""

    reference: str
    standards_items: tuple[StandardsItem, ...] = Field(min_length=1)
    crosswalk: tuple[CrosswalkEntry, ...] = Field(min_length=1)


# --- how to apply the Concept where it and the Standards pull apart ------------------------


class NoteScope(Strict):
    """Where a note applies: a recommendation at one of ``levels``, or one that includes one
    of ``strategies`` or ``interventions``. Empty lists put no condition of that kind."""

    levels: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()


class ApplicationNote(Strict):
    """A short "how to apply" note where a clause of the SCO texts and the UNODC/WHO
    Standards pull apart, citing both."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    concept_sources: tuple[str, ...] = Field(min_length=1)
    """The clauses of Annex IV, V or VI whose wording the note reconciles."""
    standards: tuple[str, ...] = Field(min_length=1)
    """The Standards items (a–r) whose findings the note rests on."""
    tag: Confidence
    """How prevplan knows the Standards' finding (see ``evidence.yaml``)."""
    text: str = Field(min_length=1)
    """How to apply the clause so that it stays within what the evidence supports."""
    applies_to: NoteScope


class NotesFile(Strict):
    """``notes.yaml``."""

    notes: tuple[ApplicationNote, ...] = Field(min_length=1)
