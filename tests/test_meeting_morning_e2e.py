"""End to end: a seat given up on the morning of a meeting, through the real PTB Application
and the Bot API stub: the next in line reads how long is left before it starts."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_rsvp_support import ORGANISER, plugins

MORNING = "2027-09-21T07:00:00+00:00"
"""09:00 in Stockholm, half an hour before "small" (09:30–12:30, one seat) starts."""


async def test_a_seat_freed_half_an_hour_before_tells_the_next_in_line_the_time_left(
        telegram_bot) -> None:
    bot = await telegram_bot(plugins(), env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock(MORNING))
    [emma] = await bot.say(2, "/rsvp small", first_name="Emma", language_code="sv")
    await bot.tap(2, emma.message_id, "Kommer på plats", count=2)
    [olle] = await bot.say(3, "/rsvp small", first_name="Olle", language_code="sv")
    [waiting] = await bot.tap(3, olle.message_id, "Kommer på plats")
    assert "väntelista, plats 1" in waiting.plain_text
    await bot.tap(2, emma.message_id, "Kan inte komma", count=2)
    note, ics = await bot.stub.wait_sent(3, 2)
    assert note.plain_text == (
        "Goda nyheter! En plats har blivit ledig på Litet möte (tisdag 21 september 2027 kl. "
        "09:30–12:30) och den är din. Ditt svar: Kommer på plats. Träffen börjar om 30 minuter.")
    assert ics.document_name == "small.ics"
