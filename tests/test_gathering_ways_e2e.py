"""End to end through the real PTB Application: a two-day hybrid conference, Eva in
Stockholm on day one and following day two from home (docs/rsvp.md)."""
from __future__ import annotations

import csv as csv_module
import io
from pathlib import Path

from assistant.clock import FakeClock
from tests.test_calendar import validate
from tests.test_gathering_ways import EVA, NOW, ORG, PLUGINS, PROGRAMME, SVEN, locations


async def start(telegram_bot, tmp_path: Path):
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME.replace("CAP", "1"), encoding="utf-8")
    return await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                              env={"MINGEL_PROGRAMME": str(path),
                                   "MINGEL_ORGANISERS": str(ORG)})


async def test_eva_in_person_on_day_one_and_online_on_day_two(telegram_bot,
                                                              tmp_path: Path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [card] = await bot.say(EVA, "/rsvp konf", first_name="Eva", language_code="en")
    await bot.tap(EVA, card.message_id, "Coming in person", count=2)
    sent = len(bot.stub.sent)
    query = await bot.stub.press_button(EVA, card.message_id, "💻 Sun 28 Nov online instead")
    edited, ics = await bot.reaction(EVA, sent, 2)
    assert ("Your answer: Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)"
            in edited.plain_text)
    assert "🪑 Sun 28 Nov in person instead" in edited.buttons
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == "Saved: Coming online on Sun 28 Nov"
    assert ics.method == "sendDocument" and ics.document_name == "konf.ics"
    entries = validate(ics.document_bytes).walk("VEVENT")  # one file, both days
    assert locations(entries) == [(27, "Norra Latin, Drottninggatan 71B, Stockholm"),
                                  (28, "Online (Zoom)")]
    [mine] = await bot.say(EVA, "/my")
    assert ("Sat 27 Nov 09:00 – The conference: Coming in person (Sat 27 Nov), Coming online "
            "(Sun 28 Nov)") in mine.plain_text

    # the seat is counted on day one only: Sven finds day one full and day two free
    [card] = await bot.say(SVEN, "/rsvp konf", first_name="Sven", language_code="sv")
    assert "Lör 27 nov.: fullbokat på plats, sön 28 nov.: 1 av 1 plats kvar" in card.plain_text
    [edited] = await bot.tap(SVEN, card.message_id, "Kommer på plats")
    assert "Ditt svar: Kommer på plats – väntelista, plats 1" in edited.plain_text
    # following day two online, he waits for day one's seat only
    edited, ics = await bot.tap(SVEN, card.message_id, "💻 sön 28 nov. online i stället",
                                count=2)
    assert ("Ditt svar: Kommer på plats – väntelista, plats 1 (lör 27 nov.), Deltar online "
            "(sön 28 nov.)") in edited.plain_text
    assert locations(validate(ics.document_bytes).walk("VEVENT")) == [(28, "Online (Zoom)")]

    [listing, csv] = await bot.say(ORG, "/attendees konf", count=2, first_name="Olle",
                                   language_code="en")
    assert "Sat 27 Nov – In person: 1 · Online: 0" in listing.plain_text
    assert "Sun 28 Nov – In person: 0 · Online: 2" in listing.plain_text
    assert "Eva – Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)" in listing.plain_text
    assert ("1. Sven – Coming in person – waiting list, place 1 (Sat 27 Nov), Coming online "
            "(Sun 28 Nov)") in listing.plain_text
    rows = {row[0]: row for row in csv_module.reader(
        io.StringIO(csv.document_bytes.decode("utf-8-sig")))}
    assert "in person, online" in rows["Eva"]
    assert "2027-11-27 2027-11-28 (online)" in rows["Eva"]
    assert any("in person: waiting list, place 1" in value for value in rows["Sven"])
