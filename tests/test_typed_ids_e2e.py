"""End to end: a meeting id copied with a full stop, through PTB and the Bot API stub."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_questions_support import ANNA, NOW, plugins, programme_env


async def test_an_id_copied_with_its_full_stop_opens_the_card_in_telegram(telegram_bot,
                                                                          tmp_path) -> None:
    bot = await telegram_bot(plugins(), env=programme_env(tmp_path / "programme"),
                             clock=FakeClock(NOW))
    [card] = await bot.say(ANNA, "/event am-09-02.", first_name="Anna", language_code="en")
    assert card.plain_text.startswith("The labour market after corona")
