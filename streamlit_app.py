"""prevplan's web app: the router. Pages live in ``app_pages/``; helpers in ``prevplan.ui``."""

from __future__ import annotations

import streamlit as st

from prevplan.i18n import LANGUAGES, _, use_language
from prevplan.ui import auth, resources, state
from prevplan.ui.errors import friendly_errors
from prevplan.ui.widgets import (
    draft_offer,
    global_style,
    keep_work,
    show_flashes,
    sidebar_plan_panel,
)

st.set_page_config(page_title="prevplan", page_icon="🧭", layout="wide")

with use_language(auth.gate_language()):
    auth.require_access()  # sign-in for a team; none for one person on loopback
with friendly_errors():
    state.init_state()


def _remember_language() -> None:
    """Keep the session's language in the URL, so the address bar is a link to share.

    Streamlit clears the query parameters when the user switches page; this puts the
    language back on every run (and after a change of the language switch).
    """
    lang = state.language()
    if st.query_params.get(state.LANG) != lang:
        st.query_params[state.LANG] = lang


_remember_language()
st.sidebar.selectbox(
    "🌐 Language / Язык / 语言",
    options=list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    key=state.LANG,
    on_change=_remember_language,
    placeholder="Language / Язык / 语言",
)

with use_language(state.language()):
    page = st.navigation(
        [
            st.Page("app_pages/start.py", title=_("Start"), icon="🏠", default=True),
            st.Page("app_pages/concept.py", title=_("Concept explorer"), icon="📖"),
            st.Page(
                "app_pages/populations.py", title=_("Populations & recommendations"), icon="👥"
            ),
            st.Page("app_pages/programmes.py", title=_("Programme catalogue"), icon="📚"),
            st.Page("app_pages/plan.py", title=_("Plan"), icon="📝"),
            st.Page("app_pages/dashboard.py", title=_("Coverage dashboard"), icon="📊"),
            st.Page("app_pages/budget.py", title=_("Budget"), icon="💰"),
            st.Page("app_pages/tracker.py", title=_("Program of Actions tracker"), icon="✅"),
            st.Page("app_pages/monitoring.py", title=_("Monitoring"), icon="📈"),
            st.Page("app_pages/workshop.py", title=_("Workshop exercise"), icon="🎓"),
            st.Page("app_pages/help.py", title=_("Help and glossary"), icon="📘"),
            *auth.team_pages(),
        ],
        # Every page listed: Streamlit would otherwise fold the list after ten entries and hide
        # Help and the team pages behind "View more".
        expanded=True,
    )
    with friendly_errors():
        if state.INITIALISED in st.session_state:
            global_style()
            sidebar_plan_panel()
            show_flashes()
            draft_offer()
            page.run()
            keep_work()
resources.prewarm()
