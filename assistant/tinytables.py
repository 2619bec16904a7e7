"""TinyDB's tables changed in place: TinyDB hands its updaters the whole table and writes
it back, so Mingel gives it the live dict and records each document an updater touches,
for the journal and for rollback (`assistant.storage.Store`, docs/storage.md)."""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

from tinydb.storages import Storage
from tinydb.table import Table as _TinyTable

from .documents import _clean, _thawed

if TYPE_CHECKING:
    from .storage import Store


def _current_task() -> asyncio.Task | None:
    """Who is changing data, so a rolled-back change cannot later be reported as saved."""
    try:
        return asyncio.current_task()
    except RuntimeError:
        return None


class _LiveStorage(Storage):
    """Hands TinyDB the live dict: reads copy nothing and writes happen in place."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def read(self) -> dict[str, dict[str, Any]]:
        return self.store._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if data is not self.store._data:
            from .storage import StorageError
            raise StorageError("whole-database writes (drop_tables) are not supported")


class _View(MutableMapping):
    """A table as TinyDB's updaters see it (int ids), recording every document touched."""

    def __init__(self, store: Store, table: _TinyTable) -> None:
        self._store, self._table = store, table
        self._raw = store._data.setdefault(table.name, {})
        self.ids: set[int] = set()

    def _touch(self, key: str) -> None:
        self._store._touch(self._table.name, key, self._raw)
        self.ids.add(int(key))

    def __getitem__(self, doc_id: int) -> dict:
        """The document for an updater to change in place: a fresh copy, stored, so that a
        stored document is never changed (groups and before-images hold them)."""
        key = str(doc_id)
        self._touch(key)
        doc = self._raw[key] = _thawed(self._raw[key])
        return doc

    def __setitem__(self, doc_id: int, doc: Mapping) -> None:
        if type(doc_id) is not int or doc_id < 1 or not isinstance(doc, Mapping):
            raise ValueError(f"need a positive int id and a mapping, not {doc_id!r}: {doc!r}")
        clean = _clean(doc)
        self._touch(str(doc_id))
        self._raw[str(doc_id)] = clean
        if self._table._next_id is not None and doc_id >= self._table._next_id:
            self._table._next_id = doc_id + 1

    def __delitem__(self, doc_id: int) -> None:
        if str(doc_id) not in self._raw:
            raise KeyError(doc_id)
        self._touch(str(doc_id))
        del self._raw[str(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return map(int, list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:
        for key in self._raw:
            self._touch(key)
        self._raw.clear()


class _TrackedTable(_TinyTable):
    """A TinyDB table that changes documents in place instead of copying the whole table."""

    def _get_next_id(self) -> int:
        """TinyDB's own first lookup turns every id into a Document id one by one (80 ms at
        200,000 documents, on the first insert after start); `Table._build` sets it free."""
        if self._next_id is None:
            self._next_id = max(map(int, self._read_table()), default=0) + 1
        return super()._get_next_id()

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        store: Store = self._storage.store
        view = _View(store, self)
        try:
            updater(view)  # type: ignore[arg-type]
        finally:
            self.clear_cache()
            store._changed(self.name, view.ids)
