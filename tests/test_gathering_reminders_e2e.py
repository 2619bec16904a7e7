"""End to end, through the real PTB Application and the Bot API stub: a reminder of a
gathering's later day that still waits in the outbox when that day begins is dropped, as one
of its first day is when the gathering begins; and a private link sent alone to someone who
comes on a later day speaks of their day."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.clock import FakeClock
from tests.test_gathering_reminders import NOW, ORG, PLUGINS, PRIVATE, PROGRAMME

SVEN, EMMA = 42, 43


def at(moment: str) -> datetime:
    """A local time in Stockholm (summer time)."""
    return datetime.fromisoformat(moment + "+02:00")


def reminders_to(bot, user: int) -> list[str]:
    return [r.plain_text for r in bot.stub.messages_to(user) if "⏰" in (r.plain_text or "")]


async def test_a_late_reminder_of_ones_day_is_dropped_when_the_day_has_begun(
        telegram_bot, tmp_path: Path) -> None:
    """Sven comes on Friday only, Emma on both days. Each one's last reminder still waits in
    the outbox (Telegram is down) when their day has begun: Emma's was dropped once Thursday
    began, but Sven's "your day starts in 1 hour" went on Friday at 09:31, after the start."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    clock = FakeClock(NOW)
    bot = await telegram_bot(PLUGINS, clock=clock,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    [card] = await bot.say(SVEN, "/rsvp host", first_name="Sven", language_code="sv")
    await bot.tap(SVEN, card.message_id, "Kommer på plats", count=2)
    edited, _ics = await bot.tap(SVEN, card.message_id, "☑ tors 14 okt.", count=2)
    assert "Dina dagar: fre 15 okt." in edited.plain_text
    [card] = await bot.say(EMMA, "/rsvp host", first_name="Emma", language_code="en")
    await bot.tap(EMMA, card.message_id, "Coming in person", count=2)

    await through_telegram_down(bot, clock, "2027-10-14T08:31", "2027-10-14T09:30:30")
    assert reminders_to(bot, EMMA) == [], "Thursday's reminder is stale once Thursday began"
    [day_before] = reminders_to(bot, SVEN)
    assert day_before.startswith("⏰ Påminnelse: din dag på Höstkonferensen börjar om 1 dag.")

    await through_telegram_down(bot, clock, "2027-10-15T08:31", "2027-10-15T09:30:30")
    assert reminders_to(bot, SVEN) == [day_before], "Friday's reminder is stale once Friday began"


async def through_telegram_down(bot, clock: FakeClock, due: str, begun: str) -> None:
    """Telegram is down from the last reminder's time (`due`) until the day has begun
    (`begun`): the reminder queued then waits in the outbox; then a tick a minute after
    Telegram is back, and everything still queued goes."""
    bot.stub.go_offline()
    clock.set(at(due))
    await bot.assistant.tick()
    await bot.stub.wait_until(lambda: bot.stub.calls("sendMessage")[-1].status == 502)
    clock.set(at(begun))
    await bot.assistant.tick()
    bot.stub.go_online()
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()


async def test_a_link_sent_alone_on_day_two_speaks_of_ones_day(telegram_bot,
                                                               tmp_path: Path) -> None:
    """Emma answers Coming online on Friday at 09:00, for Friday only, after the last
    reminder's time: the private link comes alone. It said "Träffen har redan börjat" ("It has
    already begun") of the gathering, which began the day before, though her day starts in
    half an hour."""
    path = tmp_path / "programme.yaml"
    path.write_text(PRIVATE, encoding="utf-8")
    clock = FakeClock(at("2027-10-15T09:00").isoformat())
    bot = await telegram_bot(PLUGINS, clock=clock,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    [card] = await bot.say(EMMA, "/rsvp host", first_name="Emma", language_code="sv")
    await bot.tap(EMMA, card.message_id, "Deltar online", count=2)
    edited, _ics = await bot.tap(EMMA, card.message_id, "☑ tors 14 okt.", count=2)
    assert "Dina dagar: fre 15 okt." in edited.plain_text
    start = len(bot.stub.sent)
    clock.advance(seconds=30)
    await bot.assistant.tick()
    await bot.outbox()
    [link] = await bot.reaction(EMMA, start)
    assert link.plain_text.startswith("Här är länken för att delta online i Höstkonferensen. "
                                      "Din dag där börjar om 30 minuter.")
    assert "fredag 15 oktober 2027 kl. 09:30–15:00" in link.plain_text
    assert 'href="https://zoom.us/j/61234567890"' in link.text
