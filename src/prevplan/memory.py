"""Building many small objects quickly: the command line pauses the cyclic garbage collector.

Validating 100k populations or loading a 10,000-population plan creates several hundred
thousand small objects and no reference cycles, yet it sets off hundreds of collector passes
over an ever larger heap (measured: 100k populations validated in 0.2 s paused instead of
0.7 s; a large plan loaded in 0.6 s instead of 1.5 s).

The collector is process-wide, so it is paused only while a command of the command line runs
(:func:`command_running`, entered by :mod:`prevplan.cli`): one command, one thread, and the
process ends soon after. Inside the app (a long-running server with many threads)
:func:`gc_paused` does nothing, and the collector runs as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_commands_running = 0


@contextmanager
def command_running() -> Iterator[None]:
    """Mark a command of the command line as running: :func:`gc_paused` may pause."""
    global _commands_running
    _commands_running += 1
    try:
        yield
    finally:
        _commands_running -= 1


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector while a command runs (else nothing); a caller that had
    switched it off keeps it off."""
    if not _commands_running:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
