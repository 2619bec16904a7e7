"""End to end, through the real PTB Application and the Bot API stub with a fake clock: Eva
follows Tuesday online and comes in person on Wednesday; her reminder before Tuesday brings
the private link without the venue or the health declaration, the one before Wednesday the
venue and the "Fill in" button, which opens the declaration; switching Wednesday online while
that reminder waits to be tried again withdraws it."""
from __future__ import annotations

from datetime import datetime

from assistant.clock import FakeClock
from tests.test_gathering_in_person_day import HYBRID, IN_PERSON_DAY, PLUGINS
from tests.test_health_support import NOW, programme_file

EVA = 58


def at(moment: str) -> datetime:
    """A local time in Stockholm (summer time)."""
    return datetime.fromisoformat(moment + "+02:00")


def in_person_days(bot) -> list:
    return [m for m in bot.stub.messages_to(EVA)
            if (m.plain_text or "").startswith(IN_PERSON_DAY)]


async def eva_online_on_tuesday(telegram_bot):
    """Eva's answer, and her last reminder before Tuesday."""
    clock = FakeClock(NOW)
    bot = await telegram_bot(PLUGINS, clock=clock,
                             env={"MINGEL_PROGRAMME": programme_file(HYBRID)})
    [card] = await bot.say(EVA, "/event required", first_name="Eva", language_code="en")
    await bot.tap(EVA, card.message_id, "Coming in person")
    [card] = await bot.tap(EVA, card.message_id, "💻 Tue 10 Aug online instead")
    assert "Coming in person (Wed 11 Aug), Coming online (Tue 10 Aug)" in card.plain_text
    clock.set(at("2027-08-10T09:01"))
    await bot.assistant.tick()
    await bot.outbox()
    [tuesday] = [m for m in bot.stub.messages_to(EVA) if "⏰" in (m.plain_text or "")]
    assert tuesday.plain_text.startswith("⏰ Reminder: The two-day gathering starts in 1 hour.")
    assert 'href="https://zoom.us/j/61234567890"' in tuesday.text
    assert "📍" not in tuesday.plain_text and "Health" not in tuesday.plain_text
    assert tuesday.buttons == ["Reminder settings"]
    return bot, clock, card


async def test_the_venue_and_the_declaration_come_before_her_day_in_person(
        telegram_bot) -> None:
    bot, clock, _card = await eva_online_on_tuesday(telegram_bot)
    clock.set(at("2027-08-11T09:01"))
    await bot.assistant.tick()
    await bot.outbox()
    [wednesday] = in_person_days(bot)
    assert wednesday.plain_text.startswith(IN_PERSON_DAY + " 1 hour.")
    assert "Wednesday, 11 August 2027, 10:00–15:00" in wednesday.plain_text
    assert "📍 F7, Fleminggatan 7, Stockholm" in wednesday.plain_text
    assert "zoom.us" not in wednesday.text
    assert "⚠️ Health declaration missing" in wednesday.plain_text
    assert wednesday.buttons == ["Fill in health declaration", "Reminder settings"]
    [question] = await bot.tap(EVA, wednesday.message_id, "Fill in health declaration")
    assert "Do you have a fever today?" in question.plain_text


async def test_switching_wednesday_online_withdraws_it(telegram_bot) -> None:
    bot, clock, card = await eva_online_on_tuesday(telegram_bot)
    clock.set(at("2027-08-11T09:01"))
    bot.stub.fail_next(1, 500, methods=["sendMessage"])
    await bot.assistant.tick()
    await bot.outbox()
    failed = bot.stub.calls("sendMessage")[-1]
    assert failed.status == 500 and "your day in person" in failed.params["text"]
    [card] = await bot.tap(EVA, card.message_id, "💻 Wed 11 Aug online instead")
    assert "Coming in person" not in card.plain_text
    for _ in range(4):
        clock.advance(minutes=1)
        await bot.assistant.tick()
        await bot.outbox()
    assert in_person_days(bot) == []


async def test_still_queued_when_wednesday_began_it_is_dropped(telegram_bot) -> None:
    """Telegram is down from Wednesday 09:01 to 10:00:30: "your day in person starts in 1
    hour" after the start is worse than none."""
    bot, clock, _card = await eva_online_on_tuesday(telegram_bot)
    bot.stub.go_offline()
    clock.set(at("2027-08-11T09:01"))
    await bot.assistant.tick()
    await bot.stub.wait_until(lambda: bot.stub.calls("sendMessage")[-1].status == 502)
    [waiting] = [d["key"] for d in bot.assistant.outbox.pending()]
    assert waiting == f"reminders:required:{int(at('2027-08-11T10:00').timestamp())}:" \
                      f"{EVA}:in_person:3600", "Wednesday's start, Eva, the lead time"
    clock.set(at("2027-08-11T10:00:30"))
    await bot.assistant.tick()
    bot.stub.go_online()
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()
    assert in_person_days(bot) == []
