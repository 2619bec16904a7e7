"""The health plugin's RSVP gate (health_required on and off) and the organisers' door list."""
from __future__ import annotations

import types

from assistant import hookimpl
from tests.test_health_support import (
    NOW,
    PROGRAMME,
    answer_all,
    attendance,
    coming_in_person,
    declare,
    make,
    plugins,
    programme_file,
)


async def test_without_health_required_in_person_stays_valid_until_declared(mingel_chat):
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/event hybrid", eva)
    saved = await chat.press("Coming in person", eva)
    assert chat.toasts[5] == "Saved: Coming in person"
    assert "Your answer: Coming in person\n⚠️ Health declaration missing" in chat.text(saved)
    assert attendance(chat, "hybrid", 5).answer == "in_person"


async def test_required_before_the_window_opens_explains_when_places_can_be_booked(mingel_chat):
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    card = await chat.send("/event required", eva)
    assert ("Coming in person requires a health declaration, which opens Sunday, 8 August 2027 "
            "at 10:00.") in chat.text(card)
    assert "Fill in health declaration" not in chat.buttons(card)
    refused = await chat.press("Coming in person", eva)
    assert ("In-person places can be booked when the declaration opens, Sunday, 8 August 2027 "
            "at 10:00: I'll tell you then. Until then you can answer “Maybe”.") in chat.text(refused)
    assert chat.toasts[5] is None  # too long for a notice: a message, which stays, alone
    assert attendance(chat, "required", 5) is None


async def test_required_needs_a_fine_declaration_then_lets_in_person_through(mingel_chat):
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await chat.tick(days=7)
    card = await chat.send("/event required", eva)
    assert "Coming in person requires a health declaration first." in chat.text(card)
    refused = await chat.press("Coming in person", eva, card)
    assert "Send /health required to fill it in first" in chat.text(refused)
    assert attendance(chat, "required", 5) is None
    await chat.press("Fill in health declaration", eva, card)
    await answer_all(chat, eva, "nnn")
    done = await chat.press("I will follow these", eva)
    assert chat.buttons(done) == ["Coming in person"]
    booked = await chat.press("Coming in person", eva)
    assert chat.text(booked).endswith(
        "Your answer to The two-day gathering is now: Coming in person.")
    assert attendance(chat, "required", 5).answer == "in_person"
    card = await chat.send("/event required", eva)
    assert "✅ Health declaration done" in chat.text(card)


async def test_required_stay_home_blocks_in_person(mingel_chat):
    chat = await make(mingel_chat)
    sven = chat.user(6, "Sven", lang="sv")
    await chat.tick(days=7)
    await declare(chat, sven, "required", "nny")
    home = chat.last[6]
    assert chat.buttons(home) == []  # in person only: nothing to switch to
    await chat.send("/event required", sven)
    assert await chat.press("Kommer på plats", sven) == []  # short: the button's notice alone
    assert chat.toasts[6] == ("Enligt din hälsodeklaration bör du stanna hemma den här gången, "
                              "så du kan inte komma på plats.")
    assert attendance(chat, "required", 6) is None
    assert await chat.press_data("health:inperson:required", sven) == []
    assert chat.toasts[6] == "Den här knappen fungerar inte längre."
    assert attendance(chat, "required", 6) is None


async def test_the_gate_lets_other_answers_and_other_meetings_through(mingel_chat):
    chat = await make(mingel_chat)
    ctx = chat.context("rsvp", chat.user(5, "Eva", lang="en"))
    programme = ctx.programme
    gate = chat.assistant.hooks.rsvp_gate
    assert await gate(ctx, programme.event("required"), "no") is None
    assert await gate(ctx, programme.event("required"), "maybe") is None
    assert await gate(ctx, programme.event("hybrid"), "in_person") is None
    assert await gate(ctx, programme.event("plain"), "in_person") is None
    assert await gate(ctx, programme.event("required"), "in_person")


async def test_door_list_shows_status_but_never_answers(mingel_chat):
    chat = await make(mingel_chat)
    anna, bo, cecilia, dan = (chat.user(11, "Anna", last_name="Ek", lang="en"),
                              chat.user(12, "Bo <b>", lang="sv"), chat.user(13, "Cecilia"),
                              chat.user(14, "Dan"))
    for user in (anna, bo, cecilia):
        await coming_in_person(chat, user)
    await chat.send("/event hybrid", dan)
    await chat.press("Coming online", dan)
    await declare(chat, anna, "hybrid", "nnn")
    await declare(chat, bo, "hybrid", "ynn")
    replies = await chat.send("/doorlist hybrid", 1)
    text = chat.text(replies)
    assert "Door list – The hybrid meeting" in text
    assert "3 people coming in person" in text
    assert "Declaration done: 1 · not done: 1 · stay at home: 1" in text
    assert text.endswith("1. Anna Ek – ✅ declaration done\n"
                         "2. Bo <b> – 🏠 asked to stay at home\n"
                         "3. Cecilia – ⚠️ declaration not done")
    assert "&lt;b&gt;" in replies[0].text
    assert "Dan" not in text
    for secret in ("fever", "risk area", "infected", "Yes", "yes"):
        assert secret not in text
    audit = chat.assistant.store.table("assistant_audit").all()
    assert [(a["user"], a["action"], a["details"]) for a in audit] == [
        (1, "health.doorlist", "hybrid")]


async def test_door_list_is_for_organisers_and_has_a_menu(mingel_chat):
    chat = await make(mingel_chat)
    refused = await chat.send("/doorlist hybrid", 5)
    assert chat.text(refused) == "Sorry, only organisers can use /doorlist."
    assert await chat.press_data("health:door:hybrid", 5) == []
    assert chat.toasts[5] == "Sorry, you can't do that."
    menu = await chat.send("/doorlist", 1)
    assert chat.buttons(menu) == ["Tue 3 Aug 09:30 · The hybrid meeting",
                                  "Tue 3 Aug 14:00 · Roundtable",
                                  "Wed 4 Aug 09:30 · The plain meeting",
                                  "Tue 10 Aug 10:00 · The two-day gathering"]
    listed = await chat.press("plain meeting", 1)
    assert "This meeting has no health declaration." in chat.text(listed)
    assert "0 people coming in person" in chat.text(listed)
    assert chat.text(await chat.send("/doorlist nope", 1)) == (
        "I can't find a meeting with the id nope. Send /programme to see the meetings.")


async def test_door_list_in_swedish(mingel_chat):
    chat = await make(mingel_chat)
    await chat.send("/language sv", 1)
    await coming_in_person(chat, chat.user(11, "Anna"))
    text = chat.text(await chat.send("/doorlist required", 1))
    assert "Dörrlista – Tvådagarsträffen" in text
    assert "Hälsodeklaration krävs för att komma på plats." in text
    assert "0 personer kommer på plats" in text
    text = chat.text(await chat.send("/doorlist hybrid", 1))
    assert "1 person kommer på plats" in text and "1. Anna – ⚠️ deklaration saknas" in text


async def test_a_switch_refused_by_the_rsvp_rules_keeps_the_choices(mingel_chat):
    closed_online = types.ModuleType("closedonline")
    closed_online.NAME = "closedonline"
    closed_online.rsvp_gate = hookimpl(
        lambda ctx, event, answer: "Online places are closed." if answer == "online" else None)
    chat = await mingel_chat([*plugins(), closed_online], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file()})
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await declare(chat, eva, "hybrid", "ynn")
    refused = await chat.press("Coming online", eva)
    assert chat.text(refused).endswith("Online places are closed.")
    assert chat.buttons(refused) == ["Coming online", "Can't come"]
    assert attendance(chat, "hybrid", 5).answer == "in_person"
    cancelled = await chat.press("Can't come", eva)
    assert chat.buttons(cancelled) == []
    assert attendance(chat, "hybrid", 5).answer == "no"


GATHERING = PROGRAMME + """  - id: days
    title: {sv: Dagarna, en: The days}
    start: 2027-08-05 10:00
    end: 2027-08-06 15:00
    online: null
  - id: webinar
    title: {sv: Webbinariet, en: The webinar}
    start: 2027-08-05 14:00
    end: 2027-08-05 15:00
    venue: null
"""


async def test_door_list_of_a_gathering_names_who_comes_on_each_day(mingel_chat):
    """Door staff on the Friday must not expect someone who chose the Thursday only."""
    chat = await make(mingel_chat, GATHERING)
    anna, bo = chat.user(11, "Anna", lang="en"), chat.user(12, "Bo", lang="sv")
    await coming_in_person(chat, anna, "days")
    untick = await chat.press("☑ Fri 6 Aug", anna)
    assert "Your days: Thu 5 Aug" in chat.text(untick)
    await coming_in_person(chat, bo, "days")
    text = chat.text(await chat.send("/doorlist days", 1))
    assert "2 people coming in person" in text
    assert text.endswith("Thursday 5 August – 2 people\n"
                         "1. Anna – ⚠️ declaration not done\n"
                         "2. Bo – ⚠️ declaration not done\n\n"
                         "Friday 6 August – 1 person\n"
                         "1. Bo – ⚠️ declaration not done")
    await chat.send("/language sv", 1)
    swedish = chat.text(await chat.send("/doorlist days", 1))
    assert "Fredag 6 augusti – 1 person\n1. Bo – ⚠️ deklaration saknas" in swedish
    assert "Torsdag 5 augusti – 2 personer" in swedish


async def test_door_list_of_an_online_meeting_says_it_is_online_only(mingel_chat):
    chat = await make(mingel_chat, GATHERING)
    text = chat.text(await chat.send("/doorlist webinar", 1))
    assert text.startswith("Door list – The webinar\n")
    assert text.endswith("This meeting is online only, so it has no door list.")
    assert "coming in person" not in text and "health declaration" not in text
    await chat.send("/language sv", 1)
    swedish = chat.text(await chat.send("/doorlist webinar", 1))
    assert swedish.endswith("Träffen hålls endast online, så den har ingen dörrlista.")


async def test_coming_in_person_after_declaring_confirms_before_the_calendar_file(mingel_chat):
    chat = await mingel_chat([*plugins(), "plugins.calendar"], organisers=[1], now=NOW,
                             flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file(PROGRAMME)})
    eva = chat.user(5, "Eva", lang="en")
    await chat.tick(days=7)
    await declare(chat, eva, "required", "nnn")
    booked = await chat.press("Coming in person", eva)
    assert [bool(r.document) for r in booked] == [False, True]
    assert booked[0].edit
    assert booked[0].text.endswith("Your answer to The two-day gathering is now: Coming in person.")
    assert booked[1].document.filename.endswith(".ics")
    ben = chat.user(6, "Ben", lang="en")
    await declare(chat, ben, "required", "nnn")
    card = await chat.send("/event required", ben)
    tapped = await chat.press("Coming in person", ben, card)
    assert [bool(r.document) for r in tapped] == [False, True]
