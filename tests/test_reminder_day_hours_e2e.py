"""End to end, through the real PTB Application and the Bot API stub: the reminder before a
person's first day of a gathering gives that day's hours and names their later days."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_gathering_reminders import ORG, PLUGINS
from tests.test_gathering_reminders_e2e import at, reminders_to
from tests.test_reminder_day_hours import NOW, PROGRAMME

SVEN, EMMA = 42, 43


async def test_the_reminder_gives_ones_day_and_later_days(telegram_bot, tmp_path: Path) -> None:
    """Sven comes on Thursday and Saturday of a three-day conference, Emma to all three
    evenings of a festival: the day before, Sven's reminder gave "torsdag 14 – lördag 16
    oktober 2027 kl. 09:30–15:00 varje dag", Friday included."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    clock = FakeClock(NOW)
    bot = await telegram_bot(PLUGINS, clock=clock,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    [card] = await bot.say(SVEN, "/rsvp tre", first_name="Sven", language_code="sv")
    await bot.tap(SVEN, card.message_id, "Kommer på plats", count=2)
    edited, _ics = await bot.tap(SVEN, card.message_id, "☑ fre 15 okt.", count=2)
    assert "Dina dagar: tors 14 okt., lör 16 okt." in edited.plain_text
    [card] = await bot.say(EMMA, "/rsvp fest", first_name="Emma", language_code="en")
    await bot.tap(EMMA, card.message_id, "Coming in person", count=2)

    clock.set(at("2027-10-13T09:31"))
    await bot.assistant.tick()
    await bot.outbox()
    [sven] = reminders_to(bot, SVEN)
    assert sven.startswith("⏰ Påminnelse: Tredagarskonferensen börjar om 1 dag.\n\n"
                           "🕘 torsdag 14 oktober 2027 kl. 09:30–15:00\n"
                           "📅 Din senare dag: lör 16 okt.\n📍 F7")
    clock.set(at("2027-10-14T18:01"))
    await bot.assistant.tick()
    await bot.outbox()
    [emma] = reminders_to(bot, EMMA)
    assert emma.startswith("⏰ Reminder: Evening festival starts in 1 day.\n\n"
                           "🕘 Friday, 15 October 2027, 18:00–02:00\n"
                           "📅 Your later days: Sat 16 Oct, Sun 17 Oct\n📍 F7")
