"""The answers table and the seat rules: who holds a place, who waits, who moves up.

Everything here is synchronous on purpose: a check and the write that follows it run
with no `await` between them, so two people tapping for the last seat at the same
moment cannot both get it (handlers share one event loop).

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
import weakref
from collections import Counter, OrderedDict
from collections.abc import Collection, Iterable, Mapping
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
    regained after a change (its file rises above the removal); a first answer and a first
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
            had and has and _day_place_moved(doc, new)):
        new["place_revision"] = doc.get("place_revision", 0) + 1
    table.put(doc.doc_id, stored(new))


def _day_place_moved(doc: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether an answer both ways (in person on some days, online on others) lost or regained
    the place of some of its days while keeping the other's: the file of the days with a place
    changes, so it must rise above the one before as a lost place's does."""
    return bool(doc.get("online")) and doc.get("online") == new.get("online") and any(
        doc.get(field, False) != new.get(field, False) for field in ("waiting", "online_waiting"))


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


def _days_key(event: Event) -> tuple[str, ...]:
    """What a tally's counts are by: the meeting's local days (a new zone can move them
    while the start stays the same instant)."""
    return _iso_days(event.start, event.end, event.start.tzinfo)


def event_days(event: Event) -> list[str]:
    """The ISO dates of the meeting (they depend on its start, end and zone only)."""
    return list(_days_key(event))


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


def _whole(doc: Mapping[str, Any]) -> bool:
    """Whether an answer takes its one kind of place on every day (counted together)."""
    return not doc.get("days") and not doc.get("online")


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
    other than by a tap that kept it (`answer`): every card shows the places left."""
    kept = _tallies.get(table)
    if kept is None:
        kept = _tallies[table] = OrderedDict()
    key = (event.id, _days_key(event))
    found = kept.get(key)
    if found is not None and found[0] == table.stamp("event", event.id):
        kept.move_to_end(key)
        return found[1]
    return _keep(table, event, _count(table.group("event", event.id), event))


def _keep(table: Table, event: Event, counted: Tally) -> Tally:
    """Keep a tally that holds for the meeting's answers as they are now."""
    kept, key = _tallies[table], (event.id, _days_key(event))
    kept[key] = (table.stamp("event", event.id), counted)
    kept.move_to_end(key)
    if len(kept) > TALLIES_KEPT:
        kept.popitem(last=False)
    return counted


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
        doc, ordered(table, event_id) if _waits_somewhere(doc) else [])
    memo[event_id, user_id] = found
    return found


def _waits_somewhere(doc: Mapping[str, Any]) -> bool:
    """Whether an answer is on a waiting list (for a seat or for its online days' place)."""
    return bool(doc.get("waiting") or doc.get("online_waiting"))


def answer(table: Table, event: Event, user_id: int, value: str, now: datetime
           ) -> tuple[Attendance | None, Attendance | None, list[Move]]:
    """Store a user's answer and settle the seats; (before, after, others moved). A new
    answer covers the days it had the one way it says (days followed online are dropped)."""
    counted = tally(table, event)
    doc = table.first(event=event.id, user=user_id)
    before = None if doc is None else attendance(
        doc, ordered(table, event.id) if _waits_somewhere(doc) else [])
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
    _keep(table, event, Tally(taken, queued, seq))
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
