"""The plan report for approval, as a PDF a ministry can file and print.

Sections, in the order an official reads them: a title page (the plan, who it is for, what
the SCO Concept is and how to read the report); a summary of key figures and the main gaps;
the target populations with their coverage charts; for each population, the strategy mix
the Concept recommends (VI-3.1 fundamental, VI-3.2 supporting) beside what the plan
delivers, each recommendation marked as *stated* in the SCO text or *inferred* by prevplan;
every warning with its clauses; the Program of Actions (Annex V) items served and not
served; costs by strategy and prevention level; and, at the end, the text of every clause
cited. Every page carries "Page X of Y"; long tables repeat their header row on each page.

Typesetting: DejaVu Sans with Noto Sans CJK as fallback (:mod:`.fonts`), so Latin,
Cyrillic and Chinese mix freely; the Okabe–Ito colours of the dashboard's charts, always
paired with words, so nothing depends on telling colours apart.

Over 800 lines, and knowingly so for now: every section shares the one page-layout class
and its table helpers. Splitting it into a layout module and one module per section (cover,
summary, populations, warnings, Annex V, costs, cited clauses) is an open item of issue #11.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Final

from babel.dates import format_date
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, TableCellFillMode, TextEmphasis, WrapMode
from fpdf.fonts import FontFace, TTFFont
from fpdf.util import Padding

from prevplan.analytics import OKABE_ITO, dashboard_figures
from prevplan.engine.build import what_works
from prevplan.export.fonts import MAIN, missing_fonts, register_fonts
from prevplan.export.images import ChartJob, browser_problem
from prevplan.export.report import (
    ActionItemLine,
    MixRow,
    PopulationSection,
    ReportContent,
    report_content,
)
from prevplan.i18n import (
    _,
    current_language,
    format_money,
    format_number,
    format_percent,
    ngettext,
    use_language,
)
from prevplan.plan.assessment import Assessment
from prevplan.plan.models import Activity, Plan
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet, load_rules
from prevplan.rules.models import Kind
from prevplan.safe_text import map_strings, printable, shortened
from prevplan.vocab import Basis, StrategyKind

RGB = tuple[int, int, int]


def _rgb(hex_colour: str) -> RGB:
    value = hex_colour.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


# Okabe–Ito, as in prevplan.analytics.charts: blue for the report's structure and, as a
# tint, for "stated"; an orange tint for "inferred" and for what is missing. Every colour
# comes with words, so none has to be told apart.
BLUE: Final = _rgb(OKABE_ITO[4])
ORANGE_TINT: Final = (252, 236, 200)  # Okabe–Ito orange #E69F00, lightened for a background
INK: Final = (26, 26, 26)
GREY: Final = (90, 90, 90)
RULE: Final = (190, 198, 206)
BLUE_TINT: Final = (219, 234, 246)
GREY_TINT: Final = (238, 238, 238)
ZEBRA: Final = (245, 247, 250)
WHITE: Final = (255, 255, 255)

BODY_PT: Final = 10.0
TABLE_PT: Final = 8.5
SMALL_PT: Final = 8.0
TABLE_LINE_MM: Final = 3.9
CLAUSE_EXCERPT_CHARS: Final = 320
CELL_PADDING_MM: Final = 1.2

MAX_CELL_CHARS: Final = 400
"""Characters of a table cell printed; a longer text (a 2,500-character name) is cut with an
ellipsis, since fpdf2 cannot split one row over two pages."""

TOTAL_ROW: Final = FontFace(emphasis="BOLD", fill_color=GREY_TINT)
STATED: Final = FontFace(fill_color=BLUE_TINT)
INFERRED: Final = FontFace(emphasis="ITALICS", fill_color=ORANGE_TINT)
MISSING: Final = FontFace(emphasis="BOLD", fill_color=ORANGE_TINT)


def plan_report_pdf(
    plan: Plan,
    rules: RuleSet | None = None,
    *,
    lang: str | None = None,
    assessment: Assessment | None = None,
    today: date | None = None,
) -> bytes:
    """The plan report for approval, as PDF bytes.

    ``lang`` (``en``, ``ru``, ``zh``) is the language of the report's own words; it defaults
    to the current language. Plan names, population names and the like print as written.
    ``today`` is the report date (default: today). Raises
    :class:`~prevplan.problems.ProblemsError` when a font or the chart browser is missing.
    """
    ruleset = rules if rules is not None else load_rules()
    # Control characters in names would be missing glyphs in the text and stop the chart
    # browser: they print as visible \xNN escapes.
    plan = map_strings(plan, printable)
    # What is missing on the machine is said before any work starts.
    ProblemsError.raise_if_any(missing_fonts(cjk=False))
    no_browser = browser_problem()
    if no_browser is not None:
        raise no_browser
    with use_language(lang or current_language()):
        charts = ChartJob()  # starts the browser while the report's content is worked out
        content = report_content(plan, ruleset, assessment)
        charts.draw(dashboard_figures(content.assessment, ruleset, plan))
        return _Report(content, ruleset, charts, today or date.today()).build()


# --- formatting ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Numbers:
    """Counts, shares, money and dates in the report's language (:mod:`prevplan.i18n`)."""

    locale: str

    def count(self, value: float) -> str:
        return format_number(round(value), self.locale)

    def share(self, value: float | None) -> str:
        return "—" if value is None else format_percent(value, self.locale, decimals=1)

    def money(self, value: float | None) -> str:
        return "—" if value is None else format_number(value, self.locale, decimals=0)

    def per_person(self, value: float | None) -> str:
        return "—" if value is None else format_money(value, self.locale)

    def day(self, value: date) -> str:
        return format_date(value, format="long", locale=self.locale)


def _ages(age_min: int, age_max: int) -> str:
    return f"{age_min}–{age_max}"


def _kind(kind: StrategyKind) -> str:
    """A strategy's kind as the report's tables word it."""
    return _("Fundamental") if kind is StrategyKind.FUNDAMENTAL else _("Supporting")


def _names(activities: Sequence[Activity], limit: int = 4) -> str:
    shown = [a.name or a.id for a in activities[:limit]]
    more = len(activities) - limit
    text = "; ".join(shown)
    if more > 0:
        text += " " + _("and {n} more").format(n=more)
    return text


def _plan_text(plan: Plan) -> str:
    """Every text of the plan that the report prints, to choose the fonts it needs."""
    parts = [plan.name, plan.country, plan.region, plan.period, plan.description]
    for p in plan.populations:
        parts += [p.id, p.name, p.region]
    for a in plan.activities:
        parts += [a.id, a.name, a.executor, a.schedule]
    parts += [t.note for t in plan.tracker]
    return "".join(x for x in parts if x)


def _prevplan_version() -> str:
    try:
        return version("prevplan")
    except PackageNotFoundError:  # running from a source tree without installing
        return ""


# --- the document ---------------------------------------------------------------------------


class _Document(FPDF):
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
        super().set_font(family, style, size)
        self._pin_font()

    def set_font_size(self, size: float) -> None:
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
        if self.page_no() == 1:
            return
        self.set_font(MAIN, "", 7.5)
        self.set_text_color(*GREY)
        self.set_xy(self.l_margin, 9)
        right = _("Drug-use prevention plan — report for approval")
        # The plan's name has the first claim on the line; the report's kind gets the rest.
        left_w = min(self.get_string_width(self.running_title) + 2, self.epw * 0.6)
        right_w = self.epw - left_w
        self.cell(left_w, 4, _fit(self, self.running_title, left_w - 2))
        self.cell(right_w, 4, _fit(self, right, right_w - 2), align="R")
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, 14, self.w - self.r_margin, 14)
        self.set_xy(self.l_margin, self.t_margin)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(MAIN, "", 8)
        self.set_text_color(*GREY)
        text = _("Page {page} of {total}").format(page=self.page_no(), total="{nb}")
        self.cell(0, 5, text, align="C")
        self.set_text_color(*INK)


_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_WORD = re.compile(f"[{_CJK}]|[^\\s{_CJK}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_BREAK_TOKEN = re.compile(f"[{_CJK}]|\\s+|[^\\s{_CJK}]+")
_NO_LINE_START = frozenset("，。、；：！？）」』】》〉,.;:!?)%")


def _words(text: str) -> list[str]:
    """The pieces a line may not be broken inside: words, or single CJK characters."""
    return _WORD.findall(text)


def _lines(pdf: FPDF, width: float, text: str) -> list[str]:
    """The lines ``text`` wraps into at ``width`` in the current font."""
    lines = pdf.multi_cell(width, 4, text, dry_run=True, output="LINES")
    return lines if isinstance(lines, list) else []


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` shortened with "…" to fit ``width`` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    align: str = "LEFT"


Cell = str | tuple[str, FontFace | None]
"""A table cell: its text, or its text with a style."""


class _Report:
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
        self.n = _Numbers(current_language())
        self.pdf = _Document(content.plan.name)
        register_fonts(self.pdf, _plan_text(content.plan), cjk=current_language() == "zh")
        self.pdf.set_title(content.plan.name)
        self.pdf.set_author("prevplan")
        self.pdf.set_creator(f"prevplan {_prevplan_version()}".strip())
        self.pdf.set_subject(_("Drug-use prevention plan — report for approval"))
        self.pdf.set_lang({"en": "en", "ru": "ru", "zh": "zh-CN"}.get(current_language(), "en"))
        self.pdf.set_text_color(*INK)

    def build(self) -> bytes:
        try:
            self.title_page()
            self.summary()
            self.populations()
            self.strategy_mix()
            self.gaps()
            self.action_items()
            self.costs()
            self.clauses()
            self.place_charts()
            return bytes(self.pdf.output())
        finally:
            self.pdf.close_fonts()

    # -- building blocks -----------------------------------------------------------------

    @property
    def width(self) -> float:
        return float(self.pdf.epw)

    def font(self, size: float, style: str = "", colour: RGB = INK) -> None:
        self.pdf.set_font(MAIN, style, size)
        self.pdf.set_text_color(*colour)

    def h1(self, text: str, *, new_page: bool = True) -> None:
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
        self.font(size, style, colour)
        self.pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1.5)
        self.font(BODY_PT)

    def note(self, text: str) -> None:
        self.para(text, SMALL_PT, "I", GREY)

    def bullets(self, items: Sequence[str], size: float = BODY_PT) -> None:
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
        widths = self.column_widths(columns, [*rows, bold_total], size)
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
    ) -> list[float]:
        """Column widths that never break a word, a number or a heading's word.

        Each column gets at least the width of its longest unbreakable piece (numbers and
        centred or right-aligned cells whole; text word by word), and the rest of the page
        width in proportion to the widths the caller asked for — so translated headings
        ("Стоимость на человека") keep their words whole.
        """
        pdf = self.pdf
        pad = 2 * CELL_PADDING_MM + 0.8
        needs: list[float] = []
        for i, column in enumerate(columns):
            pdf.set_font(MAIN, "B", size)
            need = max((pdf.text_width(w) for w in _words(column.header)), default=0.0)
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
                pieces = text.split("\n") if whole else _words(text)
                for piece in pieces:
                    need = max(need, pdf.text_width(piece))
            needs.append(min(need + pad, self.width / 2))
        scale = self.width / sum(c.width for c in columns)
        widths = [max(c.width * scale, need) for c, need in zip(columns, needs, strict=True)]
        excess = sum(widths) - self.width
        if excess > 0:
            slack = [w - need for w, need in zip(widths, needs, strict=True)]
            room = sum(slack)
            if room >= excess:
                widths = [w - excess * s / room for w, s in zip(widths, slack, strict=True)]
            else:  # the page is too narrow for every word: shrink all alike
                widths = [need * self.width / sum(needs) for need in needs]
        return widths

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
        pdf = self.pdf
        images = self.charts.images()
        last = pdf.page
        for name, page, x, y, w, h in self.placed:
            pdf.page = page
            pdf.image(io.BytesIO(images[name].png), x=x, y=y, w=w, h=h)
        pdf.page = last

    # -- sections ------------------------------------------------------------------------

    def title_page(self) -> None:
        pdf = self.pdf
        plan = self.c.plan
        pdf.add_page()
        pdf.set_fill_color(*BLUE)
        pdf.rect(0, 0, pdf.w, 12, style="F")
        pdf.set_y(34)
        self.font(11, "B", BLUE)
        pdf.multi_cell(
            0,
            6,
            _("Drug-use prevention plan — report for approval"),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(3)
        self.font(26, "B", INK)
        pdf.multi_cell(0, 11, plan.name, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        facts = [
            (_("Country"), plan.country),
            (_("Region"), plan.region),
            (_("Period"), plan.period),
            (_("Report date"), self.n.day(self.today)),
        ]
        for label, value in facts:
            if not value:
                continue
            self.font(11, "", GREY)
            pdf.cell(32, 6.5, label)
            self.font(11, "B", INK)
            pdf.multi_cell(0, 6.5, value, align="L", new_x="LMARGIN", new_y="NEXT")
        t = self.c.assessment.totals
        pdf.ln(2)
        self.para(
            _("{pops} target populations · {people} people · {acts} activities").format(
                pops=self.n.count(t.populations),
                people=self.n.count(t.people),
                acts=self.n.count(t.activities),
            ),
            11,
            "",
            GREY,
        )
        if plan.description:
            pdf.ln(2)
            self.para(plan.description, 10.5)
        pdf.ln(6)
        self.font(11, "B", BLUE)
        pdf.multi_cell(0, 6, _("About the SCO Concept"), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        self.para(
            _(
                "The Concept on Preventing the Abuse of Narcotic Drugs and Psychotropic "
                "Substances of the Shanghai Cooperation Organisation (Annex VI) recommends "
                "that each member state build a national prevention system as a connected "
                "set of evidence-based strategies and interventions, aimed at the age groups "
                "and levels of risk of its people: universal prevention for everyone, "
                "selective and indicated prevention for groups at higher risk, and treatment, "
                "resocialisation and relapse prevention for people with dependence. It holds "
                "that no single, isolated strategy can remove vulnerability to drug use "
                "(VI-intro). The Program of Actions (Annex V) lists the joint measures member "
                "states carry out; this report shows which of them the plan serves."
            ),
            9.5,
        )
        pdf.ln(2)
        self.font(11, "B", BLUE)
        pdf.multi_cell(0, 6, _("How to read this report"), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
        self.para(
            _(
                "Every recommendation and warning cites the clauses it rests on: VI-3.1.1 is "
                "Annex VI, section 3.1.1; V-3.5 is item 3.5 of the Program of Actions; #2 "
                "is the second bullet of a clause and #p2 its second paragraph. The clauses "
                "are quoted at the end of the report. Each recommended strategy is marked:"
            ),
            9.5,
        )
        self.table(
            [Column(_("Mark"), 45), Column(_("Meaning"), 129)],
            [
                [
                    (_("Stated in the text"), STATED),
                    _("the SCO text itself links the strategy to this kind of population"),
                ],
                [
                    (_("Inferred by prevplan"), INFERRED),
                    _(
                        "prevplan's reading of the text, with its reason given; check it "
                        "before relying on it"
                    ),
                ],
            ],
            size=9,
        )
        pdf.set_y(max(pdf.get_y() + 4, pdf.h - 52))
        self.font(9, "", GREY)
        prepared = _("Prepared with prevplan {version} on {date}.").format(
            version=_prevplan_version(), date=self.n.day(self.today)
        )
        pdf.multi_cell(0, 5, prepared.replace("  ", " "), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        self.font(10, "", INK)
        for label in (_("Approved by"), _("Position"), _("Date and signature")):
            pdf.cell(45, 8, label)
            pdf.set_draw_color(*GREY)
            pdf.set_line_width(0.2)
            y = pdf.get_y() + 6.5
            pdf.line(pdf.l_margin + 45, y, pdf.l_margin + 140, y)
            pdf.ln(8)

    def summary(self) -> None:
        t = self.c.assessment.totals
        n = self.n
        self.h1(_("Summary"))
        upper = sum(p.reach_upper for p in self.c.assessment.coverage.populations)
        annex_v = self.c.assessment.coverage.annex_v
        # Effective coverage leads; exposure (anyone reached) follows.
        cards = [
            (
                n.share(t.effective_coverage),
                _("effective coverage"),
                _("effectively reached / people targeted"),
            ),
            (
                n.count(t.effective_reach),
                _("people effectively reached"),
                _("of {people} in the target populations").format(people=n.count(t.people)),
            ),
            (
                n.per_person(t.cost_per_effective_person),
                _("cost per person effectively reached"),
                _("plan currency"),
            ),
            (n.money(t.cost), _("total cost"), _("plan currency")),
            (
                n.share(t.coverage),
                _("coverage by any activity"),
                _("people reached by any activity / people targeted"),
            ),
            (
                n.count(t.reach),
                _("people reached by any activity"),
                _("at least; up to {upper}").format(upper=n.count(upper)),
            ),
            (
                f"{n.count(t.uncovered_populations)} / {n.count(t.populations)}",
                _("populations without activities"),
                "",
            ),
            (
                f"{n.count(t.activity_items_served)} / {n.count(t.activity_items)}",
                _("Program of Actions items served"),
                _("of those a prevention plan's activities can serve"),
            ),
        ]
        self.cards(cards)
        self.note(self.c.assessment.effective_rule)
        self.note(self.c.assessment.reach_rule)
        self.note(
            _(
                "This plan serves Program of Actions item {plan}; this report serves items "
                "{report}. {outside} of the 40 items lie outside a prevention plan's reach "
                "(law enforcement, new psychoactive substances, international cooperation, "
                "SCO bodies)."
            ).format(
                plan=", ".join(annex_v.served_by_plan),
                report=", ".join(annex_v.served_by_report),
                outside=n.count(t.outside_items),
            )
        )
        self.note(
            _("Warnings: {n}; see “Gaps and warnings”.").format(
                n=n.count(len(self.c.assessment.warnings))
            )
        )
        self.main_gaps()

    def cards(self, cards: Sequence[tuple[str, str, str]], per_row: int = 4) -> None:
        pdf = self.pdf
        gap = 3.0
        w = (self.width - gap * (per_row - 1)) / per_row
        h = 27.0
        for start in range(0, len(cards), per_row):
            y = pdf.get_y()
            for i, (value, label, sub) in enumerate(cards[start : start + per_row]):
                x = pdf.l_margin + i * (w + gap)
                pdf.set_fill_color(*ZEBRA)
                pdf.set_draw_color(*RULE)
                pdf.set_line_width(0.2)
                pdf.rect(x, y, w, h, style="DF")
                pdf.set_fill_color(*BLUE)
                pdf.rect(x, y, w, 1.2, style="F")
                size = 16.0
                self.font(size, "B", BLUE)
                while size > 9 and pdf.get_string_width(value) > w - 4:
                    size -= 0.5
                    self.font(size, "B", BLUE)
                pdf.set_xy(x + 2, y + 3)
                pdf.cell(w - 4, 8, value)
                label_pt = 8.5
                self.font(label_pt, "B", INK)
                while label_pt > 6.5 and len(_lines(pdf, w - 4, label)) > 2:
                    label_pt -= 0.5
                    self.font(label_pt, "B", INK)
                pdf.set_xy(x + 2, y + 11.5)
                pdf.multi_cell(w - 4, 3.8, label, align="L", new_x="LEFT", new_y="NEXT")
                if sub:
                    self.font(7, "", GREY)
                    pdf.set_xy(x + 2, y + 19.6)
                    shown = _lines(pdf, w - 4, sub)
                    if len(shown) > 2:
                        shown = [shown[0], _fit(pdf, " ".join(shown[1:]), w - 5)]
                    pdf.multi_cell(w - 4, 3.1, "\n".join(shown), align="L")
            pdf.set_xy(pdf.l_margin, y + h + gap)
        pdf.ln(1)
        self.font(BODY_PT)

    def main_gaps(self) -> None:
        warnings = self.c.assessment.warnings
        self.h2(_("Main gaps"), keep=40)
        if not warnings:
            self.para(_("The assessment found no gaps."))
            return
        by_code: dict[str, set[str]] = {}
        sources: dict[str, tuple[str, ...]] = {}
        for w in warnings:
            by_code.setdefault(w.code, set()).add(w.population_id or "")
            sources[w.code] = w.sources
        names = {p.population_id: p.name for p in self.c.assessment.coverage.populations}
        rows: list[list[Cell]] = []
        for code, pids in sorted(by_code.items(), key=lambda kv: -len(kv[1])):
            title = self.label("warnings", code, "title")
            listed = sorted(names.get(p, p) for p in pids if p)
            shown = "; ".join(listed[:6]) + (" …" if len(listed) > 6 else "")
            rows.append(
                [
                    (title, FontFace(emphasis="BOLD")),
                    self.n.count(len(listed)),
                    shown,
                    ", ".join(sources[code]),
                ]
            )
        self.table(
            [
                Column(_("Gap"), 40),
                Column(_("Populations"), 24, "RIGHT"),
                Column(_("Which"), 78),
                Column(_("Clauses"), 32),
            ],
            rows,
        )
        unserved = [i for i in self.c.prevention_items if not i.served]
        if unserved:
            self.para(
                _(
                    "Prevention and treatment items of the Program of Actions served by no "
                    "activity: {refs}."
                ).format(refs=", ".join(i.ref for i in unserved)),
                9,
            )

    def populations(self) -> None:
        self.h1(_("Target populations"))
        self.para(
            _(
                "Each population's prevention level follows from its risk group (VI-2, "
                "Table 1). Effective coverage is people reached by an activity that works "
                "over the population's size; coverage by any activity counts everyone reached."
            ),
            9,
            "",
            GREY,
        )
        n = self.n
        pops = self.c.assessment.coverage.populations
        by_id = {p.id: p for p in self.c.plan.populations}
        columns = [
            Column(_("Population"), 38),
            Column(_("Level"), 26),
            Column(_("People"), 14, "RIGHT"),
            Column(_("Activities"), 10, "RIGHT"),
            Column(_("Effective coverage"), 14, "RIGHT"),
            Column(_("Coverage by any activity"), 12, "RIGHT"),
            Column(_("Target"), 11, "RIGHT"),
            Column(_("Cost"), 15, "RIGHT"),
            Column(_("Cost per person effectively reached"), 16, "RIGHT"),
        ]
        rows: list[list[Cell]] = []
        for p in pops:
            population = by_id[p.population_id]
            # The region and the ages go under the name and the level, to keep the table
            # within a portrait page.
            name = f"{p.name}\n{p.region}" if p.region else p.name
            level = (
                self._level(p.prevention_level.value)
                + "\n"
                + _("ages {ages}").format(ages=_ages(population.age_min, population.age_max))
            )
            rows.append(
                [
                    name,
                    level,
                    n.count(p.size),
                    (n.count(p.activities), MISSING)
                    if p.activities == 0
                    else n.count(p.activities),
                    n.share(p.effective_coverage),
                    n.share(p.coverage),
                    n.share(p.target_coverage),
                    n.money(p.cost),
                    n.per_person(p.cost_per_effective_person),
                ]
            )
        t = self.c.assessment.totals
        total = [
            _("All populations"),
            "",
            n.count(t.people),
            n.count(t.activities),
            n.share(t.effective_coverage),
            n.share(t.coverage),
            "",
            n.money(t.cost),
            n.per_person(t.cost_per_effective_person),
        ]
        self.table(columns, rows, total=total, size=7.5)
        self.note(
            _(
                "Effective coverage: people reached by an activity that works, over the "
                "population. Coverage by any activity: everyone reached. Target: the share of the "
                "population the "
                "activities aim to reach (— when no target is set). Cost in plan currency. A "
                "population with no activity is highlighted."
            )
        )
        self.chart("effective", title=_("Effective coverage beside coverage by any activity"))
        self.chart(
            "level_stage",
            _("Grey cells have no people in the plan; they are not gaps."),
            title=_("Coverage by prevention level and age stage"),
        )
        self.chart("reach_vs_target", title=_("Reach against target"))

    def _level(self, level: str) -> str:
        return self.label(Kind.LEVEL, level)

    def label(self, kind: Kind | str, item_id: str, field: str = "label") -> str:
        """A label of the rules in the report's language (English where untranslated)."""
        return self.rules.text(kind, item_id, field, item_id)

    def strategy_mix(self) -> None:
        self.h1(_("Recommended strategy mix by population"))
        self.para(
            _(
                "For each population, the strategies the Concept recommends (fundamental "
                "strategies of VI-3.1, supporting strategies of VI-3.2), most important first, "
                "beside the activities of the plan that deliver them. Strategies the plan "
                "delivers without a recommendation are listed after them."
            ),
            9,
            "",
            GREY,
        )
        self.chart("strategies", title=_("All populations: people reached by each strategy"))
        for section in self.c.sections:
            self.population_section(section)

    def population_section(self, s: PopulationSection) -> None:
        n = self.n
        p, cov = s.population, s.coverage
        pdf = self.pdf
        if pdf.will_page_break(80):
            pdf.add_page()
        else:
            pdf.ln(4)
        title = cov.name if cov.name == p.id else f"{cov.name}"
        pdf.start_section(title, level=1)
        self.font(12.5, "B", BLUE)
        pdf.multi_cell(0, 6.5, title, align="L", new_x="LMARGIN", new_y="NEXT")
        stages = "; ".join(self.label(Kind.AGE_STAGE, st) for st in cov.age_stages)
        facts = _(
            "{level} · ages {ages} ({stages}) · {people} people · reached {reach} "
            "({coverage}) · cost {cost}"
        ).format(
            level=self._level(cov.prevention_level.value),
            ages=_ages(p.age_min, p.age_max),
            stages=stages,
            people=n.count(cov.size),
            reach=n.count(cov.reach),
            coverage=n.share(cov.coverage),
            cost=n.money(cov.cost),
        )
        self.para(facts, 9, "", GREY)
        self.mix_table(s.mix)
        self.delivery_notes(s)
        self.programmes(s)
        if s.activities:
            self.h3(_("Activities in the plan"), keep=22, context=cov.name)
            rows: list[list[Cell]] = []
            for line in s.activities:
                a = line.activity
                who = "; ".join(x for x in (a.executor, a.schedule) if x)
                rows.append(
                    [
                        a.name or a.id,
                        "; ".join(self.label(Kind.STRATEGY, x) for x in line.strategies),
                        n.count(a.reach),
                        n.count(a.target_reach) if a.target_reach is not None else "—",
                        n.money(a.cost),
                        who,
                    ]
                )
            self.table(
                [
                    Column(_("Activity"), 42),
                    Column(_("Strategies delivered"), 48),
                    Column(_("Reach"), 16, "RIGHT"),
                    Column(_("Target"), 16, "RIGHT"),
                    Column(_("Cost"), 18, "RIGHT"),
                    Column(_("Executor; schedule"), 34),
                ],
                rows,
                size=8,
            )
        if s.warnings:
            self.h3(_("Warnings"), keep=16, context=cov.name)
            items = []
            for w in s.warnings:
                title = self.label("warnings", w.code, "title")
                items.append(f"{title}: {w.message} ({', '.join(w.sources)})")
            self.bullets(items, 8.5)

    def delivery_notes(self, s: PopulationSection) -> None:
        """How to deliver what is recommended: the information mode of the level (VI-3.2.1),
        what works for each recommended intervention (the Standards), and how to apply the
        clauses where the SCO texts and the Standards pull apart."""
        rec, name = s.recommendation, s.coverage.name
        mode = rec.information_mode
        self.para(
            _("Information at this level ({clause}): {text}").format(
                clause=mode.clause, text=self.rules.ref_text_in(mode.clause) or mode.text
            ),
            8.5,
            "",
            GREY,
        )
        works = [
            f"{i.label} ({i.clause}): " + " ".join(facts)
            for i in rec.interventions
            if (facts := what_works(self.rules, i.evidence.standards, current_language()))
        ]
        if works:
            self.h3(_("What works in delivery (UNODC/WHO Standards)"), keep=16, context=name)
            self.bullets(works, 8.5)
        if rec.notes:
            self.h3(
                _("How to apply (the SCO texts and the UNODC/WHO Standards)"), keep=16, context=name
            )
            self.bullets(
                [
                    f"{note.title}: {note.text} ({', '.join(note.sources)}; "
                    + _("Standards {items}").format(items=", ".join(note.standards))
                    + ")"
                    for note in rec.notes
                ],
                8.5,
            )

    def programmes(self, s: PopulationSection) -> None:
        """The catalogue programmes named for the population's recommended interventions."""
        from prevplan.catalogue.present import NONE_FITS, recommendation_rows

        self.h3(_("Named programmes"), keep=22, context=s.coverage.name)
        rows = recommendation_rows(s.population, s.recommendation, self.c.plan)
        if not rows:
            self.note(_(NONE_FITS))
            return
        cells: list[list[Cell]] = [
            [r[0], self.label(Kind.INTERVENTION, r[1]), r[2], r[3], r[4], r[5]] for r in rows
        ]
        self.table(
            [
                Column(_("Programme"), 40),
                Column(_("Intervention"), 30),
                Column(_("Verdict"), 18),
                Column(_("Dose"), 30),
                Column(_("Deliverers"), 28),
                Column(_("Cost per participant"), 28),
            ],
            cells,
            size=7.5,
        )

    def mix_table(self, mix: Sequence[MixRow]) -> None:
        if not mix:
            self.note(_("No strategy is recommended or delivered for this population."))
            return
        rows: list[list[Cell]] = []
        for m in mix:
            if m.basis is Basis.STATED:
                basis: Cell = (_("Stated in the text"), STATED)
            elif m.basis is Basis.INFERRED:
                basis = (_("Inferred by prevplan"), INFERRED)
            else:
                basis = "—"
            if m.delivered_by:
                delivered: Cell = "✓ " + _names(m.delivered_by)
            else:
                delivered = (_("Not in the plan"), MISSING)
            rationale = m.rationale or _(
                "Not recommended for this population; the plan delivers it."
            )
            rows.append(
                [
                    str(m.priority) if m.priority is not None else "—",
                    f"{self.label(Kind.STRATEGY, m.strategy_id)} ({m.clause})",
                    _kind(m.kind),
                    basis,
                    rationale,
                    ", ".join(m.sources),
                    delivered,
                ]
            )
        self.table(
            [
                Column("#", 6, "CENTER"),
                Column(_("Strategy"), 30),
                Column(_("Kind"), 17),
                Column(_("Basis"), 18),
                Column(_("Why"), 40),
                Column(_("Clauses"), 27),
                Column(_("In this plan"), 36),
            ],
            rows,
            size=8,
        )

    def gaps(self) -> None:
        self.h1(_("Gaps and warnings"))
        warnings = self.c.assessment.warnings
        if not warnings:
            self.para(_("The assessment found no gaps."))
        else:
            self.para(
                _(
                    "Every warning the assessment raises, by population, with the clauses it "
                    "rests on."
                ),
                9,
                "",
                GREY,
            )
            names = {p.population_id: p.name for p in self.c.assessment.coverage.populations}
            acts = {a.id: a.name or a.id for a in self.c.plan.activities}
            rows: list[list[Cell]] = []
            for w in warnings:
                where = names.get(w.population_id, w.population_id) if w.population_id else "—"
                if w.activity_id:
                    where += " / " + acts.get(w.activity_id, w.activity_id)
                title = self.label("warnings", w.code, "title")
                rows.append(
                    [
                        where or "—",
                        (title, FontFace(emphasis="BOLD")),
                        w.message,
                        ", ".join(w.sources),
                    ]
                )
            self.table(
                [
                    Column(_("Population / activity"), 34),
                    Column(_("Warning"), 30),
                    Column(_("What it means"), 82),
                    Column(_("Clauses"), 28),
                ],
                rows,
                size=8,
            )
        unused = [
            s
            for s in self.rules.strategies.values()
            if not self.c.assessment.coverage.strategies.get(s.clause, 0)
        ]
        if unused:
            self.h2(_("Strategies no population receives"), keep=30)
            self.table(
                [Column(_("Strategy"), 70), Column(_("Kind"), 40), Column(_("Clause"), 64)],
                [
                    [
                        self.label(Kind.STRATEGY, s.id),
                        _kind(s.kind),
                        s.clause,
                    ]
                    for s in unused
                ],
            )

    def action_items(self) -> None:
        self.h1(_("Program of Actions (Annex V)"))
        items = self.c.action_items
        served = [i for i in items if i.served]
        self.para(
            ngettext(
                "{served} of {total} item of the Program of Actions is served by at least one "
                "activity of the plan.",
                "{served} of {total} items of the Program of Actions are served by at least one "
                "activity of the plan.",
                len(items),
            ).format(served=self.n.count(len(served)), total=self.n.count(len(items))),
            9.5,
        )
        self.chart("action_items")
        status = {
            "not_started": _("not started"),
            "in_progress": _("in progress"),
            "done": _("done"),
        }

        def tracker(item: ActionItemLine) -> str:
            return status.get(item.tracker_status or "", item.tracker_status or "—")

        self.h2(_("Items served"), keep=50)
        if served:
            self.table(
                [
                    Column(_("Ref"), 15),
                    Column(_("Item"), 62),
                    Column(_("Activities"), 75),
                    Column(_("Status"), 22),
                ],
                [
                    [i.ref, self.label("action_items", i.ref), _names(i.activities, 6), tracker(i)]
                    for i in served
                ],
                size=8,
            )
        else:
            self.para(_("No item is served by the plan."))
        areas = self.rules.focus_areas

        def area_label(ref: str) -> str:
            return self.label("focus_areas", ref) if ref in areas else ref

        unserved = [i for i in self.c.prevention_items if not i.served]
        if unserved:
            self.h2(_("Prevention and treatment items not served (V-3, V-4)"), keep=50)
            self.para(
                _(
                    "The items of the Program of Actions a prevention plan answers for: "
                    "prevention (V-3) and treatment and rehabilitation (V-4)."
                ),
                9,
                "",
                GREY,
            )
            self.table(
                [
                    Column(_("Ref"), 15),
                    Column(_("Item"), 95),
                    Column(_("Focus area"), 42),
                    Column(_("Status"), 22),
                ],
                [
                    [
                        (i.ref, MISSING),
                        (self.label("action_items", i.ref), MISSING),
                        area_label(i.focus_area),
                        tracker(i),
                    ]
                    for i in unserved
                ],
                size=8,
            )
        others: dict[str, list[ActionItemLine]] = {}
        for i in items:
            if i.focus_area not in self.c.prevention_focus_areas:
                others.setdefault(i.focus_area, []).append(i)
        if others:
            self.h2(_("Other focus areas"), keep=45)
            self.para(
                _(
                    "Law enforcement, new substances, international cooperation and "
                    "monitoring: usually served by other programmes than a prevention plan."
                ),
                9,
                "",
                GREY,
            )
            self.table(
                [
                    Column(_("Focus area"), 50),
                    Column(_("Served"), 18, "RIGHT"),
                    Column(_("Items not served"), 106),
                ],
                [
                    [
                        f"{area_label(ref)} ({ref})",
                        f"{self.n.count(sum(1 for i in group if i.served))} / "
                        f"{self.n.count(len(group))}",
                        ", ".join(i.ref for i in group if not i.served) or "—",
                    ]
                    for ref, group in others.items()
                ],
                size=8,
            )

    def costs(self) -> None:
        self.h1(_("Costs"))
        n = self.n
        self.para(
            _(
                "Costs are in the plan's currency; the headline is the cost per person "
                "effectively reached. An activity's whole cost stands against each strategy it "
                "delivers, so the strategy lines overlap and do not add up to the plan's cost; "
                "a prevention level carries the whole cost of its populations."
            ),
            9,
            "",
            GREY,
        )
        lines = self.c.assessment.costs
        strategies = self.rules.strategies
        self.h2(_("By strategy"), keep=50)
        self.table(
            [
                Column(_("Strategy"), 50),
                Column(_("Clause"), 18),
                Column(_("Kind"), 20),
                Column(_("Cost of its activities"), 24, "RIGHT"),
                Column(_("People effectively reached"), 22, "RIGHT"),
                Column(_("Cost per person effectively reached"), 22, "RIGHT"),
                Column(_("Cost per person reached"), 18, "RIGHT"),
            ],
            [
                [
                    self.label(Kind.STRATEGY, c.id),
                    c.clause,
                    _kind(strategies[c.id].kind) if c.id in strategies else "",
                    n.money(c.cost),
                    n.count(c.effective_reach),
                    n.per_person(c.cost_per_effective_person),
                    n.per_person(c.cost_per_person),
                ]
                for c in lines
                if c.group == "strategy"
            ],
        )
        self.h2(_("By prevention level"), keep=40)
        t = self.c.assessment.totals
        self.table(
            [
                Column(_("Prevention level"), 60),
                Column(_("Clause"), 18),
                Column(_("Cost"), 24, "RIGHT"),
                Column(_("People effectively reached"), 26, "RIGHT"),
                Column(_("Cost per person effectively reached"), 24, "RIGHT"),
                Column(_("Cost per person reached"), 22, "RIGHT"),
            ],
            [
                [
                    self._level(c.id),
                    c.clause,
                    n.money(c.cost),
                    n.count(c.effective_reach),
                    n.per_person(c.cost_per_effective_person),
                    n.per_person(c.cost_per_person),
                ]
                for c in lines
                if c.group == "level"
            ],
            total=[
                _("All levels"),
                "",
                n.money(t.cost),
                n.count(t.effective_reach),
                n.per_person(t.cost_per_effective_person),
                n.per_person(t.cost_per_person),
            ],
        )
        self.chart("cost_per_person", title=_("Cost per person effectively reached"))

    def clauses(self) -> None:
        self.h1(_("Clauses cited"))
        self.para(
            _(
                "The clauses this report cites, with an excerpt of the encoded source text "
                "(Annex VI: the Concept; Annex V: the Program of Actions; Annex IV: the "
                "Strategy)."
            ),
            9,
            "",
            GREY,
        )
        pdf = self.pdf
        for ref in self.c.cited:
            official = self.rules.official_text(ref)
            text = official.text if official else self.rules.ref_text_in(ref) or ""
            if len(text) > CLAUSE_EXCERPT_CHARS:
                text = text[:CLAUSE_EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
            if pdf.will_page_break(14):
                pdf.add_page()
            self.font(8.5, "B", BLUE)
            pdf.cell(22, 4.2, ref)
            self.font(8.5, "B", INK)
            pdf.multi_cell(
                0, 4.2, self.rules.ref_label_in(ref), align="L", new_x="LMARGIN", new_y="NEXT"
            )
            self.font(8, "", GREY)
            pdf.set_x(pdf.l_margin + 22)
            pdf.multi_cell(0, 3.8, text, align="L", new_x="LMARGIN", new_y="NEXT")
            if official:
                pdf.set_x(pdf.l_margin + 22)
                origin = _("Official text: {origin}").format(origin=official.source)
                pdf.multi_cell(0, 3.8, origin, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.6)
        self.font(BODY_PT)
