"""Heavy work runs in worker processes (prevplan.ui.background): the answer is the same as in
the app's process, in the submitter's language; work over its time is stopped and the lane
serves the next job; and a PDF export costs the app's own process almost no CPU."""

from __future__ import annotations

import io
import multiprocessing
import os
import time
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook

from prevplan.i18n import _, current_language, use_language
from prevplan.plan.io import read_plan
from prevplan.plan.models import Plan
from prevplan.problems import Problem, ProblemsError
from prevplan.rules import RuleSet
from prevplan.ui import exports
from prevplan.ui.background import JobStopped, JobTimeout, Lane, WorkerLost
from prevplan.ui.plans import SAMPLE_PLAN
from tests.support import die, spin


def where_and_how() -> tuple[int, str, str]:
    """The worker's process id, language, and a message worded in it."""
    return os.getpid(), current_language(), _("Undo")


def refuse(name: str) -> None:
    raise ProblemsError([Problem(name, "", "", "not accepted")])


def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@pytest.fixture
def sample(rules: RuleSet) -> Plan:
    return read_plan(SAMPLE_PLAN, rules)


@pytest.fixture
def lane() -> Iterator[Lane]:
    opened = Lane("test", workers=1, timeout_s=30)
    try:
        yield opened
    finally:
        opened.stop()


def test_work_runs_in_another_process_in_the_submitters_language(lane: Lane) -> None:
    with use_language("ru"):
        pid, lang, word = lane.run(where_and_how)
    assert pid != os.getpid()
    assert (lang, word) == ("ru", "Отменить")


def test_an_error_in_the_worker_reaches_the_caller_whole(lane: Lane) -> None:
    with pytest.raises(ProblemsError) as caught:
        lane.run(refuse, "plan.yaml")
    assert caught.value.problems[0].file == "plan.yaml"


def test_submit_returns_at_once_and_the_job_says_when_it_is_done(lane: Lane) -> None:
    lane.run(nap, 0)  # the worker is up
    job = lane.submit(nap, 0.5)
    assert not job.done()
    with pytest.raises(JobTimeout):
        job.result(timeout=0.05)
    assert job.result(timeout=10) == 0.5
    assert job.done()


def test_work_over_its_time_is_stopped_and_the_lane_serves_the_next(lane: Lane) -> None:
    lane.run(nap, 0)
    runaway = lane.submit(nap, 30)
    queued = lane.submit(nap, 0.1)  # waits behind the runaway in the one worker
    start = time.monotonic()
    with pytest.raises(JobTimeout):
        lane.run(nap, 0, timeout=1.0)
    assert time.monotonic() - start < 10
    for stopped in (runaway, queued):
        assert stopped.done()
        with pytest.raises(JobStopped):
            stopped.result(timeout=10)
    assert lane.run(sum, [1, 2]) == 3


def test_a_lane_is_ready_once_its_workers_have_started(lane: Lane) -> None:
    assert not lane.ready()
    lane.warm_up()
    deadline = time.monotonic() + 300
    while not lane.ready() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert lane.ready()
    lane.stop()
    assert not lane.ready()


def test_work_over_its_processor_time_is_stopped_in_its_worker() -> None:
    lane = Lane("cpu", workers=1, timeout_s=600, cpu_s=1, nice=0)
    try:
        pid = lane.run(os.getpid)
        with pytest.raises(JobTimeout) as caught:
            lane.run(spin, 600)
        assert caught.value.cpu
        assert caught.value.seconds == 1
        # The same worker goes on serving, with its whole budget for the next job.
        assert lane.run(spin, 0.5) == 0.5
        assert lane.run(os.getpid) == pid
    finally:
        lane.stop()


def test_a_killed_worker_fails_its_job_at_once_and_the_lane_goes_on(lane: Lane) -> None:
    lane.run(nap, 0)
    start = time.monotonic()
    with pytest.raises(WorkerLost):
        lane.run(die)
    assert time.monotonic() - start < lane.timeout_s / 2  # not the lane's time-out
    job = lane.submit(die)
    queued = lane.submit(nap, 0)
    for lost in (job, queued):
        with pytest.raises(JobStopped):
            lost.result(timeout=lane.timeout_s / 2)
    assert lane.run(sum, [1, 2]) == 3


def test_without_worker_processes_the_work_runs_in_the_callers_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_processes(method: str) -> object:
        raise OSError("no processes here")

    monkeypatch.setattr(multiprocessing, "get_context", no_processes)
    alone = Lane("alone")
    assert alone.run(where_and_how)[0] == os.getpid()
    job = alone.submit(refuse, "x")
    assert job.done()
    with pytest.raises(ProblemsError):
        job.result()


def test_exports_are_made_in_the_worker_and_cost_the_app_little_cpu(
    sample: Plan, rules: RuleSet
) -> None:
    exports.warm_up()
    exports.export_bytes(sample, "xlsx", rules, "en")  # the worker is up and warm
    spent = time.process_time()
    pdf = exports.export_bytes(sample, "pdf", rules, "ru")
    spent = time.process_time() - spent
    assert pdf.startswith(b"%PDF")
    # Made in this process the report takes about 3 s of CPU; here the app only waits.
    assert spent < 0.5
    book = load_workbook(io.BytesIO(exports.export_bytes(sample, "xlsx", rules, "zh")))
    assert book.sheetnames


def test_the_annual_report_is_made_in_the_export_worker(sample: Plan, rules: RuleSet) -> None:
    from prevplan.export.annual_xlsx import annual_workbook

    exports.warm_up()
    exports.annual_bytes(sample, "xlsx", rules, "2026", "en")  # the worker is up and warm
    spent = time.process_time()
    pdf = exports.annual_bytes(sample, "pdf", rules, "2026", "ru")
    spent = time.process_time() - spent
    assert pdf.startswith(b"%PDF")
    assert spent < 0.5  # made in the worker: the app's process only waited
    made = load_workbook(io.BytesIO(exports.annual_bytes(sample, "xlsx", rules, "2026", "zh")))
    here = load_workbook(io.BytesIO(annual_workbook(sample, rules, period="2026", lang="zh")))
    assert made.sheetnames == here.sheetnames
    for name in here.sheetnames:
        assert [list(r) for r in made[name].iter_rows(values_only=True)] == [
            list(r) for r in here[name].iter_rows(values_only=True)
        ]


def test_an_annual_report_over_its_time_or_lost_gets_the_exports_message(
    sample: Plan, rules: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    hasty = Lane("exports-hasty", workers=1, timeout_s=0.05)
    monkeypatch.setattr(exports, "EXPORTS", hasty)
    try:
        with pytest.raises(ProblemsError) as caught:
            exports.annual_bytes(sample, "pdf", rules, "2026", "ru")
        (problem,) = caught.value.problems
        assert "300" in problem.message and problem.message.startswith("подготовка файла")
    finally:
        hasty.stop()

    class Lost:
        def run(self, *_args: object) -> bytes:
            raise WorkerLost("exports")

    monkeypatch.setattr(exports, "EXPORTS", Lost())
    with pytest.raises(ProblemsError) as caught:
        exports.annual_bytes(sample, "xlsx", rules, "2026", "en")
    assert caught.value.problems[0].message == exports.stopped().problems[0].message


def test_a_survey_is_estimated_in_an_upload_worker_as_in_the_app_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prevplan.ui import monitoring, upload_worker
    from prevplan.ui.plans import SAMPLE_DIR

    survey = ("wave.csv", (SAMPLE_DIR / "school_survey_2026.csv").read_bytes())
    defs_path = SAMPLE_DIR / "school_survey_definitions.yaml"
    definitions = (defs_path.name, defs_path.read_bytes())
    here = monitoring._survey_estimates(survey, definitions, ["population"], None)
    submitted: list[str] = []
    real_submit = upload_worker.UPLOADS.submit

    def watched(function: object, *args: object, **kwargs: object) -> object:
        submitted.append(getattr(function, "__name__", ""))
        return real_submit(function, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(upload_worker.UPLOADS, "submit", watched)
    monitoring._ESTIMATED.clear()
    assert monitoring.survey_estimates(survey, definitions, ["population"]) == here
    assert submitted == ["_survey_estimates"]
    # The page's next rerun with the same upload is answered without a new estimate; in
    # another language, or with other groups, it is estimated again.
    assert monitoring.survey_estimates(survey, definitions, ["population"]) == here
    assert submitted == ["_survey_estimates"]
    with use_language("ru"):
        monitoring.survey_estimates(survey, definitions, ["population"])
    monitoring.survey_estimates(survey, definitions, ["region"])
    assert len(submitted) == 3
    with pytest.raises(ProblemsError):  # the upload's problems come back whole
        monitoring.survey_estimates(("bad.csv", b"x,y\n1,2\n"), definitions, ["population"])
