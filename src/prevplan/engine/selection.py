"""Scoring and choosing the mix of strategies (VI-3) and interventions (VI-4) for a profile.

A strategy or intervention is a candidate only if the rules relate it to the profile's
prevention level and to one of its age stages (and, where the planner named settings, to one
of them). Candidates are scored from the weights of those relations and of the relations to
the priority factors, using the points in ``prioritisation.yaml``. The mix keeps the best
fundamental strategies and adds supporting ones only beside them (VI-3.2), with at least two
strategies in all (VI-intro: one isolated strategy cannot remove vulnerability).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prevplan.engine.profile import Profile
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.rules.ruleset import Link
from prevplan.vocab import StrategyKind


@dataclass
class Candidate:
    """A strategy or intervention under consideration, with what speaks for it."""

    kind: Kind
    id: str
    order: int
    score: int = 0
    links: list[Link] = field(default_factory=list)
    settings: tuple[str, ...] = ()
    age_stages: tuple[str, ...] = ()
    settings_relaxed: bool = False
    special: bool = False

    def addresses(self) -> set[tuple[Kind, str]]:
        return {
            (link.object_kind, link.object)
            for link in self.links
            if link.object_kind in (Kind.RISK_FACTOR, Kind.PROTECTIVE_FACTOR)
        }


def _best(links: list[Link]) -> Link | None:
    return max(links, key=lambda link: link.relation.weight) if links else None


def evaluate(
    rules: RuleSet, kind: Kind, entity_id: str, order: int, profile: Profile, use_settings: bool
) -> Candidate | None:
    """Score one strategy or intervention for the profile; ``None`` when it does not fit."""
    scoring = rules.files.prioritisation.scoring
    cand = Candidate(kind=kind, id=entity_id, order=order)
    level = [
        link
        for link in rules.related(kind, Kind.LEVEL, entity_id)
        if link.object == profile.level.value
    ]
    stage_links = [
        link
        for link in rules.related(kind, Kind.AGE_STAGE, entity_id)
        if link.object in profile.age_stages
    ]
    best_level, best_stage = _best(level), _best(stage_links)
    if best_level is None or best_stage is None:
        return None
    cand.links += [best_level, *stage_links]
    cand.age_stages = tuple(
        s for s in profile.age_stages if any(k.object == s for k in stage_links)
    )
    cand.score += scoring.level * best_level.relation.weight
    cand.score += scoring.age_stage * best_stage.relation.weight
    setting_links = rules.related(kind, Kind.SETTING, entity_id)
    if profile.settings and use_settings:
        setting_links = [link for link in setting_links if link.object in profile.settings]
        if not setting_links:
            return None
        best_setting = _best(setting_links)
        assert best_setting is not None
        cand.score += scoring.setting * best_setting.relation.weight
        cand.links += setting_links
    elif profile.settings:
        cand.settings_relaxed = True
    cand.settings = tuple(
        sorted({link.object for link in setting_links}, key=rules.ids(Kind.SETTING).index)
    )
    for rank, (factor_kind, factor_id) in enumerate(profile.priorities):
        points = scoring.priority_rank[min(rank, len(scoring.priority_rank) - 1)]
        for link in rules.related(kind, factor_kind, entity_id):
            if link.object == factor_id:
                cand.score += points * link.relation.weight
                cand.links.append(link)
    return cand


def choose_strategies(rules: RuleSet, profile: Profile) -> list[Candidate]:
    """The ranked mix of fundamental and supporting strategies for the profile."""
    selection = rules.files.prioritisation.selection
    strategies = list(rules.strategies.values())
    found = [
        c
        for n, s in enumerate(strategies)
        if (c := evaluate(rules, Kind.STRATEGY, s.id, n, profile, use_settings=True)) is not None
    ]

    def ranked(kind: StrategyKind, pool: list[Candidate]) -> list[Candidate]:
        return sorted(
            (c for c in pool if rules.strategies[c.id].kind is kind),
            key=lambda c: (-c.score, c.order),
        )

    fundamental = ranked(StrategyKind.FUNDAMENTAL, found)
    if not fundamental:
        # No fundamental strategy fits the listed settings: propose the best one anyway,
        # marked as needing another setting, rather than supporting strategies alone.
        relaxed = [
            c
            for n, s in enumerate(strategies)
            if (c := evaluate(rules, Kind.STRATEGY, s.id, n, profile, use_settings=False))
            is not None
        ]
        fundamental = ranked(StrategyKind.FUNDAMENTAL, relaxed)
    supporting = ranked(StrategyKind.SUPPORTING, found)
    chosen = fundamental[: selection.max_fundamental]
    if chosen:
        chosen += supporting[: selection.max_supporting]
    rest = fundamental[selection.max_fundamental :] + supporting[selection.max_supporting :]
    rest.sort(key=lambda c: (-c.score, c.order))
    while chosen and len(chosen) < selection.min_strategies and rest:
        chosen.append(rest.pop(0))
    # Fundamental strategies lead: supporting ones work only beside them (VI-3.2).
    return sorted(
        chosen,
        key=lambda c: (rules.strategies[c.id].kind is StrategyKind.SUPPORTING, -c.score, c.order),
    )


def choose_interventions(
    rules: RuleSet, profile: Profile, strategies: list[Candidate]
) -> list[Candidate]:
    """The Section 4 interventions that fit the profile, best first."""
    chosen_strategies = {c.id for c in strategies}
    found: list[Candidate] = []
    for n, intervention in enumerate(rules.interventions.values()):
        cand = evaluate(rules, Kind.INTERVENTION, intervention.id, n, profile, use_settings=True)
        special = [
            link
            for group in profile.special_groups
            for link in rules.relating(Kind.SPECIAL_GROUP, Kind.INTERVENTION, intervention.id)
            if link.subject == group
        ]
        if cand is None and special:
            cand = evaluate(
                rules, Kind.INTERVENTION, intervention.id, n, profile, use_settings=False
            )
            if cand is None:
                cand = Candidate(kind=Kind.INTERVENTION, id=intervention.id, order=n)
                cand.settings = tuple(
                    sorted(
                        rules.objects(Kind.INTERVENTION, Kind.SETTING, intervention.id),
                        key=rules.ids(Kind.SETTING).index,
                    )
                )
        if cand is None:
            continue
        if special:
            cand.special = True
            cand.links += special
            cand.score += sum(3 * link.relation.weight for link in special)
        for link in rules.related(Kind.INTERVENTION, Kind.STRATEGY, intervention.id):
            if link.object in chosen_strategies:
                cand.score += link.relation.weight
                cand.links.append(link)
        found.append(cand)
    # Interventions the Concept names for a special group of the population come first.
    return sorted(found, key=lambda c: (not c.special, -c.score, c.order))
