"""The health card's "Every seat is taken" for a gathering, day by day, and that a card view
asks the RSVP plugin's seat count (`places_left`) instead of reading every answer."""
from __future__ import annotations

import types

from assistant import hookimpl
from tests.test_health_support import NOW, PROGRAMME, declare, make, plugins, programme_file

TWO_SEATS = PROGRAMME.replace("    health_required: true\n",
                              "    health_required: true\n    capacity: 2\n", 1)
"""The required two-day gathering (Tue 10 and Wed 11 Aug) with two seats."""
FULL_LINE = ("Coming in person requires a health declaration first. Every seat is taken, "
             "though, and the waiting list needs none: you fill it in when a seat is yours.")
OPEN_LINE = "Coming in person requires a health declaration first."


async def in_person_on(chat, user, keep: str | None) -> None:
    """Declare, come in person to the gathering and, with `keep`, untick the other day."""
    await declare(chat, user, "required", "nnn")
    await chat.press("Coming in person", user)
    if keep is not None:
        card = await chat.send("/event required", user)
        other = next(label for label in chat.buttons(card)
                     if label.startswith("☑") and keep not in label)
        await chat.press(other, user)


async def card_line(chat, user) -> str:
    """The health line of the gathering's card for someone who has not answered."""
    lines = chat.text(await chat.send("/event required", user)).splitlines()
    [line] = [line for line in lines if line.startswith("Coming in person requires")]
    return line


async def test_a_gathering_is_full_when_some_day_is_full(mingel_chat) -> None:
    chat = await make(mingel_chat, TWO_SEATS)
    emma, sam, eva, olle = (chat.user(2, "Emma", lang="en"), chat.user(4, "Sam", lang="en"),
                            chat.user(5, "Eva", lang="en"), chat.user(3, "Olle", lang="en"))
    await chat.tick(days=7)
    await in_person_on(chat, emma, "Tue 10 Aug")
    await in_person_on(chat, sam, "Wed 11 Aug")
    # two people for two seats, but one on each day: a seat is left on both days
    assert await card_line(chat, olle) == OPEN_LINE
    await in_person_on(chat, eva, "Tue 10 Aug")
    # Tuesday is full, Wednesday is not: a new answer covers both days, so it would wait
    assert await card_line(chat, olle) == FULL_LINE
    await declare(chat, olle, "required", "nnn")
    assert chat.text(chat.last[olle.id]).endswith(
        "✅ Thank you! Your health declaration is done. Every seat is taken right now, so "
        "“Coming in person” puts you on the waiting list; I'll tell you as soon as a seat is "
        "yours.")
    await chat.send("/event required", eva)
    await chat.press("Can't come", eva)
    assert await card_line(chat, chat.user(6, "Ida", lang="en")) == OPEN_LINE


def counting_attendees() -> types.ModuleType:
    """A plugin that counts the calls of the `attendees` hook and leaves the answer to RSVP."""
    module = types.ModuleType("countattendees")
    module.NAME = "countattendees"
    module.calls = 0

    def attendees(event):
        module.calls += 1

    module.attendees = hookimpl(attendees)
    return module


async def test_a_card_view_does_not_read_every_answer(mingel_chat) -> None:
    probe = counting_attendees()
    chat = await mingel_chat([*plugins(), probe], organisers=[1], now=NOW,
                             flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file(TWO_SEATS)})
    await chat.tick(days=7)
    for user_id, name in ((2, "Emma"), (4, "Sam")):
        await in_person_on(chat, chat.user(user_id, name, lang="en"), None)
    olle = chat.user(3, "Olle", lang="en")
    probe.calls = 0
    assert await card_line(chat, olle) == FULL_LINE
    await declare(chat, olle, "required", "nnn")
    assert "Every seat is taken right now" in chat.text(chat.last[olle.id])
    assert probe.calls == 0
