"""How fast a plan is exported: the PDF report for approval, the Excel workbook, the JSON.

Run: ``uv run python benchmarks/bench_export.py``

For ``sample_data/national_plan.yaml`` (or, without it, a generated plan of 14 populations
and 33 activities), with the rules loaded beforehand:

a. the PDF report, the first one in the process — this pays for starting Chromium for the
   charts (kaleido's sync server, about 2 s, overlapped with laying out the text) — and the
   median of three more, with the browser already running, as in the app. Budget 5 s for the
   first: it is what ``prevplan export --format pdf`` costs once Python is started;
b. the Excel workbook (median of five), budget 1 s;
c. the JSON (median of five), budget 0.1 s.

Each figure is printed with its budget and PASS or OVER; the exit code is 1 if any budget is
over, so ``make bench`` notices. The machine's load is printed too: on a busy machine the
Chromium start alone can take several seconds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from prevplan.export import plan_json, plan_report_pdf, plan_workbook
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.rules import RuleSet, load_rules

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_dashboard import generated_plan
from timing import median_of, timed, verdict

SAMPLE_PLAN = Path(__file__).resolve().parents[1] / "sample_data" / "national_plan.yaml"
PDF_BUDGET_S = 5.0
XLSX_BUDGET_S = 1.0
JSON_BUDGET_S = 0.1


def sample_plan(rules: RuleSet) -> tuple[Plan, str]:
    if SAMPLE_PLAN.exists():
        return read_plan(SAMPLE_PLAN, rules), SAMPLE_PLAN.name
    return generated_plan(14, 33), "generated"


def main() -> int:
    rules = load_rules()
    plan, source = sample_plan(rules)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"export plan ({source}): {len(plan.populations)} populations, "
        f"{len(plan.activities)} activities; load average {load:.1f} on {os.cpu_count()} CPUs"
    )

    first_s, pdf = timed(lambda: plan_report_pdf(plan, rules, lang="en"))
    assert isinstance(pdf, bytes)
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")
    ok_pdf = first_s < PDF_BUDGET_S
    print(
        f"  PDF report, first in process (starts Chromium): {first_s:.2f} s, "
        f"{len(pdf) / 1024:.0f} KiB, {pages or '?'} pages  (budget {PDF_BUDGET_S:.0f} s) "
        f"{verdict(ok_pdf)}"
    )
    warm = median_of(lambda: plan_report_pdf(plan, rules, lang="en"), 3)
    print(f"  PDF report, browser running, median of 3: {warm:.2f} s")
    ru = median_of(lambda: plan_report_pdf(plan, rules, lang="ru"), 1)
    zh = median_of(lambda: plan_report_pdf(plan, rules, lang="zh"), 1)
    print(f"  PDF report in Russian: {ru:.2f} s; in Chinese (+ CJK font): {zh:.2f} s")

    xlsx_s = median_of(lambda: plan_workbook(plan, rules), 5)
    ok_xlsx = xlsx_s < XLSX_BUDGET_S
    print(
        f"  Excel workbook, median of 5: {xlsx_s * 1000:.0f} ms  "
        f"(budget {XLSX_BUDGET_S * 1000:.0f} ms) {verdict(ok_xlsx)}"
    )
    json_s = median_of(lambda: plan_json(plan), 5)
    ok_json = json_s < JSON_BUDGET_S
    print(
        f"  JSON, median of 5: {json_s * 1000:.1f} ms  "
        f"(budget {JSON_BUDGET_S * 1000:.0f} ms) {verdict(ok_json)}"
    )

    big = generated_plan(60, 150)
    big_s, big_pdf = timed(lambda: plan_report_pdf(big, rules, lang="en"))
    assert isinstance(big_pdf, bytes)
    big_xlsx = median_of(lambda: plan_workbook(big, rules), 1)
    print(
        f"  for scale (no budget): generated plan of 60 populations, 150 activities — "
        f"PDF {big_s:.2f} s ({len(big_pdf) / 1024:.0f} KiB), Excel {big_xlsx * 1000:.0f} ms"
    )

    ok = ok_pdf and ok_xlsx and ok_json
    print("all budgets met" if ok else "SOME BUDGETS OVER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
