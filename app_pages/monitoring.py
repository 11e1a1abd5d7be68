"""Monitoring: the plan followed through its periods (interfaces §8) — a progress grid per
period, a local survey turned into population shares, trends against targets, the fidelity
heat map, spending against the budget, the warnings with the question each asks, the
decisions log, and the annual report of the Program of Actions (V-6.7) with a DHIS2 export."""

from __future__ import annotations

import json

import streamlit as st

from prevplan.analytics.charts import chart_config
from prevplan.analytics.monitoring_charts import (
    coverage_trend,
    fidelity_heatmap,
    indicator_trend,
    spend_vs_budget,
)
from prevplan.engine.judgments import Finding, WarningCode, warning_fields
from prevplan.i18n import _, format_number, format_percent, ngettext
from prevplan.monitor import monitor
from prevplan.monitor.labels import indicator_label
from prevplan.problems import ProblemsError
from prevplan.survey.definitions import read_definitions
from prevplan.ui import auth, exports, resources, state
from prevplan.ui.monitoring import (
    add_decision,
    apply_progress,
    parse_periods,
    progress_frame,
    set_periods,
    survey_columns,
    survey_estimates,
    survey_table,
    write_survey,
)
from prevplan.ui.plans import SAMPLE_DIR
from prevplan.ui.widgets import escape, problems_table

rules = resources.rules()
plan = state.plan()
lang = state.language()

st.title("📈 " + _("Monitoring"))
st.caption(
    _(
        "Follow the plan through its periods: enter what each activity delivered, add local "
        "survey results, and see targets against actuals, fidelity, spending and the trend of "
        "each surveyed share. Each warning asks what you will change; record the decision."
    )
)
if not plan.activities:
    st.info(_("The plan has no activities yet: add some on the Plan page."))
    st.stop()
# A viewer, or a plan under approval or approved: progress, surveys and decisions read only.
read_only = auth.read_only_notice(auth.edit_refusal())

# --- periods --------------------------------------------------------------------------------

with st.expander("🗓️ " + _("Periods of the plan"), expanded=not plan.periods):
    state.sync_widget("mon.periods", ", ".join(plan.periods))
    st.text_input(
        _("Periods, in order, separated by commas"),
        key="mon.periods",
        placeholder="2025, 2026, 2027",
        help=_("Years (2026), half-years (2026-H1), quarters (2026-Q2) or months (2026-03)."),
        disabled=read_only,
    )
    if st.button(_("Save the periods"), key="mon.periods.save", disabled=read_only):
        outcome = set_periods(plan, parse_periods(st.session_state["mon.periods"]), rules)
        if outcome.plan is not None:
            state.set_plan(outcome.plan, _("set the plan's periods"))
            st.rerun()
        problems_table(outcome.problems)
if not plan.periods:
    st.info(_("Give the plan's periods first (for example 2025, 2026, 2027)."))
    st.stop()

report = monitor(plan, rules, lang)
names = {a.id: a.name or a.id for a in plan.activities}
pop_names = {p.id: p.name or p.id for p in plan.populations}

progress_tab, survey_tab, trends_tab, warnings_tab, reports_tab = st.tabs(
    [
        "✏️ " + _("Progress"),
        "📋 " + _("Survey"),
        "📉 " + _("Trends"),
        "⚠️ " + _("Warnings and decisions"),
        "⬇️ " + _("Reports"),
    ],
    key="mon.tab",
    on_change="rerun",
)

# --- progress grid ------------------------------------------------------------------------

with progress_tab:
    state.keep_valid("mon.period", list(plan.periods))
    period = st.selectbox(
        _("Monitoring period"), options=list(plan.periods), key="mon.period", index=0
    )
    st.caption(
        _(
            "One row per activity. Leave a row blank if the activity has nothing to report; "
            "the target defaults to the activity's target reach and the budget to its cost "
            "spread over the periods. Fidelity is the share of the programme's core components "
            "delivered as designed (0–1)."
        )
    )
    grid = progress_frame(plan, period)
    editor_key = f"mon.grid.{period}.{state.revision()}"
    edited = st.data_editor(
        grid,
        key=editor_key,
        hide_index=True,
        disabled=True if read_only else ["id", "name", "population_id"],
        column_order=[
            "name",
            "target",
            "reach",
            "sessions_planned",
            "sessions_delivered",
            "spent",
            "budget",
            "fidelity",
            "fidelity_checklist",
            "note",
        ],
        column_config={
            "id": st.column_config.TextColumn(_("Activity ID")),
            "name": st.column_config.TextColumn(_("Activity"), width="large", pinned=True),
            "population_id": st.column_config.TextColumn(_("Population ID")),
            "target": st.column_config.NumberColumn(_("Target"), min_value=0, step=1),
            "reach": st.column_config.NumberColumn(_("People reached"), min_value=0, step=1),
            "sessions_planned": st.column_config.NumberColumn(
                _("Sessions planned"), min_value=0, step=1
            ),
            "sessions_delivered": st.column_config.NumberColumn(
                _("Sessions delivered"), min_value=0, step=1
            ),
            "spent": st.column_config.NumberColumn(_("Spent"), min_value=0.0),
            "budget": st.column_config.NumberColumn(_("Budget"), min_value=0.0),
            "fidelity": st.column_config.NumberColumn(
                _("Fidelity (0–1)"), help=_("A share between 0 and 1 (0.85 for 85 %).")
            ),
            "fidelity_checklist": st.column_config.TextColumn(
                _("Fidelity checklist"),
                width="medium",
                help=_(
                    "The programme's core components and whether each was delivered as "
                    "designed: all_lessons=yes; trained_teacher=no. Without a fidelity share, "
                    "the share of components delivered is the fidelity."
                ),
            ),
            "note": st.column_config.TextColumn(_("Note"), width="medium"),
        },
        width="stretch",
        height=min(720, 42 + 35 * (len(grid) + 1)),
    )
    if st.button(
        "💾 " + _("Save progress for {period}").format(period=period),
        key="mon.save",
        disabled=read_only,
    ):
        records = [
            {str(k): v for k, v in row.items()}
            for row in edited.astype(object).where(edited.notna(), None).to_dict("records")
        ]
        outcome = apply_progress(plan, period, records, rules)
        if outcome.plan == plan:
            st.info(_("Nothing was changed: the grid holds what the plan already has."))
        elif outcome.plan is not None:
            state.set_plan(outcome.plan, _("entered progress for {period}").format(period=period))
            state.flash(
                "success", _("Progress for {period} is saved in the plan.").format(period=period)
            )
            st.rerun()
        st.error(
            ngettext(
                "The grid has {n} problem, so the plan was not changed; your entries are kept.",
                "The grid has {n} problems, so the plan was not changed; your entries are kept.",
                len(outcome.problems),
            ).format(n=len(outcome.problems)),
            icon="⚠️",
        )
        problems_table(outcome.problems)

# --- survey upload --------------------------------------------------------------------------

with survey_tab:
    st.caption(
        _(
            "A local survey: one row per respondent (CSV or Excel) with a weight column, and a "
            "definitions file that maps its items and cut-points to the risk and protective "
            "factors. The shipped definitions fit a typical school survey "
            "(sample_data/school_survey_definitions.yaml). Groups under the minimum cell size "
            "are suppressed."
        )
    )
    upload = st.file_uploader(
        _("Survey microdata (CSV or Excel)"), type=["csv", "xlsx"], key="mon.survey"
    )
    definitions_upload = st.file_uploader(
        _("Definitions (YAML or JSON; leave empty for the typical school survey)"),
        type=["yaml", "yml", "json"],
        key="mon.definitions",
    )
    if upload is not None:
        survey = (upload.name, upload.getvalue())
        columns = survey_columns(survey)
        default_by = [c for c in ("population",) if c in columns]
        by = st.multiselect(
            _("Group respondents by"),
            options=columns,
            default=default_by,
            key="mon.survey.by",
            help=_(
                "A group whose label is a population's id (or name) is written into that "
                "population, unless a mapping file says which population each group is."
            ),
        )
        mapping_upload = st.file_uploader(
            _("Mapping of groups to populations (CSV, YAML or JSON; optional)"),
            type=["csv", "yaml", "yml", "json"],
            key="mon.survey.mapping",
            help=_(
                "One row per group: a column for each grouping column with the group's value, "
                "and population_id (see docs/monitoring.md)."
            ),
        )
        survey_period = st.selectbox(
            _("Period of the survey"),
            options=list(plan.periods),
            index=len(plan.periods) - 1,
            key="mon.survey.period",
        )
        try:
            definitions = (
                (definitions_upload.name, definitions_upload.getvalue())
                if definitions_upload is not None
                else read_definitions(SAMPLE_DIR / "school_survey_definitions.yaml")
            )
            with st.spinner(_("Reading the survey…"), show_time=True):
                estimates = survey_estimates(survey, definitions, by)
        except ProblemsError as err:  # every problem of the upload, by row and field
            problems = err.problems
            st.error(_("The survey could not be read; nothing was changed."), icon="⚠️")
            problems_table(problems)
        else:
            st.markdown(
                escape(
                    _(
                        "{n} respondents in {groups} groups; {suppressed} suppressed (fewer "
                        "than {floor} respondents). Method: {method}."
                    ).format(
                        n=format_number(estimates.respondents),
                        groups=format_number(len(estimates.groups)),
                        suppressed=format_number(estimates.suppressed_groups),
                        floor=estimates.min_cell,
                        method=_(estimates.method),
                    )
                )
            )
            st.dataframe(survey_table(estimates, rules), hide_index=True, width="stretch")
            if st.button(
                "💾 "
                + _("Write the shares into the plan for {period}").format(period=survey_period),
                key="mon.survey.write",
                disabled=read_only,
            ):
                outcome = write_survey(
                    plan,
                    estimates,
                    survey_period,
                    rules,
                    None
                    if mapping_upload is None
                    else (mapping_upload.name, mapping_upload.getvalue()),
                )
                if outcome.plan is not None:
                    state.set_plan(
                        outcome.plan,
                        _("wrote survey results for {period}").format(period=survey_period),
                    )
                    for note in outcome.notes:
                        state.flash("info", note)
                    st.rerun()
                st.error(
                    _("The survey results could not be written; nothing was changed."), icon="⚠️"
                )
                problems_table(outcome.problems)

# --- trends ---------------------------------------------------------------------------------

# Trends is drawn only while it is open: its four charts are most of what the page costs the
# planner's browser. The population and indicators chosen there are kept meanwhile.
if trends_tab.open:
    with trends_tab:
        if not report.reported_periods:
            st.info(_("No progress or survey results have been reported yet."))
        else:
            st.plotly_chart(coverage_trend(report), key="mon.fig.coverage", config=chart_config())
            surveyed = [p.id for p in plan.populations if p.id in plan.surveys]
            if surveyed:
                state.keep_valid("mon.trend.pop", surveyed)
                chosen = st.selectbox(
                    _("Population"),
                    options=surveyed,
                    format_func=lambda p: pop_names.get(p, p),
                    key="mon.trend.pop",
                    persist_state="session",
                )
                indicators = sorted(
                    {t.indicator for t in report.trends if t.population_id == chosen},
                    key=lambda i: (not i.startswith("risk"), i),
                )
                warned = {
                    w.indicator
                    for w in report.warnings
                    if w.population_id == chosen and w.indicator
                }
                default = [i for i in indicators if i.startswith("risk_factors") or i in warned]
                shown = st.multiselect(
                    _("Indicators"),
                    options=indicators,
                    default=default,
                    format_func=lambda i: indicator_label(rules, i),
                    key=f"mon.trend.ind.{chosen}",
                    persist_state="session",
                )
                st.plotly_chart(
                    indicator_trend(report, chosen, rules, indicators=shown),
                    key="mon.fig.indicators",
                    config=chart_config(),
                )
            threshold = rules.warning_definitions["low_fidelity"].trigger.threshold or 0.8
            st.plotly_chart(
                fidelity_heatmap(report, names, threshold),
                key="mon.fig.fidelity",
                config=chart_config(),
            )
            st.plotly_chart(spend_vs_budget(report), key="mon.fig.spend", config=chart_config())

# --- warnings and decisions -----------------------------------------------------------------

with warnings_tab:
    if not report.warnings:
        st.success(_("No monitoring warning: every reported activity is on track."))
    for period in reversed(report.reported_periods):
        found = [w for w in report.warnings if w.period == period]
        if not found:
            continue
        st.subheader(
            ngettext("{period}: {n} warning", "{period}: {n} warnings", len(found)).format(
                period=period, n=len(found)
            )
        )
        st.dataframe(
            [
                {
                    _("Warning"): rules.translated("warnings", w.code, "title"),
                    _("Concerns"): names.get(w.activity_id or "", "")
                    or pop_names.get(w.population_id or "", ""),
                    _("What was found"): w.finding,
                }
                for w in found
            ],
            hide_index=True,
            width="stretch",
            height="content" if len(found) <= 12 else 460,
        )
        for code in dict.fromkeys(w.code for w in found):
            first = next(w for w in found if w.code == code)
            title = rules.translated("warnings", code, "title")
            with st.expander("❓ " + title):
                general = warning_fields(rules, Finding(WarningCode(code)), lang)
                st.markdown(escape(str(general["message"])))
                st.caption(escape(", ".join(first.sources)))
    st.subheader("🗒️ " + _("Decisions log"))
    if report.decisions:
        st.dataframe(
            [
                {
                    _("Monitoring period"): d.period,
                    _("Warning"): rules.translated("warnings", d.warning, "title")
                    if d.warning
                    else "",
                    _("Concerns"): names.get(d.activity_id or "", "")
                    or pop_names.get(d.population_id or "", ""),
                    _("Decision"): d.decision,
                    _("Decided by"): d.by or "",
                    _("Date"): d.date or "",
                }
                for d in report.decisions
            ],
            hide_index=True,
            width="stretch",
        )
    with st.form("mon.decision", clear_on_submit=True):
        st.markdown("**" + escape(_("Record a decision: what will you change?")) + "**")
        a, b = st.columns(2)
        d_period = a.selectbox(
            _("Monitoring period"), options=list(plan.periods), key="mon.d.period"
        )
        codes = ["", "off_track", "low_fidelity", "overspent", "rising_risk"]
        d_warning = b.selectbox(
            _("Warning it answers"),
            options=codes,
            format_func=lambda c: rules.translated("warnings", c, "title") if c else "—",
            key="mon.d.warning",
        )
        d_activity = a.selectbox(
            _("Activity"),
            options=["", *names],
            format_func=lambda i: names.get(i, "—") if i else "—",
            key="mon.d.activity",
        )
        d_by = b.text_input(_("Decided by"), key="mon.d.by")
        d_text = st.text_area(_("Decision"), key="mon.d.text")
        if st.form_submit_button("💾 " + _("Add to the decisions log"), disabled=read_only):
            activity = next((x for x in plan.activities if x.id == d_activity), None)
            outcome = add_decision(
                plan,
                {
                    "period": d_period,
                    "warning": d_warning,
                    "activity_id": d_activity,
                    "population_id": activity.population_id if activity else None,
                    "decision": d_text.strip(),
                    "by": d_by.strip(),
                },
                rules,
            )
            if outcome.plan is not None:
                state.set_plan(outcome.plan, _("recorded a decision"))
                st.rerun()
            problems_table(outcome.problems)

# --- reports --------------------------------------------------------------------------------

with reports_tab:
    st.caption(
        _(
            "The annual report on the implementation of the Program of Actions (item 6.7): "
            "what was planned, delivered, reached and spent per item and population, with the "
            "survey trends, the level of provision, the warnings and the decisions."
        )
    )
    reported = list(report.reported_periods)
    if not reported:
        st.info(_("No progress or survey results have been reported yet."))
    else:
        state.keep_valid("mon.report.period", reported)
        report_period = st.selectbox(
            _("Period of the report"),
            options=reported,
            index=len(reported) - 1,
            key="mon.report.period",
        )
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in plan.name) or "plan"
        why_not_pdf = exports.pdf_unavailable()
        a, b = st.columns(2)

        exports.warm_up()

        a.download_button(
            "📄 " + _("Annual report (PDF)"),
            data=lambda: exports.annual_bytes(plan, "pdf", rules, report_period, lang),
            file_name=f"{stem}_annual_{report_period}.pdf",
            mime="application/pdf",
            key="mon.download.pdf",
            on_click="ignore",
            disabled=why_not_pdf is not None,
            help=why_not_pdf,
        )
        b.download_button(
            "📗 " + _("Annual report (Excel)"),
            data=lambda: exports.annual_bytes(plan, "xlsx", rules, report_period, lang),
            file_name=f"{stem}_annual_{report_period}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="mon.download.xlsx",
            on_click="ignore",
        )
        st.markdown("**" + escape(_("DHIS2 data value set")) + "**")
        org_unit = st.text_input(
            _("Organisation unit code in DHIS2"), value="NATIONAL", key="mon.dhis2.org"
        )
        c, d = st.columns(2)

        def _dhis2(kind: str) -> bytes:
            from prevplan.export.dhis2 import data_value_set_csv, data_value_set_json

            if kind == "json":
                text = json.dumps(
                    data_value_set_json(report, org_unit), ensure_ascii=False, indent=2
                )
            else:
                text = data_value_set_csv(report, org_unit)
            return text.encode("utf-8")

        c.download_button(
            "🔗 " + _("DHIS2 (JSON)"),
            data=lambda: _dhis2("json"),
            file_name=f"{stem}_dhis2.json",
            mime="application/json",
            key="mon.download.dhis2json",
            on_click="ignore",
        )
        d.download_button(
            "🔗 " + _("DHIS2 (CSV)"),
            data=lambda: _dhis2("csv"),
            file_name=f"{stem}_dhis2.csv",
            mime="text/csv",
            key="mon.download.dhis2csv",
            on_click="ignore",
        )
        st.caption(
            escape(
                _(
                    "Identifiers are codes: import with idScheme=CODE after creating data "
                    "elements PREVPLAN_… and a category whose options are the population and "
                    "activity ids. Shares are percentages."
                )
            )
        )
        t = next(p for p in report.periods if p.period == report_period).totals
        st.caption(
            escape(
                _("{period}: effective coverage {coverage}; spent {spent} of {budget}.").format(
                    period=report_period,
                    coverage=format_percent(t.effective_reach / t.people if t.people else 0),
                    spent=format_number(round(t.spent)),
                    budget=format_number(round(t.budget)),
                )
            )
        )
