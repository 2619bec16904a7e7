"""End to end through the real PTB Application and the Bot API stub: the last reminder before
the one day someone comes to of a gathering that has begun brings the "Fill in" button with
its "missing" line, and the button opens the declaration."""
from __future__ import annotations

from datetime import datetime

from assistant.clock import FakeClock
from tests.test_health_support import NOW, PROGRAMME, programme_file

SVEN = 66
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.health",
           "plugins.reminders"]


async def test_the_button_comes_with_the_reminder_of_day_two(telegram_bot) -> None:
    clock = FakeClock(NOW)
    bot = await telegram_bot(PLUGINS, clock=clock, env={"MINGEL_PROGRAMME": programme_file(
        PROGRAMME.replace("    health_required: true\n", ""))})
    [card] = await bot.say(SVEN, "/event required", first_name="Sven", language_code="en")
    await bot.tap(SVEN, card.message_id, "Coming in person")
    [edited] = await bot.tap(SVEN, card.message_id, "☑ Tue 10 Aug")
    assert "Your days: Wed 11 Aug" in edited.plain_text
    for moment in ("2027-08-08T10:01", "2027-08-10T10:01", "2027-08-11T09:01"):
        clock.set(datetime.fromisoformat(moment + ":00+02:00"))
        await bot.assistant.tick()
        await bot.outbox()
    last = bot.stub.messages_to(SVEN)[-1]
    assert last.plain_text.startswith("⏰ Reminder: your day at The two-day gathering starts in "
                                      "1 hour.")
    assert "⚠️ Health declaration missing" in last.plain_text
    assert "Fill in health declaration" in last.buttons
    [question] = await bot.tap(SVEN, last.message_id, "Fill in health declaration")
    assert "Do you have a fever today?" in question.plain_text
