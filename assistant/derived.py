"""Values derived from a programme's immutable objects (a card's fixed lines, a calendar
fingerprint), kept while those very objects are current: a reload makes new ones, so their
identity is the version, and nothing has to be told that the programme changed."""
from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Derived(Generic[V]):
    """At most `size` values by the identity of their sources, least recently used dropped
    first. The sources are held weakly, so a replaced programme is freed at once rather
    than when its last value is dropped; an id reused by a new object does not match the
    dead reference kept with the old value."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[Any, ...], tuple[tuple[weakref.ref, ...], V]] = \
            OrderedDict()

    def get(self, sources: tuple[object, ...], extra: Hashable, make: Callable[[], V]) -> V:
        """The value made from these very objects (and `extra`), made now if not kept."""
        key = (*map(id, sources), extra)
        found = self._kept.get(key)
        if found is not None:
            for ref, source in zip(found[0], sources, strict=True):
                if ref() is not source:
                    break
            else:
                self._kept.move_to_end(key)
                return found[1]
        value = make()
        self._kept[key] = (tuple(map(weakref.ref, sources)), value)
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return value
