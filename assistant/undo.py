"""Taking back one handler's writes when it fails half-way: its before-images, kept only
while it runs, and for each document whether another task wrote it since (then that
write stands and the document is left as it is)."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from .tables import _ABSENT, _clone

Undo = dict[str, dict[str, Any]]
_current: ContextVar[Undo | None] = ContextVar("mingel_undo", default=None)


class Scopes:
    """Who wrote each document last, among the documents a running handler wrote."""

    def __init__(self) -> None:
        self._owner: dict[tuple[str, str], Undo | None] = {}

    def wrote(self, table: str, key: str, current: dict[str, Any]) -> None:
        """Called before a document changes."""
        scope, where = _current.get(), (table, key)
        if scope is None:
            if where in self._owner:
                self._owner[where] = None
            return
        mine = scope.setdefault(table, {})
        if key not in mine:
            mine[key] = _clone(current.get(key, _ABSENT))
        self._owner[where] = scope

    @contextlib.contextmanager
    def scope(self) -> Iterator[Undo]:
        """Record the before-images of what this block (this task) writes."""
        scope: Undo = {}
        token = _current.set(scope)
        try:
            yield scope
        finally:
            _current.reset(token)
            self._release(scope)

    def committed(self) -> None:
        """The running handler committed: what it wrote so far stays, whatever happens next."""
        if (scope := _current.get()) is not None:
            self._release(scope)

    def _release(self, scope: Undo) -> None:
        for table, befores in scope.items():
            for key in befores:
                owner = self._owner.get((table, key))
                if owner is scope or owner is None:
                    self._owner.pop((table, key), None)
        scope.clear()

    def own(self, scope: Undo) -> Undo:
        """The scope's before-images of the documents nobody else wrote after it."""
        found: Undo = {}
        for table, befores in scope.items():
            for key, before in befores.items():
                if self._owner.get((table, key)) is scope:
                    found.setdefault(table, {})[key] = before
        return found
