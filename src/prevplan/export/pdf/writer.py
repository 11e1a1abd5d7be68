"""What every section of the PDF report writes with: headings, paragraphs, tables, charts.

A section of the report is a function that takes the :class:`ReportWriter` (see the package's
``SECTIONS``). The writer holds the report's content (:mod:`prevplan.export.report`), the
rules for labels in the report's language, the charts being drawn, and the
:class:`~prevplan.export.pdf.document.Document`; its building blocks keep one look across
sections: headings that start a page or keep with what follows, tables whose header row
repeats on every page and whose columns never break a word, and room left for a chart that is
placed once the browser has drawn it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from fpdf.enums import TableBordersLayout, TableCellFillMode, WrapMode
from fpdf.fonts import FontFace

from prevplan.export.fonts import MAIN, register_fonts
from prevplan.export.images import ChartJob
from prevplan.export.pdf.approval import ApprovalStamp
from prevplan.export.pdf.document import Document, words
from prevplan.export.pdf.style import (
    BLUE,
    BODY_PT,
    CELL_PADDING_MM,
    GREY,
    INK,
    MAX_CELL_CHARS,
    MIN_TABLE_PT,
    RGB,
    RULE,
    SMALL_PT,
    TABLE_LINE_MM,
    TABLE_PT,
    TOTAL_ROW,
    WHITE,
    ZEBRA,
)
from prevplan.export.pdf.wording import Numbers, plan_text, prevplan_version
from prevplan.export.report import ReportContent
from prevplan.i18n import _, current_language
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.safe_text import shortened

if TYPE_CHECKING:
    from prevplan.optimise.result import OptimisationResult


@dataclass(frozen=True)
class Column:
    """A table column: its heading, its share of the width and how its cells align."""

    header: str
    width: float
    align: str = "LEFT"


Cell = str | tuple[str, FontFace | None]
"""A table cell: its text, or its text with a style."""


class ReportWriter:
    """The report being written: its content, the page, and the blocks sections use."""

    def __init__(
        self,
        content: ReportContent,
        rules: RuleSet,
        charts: ChartJob,
        today: date,
    ) -> None:
        self.c = content
        self.rules = rules
        self.charts = charts
        self.placed: list[tuple[str, int, float, float, float, float]] = []
        """Charts to place once drawn: name, page, x, y, width, height."""
        self.today = today
        self.approval: ApprovalStamp | None = None
        """The approval to print on the title page, when the plan was approved in prevplan."""
        self.allocation: OptimisationResult | None = None
        """A budget allocation to report (docs/optimiser.md), if the report has one."""
        self.n = Numbers(current_language())
        self.pdf = Document(content.plan.name)
        register_fonts(self.pdf, plan_text(content.plan), cjk=current_language() == "zh")
        self.pdf.set_title(content.plan.name)
        self.pdf.set_author("prevplan")
        self.pdf.set_creator(f"prevplan {prevplan_version()}".strip())
        self.pdf.set_subject(_("Drug-use prevention plan — report for approval"))
        self.pdf.set_lang({"en": "en", "ru": "ru", "zh": "zh-CN"}.get(current_language(), "en"))
        self.pdf.set_text_color(*INK)

    # -- building blocks -----------------------------------------------------------------

    @property
    def width(self) -> float:
        """The width between the page margins, in millimetres."""
        return float(self.pdf.epw)

    def font(self, size: float, style: str = "", colour: RGB = INK) -> None:
        """Set the report's font at ``size`` points, in ``style`` and ``colour``."""
        self.pdf.set_font(MAIN, style, size)
        self.pdf.set_text_color(*colour)

    def h1(self, text: str, *, new_page: bool = True) -> None:
        """A section's heading, in the outline, on a new page unless told otherwise."""
        pdf = self.pdf
        if new_page or pdf.will_page_break(40):
            pdf.add_page()
        pdf.start_section(text, level=0)
        self.font(17, "B", BLUE)
        pdf.multi_cell(0, 8, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_draw_color(*BLUE)
        pdf.set_line_width(0.6)
        pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + 30, pdf.get_y() + 0.5)
        pdf.ln(4)
        self.font(BODY_PT)

    def h2(self, text: str, *, keep: float = 50, outline: bool = True) -> None:
        """A sub-heading kept on one page with the ``keep`` millimetres that follow it."""
        pdf = self.pdf
        if pdf.will_page_break(keep):
            pdf.add_page()
        else:
            pdf.ln(3)
        if outline:
            pdf.start_section(text, level=1)
        self.font(12.5, "B", BLUE)
        pdf.multi_cell(0, 6.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        self.font(BODY_PT)

    def h3(self, text: str, *, keep: float = 30, context: str = "") -> None:
        """A minor heading; on top of a new page it names its ``context`` (the population)."""
        pdf = self.pdf
        if pdf.will_page_break(keep):
            pdf.add_page()
            if context:
                text = f"{text} — {context}"
        else:
            pdf.ln(1.5)
        self.font(10.5, "B", INK)
        pdf.multi_cell(0, 5.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.font(BODY_PT)

    def para(self, text: str, size: float = BODY_PT, style: str = "", colour: RGB = INK) -> None:
        """A paragraph the width of the page."""
        self.font(size, style, colour)
        self.pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)
        self.font(BODY_PT)

    def note(self, text: str) -> None:
        """A small grey italic paragraph: how to read what is above it."""
        self.para(text, SMALL_PT, "I", GREY)

    def bullets(self, items: Sequence[str], size: float = BODY_PT) -> None:
        """A bulleted list."""
        pdf = self.pdf
        self.font(size)
        for item in items:
            pdf.set_x(pdf.l_margin + 2)
            pdf.cell(4, size * 0.5, "•")
            pdf.multi_cell(
                self.width - 6, size * 0.5, item, align="L", new_x="LMARGIN", new_y="NEXT"
            )
            pdf.ln(0.8)
        pdf.ln(1)

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        *,
        total: Sequence[str] | None = None,
        size: float = TABLE_PT,
    ) -> None:
        """A table whose header row repeats on every page it spans."""
        pdf = self.pdf
        if not rows and total is None:
            return
        if pdf.will_page_break(TABLE_LINE_MM * 5):
            pdf.add_page()
        pdf.set_draw_color(*RULE)
        pdf.set_fill_color(*WHITE)  # rows without a fill of their own take the current one
        pdf.set_line_width(0.15)
        bold_total: list[Cell] = [(text, TOTAL_ROW) for text in total or ()]
        size, widths = self.column_widths(columns, [*rows, bold_total], size)
        self.font(size)  # the table's base style is the font current when it starts
        with pdf.table(
            col_widths=widths,
            width=self.width,
            align="LEFT",
            text_align=[c.align for c in columns],
            line_height=size * 0.46,
            headings_style=FontFace(
                family=MAIN, emphasis="BOLD", color=WHITE, fill_color=BLUE, size_pt=size
            ),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_color=ZEBRA,
            cell_fill_mode=TableCellFillMode.ROWS,
            padding=(1.1, CELL_PADDING_MM),
            repeat_headings=1,
            v_align="TOP",
            wrapmode=WrapMode.WORD,
        ) as table:
            head = table.row()
            for c in columns:
                head.cell(c.header)
            for cells in rows:
                row = table.row()
                for cell in cells:
                    # A cell taller than a page cannot be set: very long names are cut.
                    if isinstance(cell, tuple):
                        row.cell(shortened(cell[0], MAX_CELL_CHARS), style=cell[1])
                    else:
                        row.cell(shortened(cell, MAX_CELL_CHARS))
            if total is not None:
                row = table.row()
                for text in total:
                    row.cell(text, style=TOTAL_ROW)
        pdf.ln(3)
        self.font(BODY_PT)

    def column_widths(
        self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], size: float
    ) -> tuple[float, list[float]]:
        """The table's font size and column widths, such that no word, number or heading's
        word is broken.

        Each column gets at least the width of its longest unbreakable piece (numbers and
        centred or right-aligned cells whole; text word by word), and the rest of the page
        width in proportion to the widths the caller asked for. When the longest pieces do not
        fit side by side at ``size`` (Russian headings and level names in a nine-column table),
        the table's type is made smaller — down to :data:`MIN_TABLE_PT` — rather than words
        cut in two.
        """
        pad = 2 * CELL_PADDING_MM + 0.8
        pieces = self._longest_pieces(columns, rows, size)
        room = self.width - pad * len(columns)
        if sum(pieces) > room:
            smaller = max(MIN_TABLE_PT, size * room / sum(pieces))
            pieces = [piece * smaller / size for piece in pieces]  # widths scale with the size
            size = smaller
        needs = [min(piece + pad, self.width / 2) for piece in pieces]
        scale = self.width / sum(c.width for c in columns)
        widths = [max(c.width * scale, need) for c, need in zip(columns, needs, strict=True)]
        excess = sum(widths) - self.width
        if excess > 0:
            slack = [w - need for w, need in zip(widths, needs, strict=True)]
            spare = sum(slack)
            if spare >= excess:
                widths = [w - excess * s / spare for w, s in zip(widths, slack, strict=True)]
            else:  # even the smallest type is too big for every word: shrink all alike
                widths = [need * self.width / sum(needs) for need in needs]
        return size, widths

    def _longest_pieces(
        self, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], size: float
    ) -> list[float]:
        """Each column's widest unbreakable piece of text at ``size``, in millimetres."""
        pdf = self.pdf
        longest: list[float] = []
        for i, column in enumerate(columns):
            pdf.set_font(MAIN, "B", size)
            need = max((pdf.text_width(w) for w in words(column.header)), default=0.0)
            whole = column.align != "LEFT"
            for row in rows:
                if i >= len(row):
                    continue
                cell = row[i]
                text, style = cell if isinstance(cell, tuple) else (cell, None)
                bold = (
                    style is not None
                    and style.emphasis is not None
                    and "B" in str(style.emphasis.style)
                )
                pdf.set_font(MAIN, "B" if bold else "", size)
                for piece in text.split("\n") if whole else words(text):
                    need = max(need, pdf.text_width(piece))
            longest.append(need)
        return longest

    def chart(self, name: str, caption: str = "", *, title: str = "") -> None:
        """Leave room for a chart (under ``title``, kept with it on one page);
        :meth:`place_charts` puts the image there once it is drawn."""
        aspect = self.charts.aspects.get(name)
        if aspect is None:
            return
        pdf = self.pdf
        height = self.width * aspect
        if title:
            self.h2(title, keep=height + 16)
        if pdf.will_page_break(height + 8):
            pdf.add_page()
        self.placed.append((name, pdf.page, pdf.l_margin, pdf.get_y(), self.width, height))
        pdf.set_y(pdf.get_y() + height + 1)
        if caption:
            self.note(caption)
        pdf.ln(3)

    def place_charts(self) -> None:
        """Put every chart, once drawn, into the room :meth:`chart` left for it."""
        pdf = self.pdf
        images = self.charts.images()
        last = pdf.page
        for name, page, x, y, w, h in self.placed:
            pdf.page = page
            pdf.image(io.BytesIO(images[name].png), x=x, y=y, w=w, h=h)
        pdf.page = last

    def level_label(self, level: str) -> str:
        """A prevention level's name in the report's language."""
        return self.label(Kind.LEVEL, level)

    def label(self, kind: Kind | str, item_id: str, field: str = "label") -> str:
        """A label of the rules in the report's language (English where untranslated)."""
        return self.rules.text(kind, item_id, field, item_id)
