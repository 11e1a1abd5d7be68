"""How prevplan words things for people, shared by the app and the exports.

Labels of rules, clauses, populations and problems in the reader's language, with what the
Concept states kept apart from what prevplan infers. Nothing here imports Streamlit, so the
Excel and PDF exports use the same words as the pages without depending on the app.
"""
