"""The closed vocabularies of prevplan's public interfaces.

These are the words a population file, a plan and the JSON output use (see the interfaces
reference): prevention levels of Annex VI section 2 and Table 1, the risk groups a planner
declares, the settings where people can be reached (the eight the Concept names, and the
prison, military service, university and online settings national plans also need), the six
risk-factor groups of VI-1.2 and the four protective-factor levels of VI-1.3, and the
special-risk groups of VI-1.2 / VI-4.1.
What each word means, and which clause it rests on, lives in ``concept_rules/``; Python only
holds the spelling so that input can be validated.
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    UNIVERSAL = "universal"
    SELECTIVE = "selective"
    SYMPTOMATIC = "symptomatic"
    TERTIARY = "tertiary"


class RiskGroup(StrEnum):
    GENERAL = "general"
    AT_RISK = "at_risk"
    EXPERIENCED_USE = "experienced_use"
    DEPENDENT = "dependent"


class Setting(StrEnum):
    FAMILY = "family"
    SCHOOL = "school"
    WORKPLACE = "workplace"
    COMMUNITY = "community"
    HEALTH_SERVICES = "health_services"
    MASS_MEDIA = "mass_media"
    ENTERTAINMENT_VENUES = "entertainment_venues"
    SPORT = "sport"
    PRISON = "prison"
    MILITARY = "military"
    UNIVERSITY = "university"
    ONLINE = "online"


class RiskFactor(StrEnum):
    FAMILY = "family"
    SCHOOL = "school"
    EARLY_PROBLEM_BEHAVIOUR = "early_problem_behaviour"
    ECONOMIC = "economic"
    PEERS = "peers"
    INDIVIDUAL_PREDISPOSITION = "individual_predisposition"


class ProtectiveFactor(StrEnum):
    INDIVIDUAL_RESOURCES = "individual_resources"
    PARENTS = "parents"
    AUTHORITATIVE_ADULTS = "authoritative_adults"
    PHYSICAL_ENVIRONMENT = "physical_environment"


class SpecialGroup(StrEnum):
    PREGNANT_WOMEN = "pregnant_women"
    MARGINAL_YOUTH = "marginal_youth"
    WAR_OR_DISASTER_AFFECTED = "war_or_disaster_affected"


class StrategyKind(StrEnum):
    FUNDAMENTAL = "fundamental"
    SUPPORTING = "supporting"


class Basis(StrEnum):
    """Whether the source text states a relation or prevplan infers it."""

    STATED = "stated"
    INFERRED = "inferred"
