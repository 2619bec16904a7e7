"""Translated texts in the programme: a language -> string map, immutable and hashable so
that model objects holding them can be set members and dict keys, and the pick of the best
string for a reader. Part of the model's vocabulary (`assistant.model` exports them)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

K = TypeVar("K")
V = TypeVar("V")

Text = Mapping[str, str]
"""A translated string: language code -> string. The key "" means "any language"."""

FALLBACK_LANGUAGES: tuple[str, ...] = ("en", "sv")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping, so that model objects can be set members and dict keys."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = (), /) -> None:
        object.__setattr__(self, "_data", dict(data))

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._data,))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


EMPTY_TEXT: FrozenMap[str, str] = FrozenMap()


def freeze_text(value: Text | str | None) -> FrozenMap[str, str]:
    """Normalise a text given as mapping, plain string or None into an immutable mapping."""
    if value is None:
        return EMPTY_TEXT
    if isinstance(value, str):
        return FrozenMap({"": value}) if value else EMPTY_TEXT
    if isinstance(value, FrozenMap):
        return value
    return FrozenMap({str(k): str(v) for k, v in value.items()})


def text(t: Text | None, lang: str) -> str:
    """Pick the best string for a reader: their language, else English, else Swedish, else any.

    A regional code such as "sv-FI" falls back to "sv" first.
    """
    if not t:
        return ""
    if value := t.get(lang):
        return value
    for candidate in (lang.replace("_", "-").split("-")[0], *FALLBACK_LANGUAGES):
        value = t.get(candidate)
        if value:
            return value
    return next((v for v in t.values() if v), "")
