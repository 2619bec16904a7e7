"""End to end: a day written with its small words, and a search through a tag, in Telegram."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_programme_days import PLUGINS, festival

SANNA, SAM = 101, 102


async def test_programme_pa_onsdag_and_a_search_through_a_tag(telegram_bot,
                                                               tmp_path: Path) -> None:
    bot = await telegram_bot(PLUGINS, clock=FakeClock("2027-06-01T08:00:00+00:00"),
                             env={"MINGEL_PROGRAMME": str(festival(tmp_path / "f.yaml"))})
    [day] = await bot.say(SANNA, "/programme på onsdag", language_code="sv")
    lines = day.plain_text.splitlines()
    assert lines[0] == "Onsdag 30 juni 2027"
    assert "ons 30 juni 08:00 · Samtal wed00" in lines and "Träffarna 1–25 av 30." in lines
    [dated] = await bot.say(SAM, "/programme on the 29th of June", language_code="en")
    assert dated.plain_text.splitlines()[0] == "Tuesday, 29 June 2027"
    [found] = await bot.say(SAM, "/search <b>klimat</b> on wednesday")
    assert found.plain_text.startswith("15 meetings match “<b>klimat</b> on wednesday”:")
    assert "Wed 30 Jun 08:00 · Talk wed01" in found.plain_text
