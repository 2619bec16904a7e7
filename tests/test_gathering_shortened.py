"""A gathering made shorter: the organiser's preview says who loses their place because none of
the days they were down for is left (and who gets one), as it says the places a seat cut
takes, and the count is the one the notices then tell."""
from __future__ import annotations

from tests.test_gathering_moves import ANNA, BEN, CLEO, GATHERING
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER

THURSDAY = GATHERING.replace("start: 2027-11-24 10:00", "start: 2027-11-25 10:00")
"""Wed 24–Thu 25 Nov made Thu 25 Nov alone (two seats)."""
WEDNESDAY = GATHERING.replace("end: 2027-11-25 15:00", "end: 2027-11-24 15:00") \
    .replace("capacity: 2", "capacity: 1", 1)
"""Wed 24–Thu 25 Nov, one seat, made Wed 24 Nov alone."""
ONE_SEAT = GATHERING.replace("capacity: 2", "capacity: 1", 1)
THREE_DAYS = GATHERING.replace("end: 2027-11-25 15:00", "end: 2027-11-26 15:00")
"""Wed 24–Fri 26 Nov, two seats."""


async def start(mingel_chat, tmp_path, source: str = GATHERING, organiser: str = "en"):
    path = tmp_path / "programme.yaml"
    path.write_text(source, encoding="utf-8")
    chat = await mingel_chat(REAL, organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_CHANGE_DELAY": "2m"})
    chat.user(ORGANISER, "Olle", lang=organiser)
    for user, name in ((ANNA, "Anna"), (BEN, "Ben"), (CLEO, "Cleo")):
        chat.user(user, name, lang="en")
    return chat, path


async def come(chat, user: int, untick: str | None = None) -> None:
    """Answer Coming in person on the card, and untick one day."""
    await chat.send("/rsvp days", user)
    await chat.press("Coming in person", user)
    if untick:
        await chat.press(untick, user)


async def publish(chat, path, source: str) -> list[str]:
    """The preview's lines about people (after 👥), then Confirm, and the notices sent."""
    path.write_text(source, encoding="utf-8")
    shown = chat.text(await chat.send("/reload", ORGANISER)).splitlines()
    await chat.press("✅", ORGANISER)
    await chat.tick(minutes=3)
    return [line.strip().removeprefix("👥 ") for line in shown if "👥" in line]


def told_waiting(chat, *users: int) -> list[int]:
    """Who the notices put on the waiting list."""
    return [user for user in users if "you're on the waiting list" in chat.text(
        chat.sent_to(user))]


async def test_the_preview_counts_the_seat_lost_with_the_day_removed(mingel_chat,
                                                                    tmp_path) -> None:
    """Anna chose Wed only, Ben both days, Cleo Thu only: with Wed gone, Thu's two seats are
    Ben's and Cleo's, and Anna waits."""
    chat, path = await start(mingel_chat, tmp_path)
    await come(chat, ANNA, "☑ Thu 25 Nov")
    await come(chat, BEN)
    await come(chat, CLEO, "☑ Wed 24 Nov")

    effects = await publish(chat, path, THURSDAY)
    assert effects == [("1 person loses their seat and goes on the waiting list: none of the "
                        "days they were down for is part of the meeting any more.")]
    assert told_waiting(chat, ANNA, BEN, CLEO) == [ANNA]
    notice, moved, removal = chat.sent_to(ANNA)
    assert notice.text.startswith("✏️ <b>Changes to Autumn days</b>")
    assert moved.text.startswith("After the changes to <b>Autumn days</b>")
    assert "you're on the waiting list, place 1." in moved.text
    assert b"STATUS:CANCELLED" in removal.document.content
    card = chat.text(await chat.send("/rsvp days", ANNA))
    assert "Coming in person – waiting list, place 1" in card


async def test_the_swedish_preview_says_who_loses_a_seat_and_who_gets_one(mingel_chat,
                                                                          tmp_path) -> None:
    """One seat: Anna holds Thu, Ben waits for both days (Thu is taken). With Thu gone Ben
    has the seat on Wed and Anna waits."""
    chat, path = await start(mingel_chat, tmp_path, ONE_SEAT, organiser="sv")
    await come(chat, ANNA, "☑ Wed 24 Nov")
    await come(chat, BEN)

    effects = await publish(chat, path, WEDNESDAY)
    assert effects == [
        ("1 person förlorar sin plats och hamnar på väntelistan: ingen av de dagar personen var "
         "uppskriven på ingår längre i träffen."),
        "1 person på väntelistan får en plats."]
    assert told_waiting(chat, ANNA, BEN) == [ANNA]
    assert "Good news! A place has opened up at Autumn days" in chat.text(
        chat.sent_to(BEN))


async def test_those_put_down_for_other_days_are_counted_too(mingel_chat, tmp_path) -> None:
    """Wed–Fri made Thu–Fri: Anna, down for Wed only, gets one of the days left and is asked
    to choose; the preview says so, and nobody loses a seat."""
    chat, path = await start(mingel_chat, tmp_path, THREE_DAYS)
    await come(chat, ANNA, "☑ Thu 25 Nov")
    await chat.press("☑ Fri 26 Nov", ANNA)
    await come(chat, BEN)

    effects = await publish(chat, path, THREE_DAYS.replace("start: 2027-11-24 10:00",
                                                           "start: 2027-11-25 10:00"))
    assert effects == [("1 person was down only for days that are no longer part of the "
                        "meeting: they're put down for others and asked to choose again.")]
    assert "For now I've put you down for Thu 25 Nov" in chat.text(chat.sent_to(ANNA))
    assert told_waiting(chat, ANNA, BEN) == []
