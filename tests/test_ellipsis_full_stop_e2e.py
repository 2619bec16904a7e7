"""End to end through PTB and the Bot API stub: a title that ends in "…" put before a full
stop ends the sentence itself, as one ending in "?" does, instead of reading "…." (the
core's `fill`, for every message)."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_health_support import NOW, PROGRAMME, plugins, programme_file

TRAILING = PROGRAMME.replace("en: The hybrid meeting}", "en: What comes next…}", 1)
EVA = 91


async def test_a_title_ending_in_an_ellipsis_takes_no_full_stop(telegram_bot) -> None:
    bot = await telegram_bot(plugins(), clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": programme_file(TRAILING)})
    [question] = await bot.say(EVA, "/health hybrid", first_name="Eva", language_code="en")
    for _ in range(3):
        [question] = await bot.tap(EVA, question.message_id, "No")
    await bot.tap(EVA, question.message_id, "I will follow")
    [made] = await bot.say(EVA, "/health hybrid")
    assert made.plain_text.startswith("✅ You have already filled in the health declaration for "
                                      "What comes next… Tap “Coming in person” to book your seat.")
    assert "…." not in made.plain_text
