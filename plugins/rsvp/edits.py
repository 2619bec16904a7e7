"""What an organiser's edit does to a meeting's answers: the days of a gathering moved or cut
(`move_days`), answers the meeting no longer offers moved to the one it offers instead
(`convert`), days followed online dropped at a meeting made in person only (`drop_online`),
each given back by an edit undone before the notice, and the dry run of all that for the
organiser's preview (`would_settle`, `would_convert`, `would_drop`). The seat rules
themselves are in `seats`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from assistant.model import Attendance, Event

from . import seating, seats

if TYPE_CHECKING:
    from assistant.storage import Rows, Table


Before = tuple[list[str], bool, int]
"""A person's stored days, whether the rules placed them there, and their `days_revision`."""


class Origin(NamedTuple):
    """Where a person's days stood before the edits not yet told changed them: their days,
    whether the rules had placed them there, the `days_revision` those edits left, and the
    meeting's days then."""

    days: list[str]
    placed: bool
    revision: int
    of: list[str]


def move_days(table: Table, old: list[str], event: Event, restore: Mapping[int, Origin]
              ) -> tuple[dict[int, seating.Lost], dict[int, Before]]:
    """After the meeting's days changed from `old`: when it has as many days it was shifted,
    and everyone's days move with it by position (a move and a move back restore them);
    otherwise the days it no longer has are dropped. Edits not yet told count as one: those
    in `restore`, whose days only such edits changed (same `days_revision`), start again from
    their days before the first of them, against the meeting's days then, so that a chain of
    edits places everyone as its net edit would. Returns who has no day left (to be placed
    last by `seating.settle`) and everyone whose days changed, as they were."""
    lost, changed, writes = _day_moves(list(seats.ordered(table, event.id)), old, event, restore)
    for doc, fields in writes:
        seats.change(table, doc, **fields)
    return lost, changed


def _day_moves(docs: Iterable[Any], old: list[str], event: Event, restore: Mapping[int, Origin]
               ) -> tuple[dict[int, seating.Lost], dict[int, Before], list[tuple[Any, dict[str, Any]]]]:
    """What `move_days` does, without storing it: who has no day left, whose days change (as
    they were), and the fields to write per answer."""
    every = seats.event_days(event)
    lost: dict[int, seating.Lost] = {}
    changed: dict[int, Before] = {}
    writes: list[tuple[Any, dict[str, Any]]] = []
    for doc in docs:
        days, placed = doc.get("days") or [], doc.get("placed", False)
        was: Before = (list(days), placed, doc.get("days_revision", 0))
        back = restore.get(doc["user"])
        if back is not None and back.revision == was[2] and back.days:
            base, base_old, placed = back.days, back.of, back.placed
        elif days:
            base, base_old = days, old
        else:
            if doc.get("online") and (fields := _online_moved(doc, old, every, every)):
                writes.append((doc, fields))
            continue
        new = _moved(base, base_old, every)
        if not new:
            lost[doc["user"]] = seating.Lost(tuple(base), placed, tuple(
                every[n] for n, d in enumerate(base_old) if d in base and n < len(every)))
            changed[doc["user"]] = was
            if doc.get("online"):  # placed again by the rules, their one way
                writes.append((doc, {"online": [], "online_waiting": False}))
        elif new != days or placed != was[1]:
            changed[doc["user"]] = was
            writes.append((doc, {"days": [] if len(new) == len(every) else new,
                                 "placed": placed,
                                 **(_online_moved(doc, old, every, new)
                                    if doc.get("online") else {})}))
        elif doc.get("online") and (fields := _online_moved(doc, old, every, new)):
            writes.append((doc, fields))
    return lost, changed, writes


def _moved(days: Collection[str], old: list[str], every: list[str]) -> list[str]:
    """Days after a move from `old`: by position when the meeting keeps its number of days
    (it was shifted), else those it still has."""
    if len(old) == len(every):
        return [every[n] for n, day in enumerate(old) if day in days]
    return [day for day in every if day in days]


def _online_moved(doc: Mapping[str, Any], old: list[str], every: list[str],
                  chosen: list[str]) -> dict[str, Any]:
    """The fields that move the days an answer follows online along with its days (`chosen`
    after the move); online on every day it keeps, it is an online answer."""
    online = [d for d in _moved(doc["online"], old, every) if d in chosen]
    if online == doc["online"]:
        return {}
    if set(online) >= set(chosen):
        return {"answer": "online", "waiting": doc.get("online_waiting", False),
                "online": [], "online_waiting": False}
    return {"online": online, **({} if online else {"online_waiting": False})}


@dataclass(frozen=True)
class Outcome:
    """What a change would do to places, per kind of place: holders moved to the waiting list
    by the seat count (`lose`) or because none of their days is left and the days left are
    full (`stranded`), people waiting who get a place (`gain`), and how many whose days all
    went keep their place or maybe on other days (`redone`: asked to choose again)."""

    lose: Counter[str]
    stranded: Counter[str]
    gain: Counter[str]
    redone: int


def would_settle(table: Table, event: Event, old: list[str], restore: Mapping[int, Origin]
                 ) -> Outcome:
    """What `event_changed` would do to the answers if the meeting were as `event` says, from
    the days `old` it has now, without storing anything: for the organiser's preview. Runs
    the same steps on copies: answers the meeting no longer offers moved (`convert`; they are
    counted by `would_convert`, not here), days moved (`move_days`), then the rules
    (`seating.settle`)."""
    docs = list(seats.ordered(table, event.id))
    found, placed = _instead(docs, event)
    moved = {d["user"] for d in found}
    if found:
        last = max(d["seq"] for d in docs)
        docs = [*(d for d in docs if d["user"] not in moved),
                *({**d, "answer": (value := INSTEAD[d["answer"]]), "seq": last + n,
                   "waiting": value in seats.PLACES and d["user"] not in placed, "online": [],
                   "online_waiting": False}
                  for n, d in enumerate(found, 1))]
    lost: dict[int, seating.Lost] = {}
    if old != seats.event_days(event):
        lost, _changed, writes = _day_moves(docs, old, event, restore)
        written = {id(doc): fields for doc, fields in writes}
        docs = [{**d, **written[id(d)]} if id(d) in written else d for d in docs]
    lose, stranded, gain, redone = Counter[str](), Counter[str](), Counter[str](), 0
    for doc, fits, _days, field in seating.plan(docs, event, lost):
        kind = "online" if field == "online_waiting" else doc["answer"]
        waited = doc.get(field, False)
        if doc["user"] in moved:
            continue
        if kind not in seats.PLACES or (doc["user"] in lost and fits and not waited):
            redone += 1
        elif fits and waited:
            gain[kind] += 1
        elif not fits and not waited:
            (stranded if doc["user"] in lost else lose)[kind] += 1
    return Outcome(lose, stranded, gain, redone)


INSTEAD: dict[str, str] = {"in_person": "online", "online": "maybe"}
"""What an answer becomes at a meeting that no longer offers it: in person at a meeting now
online only is the same meeting followed online; online at one now in person only becomes
Maybe, since nobody can say for them whether they can travel to it (docs/rsvp.md)."""


@dataclass(frozen=True)
class Conversion:
    """One answer the meeting no longer offered, moved to the one it offers instead: the
    person's answer before, and the `seq` and `at` that the new answer got and the old had."""

    user_id: int
    before: Attendance
    seq: int
    was: int


def stranded(docs: Rows, event: Event) -> list[Any]:
    """Answers of a kind the meeting no longer offers (in person at a meeting now online only,
    online at one now in person only), in the order the seat rules ranked them: those holding
    a place by answer, then the waiting list in its order."""
    gone = [kind for kind in seats.PLACES if kind not in seats.allowed(event)]
    if not gone:
        return []
    mine = [d for d in docs if d["answer"] in gone]
    return [d for d in mine if not d.get("waiting")] + [d for d in mine if d.get("waiting")]


def _instead(docs: Rows, event: Event) -> tuple[list[Any], set[int]]:
    """The stranded answers, and who of them gets a place in their new answer: they come
    after everyone who already answered it (holding or waiting), in their previous order, so
    nobody loses a place or a turn to them."""
    found = stranded(docs, event)
    if not found:
        return [], set()
    last = max(d["seq"] for d in docs)
    moved = {d["user"] for d in found}
    kept = [d for d in docs if d["user"] not in moved]
    planned = [*kept, *({**d, "answer": INSTEAD[d["answer"]], "seq": last + n,
                         "waiting": INSTEAD[d["answer"]] in seats.PLACES, "online": [],
                         "online_waiting": False}
                        for n, d in enumerate(found, 1))]
    placed = {doc["user"] for doc, fits, _, _ in seating.plan(planned, event, None)
              if fits and doc["user"] in moved}
    return found, placed


def convert(table: Table, event: Event, now: datetime) -> list[Conversion]:
    """Move every answer the meeting no longer offers to the one it offers instead (in person
    to online, online to maybe), those who do not fit on the new waiting list in their
    previous order; a new answer in the rules' eyes, given now (so the reminders count from
    now, as for a tap). Returns who moved, with their answers before."""
    docs = seats.ordered(table, event.id)
    found, placed = _instead(docs, event)
    befores = {d["user"]: seats.attendance(d, docs) for d in found}
    last = max((d["seq"] for d in docs), default=0)
    done = []
    for n, doc in enumerate(found, 1):
        value = INSTEAD[doc["answer"]]
        seats.change(table, doc, answer=value, at=now.isoformat(), seq=last + n,
                waiting=value in seats.PLACES and doc["user"] not in placed, online=[],
                online_waiting=False)
        done.append(Conversion(doc["user"], befores[doc["user"]], last + n, doc["seq"]))
    return done


class Dropped(NamedTuple):
    """Someone in person on some days of a gathering that is now in person only, whose days
    followed online left their answer (the seats kept): their answer before, and what to give
    back should the meeting be followed online again before they are told."""

    before: Attendance
    days: list[str]
    online: list[str]
    waiting: bool


def drop_online(table: Table, event: Event) -> dict[int, Dropped]:
    """At a meeting no longer followed online, take the days followed online out of every
    answer in person on the others (their seats kept); who lost which days."""
    if "online" in seats.allowed(event) or "in_person" not in seats.allowed(event):
        return {}
    docs = seats.ordered(table, event.id)
    found = [d for d in docs if d.get("online") and d["answer"] == "in_person"]
    dropped = {d["user"]: Dropped(seats.attendance(d, docs), list(d.get("days", ())), list(d["online"]),
                                  d.get("online_waiting", False)) for d in found}
    for doc in found:
        seats.change(table, doc, online=[], online_waiting=False,
                days=[d for d in seats.days_of(doc, event) if d not in doc["online"]])
    return dropped


def give_back_online(table: Table, event: Event, user_id: int, days: list[str],
                     online: list[str], waiting: bool, rev: int) -> bool:
    """Give the days followed online back to an answer that lost them (`drop_online`) when
    the meeting is followed online again and the person has not changed their days since
    (`rev`, the `days_revision` the drop left); whether they were given back."""
    doc = table.first(event=event.id, user=user_id)
    if doc is None or doc.get("days_revision", 0) != rev or doc["answer"] != "in_person" \
            or "online" not in seats.allowed(event):
        return False
    seats.change(table, doc, days=days, online=online, online_waiting=waiting)
    return True


def would_drop(table: Table, event: Event) -> int:
    """How many answers `drop_online` would take days followed online from, without storing
    anything: for the organiser's preview."""
    if "online" in seats.allowed(event) or "in_person" not in seats.allowed(event):
        return 0
    return sum(1 for d in seats.ordered(table, event.id) if d.get("online") and d["answer"] == "in_person")


def would_convert(table: Table, event: Event) -> tuple[int, int]:
    """How many answers the meeting no longer offers `convert` would move, and how many of
    them only to the new waiting list, without storing anything: for the organiser's preview."""
    found, placed = _instead(seats.ordered(table, event.id), event)
    waiting = sum(1 for d in found if INSTEAD[d["answer"]] in seats.PLACES and d["user"] not in placed)
    return len(found), waiting


def restore(table: Table, event: Event, user_id: int, answer: str, seq: int, was: int,
            at: str, waiting: bool) -> bool:
    """Give back the answer a conversion took (`answer`, its `seq`, `at` and waiting) when the
    meeting offers it again and the person has not answered since (their answer still has
    the conversion's `seq`); whether it was given back. The seat rules then settle it."""
    doc = table.first(event=event.id, user=user_id)
    if doc is None or doc["seq"] != seq or answer not in seats.allowed(event):
        return False
    seats.change(table, doc, answer=answer, seq=was, at=at, waiting=waiting)
    return True
