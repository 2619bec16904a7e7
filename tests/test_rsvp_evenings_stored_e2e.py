"""End to end, through the real PTB Application and the Bot API stub: an answer stored before
a gathering of evenings had its evenings as its days is read with its evenings."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from assistant.stub import BotApiStub
from tests.conftest import TOKEN, running_bot
from tests.test_gathering_evenings import NOW, PLUGINS, PROGRAMME
from tests.test_rsvp_evenings_stored import EVA, ORG, SVEN, write_old, write_waiting


async def test_sundays_small_hours_are_saturday_evening_on_the_card(
        telegram_bot, tmp_path: Path) -> None:
    """Sven chose Sunday 00:00–02:00 alone under the rule before: his card said "Dina dagar:
    sön 17 okt.", a day with no button, and counted him on both evenings."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME.replace("capacity: 1", "capacity: 3"), encoding="utf-8")
    write_old(tmp_path / "data")
    bot = await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    [card] = await bot.say(SVEN, "/rsvp fest", first_name="Sven", language_code="sv")
    assert "Dina dagar: lör 16 okt." in card.plain_text
    assert "fre 15 okt.: 2 av 3 platser kvar, lör 16 okt.: fullbokad" in card.plain_text
    assert [b for b in card.buttons if b[:1] in "☐☑"] == ["☐ fre 15 okt.", "☑ lör 16 okt."]


async def test_the_friday_seat_the_night_took_goes_to_eva_who_is_told(tmp_path: Path) -> None:
    """Sven's Sunday alone held Friday's one seat as well; once it is Saturday evening, Eva,
    who waited for Friday, gets the seat at the first start and a message saying so."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    write_waiting(tmp_path / "data")
    env = {"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)}
    async with BotApiStub(token=TOKEN) as stub:
        stub.add_user(EVA, first_name="Eva", language_code="en")  # she answered before
        async with running_bot(tmp_path, PLUGINS, clock=FakeClock(NOW), stub=stub,
                               env=env) as bot:
            await bot.outbox()
            told, *_files = stub.messages_to(EVA)
            assert [f.document_name for f in _files] == ["fest.ics"], _files
            assert told.plain_text == ("Good news! A place has opened up at Evening festival "
                                       "and it's yours for Fri 15 Oct. Your answer: Coming in "
                                       "person.")
            [card] = await bot.say(EVA, "/rsvp fest", first_name="Eva", language_code="en")
            assert "Your answer: Coming in person" in card.plain_text
            assert "waiting" not in card.plain_text.lower()
