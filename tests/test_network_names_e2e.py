"""End to end: /follow with a hyphenated network name typed with spaces, through PTB and the
Bot API stub."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_network_names import PLUGINS, PROGRAMME


async def test_follow_labour_market_in_telegram(telegram_bot, tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    bot = await telegram_bot(PLUGINS, clock=FakeClock("2027-09-01T06:00:00+00:00"),
                             env={"MINGEL_PROGRAMME": str(path)})
    [followed] = await bot.say(5, "/follow labour market policy network", language_code="en")
    assert followed.plain_text == ("You now follow Labour-market policy network. /next shows "
                                   "its next meeting, and I'll tell you when a meeting is added to it.")
    [listed] = await bot.say(5, "/programme labour market")
    assert listed.plain_text.startswith("Upcoming meetings of Labour-market policy network")
