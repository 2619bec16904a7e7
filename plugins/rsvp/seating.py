"""The seat rules: who holds a place, who waits, who moves up.

Everything here is synchronous on purpose: a check and the write that follows it run
with no `await` between them, so two people tapping for the last seat at the same
moment cannot both get it (handlers share one event loop). The answers it moves are
stored as `seats.py` says; the places taken are counted by `tallies.py`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.model import Attendance, Event

from .seats import (
    PLACES,
    Move,
    allowed,
    attendance,
    change,
    current,
    days_of,
    event_days,
    limit,
    ordered,
    part,
    stored,
    waits_somewhere,
)
from .tallies import Tally, keep, tally, used

if TYPE_CHECKING:
    from assistant.storage import Rows, Table


def answer(table: Table, event: Event, user_id: int, value: str, now: datetime
           ) -> tuple[Attendance | None, Attendance | None, list[Move]]:
    """Store a user's answer and settle the seats; (before, after, others moved). A new
    answer covers the days it had the one way it says (days followed online are dropped)."""
    counted = tally(table, event)
    doc = table.first(event=event.id, user=user_id)
    before = None if doc is None else attendance(
        doc, ordered(table, event.id) if waits_somewhere(doc) else [])
    if doc is not None and doc["answer"] == value:
        moves = settle(table, event)
    else:
        seq = counted.last_seq + 1
        quick = _waits(counted, event, value)
        waiting = value in PLACES if quick is None else quick
        if doc is None:
            table.insert(stored({"event": event.id, "user": user_id, "answer": value,
                                 "at": now.isoformat(), "seq": seq, "waiting": waiting}))
        else:
            change(table, doc, answer=value, at=now.isoformat(), seq=seq, waiting=waiting,
                    days=[] if value == "no" else doc.get("days", []), online=[],
                    online_waiting=False)
        moves = (settle(table, event) if quick is None
                 else _move_up(table, event, counted, doc, value, quick, seq))
    return before, current(table, event.id, user_id), [m for m in moves if m.user_id != user_id]


def _waits(counted: Tally, event: Event, value: str) -> bool | None:
    """Whether a new answer waits, worked out from the tally alone when the meeting lasts one
    day, nobody waits for a free place and no place is taken twice over: then the rules
    (`settle`) give the newest answer a place exactly when one is free, and move nobody
    else unless a holder leaves; None: run the rules in full."""
    days = event_days(event)
    if len(days) != 1:
        return None
    day = days[0]
    for kind in PLACES:
        cap, holders = limit(event, kind), counted.taken[kind][day]
        if cap is not None and holders > cap or counted.waiting[kind] and (
                cap is None or holders < cap):
            return None
    cap = limit(event, value) if value in PLACES else None
    return cap is not None and counted.taken[value][day] >= cap


def _move_up(table: Table, event: Event, counted: Tally, doc: dict[str, Any] | None,
             value: str, waiting: bool, seq: int) -> list[Move]:
    """After `_waits`: a seat holder who left gives their place to the first who waits for
    one (if anyone does, the place was full); the tally is kept, changed by what moved."""
    day = event_days(event)[0]
    taken = {kind: Counter(counts) for kind, counts in counted.taken.items()}
    queued = dict(counted.waiting)
    if value in PLACES:
        if waiting:
            queued[value] += 1
        else:
            taken[value][day] += 1
    moves = []
    if doc is not None and (old := doc["answer"]) in PLACES:
        if doc.get("waiting"):
            queued[old] -= 1
        else:
            taken[old][day] -= 1
            if queued[old]:
                first = next(d for d in ordered(table, event.id)
                             if d["answer"] == old and d.get("waiting"))
                promoted = attendance(first, [], position=1)
                change(table, first, waiting=False, moves=first.get("moves", 0) + 1)
                queued[old] -= 1
                taken[old][day] += 1
                moves.append(Move(first["user"], promoted,
                                  attendance(table.get(first.doc_id), []), "promoted"))
    keep(table, event, Tally(taken, queued, seq))
    return moves


def day_is_free(table: Table, event: Event, user_id: int, day: str) -> bool:
    """Whether a seat holder could add this day without taking anyone's place."""
    doc = table.first(event=event.id, user=user_id)
    cap = limit(event, doc["answer"]) if doc else None
    if doc is None or doc.get("waiting") or cap is None or day in days_of(doc, event):
        return True
    others = [d for d in ordered(table, event.id) if d["user"] != user_id]
    return used(others, event, doc["answer"])[day] < cap


def way_is_free(table: Table, event: Event, user_id: int, day: str, way: str) -> bool:
    """Whether someone could take part `way` on one of their days without taking anyone's
    place: always when they have no place of that kind yet, or wait for it (the rules then
    seat them or put them on its waiting list), else when the day has a free one."""
    doc = table.first(event=event.id, user=user_id)
    found = None if doc is None else part(doc, way, event)
    cap = limit(event, way)
    if found is None or doc is None or doc.get(found[1]) or cap is None:
        return True
    others = [d for d in ordered(table, event.id) if d["user"] != user_id]
    return used(others, event, way)[day] < cap


def switch_days(table: Table, event: Event, user_id: int, days: Collection[str], way: str
                ) -> tuple[Attendance | None, Attendance | None, list[Move]]:
    """Take part `way` (in person or online) on some chosen days of a hybrid gathering (one
    day's button, or every day by the answer's own button) and settle the seats: a kind of
    place new to the answer starts on its waiting list, so the rules seat the person only
    where there is room, in the order of their answer. An answer online on every day is
    stored as "online"; its calendar entry changes, so its `days_revision` rises."""
    doc = table.first(event=event.id, user=user_id)
    before = current(table, event.id, user_id)
    if doc is None or doc["answer"] not in PLACES:
        return before, before, []
    chosen = days_of(doc, event)
    was_online = set(chosen if doc["answer"] == "online" else doc.get("online", ()))
    seat_waits = doc.get("waiting", False) if doc["answer"] == "in_person" else True
    online_waits = (doc.get("waiting", False) if doc["answer"] == "online"
                    else doc.get("online_waiting", False) if was_online else True)
    online = was_online | set(days) if way == "online" else was_online - set(days)
    fields: dict[str, Any] = {"online": [], "online_waiting": False,
                              "days_revision": doc.get("days_revision", 0) + 1}
    if online >= set(chosen):
        fields.update(answer="online", waiting=online_waits)
    elif not online:
        fields.update(answer="in_person", waiting=seat_waits)
    else:
        fields.update(answer="in_person", waiting=seat_waits, online_waiting=online_waits,
                      online=[d for d in chosen if d in online])
    change(table, doc, **fields)
    moves = settle(table, event)
    return before, current(table, event.id, user_id), [m for m in moves if m.user_id != user_id]


def choose_days(table: Table, event: Event, user_id: int, days: list[str]
                ) -> tuple[Attendance | None, Attendance | None, list[Move]]:
    """Store the days a user comes (all of them as the empty list) and settle the seats."""
    doc = table.first(event=event.id, user=user_id)
    before = current(table, event.id, user_id)
    if doc is None:
        return before, before, []
    fields: dict[str, Any] = {"days": [] if set(days) >= set(event_days(event)) else days,
                              "placed": False}
    if doc.get("online"):
        online = [d for d in doc["online"] if d in days]
        if set(online) >= set(days):
            fields.update(answer="online", waiting=doc.get("online_waiting", False))
        if not online or set(online) >= set(days):
            online = []
            fields["online_waiting"] = False
        fields["online"] = online
    change(table, doc, **fields)
    moves = settle(table, event)
    return before, current(table, event.id, user_id), [m for m in moves if m.user_id != user_id]


@dataclass(frozen=True)
class Lost:
    """Someone a move left with none of their days: the days they had (`placed`: given by
    the rules, not chosen), and the new days at the same positions, which they get first."""

    days: tuple[str, ...]
    placed: bool
    prefer: tuple[str, ...]

    def pick(self, every: list[str], full: Collection[str] = ()) -> list[str]:
        """At most as many days as they had, none of the `full` ones: the same positions
        first, then the others."""
        order = [*self.prefer, *(d for d in every if d not in self.prefer)]
        picked = [d for d in order if d not in full][:len(self.days)]
        return [d for d in every if d in picked]


def settle(table: Table, event: Event, last: Mapping[int, Lost] | None = None) -> list[Move]:
    """Give places by the rules: holders keep theirs in answer order while they fit, then the
    waiting list moves up in order; returns whoever changed (their before and after).

    The users in `last` (a move took all the days they had) come after everyone else,
    holding or waiting, and get a place on at most as many days as they had, the same
    positions first, among the days that still have room (waiting for those days when none
    has): they never take the place of someone who chose that day."""
    docs = ordered(table, event.id)
    changes = plan(docs, event, last)
    if not changes:
        return []
    befores = {doc["user"]: attendance(doc, docs) for doc, _, _, _ in changes}
    moved: dict[int, bool] = {}
    fresh: dict[int, Any] = {}
    for doc, fits, days, field in changes:
        doc = fresh.get(doc["user"], doc)  # an answer with two kinds of place changes twice
        fields: dict[str, Any] = {} if days is None else {"days": days, "placed": True}
        if fits == doc.get(field, False):
            moved[doc["user"]] = fits
            fields.update({field: not fits, "moves": doc.get("moves", 0) + 1})
        change(table, doc, **fields)
        fresh[doc["user"]] = table.get(doc.doc_id)
    after = ordered(table, event.id)
    by_user = {d["user"]: d for d in after}
    return [Move(user, befores[user], attendance(by_user[user], after),
                 "promoted" if fits else "demoted") for user, fits in moved.items()]


def would_move(table: Table, event: Event) -> list[int]:
    """Who the rules would promote or demote if the meeting were as `event` says (its seats
    changed), without storing anything: for the organiser's preview of a new programme."""
    return list(dict.fromkeys(doc["user"] for doc, fits, _, field
                              in plan(ordered(table, event.id), event, None)
                              if fits == doc.get(field, False)))


Change = tuple[Any, bool, list[str] | None, str]
"""One answer's place as the rules give it: the answer, whether it fits, its new days (None:
kept) and the field that says whether that place waits (`part`)."""


def plan(docs: Rows, event: Event, last: Mapping[int, Lost] | None) -> list[Change]:
    """What `settle` changes: per answer and kind of place whose place or days change,
    whether it fits and its new days (None: kept)."""
    changes: list[Change] = []
    every = event_days(event)
    for kind in PLACES:
        if kind not in allowed(event):
            continue  # answers the meeting no longer offers are moved (`edits.convert`), not seated
        cap = limit(event, kind)
        mine = [(d, found) for d in docs if (found := part(d, kind, event)) is not None]
        behind = [d for d, _ in mine if d["user"] in last] if last else []
        if behind:
            mine = [(d, found) for d, found in mine if d["user"] not in last]
        order = [(d, found) for d, found in mine if not d.get(found[1])] + [
            (d, found) for d, found in mine if d.get(found[1])]
        if not behind and (cap is None or len(every) == 1):
            changes += [(doc, fits, None, field) for n, (doc, (_, field)) in enumerate(order)
                        if (fits := cap is None or n < cap) == doc.get(field, False)]
            continue
        room = len(docs) + 1 if cap is None else cap
        taken: Counter[str] = Counter()
        for doc, (days, field) in order:
            fits = all(taken[day] < room for day in days)
            if fits:
                taken.update(days)
            if fits == doc.get(field, False):
                changes.append((doc, fits, None, field))
        for doc in behind:
            assert last is not None
            placed = last[doc["user"]].pick(every, [d for d in every if taken[d] >= room])
            taken.update(placed)
            wanted = placed or last[doc["user"]].pick(every)
            changes.append((doc, bool(placed), [] if len(wanted) == len(every) else wanted,
                            "waiting"))
    for doc in docs if last else ():
        if doc["user"] in last and doc["answer"] not in PLACES:
            wanted = last[doc["user"]].pick(every)
            changes.append((doc, True, [] if len(wanted) == len(every) else wanted, "waiting"))
    return changes
