"""The Streamlit app's helpers: session state, cached resources and small widgets.

The pages in ``app_pages/`` read like a description of the screen; what they need beyond
calling the library lives here. Modules that render (:mod:`.state`, :mod:`.resources`,
:mod:`.widgets`, :mod:`.errors`) import Streamlit; the others (:mod:`.labels`,
:mod:`.concept`, :mod:`.population_form`, :mod:`.activity_table`, :mod:`.tracker`,
:mod:`.workshop`, :mod:`.plans`) are pure functions over prevplan's models, tested without a
browser. Only this package, ``streamlit_app.py`` and ``app_pages/`` may import Streamlit.
"""
