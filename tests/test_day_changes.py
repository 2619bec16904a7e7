"""Changing one's days at a gathering, with the real RSVP and calendar plugins: the toast names
the days, and someone who has the gathering in their calendar (a place or a maybe) gets the
file of their new days with the tap (same UID, higher SEQUENCE); someone waiting gets none."""
from __future__ import annotations

from typing import Any

from tests.test_calendar import events_of, validate
from tests.test_calendar_removal import PER, entry, files, start
from tests.test_gathering_days import occurrences
from tests.test_gathering_moves import ANNA, BEN, CLEO, GATHERING

THREE_DAYS = GATHERING.replace("end: 2027-11-25 15:00", "end: 2027-11-26 15:00")
"""Autumn days over three days, Wed 24–Fri 26 Nov, with two seats."""


def days(document: Any) -> list[int]:
    """The days of November the file puts in a calendar."""
    return [s.day for s, _ in occurrences(events_of(validate(document.content))["days"])]


async def test_unticking_and_ticking_a_day_brings_the_file_of_ones_days(mingel_chat) -> None:
    chat, _ = await start(mingel_chat, THREE_DAYS)
    await chat.send("/rsvp days", ANNA)
    [first] = files(await chat.press("Coming in person", ANNA))
    _, uid, _, sequence = entry(first, "days")
    assert days(first) == [24, 25, 26]

    replies = await chat.press("☑ Thu 25 Nov", ANNA)
    assert "Your days: Wed 24 Nov, Fri 26 Nov" in chat.text(replies)
    assert chat.toasts[ANNA] == "Saved: your days (Wed 24 Nov, Fri 26 Nov)"
    [fewer] = files(replies)
    method, same, _, raised = entry(fewer, "days")
    assert (method, same) == ("PUBLISH", uid) and raised > sequence
    assert days(fewer) == [24, 26]
    assert fewer.caption == ("Your days have changed: open the file to update the meeting in "
                             "your calendar.")

    replies = await chat.press("☐ Thu 25 Nov", ANNA)
    assert chat.toasts[ANNA] == "Saved: your days (Wed 24 Nov, Thu 25 Nov, Fri 26 Nov)"
    [back] = files(replies)
    assert days(back) == [24, 25, 26] and entry(back, "days")[3] > raised


async def test_a_swedish_day_tap_says_so_in_swedish(mingel_chat) -> None:
    chat, _ = await start(mingel_chat, THREE_DAYS, lang={BEN: "sv"})
    await chat.send("/rsvp days", BEN)
    await chat.press("Kommer på plats", BEN)
    [document] = files(await chat.press("☑ tors 25 nov.", BEN))
    assert chat.toasts[BEN] == "Sparat: dina dagar (ons 24 nov., fre 26 nov.)"
    assert document.caption == ("Dina dagar har ändrats: öppna filen för att uppdatera träffen i "
                                "din kalender.")
    assert days(document) == [24, 26]


async def test_a_maybe_gets_the_file_of_its_days_and_someone_waiting_none(mingel_chat) -> None:
    """Per might come; Anna and Ben hold both seats, so Cleo waits: a day tap brings Per the
    file of his days, and Cleo, who has nothing in her calendar, only the toast."""
    chat, _ = await start(mingel_chat, THREE_DAYS)
    await chat.send("/rsvp days", PER)
    assert files(await chat.press("Maybe", PER)) == []
    [maybe] = files(await chat.press("☑ Wed 24 Nov", PER))
    assert days(maybe) == [25, 26] and entry(maybe, "days")[0] == "PUBLISH"
    assert maybe.caption == ("Your days have changed. If the meeting is in your calendar, open "
                             "the file to update it.")

    for user in (ANNA, BEN):
        await chat.send("/rsvp days", user)
        await chat.press("Coming in person", user)
    await chat.send("/rsvp days", CLEO)
    await chat.press("Coming in person", CLEO)
    replies = await chat.press("☑ Fri 26 Nov", CLEO)
    assert "Your days: Wed 24 Nov, Thu 25 Nov" in chat.text(replies)
    assert chat.toasts[CLEO] == ("Saved: your days (Wed 24 Nov, Thu 25 Nov). You're on the "
                                 "waiting list, place 1.")
    assert files(replies) == []
    assert CLEO not in chat.outbox.sent
