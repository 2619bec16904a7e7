"""End to end (QA 38): through the real PTB Application and the Bot API stub, a participant
in London who answers a hybrid meeting online reads on its card and in her reminder which
zone its times are in, so 09:30 is not taken for 09:30 London time."""
from __future__ import annotations

from datetime import datetime

from tests.e2e_reload import organised
from tests.test_time_zone_shown import ALICE, PROGRAMME


async def test_the_card_and_the_reminder_say_sweden_time(telegram_bot, tmp_path) -> None:
    bot, _path, clock = await organised(telegram_bot, tmp_path, PROGRAMME, reminders=True)
    [card] = await bot.say(ALICE, "/event hybrid", language_code="en")
    assert "🗓 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)" in card.plain_text
    await bot.tap(ALICE, card.message_id, "Coming online")
    await bot.outbox()
    before = len(bot.stub.messages_to(ALICE))

    clock.set(datetime.fromisoformat("2027-09-02T06:31:00+00:00"))
    await bot.assistant.tick()
    await bot.outbox()
    [reminder] = [m for m in bot.stub.messages_to(ALICE)[before:]
                  if (m.plain_text or "").startswith("⏰")]
    lines = reminder.plain_text.splitlines()
    assert lines[0] == "⏰ Reminder: The hybrid meeting starts in 1 hour."
    assert lines[2] == "🕘 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"
    assert lines[3] == "💻 Join online: Zoom"
    assert 'href="https://zoom.us/j/61234567890"' in reminder.params["text"]
