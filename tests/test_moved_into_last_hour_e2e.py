"""End to end: through the real PTB Application and the Bot API stub, a meeting moved at 07:00
to start at 07:40, inside its last reminder's hour: Sara, whose answer the move left alone,
reads the notice of the new time and then the reminder with it, never the reminder first."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_moved_into_last_hour import DAY_BEFORE, MOVED, SEVEN
from tests.test_rsvp_support import ORGANISER, PROGRAMME

SARA = 31


async def test_the_new_time_is_told_before_the_reminder_that_gives_it(telegram_bot,
                                                                       tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, PROGRAMME, reminders=True)
    [card] = await bot.say(SARA, "/rsvp hybrid", language_code="sv")
    await bot.tap(SARA, card.message_id, "Kommer på plats")
    clock.set(DAY_BEFORE)
    await bot.assistant.tick()
    await bot.outbox()
    before = len(bot.stub.messages_to(SARA))

    clock.set(SEVEN)
    preview = await reload(bot, path, MOVED)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    for _ in range(8):  # every 30 seconds, as the bot ticks, for 4 minutes
        clock.advance(seconds=30)
        await bot.assistant.tick()
        await bot.outbox()

    notice, ics, reminder = bot.stub.messages_to(SARA)[before:]
    assert "Ny tid: 09:30–12:30 → 07:40–12:30" in notice.plain_text
    assert ics.method == "sendDocument"
    assert reminder.plain_text.startswith("⏰ Påminnelse: Arbetsmarknaden efter corona börjar "
                                          "om 38 minuter.")
    assert "07:40–12:30" in reminder.plain_text
