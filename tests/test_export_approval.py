"""A report of an approved version says on its title page who approved it, and when."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prevplan.export.pdf import ApprovalStamp, plan_report_pdf
from prevplan.i18n import use_language
from prevplan.rules import RuleSet
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
