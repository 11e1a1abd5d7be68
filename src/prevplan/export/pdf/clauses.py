"""The clauses cited, at the end of the PDF report: each clause reference with its label and
an excerpt of the encoded source text (Annex VI the Concept, Annex V the Program of Actions,
Annex IV the Strategy), and the official text's origin where there is one."""

from __future__ import annotations

from prevplan.export.pdf.style import (
    BLUE,
    BODY_PT,
    CLAUSE_EXCERPT_CHARS,
    GREY,
    INK,
)
from prevplan.export.pdf.writer import ReportWriter
from prevplan.i18n import _


def write(r: ReportWriter) -> None:
    """The clauses section: every clause the report cites, with an excerpt of its text."""
    r.h1(_("Clauses cited"))
    r.para(
        _(
            "The clauses this report cites, with an excerpt of the encoded source text "
            "(Annex VI: the Concept; Annex V: the Program of Actions; Annex IV: the "
            "Strategy)."
        ),
        9,
        "",
        GREY,
    )
    pdf = r.pdf
    for ref in r.c.cited:
        official = r.rules.official_text(ref)
        text = official.text if official else r.rules.ref_text_in(ref) or ""
        if len(text) > CLAUSE_EXCERPT_CHARS:
            text = text[:CLAUSE_EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
        if pdf.will_page_break(14):
            pdf.add_page()
        r.font(8.5, "B", BLUE)
        pdf.cell(22, 4.2, ref)
        r.font(8.5, "B", INK)
        pdf.multi_cell(0, 4.2, r.rules.ref_label_in(ref), align="L", new_x="LMARGIN", new_y="NEXT")
        r.font(8, "", GREY)
        pdf.set_x(pdf.l_margin + 22)
        pdf.multi_cell(0, 3.8, text, align="L", new_x="LMARGIN", new_y="NEXT")
        if official:
            pdf.set_x(pdf.l_margin + 22)
            origin = _("Official text: {origin}").format(origin=official.source)
            pdf.multi_cell(0, 3.8, origin, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.6)
    r.font(BODY_PT)
