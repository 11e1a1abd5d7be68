"""The app's uploads are read in worker processes (prevplan.ui.upload_worker): the answer is
the same as in the app's process, in the uploader's language, and a file that takes too long
or too much memory is stopped with a problem, not a frozen or killed server."""

from __future__ import annotations

import time

import pytest

from prevplan.i18n import use_language
from prevplan.problems import ProblemsError
from prevplan.ui import upload_worker
from tests.hostile.inputs_corpus import SAMPLES, alias_bomb
from tests.support import die, spin


def test_populations_are_read_in_a_worker_as_in_the_app_process() -> None:
    data = (SAMPLES / "populations.yaml").read_bytes()
    from prevplan.io.populations import parse_populations_bytes

    assert upload_worker.parse_population_upload(data, "p.yaml") == parse_populations_bytes(
        data, "p.yaml"
    )


def test_problems_come_back_structured_and_in_the_uploaders_language() -> None:
    bad = b"id,age_min,age_max,size\np,1,2,0\n"
    with use_language("ru"), pytest.raises(ProblemsError) as caught:
        upload_worker.parse_population_upload(bad, "p.csv")
    (problem,) = caught.value.problems
    assert (problem.at.kind, problem.at.number, problem.at.line) == ("row", 1, 2)
    assert problem.field == "size"
    assert "целое число" in problem.message
    with use_language("ru"), pytest.raises(ProblemsError) as bomb:
        upload_worker.parse_population_upload(alias_bomb().encode(), "b.yaml")
    assert "псевдоним" in bomb.value.problems[0].message


def test_an_inventory_is_read_in_a_worker() -> None:
    data = (SAMPLES / "ngo_inventory.xlsx").read_bytes()
    imported = upload_worker.read_inventory_upload([("ngo_inventory.xlsx", data)])
    assert imported.plan.activities


def test_a_read_that_takes_too_long_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    # The budget is processor time counted in the worker, so a busy machine (which stretches
    # the clock, not the work) cannot make this fail; the reader would need 600 s of CPU.
    monkeypatch.setattr(upload_worker, "UPLOAD_SECONDS", 1.0)
    with pytest.raises(ProblemsError) as caught:
        upload_worker.isolated(spin, 600)
    assert "took longer than 1 s" in caught.value.problems[0].message
    assert upload_worker.isolated(spin, 0.1) == 0.1  # the worker serves the next upload
    monkeypatch.undo()
    assert upload_worker.isolated(sum, [1, 2]) == 3


def test_a_reader_whose_process_is_killed_is_answered_at_once() -> None:
    upload_worker.isolated(sum, [0])  # the workers are up
    start = time.monotonic()
    with pytest.raises(ProblemsError) as caught:
        upload_worker.isolated(die)
    assert "ended before it finished" in caught.value.problems[0].message
    # Answered when the worker died, not after the wait the lane gives a reader (a wide
    # margin: only waiting for the backstop would come near it).
    assert time.monotonic() - start < upload_worker.UPLOAD_WAIT_SECONDS / 2
    assert upload_worker.isolated(sum, [1, 2]) == 3


def test_a_read_that_needs_too_much_memory_is_stopped() -> None:
    with pytest.raises(ProblemsError) as caught:
        upload_worker.isolated(bytearray, upload_worker.WORKER_MEMORY + 1)
    assert "more than 2048 MB of memory" in caught.value.problems[0].message
    assert upload_worker.isolated(sum, [1, 2]) == 3
