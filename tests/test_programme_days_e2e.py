"""End to end: a day's programme and paged search results through PTB and the Bot API stub."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_programme_days import PLUGINS, festival

SANNA, SAM = 101, 102


async def test_a_days_programme_and_search_pages_in_telegram(telegram_bot, tmp_path: Path) -> None:
    bot = await telegram_bot(PLUGINS, clock=FakeClock("2027-06-01T08:00:00+00:00"),
                             env={"MINGEL_PROGRAMME": str(festival(tmp_path / "f.yaml"))})
    [day] = await bot.say(SANNA, "/programme onsdag", language_code="sv")
    lines = day.plain_text.splitlines()
    assert lines[0] == "Onsdag 30 juni 2027"
    assert "ons 30 juni 08:00 · Samtal wed00" in lines and "Träffarna 1–25 av 30." in lines
    [later] = await bot.tap(SANNA, day.message_id, "Senare ›")
    assert later.method == "editMessageText"
    assert "Träffarna 26–30 av 30." in later.plain_text
    assert "ons 30 juni 15:00 · Samtal wed29" in later.plain_text
    [found] = await bot.say(SAM, "/search talk wednesday", language_code="en")
    assert found.plain_text.startswith("30 meetings match “talk wednesday”:")
    assert "Meetings 1–25 of 30." in found.plain_text
    [second] = await bot.tap(SAM, found.message_id, "Later ›")
    assert second.method == "editMessageText"
    assert "Meetings 26–30 of 30." in second.plain_text
    assert "Wed 30 Jun 15:00 · Talk wed29" in second.plain_text
    [narrow] = await bot.say(SAM, "/search talk vard tuesday")
    assert narrow.plain_text.startswith("1 meeting matches “talk vard tuesday”:")
