"""The naive baseline: Mingel's Store API on plain TinyDB, as a first version would use it.

Reads come from TinyDB's CachingMiddleware (the whole database in memory, as Mingel
keeps it too); every commit writes the whole JSON file with TinyDB's stock JSONStorage
(which fsyncs), and every write goes through TinyDB's stock Table, which copies the
whole table on each insert, update or remove. Lookups are TinyDB queries (a scan;
TinyDB's query cache is dropped on every write to the table). Indexes are ignored.
Nothing here is used by Mingel itself: it only exists to be measured against.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import reduce
from pathlib import Path
from typing import Any

from tinydb import TinyDB, where
from tinydb.middlewares import CachingMiddleware
from tinydb.storages import JSONStorage
from tinydb.table import Document
from tinydb.table import Table as TinyTable

FILE = "naive.json"
META_TABLE = "naive_meta"


class NaiveTable:
    """Mingel's Table API over a stock TinyDB table."""

    def __init__(self, tiny: TinyTable) -> None:
        self.name = tiny.name
        self._tiny = tiny
        self.version = 0
        """Raised by every write: what callers compare to keep derived values."""

    @property
    def tinydb(self) -> TinyTable:
        """The stock table."""
        return self._tiny

    def insert(self, doc: Mapping) -> int:
        """Stock insert: copies the whole table, then the commit rewrites the file."""
        self.version += 1
        return self._tiny.insert(dict(doc))

    def get(self, doc_id: int) -> Document | None:
        """Stock get."""
        return self._tiny.get(doc_id=doc_id)

    def put(self, doc_id: int, doc: Mapping) -> None:
        """Insert or replace with stock upsert."""
        self.version += 1
        self._tiny.upsert(Document(dict(doc), doc_id))

    def update(self, doc_id: int, fields: Mapping) -> None:
        """Stock update of one document (KeyError when there is none)."""
        if not self._tiny.contains(doc_id=doc_id):
            raise KeyError(doc_id)
        self.version += 1
        self._tiny.update(dict(fields), doc_ids=[doc_id])

    def remove(self, doc_id: int) -> None:
        """Stock remove; a missing id does nothing."""
        if self._tiny.contains(doc_id=doc_id):
            self.version += 1
            self._tiny.remove(doc_ids=[doc_id])

    def truncate(self) -> None:
        """Stock truncate."""
        self.version += 1
        self._tiny.truncate()

    def find(self, **equals: Any) -> list[Document]:
        """A TinyDB query: scans the table."""
        if not equals:
            return self.all()
        query = reduce(lambda a, b: a & b, (where(k) == v for k, v in equals.items()))
        return sorted(self._tiny.search(query), key=lambda d: d.doc_id)

    def group(self, field: str, value: Any, order: Callable[[Document], Any] | None = None
              ) -> list[Document]:
        """A query every time, sorted every time (Mingel keeps groups up to date)."""
        found = self.find(**{field: value})
        return found if order is None else sorted(found, key=order)

    def stamp(self, field: str, value: Any) -> int:
        """Any write to the table counts as a change to every group."""
        return self.version

    def memo(self) -> dict[Any, Any]:
        """A first version keeps nothing between lookups: an empty dict every time."""
        return {}

    def first(self, **equals: Any) -> Document | None:
        """The matching document with the lowest id."""
        found = self.find(**equals)
        return found[0] if found else None

    async def warm(self) -> None:
        """No indexes to build ahead: stock TinyDB has none."""

    def values(self, fields: Sequence[str], **equals: Any) -> list[tuple[int, tuple]]:
        """The fields of each match: a query, then a copy of each document."""
        return [(doc.doc_id, tuple(doc.get(field) for field in fields))
                for doc in self.find(**equals)]

    def distinct(self, field: str) -> list[Any]:
        """The values a field has: every document read (Mingel asks its index)."""
        found: dict[Any, Any] = {}
        for doc in self._tiny.all():
            if field in doc:
                value = doc[field]
                found.setdefault(repr(value) if type(value) in (dict, list) else value, value)
        return list(found.values())

    def ids(self) -> list[int]:
        """Every document's id in order."""
        return sorted(doc.doc_id for doc in self._tiny.all())

    def count(self, **equals: Any) -> int:
        """How many documents match."""
        return len(self.find(**equals)) if equals else len(self._tiny)

    def all(self) -> list[Document]:
        """Every document."""
        return self._tiny.all()

    def __len__(self) -> int:
        return len(self._tiny)

    def __iter__(self) -> Iterator[Document]:
        return iter(self._tiny.all())


class NaiveStore:
    """A Store look-alike: TinyDB's JSONStorage, whole file rewritten on every commit."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self._db: TinyDB | None = None
        self._tables: dict[str, NaiveTable] = {}

    def open(self) -> None:
        """Load the JSON file into TinyDB's cache."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self._db = TinyDB(self.directory / FILE, storage=CachingMiddleware(JSONStorage))
        self._db.storage.WRITE_CACHE_SIZE = 1 << 60

    def close(self) -> None:
        """Write the file and close it."""
        if self._db is not None:
            self._db.close()
            self._db = None

    async def aclose(self) -> None:
        """close() for async callers."""
        self.close()

    def table(self, name: str, *, indexes: Sequence[str] = ()) -> NaiveTable:
        """The stock table of that name (indexes are ignored)."""
        assert self._db is not None
        if name not in self._tables:
            self._tables[name] = NaiveTable(self._db.table(name))
        return self._tables[name]

    def table_names(self) -> list[str]:
        """Every table in the file."""
        assert self._db is not None
        return sorted(self._db.tables())

    def documents(self) -> int:
        """How many documents the tables hold (the tick compares it around its sweep)."""
        assert self._db is not None
        return sum(len(docs) for docs in (self._db.storage.read() or {}).values())

    @property
    def dirty(self) -> bool:
        """Whether the cache holds writes the file does not have."""
        return bool(self._db is not None and self._db.storage._cache_modified_count)

    def commit_sync(self) -> None:
        """Rewrite the whole JSON file (JSONStorage fsyncs it)."""
        if self.dirty:
            self._db.storage.flush()

    async def commit(self) -> None:
        """The same, on the event loop, as a naive port would do it."""
        self.commit_sync()

    @contextmanager
    def undoable(self) -> Iterator[Callable[[], int]]:
        """A first version cannot take back a failed handler's writes: undo() restores none."""
        yield lambda: 0

    def compact(self) -> bool:
        """Nothing to compact: the file is always whole."""
        return True

    async def idle(self) -> None:
        """Nothing runs beside the loop: every write is done when it returns."""

    async def acompact(self) -> bool:
        """Nothing to compact: the file is always whole."""
        return True

    async def warm(self) -> None:
        """No indexes to build ahead: stock TinyDB has none."""

    def get_meta(self, key: str, default: Any = None) -> Any:
        """A meta value from the meta table."""
        doc = self.table(META_TABLE).get(1) or {}
        return doc.get(key, default)

    def set_meta(self, key: str, value: Any) -> None:
        """Set a meta value in the meta table."""
        self.table(META_TABLE).put(1, {**(self.table(META_TABLE).get(1) or {}), key: value})

    def migrate(self, name: str, version: int, fn: Callable[[Any], None]) -> bool:
        """Run fn once per version, like Store.migrate."""
        key = f"version:{name}"
        if self.get_meta(key, 0) >= version:
            return False
        fn(self)
        self.set_meta(key, version)
        self.commit_sync()
        return True


def from_mingel(mingel_dir: Path, naive_dir: Path) -> int:
    """Copy a compacted Mingel data directory into TinyDB's JSON format; returns its bytes."""
    data = json.loads((mingel_dir / "mingel.json").read_bytes())
    header = data.pop("_meta")
    data[META_TABLE] = {"1": header["values"]}
    naive_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data)
    (naive_dir / FILE).write_text(text)
    return len(text)
