"""The answers table: how an answer is stored and read (its days, its place or its waiting list).

The rules that give places are `seating.py`'s, the counts they go by `tallies.py`'s; like
them, everything here is synchronous (no `await` between a check and its write).

One document per user and meeting in `rsvp_answers`: answer, when it was given (`at`),
`seq` (the order of answers within the meeting, which orders seats and the waiting list
even when two answers share a timestamp), whether the user waits for a place, the days
of a multi-day gathering (empty: every day), `moves`, a counter of promotions and
demotions that makes each notice about them unique, `days_revision`, how often the
stored days changed, and `place_revision`, how often the person lost (or gave up) a place or
maybe and regained one (calendar files add the two to their SEQUENCE, so a file made after
either change replaces the one before, for this person alone: the meeting's own number is
everyone's), and `placed`, whether the stored days are a place the
rules gave after a move took all of the person's own (not days they chose). At a hybrid
gathering an answer in person may follow some of its days online: `online` lists those days
(never all of them: that answer is "online"), and `online_waiting` says whether their online
place waits (`waiting` is then the seat's). The last eight are left out while they hold
their defaults (`DEFAULTS`), as most answers do: an answer stored before them covers every
day its own way.
"""
from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from assistant.model import ANSWERS, Attendance, Event

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.storage import Rows, Table

PLACES: tuple[str, ...] = ("in_person", "online")
"""Answers that take a place, each with its own limit and waiting list."""


@dataclass(frozen=True)
class Move:
    """One person's answer changed by the rules (someone else's tap, a new capacity)."""

    user_id: int
    before: Attendance | None
    after: Attendance | None
    kind: str  # "promoted" or "demoted"


DEFAULTS: dict[str, Any] = {"waiting": False, "days": [], "moves": 0, "days_revision": 0,
                            "placed": False, "place_revision": 0, "online": [],
                            "online_waiting": False}
"""An answer's fields left out while they hold these values: a dict of up to five fields
takes 184 bytes and one of six to eight 272, so a festival's 200,000 answers take about
30 MB less memory (docs/benchmarks.md). Read them with `doc.get(field)`."""


FORMAT = 1
"""The answers' stored form: 1 since the defaults are left out (`slim` brings older ones)."""


def stored(doc: dict[str, Any]) -> dict[str, Any]:
    """An answer as it is stored: without the fields that hold their defaults."""
    return {key: value for key, value in doc.items()
            if key not in DEFAULTS or value != DEFAULTS[key]}


def slim(table: Table) -> int:
    """Store every answer that still has a field at its default without it; how many."""
    count = 0
    for doc_id, fields in table.values(tuple(DEFAULTS)):
        if any(value == default for value, default in zip(fields, DEFAULTS.values())):
            doc = table.get(doc_id)
            assert doc is not None
            table.put(doc_id, stored(doc))
            count += 1
    return count


def change(table: Table, doc: Any, **fields: Any) -> None:
    """Store `doc` (which has its `doc_id`) with some fields changed; different days raise
    its `days_revision`, whichever rule changed them, and every day is nobody's placement.
    A place or maybe lost or given up raises its `place_revision` (the file that removes the
    person's calendar entry then rises above the one that added it), and so does a place
    regained after a change (its file rises above the removal), and a switch between coming
    online and the venue (`_way_moved`: the file's place changes); a first answer and a first
    place keep 0, so they share the meeting's file with everyone else."""
    if "days" in fields:
        if list(fields["days"]) != list(doc.get("days", ())):
            fields["days_revision"] = doc.get("days_revision", 0) + 1
        if not fields["days"]:
            fields["placed"] = False
    new = {**doc, **fields}
    had, has = expects(doc), expects(new)
    if (had and not has) or (has and not had and (doc.get("days_revision", 0)
                                                  or doc.get("place_revision", 0))) or (
            had and has and (_day_place_moved(doc, new) or _way_moved(doc, new))):
        new["place_revision"] = doc.get("place_revision", 0) + 1
    table.put(doc.doc_id, stored(new))


def _day_place_moved(doc: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether an answer both ways (in person on some days, online on others) lost or regained
    the place of some of its days while keeping the other's: the file of the days with a place
    changes, so it must rise above the one before as a lost place's does."""
    return bool(doc.get("online")) and doc.get("online") == new.get("online") and any(
        doc.get(field, False) != new.get(field, False) for field in ("waiting", "online_waiting"))


def _way_moved(doc: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether an answer went from coming online to being expected at the venue (in person or
    maybe) or back: the calendar file's place changes with it, so it must rise above the one
    before."""
    return (doc.get("answer") == "online") != (new.get("answer") == "online")


def expects(doc: Mapping[str, Any]) -> bool:
    """Whether a stored answer expects the person at the meeting (a place, online or maybe),
    as `expected` says of an `Attendance`."""
    answer = doc.get("answer")
    return answer == "maybe" or (answer in PLACES and not doc.get("waiting", False)) \
        or bool(doc.get("online")) and not doc.get("online_waiting", False)


def answers(ctx: Context) -> Table:
    """The plugin's one table of answers."""
    return ctx.table("answers", indexes=("event", "user"))


_OFFERED: dict[str, tuple[str, ...]] = {
    mode: tuple(a for a in ANSWERS if not (a == "in_person" and mode == "online")
                and not (a == "online" and mode == "in_person"))
    for mode in ("in_person", "hybrid", "online")}


def allowed(event: Event) -> tuple[str, ...]:
    """The answers this meeting offers: no in-person seat online-only, no link in-person-only."""
    return _OFFERED[event.mode]


def limit(event: Event, answer: str) -> int | None:
    """How many places an answer has (None: no limit)."""
    if answer == "in_person":
        return event.capacity
    return event.online_capacity if answer == "online" else None


@functools.lru_cache(maxsize=4096)
def _iso_days(start: datetime, end: datetime, _zone: object) -> tuple[str, ...]:
    return tuple(d.isoformat() for d in Event(id="", networks=(), title="", start=start,
                                              end=end).days())


def days_key(event: Event) -> tuple[str, ...]:
    """What a tally's counts are by: the meeting's local days (a new zone can move them
    while the start stays the same instant)."""
    return _iso_days(event.start, event.end, event.start.tzinfo)


def event_days(event: Event) -> list[str]:
    """The ISO dates of the meeting (they depend on its start, end and zone only)."""
    return list(days_key(event))


def days_of(doc: dict[str, Any], event: Event) -> list[str]:
    """The days an answer covers (every day when none were chosen)."""
    every = event_days(event)
    return [d for d in every if d in doc.get("days", ())] or every


def part(doc: Mapping[str, Any], kind: str, event: Event) -> tuple[list[str], str] | None:
    """The days on which an answer takes a place of this kind, and the field that says
    whether that place waits (None: it takes none): an answer in person that follows some
    days online takes a seat on the others and an online place on those."""
    online = doc.get("online")
    if doc["answer"] == kind:
        days = days_of(doc, event)
        return ([d for d in days if d not in online] if online else days), "waiting"
    if online and kind == "online" and doc["answer"] == "in_person":
        return [d for d in days_of(doc, event) if d in online], "online_waiting"
    return None


def waits_for(doc: Mapping[str, Any], kind: str) -> bool:
    """Whether an answer is on this kind of place's waiting list (an answer in person waits
    for an online place for the days it follows online)."""
    if doc["answer"] == kind:
        return bool(doc.get("waiting"))
    return kind == "online" and doc["answer"] == "in_person" and bool(doc.get("online")) \
        and bool(doc.get("online_waiting"))


_answer_order = itemgetter("seq")
"""Answers in the order given (`Table.group` keeps ties in id order)."""


def ordered(table: Table, event_id: str) -> Rows:
    """A meeting's answers, earliest first. The table keeps them up to date write by write
    and sorts them again only after one changed (`Table.group`). Shared: never change the
    list or its documents."""
    return table.group("event", event_id, _answer_order)


def attendance(doc: dict[str, Any], docs: list[Any], name: str = "",
               position: int | None = None) -> Attendance:
    """A stored answer as the shared Attendance, with its waiting-list place (worked out
    from `docs` unless given)."""
    if not doc.get("waiting"):
        position = None
    elif position is None:
        kind = doc["answer"]
        queue = [d for d in docs if waits_for(d, kind)] if kind == "online" else \
            [d for d in docs if d["answer"] == kind and d.get("waiting")]  # `waits_for`, inline
        position = next(i for i, d in enumerate(queue, 1) if d["user"] == doc["user"])
    online = tuple(doc.get("online", ()))
    online_position = None
    if online and doc.get("online_waiting"):
        queue = [d for d in docs if waits_for(d, "online")]
        online_position = next((i for i, d in enumerate(queue, 1) if d["user"] == doc["user"]),
                               None)
    return Attendance(event_id=doc["event"], user_id=doc["user"], answer=doc["answer"],
                      at=datetime.fromisoformat(doc["at"]), waiting=doc.get("waiting", False),
                      position=position, days=tuple(doc.get("days", ())), name=name,
                      days_revision=doc.get("days_revision", 0),
                      place_revision=doc.get("place_revision", 0), online_days=online,
                      online_waiting=doc.get("online_waiting", False),
                      online_position=online_position)


def expected(att: Attendance | None) -> bool:
    """Whether an answer expects the person at the meeting: a place (in person or online) or
    maybe, the answers whose messages may have brought a file for their calendar."""
    return att is not None and (att.coming or att.answer == "maybe")


def current(table: Table, event_id: str, user_id: int) -> Attendance | None:
    """One user's answer, with their waiting-list place; only a waiting answer reads the
    meeting's other answers. A card asks this several times: the answer is kept until the
    table changes (`Table.version`)."""
    memo = table.memo()
    if (event_id, user_id) in memo:
        return memo[event_id, user_id]
    doc = table.first(event=event_id, user=user_id)
    found = None if doc is None else attendance(
        doc, ordered(table, event_id) if waits_somewhere(doc) else [])
    memo[event_id, user_id] = found
    return found


def waits_somewhere(doc: Mapping[str, Any]) -> bool:
    """Whether an answer is on a waiting list (for a seat or for its online days' place)."""
    return bool(doc.get("waiting") or doc.get("online_waiting"))


def moves_counter(table: Table, event_id: str, user_id: int) -> int:
    """The number that makes the next notice about this person's place unique."""
    doc = table.first(event=event_id, user=user_id)
    return doc.get("moves", 0) if doc else 0


def remove_user(table: Table, user_id: int) -> list[str]:
    """Delete a user's answers; returns the meetings they had answered."""
    events = []
    for doc in table.find(user=user_id):
        table.remove(doc.doc_id)
        events.append(doc["event"])
    return events
