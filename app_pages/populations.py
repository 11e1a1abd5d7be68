"""Populations & recommendations: the plan's target populations (add, edit, duplicate,
delete, upload a file) and, for the one selected, the mix the Concept recommends — level,
strategies in priority order, interventions, what to avoid, warnings — with every clause
one click from its text, and a button that adds it to the plan."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from prevplan.engine.evidence import delivery_facts
from prevplan.engine.models import Recommendation, StrategyRecommendation
from prevplan.export.report import ref_sort_key
from prevplan.i18n import _, current_language, format_percent, ngettext
from prevplan.io.population_csv import csv_template
from prevplan.population import AGE_MAX, AGE_MIN, TargetPopulation
from prevplan.present.labels import (
    basis_text,
    extrapolation_text,
    join,
    label,
    population_label,
    source_note,
    strategy_kind_text,
    strength_text,
)
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.ui import actions, auth, resources, state, upload_worker
from prevplan.ui import population_form as form
from prevplan.ui.concept import reasons_for
from prevplan.ui.programmes import programmes_block, programmes_by_intervention
from prevplan.ui.widgets import (
    basis_badge,
    chips,
    clause_sources,
    csv_download,
    escape,
    fact,
    field_problems,
    localised,
    problems_table,
    relation_lines,
    share_bar,
    source_excerpts,
    source_quote,
    standards_item,
)
from prevplan.vocab import ProtectiveFactor, RiskFactor, RiskGroup, Setting, SpecialGroup


def sections_of(rules: RuleSet, kind: Kind, ids: list[str]) -> str:
    """The sections of the Concept that the entities' own clauses lie in ("VI-1.2, VI-4.1"):
    page text cites the rules, not clause ids written into the message."""
    found: dict[str, None] = {}
    for entity_id in ids:
        entity = rules.entity(kind, entity_id)
        if entity is not None and entity.clauses:
            own = entity.clauses[0].split("#", 1)[0]
            found[own.rsplit(".", 1)[0] if own.count(".") > 1 else own] = None
    return join(sorted(found, key=ref_sort_key))


def _strategies_of(rules: RuleSet, kind: str) -> list[str]:
    return [sid for sid, s in rules.strategies.items() if s.kind.value == kind]


rules = resources.rules()
KEY = "popform."
MODE = "popform_mode"  # None: adding; a population id: editing it
PROBLEMS = "popform_problems"

st.title("👥 " + _("Populations & recommendations"))
st.caption(
    _(
        "Describe each group of people the plan is for. prevplan recommends the prevention "
        "level, strategies and interventions the Concept calls for, each with its clauses."
    )
)


# --- the form's state and what its buttons do ----------------------------------------------


FORM_OPEN = "popform.open"


def load_form(values: dict[str, Any], mode: str | None, *, show: bool = False) -> None:
    """Put ``values`` in the form; ``show`` unfolds it (asked for by New, Edit, Duplicate)."""
    for name, value in values.items():
        st.session_state[KEY + name] = value
    st.session_state[MODE] = mode
    st.session_state[PROBLEMS] = {}
    if show:
        st.session_state[FORM_OPEN] = True


if KEY + "id" not in st.session_state:
    load_form(form.empty_values(), None)


@state.callback
def new_population() -> None:
    load_form(form.empty_values(), None, show=True)


@state.callback
def edit_population(population_id: str) -> None:
    found = state.plan().population(population_id)
    if found is not None:
        load_form(form.values_from_population(found), population_id, show=True)


@state.callback
def duplicate_population(population_id: str) -> None:
    found = state.plan().population(population_id)
    if found is not None:
        load_form(form.duplicate_values(state.plan(), found), None, show=True)
        state.flash("info", _("The form holds a copy: change what differs and add it."))


@state.callback
def delete_population(population_id: str) -> None:
    plan = state.plan()
    found = plan.population(population_id)
    if found is None:
        return
    count = len(plan.activities_for(population_id))
    state.set_plan(
        form.remove_population(plan, population_id),
        _("deleted {name}").format(name=population_label(found)),
    )
    if st.session_state.get(MODE) == population_id:
        load_form(form.empty_values(), None)
    state.flash(
        "success",
        (
            ngettext(
                "Deleted {name} and its {n} activity.",
                "Deleted {name} and its {n} activities.",
                count,
            )
            if count
            else _("Deleted {name}; it had no activities.")
        ).format(name=population_label(found), n=count)
        + " "
        + _("Undo brings it back."),
    )


@state.callback
def submit_form() -> None:
    values = {name: st.session_state.get(KEY + name) for name in form.FORM_FIELDS}
    editing = st.session_state.get(MODE)
    plan = state.plan()
    result = form.validate(values, plan, editing)
    if result.population is None:
        st.session_state[PROBLEMS] = result.problems
        return
    population = result.population
    state.set_plan(
        form.put_population(plan, population, editing),
        (_("edited {name}") if editing else _("added {name}")).format(
            name=population_label(population)
        ),
    )
    state.select_population(population.id)
    st.session_state["pop.selected"] = population.id
    load_form(form.empty_values(), None)
    state.flash(
        "success",
        (_("Saved the changes to {name}.") if editing else _("Added {name} to the plan.")).format(
            name=population_label(population)
        ),
    )


@state.callback
def add_uploaded(populations: list[TargetPopulation]) -> None:
    plan, skipped = form.add_populations(state.plan(), populations)
    added = len(populations) - len(skipped)
    state.set_plan(plan, _("added {n} populations from a file").format(n=added))
    message = ngettext(
        "Added {n} population from the file.", "Added {n} populations from the file.", added
    ).format(n=added)
    if skipped:
        message += " " + _("Left out, because the plan already has these ids: {ids}.").format(
            ids=", ".join(skipped)
        )
    state.flash("success" if not skipped else "warning", message)


# --- the plan's populations ---------------------------------------------------------------

plan = state.plan()
assessment = resources.assessment(plan, state.plan_fingerprint())
coverage = {p.population_id: p for p in assessment.coverage.populations}

st.subheader(_("Target populations of the plan"))
# A viewer, or a plan under approval or approved: the table reads, nothing edits.
read_only = auth.read_only_notice(auth.edit_refusal())
if plan.populations:
    rows = []
    for p in plan.populations:
        covered = coverage.get(p.id)
        rows.append(
            {
                _("Name"): p.name or p.id,
                _("Region"): p.region or "",
                _("Ages"): f"{p.age_min}–{p.age_max}",
                _("People"): p.size,
                _("Prevention level"): (
                    label(rules, Kind.LEVEL, covered.prevention_level.value) if covered else ""
                ),
                _("Activities"): covered.activities if covered else 0,
                _("Coverage"): round(100 * covered.coverage) if covered else 0,
            }
        )
    st.dataframe(
        localised(pd.DataFrame(rows), numbers=[_("People"), _("Activities")]),
        hide_index=True,
        width="stretch",
        height=min(420, 42 + 35 * len(rows)),
        column_config={
            # Sized (in pixels) so that every column fits the page beside the longest level
            # name ("Универсальная профилактика"); a long name shows in full on hover, and
            # the id with it in "Selected population" below.
            _("Name"): st.column_config.TextColumn(width=200),
            _("Region"): st.column_config.TextColumn(width=60),
            _("Ages"): st.column_config.TextColumn(width=55),
            _("People"): st.column_config.NumberColumn(width=80),
            _("Prevention level"): st.column_config.TextColumn(width=200),
            _("Activities"): st.column_config.NumberColumn(width=95),
            _("Coverage"): share_bar(),
        },
    )
    csv_download(lambda: rows, "prevplan_populations.csv", "pop.csv")
else:
    st.info(_("No target populations yet. Add one with the form below, or upload a file."))

ids = [p.id for p in plan.populations]
by_id = {p.id: p for p in plan.populations}
if ids:
    current = state.selected_population()
    if st.session_state.get("pop.selected") not in ids:
        st.session_state["pop.selected"] = current if current in ids else ids[0]
    chosen: str | None = st.selectbox(
        _("Selected population"),
        options=ids,
        format_func=lambda pid: population_label(by_id[pid]),
        key="pop.selected",
        placeholder=_("Choose an option"),
    )
    state.select_population(chosen)
    buttons = st.columns(4)
    buttons[0].button(
        "✏️ " + _("Edit"),
        key="pop.edit",
        on_click=edit_population,
        args=(chosen,),
        width="stretch",
        disabled=read_only,
    )
    buttons[1].button(
        "📋 " + _("Duplicate"),
        key="pop.duplicate",
        disabled=read_only,
        on_click=duplicate_population,
        args=(chosen,),
        width="stretch",
    )
    buttons[2].button(
        "🗑️ " + _("Delete"),
        key="pop.delete",
        disabled=read_only,
        on_click=delete_population,
        args=(chosen,),
        width="stretch",
        help=_("Deletes the population and its activities; Undo brings them back."),
    )
    buttons[3].button(
        "➕ " + _("New population"),
        key="pop.new",
        on_click=new_population,
        width="stretch",
        disabled=read_only,
    )
else:
    chosen = None


# --- the form -----------------------------------------------------------------------------

editing = st.session_state.get(MODE)


def share_inputs(
    rules: RuleSet,
    problems: dict[str, list[str]],
    title: str,
    hint: str,
    kind: Kind,
    factor_ids: list[str],
    prefix: str,
    *,
    columns: int,
) -> None:
    """Percent inputs, one per risk factor or protective resource, each with its problems."""
    st.markdown(f"**{title}** · {hint}")
    cols = st.columns(columns)
    for n, factor_id in enumerate(factor_ids):
        with cols[n % columns]:
            st.number_input(
                label(rules, kind, factor_id),
                min_value=0.0,
                max_value=100.0,
                step=5.0,
                key=KEY + prefix + factor_id,
                persist_state="session",
                placeholder=_("unknown"),
            )
            field_problems(problems.get(prefix + factor_id, []))


problems: dict[str, list[str]] = st.session_state.get(PROBLEMS, {})
title = (
    _("Edit population {id}").format(id=escape(str(editing)))
    if editing
    else _("Add a target population")
)
if problems or not ids:
    st.session_state[FORM_OPEN] = True


def population_form() -> None:
    """The form that adds a population or edits the chosen one."""
    # Keyed, so it stays as the planner left it whatever else the page shows.
    with st.expander(
        "📝 " + title,
        expanded=bool(editing or problems or not ids),
        key=FORM_OPEN,
        on_change="rerun",
    ):
        with st.container():
            if problems.get(form.GENERAL):
                field_problems(problems[form.GENERAL])
            if problems:
                st.error(_("Please correct the fields marked below."), icon="⚠️")
            a, b, c = st.columns(3)
            with a:
                st.text_input(
                    _("Id"),
                    key=KEY + "id",
                    persist_state="session",
                    help=_("Short and unique, e.g. teens-north"),
                )
                field_problems(problems.get("id", []))
            with b:
                st.text_input(_("Name"), key=KEY + "name", persist_state="session")
                field_problems(problems.get("name", []))
            with c:
                st.text_input(
                    _("Region"),
                    key=KEY + "region",
                    persist_state="session",
                    help=_("Optional; the dashboard filters by it"),
                )
            a, b, c, d = st.columns(4)
            with a:
                st.number_input(
                    _("Youngest age"),
                    min_value=AGE_MIN,
                    max_value=AGE_MAX,
                    step=1,
                    key=KEY + "age_min",
                    persist_state="session",
                )
                field_problems(problems.get("age_min", []))
            with b:
                st.number_input(
                    _("Oldest age"),
                    min_value=AGE_MIN,
                    max_value=AGE_MAX,
                    step=1,
                    key=KEY + "age_max",
                    persist_state="session",
                )
                field_problems(problems.get("age_max", []))
            with c:
                st.number_input(
                    _("Number of people"),
                    min_value=0,  # 0 is said to be too few, not taken for an empty field
                    step=100,
                    key=KEY + "size",
                    persist_state="session",
                    help=_("The denominator of coverage"),
                )
                field_problems(problems.get("size", []))
            with d:
                st.selectbox(
                    _("Risk group"),
                    options=[g.value for g in RiskGroup],
                    format_func={
                        g.value: label(rules, Kind.RISK_GROUP, g.value) for g in RiskGroup
                    }.__getitem__,
                    key=KEY + "risk_group",
                    persist_state="session",
                    placeholder=_("Choose an option"),
                    help=_("What is known about the group's risk; it sets the prevention level"),
                )
                field_problems(problems.get("risk_group", []))
            a, b = st.columns(2)
            with a:
                st.multiselect(
                    _("Settings where they can be reached"),
                    options=[s.value for s in Setting],
                    format_func={
                        s.value: label(rules, Kind.SETTING, s.value) for s in Setting
                    }.__getitem__,
                    key=KEY + "settings",
                    persist_state="session",
                    placeholder=_("None chosen: prevplan proposes settings"),
                )
                field_problems(problems.get("settings", []))
            with b:
                st.multiselect(
                    _("Special groups ({clauses})").format(
                        clauses=sections_of(
                            rules, Kind.SPECIAL_GROUP, rules.ids(Kind.SPECIAL_GROUP)
                        )
                    ),
                    options=[g.value for g in SpecialGroup],
                    format_func={
                        g.value: label(rules, Kind.SPECIAL_GROUP, g.value) for g in SpecialGroup
                    }.__getitem__,
                    key=KEY + "special_groups",
                    persist_state="session",
                    placeholder=_("None"),
                )
                field_problems(problems.get("special_groups", []))
            # Parents and carers (VI-3.1.1): family programmes follow their children's ages.
            a, b = st.columns(2)
            for column, field, caption in (
                (a, form.CHILDREN_FIELDS[0], _("Parents only: children's youngest age")),
                (b, form.CHILDREN_FIELDS[1], _("Parents only: children's oldest age")),
            ):
                with column:
                    st.number_input(
                        caption,
                        min_value=AGE_MIN,
                        max_value=AGE_MAX,
                        step=1,
                        key=KEY + field,
                        persist_state="session",
                        placeholder=_("not parents"),
                        help=_("Leave empty unless the group are parents or carers"),
                    )
                    field_problems(problems.get(field, []))
            share_inputs(
                rules,
                problems,
                _("Share of the population with each risk factor (VI-1.2), in %"),
                _("leave empty when unknown — empty is not zero"),
                Kind.RISK_FACTOR,
                [risk.value for risk in RiskFactor],
                form.RISK_PREFIX,
                columns=3,
            )
            share_inputs(
                rules,
                problems,
                _("Share of the population with each protective resource (VI-1.3), in %"),
                _("leave empty when unknown"),
                Kind.PROTECTIVE_FACTOR,
                [protective.value for protective in ProtectiveFactor],
                form.PROTECTIVE_PREFIX,
                columns=4,
            )
            st.button(
                "💾 " + (_("Save changes") if editing else _("Add to the plan")),
                key="popform.submit",
                on_click=submit_form,
                type="primary",
            )
        if editing:
            st.button(_("Cancel editing"), key="popform.cancel", on_click=new_population)


# A reader sees no form to fill and no file to add: the notice above says why, whom to ask.
if not read_only:
    population_form()


# --- upload -------------------------------------------------------------------------------


def upload_section() -> None:
    st.caption(
        _(
            "One population per item or row, with the fields id, name, age_min, age_max, size, "
            "risk_group, settings, risk_factors.… (the population file format of prevplan)."
        )
        + " "
        + _(
            "Shares are fractions (0.45) or percentages (45): a file of percentages is "
            "recognised and said so. Every field is described in docs/interfaces.md, section 2."
        )
    )
    st.download_button(
        "⬇️ " + _("Population CSV template"),
        data=lambda: csv_template(),
        file_name="prevplan_populations_template.csv",
        mime="text/csv",
        key="pop.template",
        on_click="ignore",
    )
    upload_worker.warm_up()  # uploads are read in worker processes: start them now
    upload = st.file_uploader(
        _("Population file"), type=["yaml", "yml", "json", "csv"], key="pop.upload"
    )
    if upload is not None:
        try:
            uploaded, notes = upload_worker.parse_population_upload_noted(
                upload.getvalue(), upload.name
            )
        except ProblemsError as err:
            st.error(
                ngettext(
                    "The file has {n} problem; nothing was added. Correct it and upload again.",
                    "The file has {n} problems; nothing was added. Correct them and upload again.",
                    len(err.problems),
                ).format(n=len(err.problems)),
                icon="⚠️",
            )
            problems_table(err.problems)
            valid = [
                p
                for p in upload_worker.valid_population_rows(upload.getvalue(), upload.name)
                if p.id not in by_id
            ]
            if valid:
                st.button(
                    ngettext(
                        "Add the {n} valid row now; correct the others later",
                        "Add the {n} valid rows now; correct the others later",
                        len(valid),
                    ).format(n=len(valid)),
                    key="pop.upload.add_valid",
                    on_click=add_uploaded,
                    args=(valid,),
                )
        else:
            for note in notes:
                st.caption("ℹ️ " + escape(note))
            clashes = [p.id for p in uploaded if p.id in by_id]
            st.success(
                ngettext("{n} population read.", "{n} populations read.", len(uploaded)).format(
                    n=len(uploaded)
                )
                + (
                    " "
                    + _("Already in the plan (will be left out): {ids}").format(
                        ids=escape(", ".join(clashes))
                    )
                    if clashes
                    else ""
                )
            )
            st.button(
                _("Add them to the plan"),
                key="pop.upload.add",
                on_click=add_uploaded,
                args=(uploaded,),
                disabled=len(clashes) == len(uploaded),
            )


if not read_only:
    upload_box = st.expander(
        "📤 " + _("Upload a population file (YAML, JSON or CSV)"),
        key="pop.upload.open",
        on_change="rerun",
    )
    if upload_box.open:
        with upload_box:
            upload_section()


# --- the recommendation -------------------------------------------------------------------


def strategy_card(item: StrategyRecommendation, rec: Recommendation) -> None:
    with st.container(border=True):
        evidence = strength_text(item.evidence.strength)
        if item.evidence.extrapolated:
            evidence += " — " + extrapolation_text(rules, item.evidence.standards, rec.age_stages)
        st.markdown(
            f"**{item.priority}. {escape(label(rules, Kind.STRATEGY, item.id))}** · "
            f"{escape(strategy_kind_text(item.kind))} {basis_badge(item.basis)}  \n"
            + _("Evidence: {strength}").format(strength=escape(evidence))
            + f" `[{item.evidence.strength_tag}]`"
        )
        st.markdown(escape(item.rationale))
        st.markdown(chips((item.clause, *item.sources)))
        with st.expander(_("Why, with the source text")):
            relation_lines(reasons_for(rules, Kind.STRATEGY, item.id, rec))
            source_excerpts(rules, (item.clause, *item.sources))
            for key in item.evidence.standards:
                if key in rules.standards:
                    standards_item(rules, rules.standards[key])


def recommendation_view(population: TargetPopulation) -> None:
    rec = resources.recommendation(population)
    st.subheader(_("Recommended for {name}").format(name=escape(population.name or population.id)))
    have = len(state.plan().activities_for(population.id))
    add, note = st.columns([1, 3])
    add.button(
        "➕ " + _("Add to plan"),
        key="rec.add",
        disabled=read_only,
        type="primary",
        on_click=actions.add_recommendation,
        args=(population.id,),
        width="stretch",
    )
    note.caption(
        _(
            "Adds one activity per recommended intervention, and one per strategy no "
            "intervention delivers, with the population's size as target."
        )
        + (
            " "
            + ngettext(
                "The population already has {n} activity.",
                "The population already has {n} activities.",
                have,
            ).format(n=have)
            if have
            else ""
        )
    )
    level = label(rules, Kind.LEVEL, rec.prevention_level.value)
    fact(_("Prevention level"), level)
    clause_sources(rules, rec.level_sources)
    facts = [
        (_("Age stages"), join(label(rules, Kind.AGE_STAGE, s) for s in rec.age_stages)),
        (
            _("Settings") + (" " + _("(proposed by prevplan)") if rec.settings_proposed else ""),
            join(label(rules, Kind.SETTING, s) for s in rec.settings),
        ),
    ]
    for name, kind, factors in (
        (_("Priority risk factors"), Kind.RISK_FACTOR, rec.priority_risk_factors),
        (_("Weak protective resources"), Kind.PROTECTIVE_FACTOR, rec.weak_protective_factors),
    ):
        if factors:
            shares = (
                label(rules, kind, f.id)
                + (f" ({f.reason or format_percent(f.share)})" if f.share is not None else "")
                for f in factors
            )
            facts.append((name, join(shares)))
    for name, value in facts:
        fact(name, value)
    st.caption(escape(rec.priorities_basis))

    for warning in rec.warnings:
        st.warning(f"{escape(warning.message)}  \n{chips(warning.sources)}", icon="⚠️")

    st.markdown("#### " + _("Strategies, in priority order"))
    st.caption(
        _(
            "Fundamental strategies ({fundamental}) come first; supporting ones ({supporting}) "
            "work with them."
        ).format(
            fundamental=sections_of(rules, Kind.STRATEGY, _strategies_of(rules, "fundamental")),
            supporting=sections_of(rules, Kind.STRATEGY, _strategies_of(rules, "supporting")),
        )
        + " "
        + basis_badge("stated")
        + " "
        + _("the SCO text says so;")
        + " "
        + basis_badge("inferred")
        + " "
        + _("prevplan's reading, with its justification.")
    )
    for item in rec.strategies:
        strategy_card(item, rec)

    st.markdown("#### " + _("Interventions (VI-4)"))
    if not rec.interventions:
        st.caption(_("No intervention of Section 4 fits this population."))
    named = programmes_by_intervention(population, rec)
    for entry in rec.interventions:
        with st.expander(
            f"{label(rules, Kind.INTERVENTION, entry.id)} · {entry.clause} · "
            f"{basis_text(entry.basis)}"
        ):
            st.markdown(escape(entry.rationale))
            works = delivery_facts(
                rules,
                entry.evidence,
                entry.age_stages or rec.age_stages,
                rec.prevention_level.value,
                current_language(),
            )
            if works:
                st.markdown(
                    "**"
                    + _("What works in delivery")
                    + "**\n"
                    + "\n".join(f"- {escape(fact)}" for fact in works)
                )
            if entry.evidence.extrapolated:
                st.caption(
                    escape(
                        extrapolation_text(
                            rules, entry.evidence.standards, entry.age_stages or rec.age_stages
                        )
                    )
                )
            if entry.evidence.note:
                st.caption(escape(entry.evidence.note))
            st.markdown(chips((entry.clause, *entry.sources)))
            relation_lines(reasons_for(rules, Kind.INTERVENTION, entry.id, rec))
            programmes_block(named.get(entry.id, ()), state.plan())
            source_excerpts(rules, (entry.clause, *entry.sources))

    st.markdown("#### " + _("How to inform this group"))
    source_quote(rules, rec.information_mode.clause, rec.information_mode.text)
    st.markdown(chips([rec.information_mode.clause]))
    st.caption("📜 " + source_note())

    if rec.notes:
        st.markdown("#### " + _("How to apply (the SCO texts and the UNODC/WHO Standards)"))
        for how_to in rec.notes:
            st.info(f"**{escape(how_to.title)}** — {escape(how_to.text)}")
            st.markdown(
                chips(how_to.sources)
                + " · "
                + escape(_("Standards {items}").format(items=", ".join(how_to.standards)))
            )

    st.markdown("#### " + _("What to avoid"))
    if rec.avoid:
        lines = []
        for avoid in rec.avoid:
            names = [
                label(rules, kind, ref)
                for ref in avoid.applies_to
                for kind in (Kind.STRATEGY, Kind.INTERVENTION)
                if rules.exists(kind, ref)
            ]
            lines.append(
                f"- ⛔ {escape(avoid.text)} `[{avoid.tag}]`"
                + (" — " + escape(join(names)) if names else "")
            )
        st.markdown("\n".join(lines))
        st.caption(
            _(
                "[V] read in the Standards; [S] from a training curriculum built on the "
                "Standards; [R] reported in the field, not checked against the Standards."
            )
        )
    else:
        st.caption(_("No practice to avoid is recorded for this mix."))

    if rec.action_items:
        st.markdown("#### " + _("Program of Actions items this work implements"))
        st.markdown(
            "\n".join(
                f"- {chips([ref])} {escape(label(rules, Kind.ACTION_ITEM, ref))}"
                for ref in rec.action_items
            )
        )


st.divider()
if chosen is not None:
    recommendation_view(by_id[chosen])
