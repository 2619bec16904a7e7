"""`mingel backup`: a copy of the data directory that is known to open, taken while the bot runs.

The journal is copied before the snapshot. A compaction that runs between the two copies
then leaves a newer snapshot beside an older journal, whose groups the snapshot already
holds (replay skips them): the copy is the data at some moment. Copied the other way round,
an older snapshot beside a journal a compaction has emptied would silently miss the commits
in between. A copy caught in the middle of a journal rewrite does not open (its checksums
fail), so it is taken again. Only the snapshot and the journal are copied: the binary copy
and the programme caches are remade from them.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .storage import Store
from .storefiles import JOURNAL, LOCK, SNAPSHOT, CorruptData, StorageError

ATTEMPTS = 3


class BackupFailed(StorageError):
    """No copy that opens could be made; the message says why and what to do."""


@dataclass(frozen=True)
class Backup:
    """What a finished backup holds, for the operator's line."""

    path: Path
    tables: int
    documents: int


def backup(source: Path, dest: Path, attempts: int = ATTEMPTS) -> Backup:
    """Copy `source`'s data to the new directory `dest` and open the copy to check it."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupFailed(f"{dest} already exists; give a new directory for the backup")
    if not (source / SNAPSHOT).is_file():
        raise BackupFailed(f"{source} holds no Mingel data (no {SNAPSHOT}); "
                           "is MINGEL_DATA_DIR set as for `mingel run`?")
    partial = dest.with_name(dest.name + ".partial")
    failure: CorruptData | None = None
    for _ in range(attempts):
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for name in (JOURNAL, SNAPSHOT):  # in this order: see the module's docstring
            if (source / name).is_file():
                shutil.copyfile(source / name, partial / name)
        try:
            with Store(partial) as store:
                names = store.table_names()
                documents = sum(len(store.table(name)) for name in names)
        except CorruptData as exc:
            failure = exc
            continue
        for leftover in (LOCK, *(p.name for p in partial.glob(f"{JOURNAL}.torn-*"))):
            (partial / leftover).unlink(missing_ok=True)  # a commit caught half-written
        if dest.exists():
            dest.rmdir()
        partial.rename(dest)
        return Backup(dest, len(names), documents)
    shutil.rmtree(partial, ignore_errors=True)
    assert failure is not None
    where = f"{failure.path.name}{f', line {failure.line}' if failure.line else ''}"
    raise BackupFailed(f"no copy of {source} that opens after {attempts} tries: {where}: "
                       f"{failure.reason}. The data directory itself may be damaged (the bot "
                       "would not start on it either): keep your last backup")
