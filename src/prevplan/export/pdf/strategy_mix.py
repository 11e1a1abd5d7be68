"""The recommended strategy mix by population, in the PDF report: per population, the
strategies the Concept recommends (VI-3.1 fundamental, VI-3.2 supporting), each marked as
*stated* in the SCO text or *inferred* by prevplan, beside the activities that deliver them;
how to deliver them (the information mode, the UNODC/WHO Standards); the named programmes that
fit; the plan's activities and the population's warnings."""

from __future__ import annotations

from collections.abc import Sequence

from prevplan.engine.evidence import delivery_facts, what_works
from prevplan.engine.models import InterventionRecommendation, Recommendation
from prevplan.export.pdf.style import (
    BLUE,
    GREY,
    INFERRED,
    MISSING,
    STATED,
)
from prevplan.export.pdf.wording import activity_names, age_range, kind_word
from prevplan.export.pdf.writer import Cell, Column, ReportWriter
from prevplan.export.report import MixRow, PopulationSection
from prevplan.i18n import _, current_language
from prevplan.present.labels import extrapolation_text
from prevplan.rules.models import Kind
from prevplan.vocab import Basis


def write(r: ReportWriter) -> None:
    """The strategy mix section: a chart for all populations, then one part per population."""
    r.h1(_("Recommended strategy mix by population"))
    r.para(
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
    r.chart("strategies", title=_("All populations: people reached by each strategy"))
    for section in r.c.sections:
        _population_section(r, section)


def _population_section(r: ReportWriter, s: PopulationSection) -> None:
    n = r.n
    p, cov = s.population, s.coverage
    pdf = r.pdf
    if pdf.will_page_break(80):
        pdf.add_page()
    else:
        pdf.ln(4)
    title = cov.name if cov.name == p.id else f"{cov.name}"
    pdf.start_section(title, level=1)
    r.font(12.5, "B", BLUE)
    pdf.multi_cell(0, 6.5, title, align="L", new_x="LMARGIN", new_y="NEXT")
    stages = "; ".join(r.label(Kind.AGE_STAGE, st) for st in cov.age_stages)
    template = (
        _(
            "{level} · ages {ages} ({stages}) · {people} people · reached {reach} "
            "({coverage}) · cost {cost}"
        )
        if s.activities
        else _("{level} · ages {ages} ({stages}) · {people} people · no activity in the plan yet")
    )
    facts = template.format(
        level=r.level_label(cov.prevention_level.value),
        ages=age_range(p.age_min, p.age_max),
        stages=stages,
        people=n.count(cov.size),
        reach=n.count(cov.reach),
        coverage=n.share(cov.coverage),
        cost=n.money(cov.cost),
    )
    r.para(facts, 9, "", GREY)
    _mix_table(r, s.mix)
    _delivery_notes(r, s)
    _programmes(r, s)
    if s.activities:
        r.h3(_("Activities in the plan"), keep=22, context=cov.name)
        rows: list[list[Cell]] = []
        for line in s.activities:
            a = line.activity
            who = "; ".join(x for x in (a.executor, a.schedule) if x)
            rows.append(
                [
                    a.name or a.id,
                    "; ".join(r.label(Kind.STRATEGY, x) for x in line.strategies),
                    n.count(a.reach),
                    n.count(a.target_reach) if a.target_reach is not None else "—",
                    n.money(a.cost),
                    who,
                ]
            )
        r.table(
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
        r.h3(_("Warnings"), keep=16, context=cov.name)
        items = []
        for w in s.warnings:
            title = r.label("warnings", w.code, "title")
            items.append(f"{title}: {w.message} ({', '.join(w.sources)})")
        r.bullets(items, 8.5)


def _delivery_notes(r: ReportWriter, s: PopulationSection) -> None:
    """How to deliver what is recommended: the information mode of the level (VI-3.2.1),
    what works for each recommended intervention (the Standards), and how to apply the
    clauses where the SCO texts and the Standards pull apart."""
    rec, name = s.recommendation, s.coverage.name
    mode = rec.information_mode
    r.para(
        _("Information at this level ({clause}): {text}").format(
            clause=mode.clause, text=r.rules.ref_text_in(mode.clause) or mode.text
        ),
        8.5,
        "",
        GREY,
    )
    works = [_delivery_line(r, i, rec) for i in rec.interventions]
    works = [line for line in works if line]
    if works:
        r.h3(_("What works in delivery (UNODC/WHO Standards)"), keep=16, context=name)
        r.bullets(works, 8.5)
    if rec.notes:
        r.h3(_("How to apply (the SCO texts and the UNODC/WHO Standards)"), keep=16, context=name)
        r.bullets(
            [
                f"{note.title}: {note.text} ({', '.join(note.sources)}; "
                + _("Standards {items}").format(items=", ".join(note.standards))
                + ")"
                for note in rec.notes
            ],
            8.5,
        )


def _delivery_line(r: ReportWriter, item: InterventionRecommendation, rec: Recommendation) -> str:
    """What works in delivering an intervention, where the Standards rated it for the
    population; where they rated it for other ages or levels only, that it is extrapolated
    and has no delivery facts here (:func:`~prevplan.engine.evidence.delivery_facts`)."""
    head = f"{item.label} ({item.clause}): "
    age_stages = item.age_stages or rec.age_stages
    level = rec.prevention_level.value
    facts = delivery_facts(r.rules, item.evidence, age_stages, level, current_language())
    if not facts and not what_works(r.rules, item.evidence.standards, current_language()):
        return ""  # the Standards give none for it, whoever it is for
    if not item.evidence.extrapolated:
        return head + " ".join(facts)
    scope = extrapolation_text(r.rules, item.evidence.standards, age_stages)
    if facts:
        return head + " ".join(facts) + f" ({scope})"
    return head + _(
        "{extrapolation}; no delivery facts of the Standards for this population."
    ).format(extrapolation=scope)


def _programmes(r: ReportWriter, s: PopulationSection) -> None:
    """The catalogue programmes named for the population's recommended interventions."""
    from prevplan.catalogue.present import NONE_FITS, recommendation_rows

    r.h3(_("Named programmes"), keep=22, context=s.coverage.name)
    rows = recommendation_rows(s.population, s.recommendation, r.c.plan)
    if not rows:
        r.note(_(NONE_FITS))
        return
    cells: list[list[Cell]] = [
        [row[0], r.label(Kind.INTERVENTION, row[1]), row[2], row[3], row[4], row[5]] for row in rows
    ]
    r.table(
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


def _mix_table(r: ReportWriter, mix: Sequence[MixRow]) -> None:
    if not mix:
        r.note(_("No strategy is recommended or delivered for this population."))
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
            delivered: Cell = "✓ " + activity_names(m.delivered_by)
        else:
            delivered = (_("Not in the plan"), MISSING)
        rationale = m.rationale or _("Not recommended for this population; the plan delivers it.")
        rows.append(
            [
                str(m.priority) if m.priority is not None else "—",
                f"{r.label(Kind.STRATEGY, m.strategy_id)} ({m.clause})",
                kind_word(m.kind),
                basis,
                rationale,
                ", ".join(m.sources),
                delivered,
            ]
        )
    r.table(
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
