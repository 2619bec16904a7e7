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


async def test_a_long_network_name_is_read_back_cut_without_a_doubled_full_stop(
        telegram_bot, tmp_path: Path) -> None:
    bot = await telegram_bot(PLUGINS, clock=FakeClock("2027-06-01T08:00:00+00:00"),
                             env={"MINGEL_PROGRAMME": str(festival(tmp_path / "f.yaml"))})
    [refused] = await bot.say(5, "/follow " + "blah " * 30, language_code="en")
    assert refused.plain_text.splitlines()[0] == (
        "There's no network called “blah blah blah blah blah blah blah blah…”.")
    [refused] = await bot.say(6, "/följ " + "bläh " * 30, language_code="sv")
    assert refused.plain_text.splitlines()[0] == (
        "Det finns inget nätverk som heter ”bläh bläh bläh bläh bläh bläh bläh bläh…”.")
    assert "…." not in refused.plain_text
