"""End to end: a long search read back with "…", through PTB and the Bot API stub."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_programme_days import PLUGINS, festival


async def test_a_long_search_is_read_back_with_an_ellipsis_in_telegram(telegram_bot,
                                                                      tmp_path: Path) -> None:
    bot = await telegram_bot(PLUGINS, clock=FakeClock("2027-06-01T08:00:00+00:00"),
                             env={"MINGEL_PROGRAMME": str(festival(tmp_path / "f.yaml"))})
    [found] = await bot.say(5, "/search " + "talk " * 30, language_code="en")
    assert found.plain_text.startswith("34 meetings match “talk talk talk talk talk talk talk "
                                       "talk talk talk talk talk…”:")
