"""Values derived from a programme's immutable objects (a card's fixed lines, a calendar
fingerprint), kept while those very objects are current: a reload makes new ones, so their
identity is the version, and nothing has to be told that the programme changed."""
from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Derived(Generic[V]):
    """At most `size` values by the identity of their two sources, least recently used dropped
    first. The sources are held weakly, so a replaced programme is freed at once rather
    than when its last value is dropped; an id reused by a new object does not match the
    dead reference kept with the old value."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, int, Hashable],
                                tuple[weakref.ref, weakref.ref, V]] = OrderedDict()

    def get(self, sources: tuple[object, object], extra: Hashable, make: Callable[[], V]) -> V:
        """The value made from these two very objects (a programme and one of its meetings)
        and `extra`, made now if not kept. Asked a few times an update, so unrolled."""
        first, second = sources
        key = (id(first), id(second), extra)
        found = self._kept.get(key)
        if found is not None and found[0]() is first and found[1]() is second:
            self._kept.move_to_end(key)
            return found[2]
        value = make()
        self._kept[key] = (weakref.ref(first), weakref.ref(second), value)
        self._kept.move_to_end(key)
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return value
