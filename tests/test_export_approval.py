"""A report of an approved version says on its title page who approved it, and when."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from prevplan.cli import main
from prevplan.export.pdf import ApprovalStamp, plan_report_pdf
from prevplan.i18n import use_language
from prevplan.rules import RuleSet
from prevplan.storage import store_from_url
from prevplan.storage.access import LOCAL
from prevplan.storage.scoped import scoped
from tests.storage.conftest import make_plan
from tests.test_export import pdf_text, require_chromium, require_poppler


def test_the_title_page_names_the_approver_the_version_and_the_time(
    tmp_path: Path, rules: RuleSet
) -> None:
    require_poppler()
    require_chromium()
    stamp = ApprovalStamp(
        3, "Boris Approver <boris@health.example>", datetime(2026, 12, 7, 13, 47, tzinfo=UTC)
    )
    for lang, expected in (
        ("en", "Version 3 of this plan was approved in prevplan by Boris Approver"),
        ("ru", "Версия 3 этого плана утверждена в prevplan"),
    ):
        with use_language(lang):
            path = tmp_path / f"approved-{lang}.pdf"
            path.write_bytes(plan_report_pdf(make_plan(), rules, lang=lang, approval=stamp))
        first_page = pdf_text(path).split("\f")[0]
        assert expected in first_page
        assert "13:47 UTC" in first_page
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(plan_report_pdf(make_plan(), rules, lang="en"))
    assert "approved in prevplan" not in pdf_text(plain)


def test_the_export_command_stamps_an_approved_saved_plan_as_the_approval_page_does(
    tmp_path: Path, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_poppler()
    require_chromium()
    monkeypatch.setenv("PREVPLAN_HOME", str(tmp_path))
    monkeypatch.delenv("PREVPLAN_DATABASE_URL", raising=False)
    plan = make_plan()
    with store_from_url(rules=rules) as store:
        office = scoped(store, LOCAL)
        office.save(plan, author="Aigerim", base_version=None)
        office.submit(plan.name)
        scoped(store, replace(LOCAL, name="Boris Approver")).approve(plan.name)

    def first_page(*extra: str) -> str:
        out = tmp_path / "report.pdf"
        out.unlink(missing_ok=True)
        assert main(["export", plan.name, "--format", "pdf", "--output", str(out), *extra]) == 0
        return pdf_text(out).split("\f")[0]

    stamped = first_page()
    assert "Version 1 of this plan was approved in prevplan by Boris Approver" in stamped
    # Drafting goes on above the approved version: the latest has no stamp; --approved
    # exports version 1 with it.
    with store_from_url(rules=rules) as store:
        office = scoped(store, LOCAL)
        office.reopen(plan.name)
        office.save(plan.model_copy(update={"period": "2027"}), author="Aigerim", base_version=1)
    assert "approved in prevplan" not in first_page()
    assert "Version 1 of this plan was approved" in first_page("--approved")
