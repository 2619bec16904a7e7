"""Stored documents as values: JSON data only, checked when written, copied cheaply when read,
compared as JSON would write them, and keyed for the indexes (docs/storage.md)."""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from json.encoder import c_make_encoder, encode_basestring_ascii
from typing import Any

from tinydb.table import Document

_ABSENT: Any = object()
_PLAIN = {str, int, bool, type(None)}
_SCALAR = frozenset({str, int, bool, float, type(None)})


def _compact_encoder() -> Callable[[Any], str]:
    """Compact JSON without NaN, with json's C encoder made once: `JSONEncoder.encode` makes
    one on every call, which was 40 % of a journal line's cost. The circular check is left
    out, since stored data has passed `_clean` and so cannot refer to itself."""
    plain = json.JSONEncoder(separators=(",", ":"), allow_nan=False)
    if c_make_encoder is None:
        return plain.encode
    encode = c_make_encoder(None, plain.default, encode_basestring_ascii, None, ":", ",",
                            False, False, False)
    return lambda value: "".join(encode(value, 0))


_dumps = _compact_encoder()


def _clean(value: Any) -> Any:
    """A private JSON-compatible copy, so bad data fails at the call and not at commit."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, Mapping):
        if not all(type(key) is str for key in value):
            raise TypeError(f"document keys must be str: {list(value)!r}")
        return {key: _clean(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(item) for item in value]
    if isinstance(value, float) and math.isfinite(value):
        return float(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    raise (ValueError if isinstance(value, float) else TypeError)(
        f"{value!r} cannot be stored as JSON")


def _clone(value: Any) -> Any:
    """A deep copy of clean data, far cheaper than copy.deepcopy (scalars are not recursed
    into: most documents are flat, and find() copies every match)."""
    if type(value) is dict:
        return {key: item if type(item) in _SCALAR else _clone(item)
                for key, item in value.items()}
    if type(value) is list:
        return [item if type(item) in _SCALAR else _clone(item) for item in value]
    return value


class _Doc(Document):
    """TinyDB's Document, made at C speed (its Python `__init__` cost as much as the copy,
    and a group build makes hundreds of them) and half the size (`doc_id` in a slot, not in
    an instance dict of its own)."""

    __slots__ = ("doc_id",)
    __init__ = dict.__init__  # type: ignore[assignment]


class _Stored(_Doc):
    """A stored document in the form groups share it (`Table.group`): the store's own object,
    with its id, so that a group copies nothing. Stored documents are replaced and never
    changed in place (`tinytables._View`); this one refuses changes to its fields, so that a
    reader cannot change the store behind the journal's back (its lists and dicts are the
    store's too: read them only). `copy.copy` and `copy.deepcopy` give a private copy."""

    __slots__ = ()

    def _refuse(self, *_args: Any, **_kwargs: Any) -> Any:
        raise TypeError("a document from Table.group() is shared and cannot be changed; "
                        "change a copy from Table.get() or copy.copy()")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _refuse
    __ior__ = _refuse

    def __copy__(self) -> Document:
        return _copy(self, self.doc_id)

    def __deepcopy__(self, _memo: dict[int, Any]) -> Document:
        return _copy(self, self.doc_id)


def _stored(raw: dict, doc_id: int) -> _Stored:
    """The stored document `raw` (id `doc_id`) as a `_Stored`: itself if it is one already."""
    if type(raw) is _Stored:
        return raw
    doc = _Stored(raw)
    doc.doc_id = doc_id
    return doc


def _thawed(raw: dict) -> dict:
    """A private, changeable copy of a stored document (nested values copied too)."""
    return {key: item if type(item) in _SCALAR else _clone(item) for key, item in raw.items()}


def _copy(raw: dict, doc_id: int) -> Document:
    """A private copy of a stored document."""
    doc = _Doc(raw)
    for key, item in raw.items():
        if type(item) not in _SCALAR:
            doc[key] = _clone(item)
    doc.doc_id = doc_id
    return doc


def _same(a: Any, b: Any) -> bool:
    """Equality that tells 1 from 1.0 from True, because JSON writes them differently."""
    if type(a) is not type(b) and not (isinstance(a, dict) and isinstance(b, dict)):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(item, b[key]) for key, item in a.items())
    if type(a) is list:
        return len(a) == len(b) and all(map(_same, a, b))
    return a == b


def _index_key(value: Any) -> Any:
    """A hashable stand-in for a field value."""
    return ("\0json", _dumps(value)) if type(value) in (dict, list) else value
