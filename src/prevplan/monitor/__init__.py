"""Following a plan through its periods: targets against actuals, fidelity, spending, trends.

Annex V asks member states to analyse the implementation of the Program every year and to
inform the SSO of it (V-6.6, V-6.7); Getting To Outcomes calls this process evaluation
(step 7), outcome evaluation (step 8) and continuous quality improvement (step 9), and
EDPQS standard 6.3 asks for monitoring of implementation. :func:`monitor` reads a plan's
periods, its activities' progress and its populations' survey results (interfaces §8) and
reports, per period, targets against actuals for every activity and population, spending
against the budget, fidelity, effective coverage, and the trend of every surveyed share, with
the warnings ``off_track``, ``low_fidelity``, ``overspent`` and ``rising_risk`` whose
thresholds and wording are rule data (``concept_rules/warnings.yaml``).
"""

from prevplan.monitor.compute import monitor
from prevplan.monitor.models import MonitorReport

__all__ = ["MonitorReport", "monitor"]
