"""A gathering's days and seats when it moves, and what people are told about their places."""
from __future__ import annotations

from tests.test_rsvp_support import NOW, ORGANISER, ProgrammeStub, plugins

ANNA, BEN, CLEO = 21, 22, 23
GATHERING = """\
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknadsnätverket, en: Labour-market network}}
defaults:
  networks: [am]
  venue: f7
events:
  - id: days
    title: {sv: Höstdagarna, en: Autumn days}
    start: 2027-11-24 10:00
    end: 2027-11-25 15:00
    capacity: 2
  - id: web
    title: {sv: Webbträff, en: Web meeting}
    venue: null
    online: {url: "https://zoom.us/j/2"}
    online_capacity: 1
    start: 2027-09-02 10:00
    end: 2027-09-02 11:00
"""
MOVED = GATHERING.replace("start: 2027-11-24 10:00", "start: 2027-11-25 10:00") \
    .replace("end: 2027-11-25 15:00", "end: 2027-11-26 15:00")
"""Wed 24–Thu 25 Nov moved a day later: Thu 25–Fri 26 Nov."""
LONGER = GATHERING.replace("start: 2027-11-24 10:00", "start: 2027-11-25 10:00") \
    .replace("end: 2027-11-25 15:00", "end: 2027-11-27 15:00")
"""Wed 24–Thu 25 Nov made Thu 25–Sat 27 Nov: Wed is gone."""


async def start(mingel_chat, lang: dict[int, str] | None = None):
    programme = ProgrammeStub(GATHERING)
    chat = await mingel_chat(plugins(programme), organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_CHANGE_DELAY": "2m"})
    for user, name in ((ANNA, "Anna"), (BEN, "Ben"), (CLEO, "Cleo")):
        chat.user(user, name, lang=(lang or {}).get(user, "en"))
    return chat, programme


async def come(chat, user: int, untick: str | None = None, event_id: str = "days",
               label: str = "Coming in person") -> list:
    """Answer on the card, and untick one day of the gathering."""
    await chat.send(f"/rsvp {event_id}", user)
    replies = await chat.press(label, user)
    return await chat.press(untick, user) if untick else replies


async def three_on_two_days(chat, swedish_anna: bool = False) -> None:
    """Anna comes on Wed only, Ben both days, Cleo on Thu only (each has a seat)."""
    if swedish_anna:
        await come(chat, ANNA, "☑ tors 25 nov.", label="Kommer på plats")
    else:
        await come(chat, ANNA, "☑ Thu 25 Nov")
    await come(chat, BEN)
    await come(chat, CLEO, "☑ Wed 24 Nov")


async def test_choosing_days_that_have_room_says_you_have_a_seat_now(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    await come(chat, ANNA, "☑ Thu 25 Nov")
    await come(chat, BEN)
    replies = await come(chat, CLEO)
    assert chat.toasts[CLEO] == "You're on the waiting list, place 1."
    replies = await chat.press("☑ Wed 24 Nov", CLEO)
    assert chat.toasts[CLEO] == "You have a seat now (Thu 25 Nov)."
    assert "You have a seat at Autumn days now, for Thu 25 Nov." in chat.text(replies)
    assert "Your answer: Coming in person ·" in chat.text(replies)
    assert chat.documents(replies)


async def test_a_new_length_keeps_the_seat_of_whoever_chose_a_day_it_still_has(
        mingel_chat) -> None:
    """Anna's only day went: she gets a place on one day (she had one) where there is room
    (Fri: Thu is full) and is asked to choose again; Cleo, who chose Thu, keeps her seat and
    hears only of the move."""
    chat, programme = await start(mingel_chat)
    await three_on_two_days(chat)
    await programme.change(chat.assistant, LONGER)
    assert await chat.deliver() == {}
    await chat.tick(minutes=5)
    cleo = chat.text(chat.sent_to(CLEO))
    assert "Time changed" in cleo
    assert "waiting list" not in cleo and "fewer places" not in cleo
    assert "The days have changed: you're down for Thu 25 Nov." in cleo
    assert ("None of the days you had chosen (Wed 24 Nov) is part of the meeting any more. "
            "For now I've put you down for Fri 26 Nov: please choose your days on the "
            "meeting's card (/rsvp days).") in chat.text(chat.sent_to(ANNA))
    assert "Your answer: Coming in person ·" in chat.text(await chat.send("/rsvp days", CLEO))
    card = chat.text(await chat.send("/rsvp days", ANNA))
    assert "Your days: Fri 26 Nov" in card and "waiting" not in card


async def test_a_move_with_fewer_places_is_told_after_the_change_with_its_true_reason(
        mingel_chat) -> None:
    chat, programme = await start(mingel_chat, lang={ANNA: "sv"})
    await three_on_two_days(chat, swedish_anna=True)
    await programme.change(chat.assistant, LONGER.replace("capacity: 2", "capacity: 1"))
    assert await chat.deliver() == {}
    await chat.tick(minutes=5)
    notice, _ics, demoted, removal = chat.sent_to(CLEO)
    assert notice.text.startswith("✏️ <b>Changes to Autumn days</b>")
    assert demoted.text.startswith("There are now fewer places at <b>Autumn days</b>")
    assert "you're on the waiting list, place 2." in demoted.text
    assert b"X-REASON:removed" in removal.document.content
    [anna, ics] = chat.sent_to(ANNA)
    assert b"X-REASON:removed" in ics.document.content
    assert ("Ingen av dagarna du hade valt (ons 24 nov.) ingår längre i träffen, och det finns "
            "ingen ledig plats på någon av de nya dagarna: du står på väntelistan, plats 1. "
            "Välj dina dagar på träffens kort (/rsvp days).") in anna.text
    assert "Välj dina dagar" not in chat.text(chat.sent_to(BEN))


async def test_a_move_that_leaves_no_room_says_the_change_is_why(mingel_chat) -> None:
    """The gathering shrinks to Thu, which Ben and Cleo chose: Anna waits, told so after the
    change notice, and not that there are fewer places."""
    chat, programme = await start(mingel_chat)
    await three_on_two_days(chat)
    await programme.change(chat.assistant, GATHERING.replace("start: 2027-11-24 10:00",
                                                              "start: 2027-11-25 10:00"))
    assert await chat.deliver() == {}
    await chat.tick(minutes=5)
    notice, _ics, demoted, removal = chat.sent_to(ANNA)
    assert notice.text.startswith("✏️ <b>Changes to Autumn days</b>")
    assert b"X-REASON:removed" in removal.document.content
    assert demoted.text.startswith(
        "After the changes to <b>Autumn days</b> (Thursday, 25 November 2027, 10:00–15:00) "
        "there is no place left for you: you're on the waiting list, place 1.")
    assert "waiting list" not in chat.text(chat.sent_to(CLEO))


async def test_a_promotion_names_the_days_chosen(mingel_chat) -> None:
    chat, _ = await start(mingel_chat, lang={BEN: "sv"})
    await come(chat, ANNA)
    await come(chat, CLEO)
    await come(chat, BEN, "☑ ons 24 nov.", label="Kommer på plats")
    await come(chat, ANNA, label="Can't come")
    [note, ics] = (await chat.deliver())[BEN]
    assert note.text == ("Goda nyheter! En plats har blivit ledig på <b>Höstdagarna</b> och den "
                         "är din på tors 25 nov. Ditt svar: Kommer på plats.")
    assert ics.document is not None


async def test_a_place_from_the_online_waiting_list_is_called_an_online_place(
        mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    await come(chat, ANNA, event_id="web", label="Coming online")
    await come(chat, BEN, event_id="web", label="Coming online")
    assert chat.toasts[BEN] == "You're on the waiting list, place 1."
    await come(chat, ANNA, event_id="web", label="Can't come")
    [note, _ics] = (await chat.deliver())[BEN]
    assert note.text.startswith("Good news! An online place has opened up at <b>Web meeting</b> "
                                "(Thursday, 2 September 2027, 10:00–11:00, Sweden Time) and it's "
                                "yours.")
