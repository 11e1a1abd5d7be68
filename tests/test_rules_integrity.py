"""The knowledge base hangs together: ids, references, relations, sources."""

from __future__ import annotations

import itertools

from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.vocab import Basis, StrategyKind


def test_nine_strategies_five_fundamental_four_supporting(rules: RuleSet) -> None:
    kinds = [s.kind for s in rules.strategies.values()]
    assert kinds.count(StrategyKind.FUNDAMENTAL) == 5
    assert kinds.count(StrategyKind.SUPPORTING) == 4
    assert {s.clause for s in rules.strategies.values()} == {
        *(f"VI-3.1.{n}" for n in range(1, 6)),
        *(f"VI-3.2.{n}" for n in range(1, 5)),
    }


def test_every_citation_resolves(rules: RuleSet) -> None:
    """No rule cites a clause that is not in the encoded sources."""
    cited = [ref for link in rules.links for ref in link.relation.sources]
    for kind in Kind:
        if kind is Kind.ACTION_ITEM:
            continue
        for entity in rules.entities[kind].values():
            cited += entity.clauses
    cited += [ref for w in rules.warning_definitions.values() for ref in w.sources]
    assert cited
    assert [ref for ref in cited if not rules.ref_exists(ref)] == []


def test_every_relation_has_a_source_and_inferred_ones_a_reason(rules: RuleSet) -> None:
    for link in rules.links:
        assert link.relation.sources
        if link.relation.basis is Basis.INFERRED:
            assert link.relation.justification


def test_both_kinds_of_basis_are_used(rules: RuleSet) -> None:
    bases = {link.relation.basis for link in rules.links}
    assert bases == {Basis.STATED, Basis.INFERRED}


def test_every_prevention_and_treatment_action_item_takes_part_in_a_relation(
    rules: RuleSet,
) -> None:
    """Annex V items 3.x and 4.x are served by some strategy, intervention or level."""
    objects = {link.object for link in rules.links if link.object_kind is Kind.ACTION_ITEM}
    wanted = [ref for ref in rules.action_items if ref.startswith(("V-3.", "V-4."))]
    assert len(wanted) == 11
    assert [ref for ref in wanted if ref not in objects] == []


def test_every_strategy_and_intervention_has_an_evidence_crosswalk(rules: RuleSet) -> None:
    for strategy_id in rules.strategies:
        assert f"strategy:{strategy_id}" in rules.crosswalk
    for intervention_id in rules.interventions:
        assert f"intervention:{intervention_id}" in rules.crosswalk


def test_every_risk_group_maps_to_one_level(rules: RuleSet) -> None:
    for group in rules.ids(Kind.RISK_GROUP):
        assert len(rules.objects(Kind.RISK_GROUP, Kind.LEVEL, group)) == 1


def test_age_stages_cover_every_age_without_gaps(rules: RuleSet) -> None:
    stages = sorted(rules.age_stages.values(), key=lambda s: s.age_min)
    assert stages[0].age_min == 0
    assert stages[-1].age_max == 120
    for before, after in itertools.pairwise(stages):
        assert after.age_min == before.age_max + 1
