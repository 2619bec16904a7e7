"""The health lines and the "Fill in" button on a card only where they help: never for
someone coming online (they need no declaration), and no button when the card itself says
none is needed (every seat taken, and the waiting list needs none). Bob, online at a full
meeting, used to read "Coming in person requires a health declaration first. Every seat is
taken, though…" above a "Fill in health declaration" button, and Cecilia, who had not
answered, got the button next to the words saying she needed no declaration."""
from __future__ import annotations

from tests.test_health_support import PROGRAMME, answer_all, make

REQUIRED_HYBRID = PROGRAMME.replace(
    "    end: 2027-08-03 12:30\n",
    "    end: 2027-08-03 12:30\n    capacity: 1\n    health_required: true\n", 1)
"""The hybrid meeting (window open at NOW) with one seat and a required declaration."""
FILL_IN = "Fill in health declaration"


async def card(chat, user):
    return await chat.send("/event hybrid", user)


async def test_someone_coming_online_sees_no_health_line_nor_button(mingel_chat) -> None:
    chat = await make(mingel_chat, REQUIRED_HYBRID)
    bob = chat.user(302, "Bob", lang="en")
    shown = await chat.press("Coming online", bob, replies=await card(chat, bob))
    for replies in (shown, await card(chat, bob)):
        assert "health declaration" not in chat.text(replies).lower()
        assert FILL_IN not in chat.buttons(replies)
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "nnn")
    await chat.press("Coming in person", eva, replies=await chat.press("I will follow", eva))
    full = await card(chat, bob)
    assert "health declaration" not in chat.text(full).lower(), "full, and online all the same"
    assert FILL_IN not in chat.buttons(full)


async def test_at_a_full_meeting_the_card_says_none_is_needed_and_offers_none(mingel_chat) -> None:
    chat = await make(mingel_chat, REQUIRED_HYBRID)
    cecilia = chat.user(303, "Cecilia", lang="sv")
    before = await card(chat, cecilia)
    assert "För att komma på plats behöver du först fylla i en hälsodeklaration." in \
        chat.text(before)
    assert "Fyll i hälsodeklaration" in chat.buttons(before), "a seat left: the way to it"
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "nnn")
    await chat.press("Coming in person", eva, replies=await chat.press("I will follow", eva))
    for answer in (None, "Kanske"):
        if answer is not None:
            await chat.press(answer, cecilia, replies=await card(chat, cecilia))
        full = await card(chat, cecilia)
        assert ("Alla platser är dock tagna, och för att ställa dig på väntelistan behöver du "
                "ingen") in chat.text(full)
        assert "Fyll i hälsodeklaration" not in chat.buttons(full)
    waiting = await chat.press("Kommer på plats", cecilia, replies=await card(chat, cecilia))
    assert "hälsodeklaration" not in chat.text(waiting).lower()
    assert "Fyll i hälsodeklaration" not in chat.buttons(waiting)
