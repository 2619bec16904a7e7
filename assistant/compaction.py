"""Compaction: the snapshot rewritten and the journal emptied, beside the event loop.

After a commit the durable state is copied shallowly on the loop; a worker thread encodes it,
installs the new snapshot and moves the commits made meanwhile to a new journal, while
commits go on (docs/storage.md, Guarantees and Costs). `close()` and `compact()` compact on
the caller's thread instead.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import Any

from . import snapshot
from .documents import _ABSENT, _dumps
from .storefiles import FORMAT, JOURNAL, META, SNAPSHOT, StoreFiles, _encode_copy, _write_all

log = logging.getLogger("assistant.storage")

CHUNK = 1000
"""Documents encoded per call: a call holds the interpreter, so a compaction beside the loop
lets the loop in between chunks instead of once per table (0.6 s for the festival's answers)."""


def _json_parts(header: dict[str, Any], tables: dict[str, dict[str, dict]]) -> Iterator[bytes]:
    """The snapshot's JSON, one table per line, CHUNK documents at a time: written as it is
    made, so that a compaction never holds the whole text (50 MB with its parts at festival
    size, which the process kept as RSS once freed) in memory."""
    yield b"{\n" + f"{_dumps(META)}:{_dumps(header)}".encode()
    for name, docs in tables.items():
        yield b",\n" + _dumps(name).encode() + b":{"
        items, comma = iter(docs.items()), b""
        while chunk := dict(islice(items, CHUNK)):
            yield comma + _dumps(chunk)[1:-1].encode()
            comma = b","
        yield b"}"
    yield b"\n}\n"


def _serialize(header: dict[str, Any], tables: dict[str, dict[str, dict]]
               ) -> tuple[Iterator[bytes], bytes | None]:
    """The snapshot's JSON, as parts made while they are written, and its binary copy's
    payload (None if that failed: the copy is only an optimisation)."""
    return _json_parts(header, tables), _encode_copy(header, tables, parsed=False)


class Compaction(StoreFiles):
    """The store's compaction, on top of its files."""

    _compactor: ThreadPoolExecutor | None
    _compacting: Future | None

    def _durable(self) -> tuple[dict[str, Any], dict[str, dict[str, dict]]]:
        """The last durable state's header and tables, uncommitted changes left out: shallow
        copies (a few ms at festival size), which a worker thread may encode while the loop
        goes on, since stored documents are replaced, never changed in place."""
        def durable(current: dict[str, Any], befores: dict[str, Any] | None) -> dict[str, Any]:
            current = dict(current)
            for key, before in (befores or {}).items():
                if before is _ABSENT:
                    current.pop(key, None)
                else:
                    current[key] = before
            return current
        header = {"format": FORMAT, "seq": self._seq,
                  "values": durable(self._meta, self._touched.get(META))}
        tables = {name: docs for name in sorted((set(self._data) | set(self._touched)) - {META})
                  if (docs := durable(self._data.get(name, {}), self._touched.get(name)))}
        return header, tables

    def _snapshot(self) -> tuple[Iterator[bytes], bytes | None]:
        """The last durable state as the snapshot's JSON (in parts) and its binary copy's
        payload."""
        return _serialize(*self._durable())

    def _install_snapshot(self, parts: Iterable[bytes], copy: bytes | None,
                          mark: int | None = None) -> None:
        """Atomically replace the snapshot, then drop the journal's commits it holds: those
        before byte `mark` (compacting beside the loop, commits went on), or all of them.

        The old binary copy is deleted before the new snapshot is in place: a copy never
        outlives its snapshot (deleted data leaves the disk with it); a crash before the new
        one is written only means the next open parses the JSON. A crash before the journal
        is shortened is harmless too: replay skips commits the snapshot holds (its `seq`)."""
        assert self.directory is not None
        target, tmp = self.directory / SNAPSHOT, self.directory / (SNAPSHOT + ".tmp")
        written: snapshot.Digest = (0, 0)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                for part in parts:
                    _write_all(fd, part, written[0])
                    written = snapshot.digest(part, written)
                if self._fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
            snapshot.remove(self.directory)
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        self._sync_dir()
        self._snapshot_size, self._retry_at = written[0], 0
        if copy is not None:
            self._write_copy(written, copy)
        if self._journal_fd >= 0:
            self._drop_journal_before(self._journal_size if mark is None else mark)

    def _drop_journal_before(self, mark: int) -> None:
        """Keep only the journal's bytes from `mark` on: commits made after the snapshot point
        go to a new file that replaces the journal, or the journal is just emptied. The
        descriptor and size follow the file as soon as it changed, even if what follows fails,
        so that no commit is ever written to a journal no longer in place."""
        assert self.directory is not None
        with self._journal_lock:
            tail = b""
            if mark < self._journal_size:
                reader = os.open(self.directory / JOURNAL, os.O_RDONLY)
                try:
                    tail = os.pread(reader, self._journal_size - mark, mark)
                finally:
                    os.close(reader)
            if not tail:
                os.ftruncate(self._journal_fd, 0)
                self._journal_size, self._torn = 0, False
                if self._fsync:
                    os.fsync(self._journal_fd)
                return
            path, tmp = self.directory / JOURNAL, self.directory / (JOURNAL + ".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                _write_all(fd, tail, 0)
                if self._fsync:
                    os.fsync(fd)
                os.replace(tmp, path)
            except BaseException:
                os.close(fd)
                with contextlib.suppress(OSError):
                    tmp.unlink()
                raise
            old, self._journal_fd = self._journal_fd, fd
            self._journal_size, self._torn = len(tail), False
            with contextlib.suppress(OSError):
                os.close(old)
            self._sync_dir()

    def compact(self) -> bool:
        """Rewrite the snapshot and empty the journal so deleted data leaves the disk (False: later)."""
        self._check_open()
        if self._busy or self._compaction_running():
            self._compact_wanted = True
            return False
        return self.directory is None or self._compact()

    async def acompact(self) -> bool:
        """compact() on a worker thread once no commit is in flight, so that other updates are
        answered meanwhile (False: it failed, and is retried later)."""
        self._check_open()
        if self.directory is None:
            return True
        while self._busy or self._compaction_running():
            await self.idle()
        self._check_open()
        self._start_compaction()
        return await asyncio.wrap_future(self._compacting)  # type: ignore[arg-type]

    def _threshold(self) -> int:
        return self._compact_bytes or max(1 << 20, self._snapshot_size)

    def _compaction_due(self) -> bool:
        return self.directory is not None and not self._compaction_running() and (
            self._compact_wanted or self._journal_size > max(self._threshold(), self._retry_at))

    def _compact(self) -> bool:
        """Compact now, on the caller's thread (closing, or asked to)."""
        self._compact_wanted = False
        try:
            self._install_snapshot(*self._snapshot())
        except OSError as exc:
            self._compaction_failed(exc)
            return False
        return True

    def _start_compaction(self) -> None:
        """Compact beside the loop: the durable state is copied here, then encoded, written
        and installed on a worker thread while commits go on (docs/storage.md, Costs)."""
        header, tables = self._durable()
        self._compact_wanted = False
        if self._compactor is None:
            self._compactor = ThreadPoolExecutor(1, thread_name_prefix="mingel-compact")
        self._compacting = self._compactor.submit(self._compact_beside, header, tables,
                                                  self._journal_size)

    def _compact_beside(self, header: dict[str, Any], tables: dict[str, dict[str, dict]],
                        mark: int) -> bool:
        try:
            files = _serialize(header, tables)
            del header, tables
            self._install_snapshot(*files, mark=mark)
        except Exception as exc:  # noqa: BLE001 - the journal keeps everything; retried later
            self._compaction_failed(exc)
            return False
        return True

    def _compaction_running(self) -> bool:
        return self._compacting is not None and not self._compacting.done()

    def _wait_compaction(self) -> None:
        """Block until a compaction beside the loop is done (closing, or a crash in tests)."""
        if self._compacting is not None:
            self._compacting.result()
            self._compacting = None

    def _compaction_failed(self, exc: Exception) -> None:
        """Retry once the journal has grown by another threshold (or when asked again)."""
        self._retry_at = self._journal_size + self._threshold()
        log.warning("storage: compaction failed (%s); the journal keeps growing", exc)

    def _release(self) -> None:
        self._wait_compaction()
        if self._compactor is not None:
            self._compactor.shutdown()
            self._compactor = None
        super()._release()
