"""End to end through the real PTB Application and the Bot API stub: Eva's calendar file of a
hackathon through the nights gives Sunday morning, which she follows online, its own place."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_gathering_night_ways import HACKATHON, VENUE, parts
from tests.test_gathering_ways import EVA, NOW, ORG, PLUGINS


async def test_the_file_sent_with_the_tap_cuts_the_span_into_its_days(telegram_bot,
                                                                      tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(HACKATHON, encoding="utf-8")
    bot = await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    [card] = await bot.say(EVA, "/rsvp konf", first_name="Eva", language_code="en")
    _card, ics = await bot.tap(EVA, card.message_id, "Coming in person", count=2)
    assert parts(ics.document_bytes) == [("Fri 13:00", "Sun 12:00", VENUE)]
    edited, ics = await bot.tap(EVA, card.message_id, "💻 Sun 28 Nov online instead", count=2)
    assert "Coming online (Sun 28 Nov)" in edited.plain_text
    assert ics.document_name == "konf.ics"
    assert parts(ics.document_bytes) == [("Fri 13:00", "Sat 00:00", VENUE),
                                         ("Sat 00:00", "Sun 00:00", VENUE),
                                         ("Sun 00:00", "Sun 12:00", "Online (Zoom)")]
    [again] = await bot.say(EVA, "/calendar konf")
    assert parts(again.document_bytes) == parts(ics.document_bytes)
