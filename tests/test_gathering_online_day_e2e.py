"""End to end, through the real PTB Application and the Bot API stub with a fake clock: Eva
comes in person on Saturday and follows Sunday online; the reminder before her Sunday brings
the private link, is dropped when it still waits in the outbox once Sunday has begun, and is
withdrawn when she switches Sunday back to in person while it waits."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.clock import FakeClock
from tests.test_gathering_online_day import NOW, ONLINE_DAY
from tests.test_gathering_ways import ORG, PROGRAMME

EVA = 57
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar",
           "plugins.reminders"]


def at(moment: str) -> datetime:
    """A local time in Stockholm (winter time)."""
    return datetime.fromisoformat(moment + "+01:00")


def online_days(bot) -> list:
    return [m for m in bot.stub.messages_to(EVA) if (m.plain_text or "").startswith(ONLINE_DAY)]


async def eva_online_on_sunday(telegram_bot, tmp_path: Path):
    """Eva's answer, and her reminders up to Saturday's last one (with the link)."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME.replace("CAP", "40"), encoding="utf-8")
    clock = FakeClock(NOW)
    bot = await telegram_bot(PLUGINS, clock=clock,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    [card] = await bot.say(EVA, "/rsvp konf", first_name="Eva", language_code="en")
    card, _ics = await bot.tap(EVA, card.message_id, "Coming in person", count=2)
    card, _ics = await bot.tap(EVA, card.message_id, "💻 Sun 28 Nov online instead", count=2)
    assert "Coming online (Sun 28 Nov)" in card.plain_text
    for moment in ("2027-11-26T09:01", "2027-11-27T08:01"):
        clock.set(at(moment))
        await bot.assistant.tick()
        await bot.outbox()
    saturday = bot.stub.messages_to(EVA)[-1]
    assert saturday.plain_text.startswith("⏰ Reminder: The conference starts in 1 hour.")
    return bot, clock, card


async def test_the_link_comes_again_before_her_day_online(telegram_bot, tmp_path: Path) -> None:
    bot, clock, _card = await eva_online_on_sunday(telegram_bot, tmp_path)
    clock.set(at("2027-11-28T08:01"))
    await bot.assistant.tick()
    await bot.outbox()
    [sunday] = online_days(bot)
    assert sunday.plain_text.startswith(ONLINE_DAY + " 1 hour.")
    assert "Sunday, 28 November 2027, 09:00–16:00" in sunday.plain_text
    assert 'href="https://zoom.us/j/123"' in sunday.text
    clock.advance(minutes=30)
    await bot.assistant.tick()
    await bot.outbox()
    assert len(online_days(bot)) == 1


async def test_still_queued_when_sunday_began_it_is_dropped(telegram_bot,
                                                            tmp_path: Path) -> None:
    """Telegram is down from Sunday 08:01 to 09:00:30: "your day online starts in 1 hour"
    after the start is worse than none."""
    bot, clock, _card = await eva_online_on_sunday(telegram_bot, tmp_path)
    bot.stub.go_offline()
    clock.set(at("2027-11-28T08:01"))
    await bot.assistant.tick()
    await bot.stub.wait_until(lambda: bot.stub.calls("sendMessage")[-1].status == 502)
    [waiting] = [d["key"] for d in bot.assistant.outbox.pending()]
    assert waiting.startswith(f"reminders:konf:{int(at('2027-11-28T09:00').timestamp())}:"
                              f"{EVA}:online:"), "Sunday's start, Eva, the link's hash"
    clock.set(at("2027-11-28T09:00:30"))
    await bot.assistant.tick()
    bot.stub.go_online()
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()
    assert online_days(bot) == []


async def test_switching_sunday_back_in_person_withdraws_it(telegram_bot,
                                                            tmp_path: Path) -> None:
    """The reminder fails once and waits to be tried again; meanwhile Eva will come in person
    on Sunday after all: it never goes (the link to a day she no longer follows online)."""
    bot, clock, card = await eva_online_on_sunday(telegram_bot, tmp_path)
    clock.set(at("2027-11-28T08:01"))
    bot.stub.fail_next(1, 500, methods=["sendMessage"])
    await bot.assistant.tick()
    await bot.outbox()
    failed = bot.stub.calls("sendMessage")[-1]
    assert failed.status == 500 and "your day online" in failed.params["text"]
    card, _ics = await bot.tap(EVA, card.message_id, "🪑 Sun 28 Nov in person instead",
                               count=2)
    assert "Coming online" not in card.plain_text
    for _ in range(4):
        clock.advance(minutes=1)
        await bot.assistant.tick()
        await bot.outbox()
    assert online_days(bot) == []
