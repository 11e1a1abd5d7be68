"""Programme catalogue: the named, evaluated programmes that deliver the Concept's
interventions (VI-4), filtered by age, level, setting, intervention and verdict, and two or
three compared side by side — every fact with its source link and the date it was read."""

from __future__ import annotations

from typing import get_args

import pandas as pd
import streamlit as st

from prevplan.catalogue import load_catalogue
from prevplan.catalogue.match import rank_key
from prevplan.catalogue.models import Level, Programme, Setting, Verdict
from prevplan.catalogue.present import (
    STATUS,
    benefit_cost_text,
    fact_sources,
    implemented_text,
    reported,
    rows,
    verdict_label,
)
from prevplan.i18n import _, current_language, join_list, ngettext
from prevplan.present.labels import label
from prevplan.rules.models import Kind
from prevplan.ui import resources
from prevplan.ui.widgets import escape

rules = resources.rules()
catalogue = load_catalogue(rules=rules)
lang = current_language()

st.title("📚 " + _("Programme catalogue"))
st.caption(
    _(
        "Named prevention programmes evaluated by registries (Blueprints, EUDA Xchange, WSIPP, "
        "CrimeSolutions, UNODC), each tied to the interventions of the Concept it delivers. "
        "Programmes found ineffective or harmful are listed so that plans using them are "
        "flagged; they are never recommended."
    )
)

age_col, level_col, setting_col = st.columns(3)
age = age_col.number_input(
    _("Age of the participants (or of the children, for parents)"),
    min_value=0,
    max_value=120,
    value=None,
    step=1,
    key="programmes.age",
)
level = level_col.selectbox(
    _("Prevention level"),
    options=list(get_args(Level)),
    index=None,
    format_func=lambda v: label(rules, Kind.LEVEL, v),
    placeholder=_("any"),
    key="programmes.level",
)
setting = setting_col.selectbox(
    _("Setting"),
    options=list(get_args(Setting)),
    index=None,
    format_func=lambda v: label(rules, Kind.SETTING, v),
    placeholder=_("any"),
    key="programmes.setting",
)
intervention_col, verdict_col = st.columns([2, 1])
interventions = sorted({i for p in catalogue.programmes.values() for i in p.interventions})
intervention = intervention_col.selectbox(
    _("Intervention of the Concept"),
    options=interventions,
    index=None,
    format_func=lambda v: label(rules, Kind.INTERVENTION, v),
    placeholder=_("any"),
    key="programmes.intervention",
)
verdict = verdict_col.selectbox(
    _("Verdict"),
    options=[v.value for v in Verdict],
    index=None,
    format_func=verdict_label,
    placeholder=_("any"),
    key="programmes.verdict",
)


def _keep(p: Programme) -> bool:
    return (
        (age is None or p.age_min <= int(age) <= p.age_max)
        and (level is None or level in p.levels)
        and (setting is None or setting in p.settings)
        and (intervention is None or intervention in p.interventions)
        and (verdict is None or p.verdict.value == verdict)
    )


chosen = sorted((p for p in catalogue.programmes.values() if _keep(p)), key=rank_key)
table = rows(chosen, catalogue)
if not table:
    st.info(_("No programme matches these filters."))
else:
    frame = pd.DataFrame(table).drop(columns=["id"])
    frame.columns = [
        _("Programme"),
        _("Ages"),
        _("Verdict"),
        _("Dose"),
        _("Deliverers"),
        _("Cost per participant"),
        _("Ratings"),
    ]
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(ngettext("{n} programme.", "{n} programmes.", len(table)).format(n=len(table)))

st.subheader(_("Compare programmes"))
picked = st.multiselect(
    _("Choose two or three programmes"),
    options=list(catalogue.programmes),
    format_func=lambda i: catalogue.name(catalogue.programmes[i], lang),
    max_selections=3,
    placeholder=_("Choose programmes"),
    key="programmes.compare",
)
if len(picked) == 1:
    st.caption(_("Choose at least one more programme to compare."))
if len(picked) >= 2:
    items = [catalogue.programmes[i] for i in picked]
    worded = rows(items, catalogue)
    facts = {
        _("Description"): [catalogue.description(p, lang) for p in items],
        _("Ages"): [r["ages"] for r in worded],
        _("Verdict"): [r["verdict"] for r in worded],
        _("Levels"): [join_list(label(rules, Kind.LEVEL, v) for v in p.levels) for p in items],
        _("Settings"): [
            join_list(label(rules, Kind.SETTING, s) for s in p.settings) for p in items
        ],
        _("Interventions"): [
            join_list(label(rules, Kind.INTERVENTION, i) for i in p.interventions) for p in items
        ],
        _("Dose"): [
            reported(r["dose"], p.dose.status.value) for r, p in zip(worded, items, strict=True)
        ],
        _("Deliverers"): [
            reported(r["deliverers"], p.deliverers.status.value)
            for r, p in zip(worded, items, strict=True)
        ],
        _("Cost per participant"): [
            reported(r["cost"], p.cost_per_participant.status.value)
            if p.cost_per_participant
            else r["cost"]
            for r, p in zip(worded, items, strict=True)
        ],
        _("Benefit-cost"): [
            reported(benefit_cost_text(p), p.benefit_cost.status.value)
            if p.benefit_cost
            else benefit_cost_text(p)
            for p in items
        ],
        _("Ratings"): [r["ratings"] for r in worded],
        _("Implemented"): [
            reported(implemented_text(p), p.implemented.status.value) for p in items
        ],
    }
    compare = pd.DataFrame(facts, index=[r["name"] for r in worded]).T
    st.dataframe(compare, width="stretch")
    columns = st.columns(len(items))
    for column, p in zip(columns, items, strict=True):
        with column:
            st.markdown(f"**{escape(catalogue.name(p, lang))}** — " + _("sources"))
            lines = [
                f"- [{escape(s.title)}]({s.url}) · "
                + _("read {date}").format(date=s.retrieved)
                + f" · {_(STATUS[s.status.value])}"
                for s in p.sources
            ]
            lines += [
                f"- {escape(fact)}: [{_('source')}]({link})"
                + (" · " + _("read {date}").format(date=date) if date else "")
                + f" · {_(STATUS[status])}"
                for fact, link, date, status in fact_sources(p)
            ]
            st.markdown("\n".join(lines))
