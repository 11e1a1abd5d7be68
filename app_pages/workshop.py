"""Workshop exercise: participants read a scenario population, tick the strategies and
interventions they would choose, then compare their choice with the Concept's
recommendation — agreed, missed (with the Concept's reason), extra (why the Concept would
not put it first) — and a score."""

from __future__ import annotations

import streamlit as st

from prevplan.i18n import _, format_number, format_percent
from prevplan.io.populations import parse_populations_bytes
from prevplan.population import TargetPopulation
from prevplan.present.labels import join, label, strategy_kind_text
from prevplan.problems import ProblemsError
from prevplan.rules.models import Kind
from prevplan.ui import resources, state
from prevplan.ui.plans import SAMPLE_POPULATIONS
from prevplan.ui.widgets import chips, escape, fact, source_excerpts
from prevplan.ui.workshop import Comparison, Verdict, compare, scenario_title
from prevplan.vocab import StrategyKind

rules = resources.rules()
REVEALED = "ws.revealed"
GROUPS = "ws.groups"
# Named groups' answers by scenario: group name → (strategies, interventions).

st.title("🎓 " + _("Workshop exercise"))
st.caption(
    _(
        "Read the scenario, discuss, and tick what your group would do first. Then compare "
        "with the Concept: what you agreed on, what you missed and why, and what the Concept "
        "would not put first."
    )
)


@st.cache_resource(show_spinner=False)
def builtin_scenarios(path: str, mtime: float) -> list[TargetPopulation]:
    try:
        with open(path, "rb") as handle:
            return parse_populations_bytes(handle.read(), path)
    except (OSError, ProblemsError):
        return []


scenarios: dict[str, list[TargetPopulation]] = {}
if SAMPLE_POPULATIONS.exists():
    builtin = builtin_scenarios(str(SAMPLE_POPULATIONS), SAMPLE_POPULATIONS.stat().st_mtime)
    if builtin:
        scenarios["builtin"] = builtin
if state.plan().populations:
    scenarios["plan"] = list(state.plan().populations)
if not scenarios:
    st.info(_("No scenario is available: add a target population to the plan first."))
    st.stop()

source_names = {
    "builtin": _("Built-in scenarios"),
    "plan": _("Populations of the current plan"),
}
source = st.radio(
    _("Scenarios from"),
    options=list(scenarios),
    format_func=source_names.__getitem__,
    horizontal=True,
    key="ws.source",
    persist_state="session",
)
pool = {p.id: p for p in scenarios[source or next(iter(scenarios))]}
state.keep_valid("ws.scenario", pool)
scenario_id = st.selectbox(
    _("Scenario"),
    options=list(pool),
    format_func={
        pid: scenario_title(pid, p.name, source == "builtin") for pid, p in pool.items()
    }.__getitem__,
    key="ws.scenario",
    persist_state="session",
    placeholder=_("Choose an option"),
)
population = pool[scenario_id]

with st.container(border=True):
    st.markdown(
        "### " + escape(scenario_title(population.id, population.name, source == "builtin"))
    )
    facts = [
        (_("Ages"), f"{population.age_min}–{population.age_max}"),
        (_("Number of people"), format_number(population.size)),
        (_("Risk group"), label(rules, Kind.RISK_GROUP, population.risk_group.value)),
        (
            _("Can be reached in"),
            join(label(rules, Kind.SETTING, s.value) for s in population.settings)
            or _("not stated"),
        ),
    ]
    if population.special_groups:
        facts.append(
            (
                _("Special groups"),
                join(label(rules, Kind.SPECIAL_GROUP, g.value) for g in population.special_groups),
            )
        )
    if population.risk_factors:
        facts.append(
            (
                _("Risk factors (share of people)"),
                join(
                    f"{label(rules, Kind.RISK_FACTOR, k.value)} {format_percent(v)}"
                    for k, v in population.risk_factors.items()
                ),
            )
        )
    if population.protective_factors:
        facts.append(
            (
                _("Protective resources (share of people)"),
                join(
                    f"{label(rules, Kind.PROTECTIVE_FACTOR, k.value)} {format_percent(v)}"
                    for k, v in population.protective_factors.items()
                ),
            )
        )
    for name, value in facts:
        fact(name, value)


def plan_so_far() -> None:
    """What the current plan already does for this population: effective coverage first."""
    plan = state.plan()
    if source != "plan" or not plan.activities_for(population.id):
        return
    assessment = resources.assessment(plan, state.plan_fingerprint())
    row = next(p for p in assessment.coverage.populations if p.population_id == population.id)
    flagged = [
        w
        for w in assessment.warnings
        if w.population_id == population.id and w.activity_id is not None
    ]
    names = {a.id: a.name or a.id for a in plan.activities_for(population.id)}
    with st.container(border=True):
        st.markdown("**" + _("What the current plan does for this population") + "**")
        a, b, c = st.columns(3)
        a.metric(
            _("Effective coverage"),
            format_percent(row.effective_coverage),
            help=_("People reached by an activity that works, over the population"),
        )
        b.metric(
            _("People effectively reached"),
            format_number(row.effective_reach),
        )
        c.metric(
            _("Coverage by any activity"),
            format_percent(row.coverage),
            help=_("People reached by any activity, whatever its quality"),
        )
        if flagged:
            st.caption(_("Discuss: what would make these activities work?"))
            st.markdown(
                "\n".join(
                    f"- {escape(rules.translated('warnings', w.code, 'title'))}: "
                    f"{escape(names.get(w.activity_id or '', w.activity_id or ''))}"
                    for w in flagged
                )
            )


plan_so_far()

revealed = st.session_state.get(REVEALED)
frozen = revealed is not None and tuple(revealed[:2]) == (source, scenario_id)

st.subheader(_("Your group's choice"))
st.text_input(
    _("Group"),
    key="ws.group",
    placeholder=_("Group 1"),
    help=_("Named groups' answers are kept side by side below, for the debrief."),
    persist_state="session",
)
if frozen:
    st.caption(
        "🔒 "
        + _(
            "The choice is fixed since the comparison was shown: the score is of the answer "
            "given. Clear the choice for the next group."
        )
    )
left, right = st.columns(2)
with left:
    st.markdown("**" + _("Strategies (VI-3)") + "**")
    for kind in StrategyKind:
        st.caption(strategy_kind_text(kind))
        for sid, strategy in rules.strategies.items():
            if strategy.kind is kind:
                st.checkbox(
                    f"{label(rules, Kind.STRATEGY, sid)} ({strategy.clause})",
                    key=f"ws.s.{sid}",
                    persist_state="session",
                    disabled=frozen,
                )
with right:
    st.markdown("**" + _("Interventions (VI-4)") + "**")
    for iid, item in rules.interventions.items():
        st.checkbox(
            f"{label(rules, Kind.INTERVENTION, iid)} ({item.clause})",
            key=f"ws.i.{iid}",
            persist_state="session",
            disabled=frozen,
        )

chosen_strategies = [sid for sid in rules.strategies if st.session_state.get(f"ws.s.{sid}")]
chosen_interventions = [iid for iid in rules.interventions if st.session_state.get(f"ws.i.{iid}")]


@state.callback
def reveal() -> None:
    """Show the comparison for the choice as it is now, fixed; a named group's answer is
    kept for the side-by-side view."""
    st.session_state[REVEALED] = (
        source,
        scenario_id,
        tuple(chosen_strategies),
        tuple(chosen_interventions),
    )
    group = str(st.session_state.get("ws.group") or "").strip()
    if group:
        answers = st.session_state.setdefault(GROUPS, {}).setdefault((source, scenario_id), {})
        answers[group] = (tuple(chosen_strategies), tuple(chosen_interventions))


def clear() -> None:
    for sid in rules.strategies:
        st.session_state[f"ws.s.{sid}"] = False
    for iid in rules.interventions:
        st.session_state[f"ws.i.{iid}"] = False
    st.session_state[REVEALED] = None


a, b = st.columns([1, 1])
a.button(
    "🔍 " + _("Compare with the Concept"),
    key="ws.compare",
    type="primary",
    on_click=reveal,
    disabled=frozen or not (chosen_strategies or chosen_interventions),
    width="stretch",
)
b.button("🧹 " + _("Clear the choice"), key="ws.clear", on_click=clear, width="stretch")


def verdict_line(verdict: Verdict, icon: str) -> None:
    kind = _("Strategy") if verdict.kind is Kind.STRATEGY else _("Intervention")
    with st.container(border=True):
        st.markdown(f"**{icon} {escape(verdict.label)}** · {escape(kind)}")
        st.markdown(escape(verdict.reason))
        st.markdown(chips(verdict.clauses[:6]))
        with st.expander(_("Source text")):
            source_excerpts(rules, verdict.clauses[:4])


def results(comparison: Comparison) -> None:
    st.subheader(_("Compared with the Concept"))
    score, summary = st.columns([1, 3])
    score.metric(_("Agreement score"), f"{comparison.score} / 100")
    summary.progress(comparison.score / 100)
    summary.caption(
        _(
            "Agreed items over every item either side named: {a} agreed, {m} missed, {e} extra."
        ).format(a=len(comparison.agreed), m=len(comparison.missed), e=len(comparison.extra))
    )
    st.markdown("#### ✅ " + _("Agreed ({n})").format(n=len(comparison.agreed)))
    if comparison.agreed:
        st.markdown(
            "\n".join(f"- {escape(v.label)} {chips(v.clauses[:1])}" for v in comparison.agreed)
        )
    else:
        st.caption(_("Nothing in common yet."))
    missed, extra = st.columns(2)
    with missed:
        st.markdown("#### ➖ " + _("Missed ({n})").format(n=len(comparison.missed)))
        st.caption(_("The Concept recommends these; why:"))
        for verdict in comparison.missed:
            verdict_line(verdict, "➖")
    with extra:
        st.markdown("#### ➕ " + _("Extra ({n})").format(n=len(comparison.extra)))
        st.caption(_("Chosen, but the Concept would not put them first; why:"))
        for verdict in comparison.extra:
            verdict_line(verdict, "➕")


if frozen and revealed is not None:
    recommendation = resources.recommendation(population)
    results(compare(population, recommendation, rules, list(revealed[2]), list(revealed[3])))


def groups_side_by_side() -> None:
    """Every named group's answer to this scenario, with its score, in one table."""
    answers = (st.session_state.get(GROUPS) or {}).get((source, scenario_id)) or {}
    if not answers:
        return
    st.subheader("👥 " + _("Groups side by side"))
    recommendation = resources.recommendation(population)
    rows = []
    for group, (strategies, interventions) in answers.items():
        found = compare(population, recommendation, rules, list(strategies), list(interventions))
        rows.append(
            {
                _("Group"): group,
                _("Agreement score"): found.score,
                _("Agreed"): "; ".join(v.label for v in found.agreed),
                _("Missed"): "; ".join(v.label for v in found.missed),
                _("Extra"): "; ".join(v.label for v in found.extra),
            }
        )
    st.dataframe(rows, hide_index=True, width="stretch")


groups_side_by_side()
