"""A fidelity checklist as one line of text, for grids and spreadsheets.

Fidelity — how far a programme was delivered as designed — is what EDPQS and Getting To
Outcomes' process evaluation (step 7) ask a provider to monitor; a checklist of the
programme's core components (all lessons held, a trained deliverer, interactive methods …)
is the usual way to measure it. In a table cell the checklist is written
``all_lessons=yes; trained_teacher=yes; role_play=no``: components separated by ``;``, each
with ``yes`` or ``no`` (in any of prevplan's languages, or ``1``/``0``, ``true``/``false``;
the full-width ``；`` and ``＝`` of Chinese input are read as ``;`` and ``=``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from prevplan.i18n import N_, _

YES: Final = N_("yes")
NO: Final = N_("no")

_YES: Final = frozenset({"yes", "y", "1", "true", "да", "д", "是", "是的"})
_NO: Final = frozenset({"no", "n", "0", "false", "нет", "н", "否", "不是"})

BAD_PART: Final = N_(
    "expected components written component=yes or component=no, separated by ';'; got '{part}'"
)


def checklist_text(checklist: Mapping[str, bool]) -> str:
    """``{"all_lessons": True, "role_play": False}`` → ``all_lessons=yes; role_play=no``
    (yes and no in the reader's language)."""
    return "; ".join(f"{name}={_(YES) if done else _(NO)}" for name, done in checklist.items())


def parse_checklist(text: str) -> dict[str, bool]:
    """The checklist a cell holds (blank: none). Raises :class:`ValueError` with the reason,
    in the reader's language, for a part that is not ``component=yes|no``."""
    found: dict[str, bool] = {}
    for part in text.replace("；", ";").replace("＝", "=").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        word = value.strip().casefold()
        if (
            not sep
            or not name.strip()
            or word not in _YES | _NO | {_(YES).casefold(), _(NO).casefold()}
        ):
            raise ValueError(_(BAD_PART).format(part=part.strip()))
        found[name.strip()] = word in _YES or word == _(YES).casefold()
    return found
