"""End to end: through the real PTB Application and the Bot API stub, a meeting made online
only 90 seconds before it begins (the organisers' quiet time would run past the start):
Sara, who was coming in person, reads the notice that she now takes part online and then
the private link, both before 09:30 (the link used never to come)."""
from __future__ import annotations

from datetime import datetime, timedelta

from assistant.clock import FakeClock
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_online_only import LAST_HOUR, ONLINE_ONLY
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME

SARA = 31
START = datetime.fromisoformat("2027-09-02T07:30:00+00:00")


async def test_a_change_just_before_the_start_brings_the_notice_and_then_the_link(
        telegram_bot, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    clock = FakeClock(NOW)
    bot = await telegram_bot([*REAL, "plugins.reminders"], clock=clock,
                             env={"MINGEL_ORGANISERS": str(ORGANISER), "MINGEL_PROGRAMME": str(path),
                                  "MINGEL_CHANGE_DELAY": "2m", "MINGEL_BOT_USERNAME": "MingelBot"})
    [card] = await bot.say(SARA, "/rsvp hybrid", language_code="sv")
    await bot.tap(SARA, card.message_id, "Kommer på plats")
    clock.set(LAST_HOUR)
    await bot.assistant.tick()
    await bot.outbox()
    before = len(bot.stub.messages_to(SARA))

    clock.set(START - timedelta(seconds=90))
    path.write_text(ONLINE_ONLY, encoding="utf-8")
    [preview] = await bot.say(ORGANISER, "/reload", language_code="en")
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
