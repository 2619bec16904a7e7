"""What changed between two versions of the programme, so plugins can tell the people affected.

When the organisers reload the programme file, RSVP, reminder and calendar plugins use
this to notify participants of added, removed, cancelled and changed events.
Field names in `EventChange.fields` are stable strings other plugins key on; they are
listed in `FIELDS` and documented in docs/programme.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.model import Event, Programme

__all__ = ["FIELDS", "EventChange", "ProgrammeDiff", "changed_fields", "diff_programmes"]

# "time" compares instants, so re-expressing the same moment in another zone is no change.
_COMPARED: dict[str, Callable[[Event], object]] = {
    "time": lambda e: (e.start.timestamp(), e.end.timestamp()),
    "title": lambda e: e.title,
    "description": lambda e: e.description,
    "networks": lambda e: e.networks,
    "venue": lambda e: e.venue,
    "online": lambda e: e.online,
    "speakers": lambda e: e.speakers,
    "capacity": lambda e: e.capacity,
    "online_capacity": lambda e: e.online_capacity,
    "invite_only": lambda e: e.invite_only,
    "health_declaration": lambda e: e.health_declaration,
    "health_required": lambda e: e.health_required,
    "questions": lambda e: e.questions,
    "question_mode": lambda e: e.question_mode,
    "cancelled": lambda e: e.cancelled,
    "note": lambda e: e.note,
    "url": lambda e: e.url,
}

FIELDS: tuple[str, ...] = tuple(_COMPARED)
"""Every name that can appear in `EventChange.fields`, in the order they are listed."""


@dataclass(frozen=True)
class EventChange:
    """One event present in both programmes whose listed fields differ."""

    before: Event
    after: Event
    fields: tuple[str, ...]

    def __contains__(self, field: str) -> bool:
        return field in self.fields


@dataclass(frozen=True)
class ProgrammeDiff:
    """Events added, removed, newly cancelled and otherwise changed, in programme order.

    `cancelled` holds events whose `cancelled` went from false to true (their `fields`
    include "cancelled" and anything else that changed at the same time); `changed`
    holds every other changed event, including ones that were un-cancelled.
    """

    added: tuple[Event, ...] = ()
    removed: tuple[Event, ...] = ()
    cancelled: tuple[EventChange, ...] = ()
    changed: tuple[EventChange, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether there is nothing to tell anyone."""
        return not (self.added or self.removed or self.cancelled or self.changed)


def changed_fields(before: Event, after: Event) -> tuple[str, ...]:
    """Names of the fields (see FIELDS) that differ between two versions of an event, then
    those of the fields plugins declared (`Event.extra`, by name)."""
    names = tuple(name for name, get in _COMPARED.items() if get(before) != get(after))
    if before.extra != after.extra:
        names += tuple(sorted(k for k in {*before.extra, *after.extra}
                              if before.extra.get(k) != after.extra.get(k)))
    return names


def diff_programmes(old: Programme, new: Programme) -> ProgrammeDiff:
    """Compare two programmes event by event, matching events by id."""
    old_events = {e.id: e for e in old.events}
    new_ids = {e.id for e in new.events}
    cancelled: list[EventChange] = []
    changed: list[EventChange] = []
    for after in new.events:
        before = old_events.get(after.id)
        if before is None:
            continue
        fields = changed_fields(before, after)
        if not fields:
            continue
        change = EventChange(before, after, fields)
        (cancelled if after.cancelled and not before.cancelled else changed).append(change)
    return ProgrammeDiff(
        added=tuple(e for e in new.events if e.id not in old_events),
        removed=tuple(e for e in old.events if e.id not in new_ids),
        cancelled=tuple(cancelled),
        changed=tuple(changed),
    )
