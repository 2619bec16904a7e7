"""End to end: through the real PTB Application and the Bot API stub, Sara's last reminder,
with the private link, fails once (Telegram answers 500) and waits to be tried again when
the organisers change the link: she gets the notice and then the reminder with the new link,
never the old one (the queued reminder used to go as it was, with the dead link)."""
from __future__ import annotations

from datetime import timedelta

from tests.e2e_reload import organised, reload
from tests.test_new_private_link import NEW_LINK
from tests.test_rsvp_online_only import LAST_HOUR
from tests.test_rsvp_support import ORGANISER, PROGRAMME

SARA = 31


async def test_a_reminder_waiting_to_be_retried_goes_with_the_new_link(telegram_bot,
                                                                       tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, PROGRAMME, reminders=True)
    [card] = await bot.say(SARA, "/rsvp hybrid", language_code="sv")
    await bot.tap(SARA, card.message_id, "Deltar online")
    await bot.stub.wait_until(lambda: any(m.method == "sendDocument"
                                          for m in bot.stub.messages_to(SARA)))
    before = len(bot.stub.messages_to(SARA))
    clock.set(LAST_HOUR)
    bot.stub.fail_next(1, 500, methods=["sendMessage"])
    await bot.assistant.tick()
    await bot.outbox()
    assert bot.stub.calls("sendMessage")[-1].status == 500
    assert len(bot.stub.messages_to(SARA)) == before

    clock.advance(minutes=1)
    preview = await reload(bot, path, NEW_LINK)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    for _ in range(6):
        clock.advance(seconds=30)
        await bot.assistant.tick()
        await bot.outbox()

    note, ics, reminder = bot.stub.messages_to(SARA)[before:]
    assert "Ny länk för att delta online: du får den om en liten stund." in note.plain_text
    assert ics.method == "sendDocument"
    assert reminder.plain_text.startswith("⏰ Påminnelse: Arbetsmarknaden efter corona börjar om")
    assert 'href="https://zoom.us/j/999"' in reminder.text
    assert not [m for m in bot.stub.messages_to(SARA) if "zoom.us/j/1\"" in (m.text or "")]
    assert clock.now() < LAST_HOUR + timedelta(hours=1)
