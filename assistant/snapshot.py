"""The snapshot's binary copy (`mingel.cache`): the same data as `mingel.json` in `marshal`
form, loaded at open instead of parsing the JSON when it was made from exactly those bytes.

It is disposable: anything wrong with it (missing, torn, stale, another Python) means the
JSON is parsed as before. Tables are stored by columns (the values of one field for all the
documents that have the same fields), so that a value repeated in many documents, such as a
meeting id, is kept once, and each document is built in one step; docs/storage.md has more.
"""
from __future__ import annotations

import contextlib
import functools
import json
import marshal
import os
import struct
import sys
import zlib
from collections.abc import Callable, Sequence
from itertools import chain, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from .documents import _dumps

COPY = "mingel.cache"
VERSION = 1
MAX_SHAPES = 64
"""A table whose documents come in more field lists than this is stored as plain dicts."""

Tables = dict[str, dict[str, dict]]
Digest = tuple[int, int]
_HEAD = struct.Struct("<8sI16sQIQI")  # magic, VERSION, Python, JSON size + CRC, payload size + CRC
_MAGIC = b"mingelc\n"
_PYTHON = f"{sys.implementation.cache_tag}/{marshal.version}".encode()[:16]
_EXACT = frozenset({str, int, float, bool, type(None)})
_SHAREABLE = frozenset({str, int, type(None)})  # no two of these types compare equal
_SAMPLE = 1000


def digest(data: bytes, before: Digest = (0, 0)) -> Digest:
    """What ties a copy to the JSON bytes it was made from: their size and CRC-32; `before`,
    the digest of the bytes before these, for a file written a part at a time."""
    return before[0] + len(data), zlib.crc32(data, before[1])


def file_digest(path: Path) -> Digest:
    """digest() of a file, read in pieces so that the whole snapshot is never in memory."""
    size, crc, buffer = 0, 0, bytearray(1 << 20)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as file:
        while count := file.readinto(buffer):
            size, crc = size + count, zlib.crc32(view[:count], crc)
    return size, crc


def encode(header: dict[str, Any], tables: Tables, *, parsed: bool) -> bytes:
    """The copy's payload; `parsed`: the data came straight from JSON (no aliasing, exact types)."""
    fix: Callable[[Any], Any] | None = None if parsed else _as_parsed
    return marshal.dumps((header if fix is None else fix(header),
                          {name: _table(docs, fix) for name, docs in tables.items()}))


def write(directory: Path, payload: bytes, of_json: Digest) -> None:
    """Replace the copy atomically; no fsync: a torn copy fails its own CRC and is ignored."""
    target, tmp = directory / COPY, directory / (COPY + ".tmp")
    head = _HEAD.pack(_MAGIC, VERSION, _PYTHON, *of_json, len(payload), zlib.crc32(payload))
    try:
        with open(tmp, "wb") as file:
            file.write(head)
            file.write(payload)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def remove(directory: Path) -> None:
    """Delete the copy (and a leftover temporary one)."""
    for name in (COPY, COPY + ".tmp"):
        with contextlib.suppress(FileNotFoundError):
            (directory / name).unlink()


def read(directory: Path, of_json: Digest) -> tuple[dict[str, Any], Tables] | str:
    """The header and tables of a copy made from JSON with this digest, or why it cannot be used."""
    try:
        data = (directory / COPY).read_bytes()
    except FileNotFoundError:
        return "there is none"
    except OSError as exc:
        return f"it cannot be read ({exc})"
    if len(data) < _HEAD.size:
        return "it is truncated"
    magic, version, python, size, crc, length, check = _HEAD.unpack_from(data)
    if (magic, version, python.rstrip(b"\0")) != (_MAGIC, VERSION, _PYTHON):
        return "it was written by another version"
    if (size, crc) != of_json:
        return "it was made from another snapshot"
    payload = memoryview(data)[_HEAD.size:]
    if len(payload) != length or zlib.crc32(payload) != check:
        return "it is damaged"
    return decode(payload)


def decode(payload: bytes | memoryview) -> tuple[dict[str, Any], Tables] | str:
    """The header and tables of an encode() payload, or why it does not load."""
    try:
        header, stored = marshal.loads(payload)
        tables = {name: _docs(table) for name, table in stored.items()}
    except Exception as exc:  # noqa: BLE001 - it passed its CRC: only a bug gets here
        return f"it does not load ({exc!r})"
    if type(header) is not dict or type(header.get("values")) is not dict or not all(
            type(name) is str and type(docs) is dict for name, docs in tables.items()):
        return "it does not hold a snapshot"
    return header, tables


def _as_parsed(value: Any) -> Any:
    """A private copy of a value as parsing its JSON would give it (a tuple becomes a list...)."""
    kind = type(value)
    if kind is dict and all(type(key) is str for key in value):
        return {key: item if type(item) in _EXACT else _as_parsed(item)
                for key, item in value.items()}
    if kind is list:
        return [item if type(item) in _EXACT else _as_parsed(item) for item in value]
    return value if kind in _EXACT else json.loads(_dumps(value))


def _table(docs: dict[str, dict], fix: Callable[[Any], Any] | None) -> Any:
    """A table as (order or None, [(fields, ids, columns)...]), or plain dicts when irregular.

    Ids, order and each column are marshalled on their own, so that marshal's table of
    objects seen (one entry per object still in use elsewhere) holds one column at a time."""
    first = tuple(next(iter(docs.values()), ()))
    groups: dict[tuple, list[str] | None] = {first: None}
    if not all(map(first.__eq__, map(tuple, docs.values()))):
        groups = {}
        for key, doc in docs.items():
            groups.setdefault(tuple(doc), []).append(key)  # type: ignore[union-attr]
    if len(groups) > MAX_SHAPES or not all(type(key) is str for keys in groups for key in keys):
        return marshal.dumps(docs if fix is None else {key: fix(d) for key, d in docs.items()})
    out = []
    for shape, ids in groups.items():
        members = docs.values() if ids is None else list(map(docs.__getitem__, ids))
        columns = [_column(tuple(map(itemgetter(field), members)), fix) for field in shape]
        out.append((shape, marshal.dumps(list(docs) if ids is None else ids),
                    columns if shape else len(members)))
    return None if len(out) == 1 else marshal.dumps(list(docs)), out


def _column(values: tuple, fix: Callable[[Any], Any] | None) -> bytes:
    """One field's values: repeated strs and ints kept once (they are immutable), lists and
    dicts copied unless just parsed (no two documents may ever share one)."""
    kinds = set(map(type, values))
    if kinds <= _SHAREABLE:
        return marshal.dumps(_shared(values))
    if fix is None or kinds <= _EXACT:
        return marshal.dumps(values)
    if kinds == {list} and set(map(type, chain.from_iterable(values))) <= _EXACT:
        return marshal.dumps(list(map(list, values)))
    return marshal.dumps(list(map(fix, values)))


def _shared(values: tuple) -> Sequence:
    """The values with equal ones made the same object, unless a sample says they are unique."""
    sample = values[::max(1, len(values) // _SAMPLE)]
    if len(set(sample)) == len(sample):
        return values
    once = dict(zip(values, values))
    return values if len(once) == len(values) else list(map(once.__getitem__, values))


def _docs(table: Any) -> dict[str, dict]:
    """A table back from _table()."""
    if type(table) is bytes:
        return marshal.loads(table)
    order, groups = table
    if order is None:
        shape, ids, columns = groups[0]
        return _group(shape, marshal.loads(ids), columns)
    docs: dict[str, dict] = dict.fromkeys(marshal.loads(order))
    expected = len(docs)
    for shape, ids, columns in groups:
        docs.update(_group(shape, marshal.loads(ids), columns))
    if len(docs) != expected:
        raise ValueError("the groups' ids do not match the table's")
    return docs


def _group(shape: tuple[str, ...], ids: Sequence[str], columns: Any) -> dict[str, dict]:
    """The documents of one group by id, a fresh dict each (an empty shape stores a count)."""
    if not shape:
        return dict(zip(ids, map(dict, repeat((), columns))))
    if len(columns) != len(shape):
        raise ValueError("a group has as many columns as fields")
    return _builder(shape)(ids, *map(marshal.loads, columns))


@functools.lru_cache(maxsize=256)
def _builder(shape: tuple[str, ...]) -> Callable[..., dict[str, dict]]:
    """`lambda ids, a, b: {i: {"event": a, "user": b} for i, a, b in zip(ids, a, b)}` for these
    fields: the documents are built with their field names as constants, twice as fast as with
    dict(zip(...)) (docs/storage.md). The names are written into the code with repr()."""
    args = ", ".join(f"_{n}" for n in range(len(shape)))
    doc = ", ".join(f"{key!r}: _{n}" for n, key in enumerate(shape))
    code = f"lambda ids, {args}: {{i: {{{doc}}} for i, {args} in zip(ids, {args})}}"
    return eval(code, {"__builtins__": {"zip": zip}})

