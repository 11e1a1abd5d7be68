"""Heavy work off the interactive path: worker processes, and a handle on each result.

The app serves every planner's browser session from one Python process, and that process
runs Python in one thread at a time. A piece of work that holds the interpreter for seconds
— the PDF report (about 3 s of CPU for the sample plan), a large workbook, an optimiser run,
a survey import — would slow every other session's pages for as long as it runs. Here such
work runs in a separate process of a :class:`Lane`: the app's process only waits for the
answer (waiting costs no CPU and holds no lock), so the other sessions keep their full speed.

A lane is a small pool of worker processes for one kind of work, started on first use (or
by :meth:`Lane.warm_up`) and kept for the life of the app:

- ``workers``: how many jobs of the lane run at once; more wait their turn. On a 2-core
  server one export at a time leaves the other core to the planners' pages.
- ``nice``: the workers' CPU priority below the app's, so on a busy server the pages come
  first (the browser that kaleido starts for a report's charts inherits it).
- ``memory``: a limit on a worker's address space, for work on files people upload (not
  for work that starts a browser: Chromium reserves far more address space than it uses).
- ``timeout_s``: how long :meth:`Lane.run` waits. A job over its time, or over its memory,
  is stopped (the lane's workers are replaced) and :class:`JobTimeout` or ``MemoryError``
  raised; the caller words what the user sees.

Two ways to use a lane:

- :meth:`Lane.run` — submit and wait, for work whose caller waits anyway: a download
  button's ``data`` callable, which Streamlit already calls off its event loop.
- :meth:`Lane.submit` — returns a :class:`Job` at once; the page keeps the job in the
  session and shows its progress until :meth:`Job.done` (see docs/architecture.md,
  "Heavy work"). For optimiser runs and survey imports.

The function given must be importable by name (defined at module level) and its arguments
and result picklable; it runs in the language of the session that submitted it. Where no
worker process can be started, the work runs in the calling thread, as before lanes.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from multiprocessing.pool import AsyncResult, Pool
from typing import Generic, TypeVar

from prevplan.i18n import current_language, use_language

T = TypeVar("T")
_log = logging.getLogger(__name__)


class JobTimeout(TimeoutError):
    """A job did not finish within the time its caller would wait."""

    def __init__(self, lane: str, seconds: float) -> None:
        super().__init__(f"{lane}: no answer within {seconds:g} s")
        self.lane = lane
        self.seconds = seconds


class JobStopped(RuntimeError):
    """A job's workers were stopped before it finished (another job of its lane ran over
    its time or memory, or the app is shutting down)."""


@dataclass
class _Workers:
    """One pool of a lane, and whether it has been stopped."""

    pool: Pool
    stopped: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        self.stopped.set()
        self.pool.terminate()


class Job(Generic[T]):
    """A handle on one piece of work in a lane: ask whether it is done, then take its result.

    Safe to keep in ``st.session_state`` and to ask from any thread.
    """

    _POLL_S = 0.25

    def __init__(
        self,
        lane: str,
        pending: AsyncResult[T] | None = None,
        workers: _Workers | None = None,
        *,
        value: T | None = None,
        error: Exception | None = None,
    ) -> None:
        self.lane = lane
        self.started = time.monotonic()
        self._pending = pending
        self._workers = workers
        self._value = value
        self._error = error

    def done(self) -> bool:
        """Whether the work has finished: with a result, an error, or stopped."""
        if self._pending is None or self._pending.ready():
            return True
        return self._workers is not None and self._workers.stopped.is_set()

    def elapsed(self) -> float:
        """Seconds since the job was submitted."""
        return time.monotonic() - self.started

    def result(self, timeout: float | None = None) -> T:
        """The work's result, or the exception it raised.

        :class:`JobTimeout` when it is not done within ``timeout`` seconds (``None``: as long
        as it takes; the job itself goes on, :meth:`Lane.run` stops it);
        :class:`JobStopped` when its workers were stopped first.
        """
        if self._pending is None:
            if self._error is not None:
                raise self._error
            return self._value  # type: ignore[return-value]  # T may itself include None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = self._POLL_S
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - time.monotonic()))
            try:
                return self._pending.get(timeout=wait)
            except multiprocessing.TimeoutError:
                if self._workers is not None and self._workers.stopped.is_set():
                    raise JobStopped(self.lane) from None
                if deadline is not None and time.monotonic() >= deadline:
                    raise JobTimeout(self.lane, timeout or 0.0) from None


@dataclass
class Lane:
    """A pool of worker processes for one kind of heavy work (see the module's docstring)."""

    name: str
    workers: int = 1
    timeout_s: float = 120.0
    nice: int = 10
    memory: int | None = None
    warm: tuple[str, ...] = ()
    """Modules each worker imports as it starts (:meth:`warm_up`)."""
    _current: _Workers | None = field(default=None, init=False, repr=False)
    _unavailable: bool = field(default=False, init=False, repr=False)
    _warmed: bool = field(default=False, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def submit(self, function: Callable[..., T], *args: object) -> Job[T]:
        """Start ``function(*args)`` in a worker, in the current language; returns at once."""
        lang = current_language()
        workers = self._workers()
        if workers is None:
            try:
                return Job(self.name, value=_call(function, lang, args))
            except Exception as err:
                return Job(self.name, error=err)
        pending = workers.pool.apply_async(_call, (function, lang, args))
        return Job(self.name, pending, workers)

    def run(self, function: Callable[..., T], *args: object, timeout: float | None = None) -> T:
        """``function(*args)`` in a worker; the caller waits (the app's other sessions do not).

        Stopped after ``timeout`` (default :attr:`timeout_s`) seconds with :class:`JobTimeout`,
        or when it needs more than :attr:`memory` with ``MemoryError``; the lane's workers are
        then replaced, so the next job starts afresh.
        """
        seconds = self.timeout_s if timeout is None else timeout
        job = self.submit(function, *args)
        try:
            return job.result(timeout=seconds)
        except (JobTimeout, MemoryError):
            self._stop(job._workers)
            raise

    def warm_up(self) -> None:
        """Start the workers and their imports before the first job needs them (only the
        first call does anything)."""
        with self._lock:
            if self._warmed:
                return
            self._warmed = True
        workers = self._workers()
        if workers is not None and self.warm:
            for _n in range(self.workers):
                workers.pool.apply_async(_imports, (self.warm,))

    def stop(self) -> None:
        """Stop the lane's workers (a job still running fails with :class:`JobStopped`); the
        next job starts new ones."""
        self._stop(None)

    def _stop(self, only: _Workers | None) -> None:
        with self._lock:
            current = self._current
            if current is None or (only is not None and only is not current):
                return
            self._current = None
            self._warmed = False
        current.stop()

    def _workers(self) -> _Workers | None:
        with self._lock:
            if self._current is None and not self._unavailable:
                try:
                    context = multiprocessing.get_context("spawn")
                    pool = context.Pool(
                        self.workers, initializer=_start_worker, initargs=(self.nice, self.memory)
                    )
                except (OSError, ValueError) as err:  # no process can be started here
                    _log.warning("%s run in the app's process: %s", self.name, err)
                    self._unavailable = True
                    return None
                atexit.register(pool.terminate)  # not left to the garbage collector at exit
                self._current = _Workers(pool)
                _log.info("%s workers started", self.name)
            return self._current


def _call(function: Callable[..., T], lang: str, args: tuple[object, ...]) -> T:
    with use_language(lang):
        return function(*args)


def _imports(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            import_module(name)
        except ImportError:  # an optional part that is not installed
            continue


def _start_worker(nice: int, memory: int | None) -> None:
    """Runs in each worker as it starts: lower its priority, limit its memory."""
    if nice:
        with contextlib.suppress(OSError):  # a priority that cannot be lowered stays as is
            os.nice(nice)
    if memory is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
