"""The names of surveyed indicators, in the reader's language.

Risk and protective factors are the Concept's own (VI-1.2.1 … VI-1.3.4): their labels come
from the rules. Use indicators are survey measures the Concept does not define (V-3.4 asks
for sociological surveys of the drug situation); their names are prevplan's words.
"""

from __future__ import annotations

from typing import Final

from prevplan.i18n import N_, _
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind

USE_LABELS: Final = {
    "lifetime": N_("Ever used an illicit drug"),
    "past_year": N_("Used an illicit drug in the past year"),
    "past_30_day": N_("Used an illicit drug in the past 30 days"),
    "perceived_risk": N_("Sees great risk in regular drug use"),
    "age_first_use": N_("Mean age at first use (years)"),
}


def indicator_label(rules: RuleSet, indicator: str, lang: str | None = None) -> str:
    """``risk_factors.family`` → "Family risk factors" (in ``lang``)."""
    group, _sep, name = indicator.partition(".")
    if group == "risk_factors":
        return rules.label(Kind.RISK_FACTOR, name, lang)
    if group == "protective_factors":
        return rules.label(Kind.PROTECTIVE_FACTOR, name, lang)
    if group == "use" and name in USE_LABELS:
        return _(USE_LABELS[name], lang)
    return indicator


def is_share(indicator: str) -> bool:
    """Whether the indicator is a share 0–1 (the age of first use is in years)."""
    return indicator != "use.age_first_use"
