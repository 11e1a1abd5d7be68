"""The app's pure helpers (no Streamlit): the population form, the activities table, the
tracker, the workshop comparison, the Concept explorer's items, plan filters and merges,
uploads and exports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from prevplan.engine import recommend
from prevplan.plan.io import plan_from_data, read_plan
from prevplan.plan.models import ActionStatus, Plan
from prevplan.population import TargetPopulation
from prevplan.problems import ProblemsError
from prevplan.rules import RuleSet
from prevplan.rules.models import Kind
from prevplan.ui import activity_table, concept, plans, population_form, tracker, workshop
from prevplan.ui.exports import export_bytes
from prevplan.ui.inventory_upload import read_upload
from prevplan.vocab import Basis


@pytest.fixture(scope="module")
def sample(rules: RuleSet) -> Plan:
    return read_plan(plans.SAMPLE_PLAN, rules)


# --- population form ----------------------------------------------------------------------


def test_form_round_trips_a_population_with_percentages(sample: Plan) -> None:
    """Shares are shown as percentages and come back as the same shares."""
    for population in sample.populations:
        values = population_form.values_from_population(population)
        result = population_form.validate(values, sample, editing=population.id)
        assert result.population == population


def test_form_reports_each_problem_under_its_field(sample: Plan) -> None:
    values = population_form.empty_values() | {
        "id": sample.populations[0].id,
        "age_min": 30,
        "age_max": 20,
    }
    problems = population_form.validate(values, sample).problems
    assert "already has the id" in " ".join(problems["id"])
    assert "above the oldest age" in " ".join(problems["age_min"])
    assert problems["size"] == ["required: please fill this in"]


def test_an_empty_factor_is_unknown_not_zero(sample: Plan) -> None:
    values = population_form.empty_values() | {
        "id": "new",
        "age_min": 12,
        "age_max": 14,
        "size": 10,
        "risk.peers": 0.0,
    }
    population = population_form.validate(values, sample).population
    assert population is not None
    assert population.risk_factors == {"peers": 0.0}  # zero was typed; the rest is unknown


def test_renaming_a_population_carries_its_activities(sample: Plan) -> None:
    served = next(p for p in sample.populations if sample.activities_for(p.id))
    renamed = served.model_copy(update={"id": "renamed"})
    plan = population_form.put_population(sample, renamed, replacing=served.id)
    assert plan.activities_for("renamed") and not plan.activities_for(served.id)


def test_deleting_a_population_deletes_its_activities(sample: Plan) -> None:
    served = next(p for p in sample.populations if sample.activities_for(p.id))
    plan = population_form.remove_population(sample, served.id)
    assert plan.population(served.id) is None and not plan.activities_for(served.id)


def test_duplicate_gets_a_free_id(sample: Plan) -> None:
    first = sample.populations[0]
    values = population_form.duplicate_values(sample, first)
    assert values["id"] == f"{first.id}-copy"
    assert population_form.validate(values, sample).population is not None


# --- activities table ---------------------------------------------------------------------


def test_activities_table_round_trips_the_plan(sample: Plan, rules: RuleSet) -> None:
    frame = activity_table.activities_frame(sample)
    records = activity_table.records_from_frame(frame, activity_table.settings_by_id(sample))
    result = activity_table.apply_table(sample, records, rules)
    assert result.plan == sample


def test_activities_table_problems_name_their_rows(sample: Plan, rules: RuleSet) -> None:
    frame = activity_table.activities_frame(sample)
    frame.loc[2, "population_id"] = "nobody"
    frame.loc[4, "reach"] = -3
    records = activity_table.records_from_frame(frame)
    result = activity_table.apply_table(sample, records, rules)
    assert result.plan is None
    assert sorted(result.rows) == [3, 5]
    rows = activity_table.row_problem_rows(result, frame)
    assert [r["Row"] for r in rows] == [3, 5]


def test_activities_table_keeps_how_each_activity_is_delivered(
    sample: Plan, rules: RuleSet
) -> None:
    frame = activity_table.activities_frame(sample)
    frame.loc[0, "format"] = "interactive"
    frame.loc[0, "sessions"] = 12
    frame.loc[0, "boosters"] = 3
    frame.loc[0, "deliverers_trained"] = True
    # A list in one cell, as the table editor holds it (pandas-stubs type cells as scalars).
    frame.at[1, "practices"] = ["fear_appeal", "ex_user_testimony"]  # type: ignore[assignment]
    frame.loc[1, "deliverers_trained"] = False
    records = activity_table.records_from_frame(frame, activity_table.settings_by_id(sample))
    result = activity_table.apply_table(sample, records, rules)
    assert result.plan is not None
    first, second = result.plan.activities[:2]
    assert (first.format, first.sessions, first.boosters, first.deliverers_trained) == (
        "interactive",
        12,
        3,
        True,
    )
    assert second.practices == ("fear_appeal", "ex_user_testimony")
    assert second.deliverers_trained is False
    again = activity_table.activities_frame(result.plan)
    assert again.loc[1, "practices"] == ["fear_appeal", "ex_user_testimony"]


def test_an_unknown_format_or_practice_is_named_with_its_row(sample: Plan, rules: RuleSet) -> None:
    frame = activity_table.activities_frame(sample)
    frame.loc[1, "format"] = "assembly"
    frame.at[3, "practices"] = ["scare"]  # type: ignore[assignment]  # a list cell, as above
    records = activity_table.records_from_frame(frame)
    result = activity_table.apply_table(sample, records, rules)
    assert result.plan is None
    assert sorted(result.rows) == [2, 4]
    by_field = {p.field: p.message for row in result.rows.values() for p in row}
    assert "interactive" in by_field["format"] and "assembly" in by_field["format"]
    assert "fear_appeal" in by_field["practices"] and "scare" in by_field["practices"]


def test_a_new_row_without_id_gets_one(sample: Plan, rules: RuleSet) -> None:
    frame = activity_table.activities_frame(sample)
    row: dict[str, Any] = {
        "name": "New",
        "population_id": sample.populations[0].id,
        "strategies": ["life_skills"],
        "interventions": [],
        "action_items": [],
    }
    frame.loc[len(frame)] = row
    records = activity_table.records_from_frame(frame)
    result = activity_table.apply_table(sample, records, rules)
    assert result.plan is not None
    assert result.plan.activities[-1].id == "activity-1"


# --- tracker ------------------------------------------------------------------------------


def test_tracker_lists_every_item_with_its_source_columns(sample: Plan, rules: RuleSet) -> None:
    from prevplan.plan.assess import assess

    rows = tracker.tracker_rows(sample, assess(sample, rules), rules)
    assert [r.ref for r in rows] == list(rules.action_items)
    served = [r for r in rows if r.activities]
    assert served, "the sample plan serves some items"
    assert all(r.executors or r.coordinating_body or r.schedule for r in rows)


def test_setting_a_status_keeps_one_entry_per_item(sample: Plan) -> None:
    plan = tracker.set_status(sample, "V-3.1", ActionStatus.IN_PROGRESS, "  started ")
    plan = tracker.set_status(plan, "V-3.1", ActionStatus.DONE, "finished")
    entries = [t for t in plan.tracker if t.action_item == "V-3.1"]
    assert len(entries) == 1 and entries[0].status is ActionStatus.DONE
    assert entries[0].note == "finished"


# --- workshop -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def teens() -> TargetPopulation:
    return TargetPopulation(
        id="teens", age_min=12, age_max=15, size=1000, risk_factors={"peers": 0.4}
    )


def test_choosing_the_recommendation_scores_100(rules: RuleSet, teens: TargetPopulation) -> None:
    rec = recommend(teens, rules)
    result = workshop.compare(
        teens, rec, rules, [s.id for s in rec.strategies], [i.id for i in rec.interventions]
    )
    assert result.score == 100 and not result.missed and not result.extra


def test_supporting_without_fundamental_cites_vi_3_2(
    rules: RuleSet, teens: TargetPopulation
) -> None:
    rec = recommend(teens, rules)
    supporting = [
        sid
        for sid, s in rules.strategies.items()
        if s.kind.value == "supporting" and sid not in {x.id for x in rec.strategies}
    ]
    result = workshop.compare(teens, rec, rules, supporting[:1], [])
    assert result.extra and result.extra[0].clauses[0] == "VI-3.2"
    assert len(result.missed) == len(rec.strategies) + len(rec.interventions)
    assert result.score == 0


def test_each_missed_item_says_what_it_would_have_added(rules: RuleSet) -> None:
    """#18: the "Missed" reasons are not one template: each names its own rank, the group's
    priority factors it answers that the choice leaves open, and its tie to what was chosen."""
    group = TargetPopulation(
        id="youth",
        age_min=14,
        age_max=20,
        size=1000,
        risk_factors={"economic": 0.6, "peers": 0.5, "family": 0.4},
    )
    rec = recommend(group, rules)
    supporting = next(s.id for s in rec.strategies if s.kind.value == "supporting")
    delivering = next(i for i in rec.interventions if supporting in i.strategies)
    result = workshop.compare(group, rec, rules, [supporting], [delivering.id])
    reasons = [v.reason for v in result.missed]
    assert len(set(reasons)) == len(reasons), "no two missed items read alike"
    assert not any(r == m.rationale for r, m in zip(reasons, rec.strategies, strict=False))
    strategies = [v for v in result.missed if v.kind is Kind.STRATEGY]
    others = [s for s in rec.strategies if s.id != supporting]
    for verdict, item in zip(strategies, others, strict=True):
        assert f"Ranked {item.priority} of {len(rec.strategies)}" in verdict.reason
    # The choice has no fundamental strategy: said once, on the first one to add, citing VI-3.2.
    lacking = [v for v in result.missed if "no fundamental strategy" in v.reason]
    assert len(lacking) == 1 and "VI-3.2" in lacking[0].clauses
    # A factor the choice leaves unanswered is named with its share and its clause.
    unanswered = [v for v in result.missed if "which nothing chosen answers" in v.reason]
    assert unanswered and all("%" in v.reason for v in unanswered)
    assert any(c.startswith("VI-1.2.") for v in unanswered for c in v.clauses[:3])
    # A missed intervention that delivers a chosen strategy says so.
    serving = [
        i.id for i in rec.interventions if supporting in i.strategies and i.id != delivering.id
    ]
    for verdict in result.missed:
        if verdict.id in serving:
            assert "how the mix delivers" in verdict.reason


def test_a_level_mismatch_cites_vi_2(rules: RuleSet) -> None:
    dependent = TargetPopulation(id="dep", age_min=25, age_max=40, size=100, risk_group="dependent")
    rec = recommend(dependent, rules)
    school = next(
        iid
        for iid in rules.interventions
        if iid not in {i.id for i in rec.interventions}
        and rules.objects(Kind.INTERVENTION, Kind.LEVEL, iid)
        and rec.prevention_level.value not in rules.objects(Kind.INTERVENTION, Kind.LEVEL, iid)
    )
    result = workshop.compare(dependent, rec, rules, [], [school])
    assert result.extra[0].clauses[:2] == ("VI-2", "VI-T1")


# --- Concept explorer ---------------------------------------------------------------------


def test_every_section_lists_its_items(rules: RuleSet) -> None:
    counts = {s: len(concept.section_items(rules, s)) for s in concept.Section}
    assert counts[concept.Section.LEVELS] == len(rules.levels)
    assert counts[concept.Section.STRATEGIES] == 9
    assert counts[concept.Section.INTERVENTIONS] == len(rules.interventions)
    assert counts[concept.Section.ACTION_ITEMS] == len(rules.action_items)


def test_every_item_cites_a_clause_with_source_text(rules: RuleSet) -> None:
    for section in concept.Section:
        for item in concept.section_items(rules, section):
            assert item.refs and rules.ref_text(item.refs[0]), item.id


def test_inferred_relations_carry_a_justification(rules: RuleSet) -> None:
    for item in concept.section_items(rules, concept.Section.STRATEGIES):
        for view in item.relations:
            if view.basis is Basis.INFERRED:
                assert view.justification


def test_search_matches_words_clauses_and_filters(rules: RuleSet) -> None:
    items = concept.section_items(rules, concept.Section.STRATEGIES)
    assert [i.id for i in concept.search(items, "VI-3.1.1")] == ["work_with_parents"]
    supporting = concept.search(items, filters=["supporting"])
    assert len(supporting) == 4


# --- plans, uploads, exports --------------------------------------------------------------


def test_filter_plan_by_region_keeps_its_activities(sample: Plan) -> None:
    region = plans.regions(sample)[0]
    part = plans.filter_plan(sample, [region])
    assert part.populations and all(p.region == region for p in part.populations)
    ids = {p.id for p in part.populations}
    assert all(a.population_id in ids for a in part.activities)
    assert plans.filter_plan(sample) is sample


def test_merge_leaves_out_clashing_ids(sample: Plan) -> None:
    merged, skipped = plans.merge(sample, sample)
    assert merged == sample
    assert len(skipped) == len(sample.populations) + len(sample.activities)


def test_fingerprint_follows_content(sample: Plan) -> None:
    same = Plan.model_validate(sample.model_dump())
    assert plans.fingerprint(same) == plans.fingerprint(sample)
    other = sample.model_copy(update={"name": "Other"})
    assert plans.fingerprint(other) != plans.fingerprint(sample)


@pytest.mark.skipif(not plans.SAMPLE_INVENTORY.exists(), reason="no sample inventory")
def test_inventory_upload_takes_the_two_csv_files(rules: RuleSet) -> None:
    folder = plans.SAMPLE_DIR
    files = [
        (name, (folder / name).read_bytes())
        for name in ("ngo_inventory_activities.csv", "ngo_inventory_populations.csv")
    ]
    imported = read_upload(files, rules)
    assert imported.plan.populations and imported.plan.activities
    with pytest.raises(ProblemsError):
        read_upload(files[:1], rules)


def test_json_export_reads_back(sample: Plan, rules: RuleSet, tmp_path: Path) -> None:
    data = json.loads(export_bytes(sample, "json", rules, "en"))
    assert plan_from_data(data, "export", rules) == sample


# --- languages ----------------------------------------------------------------------------


def test_source_text_stays_english_with_prevplans_translation_beside_it(rules: RuleSet) -> None:
    from prevplan.i18n import use_language
    from prevplan.present.labels import source_and_translation

    english = rules.ref_text("V-3.1")
    assert source_and_translation(rules, "V-3.1") == (english, None)
    with use_language("ru"):
        found = source_and_translation(rules, "V-3.1")
    assert found is not None
    assert found[0] == english
    assert found[1] == rules.ref_text_in("V-3.1", "ru") != english
    assert source_and_translation(rules, "VI-99.9") is None


def test_source_table_words_keep_the_english_with_a_translation(rules: RuleSet) -> None:
    from prevplan.i18n import use_language
    from prevplan.present.labels import source_table_text

    assert source_table_text("SHCA, SSO") == "SHCA, SSO"
    assert source_table_text(None) == "—"
    with use_language("zh"):
        assert source_table_text("Constantly") == "Constantly（常年）"
        assert source_table_text("SHCA, SSO").startswith("SHCA, SSO（")
        assert "、" in source_table_text("SHCA, SSO")
    values = {
        v
        for item in rules.action_items.values()
        for v in (item.schedule, item.executors, item.coordinating_body)
        if v
    }
    with use_language("ru"):
        untranslated = [v for v in values if source_table_text(v) == v]
    assert untranslated == []


def test_lists_are_joined_as_the_language_joins_them() -> None:
    from prevplan.i18n import use_language
    from prevplan.present.labels import join

    assert join(["a", "", "b"]) == "a, b"
    with use_language("zh"):
        assert join(["家庭", "学校"]) == "家庭、学校"


def test_tables_write_numbers_in_the_readers_style() -> None:
    import pandas as pd

    from prevplan.i18n import use_language
    from prevplan.ui.widgets import localised

    frame = pd.DataFrame({"People": [12345, 7], "Name": ["a", "b"]})
    with use_language("ru"):
        html = localised(frame, numbers=["People"]).to_html()
    assert "12\u00a0345" in html
    styled = localised(frame, numbers=["People"])
    assert styled.data["People"].tolist() == [12345, 7]  # type: ignore[attr-defined]  # not in pandas-stubs


def test_concept_items_quote_the_source_in_english_and_translate_beside_it(
    rules: RuleSet,
) -> None:
    from prevplan.i18n import use_language

    with use_language("ru"):
        items = concept.level_items(rules)
    facts = dict(items[0].facts)
    inform = next(v for k, v in facts.items() if k.startswith("Как информировать"))
    level = rules.levels[items[0].id]
    assert inform.startswith(f"«{rules.ref_text(level.information_mode)}»")
    assert "неофициальный перевод prevplan" in inform


# --- the plan store in the reader's language ----------------------------------------------


def test_the_sample_plans_version_comment_is_shown_in_the_language() -> None:
    """prevplan's own comment on the seeded sample is translated; people's comments are not."""
    from prevplan.i18n import use_language
    from prevplan.ui.resources import SAMPLE_COMMENT, version_comment

    assert version_comment(SAMPLE_COMMENT) == SAMPLE_COMMENT
    with use_language("ru"):
        assert re.search("[а-я]", version_comment(SAMPLE_COMMENT))
        assert version_comment("fixed the budget") == "fixed the budget"
    with use_language("zh"):
        assert re.search("[\u4e00-\u9fff]", version_comment(SAMPLE_COMMENT))


def test_why_the_store_cannot_open_is_said_in_each_readers_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failure is remembered in its reader's language; a Russian reader after an
    English one is not shown the English reason."""
    from prevplan.i18n import use_language
    from prevplan.ui import resources

    # Port 1 on the loopback: refused at once, nothing listens there.
    monkeypatch.setenv("PREVPLAN_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    resources.clear_store_cache()
    try:
        english = resources.store_handle()
        assert english.store is None and english.error and "cannot connect" in english.error
        with use_language("ru"):
            russian = resources.store_handle()
        assert russian.store is None and russian.error and re.search("[а-я]", russian.error)
        assert "cannot connect" not in russian.error
        assert resources.store_handle() == english  # English is still the remembered one
    finally:
        resources.clear_store_cache()


@pytest.mark.parametrize(
    ("lang", "pattern"), [("en", "%d%%"), ("ru", "%d\u00a0%%"), ("zh", "%d%%")]
)
def test_coverage_bars_write_the_percentage_as_the_language_does(lang: str, pattern: str) -> None:
    """The populations table's coverage bar is labelled ``25 %`` in Russian whatever the
    browser's locale (Streamlit's own "percent" format would follow the browser)."""
    from prevplan.i18n import use_language
    from prevplan.ui.widgets import share_bar

    with use_language(lang):
        config = share_bar()["type_config"]
    assert config["format"] == pattern
    assert (config["min_value"], config["max_value"]) == (0, 100)
