"""End to end: a Maybe's reminder has a button that opens the card to answer, through PTB
and the Bot API stub."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_reminders_maybe_answer import PLUGINS
from tests.test_reminders_support import REAL_PROGRAMME


async def test_a_maybe_answers_from_the_reminder_in_telegram(telegram_bot, tmp_path) -> None:
    (tmp_path / "programme.yaml").write_text(REAL_PROGRAMME, encoding="utf-8")
    clock = FakeClock("2027-08-01T08:00:00+00:00")
    bot = await telegram_bot(PLUGINS, clock=clock,
                             env={"MINGEL_PROGRAMME": str(tmp_path / "programme.yaml")})
    [card] = await bot.say(7, "/event hybrid", language_code="en")
    await bot.tap(7, card.message_id, "Maybe")
    clock.advance(hours=23, minutes=30)
    await bot.assistant.tick()
    await bot.outbox()
    [reminder] = await bot.stub.wait_sent(7)
    assert reminder.plain_text.startswith("You said you might come to The hybrid meeting.")
    assert reminder.buttons == ["Are you coming? Answer here", "Reminder settings"]
    [opened] = await bot.tap(7, reminder.message_id, "Are you coming? Answer here")
    assert opened.plain_text.startswith("The hybrid meeting")
    assert "✓ Maybe" in opened.buttons and "Can't come" in opened.buttons
