"""The seat rules with a meeting's tally kept between taps: the same places, waiting lists
and promotions as the rules run in full over every answer, without counting a crowded
meeting again on each tap."""
from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.model import ANSWERS, Event, Online, Venue
from assistant.storage import Store, Table
from plugins.rsvp import seating, seats, tallies

ZONE = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 3, 10, 9, 30, tzinfo=ZONE)


def meeting(capacity: int | None = 3, online: int | None = 2, days: int = 1) -> Event:
    return Event(id="m1", networks=("n",), title="Möte", start=START,
                 end=START + timedelta(days=days - 1, hours=3),
                 venue=Venue(id="v", name="Hörsalen"),
                 online=Online(platform="Zoom", url="https://zoom.us/j/1"),
                 capacity=capacity, online_capacity=online)


def table() -> Table:
    return Store(None).table("rsvp_answers", indexes=("event", "user"))


def in_full(table: Table, event: Event, user_id: int, value: str, now: datetime
            ) -> list[seats.Move]:
    """The rules as they ran before the tally: store the answer as waiting, then settle
    every answer of the meeting."""
    docs = seats.ordered(table, event.id)
    doc = table.first(event=event.id, user=user_id)
    seq = 1 + (docs[-1]["seq"] if docs else 0)
    if doc is None:
        table.insert({"event": event.id, "user": user_id, "answer": value, "at": now.isoformat(),
                      "seq": seq, "waiting": value in seats.PLACES, "days": [], "moves": 0})
    elif doc["answer"] != value:
        table.update(doc.doc_id, {"answer": value, "at": now.isoformat(), "seq": seq,
                                  "waiting": value in seats.PLACES,
                                  "days": [] if value == "no" else doc.get("days", [])})
    return [m for m in seating.settle(table, event) if m.user_id != user_id]


def state(table: Table, event: Event) -> dict[int, tuple]:
    """What each person sees: their answer and waiting-list place."""
    found = {}
    for doc in table.find(event=event.id):
        att = seats.current(table, event.id, doc["user"])
        found[doc["user"]] = (att.answer, att.waiting, att.position)
    return found


def plain(att):
    """An answer without its calendar counts, which the rules in full do not keep."""
    return att and dataclasses.replace(att, place_revision=0)


def places(table: Table, event: Event) -> dict[str, dict[str, int] | None]:
    return {kind: tallies.places_left(table, event, kind) for kind in seats.PLACES}


@pytest.mark.parametrize("seed", range(6))
def test_taps_give_the_same_places_and_promotions_as_the_rules_in_full(seed: int) -> None:
    rng = random.Random(seed)
    kept, full = table(), table()
    event = meeting(capacity=rng.choice([1, 2, 3, None]), online=rng.choice([1, 2, None]))
    now = START - timedelta(days=30)
    promotions = 0
    for step in range(400):
        now += timedelta(minutes=1)
        if step % 97 == 96:
            event = dataclasses.replace(event, capacity=rng.choice([0, 1, 2, 4, None]),
                                        online_capacity=rng.choice([0, 1, 3, None]))
            if rng.random() < 0.5:  # else the next tap finds places taken twice over
                assert [(m.user_id, m.kind) for m in seating.settle(kept, event)] == \
                    [(m.user_id, m.kind) for m in seating.settle(full, event)]
            continue
        user, value = rng.randrange(12), rng.choice(ANSWERS)
        _before, _after, moved = seating.answer(kept, event, user, value, now)
        expected = in_full(full, event, user, value, now)
        assert [(m.user_id, m.kind, plain(m.before), plain(m.after)) for m in moved] == \
            [(m.user_id, m.kind, plain(m.before), plain(m.after)) for m in expected]
        promotions += len(moved)
        assert state(kept, event) == state(full, event)
        assert places(kept, event) == places(full, event)
        assert seating.settle(kept, event) == []
    assert promotions > 0


def test_a_tap_does_not_count_a_crowded_meeting_again(monkeypatch) -> None:
    answers, event = table(), meeting(capacity=500, online=None)
    now = START - timedelta(days=1)
    for user in range(600):
        seating.answer(answers, event, user, "in_person", now)
    counted = []
    real = tallies._count
    monkeypatch.setattr(tallies, "_count", lambda docs, ev: counted.append(1) or real(docs, ev))
    seating.answer(answers, event, 20, "no", now)
    assert tallies.places_left(answers, event, "in_person") == {"2026-03-10": 0}
    assert seats.current(answers, event.id, 500).waiting is False
    seating.answer(answers, event, 9999, "in_person", now)
    assert seats.current(answers, event.id, 9999).position == 100
    assert counted == []


def test_a_gathering_of_several_days_still_runs_the_rules_in_full() -> None:
    answers, event = table(), meeting(capacity=1, online=None, days=2)
    now = START - timedelta(days=1)
    seating.answer(answers, event, 1, "in_person", now)
    seating.answer(answers, event, 2, "in_person", now)
    assert seats.current(answers, event.id, 2).position == 1
    _before, _after, moved = seating.answer(answers, event, 1, "no", now)
    assert [(m.user_id, m.kind) for m in moved] == [(2, "promoted")]
    assert tallies.places_left(answers, event, "in_person") == {"2026-03-10": 0, "2026-03-11": 0}


def test_a_meeting_moved_to_another_zone_is_counted_on_its_new_day() -> None:
    """The same instant in another zone can fall on another date: the seats taken are
    counted again for the day the meeting now has, and a full meeting stays full."""
    late = datetime(2026, 3, 10, 23, 30, tzinfo=ZoneInfo("UTC"))
    first = dataclasses.replace(meeting(capacity=1, online=None),
                                start=late.astimezone(ZONE), end=late.astimezone(ZONE) + timedelta(minutes=20))
    answers, now = table(), START - timedelta(days=30)
    seating.answer(answers, first, 1, "in_person", now)
    assert tallies.places_left(answers, first, "in_person") == {"2026-03-11": 0}
    moved = dataclasses.replace(first, start=late, end=late + timedelta(minutes=20))
    assert tallies.places_left(answers, moved, "in_person") == {"2026-03-10": 0}
    _before, after, _moved = seating.answer(answers, moved, 2, "in_person", now)
    assert after.waiting and after.position == 1
