"""End to end through the real PTB Application and the Bot API stub, on a fake clock: Sven, in
person on the Wednesday only of a Tuesday–Wednesday gathering, reads on his card from when he
can declare (Monday 10:00, 48 hours before his day), is refused with that time on Sunday, and
is told it is open on Monday, not Sunday; Eva reads the same in Swedish."""
from __future__ import annotations

from datetime import timedelta

from assistant.clock import FakeClock
from tests.test_health_support import NOW, plugins, programme_file
from tests.test_health_window import ASKED, MONDAY, SUNDAY

SVEN, EVA = 66, 67


async def test_sven_is_told_on_monday_not_sunday(telegram_bot) -> None:
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(), clock=clock,
                             env={"MINGEL_PROGRAMME": programme_file(ASKED)})
    [card] = await bot.say(SVEN, "/event required", first_name="Sven", language_code="en")
    await bot.tap(SVEN, card.message_id, "Coming in person")
    [edited] = await bot.tap(SVEN, card.message_id, "☑ Tue 10 Aug")
    assert ("⚠️ Health declaration missing – you can fill it in from Monday, 9 August 2027 at "
            "10:00, 2 days before your first day in person.") in edited.plain_text
    [card] = await bot.say(EVA, "/event required", first_name="Eva", language_code="sv")
    await bot.tap(EVA, card.message_id, "Kommer på plats")
    [edited] = await bot.tap(EVA, card.message_id, "☑ tis 10 aug.")
    assert ("⚠️ Hälsodeklaration saknas – du kan fylla i den från och med måndag 9 augusti 2027 "
            "kl. 10:00, 2 dagar före din första dag på plats.") in edited.plain_text

    clock.set(SUNDAY)
    start = len(bot.stub.sent)
    await bot.assistant.tick()
    await bot.outbox()
    assert [m for m in bot.stub.sent[start:] if m.chat_id in (SVEN, EVA)] == [], "not Sunday"
    [refused] = await bot.say(SVEN, "/health required")
    assert refused.plain_text == ("The health declaration for The two-day gathering opens "
                                  "Monday, 9 August 2027 at 10:00, 2 days before your first day "
                                  "in person. Please come back then!")

    clock.set(MONDAY - timedelta(minutes=1, seconds=30))  # 09:59:30
    start = len(bot.stub.sent)
    await bot.assistant.tick()
    await bot.outbox()
    assert [m for m in bot.stub.sent[start:] if m.chat_id in (SVEN, EVA)] == []
    clock.set(MONDAY - timedelta(seconds=30))  # 10:00:30
    await bot.assistant.tick()
    await bot.outbox()
    [told] = await bot.reaction(SVEN, start)
    assert told.plain_text == (
        "📋 The health declaration for The two-day gathering (Wednesday, 11 August 2027, "
        "10:00–15:00) is open now. Please fill it in before you come in person – it takes a "
        "minute.")
    assert told.buttons == ["Fill in health declaration"]
    [question] = await bot.tap(SVEN, told.message_id, "Fill in health declaration")
    assert "Question 1 of 3" in question.plain_text
    [swedish] = await bot.reaction(EVA, start)
    assert swedish.plain_text.startswith("📋 Nu är hälsodeklarationen för Tvådagarsträffen "
                                         "(onsdag 11 augusti 2027 kl. 10:00–15:00) öppen.")
