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
- ``cpu_s``: the processor time one job may use, counted by the kernel in its worker — the
  budget of work on uploaded files, which a busy machine does not eat into as it does a
  clock's (``timeout_s`` then stays as a generous backstop for a job that waits).

A worker process that ends without an answer (killed by an administrator or the kernel's
out-of-memory killer, a crash in a native library) fails its job at once with
:class:`WorkerLost` — the caller does not wait for the time-out — and the lane starts new
workers for the next job.

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
import math
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_for
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from importlib import import_module
from types import FrameType
from typing import Generic, TypeVar

from prevplan.i18n import current_language, use_language

T = TypeVar("T")
_log = logging.getLogger(__name__)


class JobTimeout(TimeoutError):
    """A job did not finish within the time its caller would wait (``cpu``: it used more
    processor time than its lane allows, whatever the clock said)."""

    def __init__(self, lane: str, seconds: float, cpu: bool = False) -> None:
        unit = "s of processor time" if cpu else "s"
        super().__init__(f"{lane}: no answer within {seconds:g} {unit}")
        self.lane = lane
        self.seconds = seconds
        self.cpu = cpu

    def __reduce__(self) -> tuple[type[JobTimeout], tuple[str, float, bool]]:
        return (type(self), (self.lane, self.seconds, self.cpu))  # raised in a worker, sent back


class JobStopped(RuntimeError):
    """A job's worker was stopped before it finished: another job of its lane ran over its
    time or memory, the app is shutting down, or the worker process ended on its own
    (killed, out of memory) — :class:`WorkerLost`."""


class WorkerLost(JobStopped):
    """The worker process running (or about to run) the job ended without an answer."""


@dataclass
class _Workers:
    """One pool of a lane, and whether it has been stopped."""

    pool: ProcessPoolExecutor
    stopped: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        self.stopped.set()
        # Running work is not interruptible through the executor: end its processes. The
        # executor then fails every job it still holds (BrokenProcessPool), at once.
        for process in list(self.pool._processes.values()):
            with contextlib.suppress(OSError, AttributeError):
                process.terminate()
        self.pool.shutdown(wait=False, cancel_futures=True)


class Job(Generic[T]):
    """A handle on one piece of work in a lane: ask whether it is done, then take its result.

    Safe to keep in ``st.session_state`` and to ask from any thread.
    """

    _POLL_S = 0.25

    def __init__(
        self,
        lane: str,
        pending: Future[T] | None = None,
        workers: _Workers | None = None,
        *,
        value: T | None = None,
        error: Exception | None = None,
        on_lost: Callable[[_Workers], None] | None = None,
    ) -> None:
        self.lane = lane
        self.started = time.monotonic()
        self._pending = pending
        self._workers = workers
        self._value = value
        self._error = error
        self._on_lost = on_lost

    def done(self) -> bool:
        """Whether the work has finished: with a result, an error, or stopped."""
        if self._pending is None or self._pending.done():
            return True
        return self._workers is not None and self._workers.stopped.is_set()

    def elapsed(self) -> float:
        """Seconds since the job was submitted."""
        return time.monotonic() - self.started

    def result(self, timeout: float | None = None) -> T:
        """The work's result, or the exception it raised.

        :class:`JobTimeout` when it is not done within ``timeout`` seconds (``None``: as long
        as it takes; the job itself goes on, :meth:`Lane.run` stops it);
        :class:`JobStopped` when its workers were stopped first; :class:`WorkerLost` as soon
        as its worker process has ended without an answer.
        """
        if self._pending is None:
            if self._error is not None:
                raise self._error
            return self._value  # type: ignore[return-value]  # T may itself include None
        self._wait(self._pending, timeout)
        try:
            return self._pending.result()
        except CancelledError:  # queued behind a job whose workers were stopped
            raise JobStopped(self.lane) from None
        except BrokenProcessPool:
            if self._workers is not None and self._workers.stopped.is_set():
                raise JobStopped(self.lane) from None
            if self._workers is not None and self._on_lost is not None:
                self._on_lost(self._workers)  # the next job starts new workers
            raise WorkerLost(self.lane) from None

    def _wait(self, pending: Future[T], timeout: float | None) -> None:
        """Until the work is done; :class:`JobTimeout` or :class:`JobStopped` first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = self._POLL_S
            if deadline is not None:
                wait = min(wait, max(0.0, deadline - time.monotonic()))
            # (concurrent.futures' time-out is the built-in TimeoutError, which the job's own
            # JobTimeout also is: ask whether it is done rather than catch it.)
            if wait_for([pending], timeout=wait).done:
                return
            if self._workers is not None and self._workers.stopped.is_set():
                raise JobStopped(self.lane)
            if deadline is not None and time.monotonic() >= deadline:
                raise JobTimeout(self.lane, timeout or 0.0)


@dataclass
class Lane:
    """A pool of worker processes for one kind of heavy work (see the module's docstring)."""

    name: str
    workers: int = 1
    timeout_s: float = 120.0
    nice: int = 10
    memory: int | None = None
    cpu_s: float | None = None
    """Processor time one job may use (counted in its worker, so neither the queue nor a
    busy machine counts against it); ``None``: only :attr:`timeout_s` applies."""
    warm: tuple[str, ...] = ()
    """Modules each worker imports as it starts (:meth:`warm_up`); ``"module:function"``
    also calls that function (loading the rules, say)."""
    _current: _Workers | None = field(default=None, init=False, repr=False)
    _unavailable: bool = field(default=False, init=False, repr=False)
    _warmed: bool = field(default=False, init=False, repr=False)
    _warming: list[Future[None]] = field(default_factory=list, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def submit(
        self, function: Callable[..., T], *args: object, cpu_s: float | None = None
    ) -> Job[T]:
        """Start ``function(*args)`` in a worker, in the current language; returns at once.

        ``cpu_s``: the job's processor time, when not the lane's :attr:`cpu_s`."""
        lang = current_language()
        cpu = self.cpu_s if cpu_s is None else cpu_s
        for _attempt in range(2):
            workers = self._workers()
            if workers is None:
                try:
                    return Job(self.name, value=_call(function, lang, None, self.name, args))
                except Exception as err:
                    return Job(self.name, error=err)
            try:
                pending = workers.pool.submit(_call, function, lang, cpu, self.name, args)
            except (BrokenProcessPool, RuntimeError):  # a worker ended since: new workers
                self._stop(workers)
                continue
            return Job(self.name, pending, workers, on_lost=self._stop)
        return Job(self.name, error=WorkerLost(self.name))

    def run(self, function: Callable[..., T], *args: object, timeout: float | None = None) -> T:
        """``function(*args)`` in a worker; the caller waits (the app's other sessions do not).

        Stopped after ``timeout`` (default :attr:`timeout_s`) seconds, or :attr:`cpu_s` of
        processor time, with :class:`JobTimeout`; when it needs more than :attr:`memory`
        with ``MemoryError``; the lane's workers are then replaced, so the next job starts
        afresh. A worker that ends without an answer gives :class:`WorkerLost` at once.
        """
        return self.wait(self.submit(function, *args), timeout)

    def wait(self, job: Job[T], timeout: float | None = None) -> T:
        """The result of a job of this lane, stopping it as :meth:`run` does."""
        seconds = self.timeout_s if timeout is None else timeout
        try:
            return job.result(timeout=max(0.0, seconds - job.elapsed()))
        except (JobTimeout, MemoryError) as err:
            # A job over its processor time was stopped inside its worker, which goes on
            # serving; one over its wall time may still be running: end its workers.
            if job._workers is not None and not (isinstance(err, JobTimeout) and err.cpu):
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
        if workers is not None:
            warming = []
            for _n in range(self.workers):
                with contextlib.suppress(BrokenProcessPool, RuntimeError):
                    warming.append(workers.pool.submit(_imports, self.warm))
            with self._lock:
                self._warming = warming

    def ready(self) -> bool:
        """Whether the lane's workers have started and made their imports (after
        :meth:`warm_up`): a job submitted now does not wait for a process to start."""
        with self._lock:
            return (
                self._current is not None
                and not self._current.stopped.is_set()
                and bool(self._warming)
                and all(f.done() for f in self._warming)
            )

    def stop(self) -> None:
        """Stop the lane's workers (a job still running fails with :class:`JobStopped`); the
        next job starts new ones."""
        with self._lock:
            current = self._current
        if current is not None:
            self._stop(current)

    def _stop(self, only: _Workers) -> None:
        with self._lock:
            if self._current is only:
                self._current = None
                self._warmed = False
                self._warming = []
        if not only.stopped.is_set():
            only.stop()

    def _workers(self) -> _Workers | None:
        with self._lock:
            if self._current is None and not self._unavailable:
                try:
                    context = multiprocessing.get_context("spawn")
                    pool = ProcessPoolExecutor(
                        self.workers,
                        mp_context=context,
                        initializer=_start_worker,
                        initargs=(self.nice, self.memory),
                    )
                except (OSError, ValueError) as err:  # no process can be started here
                    _log.warning("%s run in the app's process: %s", self.name, err)
                    self._unavailable = True
                    return None
                workers = _Workers(pool)
                atexit.register(_at_exit, workers)  # a running job does not hold up the exit
                self._current = workers
                _log.info("%s workers started", self.name)
            return self._current


def _at_exit(workers: _Workers) -> None:
    if not workers.stopped.is_set():
        workers.stop()


class _CpuSpent(BaseException):
    """Raised inside a worker when its job has used its processor time (not an
    ``Exception``, so a reader's ``except Exception`` does not swallow it)."""


def _over_cpu(signum: int, frame: FrameType | None) -> None:
    # Lift the limit first: the kernel repeats SIGXCPU every second past it, and a second
    # one must not land in the worker's own code that sends the answer back.
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
    raise _CpuSpent


def _call(
    function: Callable[..., T],
    lang: str,
    cpu_s: float | None,
    lane: str,
    args: tuple[object, ...],
) -> T:
    """Runs in the worker: ``function(*args)`` in ``lang``, within ``cpu_s`` of CPU time."""
    if cpu_s is None:
        with use_language(lang):
            return function(*args)
    # The kernel sends SIGXCPU once the process has used its soft CPU limit: set it to what
    # this job may add to what the worker has used so far, and lift it afterwards.
    used = resource.getrusage(resource.RUSAGE_SELF)
    limit = math.ceil(used.ru_utime + used.ru_stime + cpu_s)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    previous = signal.signal(signal.SIGXCPU, _over_cpu)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, hard))
    try:
        with use_language(lang):
            return function(*args)
    except _CpuSpent:
        raise JobTimeout(lane, cpu_s, cpu=True) from None
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        signal.signal(signal.SIGXCPU, previous)


def _imports(modules: tuple[str, ...]) -> None:
    for name in modules:
        module_name, _colon, function = name.partition(":")
        try:
            module = import_module(module_name)
        except ImportError:  # an optional part that is not installed
            continue
        if function:
            getattr(module, function)()


def _start_worker(nice: int, memory: int | None) -> None:
    """Runs in each worker as it starts: lower its priority, limit its memory."""
    if nice:
        with contextlib.suppress(OSError):  # a priority that cannot be lowered stays as is
            os.nice(nice)
    if memory is not None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
