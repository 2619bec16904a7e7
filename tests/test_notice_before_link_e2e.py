"""End to end: through the real PTB Application and the Bot API stub, a meeting made online
only 90 seconds before it begins (the organisers' quiet time would run past the start):
Sara, who was coming in person, reads the notice that she now takes part online and then
the private link, both before 09:30 (the link used never to come)."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.e2e_reload import organised, reload
from tests.test_rsvp_online_only import LAST_HOUR, ONLINE_ONLY
from tests.test_rsvp_support import ORGANISER, PROGRAMME

SARA = 31
START = datetime.fromisoformat("2027-09-02T07:30:00+00:00")


async def test_a_change_just_before_the_start_brings_the_notice_and_then_the_link(
        telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, PROGRAMME, reminders=True)
    [card] = await bot.say(SARA, "/rsvp hybrid", language_code="sv")
    await bot.tap(SARA, card.message_id, "Kommer på plats")
    clock.set(LAST_HOUR)
    await bot.assistant.tick()
    await bot.outbox()
    before = len(bot.stub.messages_to(SARA))

    clock.set(START - timedelta(seconds=90))
    preview = await reload(bot, path, ONLINE_ONLY)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(seconds=30)
    await bot.assistant.tick()
    await bot.outbox()

    assert clock.now() < START
    note, ics, link = bot.stub.messages_to(SARA)[before:]
    assert "ditt svar är nu ”Deltar online”" in note.plain_text
    assert ics.method == "sendDocument"
    assert link.plain_text.startswith("Här är länken för att delta online i Arbetsmarknaden "
                                      "efter corona. Träffen börjar om 1 minut.")
    assert 'href="https://zoom.us/j/1"' in link.text
