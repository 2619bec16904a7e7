"""End to end: a picker's own meetings, put first, are marked ✓ (their dates out of order
otherwise looked shuffled), through PTB and the Bot API stub; /ask puts them first as /event
and /rsvp do (it kept date order: a participant asks about the meetings she is coming to)."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_pickers_paging import NOW, label, season

SAM = 12


async def test_own_meetings_first_and_marked_in_telegram(telegram_bot, tmp_path) -> None:
    bot = await telegram_bot(None, clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": str(season(tmp_path / "season.yaml"))})
    [card] = await bot.say(SAM, "/rsvp m22", language_code="en")
    await bot.tap(SAM, card.message_id, "Maybe")
    [picker] = await bot.say(SAM, "/event")
    assert picker.buttons[:3] == ["✓ " + label(22), label(1), label(2)]
    [opened, *_] = await bot.tap(SAM, picker.message_id, "✓ " + label(22))
    assert opened.plain_text.startswith("Meeting 22")
    [asking] = await bot.say(SAM, "/ask")
    assert asking.buttons[:3] == picker.buttons[:3], "the pickers agree: her own first"
    await bot.tap(SAM, asking.message_id, "Show more")
    [last] = await bot.tap(SAM, asking.message_id, "Show more")
    assert last.buttons[:3] == [label(20), label(21), label(23)], "each meeting once"
