"""End to end through the real PTB Application and the Bot API stub, on a fake clock: Maja
answers "Kanske" (maybe) to both days of a Tuesday–Wednesday gathering, declares on Sunday,
then leaves Tuesday out: her declaration, made before Wednesday's window, is deleted without a
message, and /health says when it opens for her. Sven, online on Tuesday and in person on
Wednesday, reads the same opening on his card and from /health, and is told on Monday."""
from __future__ import annotations

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from tests.test_health_first_day_later import HYBRID_ASKED
from tests.test_health_support import NOW, plugins, programme_file
from tests.test_health_window import MONDAY, SUNDAY

MAJA, SVEN = 68, 69


def stored(bot) -> list[int]:
    """Whose declarations are stored."""
    return [doc["user"] for doc in bot.assistant.store.table("health_outcomes").all()]


async def test_maja_loses_her_early_declaration_without_a_message(telegram_bot) -> None:
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(), clock=clock,
                             env={"MINGEL_PROGRAMME": programme_file(HYBRID_ASKED)})
    bot.assistant.flood = FloodControl(burst=10**9)
    [card] = await bot.say(MAJA, "/event required", first_name="Maja", language_code="sv")
    await bot.tap(MAJA, card.message_id, "Kanske")
    clock.set(SUNDAY)
    [question] = await bot.say(MAJA, "/health required")
    for _ in range(3):
        [question] = await bot.tap(MAJA, question.message_id, "Nej")
    [done] = await bot.tap(MAJA, question.message_id, "Jag följer reglerna")
    assert "Tack! Din hälsodeklaration är klar" in done.plain_text
    assert stored(bot) == [MAJA]

    [card] = await bot.say(MAJA, "/event required")
    start = len(bot.stub.sent)
    [edited] = await bot.tap(MAJA, card.message_id, "☑ tis 10 aug.")
    assert "Dina dagar: ons 11 aug." in edited.plain_text
    assert stored(bot) == [], "made on Sunday, before Wednesday's window (Monday 10:00)"
    await bot.assistant.tick()
    await bot.outbox()
    assert [r for r in bot.stub.sent[start:] if r.chat_id == MAJA
            and r.method == "sendMessage"] == [], "nothing is asked of her now"
    [refused] = await bot.say(MAJA, "/health required")
    assert refused.plain_text == (
        "Hälsodeklarationen för Tvådagarsträffen öppnas måndag 9 augusti 2027 kl. 10:00 "
        "(Sverigetid), 2 dagar före din första dag på plats. Välkommen tillbaka då!")


async def test_sven_online_on_tuesday_reads_monday_everywhere(telegram_bot) -> None:
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(), clock=clock,
                             env={"MINGEL_PROGRAMME": programme_file(HYBRID_ASKED)})
    bot.assistant.flood = FloodControl(burst=10**9)
    [card] = await bot.say(SVEN, "/event required", first_name="Sven", language_code="en")
    await bot.tap(SVEN, card.message_id, "Coming in person")
    [edited] = await bot.tap(SVEN, card.message_id, "💻 Tue 10 Aug online instead")
    monday = ("Monday, 9 August 2027 at 10:00 (Sweden Time), 2 days before your first day in "
              "person")
    assert f"you can fill it in from {monday}." in edited.plain_text
    clock.set(SUNDAY)
    start = len(bot.stub.sent)
    await bot.assistant.tick()
    await bot.outbox()
    assert [r for r in bot.stub.sent[start:] if r.chat_id == SVEN] == [], "not on Sunday"
    [refused] = await bot.say(SVEN, "/health required")
    assert refused.plain_text == (f"The health declaration for The two-day gathering opens "
                                  f"{monday}. Please come back then!")
    clock.set(MONDAY)
    start = len(bot.stub.sent)
    await bot.assistant.tick()
    await bot.outbox()
    [told] = await bot.reaction(SVEN, start)
    assert told.plain_text.startswith(
        "📋 The health declaration for The two-day gathering (Wednesday, 11 August 2027, "
        "10:00–15:00, Sweden Time) is open now.")
    [question] = await bot.say(SVEN, "/health required")
    assert "Question 1 of 3" in question.plain_text
