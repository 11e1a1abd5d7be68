"""Local survey microdata turned into the risk and protective shares that drive priorities.

The Concept builds prevention on the risk and protective factors of each population (VI-1.1,
VI-1.2, VI-1.3) and the Program of Actions asks for sociological surveys of the drug
situation (V-3.4). Communities That Care and Planet Youth survey pupils every two years and
compare each community's factors with the national or regional figure. This package reads
one row per respondent with a weight column (CSV or Excel) and a definitions file that maps
items and cut-points to the six risk factors, the four protective factors and use
indicators (:mod:`prevplan.survey.definitions`), estimates weighted shares per group with
95 % intervals, suppresses groups smaller than the minimum cell size
(:mod:`prevplan.survey.estimate`), and writes the shares into a plan's populations with the
survey and period recorded (:mod:`prevplan.survey.apply`).
"""

from prevplan.survey.definitions import SurveyDefinitions, read_definitions
from prevplan.survey.estimate import SurveyReport, estimate
from prevplan.survey.read import read_survey

__all__ = ["SurveyDefinitions", "SurveyReport", "estimate", "read_definitions", "read_survey"]
