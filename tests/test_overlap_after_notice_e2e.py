"""End to end: through the real PTB Application and the Bot API stub, a meeting Sanna waits
for is made online only, which gives her a place: after the notice that her answer is now
"Deltar online" comes the note that she is also down for another meeting at that hour."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_overlap_after_notice import ONLINE_ONLY
from tests.test_rsvp_overlap import FESTIVAL
from tests.test_rsvp_support import ORGANISER

EMMA, SANNA = 5, 6


async def test_a_place_given_by_the_notice_comes_with_the_double_booking_note(
        telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, FESTIVAL)
    [card] = await bot.say(EMMA, "/rsvp b", first_name="Emma", language_code="en")
    await bot.tap(EMMA, card.message_id, "Coming in person", count=2)
    [card] = await bot.say(SANNA, "/rsvp a", first_name="Sanna", language_code="sv")
    await bot.tap(SANNA, card.message_id, "Kommer på plats", count=2)
    [card] = await bot.say(SANNA, "/rsvp b", first_name="Sanna", language_code="sv")
    [waiting] = await bot.tap(SANNA, card.message_id, "Kommer på plats")
    assert "väntelista, plats 1" in waiting.plain_text
    before = len(bot.stub.messages_to(SANNA))

    preview = await reload(bot, path, ONLINE_ONLY)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=3)
    await bot.assistant.tick()
    await bot.outbox()

    notice, ics, note = bot.stub.messages_to(SANNA)[before:]
    assert "ditt svar är nu ”Deltar online”" in notice.plain_text
    assert ics.method == "sendDocument"
    assert note.method == "sendMessage"
    assert note.plain_text == ("⚠️ Havet stiger krockar med 1 av dina andra träffar.\n"
                               "Du har också Klimatet och jobben kl. 11:00–12:00 samma dag.")
