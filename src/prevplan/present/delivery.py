"""How an activity is delivered, in words: formats and practices (interfaces §3).

The UNODC/WHO Standards judge prevention as much by *how* it is delivered as by *what* it
delivers: interactive, structured series of sessions with boosters by trained deliverers
work; one-off lectures, fear appeals, testimonies of former users and drug testing do not.
An activity records this in its delivery fields (:mod:`prevplan.plan.models`); this module
gives the words for them in the reader's language, for the app, the workbooks and reports.
"""

from __future__ import annotations

from typing import Final

from prevplan.i18n import N_, _
from prevplan.plan.models import ActivityFormat, Practice

FORMAT_LABELS: Final[dict[ActivityFormat, str]] = {
    ActivityFormat.INTERACTIVE: N_("Interactive sessions"),
    ActivityFormat.LECTURE: N_("Lecture or talk"),
    ActivityFormat.ONE_TO_ONE: N_("One-to-one work"),
    ActivityFormat.CAMPAIGN: N_("Media campaign"),
    ActivityFormat.POLICY: N_("Policy or rules"),
    ActivityFormat.EVENT: N_("Event (concert, action day)"),
    ActivityFormat.SCREENING: N_("Screening and brief intervention"),
    ActivityFormat.TRAINING: N_("Training of specialists"),
    ActivityFormat.MATERIALS: N_("Printed or online materials"),
    ActivityFormat.SURVEY: N_("Survey or research"),
}

PRACTICE_LABELS: Final[dict[Practice, str]] = {
    Practice.FEAR_APPEAL: N_("Fear appeals"),
    Practice.EX_USER_TESTIMONY: N_("Testimonies of former users"),
    Practice.DRUG_TESTING: N_("Drug testing"),
}

FIELD_LABELS: Final[dict[str, str]] = {
    "format": N_("Format"),
    "sessions": N_("Sessions"),
    "boosters": N_("Booster sessions"),
    "deliverers_trained": N_("Deliverers trained"),
    "practices": N_("Practices"),
    "programme": N_("Programme"),
}
"""The delivery fields' names, as tables and problems show them."""


def format_label(value: ActivityFormat | str) -> str:
    """A format in words (an unknown value as it is)."""
    try:
        return _(FORMAT_LABELS[ActivityFormat(value)])
    except ValueError:
        return str(value)


def practice_label(value: Practice | str) -> str:
    """A practice in words (an unknown value as it is)."""
    try:
        return _(PRACTICE_LABELS[Practice(value)])
    except ValueError:
        return str(value)
