"""End to end: free text to the real PTB bot with every built-in plugin, against the Bot API
stub: a question about the next meeting gets its card and map, other text a pointer."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_programme_chat import PROGRAMME

SVEN, EMMA = 10, 11
NOW = "2027-08-01T08:00:00+00:00"


async def test_free_text_gets_the_next_meeting_or_a_pointer(telegram_bot, tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    bot = await telegram_bot(clock=FakeClock(NOW), env={"MINGEL_PROGRAMME": str(path)})
    card, venue = await bot.say(SVEN, "Hej! När är nästa träff?", count=2, language_code="sv")
    assert card.method == "sendMessage" and venue.method == "sendVenue"
    assert card.plain_text.startswith("Nästa träff")
    assert "Arbetsmarknaden efter corona" in card.plain_text
    assert venue.plain_text == "F7\nFleminggatan 7, Stockholm"
    [listing] = await bot.say(EMMA, "where can I see the programme?", language_code="en")
    assert listing.plain_text.splitlines()[0] == "Upcoming meetings"
    [pointer] = await bot.say(EMMA, "hello, is anyone there?", language_code="en")
    assert pointer.plain_text == (
        "I didn't understand that. Send /next for the next meeting, /programme for all "
        "meetings, or /help for everything I can do.")
