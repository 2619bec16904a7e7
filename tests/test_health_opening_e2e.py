"""End to end, through the real PTB bot and the Bot API stub: refused a seat before the health
declaration opens, told when it does, and on from that message to the declaration; and the
change notice that quotes the organisers' new note."""
from __future__ import annotations

from datetime import timedelta

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from tests.test_health_opening import OPENS
from tests.test_health_support import NOW, plugins, programme_file
from tests.test_note_changes import EDIT_AT, WITH_NOTE
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import ORGANISER, PROGRAMME


async def test_told_in_swedish_when_booking_opens_and_on_to_the_declaration(
        telegram_bot) -> None:
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(), clock=clock,
                             env={"MINGEL_ORGANISERS": "1", "MINGEL_PROGRAMME": programme_file()})
    bot.assistant.flood = FloodControl(burst=10**9)
    [card] = await bot.say(301, "/event required", first_name="Anna", language_code="sv")
    [refused] = await bot.tap(301, card.message_id, "Kommer på plats")
    assert refused.method == "sendMessage"
    assert refused.plain_text.endswith(
        "när deklarationen öppnas, söndag 8 augusti 2027 kl. 10:00 – jag säger till då. Till "
        "dess kan du svara ”Kanske”.")
    [card] = await bot.tap(301, card.message_id, "Kanske")

    clock.set(OPENS + timedelta(seconds=30))
    start = len(bot.stub.sent)
    await bot.assistant.tick()
    await bot.outbox()
    [told] = await bot.reaction(301, start)
    assert told.plain_text.startswith(
        "📋 Nu är hälsodeklarationen för Tvådagarsträffen (tisdag 10 – onsdag 11 augusti 2027 "
        "kl. 10:00–15:00 varje dag) öppen")
    assert told.buttons == ["Fyll i hälsodeklaration"]
    [question] = await bot.tap(301, told.message_id, "Fyll i hälsodeklaration")
    assert "Fråga 1 av 3" in question.plain_text

    start = len(bot.stub.sent)
    await bot.assistant.tick()
    await bot.outbox()
    assert [r for r in bot.stub.sent[start:] if r.chat_id == 301] == [], "once"


async def test_the_change_notice_quotes_the_new_note(telegram_bot, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    clock = FakeClock(NOW)
    bot = await telegram_bot(REAL, clock=clock, env={"MINGEL_ORGANISERS": str(ORGANISER),
                                                     "MINGEL_PROGRAMME": str(path)})
    bot.assistant.flood = FloodControl(burst=10**9)
    [card] = await bot.say(301, "/event hybrid", first_name="Anna", language_code="sv")
    await bot.tap(301, card.message_id, "Kommer på plats", count=2)
    clock.set(EDIT_AT)
    path.write_text(WITH_NOTE, encoding="utf-8")
    [preview] = await bot.say(ORGANISER, "/reload", language_code="en")
    assert "Note: none → Note: we are in the Large Hall, 3rd floor" in preview.plain_text
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.set(EDIT_AT + timedelta(minutes=3))
    start = len(bot.stub.sent)
    await bot.assistant.tick()
    await bot.outbox()
    notice, ics = await bot.reaction(301, start, count=2)
    assert notice.plain_text.splitlines()[1:] == ["Ny anmärkning: ”Obs! Vi är i Stora salen, plan 3”"]
    assert ics.method == "sendDocument"

