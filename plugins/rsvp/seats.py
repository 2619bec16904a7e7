"""The answers table and the seat rules: who holds a place, who waits, who moves up.

Everything here is synchronous on purpose: a check and the write that follows it run
with no `await` between them, so two people tapping for the last seat at the same
moment cannot both get it (handlers share one event loop).

One document per user and meeting in `rsvp_answers`: answer, when it was given (`at`),
`seq` (the order of answers within the meeting, which orders seats and the waiting list
even when two answers share a timestamp), whether the user waits for a place, the days
of a multi-day gathering (empty: every day) and `moves`, a counter of promotions and
demotions that makes each notice about them unique.
"""
from __future__ import annotations

import functools
import weakref
from collections import Counter, OrderedDict
from collections.abc import Iterable
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


def answers(ctx: Context) -> Table:
    """The plugin's one table of answers."""
    return ctx.table("answers", indexes=("event", "user"))


def allowed(event: Event) -> tuple[str, ...]:
    """The answers this meeting offers: no in-person seat online-only, no link in-person-only."""
    return tuple(a for a in ANSWERS if not (a == "in_person" and event.mode == "online")
                 and not (a == "online" and event.mode == "in_person"))


def limit(event: Event, answer: str) -> int | None:
    """How many places an answer has (None: no limit)."""
    if answer == "in_person":
        return event.capacity
    return event.online_capacity if answer == "online" else None


@functools.lru_cache(maxsize=4096)
def _iso_days(start: datetime, end: datetime, _zone: object) -> tuple[str, ...]:
    return tuple(d.isoformat() for d in Event(id="", networks=(), title="", start=start,
                                              end=end).days())


def event_days(event: Event) -> list[str]:
    """The ISO dates of the meeting (they depend on its start, end and zone only)."""
    return list(_iso_days(event.start, event.end, event.start.tzinfo))


def days_of(doc: dict[str, Any], event: Event) -> list[str]:
    """The days an answer covers (every day when none were chosen)."""
    every = event_days(event)
    return [d for d in every if d in doc.get("days", ())] or every


_answer_order = itemgetter("seq")
"""Answers in the order given (`Table.group` keeps ties in id order)."""


def ordered(table: Table, event_id: str) -> Rows:
    """A meeting's answers, earliest first. The table keeps them up to date write by write
    and sorts them again only after one changed (`Table.group`). Shared: never change the
    list or its documents."""
    return table.group("event", event_id, _answer_order)


def used(docs: Iterable[dict[str, Any]], event: Event, answer: str) -> Counter[str]:
    """Places taken per day by those holding one (those coming every day counted together:
    a crowded meeting has thousands)."""
    taken: Counter[str] = Counter()
    every = event_days(event)
    whole = 0
    for doc in docs:
        if doc["answer"] == answer and not doc["waiting"]:
            if doc.get("days"):
                taken.update(days_of(doc, event))
            else:
                whole += 1
    if whole:
        taken.update(dict.fromkeys(every, whole))
    return taken


def places_left(table: Table, event: Event, answer: str) -> dict[str, int] | None:
    """Free places per day (None when the answer has no limit); counted again only after
    the meeting's answers changed (`Table.stamp`), since every card shows them."""
    cap = limit(event, answer)
    if cap is None:
        return None
    taken = _taken(table, event, answer)
    return {day: max(0, cap - taken[day]) for day in event_days(event)}


COUNTS_KEPT = 8192
"""Seat counts kept per table: a few dozen bytes each, so every meeting of a festival fits."""
_counts: weakref.WeakKeyDictionary[Table, OrderedDict[tuple[Any, ...], tuple[int, Counter[str]]]] \
    = weakref.WeakKeyDictionary()


def _taken(table: Table, event: Event, answer: str) -> Counter[str]:
    """Places taken per day, from memory while the meeting's answers stay as they were."""
    kept = _counts.get(table)
    if kept is None:
        kept = _counts[table] = OrderedDict()
    key = (event.id, answer, event.start, event.end)
    stamp = table.stamp("event", event.id)
    found = kept.get(key)
    if found is not None and found[0] == stamp:
        kept.move_to_end(key)
        return found[1]
    taken = used(ordered(table, event.id), event, answer)
    kept[key] = (stamp, taken)
    if len(kept) > COUNTS_KEPT:
        kept.popitem(last=False)
    return taken


def waiting_count(table: Table, event: Event, answer: str) -> int:
    """How many wait for a place of this kind."""
    return sum(1 for d in ordered(table, event.id) if d["answer"] == answer and d["waiting"])


def attendance(doc: dict[str, Any], docs: list[Any], name: str = "",
               position: int | None = None) -> Attendance:
    """A stored answer as the shared Attendance, with its waiting-list place (worked out
    from `docs` unless given)."""
    if not doc["waiting"]:
        position = None
    elif position is None:
        queue = [d for d in docs if d["answer"] == doc["answer"] and d["waiting"]]
        position = next(i for i, d in enumerate(queue, 1) if d["user"] == doc["user"])
    return Attendance(event_id=doc["event"], user_id=doc["user"], answer=doc["answer"],
                      at=datetime.fromisoformat(doc["at"]), waiting=doc["waiting"],
                      position=position, days=tuple(doc.get("days", ())), name=name)


def current(table: Table, event_id: str, user_id: int) -> Attendance | None:
    """One user's answer, with their waiting-list place; only a waiting answer reads the
    meeting's other answers. A card asks this several times: the answer is kept until the
    table changes (`Table.version`)."""
    memo = _memo(table)
    if (event_id, user_id) in memo:
        return memo[event_id, user_id]
    doc = table.first(event=event_id, user=user_id)
    found = None if doc is None else attendance(
        doc, ordered(table, event_id) if doc["waiting"] else [])
    memo[event_id, user_id] = found
    return found


_memos: weakref.WeakKeyDictionary[Table, tuple[int, dict[tuple[str, int], Any]]] = \
    weakref.WeakKeyDictionary()


def _memo(table: Table) -> dict[tuple[str, int], Any]:
    """Answers looked up since the table last changed."""
    kept = _memos.get(table)
    if kept is None or kept[0] != table.version:
        kept = _memos[table] = (table.version, {})
    return kept[1]


def answer(table: Table, event: Event, user_id: int, value: str, now: datetime
           ) -> tuple[Attendance | None, Attendance | None, list[Move]]:
    """Store a user's answer and settle the seats; (before, after, others moved)."""
    docs = ordered(table, event.id)
    doc = table.first(event=event.id, user=user_id)
    before = None if doc is None else attendance(doc, docs)
    seq = 1 + (docs[-1]["seq"] if docs else 0)  # docs are sorted by seq (_answer_order)
    if doc is None:
        table.insert({"event": event.id, "user": user_id, "answer": value, "at": now.isoformat(),
                      "seq": seq, "waiting": value in PLACES, "days": [], "moves": 0})
    elif doc["answer"] != value:
        days = [] if value == "no" else doc.get("days", [])
        table.update(doc.doc_id, {"answer": value, "at": now.isoformat(), "seq": seq,
                                  "waiting": value in PLACES, "days": days})
    moves = settle(table, event)
    return before, current(table, event.id, user_id), [m for m in moves if m.user_id != user_id]


def day_is_free(table: Table, event: Event, user_id: int, day: str) -> bool:
    """Whether a seat holder could add this day without taking anyone's place."""
    doc = table.first(event=event.id, user=user_id)
    cap = limit(event, doc["answer"]) if doc else None
    if doc is None or doc["waiting"] or cap is None or day in days_of(doc, event):
        return True
    others = [d for d in ordered(table, event.id) if d["user"] != user_id]
    return used(others, event, doc["answer"])[day] < cap


def choose_days(table: Table, event: Event, user_id: int, days: list[str]
                ) -> tuple[Attendance | None, Attendance | None, list[Move]]:
    """Store the days a user comes (all of them as the empty list) and settle the seats."""
    doc = table.first(event=event.id, user=user_id)
    before = current(table, event.id, user_id)
    if doc is None:
        return before, before, []
    table.update(doc.doc_id, {"days": [] if set(days) >= set(event_days(event)) else days})
    moves = settle(table, event)
    return before, current(table, event.id, user_id), [m for m in moves if m.user_id != user_id]


def settle(table: Table, event: Event) -> list[Move]:
    """Give places by the rules: holders keep theirs in answer order while they fit, then the
    waiting list moves up in order; returns whoever changed (their before and after)."""
    changes: list[tuple[Any, bool]] = []
    docs = ordered(table, event.id)
    one_day = len(event_days(event)) == 1
    for kind in PLACES:
        cap = limit(event, kind)
        mine = [d for d in docs if d["answer"] == kind]
        order = [d for d in mine if not d["waiting"]] + [d for d in mine if d["waiting"]]
        if cap is None or one_day:
            changes += [(doc, fits) for n, doc in enumerate(order)
                        if (fits := cap is None or n < cap) == doc["waiting"]]
            continue
        taken: Counter[str] = Counter()
        for doc in order:
            days = days_of(doc, event)
            fits = all(taken[day] < cap for day in days)
            if fits:
                taken.update(days)
            if fits == doc["waiting"]:
                changes.append((doc, fits))
    if not changes:
        return []
    befores = {doc["user"]: attendance(doc, docs) for doc, _ in changes}
    for doc, fits in changes:
        table.update(doc.doc_id, {"waiting": not fits, "moves": doc.get("moves", 0) + 1})
    after = ordered(table, event.id)
    by_user = {d["user"]: d for d in after}
    return [Move(doc["user"], befores[doc["user"]], attendance(by_user[doc["user"]], after),
                 "promoted" if fits else "demoted") for doc, fits in changes]


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
