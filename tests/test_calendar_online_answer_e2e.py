"""End to end through PTB and the Bot API stub, with the real programme, RSVP and calendar
plugins: someone coming online to a meeting held both ways gets a calendar entry whose place
is the online platform, not the venue with its map pin (a calendar app then offered the way
to Fleminggatan and when to leave); switching the answer sends a file that supersedes the one
before (a higher SEQUENCE), in either direction."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_calendar import NOW, PROGRAMME, events_of, validate

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar"]
SAM, STINA = 81, 82


def entry(record) -> dict:
    """The one VEVENT of a file sent."""
    return events_of(validate(record.document_bytes))["oct"]


async def test_coming_online_puts_the_platform_in_the_calendar_not_the_venue(
        telegram_bot, tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    bot = await telegram_bot(PLUGINS, clock=FakeClock(NOW), env={"MINGEL_PROGRAMME": str(path)})
    card, _pin = await bot.say(SAM, "/event oct", count=2, language_code="en")
    _card, in_person = await bot.tap(SAM, card.message_id, "Coming in person", count=2)
    there = entry(in_person)
    assert there["LOCATION"] == "F7, Fleminggatan 7, Stockholm" and "GEO" in there
    _card, online = await bot.tap(SAM, card.message_id, "Coming online", count=2)
    assert online.document_name == "oct.ics"
    joined = entry(online)
    assert joined["LOCATION"] == "Online (Zoom)" and "GEO" not in joined
    assert joined["UID"] == there["UID"] and joined["SEQUENCE"] > there["SEQUENCE"]
    [bundle] = await bot.say(SAM, "/calendar")
    assert entry(bundle)["LOCATION"] == "Online (Zoom)"
    _card, back = await bot.tap(SAM, card.message_id, "Coming in person", count=2)
    assert entry(back)["LOCATION"] == "F7, Fleminggatan 7, Stockholm"
    assert entry(back)["SEQUENCE"] > joined["SEQUENCE"]

    card, _pin = await bot.say(STINA, "/event oct", count=2, language_code="sv")
    _card, online = await bot.tap(STINA, card.message_id, "Deltar online", count=2)
    assert entry(online)["LOCATION"] == "Online (Zoom)"
