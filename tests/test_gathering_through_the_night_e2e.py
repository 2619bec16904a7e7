"""End to end: a reminder of the later days of a gathering through the nights, in Swedish."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.clock import FakeClock
from tests.test_gathering_reminders import NOW, PLUGINS
from tests.test_gathering_through_the_night import PROGRAMME


async def test_the_later_days_of_a_gathering_through_the_night_read_as_one_span(
        telegram_bot, tmp_path: Path) -> None:
    """Through Telegram: Sven comes on Thursday and Friday of a hackathon from Wednesday 13:00
    to Friday 12:00; his reminder names Thursday's midnight to Friday noon, not
    '00:00–12:00 varje dag'."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    clock = FakeClock(NOW)
    bot = await telegram_bot(PLUGINS, clock=clock, env={"MINGEL_PROGRAMME": str(path)})
    [card] = await bot.say(5, "/rsvp lan", first_name="Sven", language_code="sv")
    await bot.tap(5, card.message_id, "Kommer på plats", count=2)
    edited, _ics = await bot.tap(5, card.message_id, "☑ ons 13 okt.", count=2)
    assert "Dina dagar: tors 14 okt., fre 15 okt." in edited.plain_text

    def reminders() -> list[str]:
        return [m.plain_text for m in bot.stub.messages_to(5) if "⏰" in (m.plain_text or "")]

    clock.set(datetime.fromisoformat("2027-10-13T00:01:00+02:00"))
    await bot.assistant.tick()
    await bot.stub.wait_until(lambda: len(reminders()) == 1)
    [reminder] = reminders()
    assert reminder.startswith("⏰ Påminnelse: din dag på Hackatonet börjar om 1 dag.")
    assert "🕘 torsdag 14 oktober 2027 kl. 00:00 – fredag 15 oktober 2027 kl. 12:00" in reminder
    assert "varje dag" not in reminder
