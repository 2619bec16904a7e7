"""Where every plugin's data lives: TinyDB in memory, a snapshot plus an append-only journal on disk.

Commits (group commit, rollback, per-handler undo) live here, the files they go to
(snapshot, journal, lock; loading and compaction) in `assistant.storefiles`, the in-memory
tables in `assistant.tables`, the snapshot's binary copy in `assistant.snapshot`;
docs/storage.md describes the design, the guarantees and the layout.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import threading
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Self

from tinydb import TinyDB

from .compaction import Compaction
from .documents import _ABSENT, _clean, _clone
from .storefiles import (
    FORMAT,
    JOURNAL,
    LOCK,
    META,
    SCHEMA_VERSION,
    SNAPSHOT,
    CorruptData,
    DataDirLocked,
    JournalThread,
    SaveFailed,
    StorageError,
)
from .tables import Rows, Table
from .tinytables import _current_task, _LiveStorage, _TrackedTable
from .undo import Scopes, Undo, Undoable

__all__ = ["FORMAT", "JOURNAL", "LOCK", "SCHEMA_VERSION", "SNAPSHOT", "CorruptData",
           "DataDirLocked", "Rows", "SaveFailed", "StorageError", "Store", "Table"]

CORE_MIGRATIONS: dict[int, Callable[[Store], None]] = {}
"""Core schema migrations: version -> function, run once when opening older data."""

log = logging.getLogger(__name__)
INDEXES = "indexes"
"""Meta value: table name -> the fields it asked to index, so a start can build them ahead."""


class Store(Compaction):
    """The process's one database: open() it, change tables, then commit() to make it durable."""

    def __init__(self, directory: Path | str | None, *, fsync: bool = True,
                 compact_bytes: int | None = None) -> None:
        self.directory = None if directory is None else Path(directory)
        self._fsync, self._compact_bytes = fsync, compact_bytes
        self._data: dict[str, dict[str, dict]] = {}
        self._meta: dict[str, Any] = {"schema": SCHEMA_VERSION}
        self._db = TinyDB(storage=_LiveStorage, store=self)
        self._db.table_class = _TrackedTable
        self._tables: dict[str, Table] = {}
        self._touched: Undo = {}
        self._writers: set[asyncio.Task | None] = set()
        self._scopes = Scopes()
        self._lost: weakref.WeakKeyDictionary[asyncio.Task, SaveFailed] = \
            weakref.WeakKeyDictionary()
        self._opened = self._closed = self._busy = self._torn = self._compact_wanted = False
        self._lock_fd = self._journal_fd = -1
        self._seq = self._journal_size = self._snapshot_size = self._retry_at = 0
        self._open_no, self._settled_no = 1, 0
        self._failed: dict[int, SaveFailed] = {}
        self._change: asyncio.Event | None = None
        self._journal = JournalThread(lambda data: self._append(data))
        self._journal_lock = threading.Lock()
        self._compactor: ThreadPoolExecutor | None = None
        self._compacting: Future | None = None
        self._unrecorded: set[str] = set()

    def open(self) -> None:
        """Lock the directory, load the snapshot and replay the journal."""
        if self._opened or (self._closed and self.directory is not None):
            raise StorageError("a Store is opened once; create a new one to reopen")
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._lock()
            try:
                self._load()
                if (stored := self._meta.get("schema", 0)) > SCHEMA_VERSION:
                    raise StorageError(f"data in {self.directory} has schema {stored}, newer "
                                       f"than this Mingel understands ({SCHEMA_VERSION})")
            except BaseException:
                self._release()
                raise
        self._opened = True
        for version in range(self._meta.get("schema", 0) + 1, SCHEMA_VERSION + 1):
            CORE_MIGRATIONS.get(version, lambda store: None)(self)
            self.set_meta("schema", version)
            self.commit_sync()

    def close(self) -> None:
        """Save what is pending, compact when worthwhile, and release the directory."""
        if not self._opened:
            return
        if self._busy:
            raise StorageError("a commit is in flight; use `await store.aclose()`")
        try:
            self.commit_sync()
            self._wait_compaction()
            if self.directory is not None and self._journal_size * 4 >= self._threshold():
                self._compact()
        finally:
            self._opened, self._closed = False, True
            self._journal.stop()
            self._release()

    async def aclose(self) -> None:
        """close() for async code: waits for a commit in flight first."""
        await self.idle()
        self.close()

    async def idle(self) -> None:
        """Wait until no commit and no compaction is in flight."""
        while self._busy or self._compaction_running():
            if self._busy:
                await self._wait_change()
            else:
                await asyncio.wrap_future(self._compacting)  # type: ignore[arg-type]

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def table(self, name: str, *, indexes: Sequence[str] = ()) -> Table:
        """The table of that name (always the same object); indexes are added, never dropped."""
        indexes = tuple(indexes)
        if (known := self._tables.get(name)) is not None and known._wanted.issuperset(indexes) \
                and (self._opened or self.directory is None):
            return known
        self._check_open()
        if not name or name.startswith("_"):
            raise ValueError(f"invalid table name {name!r} (a leading _ is reserved)")
        if name not in self._tables:
            self._tables[name] = Table(self, name)
        self._tables[name]._wanted.update(indexes)
        if indexes:
            self._unrecorded.add(name)
        return self._tables[name]

    def _record_indexes(self) -> None:
        """Remember the indexes tables asked for (meta `indexes`, for `warm`). Done when
        committing, not when asked, so that a handler's undo or a failed commit cannot take
        it back for good: a table stays unrecorded until the meta value holds its fields."""
        recorded = self._meta.get(INDEXES, {})
        missing = {name: sorted(wanted) for name in self._unrecorded
                   if not (wanted := self._tables[name]._wanted) <= set(recorded.get(name, ()))}
        self._unrecorded.clear()
        if missing:
            self.set_meta(INDEXES, {**recorded, **missing})
            self._unrecorded.update(missing)

    async def warm(self) -> None:
        """Build the indexes tables have asked for (now or on an earlier run: the meta value
        `indexes` remembers them) ahead of their first query, a slice at a time, so that a
        start does not make the first person asking wait for them all."""
        for name, fields in sorted(self._meta.get(INDEXES, {}).items()):
            if self._data.get(name):
                await self.table(name, indexes=fields).warm()

    def documents(self) -> int:
        """How many documents the tables hold: fewer after a sweep means it deleted some."""
        return sum(len(docs) for docs in self._data.values())

    def table_names(self) -> list[str]:
        """Tables that hold documents or were asked for since opening."""
        return sorted({name for name, docs in self._data.items() if docs} | set(self._tables))

    @property
    def dirty(self) -> bool:
        """Whether something changed since the last commit started."""
        return bool(self._touched)

    def get_meta(self, key: str, default: Any = None) -> Any:
        """A stored meta value (a private copy)."""
        value = self._meta.get(key, _ABSENT)
        return default if value is _ABSENT else _clone(value)

    def set_meta(self, key: str, value: Any) -> None:
        """Set a meta value; the next commit saves it like any document."""
        clean = _clean(value)
        self._touch(META, key, self._meta)
        self._meta[key] = clean

    def migrate(self, name: str, version: int, fn: Callable[[Store], None]) -> bool:
        """Run fn once when `name`'s stored version is lower, then record the version."""
        key = f"version:{name}"
        if self.get_meta(key, 0) >= version:
            return False
        self.commit_sync()
        try:
            fn(self)
        except BaseException:
            self._rollback(self._touched)
            self._touched, self._writers = {}, set()
            raise
        self.set_meta(key, version)
        self.commit_sync()
        return True

    async def commit(self) -> None:
        """Make every change made before this call durable; concurrent callers share one fsync."""
        self._check_open()
        if self._unrecorded:
            self._record_indexes()
        target = self._open_no if self._touched else self._open_no - 1 if self._busy else 0
        while self._settled_no < target:
            if self._busy:
                await self._wait_change()
            else:
                await self._lead()
        self._raise_if_lost(self._failed.get(target))

    def commit_sync(self) -> None:
        """The blocking commit, for the CLI, start-up and shutdown."""
        self._check_open()
        if self._busy:
            raise StorageError("an async commit is in flight; await commit() instead")
        if self._unrecorded:
            self._record_indexes()
        if self._touched:
            number, undo, writers = self._take()
            try:
                self._append(self._encode(undo))
            except Exception as exc:  # noqa: BLE001 - any failure to save becomes SaveFailed
                self._settle(number, undo, writers, exc)
                self._raise_if_lost(self._failed[number], always=True)
            self._settle(number, undo, writers, None)
            if self._compaction_due():
                self._start_compaction()
        self._raise_if_lost(None)

    def _raise_if_lost(self, batch_failure: SaveFailed | None, always: bool = False) -> None:
        """Tell a task only about failures that rolled back its own changes."""
        task = _current_task() if self._lost or batch_failure else None
        lost = None if task is None else self._lost.pop(task, None)
        if failure := batch_failure if task is None or always else lost:
            raise failure

    async def _wait_change(self) -> None:
        if self._change is None:
            self._change = asyncio.Event()
        await self._change.wait()

    async def _lead(self) -> None:
        """Write one batch for everyone waiting, on the journal's thread. The batch is
        settled when the write is done, whether or not this task still waits for it."""
        self._busy = True
        number, undo, writers = self._take()
        error: Exception | None = None
        handed = False
        try:
            if (data := self._encode(undo)) and self.directory is not None:
                self._journal.write(data, functools.partial(self._written, number, undo,
                                                            writers))
                handed = True
        except Exception as exc:  # noqa: BLE001 - any failure to save becomes SaveFailed
            error = exc
        if handed:
            await self._wait_change()
        else:
            self._written(number, undo, writers, error)

    def _written(self, number: int, undo: Undo, writers: set[asyncio.Task | None],
                 error: Exception | None) -> None:
        """The batch's outcome, on the loop; a failure to settle it fails its waiters too."""
        try:
            self._settle(number, undo, writers, error)
        except Exception as exc:
            log.exception("storage: could not settle commit %d", number)
            failure = SaveFailed(f"could not settle a save ({exc})")
            failure.__cause__ = exc
            self._failed[number] = failure
            self._settled_no = max(self._settled_no, number)
        else:
            if error is None and self._compaction_due():
                try:
                    self._start_compaction()
                except Exception:
                    log.exception("storage: could not start a compaction")
        finally:
            self._busy = False
            self._notify()

    def _take(self) -> tuple[int, Undo, set[asyncio.Task | None]]:
        self._scopes.release(self._touched)
        number, self._open_no = self._open_no, self._open_no + 1
        taken = number, self._touched, self._writers
        self._touched, self._writers = {}, set()
        return taken

    def _settle(self, number: int, undo: Undo, writers: set[asyncio.Task | None],
                error: Exception | None) -> None:
        if error is not None:
            self._scopes.release(self._touched)
            self._rollback(self._touched, undo)
            failure = SaveFailed(f"could not save ({error}); rolled back to the last saved state")
            failure.__cause__ = error
            self._lost.update((task, failure) for task in writers | self._writers if task)
            self._touched, self._writers = {}, set()
            self._failed = {n: f for n, f in self._failed.items() if n > number - 1000}
            self._failed[number] = self._failed[self._open_no] = failure
            self._open_no += 1
            log.error("storage: %s", failure)
        self._settled_no = self._open_no - 1 if error is not None else number
        self._notify()

    def _notify(self) -> None:
        if self._change is not None:
            self._change.set()
            self._change = None

    def _touch(self, table: str, key: str, current: dict[str, Any]) -> None:
        self._touch_group(table, key, current)
        self._scopes.wrote(table, key, current)

    def _touch_group(self, table: str, key: str, current: dict[str, Any]) -> None:
        self._writers.add(_current_task())
        befores = self._touched.setdefault(table, {})
        if key not in befores:
            befores[key] = _clone(current.get(key, _ABSENT))

    def undoable(self) -> Undoable:
        """Run a handler so that what it wrote can be taken back if it fails half-way: the
        block gets `undo()`, which restores the documents it changed that no commit has taken
        yet and no other task changed after it, and returns how many; the next commit saves
        that like any change."""
        return Undoable(self._scopes, self._undo)

    def _undo(self, undo: Undo) -> int:
        for table, befores in undo.items():
            current = self._meta if table == META else self._data.setdefault(table, {})
            for key in befores:
                self._touch_group(table, key, current)
        self._rollback(undo)
        return sum(map(len, undo.values()))

    def _changed(self, table: str, ids: set[int]) -> None:
        wrapper = self._tables.get(table)
        if wrapper is not None:
            wrapper.version += 1
            if wrapper._warming is not None:
                wrapper._warming.update(ids)
            if ids and wrapper._indexes:
                wrapper._reindex(ids)

    def _rollback(self, *undos: Undo) -> None:
        """Restore before-images, newest batch first, so the oldest image wins."""
        restored: dict[str, set[str]] = {}
        for undo in undos:
            for table, befores in undo.items():
                current = self._meta if table == META else self._data.setdefault(table, {})
                for key, before in befores.items():
                    if before is _ABSENT:
                        current.pop(key, None)
                    else:
                        current[key] = before
                restored.setdefault(table, set()).update(befores)
        for table, keys in restored.items():
            if table != META:
                tiny = self._db.table(table)
                tiny.clear_cache()
                tiny._next_id = None
                self._changed(table, {int(key) for key in keys})

    def _check_open(self) -> None:
        if not self._opened and self.directory is not None:
            raise StorageError("the store is not open")
