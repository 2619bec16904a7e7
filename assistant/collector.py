"""The cyclic garbage collector, paused while big acyclic structures are built."""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Loading a season's snapshot or reading a festival's programme allocates hundreds of
    thousands of containers, none of them cyclic: the collector would walk an ever larger
    heap again and again for nothing, and a full collection holds every thread up."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
