"""Someone who booked a seat in person before a meeting's health declaration opened read "you
can fill it in from Wednesday 4 August 09:30", and then heard nothing when it did: the first
word came with the last reminder, an hour before the meeting. Now every seat holder who has
not declared is told once when it opens, with the button; not who gave the seat up or
declared, not again after a restart, and not also by the reminder that comes with it."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.test_health_opening import reload
from tests.test_health_support import (
    NOW,
    PROGRAMME,
    attendance,
    coming_in_person,
    declare,
    make,
    plugins,
    programme_file,
)

LATER = PROGRAMME + """  - id: later
    title: {sv: Senare mötet, en: The later meeting}
    start: 2027-08-06 09:30
    end: 2027-08-06 12:30
"""
"""A hybrid meeting that asks for a declaration (not required), on Friday 6 August."""
OPENS = datetime(2027, 8, 4, 7, 30, tzinfo=UTC)
"""09:30 in Stockholm on Wednesday 4 August: 48 hours before "later"."""
TOLD_SV = ("📋 Nu är hälsodeklarationen för Senare mötet (fredag 6 augusti 2027 kl. 09:30–12:30, "
           "Sverigetid) öppen. Fyll i den innan du kommer på plats – det tar en minut.")


def told(chat, user) -> list:
    """The messages that told the user the declaration is open."""
    return [m for m in chat.sent_to(user) if "is open now" in m.text or ") öppen" in m.text]


async def answer(chat, user, label: str, event_id: str = "later") -> None:
    await chat.press(label, user, await chat.send(f"/event {event_id}", user))


async def test_seat_holders_are_told_once_when_the_declaration_opens(mingel_chat) -> None:
    chat = await make(mingel_chat, LATER)
    anna, bob, cleo, eva = (chat.user(2, "Anna", lang="sv"), chat.user(3, "Bob", lang="en"),
                            chat.user(4, "Cleo", lang="en"), chat.user(5, "Eva", lang="en"))
    await coming_in_person(chat, anna, "later")
    assert ("⚠️ Hälsodeklaration saknas – du kan fylla i den från och med onsdag 4 augusti 2027 "
            "kl. 09:30 (Sverigetid).") in chat.text(chat.last[anna.id])  # hybrid: its zone
    for user in (bob, cleo):
        await coming_in_person(chat, user, "later")
    await answer(chat, bob, "Can't come")
    await answer(chat, cleo, "Coming online")

    chat.clock.set(datetime(2027, 8, 4, 7, 29, tzinfo=UTC))
    await chat.tick()
    assert told(chat, anna) == []
    await chat.tick(minutes=1)
    [message] = told(chat, anna)
    assert chat.text([message]) == TOLD_SV
    assert chat.buttons([message]) == ["Fyll i hälsodeklaration"]
    assert told(chat, bob) == [] and told(chat, cleo) == [], "no seat, nothing to declare"
    question = await chat.press("Fyll i hälsodeklaration", anna, [message])
    assert "Fråga 1 av 3" in chat.text(question)

    await coming_in_person(chat, eva, "later")  # after the opening: the card has the button
    assert "Fill in health declaration" in chat.buttons(chat.last[eva.id])
    await chat.tick(minutes=1)
    await chat.restart()
    await chat.tick(hours=1)
    assert len(told(chat, anna)) == 1 and told(chat, eva) == []
    assert chat.table("health", "windows") != [], "kept until the meeting starts"
    await chat.tick(days=2)
    assert chat.table("health", "windows") == []


async def reminded(mingel_chat, as_in_mingel: bool = False):
    """Anna (Swedish) holds a seat at "later", with the reminders plugin (24h,1h), registered
    after health (its tick runs first) or, as in Mingel, before it."""
    order = [*plugins(False), "plugins.reminders", "plugins.health"] if as_in_mingel \
        else [*plugins(), "plugins.reminders"]
    chat = await mingel_chat(order, organisers=[1], now=NOW,
                             flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file(LATER)})
    anna = chat.user(2, "Anna", lang="sv")
    await coming_in_person(chat, anna, "later")
    await chat.tick()
    return chat, anna


@pytest.mark.parametrize("as_in_mingel", [False, True])
async def test_down_at_the_opening_one_button_comes_with_the_last_reminder(
        mingel_chat, as_in_mingel) -> None:
    """The bot was down from before the opening until the last reminder's time: the message
    saying it is open has the button, and the reminder with it says the declaration is
    missing, without a second button."""
    chat, anna = await reminded(mingel_chat, as_in_mingel)
    before = len(chat.sent_to(anna))
    chat.clock.set(datetime(2027, 8, 6, 6, 31, tzinfo=UTC))
    await chat.tick()
    got = chat.sent_to(anna)[before:]
    [message] = told(chat, anna)
    [reminder] = [m for m in got if m is not message]
    assert chat.text([message]) == TOLD_SV
    assert chat.buttons([message]) == ["Fyll i hälsodeklaration"]
    assert chat.text([reminder]).startswith("⏰ Påminnelse: Senare mötet börjar om 1 timme.")
    assert "⚠️ Hälsodeklaration saknas – fyll i den innan du kommer." in chat.text([reminder])
    assert chat.buttons([reminder]) == ["Inställningar för påminnelser"]


async def test_the_last_reminder_two_days_later_brings_the_button_again(mingel_chat) -> None:
    chat, anna = await reminded(mingel_chat)
    chat.clock.set(OPENS)
    await chat.tick(seconds=30)
    [message] = told(chat, anna)
    assert chat.buttons([message]) == ["Fyll i hälsodeklaration"]
    chat.clock.set(datetime(2027, 8, 6, 6, 30, tzinfo=UTC))
    await chat.tick(seconds=30)
    reminder = chat.sent_to(anna)[-1]
    assert chat.text([reminder]).startswith("⏰ Påminnelse: Senare mötet börjar om 1 timme.")
    assert chat.buttons([reminder]) == ["Fyll i hälsodeklaration", "Inställningar för påminnelser"]
    assert len(told(chat, anna)) == 1


REQUIRED_LATER = LATER.replace("    end: 2027-08-06 12:30\n",
                               "    end: 2027-08-06 12:30\n    health_required: true\n")
NONE_LATER = LATER.replace("    end: 2027-08-06 12:30\n",
                           "    end: 2027-08-06 12:30\n    health_declaration: false\n")


async def test_required_after_booking_then_told_when_it_opens(mingel_chat, tmp_path) -> None:
    """The organisers make "later" require a declaration on Monday: Karin, who holds a seat,
    is told it can be filled in from Wednesday, and on Wednesday that it is open."""
    path = tmp_path / "programme.yaml"
    path.write_text(NONE_LATER, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    karin = chat.user(6, "Karin", lang="en")
    await coming_in_person(chat, karin, "later")
    chat.clock.set(datetime(2027, 8, 2, 8, 0, tzinfo=UTC))
    await reload(chat, path, REQUIRED_LATER)
    await chat.deliver()
    [switched] = [m for m in chat.sent_to(karin) if m.text.startswith("📋")]
    assert chat.text([switched]).endswith("You can fill it in from Wednesday, 4 August 2027 at "
                                          "09:30 (Sweden Time).")
    chat.clock.set(OPENS)
    await chat.tick(seconds=30)
    [message] = told(chat, karin)
    assert chat.text([message]) == (
        "📋 The health declaration for The later meeting (Friday, 6 August 2027, 09:30–12:30, "
        "Sweden Time) is "
        "open now. This meeting requires it before you come in person: please fill it in – it "
        "takes a minute.")
    assert chat.buttons([message]) == ["Fill in health declaration"]
    assert attendance(chat, "later", 6).in_person


async def test_switched_on_just_before_it_opens_still_tells_when_it_opens(
        mingel_chat, tmp_path) -> None:
    """Switched on ten minutes before the window opens, the message says when it opens, with
    no button: it is no request to answer, so the opening is still told, with the button."""
    path = tmp_path / "programme.yaml"
    path.write_text(NONE_LATER, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    karin = chat.user(6, "Karin", lang="en")
    await coming_in_person(chat, karin, "later")
    chat.clock.set(OPENS - timedelta(minutes=10))
    await reload(chat, path, LATER)
    await chat.deliver()
    [switched] = [m for m in chat.sent_to(karin) if m.text.startswith("📋")]
    assert chat.buttons([switched]) == []
    chat.clock.set(OPENS)
    await chat.tick(seconds=30)
    [message] = told(chat, karin)
    assert chat.buttons([message]) == ["Fill in health declaration"]


async def test_switched_on_while_open_asks_once(mingel_chat, tmp_path) -> None:
    """Switched on after its window opened, the meeting's message with the button is the one
    request: the next tick does not say it again as an opening."""
    path = tmp_path / "programme.yaml"
    path.write_text(NONE_LATER, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    karin = chat.user(6, "Karin", lang="en")
    await coming_in_person(chat, karin, "later")
    chat.clock.set(OPENS)
    await chat.tick(hours=1)
    await reload(chat, path, LATER)
    await chat.tick(minutes=1)
    asked = [m for m in chat.sent_to(karin) if m.text.startswith("📋")]
    [message] = asked
    assert chat.text([message]).endswith("now asks everyone coming in person for a health "
                                         "declaration. Please fill it in now – it takes a minute.")


async def test_moved_into_its_window_tells_them_once(mingel_chat, tmp_path) -> None:
    """On Tuesday "later" moves from Friday to Thursday: its declaration, which was to open on
    Wednesday, is open at once, and Karin is told on the next tick. Moved earlier again, or
    with a longer window after a restart, it has been open since she was told: not again."""
    path = tmp_path / "programme.yaml"
    path.write_text(LATER, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    karin = chat.user(6, "Karin", lang="en")
    await coming_in_person(chat, karin, "later")
    chat.clock.set(datetime(2027, 8, 3, 10, 0, tzinfo=UTC))
    await reload(chat, path, LATER.replace("2027-08-06", "2027-08-05"))
    await chat.tick(minutes=3)
    [message] = told(chat, karin)
    assert "(Thursday, 5 August 2027, 09:30–12:30, Sweden Time) is open now." in chat.text([message])
    await reload(chat, path, LATER.replace("2027-08-06 09:30", "2027-08-05 08:30")
                 .replace("2027-08-06", "2027-08-05"))
    await chat.tick(minutes=3)
    chat.assistant.config.env["MINGEL_HEALTH_WINDOW"] = "72h"
    await chat.restart()
    await chat.tick(minutes=1)
    assert len(told(chat, karin)) == 1


async def test_moved_later_tells_again_at_the_new_opening(mingel_chat, tmp_path) -> None:
    """Karin declared on Wednesday; "later" then moves a week on: her declaration, made before
    the new window, is deleted, and when the new window opens she is told again."""
    path = tmp_path / "programme.yaml"
    path.write_text(LATER, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    karin = chat.user(6, "Karin", lang="en")
    await coming_in_person(chat, karin, "later")
    chat.clock.set(OPENS)
    await chat.tick(minutes=1)
    await declare(chat, karin, "later", "nnn")
    await reload(chat, path, LATER.replace("2027-08-06", "2027-08-13"))
    assert chat.table("health", "outcomes") == []
    await chat.tick(days=6)
    assert len(told(chat, karin)) == 1
    await chat.tick(days=1)
    _first, again = told(chat, karin)
    assert "(Friday, 13 August 2027, 09:30–12:30, Sweden Time) is open now." in chat.text([again])


async def test_an_upgrade_does_not_tell_those_whose_declaration_opened_before(
        mingel_chat) -> None:
    """The first start of this version counts the windows open already as told: their seat
    holders had the button on the card and will have it with the last reminder."""
    chat = await make(mingel_chat, LATER)
    karin = chat.user(6, "Karin", lang="en")
    await coming_in_person(chat, karin)  # "hybrid", whose declaration is open now
    store = chat.assistant.store
    store.set_meta("version:health", 0)  # as written by the version before
    store.table("health_windows").truncate()
    await chat.restart()
    await chat.tick(minutes=1)
    assert told(chat, karin) == []
    assert [doc["event"] for doc in chat.table("health", "windows")] == ["hybrid"]
