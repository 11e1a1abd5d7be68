"""The PDF page itself: A4 portrait, a running header, "Page X of Y", and text that wraps.

:class:`Document` is fpdf2's ``FPDF`` with what the report needs on top: the plan's name and
the report's kind in a header from page 2, the page count in every footer, a font pinned to
each page as soon as it is chosen (so a line that starts with a Chinese name keeps its text),
and Chinese, Japanese and Korean text broken between characters, never before a closing mark.
The helpers below measure text in the current font: the pieces a line may not break inside
(:func:`words`), the lines a text wraps into (:func:`wrapped_lines`), and a text shortened to
fit (:func:`fit`).
"""

from __future__ import annotations

import re
from typing import Any

from fpdf import FPDF
from fpdf.enums import TextEmphasis
from fpdf.fonts import TTFFont
from fpdf.util import Padding

from prevplan.export.fonts import MAIN
from prevplan.export.pdf.style import GREY, INK, RULE
from prevplan.i18n import _

_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_WORD = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_BREAK_TOKEN = re.compile(f"[{_CJK}]|\\s+|[^\\s{_CJK}]+")
_NO_LINE_START = frozenset("，。、；：！？）」』】》〉,.;:!?)%")


class Document(FPDF):
    """A4 portrait with a running header (from page 2) and "Page X of Y" on every page."""

    def __init__(self, running_title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = running_title
        self._widths: dict[tuple[str, str, float, str], float] = {}
        self.set_margins(left=18, top=20, right=18)
        self.set_auto_page_break(auto=True, margin=18)
        self.c_margin = 0.8

    # fpdf2 2.8 sets a page's font lazily, at its first text. When that text starts with a
    # character only the fallback font has (a Chinese name), it sets the font inside a
    # q/Q-wrapped line and then believes the page has it: the next line is drawn with no
    # font, and its text is lost (poppler: "No font in show"). Setting the font on the page
    # as soon as it is chosen keeps fpdf2 off that path.
    def set_font(
        self, family: str | None = None, style: str | TextEmphasis = "", size: float = 0
    ) -> None:
        """fpdf2's ``set_font``, with the font pinned to the current page."""
        super().set_font(family, style, size)
        self._pin_font()

    def set_font_size(self, size: float) -> None:
        """fpdf2's ``set_font_size``, with the font pinned to the current page."""
        super().set_font_size(size)
        self._pin_font()

    def _pin_font(self) -> None:
        if self.page > 0 and self.current_font is not None and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))

    # fpdf2 breaks lines at spaces only, so a Chinese sentence (no spaces) runs as one long
    # word: the line before it ends early, and breaking inside it ignores punctuation rules.
    # Text with CJK characters is broken into lines here, between characters, before fpdf2
    # sees it; a closing mark (，。）…) never starts a line.
    def multi_cell(
        self, w: float, h: float | None = None, text: str = "", *args: Any, **kwargs: Any
    ) -> Any:
        """fpdf2's ``multi_cell``, with CJK text broken into lines first."""
        if text and _CJK_CHAR.search(text):
            room = (w or (self.w - self.r_margin - self.x)) - 2 * self.c_margin
            padding = kwargs.get("padding")
            if padding:
                pad = Padding.new(padding)
                room -= pad.left + pad.right
            text = self._break_cjk(text, room - 0.3)
        return super().multi_cell(w, h, text, *args, **kwargs)

    def text_width(self, token: str) -> float:
        """:meth:`get_string_width`, remembered per font (reports repeat their words)."""
        key = (self.font_family, self.font_style, self.font_size_pt, token)
        found = self._widths.get(key)
        if found is None:
            found = self._widths[key] = self.get_string_width(token)
        return found

    def _break_cjk(self, text: str, width: float) -> str:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line: list[str] = []
            used = 0.0
            for token in _BREAK_TOKEN.findall(paragraph):
                size = self.text_width(token)
                if token.isspace():
                    if line:
                        line.append(token)
                        used += size
                    continue
                if line and used + size > width:
                    carry = [line.pop()] if token[0] in _NO_LINE_START and len(line) > 1 else []
                    lines.append("".join(line).rstrip())
                    line = carry
                    used = sum(self.text_width(t) for t in carry)
                line.append(token)
                used += size
            lines.append("".join(line).rstrip())
        return "\n".join(lines)

    def close_fonts(self) -> None:
        """Close the font files fpdf2 keeps open (it reads them lazily)."""
        for font in self.fonts.values():
            if isinstance(font, TTFFont):
                font.ttfont.close()

    def header(self) -> None:
        """The plan's name and the report's kind, over a rule, from page 2 on."""
        if self.page_no() == 1:
            return
        self.set_font(MAIN, "", 7.5)
        self.set_text_color(*GREY)
        self.set_xy(self.l_margin, 9)
        right = _("Drug-use prevention plan — report for approval")
        # The plan's name has the first claim on the line; the report's kind gets the rest.
        left_w = min(self.get_string_width(self.running_title) + 2, self.epw * 0.6)
        right_w = self.epw - left_w
        self.cell(left_w, 4, fit(self, self.running_title, left_w - 2))
        self.cell(right_w, 4, fit(self, right, right_w - 2), align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_xy(self.l_margin, self.t_margin)
        self.set_text_color(*INK)

    def footer(self) -> None:
        """The page number and the page count, centred."""
        self.set_y(-12)
        self.set_font(MAIN, "", 8)
        self.set_text_color(*GREY)
        text = _("Page {page} of {total}").format(page=self.page_no(), total="{nb}")
        self.cell(0, 5, text, align="C")
        self.set_text_color(*INK)


def words(text: str) -> list[str]:
    """The pieces a line may not be broken inside: words, or single CJK characters."""
    return _WORD.findall(text)


def wrapped_lines(pdf: FPDF, width: float, text: str) -> list[str]:
    """The lines ``text`` wraps into at ``width`` in the current font."""
    lines = pdf.multi_cell(width, 4, text, dry_run=True, output="LINES")
    return lines if isinstance(lines, list) else []


def fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with "…" to fit ``width`` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
