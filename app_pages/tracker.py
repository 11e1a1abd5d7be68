"""Program of Actions tracker: every Annex V item with its focus area, schedule, executors
and coordinating body as the source gives them, the plan's activities that serve it, and the
status and note a coordinator sets (kept in the plan, saved with it)."""

from __future__ import annotations

import streamlit as st

from prevplan.i18n import _, ngettext
from prevplan.plan.models import ActionStatus
from prevplan.present.labels import (
    focus_area_label,
    focus_area_title,
    label,
    source_note,
    source_table_text,
    status_text,
)
from prevplan.rules.models import Kind
from prevplan.ui import auth, resources, state
from prevplan.ui.tracker import TrackerRow, set_status, status_counts, tracker_rows
from prevplan.ui.widgets import chips, escape, fact, source_quote

rules = resources.rules()
plan = state.plan()

st.title("✅ " + _("Program of Actions tracker"))
st.caption(
    _(
        "The SCO Program of Actions (Annex V), item by item. Schedule, executors and "
        "coordinating body are as the source table gives them; the status and note are yours "
        "and are saved with the plan."
    )
)

areas = list(rules.focus_areas)
area = st.segmented_control(
    _("Focus area"),
    options=areas,
    format_func={
        ref: f"{a.number}. {focus_area_label(rules, ref)}" for ref, a in rules.focus_areas.items()
    }.__getitem__,
    key="tracker.area",
    default="V-3" if "V-3" in areas else areas[0],
    required=True,
    persist_state="session",
)
area = area or areas[0]
st.markdown("#### " + escape(f"{area} — {focus_area_title(rules, area)}"))
assessment = resources.assessment(plan, state.plan_fingerprint())
rows = tracker_rows(plan, assessment, rules, area)
counts = status_counts(rows)
cols = st.columns(3)
for col, status in zip(cols, ActionStatus, strict=True):
    col.metric(status_text(status), counts[status.value])

status_options = [s.value for s in ActionStatus]
status_icons = {"not_started": "⬜", "in_progress": "🟡", "done": "✅"}
status_names = {s: f"{status_icons[s]} {status_text(s)}" for s in status_options}


@state.callback
def save_status(ref: str) -> None:
    status = ActionStatus(st.session_state[f"tracker.status.{ref}"])
    note = str(st.session_state.get(f"tracker.note.{ref}") or "")
    current = state.plan()
    changed = set_status(current, ref, status, note)
    if changed != current:
        state.set_plan(
            changed,
            _("set {ref} to {status}").format(ref=ref, status=status_text(status).lower()),
        )


def item_row(row: TrackerRow) -> None:
    with st.container(border=True):
        text, status = st.columns([3, 2])
        with text:
            name = label(rules, Kind.ACTION_ITEM, row.ref)
            st.markdown(f"**{escape(row.number)} {escape(name)}** {chips([row.ref])}")
            source_quote(rules, row.ref, row.text)
            for name, value in (
                (_("Schedule"), row.schedule),
                (_("Executors"), row.executors),
                (_("Coordinating body"), row.coordinating_body),
            ):
                fact(name, source_table_text(value))
            if row.carried_down:
                st.caption(
                    "ⓘ "
                    + _("As in the source table, where this row takes them from the row above.")
                )
            if row.activities:
                served = ngettext(
                    "{n} activity of the plan serves it",
                    "{n} activities of the plan serve it",
                    len(row.activities),
                ).format(n=len(row.activities))
                if not row.effective:
                    served += " · " + _("none counts in effective reach")
                not_counted = _("does not count in effective reach")
                with st.expander("🔗 " + served):
                    st.markdown(
                        "\n".join(
                            f"- {escape(name)}"
                            + ("" if aid in row.effective else " — " + not_counted)
                            for aid, name in row.activities
                        )
                    )
            else:
                st.markdown("**" + _("No activity of the plan serves it yet.") + "**")
        with status:
            key = f"tracker.status.{row.ref}"
            state.sync_widget(key, row.status.value)
            state.sync_widget(f"tracker.note.{row.ref}", row.note)
            st.radio(
                _("Status"),
                options=status_options,
                format_func=status_names.__getitem__,
                key=key,
                horizontal=True,
                on_change=save_status,
                args=(row.ref,),
                disabled=read_only,
            )
            st.text_input(
                _("Note"),
                key=f"tracker.note.{row.ref}",
                on_change=save_status,
                args=(row.ref,),
                disabled=read_only,
                placeholder=_("e.g. lead ministry, next step, report date"),
            )


# A viewer, or a plan under approval or approved: statuses and notes read only.
read_only = auth.read_only_notice(auth.edit_refusal())
for row in rows:
    item_row(row)
st.caption("📜 " + source_note())
