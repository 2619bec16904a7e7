"""Answers stored before a gathering of evenings had its evenings as its days.

Until session 37 a gathering from Friday 18:00 to Sunday 02:00 had three days to choose,
Friday, Saturday and Sunday (Sunday 00:00–02:00, the small hours of Saturday's evening), and
ran through its nights; now its days are its evenings, Friday and Saturday, each from 18:00
into the night after (`Event.of_evenings`). An answer stored the old way can name the night
its last evening ends in ("2027-10-17"), a day the gathering no longer has: the rules then
took Sunday alone for every day (a seat on Friday and Saturday, reminders before Friday) and
Friday with Sunday for Friday alone. Those hours are Saturday evening's now, so the night
becomes the last evening (the old Saturday's own choice and way win when it had one), and
the seats of those gatherings are settled by the rules (a Friday seat the night took goes
to whoever waits for it, who is told). A gathering of evenings that ends at midnight had the
same days under both rules.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.model import Event

from . import seats

if TYPE_CHECKING:
    from assistant.storage import Table

VERSION = 2
"""The answers' stored form since the days of a gathering of evenings are its evenings
(`seats.FORMAT` was 1)."""


def migrate(table: Table, event_of: Callable[[str], Event | None]) -> list[Event]:
    """Store every answer that names the night a gathering of evenings ends in as of its last
    evening (`event_of`: a meeting by id, None when the programme no longer has it); the
    gatherings, one per answer changed. Their seats are then settled by the caller: the
    night alone took a seat on every evening, and a seat it no longer takes is someone's
    on the waiting list."""
    changed: list[Event] = []
    for doc in table.all():
        event = event_of(doc["event"])
        if event is None or not event.of_evenings:
            continue
        fields = evenings(doc, event)
        if fields:
            seats.change(table, doc, **fields)
            changed.append(event)
    return changed


def evenings(doc: dict[str, Any], event: Event) -> dict[str, Any]:
    """The fields of an answer that change when its night becomes the last evening: its days
    (every evening as none, as `seating.choose_days` stores them), the days it follows online
    (all of them as an answer online, none when the night was the only one), else nothing."""
    every = seats.event_days(event)
    night, last = event.end.astimezone(event.timezone).date().isoformat(), every[-1]
    days, online = list(doc.get("days", ())), list(doc.get("online", ()))
    if night in every or night not in days + online:
        return {}
    chosen = days or [*every, night]
    fields: dict[str, Any] = {}
    if night in days:
        kept = [d for d in every if d in days or d == last]
        fields["days"] = [] if kept == every else kept
    if night in online:
        moved = [d for d in every if d in online or d == last and last not in chosen]
        covered = fields.get("days", days) or every
        if moved and set(moved) >= set(covered):
            fields.update(answer="online", waiting=doc.get("online_waiting", False),
                          online=[], online_waiting=False)
        else:
            fields["online"] = moved
            if not moved:
                fields["online_waiting"] = False
    return fields
