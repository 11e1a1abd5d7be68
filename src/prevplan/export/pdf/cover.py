"""The title page of the PDF report: the plan, the SCO Concept in brief, how to read the
report, and lines for the approving official's signature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from prevplan.export.pdf.style import (
    BLUE,
    GREY,
    INFERRED,
    INK,
    STATED,
)
from prevplan.export.pdf.wording import one_full_stop, prevplan_version
from prevplan.export.pdf.writer import Column, ReportWriter
from prevplan.i18n import N_, _


@dataclass(frozen=True)
class CoverKind:
    """How a kind of report sets its title page: the name's size and line, the facts' labels."""

    heading: str
    """The line above the plan's name, untranslated (``N_``)."""
    name_size: float
    name_line: float
    label_width: float


PLAN_REPORT: Final = CoverKind(N_("Drug-use prevention plan — report for approval"), 26, 11, 32)
ANNUAL_REPORT: Final = CoverKind(
    N_("Annual report on the implementation of the Program of Actions"), 24, 10, 42
)


def heading(
    r: ReportWriter, kind: CoverKind, name: str, facts: Sequence[tuple[str, str | None]]
) -> None:
    """A new page with the band, the kind of report, the plan's name and its facts (a fact
    without a value is left out)."""
    pdf = r.pdf
    pdf.add_page()
    pdf.set_fill_color(*BLUE)
    pdf.rect(0, 0, pdf.w, 12, style="F")
    pdf.set_y(34)
    r.font(11, "B", BLUE)
    pdf.multi_cell(0, 6, _(kind.heading), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    r.font(kind.name_size, "B", INK)
    pdf.multi_cell(0, kind.name_line, name, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for label, value in facts:
        if not value:
            continue
        r.font(11, "", GREY)
        pdf.cell(kind.label_width, 6.5, label)
        r.font(11, "B", INK)
        pdf.multi_cell(0, 6.5, value, align="L", new_x="LMARGIN", new_y="NEXT")


def write(r: ReportWriter) -> None:
    """The title page: the plan and its key facts, the Concept in brief, the marks, signatures."""
    pdf = r.pdf
    plan = r.c.plan
    facts = [
        (_("Country"), plan.country),
        (_("Region"), plan.region),
        (_("Period"), plan.period),
        (_("Report date"), r.n.day(r.today)),
    ]
    heading(r, PLAN_REPORT, plan.name, facts)
    t = r.c.assessment.totals
    pdf.ln(2)
    r.para(
        _("{pops} target populations · {people} people · {acts} activities").format(
            pops=r.n.count(t.populations),
            people=r.n.count(t.people),
            acts=r.n.count(t.activities),
        ),
        11,
        "",
        GREY,
    )
    if plan.description:
        pdf.ln(2)
        r.para(plan.description, 10.5)
    pdf.ln(6)
    r.font(11, "B", BLUE)
    pdf.multi_cell(0, 6, _("About the SCO Concept"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    r.para(
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
    r.font(11, "B", BLUE)
    pdf.multi_cell(0, 6, _("How to read this report"), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    r.para(
        _(
            "Every recommendation and warning cites the clauses it rests on: VI-3.1.1 is "
            "Annex VI, section 3.1.1; V-3.5 is item 3.5 of the Program of Actions; #2 "
            "is the second bullet of a clause and #p2 its second paragraph. The clauses "
            "are quoted at the end of the report. Each recommended strategy is marked:"
        ),
        9.5,
    )
    r.table(
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
    pdf.set_y(max(pdf.get_y() + 4, pdf.h - (70 if r.approval else 52)))
    r.font(9, "", GREY)
    prepared = one_full_stop(
        _("Prepared with prevplan {version} on {date}.").format(
            version=prevplan_version(), date=r.n.day(r.today)
        )
    )
    pdf.multi_cell(0, 5, prepared.replace("  ", " "), align="L", new_x="LMARGIN", new_y="NEXT")
    stamp = r.approval
    if stamp is not None:
        pdf.ln(1)
        r.font(10, "B", BLUE)
        day = r.n.day(stamp.at.date())
        pdf.multi_cell(
            0, 5, one_full_stop(stamp.sentence(day)), align="L", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(3)
    r.font(10, "", INK)
    filled = {_("Approved by"): stamp.by} if stamp is not None else {}
    for label in (_("Approved by"), _("Position"), _("Date and signature")):
        pdf.cell(45, 8, label)
        if label in filled:
            pdf.cell(95, 8, filled[label])
            pdf.set_x(pdf.l_margin)
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.2)
        y = pdf.get_y() + 6.5
        pdf.line(pdf.l_margin + 45, y, pdf.l_margin + 140, y)
        pdf.ln(8)
