"""The catalogue of named prevention programmes (interfaces §6) and what uses it.

It joins the registries planners consult (Blueprints, EUDA Xchange, WSIPP, CrimeSolutions,
the UNODC compilations) to the Concept: each programme says which interventions (VI-4) and
strategies (VI-3) it delivers, at which prevention levels (VI-2). :mod:`.models` holds the
records, :mod:`.loader` reads and checks them, :mod:`.match` names the programmes that fit
a recommendation, :mod:`.costs` converts costs between currencies and price years, and
:mod:`.judge` flags plans that use a programme badly.
"""

from prevplan.catalogue.loader import Catalogue, load_catalogue
from prevplan.catalogue.match import Target, for_interventions, matching, target_of
from prevplan.catalogue.models import Programme, Verdict

__all__ = [
    "Catalogue",
    "Programme",
    "Target",
    "Verdict",
    "for_interventions",
    "load_catalogue",
    "matching",
    "target_of",
]
