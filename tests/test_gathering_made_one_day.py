"""A gathering made one day: whoever was down only for the days it lost keeps their answer for
the day left, and is told so and asked to answer again if they can't come that day (they
had chosen other days); the preview counts them. Harness and end to end through PTB and the
Bot API stub. (QA: a participant who had unticked Wednesday was silently down for Wednesday
when Thursday went.)"""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_gathering_moves import ANNA, BEN, CLEO, GATHERING
from tests.test_gathering_shortened import come, publish, start
from tests.test_rsvp_support import ORGANISER

THREE_SEATS = GATHERING.replace("capacity: 2", "capacity: 3", 1)
WEDNESDAY = THREE_SEATS.replace("end: 2027-11-25 15:00", "end: 2027-11-24 15:00")
"""Wed 24–Thu 25 Nov, three seats, made Wed 24 Nov alone."""
TOLD = {"en": ("None of the days you had chosen (Thu 25 Nov) is part of the meeting any more: "
               "it is now on Wed 24 Nov only. Your answer stays “Coming in person”; if you "
               "can't come that day, please answer again on the meeting's card (/rsvp days)."),
        "sv": ("Ingen av dagarna du hade valt (tors 25 nov.) ingår längre i träffen: den är nu "
               "bara ons 24 nov. Ditt svar är fortfarande ”Kommer på plats”; om du inte kan "
               "komma den dagen svarar du på nytt på träffens kort (/rsvp days).")}
PREVIEW = {"en": ("1 person was down only for days that are no longer part of the meeting: "
                  "their answer now holds for its one day, and they're asked to answer again "
                  "if they can't come."),
           "sv": ("1 person var bara uppskriven på dagar som inte längre ingår i träffen: svaret "
                  "gäller nu träffens enda dag, och personen ombeds svara igen vid förhinder.")}


async def test_the_one_whose_days_went_is_told_and_asked(mingel_chat, tmp_path) -> None:
    """Anna chose Wed only, Ben both days, Cleo Thu only: with Thu gone all three have a seat
    on Wed, and only Cleo, who had not chosen it, is told so."""
    chat, path = await start(mingel_chat, tmp_path, THREE_SEATS)
    await come(chat, ANNA, "☑ Thu 25 Nov")
    await come(chat, BEN)
    await come(chat, CLEO, "☑ Wed 24 Nov")
    before = {user: len(chat.sent_to(user)) for user in (ANNA, BEN, CLEO)}
    effects = await publish(chat, path, WEDNESDAY)
    assert effects == [PREVIEW["en"]]
    cleo = chat.text(chat.sent_to(CLEO)[before[CLEO]:])
    assert TOLD["en"] in cleo
    assert "waiting list" not in cleo
    for user in (ANNA, BEN):
        notice = chat.text(chat.sent_to(user)[before[user]:])
        assert "✏️" in notice and "chosen" not in notice and "valt" not in notice
    card = chat.text(await chat.send("/rsvp days", CLEO))
    assert "Your answer: Coming in person" in card and "waiting" not in card


async def test_in_swedish(mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path, THREE_SEATS, organiser="sv")
    chat.user(CLEO, "Cleo", lang="sv")
    await chat.send("/osa days", CLEO)
    await chat.press("Kommer på plats", CLEO)
    await chat.press("☑ ons 24 nov.", CLEO)
    n = len(chat.sent_to(CLEO))
    effects = await publish(chat, path, WEDNESDAY)
    assert effects == [PREVIEW["sv"]]
    assert TOLD["sv"] in chat.text(chat.sent_to(CLEO)[n:])


async def test_in_telegram(telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, THREE_SEATS)
    [card] = await bot.say(CLEO, "/rsvp days", language_code="en")
    await bot.tap(CLEO, card.message_id, "Coming in person")
    await bot.tap(CLEO, card.message_id, "☑ Wed 24 Nov")
    await bot.outbox()
    n = len(bot.stub.messages_to(CLEO))
    preview = await reload(bot, path, WEDNESDAY)
    assert f"👥 {PREVIEW['en']}" in preview.plain_text
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=3)
    await bot.assistant.tick()
    await bot.outbox()
    assert any(TOLD["en"] in (m.plain_text or "") for m in bot.stub.messages_to(CLEO)[n:])
