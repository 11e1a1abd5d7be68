"""Building many small objects quickly: the cyclic garbage collector is paused meanwhile.

Validating 100k populations or loading a 10,000-population plan creates several hundred
thousand small objects and no reference cycles, yet it sets off hundreds of collector passes
over an ever larger heap (measured: 100k populations validated in 0.2 s paused instead of
0.7 s; a large plan loaded in 0.6 s instead of 1.5 s).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic collector; a caller that had switched it off keeps it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
