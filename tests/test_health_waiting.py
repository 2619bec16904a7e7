"""The health declaration and the waiting list, the calendar file after the flow, the door
list of a cancelled meeting and /health with an unknown id."""
from __future__ import annotations

from tests.test_health_support import (
    NOW,
    PROGRAMME,
    answer_all,
    attendance,
    declare,
    make,
    plugins,
    programme_file,
)

FULL = PROGRAMME.replace("    end: 2027-08-03 12:30\n",
                         "    end: 2027-08-03 12:30\n    capacity: 1\n", 1).replace(
    "    health_required: true\n", "    health_required: true\n    capacity: 1\n", 1)
"""The hybrid meeting and the required gathering with one seat each."""
CANCELLED = PROGRAMME.replace("    end: 2027-08-03 12:30\n",
                              "    end: 2027-08-03 12:30\n    cancelled: true\n", 1)


def outcomes(chat, user_id: int) -> list:
    """What /mydata would show of the user's health outcomes."""
    ctx = chat.context("health", user_id)
    return chat.assistant.hooks.user_data(ctx, user_id).get("health") or []


async def take_the_seat(chat, user, event_id: str) -> None:
    """The user answers "Coming in person" on the card."""
    await chat.send(f"/event {event_id}", user)
    await chat.press("Coming in person", user)


async def test_on_the_waiting_list_health_says_so_and_stores_nothing(mingel_chat) -> None:
    chat = await make(mingel_chat, FULL)
    emma, olle = chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="sv")
    await take_the_seat(chat, emma, "hybrid")
    await chat.send("/event hybrid", olle)
    await chat.press("Kommer på plats", olle)
    assert attendance(chat, "hybrid", 3).waiting
    replies = await chat.send("/health hybrid", olle)
    assert chat.text(replies) == (
        "Du står på väntelistan till Hybridmötet, plats 1, så du behöver inte fylla i "
        "hälsodeklarationen än. Den öppnas för dig när du har fått en plats – jag säger till då.")
    assert chat.buttons(replies) == []
    forged = await chat.press_data("health:start:hybrid", olle)
    assert "Du står på väntelistan till Hybridmötet, plats 1" in chat.text(forged)
    picker = await chat.send("/health", olle)
    assert not any("Hybridmötet" in label for label in chat.buttons(picker))
    assert outcomes(chat, 3) == []


async def test_a_waiting_list_place_at_a_required_meeting_needs_no_declaration_until_promoted(
        mingel_chat) -> None:
    chat = await make(mingel_chat, FULL)
    emma, olle = chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="en")
    await chat.tick(days=7)
    await declare(chat, emma, "required", "nnn")
    await chat.press("Coming in person", emma)
    await chat.send("/event required", olle)
    waiting = await chat.press("Coming in person", olle)
    assert "Coming in person – waiting list, place 1" in chat.text(waiting)
    assert outcomes(chat, 3) == []
    await chat.deliver()
    await chat.send("/event required", emma)
    await chat.press("Can't come", emma)
    good_news, *_files, ask = (await chat.deliver())[3]
    assert chat.text([good_news]).startswith("Good news! A place has opened up at The two-day")
    assert chat.text([ask]) == (
        "📋 Your seat at The two-day gathering comes with a condition: this meeting requires a "
        "health declaration before you come in person. Please fill it in now – it takes a minute.")
    assert chat.buttons([ask]) == ["Fill in health declaration"]
    await chat.press("Fill in health declaration", olle, [ask])
    await answer_all(chat, olle, "nnn")
    done = await chat.press("I will follow these", olle)
    assert "Your health declaration is done – welcome to the meeting." in chat.text(done)
    assert attendance(chat, "required", 3).in_person


async def test_a_stay_at_home_outcome_still_keeps_people_off_the_waiting_list(mingel_chat):
    chat = await make(mingel_chat, FULL)
    emma, olle = chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="en")
    await chat.tick(days=7)
    await declare(chat, emma, "required", "nnn")
    await chat.press("Coming in person", emma)
    await declare(chat, olle, "required", "ynn")
    await chat.send("/event required", olle)
    assert await chat.press("Coming in person", olle) == []
    assert "asks you to stay at home this time" in chat.toasts[3]
    assert attendance(chat, "required", 3) is None


async def test_coming_in_person_after_the_declaration_brings_the_calendar_file(
        mingel_chat) -> None:
    chat = await mingel_chat([*plugins(), "plugins.calendar"], organisers=[1], now=NOW,
                             flood_control=False, env={"MINGEL_PROGRAMME": programme_file()})
    eva = chat.user(5, "Eva", lang="sv")
    await chat.tick(days=7)
    await chat.send("/health required", eva)
    await answer_all(chat, eva, "nnn")
    await chat.press("Jag följer reglerna", eva)
    booked = await chat.press("Kommer på plats", eva)
    assert "Ditt svar på Tvådagarsträffen är nu: Kommer på plats." in chat.text(booked)
    [ics] = chat.documents(booked)
    assert ics.filename == "required.ics" and b"STATUS:CONFIRMED" in ics.content


async def test_the_door_list_of_a_cancelled_meeting_says_so_and_claims_nothing_missing(
        mingel_chat) -> None:
    chat = await make(mingel_chat, CANCELLED)
    org = chat.user(1, "Org", lang="sv")
    picker = await chat.send("/doorlist", org)
    assert chat.buttons(picker)[0] == "❌ tis 3 aug. 09:30 · Hybridmötet"
    assert "ons 4 aug. 09:30 · Vanliga mötet" in chat.buttons(picker)
    listing = await chat.send("/doorlist hybrid", org)
    lines = chat.text(listing).splitlines()
    assert lines[0] == "❌ Inställd: den här träffen blir inte av."
    assert "saknas" not in chat.text(listing)


async def test_health_with_an_unknown_id_answers_as_the_other_commands(mingel_chat) -> None:
    chat = await make(mingel_chat)
    olle = chat.user(3, "Olle", lang="sv")
    replies = await chat.send("/health nope", olle)
    assert chat.text(replies) == ("Jag hittar ingen träff med id:t nope. Skicka /programme för "
                                  "att se träffarna.")
