"""Approval and audit: where the saved plan stands (draft, submitted, approved, returned),
the steps a person's role allows, comments on the plan, its populations and activities,
and the plan's audit log — who changed what, when, from what to what — to read and export."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prevplan.i18n import _, current_language, use_language
from prevplan.plan.models import Plan
from prevplan.problems import ProblemsError
from prevplan.storage import StorageError
from prevplan.storage.access import Role
from prevplan.storage.audit import action_label, audit_csv, shown_value
from prevplan.storage.scoped import PlanAccess, ScopedPlanStore
from prevplan.storage.workflow import Status
from prevplan.ui import auth, resources, state
from prevplan.ui.widgets import escape

st.title("✔️ " + _("Approval and audit"))
st.caption(
    _(
        "A saved plan is a draft until an editor submits it; an approver approves it or "
        "returns it with comments. An approved version is frozen: the plan takes no new "
        "version until someone starts a new revision. Every change is in the audit log."
    )
)

handle = resources.store_handle()
opened = handle.store
if not isinstance(opened, ScopedPlanStore):
    st.warning(
        _("Plans cannot be saved right now: {error}").format(error=escape(handle.error or "")),
        icon="⚠️",
    )
    st.stop()
assert isinstance(opened, ScopedPlanStore)
store: ScopedPlanStore = opened

try:
    names = [summary.name for summary in store.list_plans()]
except StorageError as err:
    st.error(escape(str(err)))
    st.stop()
if not names:
    st.info(_("No plan is stored yet. Save the plan on the Plan page first."))
    st.stop()

current = state.saved_name()
chosen = st.selectbox(
    _("Stored plan"),
    options=names,
    index=names.index(current) if current in names else 0,
    key="approval.plan",
)
try:
    found: PlanAccess = store.plan_access(chosen)
except StorageError as err:
    st.error(escape(str(err)))
    st.stop()

STATUS_ICONS = {
    Status.DRAFT: "📝",
    Status.SUBMITTED: "📨",
    Status.APPROVED: "✅",
    Status.RETURNED: "↩️",
}
st.markdown(
    " · ".join(
        f"**{escape(label)}:** {escape(value)}"
        for label, value in (
            (_("Status"), f"{STATUS_ICONS[found.status]} {found.status.label}"),
            (_("Latest version"), str(found.latest_version)),
            (_("Your role"), found.role.label),
            (_("Organisation"), found.organisation or "—"),
        )
    )
)
if found.approval is not None:
    st.success(
        _("Version {version} was approved by {who} on {when} (UTC).").format(
            version=found.approval.version,
            who=escape(found.approval.actor),
            when=found.approval.at.strftime("%Y-%m-%d %H:%M"),
        ),
        icon="✅",
    )
if found.approval is not None:
    approved = found.approval
    lang = current_language()

    def approved_report() -> bytes:
        """The report of the approved version, saying who approved it and when."""
        from prevplan.export.pdf import ApprovalStamp, plan_report_pdf

        with use_language(lang):
            return plan_report_pdf(
                store.load(chosen, approved.version),
                resources.rules(),
                lang=lang,
                approval=ApprovalStamp(approved.version, approved.actor, approved.at),
            )

    st.download_button(
        "⬇️ " + _("Report of approved version {v} (PDF)").format(v=approved.version),
        data=approved_report,
        file_name=f"prevplan_approved_v{approved.version}.pdf",
        mime="application/pdf",
        key="approval.report",
        on_click="ignore",
    )
if found.status is Status.RETURNED and found.returned is not None:
    st.warning(
        _("Version {version} was returned by {who} on {when} (UTC): {comment}").format(
            version=found.returned.version,
            who=escape(found.returned.actor),
            when=found.returned.at.strftime("%Y-%m-%d %H:%M"),
            comment=escape(found.returned.comment),
        ),
        icon="↩️",
    )
if chosen == current and state.has_unsaved_changes():
    st.warning(
        _(
            "The plan you are editing has unsaved changes; what is submitted or approved is "
            "the saved version {version}."
        ).format(version=found.latest_version),
        icon="⚠️",
    )


def _act(step: str) -> None:
    """Run one approval step on the chosen plan; the outcome as a message."""
    comment = str(st.session_state.get("approval.comment") or "").strip()
    try:
        if step == "submit":
            resubmitted = found.status is Status.RETURNED
            store.submit(chosen, comment=comment)
            # A resubmission says so: the approver returned it, and the message differs from
            # the first submission's, which may still be on screen.
            done = (
                _("Version {v} is submitted for approval again.")
                if resubmitted
                else _("Version {v} is submitted for approval.")
            )
        elif step == "approve":
            store.approve(chosen, comment=comment)
            done = _("Version {v} is approved.")
        elif step == "return":
            store.return_for_revision(chosen, comment=comment)
            done = _("Version {v} is returned with your comments.")
        else:
            store.reopen(chosen, comment=comment)
            done = _("A new revision is started above approved version {v}.")
    except StorageError as err:
        state.flash("error", _("Not done: {reason}").format(reason=err))
        return
    st.session_state["approval.comment"] = ""
    state.flash("success", done.format(v=found.latest_version))


with st.container(border=True):
    st.markdown("**" + _("Next step") + "**")
    steps: list[tuple[str, str]] = []
    if found.role.allows(Role.EDITOR) and found.status in (Status.DRAFT, Status.RETURNED):
        steps.append(("submit", "📨 " + _("Submit for approval")))
    own_work = found.approval_refusal
    if found.role.allows(Role.APPROVER) and found.status is Status.SUBMITTED:
        if own_work is None:
            steps.append(("approve", "✅ " + _("Approve")))
        else:
            st.caption("👥 " + escape(own_work))
        steps.append(("return", "↩️ " + _("Return with comments")))
    if found.role.allows(Role.EDITOR) and found.status is Status.APPROVED:
        steps.append(("reopen", "📝 " + _("Start a new revision")))
    if steps:
        st.text_area(
            _("Comment on this step"),
            key="approval.comment",
            height=80,
            placeholder=_("required when returning: what must change, and why"),
        )
        columns = st.columns(len(steps))
        for column, (step, label) in zip(columns, steps, strict=True):
            column.button(
                label,
                key=f"approval.{step}",
                on_click=state.callback(_act),
                args=(step,),
                type="primary" if step in ("submit", "approve") else "secondary",
                width="stretch",
            )
    elif found.status is Status.SUBMITTED:
        st.caption(_("Waiting for an approver."))
    else:
        st.caption(_("Your role allows no approval step on this plan now."))

history_tab, comments_tab, audit_tab = st.tabs(
    ["🗂️ " + _("Approval history"), "💬 " + _("Comments"), "🧾 " + _("Audit log")]
)

with history_tab:
    try:
        steps_done = store.review_history(chosen)
    except StorageError as err:
        st.error(escape(str(err)))
        steps_done = []
    if steps_done:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _("Time (UTC)"): step.at.strftime("%Y-%m-%d %H:%M"),
                        _("Version"): step.version,
                        _("Step"): (
                            Status(step.status).label
                            if step.status in set(Status)
                            else action_label("reopen")
                        ),
                        _("Who"): step.actor,
                        _("Comment"): step.comment,
                    }
                    for step in reversed(steps_done)
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(_("No approval step yet: the plan is a draft."))

with comments_tab:
    try:
        remarks = store.comments(chosen)
    except StorageError as err:
        st.error(escape(str(err)))
        remarks = []
    kinds = {"plan": _("the plan"), "population": _("population"), "activity": _("activity")}
    for remark in reversed(remarks):
        about = kinds.get(remark.target_kind, remark.target_kind)
        if remark.target_id:
            about += f" {remark.target_id}"
        with st.container(border=True):
            st.caption(
                escape(
                    f"{remark.author} · {remark.at.strftime('%Y-%m-%d %H:%M')} UTC · "
                    + _("version {v}").format(v=remark.version)
                    + f" · {about}"
                )
            )
            st.markdown(escape(remark.text))
    if not remarks:
        st.caption(_("No comments yet."))
    if found.role.allows(Role.EDITOR):
        saved_plan: Plan | None
        try:
            saved_plan = store.load(chosen)
        except (StorageError, ProblemsError):
            saved_plan = None
        kind = st.segmented_control(
            _("Comment on"),
            options=list(kinds),
            format_func=kinds.__getitem__,
            default="plan",
            required=True,
            key="comment.kind",
        )
        targets: list[str] = []
        if saved_plan is not None and kind == "population":
            targets = [p.id for p in saved_plan.populations]
        elif saved_plan is not None and kind == "activity":
            targets = [a.id for a in saved_plan.activities]
        target = (
            st.selectbox(_("Which one"), options=targets, key="comment.target")
            if kind != "plan"
            else None
        )
        st.text_area(_("Your comment"), key="comment.text", height=80)

        @state.callback
        def add_comment() -> None:
            text = str(st.session_state.get("comment.text") or "")
            try:
                store.comment(chosen, text, target_kind=str(kind or "plan"), target_id=target)
            except StorageError as err:
                state.flash("error", _("Not done: {reason}").format(reason=err))
                return
            st.session_state["comment.text"] = ""
            state.flash("success", _("Comment added."))

        st.button(
            "💬 " + _("Add comment"),
            key="comment.add",
            on_click=add_comment,
            disabled=kind != "plan" and not targets,
        )

with audit_tab:
    try:
        lines = store.audit_log(chosen)
    except StorageError as err:
        st.error(escape(str(err)))
        lines = []
    if lines:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _("Time (UTC)"): line.at.strftime("%Y-%m-%d %H:%M:%S"),
                        _("Who"): line.actor,
                        _("Action"): action_label(line.action),
                        _("Version"): line.version,
                        _("What"): line.target,
                        _("Before"): shown_value(line.action, line.before),
                        _("After"): shown_value(line.action, line.after),
                    }
                    for line in reversed(lines)
                ]
            ),
            hide_index=True,
            width="stretch",
            height=min(560, 42 + 35 * len(lines)),
            column_config={_("What"): st.column_config.TextColumn(width="large")},
        )
        st.download_button(
            "⬇️ " + _("Export the audit log (CSV)"),
            data=audit_csv(lines),
            file_name="prevplan_audit_log.csv",
            mime="text/csv",
            key="audit.download",
            on_click="ignore",
        )
    else:
        st.caption(_("Nothing recorded yet."))
    if not auth.team_mode():
        st.caption(_("Without sign-in, the audit log names the author typed when saving."))
