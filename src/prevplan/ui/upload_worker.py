"""Uploaded files are read in a worker process, so one visitor's file never stalls another's.

The app serves every browser session from one process. Reading a file holds that process's
interpreter while it works: a large workbook that is still within the limits of
:mod:`prevplan.inventory.tables` costs openpyxl seconds, and until #19 a 405-byte YAML froze
every session for 40 s. Here the parsing runs in a small pool of separate processes, each
with a memory limit; the session that uploaded waits for its answer (at most
:data:`UPLOAD_SECONDS`), and every other session keeps answering meanwhile.

A file that takes too long or needs too much memory gets a problem like any other bad file
(the worker is then replaced). Problems come back as :class:`~prevplan.problems.ProblemsError`
with their structured places, worded in the language of the session that uploaded. Where no
worker process can be started, the file is read in the app's process, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, TypeVar

from prevplan.i18n import _
from prevplan.inventory.reader import InventoryImport
from prevplan.population import TargetPopulation
from prevplan.problems import Problem, ProblemsError
from prevplan.ui.background import JobStopped, JobTimeout, Lane

UPLOAD_SECONDS: Final = 30.0
"""Processor time a file may take to read (counted in the worker, so a busy server does not
shorten it); far above what any file within the limits needs."""
UPLOAD_WAIT_SECONDS: Final = 120.0
"""Longest an upload waits for its answer, queue and worker start included (a backstop)."""
WORKER_MEMORY: Final = 2 * 1024**3
"""Address space a worker may use (a limit, not what it takes: most uploads use < 200 MB)."""
WORKERS: Final = 2

UPLOADS: Final = Lane(
    "uploads",
    workers=WORKERS,
    timeout_s=UPLOAD_WAIT_SECONDS,
    nice=0,
    memory=WORKER_MEMORY,
    cpu_s=UPLOAD_SECONDS,
    warm=("prevplan.inventory.reader", "prevplan.io.populations", "prevplan.rules:load_rules"),
)
"""The lane uploaded files are read in (survey imports too: :mod:`prevplan.ui.monitoring`)."""

T = TypeVar("T")


def parse_population_upload(data: bytes, name: str) -> list[TargetPopulation]:
    """The populations of an uploaded population file (YAML, JSON or CSV), read in a worker."""
    return isolated(_parse_populations, data, name)


def parse_population_upload_noted(
    data: bytes, name: str
) -> tuple[list[TargetPopulation], list[str]]:
    """Like :func:`parse_population_upload`, with what was read leniently said (percentages,
    grouped thousands)."""
    return isolated(_parse_populations_noted, data, name)


def valid_population_rows(data: bytes, name: str) -> list[TargetPopulation]:
    """The rows of a population file with problems that are valid each on its own."""
    return isolated(_valid_rows, data, name)


def read_inventory_upload(files: Sequence[tuple[str, bytes]]) -> InventoryImport:
    """The inventory in the uploaded files (one ``.xlsx``, or two ``.csv``), read in a worker
    against the shipped rules (:func:`prevplan.ui.inventory_upload.read_upload`)."""
    return isolated(_read_inventory, latest_files(files))


def read_plan_upload(files: Sequence[tuple[str, bytes]]) -> InventoryImport:
    """The plan in uploaded files, read in a worker: a plan file prevplan wrote (JSON or
    YAML), a plan workbook it exported, or an NGO inventory (one workbook, or two CSV files).

    Of several workbooks or plan files the last one is read — the one just added, when a
    corrected file is dropped beside the first (:func:`latest_files`).
    """
    return isolated(_read_plan_files, latest_files(files))


PLAN_FILE_SUFFIXES: Final = (".json", ".yaml", ".yml")


def latest_files(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Of the uploaded files, those to read: the last plan file or workbook alone, else the
    CSV files (an inventory in CSV is two files)."""
    whole = [
        f for f in files if Path(f[0]).suffix.lower() in (*PLAN_FILE_SUFFIXES, ".xlsx", ".xlsm")
    ]
    return [whole[-1]] if whole else list(files)


def _read_plan_files(files: list[tuple[str, bytes]]) -> InventoryImport:
    from prevplan.plan.io import parse_plan_bytes
    from prevplan.rules import load_rules
    from prevplan.ui.inventory_upload import read_upload

    rules = load_rules()
    if len(files) == 1 and Path(files[0][0]).suffix.lower() in PLAN_FILE_SUFFIXES:
        name, data = files[0]
        return InventoryImport(parse_plan_bytes(data, name, rules))
    return read_upload(files, rules)


def isolated(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in a worker process of :data:`UPLOADS`, in the current language;
    ``ProblemsError`` when it needs more than :data:`UPLOAD_SECONDS` of processor time (or
    waits past :data:`UPLOAD_WAIT_SECONDS`), more than the worker's memory, or its worker
    ends without an answer."""
    try:
        job = UPLOADS.submit(function, *args, cpu_s=UPLOAD_SECONDS)
        return UPLOADS.wait(job, UPLOAD_WAIT_SECONDS)
    except JobTimeout as err:
        seconds = err.seconds if err.cpu else UPLOAD_WAIT_SECONDS
        message = _(
            "reading the file took longer than {seconds} s, so it was stopped; expected a "
            "smaller file — split it into several files"
        ).format(seconds=f"{seconds:g}")
        raise ProblemsError([Problem("", "", "", message)]) from None
    except MemoryError:
        message = _(
            "reading the file needed more than {limit} MB of memory, so it was stopped; "
            "expected a smaller file — split it into several files"
        ).format(limit=WORKER_MEMORY // (1024 * 1024))
        raise ProblemsError([Problem("", "", "", message)]) from None
    except JobStopped:
        message = _(
            "the process reading the file ended before it finished (the server may be short "
            "of memory); try again, or split the file into several files"
        )
        raise ProblemsError([Problem("", "", "", message)]) from None


def _parse_populations(data: bytes, name: str) -> list[TargetPopulation]:
    from prevplan.io.populations import parse_populations_bytes

    return parse_populations_bytes(data, name)


def _parse_populations_noted(data: bytes, name: str) -> tuple[list[TargetPopulation], list[str]]:
    from prevplan.io.populations import parse_populations_bytes

    notes: list[str] = []
    return parse_populations_bytes(data, name, notes=notes), notes


def _valid_rows(data: bytes, name: str) -> list[TargetPopulation]:
    from prevplan.io.populations import valid_populations

    return valid_populations(data, name)


def _read_inventory(files: list[tuple[str, bytes]]) -> InventoryImport:
    from prevplan.rules import load_rules
    from prevplan.ui.inventory_upload import read_upload

    return read_upload(files, load_rules())


def warm_up() -> None:
    """Start the workers (and their imports) before the first upload needs them; a page
    with an uploader calls this as it is drawn (only the first call does anything)."""
    UPLOADS.warm_up()
