"""Named programmes under a recommended intervention, in the app's recommendation view.

Each recommended intervention (VI-4) lists the catalogue programmes that fit the population
(its ages, prevention level and settings), best evidence first, with dose, deliverers and
cost per participant; where none fits, it says so (``prevplan.catalogue``).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.costs import load_converter, plan_money
from prevplan.catalogue.output import ProgrammeItem, for_recommendation
from prevplan.catalogue.present import (
    NONE_FITS,
    cost_text,
    deliverers_text,
    dose_text,
    ratings_text,
    verdict_label,
)
from prevplan.engine.models import Recommendation
from prevplan.i18n import _, current_language
from prevplan.population import TargetPopulation
from prevplan.ui.widgets import escape


def programmes_block(items: Sequence[ProgrammeItem], plan: object | None = None) -> None:
    """The programmes named for one intervention, or a note that none fits; costs also in
    the plan's currency and price year when the plan gives them."""
    heading = "**" + escape(_("Named programmes")) + "**"
    if not items:
        st.markdown(f"{heading}  \n<small>{escape(_(NONE_FITS))}</small>", unsafe_allow_html=True)
        return
    catalogue = load_catalogue()
    lang = current_language()
    to = plan_money(plan) if plan is not None else None
    converter = load_converter() if to is not None else None
    lines = []
    for item in items:
        programme = catalogue.get(item.id)
        if programme is None:
            continue
        name = escape(catalogue.name(programme, lang))
        local = " " + _("(local)") if programme.local else ""
        lines.append(
            f"- **{name}**{local} — {escape(verdict_label(programme.verdict.value))} · "
            f"{escape(dose_text(programme))} · {escape(deliverers_text(programme))} · "
            f"{escape(cost_text(programme, converter, to))}  \n  "
            f"<small>{escape(ratings_text(programme))}</small>"
        )
    st.markdown(heading + "\n\n" + "\n".join(lines), unsafe_allow_html=True)


def programmes_by_intervention(
    population: TargetPopulation, rec: Recommendation
) -> dict[str, tuple[ProgrammeItem, ...]]:
    """The recommendation's named programmes grouped by the intervention they fall under."""
    grouped: dict[str, list[ProgrammeItem]] = {i.id: [] for i in rec.interventions}
    for item in for_recommendation(population, rec):
        grouped.setdefault(item.intervention, []).append(item)
    return {k: tuple(v) for k, v in grouped.items()}
