"""The store's files: the snapshot with its binary copy, the journal and the lock.

Loading, replaying and appending live here, compacting in `assistant.compaction`;
`assistant.storage.Store` keeps the commit protocol and the in-memory side and inherits both
(`StoreFiles`, which uses the Store's attributes). docs/storage.md describes the layout and
the guarantees.
"""
from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import json
import logging
import os
import queue
import sys
import threading
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import collector, snapshot
from .documents import _ABSENT, _dumps, _same

if TYPE_CHECKING:
    from .undo import Undo

SCHEMA_VERSION = 1
FORMAT = 1
SNAPSHOT, JOURNAL, LOCK, META = "mingel.json", "mingel.journal", "mingel.lock", "_meta"

log = logging.getLogger("assistant.storage")


class StorageError(Exception):
    """Base for every storage failure a caller may want to catch."""


class DataDirLocked(StorageError):
    """Another process (or Store) has the data directory open; two writers would corrupt it."""

    def __init__(self, directory: Path, pid: int | None) -> None:
        self.directory, self.pid = directory, pid
        super().__init__(f"data directory {directory} is already in use"
                         + (f" by pid {pid}" if pid else ""))


class CorruptData(StorageError):
    """A data file does not parse; refusing to start is safer than guessing."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}{f', line {line}' if line else ''}: {reason}. "
                         "Refusing to start; the file was left untouched. Keep this "
                         "directory aside and put your last backup in its place "
                         "(README, Backups and restore)")


class SaveFailed(StorageError):
    """A commit could not be made durable; memory was rolled back to the last saved state."""


def _write_all(fd: int, data: bytes, offset: int) -> None:
    """Write every byte at `offset`; pwrite may write less than asked (tests replace this)."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


FULL_COLLECTION_AFTER = 100
"""Middle-generation collections before a full one is considered (CPython's default: 10)."""


def _fewer_full_collections() -> None:
    """A full collection walks every container the bot keeps (kept copies, caches): 30–100 ms
    at festival size, every 30–50 s under light load with CPython's thresholds, and every
    answer due meanwhile waits for it. Most cyclic garbage dies young, so the old
    generation is walked up to ten times less often (docs/storage.md, Costs). The setting is
    the process's; a higher one is left alone, and Python 3.14's incremental collector,
    which has no such pauses, ignores it."""
    if sys.version_info >= (3, 14):
        return
    young, middle, old = gc.get_threshold()
    if old < FULL_COLLECTION_AFTER:
        gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)


def _encode_copy(header: dict[str, Any], tables: dict[str, dict[str, dict]], *,
                 parsed: bool) -> bytes | None:
    """The binary copy's payload, or None if that fails: the copy is only an optimisation."""
    try:
        with collector.paused():
            return snapshot.encode(header, tables, parsed=parsed)
    except (ValueError, TypeError, RecursionError) as exc:
        log.warning("storage: no binary copy of the snapshot this time (%r)", exc)
        return None


class JournalThread:
    """The one thread that appends commit groups to the journal. A commit then costs the
    event loop a queue put and one wake-up when the write is done: a lone commit takes
    90–95 µs of the loop's CPU, where the loop's executor, its futures chained from thread
    to loop, took 120–130 µs (docs/benchmarks.md)."""

    def __init__(self, append: Callable[[bytes], None]) -> None:
        self._append = append
        self._queue: queue.SimpleQueue[tuple[bytes, Callable[[Exception | None], None],
                                             asyncio.AbstractEventLoop] | None] = \
            queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def write(self, data: bytes, done: Callable[[Exception | None], None]) -> None:
        """Append `data` on the thread, then call `done(error or None)` on this loop."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="mingel-journal",
                                            daemon=True)
            self._thread.start()
        self._queue.put((data, done, asyncio.get_running_loop()))

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            data, done, loop = item
            error: Exception | None = None
            try:
                self._append(data)
            except Exception as exc:  # noqa: BLE001 - handed to the commit, which rolls back
                error = exc
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(done, error)

    def stop(self) -> None:
        """Let the thread finish what it was given and end."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None


class StoreFiles:
    """The on-disk half of `Store`: what is read and written, and how."""

    directory: Path | None
    _data: dict[str, dict[str, dict]]
    _meta: dict[str, Any]
    _fsync: bool
    _compact_bytes: int | None
    _busy: bool
    _torn: bool
    _compact_wanted: bool
    _lock_fd: int
    _journal_fd: int
    _seq: int
    _journal_size: int
    _snapshot_size: int
    _retry_at: int
    _touched: Undo
    _journal_lock: threading.Lock
    _install_snapshot: Callable[..., None]
    _snapshot: Callable[[], tuple[bytes, bytes | None]]
    _db: Any
    _tables: dict[str, Any]

    def _encode(self, undo: Undo) -> bytes:
        lines = []
        for table, befores in undo.items():
            current = self._meta if table == META else self._data.get(table, {})
            for key, before in befores.items():
                if _same(before, now := current.get(key, _ABSENT)):
                    continue
                if table == META:
                    lines.append(_dumps({"m": key} if now is _ABSENT else {"m": key, "v": now}))
                else:
                    lines.append(_dumps({"t": table, "id": int(key),
                                         "d": None if now is _ABSENT else now}))
        if not lines:
            return b""
        body = ("\n".join(lines) + "\n").encode()
        self._seq += 1
        marker = {"commit": self._seq, "n": len(lines), "crc": zlib.crc32(body)}
        return body + (_dumps(marker) + "\n").encode()

    def _append(self, data: bytes) -> None:
        """Write a commit group at the journal's end (a compaction may be shortening it)."""
        if not data or self.directory is None:
            return
        with self._journal_lock:
            self._append_locked(data)

    def _append_locked(self, data: bytes) -> None:
        try:
            if self._torn:
                os.ftruncate(self._journal_fd, self._journal_size)
                self._torn = False
            _write_all(self._journal_fd, data, self._journal_size)
            if self._fsync:
                os.fsync(self._journal_fd)
        except OSError:
            self._torn = True
            with contextlib.suppress(OSError):
                os.ftruncate(self._journal_fd, self._journal_size)
                self._torn = False
            raise
        self._journal_size += len(data)

    def _lock(self) -> None:
        assert self.directory is not None
        fd = os.open(self.directory / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            raise DataDirLocked(self.directory, int(text) if text.isascii() and text.isdecimal() else None) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _release(self) -> None:
        for fd in (self._journal_fd, self._lock_fd):
            if fd >= 0:
                os.close(fd)
        self._journal_fd = self._lock_fd = -1

    def _load(self) -> None:
        assert self.directory is not None
        path, journal = self.directory / SNAPSHOT, self.directory / JOURNAL
        for leftover in (SNAPSHOT + ".tmp", JOURNAL + ".tmp", snapshot.COPY + ".tmp"):
            with contextlib.suppress(FileNotFoundError):
                (self.directory / leftover).unlink()
        with collector.paused():
            if path.exists():
                self._read_snapshot(path)
            elif journal.exists() and journal.stat().st_size:
                raise CorruptData(path, None, "the snapshot is missing but a journal exists")
            else:
                self._install_snapshot(*self._snapshot())
            good, tail = self._replay(journal) if journal.exists() else (0, b"")
            # The loaded documents live on: no collection, not even the young generation's
            # right after the pause, needs to walk them (docs/storage.md, Costs).
            gc.freeze()
            _fewer_full_collections()
        self._journal_fd = os.open(journal, os.O_WRONLY | os.O_CREAT, 0o600)
        if tail:
            log.warning("storage: dropping an unfinished commit (%d bytes) at the end of %s",
                        len(tail), journal)
            with contextlib.suppress(OSError):
                journal.with_name(f"{JOURNAL}.torn-{time.time_ns()}").write_bytes(tail)
            os.ftruncate(self._journal_fd, good)
            os.fsync(self._journal_fd)
        self._journal_size = good
        self._sync_dir()

    def _read_snapshot(self, path: Path) -> None:
        """Load the snapshot from its binary copy when that was made from exactly these bytes."""
        assert self.directory is not None
        of_json = snapshot.file_digest(path)
        loaded = snapshot.read(self.directory, of_json)
        if isinstance(loaded, str):
            log.info("storage: parsing %s instead of its binary copy: %s", path, loaded)
            loaded = self._parse_snapshot(path)
        header, data = loaded
        if header.get("format") != FORMAT:
            raise StorageError(f"{path} has format {header.get('format')!r}, expected {FORMAT}")
        self._data, self._meta = data, header["values"]
        self._seq, self._snapshot_size = int(header.get("seq", 0)), of_json[0]

    def _parse_snapshot(self, path: Path) -> tuple[dict[str, Any], dict[str, dict[str, dict]]]:
        """Parse and check the JSON snapshot (CorruptData if damaged), write its binary copy
        and load that, so that the data is the same as on the next open (values shared)."""
        header, data, of_json = self._parse_json(path)
        if (copy := _encode_copy(header, data, parsed=True)) is None:
            return header, data
        self._write_copy(of_json, copy)
        del header, data
        if isinstance(loaded := snapshot.decode(copy), str):
            log.warning("storage: the new binary copy of %s does not load: %s", path, loaded)
            return self._parse_json(path)[:2]
        return loaded

    def _parse_json(self, path: Path
                    ) -> tuple[dict[str, Any], dict[str, dict[str, dict]], snapshot.Digest]:
        """The snapshot's header, tables and digest; CorruptData if it is damaged."""
        text = path.read_bytes()
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CorruptData(path, getattr(exc, "lineno", None),
                              f"not valid JSON ({exc})") from None
        header = data.pop(META, None) if isinstance(data, dict) else None
        if not isinstance(header, dict) or not isinstance(header.get("values"), dict):
            raise CorruptData(path, 1, "no valid _meta header")
        if header.get("format") != FORMAT:
            raise StorageError(f"{path} has format {header.get('format')!r}, expected {FORMAT}")
        for name, docs in data.items():
            if not isinstance(docs, dict) or not all(
                    key.isdigit() and isinstance(doc, dict) for key, doc in docs.items()):
                line = text.count(b"\n", 0, max(0, text.find(_dumps(name).encode()))) + 1
                raise CorruptData(path, line, f"table {name!r} is not a map of id -> document")
        return header, data, snapshot.digest(text)

    def _replay(self, path: Path) -> tuple[int, bytes]:
        """Apply complete commit groups; return where the last one ends and what follows it."""
        data = path.read_bytes()
        snapshot_seq, group, good, pos, line = self._seq, [], 0, 0, 0
        damaged: tuple[int, str] | None = None
        while (end := data.find(b"\n", pos)) >= 0:
            raw, pos, line = data[pos:end + 1], end + 1, line + 1
            try:
                record = json.loads(raw)
            except ValueError:
                record = None
            is_marker = isinstance(record, dict) and "commit" in record
            if damaged is not None or not isinstance(record, dict):
                if is_marker:
                    raise CorruptData(path, *damaged)  # type: ignore[misc]
                damaged = damaged or (line, "not a valid journal record")
            elif is_marker:
                first = group[0][0] if group else line
                if (type(record["commit"]) is not int or record.get("n") != len(group)
                        or record.get("crc") != zlib.crc32(b"".join(r for _, _, r in group))):
                    raise CorruptData(path, first, f"commit group at lines {first}-{line} "
                                                   "fails its checksum")
                if record["commit"] > snapshot_seq:
                    for number, item, _ in group:
                        self._apply(path, number, item)
                self._seq = max(self._seq, record["commit"])
                group, good = [], pos
            else:
                group.append((line, record, raw))
        return good, data[good:]

    def _apply(self, path: Path, line: int, record: dict) -> None:
        if isinstance(key := record.get("m"), str):
            if "v" in record:
                self._meta[key] = record["v"]
            else:
                self._meta.pop(key, None)
            return
        table, doc_id, doc = record.get("t"), record.get("id"), record.get("d", _ABSENT)
        if not isinstance(table, str) or type(doc_id) is not int or not (
                doc is None or isinstance(doc, dict)):
            raise CorruptData(path, line, "not a valid journal record")
        if doc is None:
            self._data.get(table, {}).pop(str(doc_id), None)
        else:
            self._data.setdefault(table, {})[str(doc_id)] = doc

    def _write_copy(self, of_json: snapshot.Digest, copy: bytes) -> None:
        """Write the binary copy of the snapshot with that digest; failing only costs open time."""
        assert self.directory is not None
        try:
            snapshot.write(self.directory, copy, of_json)
        except OSError as exc:
            log.warning("storage: could not write the snapshot's binary copy (%s)", exc)

    def _sync_dir(self) -> None:
        if self._fsync and self.directory is not None:
            fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
