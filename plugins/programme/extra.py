"""Fields plugins add to the programme's meetings (the `register_event_fields` hook).

A plugin declares `EventField("lunch", "bool", N_("Lunch served"))`; organisers then write
`lunch: true` under a meeting (or under `defaults`), the loader checks it as it checks the
fields of its own and keeps it in `Event.extra`, a change to it is a changed field of that
name (`EventChange.fields`, the preview: "Lunch served: no → yes"), and `mingel check`
knows it too. A field is known while its plugin is installed and switched on.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from assistant import N_
from assistant.loading import NAME_PATTERN
from assistant.types import FIELD_KINDS, EventField

from .loader import EVENT_FIELDS, TOP_FIELDS

if TYPE_CHECKING:
    from assistant.core import Assistant

_declared: WeakKeyDictionary[Assistant, dict[str, EventField]] = WeakKeyDictionary()


class FieldError(ValueError):
    """A plugin declared a field the programme file cannot have; `text` (N_) and `values`
    say which and why, translated where they are shown."""

    def __init__(self, text: str, **values: object) -> None:
        super().__init__(text.format(**values))
        self.text, self.values = text, values


def checked(fields: Iterable[EventField]) -> dict[str, EventField]:
    """The declared fields by name; raises FieldError for the first that cannot be one."""
    found: dict[str, EventField] = {}
    for f in fields:
        if not (f.name == f.plugin or f.name.startswith(f"{f.plugin}_")) \
                or not NAME_PATTERN.fullmatch(f.name):
            raise FieldError(N_("the plugin {plugin} declares the programme field '{name}': a "
                                "plugin's field is named after it, '{plugin}' or '{plugin}_…' "
                                "(a-z, 0-9, _)"), plugin=f.plugin, name=f.name)
        if f.kind not in FIELD_KINDS:
            raise FieldError(N_("the plugin {plugin} declares the programme field '{name}' of "
                                "the kind '{kind}': the kinds are {kinds}"), plugin=f.plugin,
                             name=f.name, kind=f.kind, kinds=", ".join(FIELD_KINDS))
        if f.name in found or f.name in EVENT_FIELDS or f.name in TOP_FIELDS:
            raise FieldError(N_("the plugin {plugin} declares the programme field '{name}', "
                                "which is taken"), plugin=f.plugin, name=f.name)
        found[f.name] = f
    return found


def declared(assistant: Assistant) -> dict[str, EventField]:
    """The fields this assistant's plugins add, checked once (start-up stops on a bad one)."""
    fields = _declared.get(assistant)
    if fields is None:
        fields = _declared[assistant] = checked(assistant.hooks.register_event_fields())
    return fields


def kinds(assistant: Assistant) -> dict[str, str]:
    """What the loader needs: each declared field's kind, by name."""
    return {name: f.kind for name, f in declared(assistant).items()}
