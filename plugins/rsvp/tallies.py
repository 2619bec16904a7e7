"""A meeting's seats in numbers: places taken per day and people waiting, per kind of place.

Every card shows the places left, so a meeting's tally is counted in one pass over its
answers and kept until they change (`Table.stamp`); a tap the rules settle from the tally
alone keeps it up to date itself (`seating.answer`). Synchronous, as the rules that read it.
"""
from __future__ import annotations

import weakref
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.model import Event

from .seats import PLACES, days_key, days_of, event_days, limit, part

if TYPE_CHECKING:
    from assistant.storage import Table


def _whole(doc: Mapping[str, Any]) -> bool:
    """Whether an answer takes its one kind of place on every day (counted together)."""
    return not doc.get("days") and not doc.get("online")


def used(docs: Iterable[dict[str, Any]], event: Event, answer: str) -> Counter[str]:
    """Places taken per day by those holding one (those coming every day counted together:
    a crowded meeting has thousands)."""
    taken: Counter[str] = Counter()
    every = event_days(event)
    whole = 0
    for doc in docs:
        if (found := part(doc, answer, event)) is not None and not doc.get(found[1]):
            if _whole(doc):
                whole += 1
            else:
                taken.update(found[0])
    if whole:
        taken.update(dict.fromkeys(every, whole))
    return taken


def places_left(table: Table, event: Event, answer: str) -> dict[str, int] | None:
    """Free places per day (None when the answer has no limit)."""
    cap = limit(event, answer)
    if cap is None:
        return None
    taken = tally(table, event).taken[answer]
    return {day: max(0, cap - taken[day]) for day in event_days(event)}


def would_wait(table: Table, event: Event, answer: str) -> bool:
    """Whether a new answer would only reach the waiting list: a place it needs is full on
    some day (the rules fill free places before anyone waits, so nobody is ahead)."""
    left = places_left(table, event, answer) if answer in PLACES else None
    return left is not None and not all(left.values())


@dataclass(frozen=True)
class Tally:
    """A meeting's seats in numbers: places taken per day and people waiting, per kind of
    place, and the last answer's `seq`."""

    taken: dict[str, Counter[str]]
    waiting: dict[str, int]
    last_seq: int


def _count(docs: Iterable[dict[str, Any]], event: Event) -> Tally:
    """The tally, in one pass over the answers (those coming every day counted together)."""
    taken: dict[str, Counter[str]] = {kind: Counter() for kind in PLACES}
    whole, waiting = dict.fromkeys(PLACES, 0), dict.fromkeys(PLACES, 0)
    last = 0
    for doc in docs:
        last = max(last, doc["seq"])
        if (answer := doc["answer"]) not in whole:
            continue
        if not doc.get("online"):  # one kind of place (nearly every answer): as `part` says
            if doc.get("waiting"):
                waiting[answer] += 1
            elif doc.get("days"):
                taken[answer].update(days_of(doc, event))
            else:
                whole[answer] += 1
            continue
        for kind in PLACES:
            if (found := part(doc, kind, event)) is None:
                continue
            if doc.get(found[1]):
                waiting[kind] += 1
            else:
                taken[kind].update(found[0])
    every = event_days(event)
    for kind, count in whole.items():
        if count:
            taken[kind].update(dict.fromkeys(every, count))
    return Tally(taken, waiting, last)


TALLIES_KEPT = 8192
"""Tallies kept per table: about a kilobyte each, so every meeting of a festival fits."""
_tallies: weakref.WeakKeyDictionary[Table, OrderedDict[tuple[Any, ...], tuple[int, Tally]]] \
    = weakref.WeakKeyDictionary()


def tally(table: Table, event: Event) -> Tally:
    """The meeting's tally, counted again only after its answers changed (`Table.stamp`)
    other than by a tap that kept it (`seating.answer`): every card shows the places left."""
    kept = _tallies.get(table)
    if kept is None:
        kept = _tallies[table] = OrderedDict()
    key = (event.id, days_key(event))
    found = kept.get(key)
    if found is not None and found[0] == table.stamp("event", event.id):
        kept.move_to_end(key)
        return found[1]
    return keep(table, event, _count(table.group("event", event.id), event))


def keep(table: Table, event: Event, counted: Tally) -> Tally:
    """Keep a tally that holds for the meeting's answers as they are now."""
    kept, key = _tallies[table], (event.id, days_key(event))
    kept[key] = (table.stamp("event", event.id), counted)
    kept.move_to_end(key)
    if len(kept) > TALLIES_KEPT:
        kept.popitem(last=False)
    return counted
