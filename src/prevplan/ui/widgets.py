"""Small pieces of screen the pages share: clause chips and excerpts, badges, problems,
headline figures, flash messages and the sidebar's plan panel."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

import streamlit as st

from prevplan.i18n import _, current_language, format_money, format_number, format_percent
from prevplan.present.labels import (
    OFFICIAL_TEXT,
    UNOFFICIAL_TRANSLATION,
    basis_text,
    clause_label,
    confidence_text,
    kind_name,
    problem_rows,
    source_and_translation,
    source_note,
    strength_text,
    text,
)
from prevplan.problems import Problem
from prevplan.rules import RuleSet
from prevplan.rules.models import StandardsItem
from prevplan.ui import state
from prevplan.ui.concept import EvidenceView, RelationView
from prevplan.ui.plans import Headline
from prevplan.vocab import Basis

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler
    from streamlit.elements.lib.mutable_expander_container import ExpanderContainer

_PUNCTUATION: Final = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_ESCAPES: Final = str.maketrans({c: "\\" + c for c in _PUNCTUATION})
_BADGE_ESCAPES: Final = str.maketrans({c: "\\" + c for c in "[]*_`$~<>#|"})


def escape(text: str) -> str:
    """Text shown exactly as written inside Streamlit markdown: plain text.

    Every ASCII punctuation mark is backslash-escaped (CommonMark's escapes), so no text —
    a population name from an uploaded file, say — becomes emphasis, a heading, a list, a
    link, an image (``![x](<a web address>)`` would make every viewer's browser fetch it), an
    autolink, HTML, an entity, a LaTeX formula or a Streamlit directive (``:red[…]``).
    Autolinks are found after escapes are undone, so an invisible word joiner (U+2060) is
    put after ``:``  in ``://``, ``www`` and ``@``: a web address shows as written but is no
    link, and nothing is fetched.
    """
    return _AUTOLINK.sub(_unlinked, text).translate(_ESCAPES)


_AUTOLINK: Final = re.compile(r"(?i)(:(?=//)|www(?=\.)|@)")


def _unlinked(found: re.Match[str]) -> str:
    return found.group(0) + "\u2060"


def chips(refs: Iterable[str]) -> str:
    """Clause references as small badges, for a markdown line."""
    return " ".join(f":blue-badge[{ref.translate(_BADGE_ESCAPES)}]" for ref in dict.fromkeys(refs))


def fact(name: str, value: str) -> None:
    """``**Name:** value`` on its own line, with the language's colon (``：`` in Chinese)."""
    st.markdown("**" + escape(_("{name}:").format(name=name)) + "** " + escape(value))


def basis_badge(basis: Basis | str) -> str:
    """A badge saying whether the SCO text states a link or prevplan infers it."""
    if Basis(basis) is Basis.STATED:
        return f":green-badge[📜 {basis_text(basis)}]"
    return f":orange-badge[🧩 {basis_text(basis)}]"


def translation_mark() -> str:
    """The badge on prevplan's own translation of a source excerpt."""
    return f":orange-badge[🌐 {escape(_(UNOFFICIAL_TRANSLATION))}]"


def source_quote(rules: RuleSet, ref: str, fallback: str = "") -> bool:
    """The source's words for ``ref`` as a quote, in the source's English; outside English,
    prevplan's unofficial translation right under it, marked as such.

    ``fallback`` is quoted when the reference points at no text. Returns whether anything
    was shown.
    """
    found = source_and_translation(rules, ref)
    if found is None:
        if fallback:
            st.markdown("> " + escape(fallback))
        return bool(fallback)
    source, translated = found
    st.markdown("> " + escape(source))
    official = rules.official_text(ref)
    if official is not None:
        mark = f":green-badge[📜 {escape(_(OFFICIAL_TEXT))}] *{escape(official.source)}*"
        st.markdown(f"> {mark}  \n> {escape(official.text)}")
    elif translated:
        st.markdown(f"> {translation_mark()}  \n> {escape(translated)}")
    return True


def source_excerpts(rules: RuleSet, refs: Iterable[str]) -> None:
    """Each clause's verbatim text (the source's English), with prevplan's translation beside
    it outside English, both marked for what they are.

    A part of a clause (``VI-2.1#p1``) is left out when the whole clause is shown too.
    """
    unique = list(dict.fromkeys(refs))
    whole = set(unique)
    shown = False
    for ref in unique:
        if "#" in ref and ref.split("#", 1)[0] in whole:
            continue
        if source_and_translation(rules, ref) is None:
            continue
        heading = clause_label(rules, ref)
        title = f"**{escape(ref)}**" + ("" if heading == ref else f" — {escape(heading)}")
        st.markdown(title)
        shown = source_quote(rules, ref) or shown
    if shown:
        st.caption("📜 " + source_note())


def clause_sources(rules: RuleSet, refs: Sequence[str], label: str | None = None) -> None:
    """Clause chips with an expander that shows each clause's excerpt."""
    if not refs:
        return
    st.markdown(chips(refs))
    with st.expander(label or _("Source text of these clauses ({n})").format(n=len(set(refs)))):
        source_excerpts(rules, refs)


def relation_lines(relations: Sequence[RelationView]) -> None:
    """What an item relates to, grouped by kind, each relation with its basis and clauses."""
    if not relations:
        st.caption(_("No relations are encoded for this item."))
        return
    by_kind: dict[str, list[RelationView]] = {}
    for view in relations:
        by_kind.setdefault(kind_name(view.other_kind, plural=True), []).append(view)
    for heading, views in by_kind.items():
        st.markdown(f"**{escape(heading)}**")
        lines = []
        for view in views:
            line = f"- {escape(view.other_label)} {basis_badge(view.basis)} {chips(view.sources)}"
            if view.justification:
                line += "  \n  " + _("Why prevplan infers it: {reason}").format(
                    reason=escape(view.justification)
                )
            lines.append(line)
        st.markdown("\n".join(lines))


def standards_item(rules: RuleSet, item: StandardsItem) -> None:
    """One intervention of the Standards: its strength, what works and what to avoid."""
    strength = f"{strength_text(item.strength)} · [{item.strength_tag}] " + confidence_text(
        item.strength_tag
    )
    name = text(rules, "standards_items", item.key, "label", item.label)
    st.markdown(f"**{escape(name)}** — {escape(strength)}")
    for heading, facts, field in (
        ("✅ " + _("What works:"), item.works, "works"),
        ("⛔ " + _("What to avoid:"), item.avoid, "avoid"),
    ):
        if facts:
            lines = [
                f"- {escape(text(rules, 'standards_items', item.key, f'{field}#{n}', f.text))}"
                f" `[{f.tag}]`"
                for n, f in enumerate(facts, start=1)
            ]
            st.markdown(heading + "\n" + "\n".join(lines))


def evidence_block(rules: RuleSet, evidence: EvidenceView | None) -> None:
    """The crosswalk to the UNODC/WHO Standards (2018), with strengths and confidence tags."""
    if evidence is None:
        st.caption(_("No crosswalk to the UNODC/WHO Standards is encoded for this item."))
        return
    st.markdown(
        _("Corresponds in the UNODC/WHO International Standards (2018) to:")
        + f" {basis_badge(evidence.basis)}"
    )
    st.caption(escape(evidence.justification))
    for item in evidence.standards:
        standards_item(rules, item)
    st.caption(
        _(
            "Tags: [V] read in the Standards; [S] from a training curriculum built on the "
            "Standards; [R] reported in the field, not checked against the Standards."
        )
    )


def localised(frame: pd.DataFrame, numbers: Iterable[str] = ()) -> Styler:
    """``frame`` for ``st.dataframe`` with its number columns written as the reader writes
    them (``12 345`` in Russian) whatever the browser's own locale; the cells stay numbers,
    so columns still sort by value.

    Leave these columns without a ``format`` in ``column_config``: that would win.
    """
    lang = current_language()

    def number(value: object) -> str:
        if isinstance(value, int | float) and value == value:  # not NaN
            return format_number(value, lang)
        return "" if value is None else str(value)

    return frame.style.format(dict.fromkeys(numbers, number))


def share_bar(label: str | None = None) -> Any:
    """A progress-bar column for shares given in whole percent (0–100), labelled as the
    reader writes a percentage (``25 %`` in Russian, ``25%`` in Chinese).

    Streamlit's own ``"percent"`` format follows the browser's locale, not the app's
    language, and a progress bar ignores a Styler's formatting; a printf pattern made from
    the language's way of writing a percentage does not depend on either.
    """
    pattern = format_percent(0.5).replace("%", "%%").replace("50", "%d")
    return st.column_config.ProgressColumn(
        label, format=pattern, min_value=0, max_value=100, width=100
    )


#: Up to this many problems are listed as a plain table whose messages wrap, so that each
#: is read whole ("… did you mean 'Work with parents (VI-3.1.1)'?"); more scroll in a grid.
WRAPPED_PROBLEMS: Final = 50


def plain_rows(rows: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """Rows for ``st.table``, whose cells are markdown: every text cell as plain text."""
    return [
        {key: escape(value) if isinstance(value, str) else value for key, value in row.items()}
        for row in rows
    ]


def csv_download(
    rows: Sequence[dict[str, object]] | Callable[[], Sequence[dict[str, object]]],
    file_name: str,
    key: str,
) -> None:
    """A "Download as CSV" button for a table of the plan, formulas neutralised.

    ``rows`` may be a function giving the rows: the file is then made only when the button is
    pressed, not on every rerun of the page.

    The tables' own toolbar export is switched off (``client.disableDataExport``): it
    writes cells verbatim, and a name such as ``=HYPERLINK(…)`` from an NGO's inventory
    would run in the planner's spreadsheet.
    """
    from prevplan.safe_text import csv_bytes

    st.download_button(
        "⬇️ " + _("Download as CSV"),
        data=(lambda: csv_bytes(rows())) if callable(rows) else csv_bytes(rows),
        file_name=file_name,
        mime="text/csv",
        key=key,
        on_click="ignore",
    )


def problems_table(problems: Sequence[Problem]) -> None:
    """Every problem of an input, one row each: where, which field, what is wrong."""
    rows = problem_rows(problems)
    if len(rows) > WRAPPED_PROBLEMS:
        st.dataframe(rows, hide_index=True, width="stretch")
        return
    import pandas as pd

    st.table(pd.DataFrame(plain_rows(rows)).style.hide(axis="index"))


def field_problems(messages: Sequence[str]) -> None:
    """The problems of one form field, right under it."""
    for message in messages:
        st.error(escape(message), icon="⚠️")


def headline_metrics(headline: Headline) -> None:
    """Effective coverage first, then exposure, cost per person effectively reached, warnings.

    Effective coverage counts people reached by an activity that works
    (docs/effective-coverage.md); exposure counts anyone an activity reached.
    """
    # Two rows of three: six side by side cut the values ("3 2…") and broke the Russian labels
    # inside words. The effective figures make the first row. Aligned at the bottom: a label
    # that wraps does not push its value below the others.
    cols = [
        *st.columns(3, vertical_alignment="bottom"),
        *st.columns(3, vertical_alignment="bottom"),
    ]
    cols[0].metric(
        _("Effective coverage"),
        format_percent(headline.effective_coverage),
        help=_(
            "People reached by at least one activity that works — a fundamental strategy "
            "delivered interactively, one-to-one, by screening or as a policy, or the "
            "screening and referral the level needs — that no quality warning flags, over "
            "people planned for"
        ),
    )
    cols[1].metric(_("People effectively reached"), format_number(headline.effective_reach))
    currency = state.plan().currency  # costs are in the plan's currency, when it names one
    cost = (
        format_money(headline.cost_per_effective_person, currency=currency)
        if headline.cost_per_effective_person is not None
        else _("n/a")
    )
    cols[2].metric(
        _("Cost per person effectively reached"),
        cost,
        help=_("Total cost over people effectively reached, in the plan's currency"),
    )
    cols[3].metric(
        _("Coverage by any activity"),
        format_percent(headline.coverage),
        help=_(
            "People reached by any activity, whatever its quality: {reach} of {people}; cost "
            "per person reached {cost}"
        ).format(
            reach=format_number(headline.reach),
            people=format_number(headline.people),
            cost=format_money(headline.cost_per_person, currency=currency)
            if headline.cost_per_person is not None
            else _("n/a"),
        ),
    )
    cols[4].metric(
        _("People planned for"),
        format_number(headline.people),
        help=_("People in all target populations: the denominator of coverage"),
    )
    cols[5].metric(
        _("Warnings"),
        format_number(headline.warnings),
        help=_("Gaps and mismatches against the Concept; see the Coverage dashboard"),
    )


GLOBAL_STYLE: Final = (
    "<style>"
    # Metric labels wrap instead of ending in an ellipsis (long in Russian).
    "[data-testid='stMetricLabel'] div, [data-testid='stMetricLabel'] p"
    "{white-space:normal !important; overflow:visible !important;}"
    # Page names in the sidebar wrap too ("Целевые группы и рекомендации").
    "[data-testid='stSidebarNavLink']{height:auto !important; min-height:2rem;}"
    "[data-testid='stSidebarNavLink'] span, [data-testid='stSidebarNavLink'] div,"
    " [data-testid='stSidebarNavLink'] p"
    "{white-space:normal !important; overflow:visible !important;"
    " text-overflow:clip !important; line-height:1.35 !important;}"
    # Checkbox labels wrap (long intervention names in the workshop).
    "[data-testid='stCheckbox'] .stMarkdownEllipsis, [data-testid='stCheckbox'] p"
    "{white-space:normal !important; overflow:visible !important;"
    " text-overflow:clip !important;}"
    # Printing a page (Ctrl+P on the dashboard): no sidebar, toolbar, buttons or toasts; the
    # content takes the paper's width, and a chart or table is not cut across pages.
    "@media print {"
    "[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'],"
    " [data-testid='stToast'], [data-testid='stToastContainer'], [data-testid='stButton'],"
    " [data-testid='stDownloadButton'], [data-testid='stFileUploader'], .stDeployButton"
    "{display:none !important;}"
    "[data-testid='stMain'], [data-testid='stMainBlockContainer']"
    "{margin:0 !important; padding:0 !important; max-width:100% !important;"
    " width:100% !important; overflow:visible !important;}"
    "[data-testid='stAppViewContainer'], [data-testid='stApp']"
    "{position:static !important; overflow:visible !important; height:auto !important;}"
    "[data-testid='stPlotlyChart'], [data-testid='stMetric'], [data-testid='stDataFrame'],"
    " [data-testid='stTable'], [data-testid='stExpander']"
    "{break-inside:avoid; page-break-inside:avoid; max-width:100% !important;}"
    ".js-plotly-plot, .plot-container, .svg-container{max-width:100% !important;}"
    "}"
    "</style>"
)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_style() -> str:
    """Streamlit's file uploader in the current language.

    Its button ("Upload") and size note ("200MB per file • XLSX, CSV") are written by
    Streamlit in English and cannot be set; outside English the English words are hidden
    and the language's shown in their place (the accepted file types are in each
    uploader's own label).
    """
    if current_language() == "en":
        return ""
    size = int(st.get_option("server.maxUploadSize"))
    size_note = _("up to {size} MB per file").format(size=format_number(size))
    button = "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"
    note = "[data-testid='stFileUploaderDropzoneInstructions'] span"
    return (
        f"{button}, {note}{{font-size:0 !important;}}"
        f"{button}::after{{content:{_css_string(_('Upload'))}; font-size:0.875rem;}}"
        f"{note}::after{{content:{_css_string(size_note)}; font-size:0.875rem;}}"
    )


#: The BCP 47 tag each language gives the page: it tells screen readers which voice to use
#: and the browser which glyphs (simplified Chinese, not Japanese forms) and line breaking.
DOCUMENT_LANGUAGE: Final = {"en": "en", "ru": "ru", "zh": "zh-Hans"}


def document_language_script() -> str:
    """A script that marks the page as written in the current language (``<html lang>``).

    Streamlit serves every page as ``lang="en"``; without the right tag a screen reader
    reads Russian with an English voice and Chromium may draw Chinese with Japanese glyph
    forms.
    """
    tag = DOCUMENT_LANGUAGE.get(current_language(), "en")
    return f"<script>document.documentElement.lang = {json.dumps(tag)};</script>"


def global_style() -> None:
    """The app's few style adjustments (inline, offline: no fonts or files are fetched)."""
    st.html(GLOBAL_STYLE.replace("</style>", uploader_style() + "</style>"))
    st.html(document_language_script(), unsafe_allow_javascript=True)


#: How each kind of message is shown as a toast: its icon and how long it stays (seconds, or
#: until closed). A toast floats over the page's corner, so nothing below it moves and no
#: folded section or tab is redrawn in its default state when it comes and goes.
TOASTS: Final = {
    "success": ("✅", 10),
    "info": ("ℹ️", 10),
    "warning": ("⚠️", "infinite"),
    "error": ("⛔", "infinite"),
}


def show_flashes() -> None:
    """Messages left by the last action (saved, undone, added …), as toasts.

    Errors with details for support stay on the page, in the sidebar, where they do not push
    the page's content down.
    """
    for kind, message in state.pop_flashes():
        text, _sep, details = message.partition("\n\n")
        # Flashes name plans, populations and errors: plain text, never markdown.
        if kind in TOASTS and not details:
            icon, duration = TOASTS[kind]
            st.toast(escape(text), icon=icon, duration=duration)  # type: ignore[arg-type]
            continue
        with st.sidebar:
            {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}[
                kind
            ](escape(text))
            if details:
                with st.expander(_("Details for support")):
                    st.code(details, language=None)


def sidebar_plan_panel() -> None:
    """Which plan is being edited, whether it has unsaved changes, and Undo."""
    from prevplan.ui import workspace

    plan = state.plan()
    with st.sidebar:
        st.markdown("**" + _("Current plan") + "**")
        st.markdown(escape(plan.name))
        name = state.saved_name()
        version = state.base_version()
        if name is None:
            st.caption(_("Not saved yet"))
        elif state.has_unsaved_changes():
            st.caption(_("Unsaved changes (from version {v})").format(v=version))
        else:
            st.caption(_("Saved as version {v}").format(v=version))
        workspace.offline_panel(plan, name is None or state.has_unsaved_changes())
        label = state.undo_label()
        st.button(
            _("↩️ Undo: {change}").format(change=escape(label)) if label else _("↩️ Undo"),
            key="undo",
            on_click=state.callback(state.undo),
            disabled=label is None,
            width="stretch",
            help=_("Take back the last change to the plan"),
        )


def keep_work() -> None:
    """After the page: the plan kept as this person's draft if it changed, and the page's
    script (leave-page prompt while changes are not saved as a version)."""
    from prevplan.ui import workspace

    unsaved = state.has_unsaved_changes()
    workspace.autosave(
        state.plan(), state.plan_fingerprint(), state.saved_name(), state.base_version(), unsaved
    )
    st.html(workspace.client_script(unsaved), unsafe_allow_javascript=True)


def draft_offer() -> None:
    """On return: the unsaved changes kept from last time, to restore or discard."""
    from prevplan.ui import workspace

    draft = workspace.pending_offer()
    if draft is None:
        return
    name = draft.saved_name or _("a plan not saved yet")

    @state.callback
    def restore() -> None:
        found = workspace.plan_of(draft)
        workspace.withdraw_offer()
        if found is None:
            state.flash("warning", _("The draft no longer opens and was set aside."))
            workspace.discard(draft)
            return
        state.open_plan(
            found,
            _("restored your unsaved changes to {name}").format(name=found.name),
            draft.saved_name,
            draft.base_version,
        )
        state.forget_saved_fingerprint()
        state.flash("success", _("Your unsaved changes are back."))

    @state.callback
    def drop() -> None:
        workspace.withdraw_offer()
        workspace.discard(draft)
        state.flash("info", _("The draft was discarded."))

    with st.container(border=True, key="draft.offer"):
        st.markdown(
            "📝 "
            + escape(
                _(
                    "Unsaved changes to {name} from {when} were kept as a draft. Restore "
                    "them, or discard them? Until you choose, new edits are not kept as a draft."
                ).format(name=name, when=workspace.when(draft.updated_at))
            )
        )
        a, b, _rest = st.columns([1, 1, 3])
        a.button(
            "↩️ " + _("Restore the draft"), key="draft.restore", on_click=restore, type="primary"
        )
        b.button("🗑️ " + _("Discard the draft"), key="draft.discard", on_click=drop)


def unfolded(label: str, key: str) -> ExpanderContainer | None:
    """A folded section whose content is drawn only while the planner has it open.

    Opening it reruns the page (a moment's wait), and in return a page with many folded
    sections costs the planner's browser only what is shown: Streamlit otherwise draws the
    content of every folded section, hidden, on each view. ``None`` while folded; the caller
    draws into the returned section otherwise.
    """
    section = st.expander(label, key=key, on_change="rerun")
    return section if section.open else None
