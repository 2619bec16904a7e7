"""Who waits to hear that in-person booking opens for a day of a gathering of evenings, stored
before its days were its evenings (session 37), can name the night its last evening ends in
(Sunday 00:00–02:00 of a Friday 18:00 – Sunday 02:00 gathering), a day it no longer has. The
window was then counted from their first day (Friday): told it was open a day early, refused
again when they tapped. Once, at start-up, such a night becomes the last evening."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from assistant.storage import Store
from tests.test_health_support import PROGRAMME, make

EVA = 304
FRI, SAT, SUN = "2027-08-13", "2027-08-14", "2027-08-15"
EVENINGS = PROGRAMME + """  - id: fest
    title: {sv: Kvällsfesten, en: The evening party}
    start: 2027-08-13 18:00
    end: 2027-08-15 02:00
    health_required: true
"""
TOLD = ("📋 The health declaration for The evening party (Saturday, 14 August 2027, "
        "18:00–02:00, Sweden Time) is open now, so you can book a seat in person. Fill it in, "
        "then tap “Coming in person”: the seats go to those who book first.")
FRIDAYS = datetime(2027, 8, 11, 16, 30, tzinfo=UTC)
"""Wednesday 18:30 in Stockholm: Friday evening's window (48 h) is open, Saturday's not."""
SATURDAYS = datetime(2027, 8, 12, 16, 30, tzinfo=UTC)
"""Thursday 18:30: Saturday evening's is open too."""


def write_waiting(data: Path) -> None:
    """Eva answered online for both evenings and, before the rule changed, tried to come in
    person on the night (Sunday's small hours), too early: kept to be told when it opens."""
    with Store(data) as store:
        store.table("rsvp_answers", indexes=("event", "user")).insert(
            {"event": "fest", "user": EVA, "answer": "online", "seq": 1,
             "at": "2027-07-30T10:00:00+00:00"})
        store.table("health_opening", indexes=("event", "user")).insert(
            {"event": "fest", "user": EVA, "day": SUN})
        store.set_meta("version:rsvp", 2)
        store.set_meta("version:health", 2)
        store.commit_sync()


async def test_the_night_waited_for_is_told_at_the_last_evenings_opening(
        mingel_chat, tmp_path: Path) -> None:
    data = tmp_path / "data"
    write_waiting(data)
    chat = await make(mingel_chat, EVENINGS, data_dir=data)
    chat.user(EVA, "Eva", lang="en")
    assert [doc.get("day") for doc in chat.table("health", "opening")] == [SAT]
    chat.clock.set(FRIDAYS)
    await chat.tick()
    await chat.deliver()
    assert chat.sent_to(EVA) == [], "Friday's window is not Saturday evening's"
    chat.clock.set(SATURDAYS)
    await chat.tick()
    await chat.deliver()
    [told] = chat.sent_to(EVA)
    assert chat.text([told]) == TOLD
    assert chat.table("health", "opening") == []


def stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def write_told(data: Path) -> None:
    """Sven holds a seat in person on Saturday evening; `health_windows` holds an opening
    told for a third day of the gathering, which it does not have: the night its last evening
    ends in counted as a day (Sunday 00:00, opening Friday 00:00), as a record with an index
    from another set of days would name it."""
    with Store(data) as store:
        store.table("rsvp_answers", indexes=("event", "user")).insert(
            {"event": "fest", "user": SVEN, "answer": "in_person", "seq": 1, "days": [SAT],
             "at": "2027-07-30T10:00:00+00:00"})
        store.table("health_windows", indexes=("event",)).insert(
            {"event": "fest", "day": 2, "opens": stamp(datetime(2027, 8, 12, 22, tzinfo=UTC)),
             "start": "2027-08-14T22:00:00+00:00"})
        store.set_meta("version:rsvp", 2)
        store.set_meta("version:health", 3)
        store.commit_sync()


SVEN = 305


async def test_an_opening_told_for_a_day_the_gathering_does_not_have_goes_at_the_next_tick(
        mingel_chat, tmp_path: Path) -> None:
    """It was read by nothing (each day is looked up by its own index, and no declaration,
    card or seat reads it), yet kept until the night's start; it goes at the first tick, and
    Sven, whose first day is Saturday, hears once, at Saturday evening's opening."""
    data = tmp_path / "data"
    write_told(data)
    chat = await make(mingel_chat, EVENINGS, data_dir=data)
    chat.user(SVEN, "Sven", lang="en")
    chat.clock.set(FRIDAYS)
    await chat.tick()
    await chat.deliver()
    assert chat.table("health", "windows") == [{
        "event": "fest", "opens": stamp(datetime(2027, 8, 11, 16, tzinfo=UTC)),
        "start": "2027-08-13T16:00:00+00:00"}], "Friday's opening, told to nobody; no night"
    assert chat.sent_to(SVEN) == []
    chat.clock.set(SATURDAYS)
    await chat.tick()
    await chat.tick()
    await chat.deliver()
    [told] = chat.sent_to(SVEN)
    assert chat.text([told]).startswith("📋 The health declaration for The evening party "
                                        "(Saturday, 14 August 2027, 18:00–02:00, Sweden Time) "
                                        "is open now.")
    assert [doc.get("day") for doc in chat.table("health", "windows")] == [None, 1]
