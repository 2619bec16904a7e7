"""Leaving a waiting list by tapping another answer: asked first, then said plainly."""
from __future__ import annotations

from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME, ProgrammeStub, plugins

FULL = PROGRAMME.replace("    capacity: 2\n", "    capacity: 1\n    online_capacity: 1\n", 1)
"""The hybrid meeting with one seat and one online place."""


ONE_SEAT = PROGRAMME.replace("    capacity: 2\n", "    capacity: 1\n", 1)
"""The hybrid meeting with one seat and online places without a limit."""


async def start(mingel_chat, source=ONE_SEAT):
    return await mingel_chat(plugins(ProgrammeStub(source)), organisers=[ORGANISER], now=NOW)


def answers(chat):
    event = chat.assistant.hooks.programme().event("hybrid")
    ctx = chat.assistant.context("assistant")
    return [(a.user_id, a.answer, a.waiting) for a in chat.assistant.hooks.attendees(ctx, event)]


async def queue_up(chat, *users):
    for user in users:
        await chat.send("/rsvp hybrid", user)
        await chat.press("Kommer på plats" if user.id == 1001 else "Coming in person", user)


async def test_coming_online_from_the_waiting_list_asks_first_in_swedish(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, sanna, sam = chat.user(2, "Emma"), chat.user(1001, "Sanna", lang="sv"), \
        chat.user(3, "Sam")
    await queue_up(chat, emma, sanna, sam)
    replies = await chat.press("Deltar online", sanna)
    [asked] = replies
    assert asked.edit  # asked on the card tapped, so no card above keeps the old answer
    assert chat.text(replies).endswith(
        "Du står på väntelistan till Arbetsmarknaden efter corona (Kommer på plats – "
        "väntelista, plats 1). Svarar du ”Deltar online” lämnar du den, och din plats går till "
        "nästa i kön. Tryck nedan om du vill det; annars ändras ingenting.")
    assert "Ditt svar: Kommer på plats – väntelista, plats 1" in chat.text(replies)
    assert chat.buttons(replies) == ["Lämna väntelistan: Deltar online", "Behåll min plats"]
    assert chat.toasts[1001] == "Inte ändrat än: du skulle lämna väntelistan."
    assert answers(chat) == [(2, "in_person", False), (1001, "in_person", True),
                             (3, "in_person", True)]

    replies = await chat.press("Lämna väntelistan", sanna)
    assert replies[0].edit and "Ditt svar: Deltar online" in replies[0].text
    assert "lämnar du den" not in replies[0].text
    assert ("Du lämnade väntelistan till en plats på Arbetsmarknaden efter corona (du hade "
            "plats 1). Ditt svar är nu: Deltar online." in chat.text(replies))
    assert answers(chat)[1:] == [(3, "in_person", True), (1001, "online", False)]


async def test_online_full_too_says_where_you_are_now_in_english(mingel_chat) -> None:
    chat = await start(mingel_chat, FULL)
    emma, olle, per, sam = (chat.user(n, name) for n, name in
                            ((2, "Emma"), (4, "Olle"), (5, "Per"), (3, "Sam")))
    await queue_up(chat, emma, sam)
    await chat.send("/rsvp hybrid", olle)
    await chat.press("Coming online", olle)
    await chat.send("/rsvp hybrid", per)
    await chat.press("Coming online", per)
    await chat.press("Coming online", sam)
    replies = await chat.press("Leave the waiting list: Coming online", sam)
    assert ("You left the waiting list for a seat at The labour market after corona (you were "
            "place 1). The online places are full too: you're on the online waiting list now, "
            "place 2." in chat.text(replies))


async def test_cant_come_from_the_waiting_list_needs_no_question_but_says_so(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, sam = chat.user(2, "Emma"), chat.user(3, "Sam")
    await queue_up(chat, emma, sam)
    replies = await chat.press("Can't come", sam)
    assert "Your answer: Can't come" in chat.text(replies)
    assert ("You left the waiting list for a seat at The labour market after corona (you were "
            "place 1). Your answer is now: Can't come." in chat.text(replies))


async def test_the_leave_button_gives_up_no_seat_that_came_meanwhile(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, sam = chat.user(2, "Emma"), chat.user(3, "Sam")
    await queue_up(chat, emma, sam)
    await chat.press("Maybe", sam)
    await chat.send("/rsvp hybrid", emma)
    await chat.press("Can't come", emma)
    assert (3, "in_person", False) in answers(chat)  # Emma's seat went to Sam
    replies = await chat.press("Leave the waiting list: Maybe", sam)
    assert chat.toasts[3] == "This button no longer works."
    [card] = replies  # the question gives way to the card as it is now
    assert card.edit and "Your answer: Coming in person" in chat.text(replies)
    assert "Leave the waiting list" not in str(chat.buttons(replies))
    assert (3, "in_person", False) in answers(chat)


async def test_keep_my_place_changes_nothing_and_brings_the_card_back(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, sam = chat.user(2, "Emma"), chat.user(3, "Sam")
    await queue_up(chat, emma, sam)
    await chat.press("Coming online", sam)
    [card] = await chat.press("Keep my place", sam)
    assert card.edit and "Your answer: Coming in person – waiting list, place 1" in chat.text([card])
    assert "takes you off it" not in card.text
    assert chat.toasts[3] == "Nothing changed: you're still on the waiting list, place 1."
    assert answers(chat) == [(2, "in_person", False), (3, "in_person", True)]
