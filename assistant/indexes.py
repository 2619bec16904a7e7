"""What a Table keeps in memory beside its documents: the indexes (a key's ids), which key
each document is indexed under, and the hot groups' documents and sorted lists
(`Table.group`); see docs/storage.md."""
from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tinydb.table import Document

from .documents import _index_key

_EMPTY: Any = object()


class _Reverse:
    """Doc id -> the key an index holds it under. A list indexed by id while the ids are dense,
    as TinyDB's are (8 bytes an id instead of about 50 in a dict), a dict once they are not."""

    __slots__ = ("_dict", "_list", "_most")

    def __init__(self, size: int, count: int) -> None:
        """Room for ids below `size`, if that is not far more than the `count` documents."""
        self._most = 2 * count + 1024
        self._list: list[Any] | None = [_EMPTY] * size if size <= self._most else None
        self._dict: dict[int, Any] = {}

    def __setitem__(self, doc_id: int, key: Any) -> None:
        slots = self._list
        if slots is not None and 0 <= doc_id < len(slots):
            slots[doc_id] = key
        elif slots is not None and 0 <= doc_id < 2 * len(slots) + 1024:
            slots.extend([_EMPTY] * (max(doc_id + 1, len(slots) * 5 // 4) - len(slots)))
            slots[doc_id] = key
        else:
            self._spread()
            self._dict[doc_id] = key

    def _spread(self) -> None:
        """Into the dict: a list up to a far-away id would waste memory."""
        if self._list is not None:
            self._dict = {i: k for i, k in enumerate(self._list) if k is not _EMPTY}
            self._list = None

    def fill(self, ids: Sequence[int], keys: Sequence[Any]) -> None:
        """Set many at once for the build of `count` documents (`__init__`), `_EMPTY` leaving
        an id as it is: the list if every id is below what `__init__` would have sized it
        for (a warm-up learns the ids slice by slice), else the dict."""
        if ids and (min(ids) < 0 or max(ids) >= self._most):
            self._spread()
        if (slots := self._list) is None:
            self._dict.update((i, k) for i, k in zip(ids, keys) if k is not _EMPTY)
            return
        if ids and (top := max(ids)) >= len(slots):
            slots.extend([_EMPTY] * (top + 1 - len(slots)))
        for doc_id, key in zip(ids, keys):
            if key is not _EMPTY:
                slots[doc_id] = key

    def pop(self, doc_id: int, default: Any) -> Any:
        """Forget and return the key of `doc_id` (default if it has none)."""
        slots = self._list
        if slots is None:
            return self._dict.pop(doc_id, default)
        if not 0 <= doc_id < len(slots) or (key := slots[doc_id]) is _EMPTY:
            return default
        slots[doc_id] = _EMPTY
        return key


class Rows(list):
    """Documents from Table.group(), shared between callers: read them, never change them.
    What a caller derives from them it keeps with `Table.stamp`."""

    __slots__ = ()


Order = Callable[[Document], Any] | None
ORDERS_KEPT = 4
"""Sorted lists kept per group (one per sort key asked for; a caller making a new key
function for every read must not make every write copy more lists)."""


def _key(order: Order) -> Callable[[Document], Any]:
    """Sort key: `order`, ties in id order (what a stable sort in id order gives)."""
    return _by_id if order is None else lambda doc: (order(doc), doc.doc_id)


def _by_id(doc: Document) -> int:
    return doc.doc_id


def _without(rows: Rows, doc: Document, key: Callable[[Document], Any]) -> Rows:
    """A new list: `rows` less this very document (found by bisection on its key)."""
    at = bisect.bisect_left(rows, key(doc), key=key)
    while rows[at] is not doc:
        at += 1
    found = Rows(rows)
    del found[at]
    return found


def _sorted(by_id: list[Document], order: Callable[[Document], Any]) -> list[Document]:
    """Sorted by the caller's key alone, since a stable sort of the id-ordered documents
    leaves ties in id order (a C key such as `itemgetter` sorts ten times faster than one
    wrapped in ours); by (key, id) when equal keys cannot be ordered (None for every
    document), which the id settles."""
    try:
        return sorted(by_id, key=order)
    except TypeError:
        return sorted(by_id, key=_key(order))


class _Group:
    """One group's stored documents by id, and their sorted lists once asked for (`_sorted`),
    then kept by bisection on (key, id) as writes come instead of sorting the group again
    (a crowded meeting's answers are re-read after every tap)."""

    __slots__ = ("_lists", "docs")

    def __init__(self, docs: dict[int, Document]) -> None:
        self.docs = docs
        self._lists: dict[Order, Rows] = {}

    def ordered(self, order: Order) -> Rows:
        if (found := self._lists.get(order)) is None:
            by_id = [self.docs[i] for i in sorted(self.docs)]
            found = Rows(by_id if order is None else _sorted(by_id, order))
            if len(self._lists) >= ORDERS_KEPT:
                del self._lists[next(iter(self._lists))]
            self._lists[order] = found
        return found

    def drop(self, doc_id: int) -> int:
        old = self.docs.pop(doc_id, None)
        if old is None:
            return 0
        self._follow(old, None)
        return 1

    def put(self, doc: Document) -> int:
        old = self.docs.get(doc.doc_id)
        self.docs[doc.doc_id] = doc
        self._follow(old, doc)
        return int(old is None)

    def _follow(self, old: Document | None, new: Document | None) -> None:
        """New lists for a write. A sort key that fails (or a shared document a caller
        changed) drops them instead: the next read sorts again and the error is the
        reader's, as it was before lists were kept, never the writer's."""
        lists = {}
        try:
            for order, rows in self._lists.items():
                key = _key(order)
                rows = Rows(rows) if old is None else _without(rows, old, key)
                if new is not None:
                    bisect.insort(rows, new, key=key)
                lists[order] = rows
        except Exception:  # noqa: BLE001 - see the docstring
            lists = {}
        self._lists = lists


Ids = int | set[int]
"""What an index holds under a key: the one document's id, or a set once there are more.
Most keys of some indexes are unique (the outbox's `key`: one per message); a set each was
200 bytes and an object every full collection walks (136,000 of them at festival time)."""


def _add(index: dict[Any, Ids], ids: Iterable[int], keys: Iterable[Any]) -> None:
    """File each id under its key (`_EMPTY`: under none), in one loop for a whole build."""
    get = index.get
    for doc_id, key in zip(ids, keys):
        if key is _EMPTY:
            continue
        if (found := get(key)) is None:
            index[key] = doc_id
        elif type(found) is int:
            if found != doc_id:
                index[key] = {found, doc_id}
        else:
            found.add(doc_id)


def _discard(index: dict[Any, Ids], key: Any, doc_id: int) -> None:
    ids = index[key]
    if type(ids) is int:
        if ids == doc_id:
            del index[key]
    else:
        ids.discard(doc_id)
        if len(ids) == 1:
            index[key] = next(iter(ids))
        elif not ids:
            del index[key]


def _members(ids: Ids | None) -> tuple[int, ...] | set[int]:
    """The ids under a key, as a collection."""
    return () if ids is None else (ids,) if type(ids) is int else ids


def _fill(built: list[tuple[str, dict[Any, Ids], _Reverse]], ids: Sequence[int],
          docs: Sequence[dict]) -> None:
    """Add documents (`ids[n]` is the id of `docs[n]`) to fresh indexes a field at a time,
    a loop over all of them per map: a call per document and field made the festival's
    answers' build 0.40 s, a first card's wait after a start (docs/storage.md)."""
    for name, index, reverse in built:
        keys = [doc.get(name, _EMPTY) for doc in docs]
        if not set(map(type, keys)).isdisjoint((dict, list)):
            keys = [_index_key(key) if type(key) in (dict, list) else key for key in keys]
        reverse.fill(ids, keys)
        _add(index, ids, keys)
