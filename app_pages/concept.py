"""Concept explorer: the Concept's levels, factors, strategies and interventions and the
Program of Actions, each with its clause, the source text, what it relates to and the
evidence behind it; a search box, filters, and a presentation mode for a projector."""

from __future__ import annotations

import html

import streamlit as st

from prevplan.i18n import _
from prevplan.present.labels import basis_text, focus_area_label, label
from prevplan.rules.models import Kind
from prevplan.ui import resources
from prevplan.ui.concept import ConceptItem, Section, search, section_items, section_title
from prevplan.ui.widgets import (
    chips,
    escape,
    evidence_block,
    fact,
    relation_lines,
    source_excerpts,
)
from prevplan.vocab import Basis

rules = resources.rules()

st.title("📖 " + _("Concept explorer"))
st.caption(
    _(
        "The SCO Concept (Annex VI) and the Program of Actions (Annex V) as prevplan encodes "
        "them. Every item shows its clause and the source text; every link says whether the "
        "text states it or prevplan infers it."
    )
)

search_col, present_col = st.columns([2, 1], vertical_alignment="bottom")
query = search_col.text_input(
    _("Search"),
    key="concept.search",
    placeholder=_("a word, a clause (VI-3.1.1) or an executor"),
    persist_state="session",
)
presenting = present_col.toggle(
    _("Presentation mode"),
    key="concept.present",
    persist_state="session",
    help=_("Large type, one item per screen, for a projector"),
)
link_filter = st.segmented_control(
    _("Show the links that are"),
    options=["all", *(b.value for b in Basis)],
    format_func={"all": _("All"), **{b.value: basis_text(b) for b in Basis}}.__getitem__,
    default="all",
    required=True,
    key="concept.links",
    persist_state="session",
)
bases = [b.value for b in Basis] if link_filter in (None, "all") else [str(link_filter)]


def filter_options(section: Section) -> tuple[str, list[str], dict[str, str]]:
    """The filter a section offers: its label, values and how each value is shown."""
    if section is Section.STRATEGIES:
        names = {"fundamental": _("Fundamental (VI-3.1)"), "supporting": _("Supporting (VI-3.2)")}
        return _("Kind"), list(names), names
    if section is Section.FACTORS:
        names = {
            Kind.RISK_FACTOR.value: _("Risk factors (VI-1.2)"),
            Kind.PROTECTIVE_FACTOR.value: _("Protective factors (VI-1.3)"),
        }
        return _("Factors"), list(names), names
    if section is Section.INTERVENTIONS:
        names = {s: label(rules, Kind.AGE_STAGE, s) for s in rules.age_stages}
        names |= {s: label(rules, Kind.SETTING, s) for s in rules.ids(Kind.SETTING)}
        return _("Age stage or setting"), list(names), names
    if section is Section.ACTION_ITEMS:
        names = {ref: f"{ref} {focus_area_label(rules, ref)}" for ref in rules.focus_areas}
        return _("Focus area"), list(names), names
    names = {d: _("Degree {degree}").format(degree=d) for d in ("I", "II", "III")}
    return _("Degree"), list(names), names


def item_card(item: ConceptItem, big: bool = False) -> None:
    """One item: title, clause chips, description, facts, source text, links, evidence."""
    heading = f"### {escape(item.title)}" if big else f"**{escape(item.title)}**"
    st.markdown(heading + "  " + chips(item.refs[:1]))
    if item.description:
        st.markdown(escape(item.description))
    for name, value in item.facts:
        fact(name, value)
    source, links, evidence = st.tabs(
        [_("Source text"), _("Relates to"), _("Evidence (UNODC/WHO Standards)")]
    )
    with source:
        st.markdown(chips(item.refs))
        source_excerpts(rules, item.refs)
    with links:
        relation_lines([r for r in item.relations if r.basis.value in bases])
    with evidence:
        if item.kind in (Kind.STRATEGY, Kind.INTERVENTION):
            evidence_block(rules, item.evidence)
        else:
            st.caption(_("The evidence crosswalk covers strategies and interventions."))


def section_body(section: Section) -> list[ConceptItem]:
    title, values, names = filter_options(section)
    chosen = st.multiselect(
        title,
        options=values,
        format_func=names.__getitem__,
        key=f"concept.filter.{section.value}",
        placeholder=_("All"),
        persist_state="session",
    )
    items = search(section_items(rules, section), query, chosen)
    st.caption(
        _("{n} of {total} shown").format(n=len(items), total=len(section_items(rules, section)))
    )
    return items


def list_items(items: list[ConceptItem]) -> None:
    group = None
    for item in items:
        if item.group != group:
            group = item.group
            st.markdown(f"#### {escape(group)}")
        with st.expander(f"{item.title} · {item.ref}", expanded=len(items) <= 4):
            item_card(item)


def present(items: list[ConceptItem], section: Section) -> None:
    """One item per screen in large type, with previous and next, for a projector."""
    # Large type for the slide only (Streamlit gives a keyed container the class st-key-…).
    st.html(
        "<style>"
        ".st-key-concept-slide p, .st-key-concept-slide li"
        "{font-size:1.6rem !important; line-height:1.45 !important;}"
        ".st-key-concept-slide h3{font-size:2.6rem !important;}"
        # The tab names stay small enough to fit in one row (long in Russian).
        ".st-key-concept-slide [role='tab'] p{font-size:1.1rem !important;}"
        "</style>"
    )
    if not items:
        st.info(_("Nothing matches the search and filters."))
        return
    key = f"concept.slide.{section.value}"
    index = min(int(st.session_state.get(key, 0)), len(items) - 1)

    def step(by: int) -> None:
        st.session_state[key] = index + by

    back, where, forward = st.columns([1, 2, 1], vertical_alignment="center")
    back.button(
        "◀ " + _("Previous"),
        key=f"{key}.prev",
        disabled=index == 0,
        on_click=step,
        args=(-1,),
        width="stretch",
    )
    forward.button(
        _("Next") + " ▶",
        key=f"{key}.next",
        disabled=index >= len(items) - 1,
        on_click=step,
        args=(1,),
        width="stretch",
    )
    where.markdown(
        f"<div style='text-align:center'>{html.escape(items[index].group)} · "
        + _("{n} of {total}").format(n=index + 1, total=len(items))
        + "</div>",
        unsafe_allow_html=True,
    )
    with st.container(key="concept-slide"):
        item_card(items[index], big=True)


tabs = st.tabs([section_title(s) for s in Section], key="concept.tab", on_change="rerun")
for section, tab in zip(Section, tabs, strict=True):
    if tab.open is False:
        continue
    with tab:
        items = section_body(section)
        if presenting:
            present(items, section)
        elif items:
            list_items(items)
        else:
            st.info(_("Nothing matches the search and filters."))
