"""Judging a plan's use of named programmes: the catalogue's part of ``prevplan assess``.

An activity may name the programme it follows (``programme``, interfaces §3). Then:

- its dose (sessions, boosters) and evidence come from the catalogue unless the activity
  states its own (:func:`effective_dose`);
- a programme evaluated as ineffective or harmful is warned about (``harmful_programme``);
- a programme delivered with fewer sessions or boosters than it was tested with
  (``below_tested_dose``) or for people outside the ages it was tested on
  (``outside_tested_ages``) is flagged: the evaluation says nothing about that use.

These are pure functions over an activity-like and a population-like object, for the
assessment's warnings mechanism to call.
"""

from __future__ import annotations

from dataclasses import dataclass

from prevplan.catalogue.loader import Catalogue
from prevplan.catalogue.match import ages_fit
from prevplan.catalogue.models import Programme


@dataclass(frozen=True)
class Dose:
    """The sessions and boosters an activity delivers, and where each figure comes from."""

    sessions: int | None
    boosters: int | None
    sessions_from_catalogue: bool
    boosters_from_catalogue: bool


def programme_of(activity: object, catalogue: Catalogue) -> Programme | None:
    """The catalogue programme an activity names, if the catalogue holds it."""
    named = getattr(activity, "programme", None)
    return catalogue.get(str(named)) if named else None


def effective_dose(activity: object, programme: Programme | None) -> Dose:
    """The activity's own sessions and boosters, else the programme's tested dose."""
    sessions = getattr(activity, "sessions", None)
    boosters = getattr(activity, "boosters", None)
    from_s = from_b = False
    if programme is not None:
        if sessions is None and programme.dose.sessions is not None:
            sessions, from_s = programme.dose.sessions, True
        if boosters is None and programme.dose.boosters is not None:
            boosters, from_b = programme.dose.boosters, True
    return Dose(sessions, boosters, from_s, from_b)


def programme_codes(activity: object, population: object, catalogue: Catalogue) -> list[str]:
    """The programme warnings for one activity of one population, in a fixed order."""
    programme = programme_of(activity, catalogue)
    if programme is None:
        return []
    codes = ["harmful_programme"] if programme.to_avoid else []
    low, high = _ages(population)
    ages = (low, high) if low is not None and high is not None else None
    return codes + tested_use_codes(activity, programme, ages)


def tested_use_codes(
    activity: object, programme: Programme, ages: tuple[int, int] | None
) -> list[str]:
    """``below_tested_dose`` when the activity states fewer sessions or boosters than the
    programme was tested with; ``outside_tested_ages`` when ``ages`` (the population's, or
    for parents their children's) share less than half of the shorter range with the
    programme's tested ages."""
    codes: list[str] = []
    sessions = getattr(activity, "sessions", None)
    boosters = getattr(activity, "boosters", None)
    tested = programme.dose
    if (sessions is not None and tested.sessions is not None and sessions < tested.sessions) or (
        boosters is not None and tested.boosters is not None and boosters < tested.boosters
    ):
        codes.append("below_tested_dose")
    if ages is not None and not ages_fit(programme, *ages):
        # The same test as the recommendation's (:func:`prevplan.catalogue.match.ages_fit`):
        # a programme prevplan names for 11- to 14-year-olds is not then flagged for them.
        codes.append("outside_tested_ages")
    return codes


def detail(code: str, activity: object, programme: Programme) -> str:
    """The sentence after a programme warning's explanation: what was tested."""
    from prevplan.catalogue.loader import load_catalogue
    from prevplan.i18n import _, current_language

    name = getattr(activity, "name", "") or getattr(activity, "id", "")
    title = load_catalogue().name(programme, current_language())
    if code == "below_tested_dose":
        parts = []
        sessions, boosters = (
            getattr(activity, "sessions", None),
            getattr(activity, "boosters", None),
        )
        tested = programme.dose
        if sessions is not None and tested.sessions is not None and sessions < tested.sessions:
            parts.append(
                _(
                    "Activity '{name}' plans {n} sessions; {programme} was tested with {tested}."
                ).format(name=name, n=sessions, programme=title, tested=tested.sessions)
            )
        if boosters is not None and tested.boosters is not None and boosters < tested.boosters:
            parts.append(
                _(
                    "Activity '{name}' plans {n} booster sessions; {programme} was tested "
                    "with {tested}."
                ).format(name=name, n=boosters, programme=title, tested=tested.boosters)
            )
        return " ".join(parts)
    if code == "outside_tested_ages":
        return _("Activity '{name}': {programme} was tested at ages {low}–{high}.").format(
            name=name, programme=title, low=programme.age_min, high=programme.age_max
        )
    if code == "harmful_programme":
        return _("Activity '{name}' follows {programme}.").format(name=name, programme=title)
    return ""


def _ages(population: object) -> tuple[int | None, int | None]:
    """The ages a programme's tested ages are compared with (children's, for parents)."""
    parents = getattr(population, "parents_of", None)
    if parents is not None:
        return getattr(parents, "age_min", None), getattr(parents, "age_max", None)
    return getattr(population, "age_min", None), getattr(population, "age_max", None)


def unknown_programme(activity: object, catalogue: Catalogue) -> bool:
    """The activity names a programme the catalogue does not hold."""
    named = getattr(activity, "programme", None)
    return bool(named) and catalogue.get(str(named)) is None
