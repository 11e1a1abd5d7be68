"""prevplan: drug-use prevention planning on the SCO Concept (Annex VI) and its Program of
Actions (Annex V).

Public API (interfaces reference §5): :func:`load_rules`, :func:`recommend`, :func:`assess`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prevplan.engine import Recommendation, recommend
from prevplan.population import TargetPopulation
from prevplan.rules import RuleSet, load_rules

if TYPE_CHECKING:
    from prevplan.plan.assess import assess

__all__ = ["Recommendation", "RuleSet", "TargetPopulation", "assess", "load_rules", "recommend"]


def __getattr__(name: str) -> Any:
    # The coverage analytics pull in more than the engine needs: import them on first use.
    if name == "assess":
        from prevplan.plan.assess import assess

        return assess
    raise AttributeError(name)
