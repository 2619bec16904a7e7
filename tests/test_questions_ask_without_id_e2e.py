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
    assert picker.plain_text == ("Which meeting is your question for? Tap it and I'll go on "
                                 "with your question.")
    first = picker.buttons[0]
    assert "The labour market after corona" in first
    [back] = await bot.tap(ANNA, picker.message_id, first)
    assert "Is flexicurity coming?" in back.plain_text, "the question, not retyped"
    [done] = await bot.tap(ANNA, back.message_id, "👤 Show my name")
    assert "will be shown to everyone once a moderator has approved it" in done.plain_text
