"""End to end: /ask with a question but no meeting, through PTB and the Bot API stub."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_questions_support import ANNA, NOW, plugins, programme_env


async def test_a_question_without_a_meeting_gets_the_meetings_in_telegram(telegram_bot,
                                                                        tmp_path) -> None:
    bot = await telegram_bot(plugins(), env=programme_env(tmp_path / "programme"),
                             clock=FakeClock(NOW))
    [picker] = await bot.say(ANNA, "/ask Is flexicurity coming?", first_name="Anna",
                             language_code="en")
    assert picker.plain_text == ("I can't find a meeting with the id Is. Which meeting is "
                                 "your question for? Tap it, then send the question.")
    first = picker.buttons[0]
    assert "The labour market after corona" in first
    [prompt] = await bot.tap(ANNA, picker.message_id, first)
    assert prompt.plain_text.startswith("What would you like to ask at The labour market")
    [back] = await bot.say(ANNA, "Is flexicurity coming?")
    [done] = await bot.tap(ANNA, back.message_id, "👤 Show my name")
    assert "will be shown to everyone once a moderator has approved it" in done.plain_text
