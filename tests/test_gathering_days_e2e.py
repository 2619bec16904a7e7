"""End to end: the days of meetings and gatherings through the real PTB Application."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.clock import FakeClock
from tests.test_calendar import events_of, validate
from tests.test_gathering_days import NOW, ORG, PLUGINS, PROGRAMME, occurrences
from tests.test_gathering_reminders import PLUGINS as WITH_REMINDERS
from tests.test_gathering_reminders import PROGRAMME as CONFERENCE


async def start(telegram_bot, tmp_path: Path):
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                              env={"MINGEL_PROGRAMME": str(path),
                                   "MINGEL_ORGANISERS": str(ORG)})


async def test_a_dinner_past_midnight_is_answered_as_one_evening(telegram_bot,
                                                                 tmp_path: Path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [card] = await bot.say(5, "/rsvp nyar", first_name="Sven", language_code="sv")
    assert "fredag 31 december 2027 kl. 23:00–01:00" in card.plain_text
    assert "dagar" not in card.plain_text
    edited, ics = await bot.tap(5, card.message_id, "Kommer på plats", count=2)
    assert "Dina dagar" not in edited.plain_text
    assert not [b for b in edited.buttons if b[:1] in "☐☑"]
    event = events_of(validate(ics.document_bytes))["nyar"]
    assert (event.start.hour, event.end.hour) == (23, 1) and "RRULE" not in event


async def test_a_gathering_of_whole_days_shows_the_days_as_written(telegram_bot,
                                                                   tmp_path: Path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [card] = await bot.say(5, "/rsvp dagarna", first_name="Sven", language_code="sv")
    assert "onsdag 10 – torsdag 11 november 2027 (2 dagar)" in card.plain_text
    assert "00:00" not in card.plain_text
    await bot.tap(5, card.message_id, "Kommer på plats", count=2)
    [mine] = await bot.say(5, "/my")
    assert "• ons 10 nov. – Arbetsmarknadsdagarna: Kommer på plats" in mine.plain_text


async def test_the_calendar_file_covers_only_the_day_chosen(telegram_bot, tmp_path: Path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [card] = await bot.say(6, "/rsvp timed", first_name="Eva", language_code="en")
    edited, _ics = await bot.tap(6, card.message_id, "Coming in person", count=2)
    edited, _ics = await bot.tap(6, card.message_id, "☑ Wed 24 Nov", count=2)
    assert "Your days: Thu 25 Nov" in edited.plain_text
    [ics] = await bot.tap(6, card.message_id, "📅 Add to calendar")
    event = events_of(validate(ics.document_bytes))["timed"]
    assert [(s.day, s.hour, e.hour) for s, e in occurrences(event)] == [(25, 10, 15)]
    [mine] = await bot.say(6, "/my")
    assert "• Thu 25 Nov 10:00 – Autumn days: Coming in person" in mine.plain_text


async def test_unticking_a_day_sends_the_file_of_ones_days_with_a_higher_sequence(
        telegram_bot, tmp_path: Path) -> None:
    """The day tap itself brings the new file (sendDocument), so the dropped day leaves the
    calendar without a tap on 📅; the toast names the days kept."""
    bot = await start(telegram_bot, tmp_path)
    [card] = await bot.say(6, "/rsvp timed", first_name="Eva", language_code="en")
    _edited, ics = await bot.tap(6, card.message_id, "Coming in person", count=2)
    before = events_of(validate(ics.document_bytes))["timed"]
    assert [s.day for s, _ in occurrences(before)] == [24, 25]
    sent = len(bot.stub.sent)
    query = await bot.stub.press_button(6, card.message_id, "☑ Thu 25 Nov")
    edited, ics = await bot.reaction(6, sent, 2)
    assert "Your days: Wed 24 Nov" in edited.plain_text
    assert ics.method == "sendDocument" and ics.document_name == "timed.ics"
    after = events_of(validate(ics.document_bytes))["timed"]
    assert [s.day for s, _ in occurrences(after)] == [24]
    assert after["UID"] == before["UID"] and after["SEQUENCE"] > before["SEQUENCE"]
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == "Saved: your days (Wed 24 Nov)"
    [again] = await bot.tap(6, card.message_id, "📅 Add to calendar")
    assert again.document_bytes == ics.document_bytes


async def test_someone_coming_on_day_two_only_is_reminded_before_day_two(telegram_bot,
                                                                        tmp_path: Path) -> None:
    """Through Telegram: Sven chooses Friday only; the day before Thursday brings nothing, the
    day before Friday the reminder of Friday's hours (QA 40)."""
    path = tmp_path / "programme.yaml"
    path.write_text(CONFERENCE, encoding="utf-8")
    clock = FakeClock("2027-10-10T08:00:00+00:00")
    bot = await telegram_bot(WITH_REMINDERS, clock=clock, env={"MINGEL_PROGRAMME": str(path)})
    [card] = await bot.say(5, "/rsvp host", first_name="Sven", language_code="sv")
    await bot.tap(5, card.message_id, "Kommer på plats", count=2)
    edited, _ics = await bot.tap(5, card.message_id, "☑ tors 14 okt.", count=2)
    assert "Dina dagar: fre 15 okt." in edited.plain_text

    def reminders() -> list[str]:
        return [m.plain_text for m in bot.stub.messages_to(5) if "⏰" in (m.plain_text or "")]

    clock.set(datetime.fromisoformat("2027-10-13T09:31:00+02:00"))
    await bot.assistant.tick()
    await bot.outbox()
    assert reminders() == []
    clock.set(datetime.fromisoformat("2027-10-14T09:31:00+02:00"))
    await bot.assistant.tick()
    await bot.stub.wait_until(lambda: len(reminders()) == 1)
    [reminder] = reminders()
    assert reminder.startswith("⏰ Påminnelse: din dag på Höstkonferensen börjar om 1 dag.")
    assert "fredag 15 oktober 2027 kl. 09:30–15:00 (Sverigetid)" in reminder
