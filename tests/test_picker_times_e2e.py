"""End to end through the real PTB bot and the Bot API stub: the meeting pickers of /broadcast
and /calendar name the time a meeting starts, and /doorlist says it is by name."""
from __future__ import annotations

from assistant.clock import FakeClock

ORGANISER = 1
FLEXICURITY = "tis 21 sep. 09:30 · Flexicurity i Danmark"


async def test_pickers_show_the_time_and_a_tap_on_one_opens_that_meeting(telegram_bot) -> None:
    bot = await telegram_bot(None, env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-01T07:00:00+00:00"))
    [menu] = await bot.say(ORGANISER, "/broadcast", language_code="sv")
    [events] = await bot.tap(ORGANISER, menu.message_id, "Deltagarna på en träff")
    [label] = [b for b in events.buttons if b.startswith(FLEXICURITY)]
    assert events.buttons[0].startswith("fre 20 aug. 10:00 · ")
    [which] = await bot.tap(ORGANISER, events.message_id, label)
    assert "Flexicurity i Danmark" in which.plain_text

    [picker] = await bot.say(40, "/calendar", language_code="sv")
    assert any(b.startswith(FLEXICURITY) for b in picker.buttons)
    [file] = await bot.tap(40, picker.message_id, label)
    assert file.document_name == "am-2027-09-21.ics"

    for user, name in ((30, "Karin"), (10, "Anna")):
        [card] = await bot.say(user, "/rsvp am-2027-09-21", first_name=name, language_code="sv")
        await bot.tap(user, card.message_id, "Kommer på plats", count=2)
    [door] = await bot.say(ORGANISER, "/doorlist am-2027-09-21")
    assert "Efter namn, A till Ö." in door.plain_text
    assert door.plain_text.index("1. Anna") < door.plain_text.index("2. Karin")
