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

SLIDE_KEYS = (
    "<script>(function () {"
    "if (window.prevplanSlideKeys) return; window.prevplanSlideKeys = true;"
    "document.addEventListener('keydown', function (event) {"
    "if (!document.querySelector('.st-key-concept-slide')) return;"
    "var target = event.target;"
    "if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA'"
    " || target.isContentEditable)) return;"
    "var which = {ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'prev', PageUp: 'prev',"
    " Escape: 'exit'}[event.key];"
    "if (!which) return;"
    "var button = document.querySelector('.st-key-slide-' + which + ' button');"
    "if (button && !button.disabled) { event.preventDefault(); button.click(); }"
    "});})();</script>"
)
# Arrow keys (and a presenter's clicker: Page Up/Down) go to the previous and next slide;
# Escape leaves the presentation. Keys typed into a field are left alone.

PROJECTOR_STYLE = (
    "<style>"
    # The whole screen for the slide: no sidebar, no header or toolbar, little margin.
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'],"
    " [data-testid='stHeader'], [data-testid='stToolbar']{display:none !important;}"
    "[data-testid='stMainBlockContainer']{padding:0.6rem 2rem 1rem !important;"
    " max-width:100% !important;}"
    # High contrast for a projector: black on white, quotes and captions dark, not grey.
    ".st-key-concept-slide, .st-key-concept-slide p, .st-key-concept-slide li,"
    " .st-key-concept-slide blockquote, .st-key-concept-slide [data-testid='stCaptionContainer']"
    "{color:#000 !important; opacity:1 !important;}"
    ".st-key-concept-slide blockquote{border-left:0.35rem solid #1f3b73 !important;}"
    "</style>"
)

presenting_now = bool(st.session_state.get("concept.present"))
if presenting_now:
    st.html(PROJECTOR_STYLE)
    st.html(SLIDE_KEYS, unsafe_allow_javascript=True)
else:
    st.title("📖 " + _("Concept explorer"))
    st.caption(
        _(
            "The SCO Concept (Annex VI) and the Program of Actions (Annex V) as prevplan "
            "encodes them. Every item shows its clause and the source text; every link says "
            "whether the text states it or prevplan infers it."
        )
    )

# In the presentation the search and filters fold away above the slide, still at hand.
controls = (
    st.expander("🔎 " + _("Search and filters"), key="concept.controls")
    if presenting_now
    else st.container()
)
with controls:
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
    with st.popover(title) if presenting else st.container():
        chosen = st.multiselect(
            title,
            options=values,
            format_func=names.__getitem__,
            key=f"concept.filter.{section.value}",
            placeholder=_("All"),
            persist_state="session",
        )
    items = search(section_items(rules, section), query, chosen)
    if not presenting:
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
        "{font-size:1.5rem !important; line-height:1.4 !important;}"
        ".st-key-concept-slide h3{font-size:2.3rem !important; padding-top:0 !important;}"
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

    def leave() -> None:
        st.session_state["concept.present"] = False

    back, where, forward, leave_col = st.columns([2, 3, 2, 1], vertical_alignment="center")
    with back.container(key="slide-prev"):
        st.button(
            "◀ " + _("Previous"),
            key=f"{key}.prev",
            disabled=index == 0,
            on_click=step,
            args=(-1,),
            width="stretch",
            help=_("Left arrow or Page Up"),
        )
    with forward.container(key="slide-next"):
        st.button(
            _("Next") + " ▶",
            key=f"{key}.next",
            disabled=index >= len(items) - 1,
            on_click=step,
            args=(1,),
            width="stretch",
            help=_("Right arrow or Page Down"),
        )
    with leave_col.container(key="slide-exit"):
        st.button(
            "✕",
            key=f"{key}.exit",
            on_click=leave,
            width="stretch",
            help=_("Leave the presentation (Escape)"),
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
