"""Taking back one handler's writes when it fails half-way: its before-images, kept only
while it runs and only for what no commit has taken yet, and for each document whether
another task wrote it since (then that write stands and the document is left as it is)."""
from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from .documents import _ABSENT, _clone

Undo = dict[str, dict[str, Any]]


class Scope:
    """One running handler's before-images (tasks it starts share them while it runs)."""

    __slots__ = ("befores", "open")

    def __init__(self) -> None:
        self.befores: Undo = {}
        self.open = True


_current: ContextVar[Scope | None] = ContextVar("mingel_undo", default=None)


class Scopes:
    """Who wrote each document last, among the documents a running handler may take back."""

    def __init__(self) -> None:
        self._owner: dict[tuple[str, str], Scope | None] = {}

    def wrote(self, table: str, key: str, current: dict[str, Any]) -> None:
        """Called before a document changes."""
        scope, where = _current.get(), (table, key)
        if scope is None or not scope.open:
            if where in self._owner:
                self._owner[where] = None
            return
        mine = scope.befores.setdefault(table, {})
        if key not in mine or self._owner.get(where) is not scope:
            mine[key] = _clone(current.get(key, _ABSENT))
        self._owner[where] = scope

    def release(self, undo: Undo) -> None:
        """These documents went into a commit (or were rolled back by a failed one): from
        now on no handler's failure takes them back."""
        for table, befores in undo.items():
            for key in befores:
                owner = self._owner.pop((table, key), None)
                if owner is not None:
                    owner.befores.get(table, {}).pop(key, None)

    def scope(self) -> _Block:
        """Record the before-images of what this block (this task) writes."""
        return _Block(self)

    def _close(self, scope: Scope) -> None:
        scope.open = False
        for table, befores in scope.befores.items():
            for key in befores:
                owner = self._owner.get((table, key))
                if owner is scope or owner is None:
                    self._owner.pop((table, key), None)
        scope.befores.clear()

    def own(self, scope: Scope) -> Undo:
        """The scope's before-images of the documents nobody else wrote after it."""
        found: Undo = {}
        for table, befores in scope.befores.items():
            for key, before in befores.items():
                if self._owner.get((table, key)) is scope:
                    found.setdefault(table, {})[key] = before
        return found


class _Block:
    """`Scopes.scope()`: a class rather than a generator, since every update enters one."""

    __slots__ = ("_scope", "_scopes", "_token")

    def __init__(self, scopes: Scopes) -> None:
        self._scopes, self._scope = scopes, Scope()

    def __enter__(self) -> Scope:
        self._token = _current.set(self._scope)
        return self._scope

    def __exit__(self, *exc: object) -> None:
        _current.reset(self._token)
        self._scopes._close(self._scope)


class Undoable:
    """`Store.undoable()`: a class rather than a generator, since every handler runs in one."""

    __slots__ = ("_block", "_restore", "_scope", "_scopes")

    def __init__(self, scopes: Scopes, restore: Callable[[Undo], int]) -> None:
        self._scopes, self._restore, self._block = scopes, restore, scopes.scope()

    def __enter__(self) -> Callable[[], int]:
        self._scope = self._block.__enter__()
        return self.undo

    def undo(self) -> int:
        """Take back what the block wrote that nobody changed after it; how many documents."""
        return self._restore(self._scopes.own(self._scope))

    def __exit__(self, *exc: object) -> None:
        self._block.__exit__(*exc)
