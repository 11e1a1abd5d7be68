"""The approval a report carries: which stored version was approved, by whom and when.

A plan approved in prevplan (draft → submitted → approved, see
:mod:`prevplan.storage.workflow`) prints that fact on the report's title page — the version,
the approver as the sign-in named them, and the time in UTC — above the lines for a
handwritten signature, which a ministry may still require.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from prevplan.i18n import _


@dataclass(frozen=True)
class ApprovalStamp:
    """Version ``version`` of the plan was approved by ``by`` at ``at`` (UTC)."""

    version: int
    by: str
    at: datetime
    comment: str = ""

    def sentence(self, day: str) -> str:
        """The stamp as one sentence, ``day`` being the date in the report's language."""
        return _(
            "Version {version} of this plan was approved in prevplan by {who} on {day}, {time} UTC."
        ).format(version=self.version, who=self.by, day=day, time=self.at.strftime("%H:%M"))
