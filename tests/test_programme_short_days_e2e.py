"""End to end: a day copied from /programme's own list, through PTB and the Bot API stub."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_programme_days import PLUGINS, festival

SANNA, SAM = 101, 102


async def test_a_day_copied_from_the_list_is_that_days_list_in_telegram(telegram_bot,
                                                                       tmp_path: Path) -> None:
    bot = await telegram_bot(PLUGINS, clock=FakeClock("2027-06-01T08:00:00+00:00"),
                             env={"MINGEL_PROGRAMME": str(festival(tmp_path / "f.yaml"))})
    [listed] = await bot.say(SAM, "/programme", language_code="en")
    assert "Mon 28 Jun 09:00 · Talk mon1" in listed.plain_text
    [day] = await bot.say(SAM, "/programme Mon 28 Jun")
    assert day.plain_text.splitlines()[0] == "Monday, 28 June 2027"
    assert "Mon 28 Jun 10:00 · Talk mon2" in day.plain_text
    [short] = await bot.say(SANNA, "/program tis", language_code="sv")
    assert short.plain_text.splitlines()[0] == "Tisdag 29 juni 2027"
    assert "tis 29 juni 13:00 · Samtal tue2" in short.plain_text
