"""The in-memory side of storage: TinyDB tables changed in place, with the documents each
commit touched recorded for the journal and for rollback, and secondary indexes.

`assistant.storage.Store` owns the data and the files; see docs/storage.md.
"""
from __future__ import annotations

import asyncio
import gc
import json
from collections import OrderedDict
from collections.abc import (
    Callable,
    Collection,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any

from tinydb.table import Document
from tinydb.table import Table as _TinyTable

from . import collector
from .documents import (
    _ABSENT,
    _SCALAR,
    _clean,
    _clone,
    _copy,
    _index_key,
    _Stored,
    _stored,
)
from .indexes import Ids, Rows, _add, _discard, _fill, _Group, _members, _Reverse
from .tinytables import _TrackedTable

if TYPE_CHECKING:
    from .storage import Store

LASTING = 10_000
"""An index built over this many documents lives as long as its table, like the loaded
documents: it is moved out of the cyclic collector's way (gc.freeze, after one collection so
no garbage is kept) as they were, or every full collection walks its hundreds of thousands of
entries (docs/storage.md, Costs)."""
WARM_SLICE = 3_000
"""Documents indexed at a time when indexes are built ahead (`warm`): about 5 ms."""
WARM_PAUSE = 0.002
"""Seconds `warm` waits between slices, so that a start's first answers, each a few steps
of I/O, are not each held up by a slice (a start's first answer came 0.6 s later without)."""
GROUP_DOCS = 40_000
"""At most this many documents per table are kept in groups (least recently used groups are
dropped first). A group holds the stored documents, not copies: about 100 bytes a document
for its entries and sorted lists."""

class Table:
    """One plugin table: JSON documents by int id, with optional in-memory field indexes."""

    def __init__(self, store: Store, name: str) -> None:
        self.name, self._store = name, store
        self._tiny: _TrackedTable = store._db.table(name)  # type: ignore[assignment]
        self._wanted: set[str] = set()
        self.version = 0
        """Changes with every write to the table and every rollback: callers may keep what
        they computed from it for as long as the version stays the same."""
        self._indexes: dict[str, dict[Any, Ids]] = {}
        self._reverse: dict[str, _Reverse] = {}
        self._groups: OrderedDict[tuple[str, Any], _Group] = OrderedDict()
        self._grouped = 0
        self._stamps: dict[tuple[str, Any], int] = {}
        self._warming: set[int] | None = None
        self._memo: tuple[int, dict[Any, Any]] = (0, {})

    @property
    def tinydb(self) -> _TinyTable:
        """The TinyDB table for arbitrary queries; writes through it are tracked too."""
        return self._tiny

    def _raw(self) -> dict[str, dict]:
        return self._store._data.get(self.name, {})

    def memo(self) -> dict[Any, Any]:
        """A place for what the owning plugin computed from this table, emptied whenever the
        table changes: a card looks up the same answer or setting several times."""
        if self._memo[0] != self.version:
            self._memo = (self.version, {})
        return self._memo[1]

    def insert(self, doc: Mapping) -> int:
        """Add a document under a fresh id."""
        return self._tiny.insert(doc if type(doc) is dict else dict(doc))

    def get(self, doc_id: int) -> Document | None:
        """A private copy of one document, or None."""
        raw = self._raw().get(str(doc_id))
        return None if raw is None else _copy(raw, doc_id)

    def put(self, doc_id: int, doc: Mapping) -> None:
        """Insert or replace the document with this id."""
        self._tiny._update_table(lambda view: view.__setitem__(doc_id, doc))

    def update(self, doc_id: int, fields: Mapping) -> None:
        """Set some fields of an existing document (KeyError when there is none)."""
        clean = _clean(fields)
        self._tiny._update_table(lambda view: view[doc_id].update(clean))

    def remove(self, doc_id: int) -> None:
        """Delete a document; removing a missing id does nothing."""
        self._tiny._update_table(lambda view: view.pop(doc_id, None))

    def truncate(self) -> None:
        """Delete every document."""
        self._tiny.truncate()

    def find(self, **equals: Any) -> list[Document]:
        """Documents whose fields equal the values, in id order; an indexed field avoids a scan."""
        return [_copy(doc, doc_id) for doc_id, doc in self._matches(equals)]

    def _matches(self, equals: Mapping[str, Any]) -> Iterator[tuple[int, dict]]:
        """The stored documents that match, in id order (not copies: callers copy)."""
        raw = self._raw()
        used, ids = self._candidates(equals)
        rest = [(field, want) for field, want in equals.items() if field not in used]
        if ids is None:
            pairs: Iterator[tuple[int, dict]] = iter(sorted((int(key), doc)
                                                            for key, doc in raw.items()))
        else:
            pairs = ((i, raw[str(i)]) for i in sorted(ids))
        return ((doc_id, doc) for doc_id, doc in pairs
                if all(doc.get(field, _ABSENT) == want for field, want in rest))

    def group(self, field: str, value: Any, order: Callable[[Document], Any] | None = None
              ) -> Rows:
        """The documents whose indexed `field` equals `value`, in id order or sorted by
        `order`: the stored documents themselves, which refuse changes, in lists refreshed
        write by write, so a hot group (a crowded meeting's answers) is neither copied nor
        sorted again on every read. The list stays as it was when the group changes (a new
        one is made); `stamp` says when it did."""
        if field not in self._wanted:
            raise ValueError(f"group() needs an indexed field; {field!r} is not one")
        if field not in self._indexes:
            self._build(field)
        key = (field, _index_key(value))
        group = self._groups.get(key)
        if group is None:
            raw, docs = self._raw(), {}
            for i in _members(self._indexes[field].get(key[1])):
                if type(doc := raw[name := str(i)]) is not _Stored:
                    doc = raw[name] = _stored(doc, i)
                docs[i] = doc
            group = self._groups[key] = _Group(docs)
            self._grouped += len(group.docs)
            while self._grouped > GROUP_DOCS and len(self._groups) > 1:
                self._grouped -= len(self._groups.popitem(last=False)[1].docs)
        else:
            self._groups.move_to_end(key)
        return group.ordered(order)

    def stamp(self, field: str, value: Any) -> int:
        """A number that changes whenever a document with this value of the indexed `field`
        is written or rolled back, so a caller may keep what it derived from the group (a
        meeting's seat counts) without reading the group again."""
        if field not in self._wanted:
            raise ValueError(f"stamp() needs an indexed field; {field!r} is not one")
        if field not in self._indexes:
            self._build(field)
        return self._stamps.get((field, _index_key(value)), 0)

    def distinct(self, field: str) -> list[Any]:
        """The values an indexed `field` has among the documents, from its index alone: a
        job that decides per meeting (the health declarations' expiry) asks once per value,
        not once per document."""
        if field not in self._wanted:
            raise ValueError(f"distinct() needs an indexed field; {field!r} is not one")
        if field not in self._indexes:
            self._build(field)
        return [json.loads(key[1]) if type(key) is tuple and key[:1] == ("\0json",) else key
                for key in self._indexes[field]]

    def values(self, fields: Sequence[str], **equals: Any) -> list[tuple[int, tuple]]:
        """(id, the fields' values, None where missing) of the matching documents in id order,
        copying no document: a scan needing a few fields of many (the outbox's queue)."""
        return [(doc_id, tuple(value if type(value := doc.get(field)) in _SCALAR
                               else _clone(value) for field in fields))
                for doc_id, doc in self._matches(equals)]

    def ids(self) -> list[int]:
        """Every document's id in order, reading no document (everyone, for a broadcast)."""
        return sorted(map(int, self._raw()))

    def first(self, **equals: Any) -> Document | None:
        """The matching document with the lowest id (only that one is copied). Through the
        indexes the ids every indexed field allows are found without reading a document, and
        the lowest is picked without sorting: lookups such as a user's answer to a meeting
        run several times per update."""
        used, ids = self._candidates(equals)
        if ids is None:
            for doc_id, doc in self._matches(equals):
                return _copy(doc, doc_id)
            return None
        raw, found = self._raw(), None
        rest = [(f, w) for f, w in equals.items() if f not in used]
        for doc_id in ids:
            if found is None or doc_id < found:
                doc = raw[str(doc_id)]
                for field, want in rest:
                    if doc.get(field, _ABSENT) != want:
                        break
                else:
                    found = doc_id
        return None if found is None else _copy(raw[str(found)], found)

    def count(self, **equals: Any) -> int:
        """How many documents match (all of them without arguments), copying none."""
        return sum(1 for _match in self._matches(equals)) if equals else len(self._raw())

    def all(self) -> list[Document]:
        """Private copies of every document, in storage order."""
        return list(self)

    def __len__(self) -> int:
        return len(self._raw())

    def __iter__(self) -> Iterator[Document]:
        return (_copy(doc, int(key)) for key, doc in list(self._raw().items()))

    def _candidates(self, equals: Mapping[str, Any]
                    ) -> tuple[Collection[str], Collection[int] | None]:
        """The indexed fields asked about and the ids all of them allow, found from the
        indexes alone (a user's few answers checked against a meeting's many, not each
        document read: at festival size every read is a cache miss); ((), None): scan."""
        wanted = [field for field in equals if field in self._wanted]
        # A dict or list is keyed by its JSON text, stricter than ==: only ever used alone.
        used = [field for field in wanted if type(equals[field]) not in (dict, list)] \
            or wanted[:1]
        if not used:
            return (), None
        found: list[Collection[int]] = []
        for field in used:
            if field not in self._indexes:
                self._build(field)
            found.append(_members(self._indexes[field].get(_index_key(equals[field]))))
        if len(found) == 1:
            return used, found[0]
        found.sort(key=len)
        ids = found[0]
        for other in found[1:]:
            ids = [i for i in ids if i in other]
        return used, ids

    def _build(self, field: str) -> None:
        """The index of `field` and of every other wanted field not built yet, from scratch in
        one pass: all of them then hold the same int objects for the ids (docs/storage.md)."""
        raw = self._raw()
        all_ids = list(map(int, raw))
        if self._tiny._next_id is None:
            self._tiny._next_id = max(all_ids, default=0) + 1
        built = self._empty_indexes((self._wanted | {field}) - self._indexes.keys(),
                                    max(all_ids, default=0) + 1, len(all_ids))
        _fill(built, all_ids, list(raw.values()))
        self._install(built, len(raw))

    async def warm(self) -> None:
        """Build the wanted indexes WARM_SLICE documents at a time, with others answered in
        between, so that the first query after a start does not stop everyone for the whole
        build (0.5 s for the festival's answers). Documents written meanwhile are indexed
        again at the end; a query that cannot wait builds the index itself, as ever."""
        raw = self._raw()
        if not (fields := self._wanted - self._indexes.keys()) or not raw:
            return
        keys = list(raw)
        built = self._empty_indexes(fields, len(keys) + 1, len(keys))
        self._warming = changed = set()
        try:
            for start in range(0, len(keys), WARM_SLICE):
                await asyncio.sleep(WARM_PAUSE)
                if fields <= self._indexes.keys():
                    return
                with collector.paused():
                    part = [(int(key), doc) for key in keys[start:start + WARM_SLICE]
                            if (doc := raw.get(key)) is not None]
                    _fill(built, [i for i, _doc in part], [doc for _i, doc in part])
        finally:
            self._warming = None
        built = [entry for entry in built if entry[0] not in self._indexes]
        self._install(built, len(keys))
        if changed and built:
            self._reindex(changed, [name for name, _, _ in built])

    @staticmethod
    def _empty_indexes(fields: set[str], size: int, count: int
                       ) -> list[tuple[str, dict[Any, Ids], _Reverse]]:
        """Indexes to fill for `count` documents, with room for ids below `size` (`_Reverse`)."""
        return [(name, {}, _Reverse(size, count)) for name in sorted(fields)]

    def _install(self, built: list[tuple[str, dict[Any, Ids], _Reverse]], count: int) -> None:
        for name, index, reverse in built:
            self._indexes[name], self._reverse[name] = index, reverse
        if built and count >= LASTING:
            gc.collect()
            gc.freeze()

    def _reindex(self, ids: Iterator[int] | set[int], fields: Sequence[str] = ()) -> None:
        raw, groups, stamps, tick = self._raw(), self._groups, self._stamps, self.version
        for doc_id in ids:
            doc = raw.get(str(doc_id))
            for field in fields or self._indexes:
                index, reverse = self._indexes[field], self._reverse[field]
                if (old := reverse.pop(doc_id, _ABSENT)) is not _ABSENT:
                    stamps[field, old] = tick
                    _discard(index, old, doc_id)
                    if groups and (group := groups.get((field, old))) is not None:
                        self._grouped -= group.drop(doc_id)
                if doc is not None and field in doc:
                    reverse[doc_id] = key = _index_key(doc[field])
                    stamps[field, key] = tick
                    _add(index, (doc_id,), (key,))
                    if groups and (group := groups.get((field, key))) is not None:
                        if type(doc) is not _Stored:
                            doc = raw[str(doc_id)] = _stored(doc, doc_id)
                        self._grouped += group.put(doc)
