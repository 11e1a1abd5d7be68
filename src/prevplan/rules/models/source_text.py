"""The source text in ``concept_rules/``: Annex IV and VI clause by clause, and the Program
of Actions (Annex V) with its focus areas and items."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from prevplan.rules.models.base import Strict


class SourceClause(Strict):
    """One clause of Annex IV or VI with its verbatim paragraphs and bullets."""

    ref: str = Field(min_length=4)
    parent: str | None = None
    heading: str | None = None
    label: str = Field(min_length=1)
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()


class AnnexTextFile(Strict):
    """``sources/annex_vi.yaml`` and ``sources/annex_iv.yaml``."""

    annex: Literal["IV", "VI"]
    title: str
    clauses: tuple[SourceClause, ...] = Field(min_length=1)


class Abbreviation(Strict):
    """An abbreviation the source text uses, and what it stands for."""

    abbr: str = Field(min_length=1)
    meaning: str = Field(min_length=1)


FocusRole = Literal["prevention_plan", "treatment"]
"""What a focus area of Annex V is for, as prevplan reads it: ``prevention_plan`` — a
national prevention plan answers for its items; ``treatment`` — its items are the treatment
and rehabilitation services people with dependence are routed to."""


class FocusArea(Strict):
    """A focus area of the Program of Actions (Annex V, 1 … 6)."""

    ref: str
    number: str
    title: str
    label: str
    roles: tuple[FocusRole, ...] = ()
    """prevplan's reading of what the area is for (the heading is its source)."""


CarriedField = Literal["schedule", "executors", "coordinating_body"]


class ActionItem(Strict):
    """One item of the Program of Actions (Annex V), with its table columns."""

    ref: str
    number: str
    focus_area: str
    label: str = Field(min_length=1)
    text: str = Field(min_length=1)
    schedule: str | None = None
    executors: str | None = None
    coordinating_body: str | None = None
    carried_down: tuple[CarriedField, ...] = ()


class GeneralProvision(Strict):
    """A row of Annex V's "general provisions" table (objective, principles, …)."""

    ref: str
    heading: str
    paragraphs: tuple[str, ...] = ()


class AnnexVFile(Strict):
    """``sources/annex_v.yaml``: the Program of Actions."""

    annex: Literal["V"]
    title: str
    abbreviations: tuple[Abbreviation, ...] = ()
    general_provisions: tuple[GeneralProvision, ...] = ()
    focus_areas: tuple[FocusArea, ...] = Field(min_length=1)
    items: tuple[ActionItem, ...] = Field(min_length=1)

    def focus_areas_with(self, role: FocusRole) -> tuple[str, ...]:
        """The refs of the focus areas that have ``role``, in Annex V order."""
        return tuple(area.ref for area in self.focus_areas if role in area.roles)
