"""End to end: a double booking is pointed out in the chat through the real PTB bot."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_rsvp_overlap import FESTIVAL
from tests.test_rsvp_support import NOW, ORGANISER, ProgrammeStub, plugins


async def test_a_second_meeting_at_the_same_hour_comes_with_a_note_naming_the_first(
        telegram_bot) -> None:
    bot = await telegram_bot(plugins(ProgrammeStub(FESTIVAL)),
                             env={"MINGEL_ORGANISERS": str(ORGANISER)}, clock=FakeClock(NOW))
    [card] = await bot.say(5, "/rsvp a", first_name="Sanna", language_code="sv")
    edited, _ics = await bot.tap(5, card.message_id, "Kommer på plats", count=2)
    assert "Ditt svar: Kommer på plats" in edited.plain_text
    [card] = await bot.say(5, "/rsvp b", first_name="Sanna", language_code="sv")
    edited, note = await bot.tap(5, card.message_id, "Kanske", count=2)
    assert edited.method == "editMessageText" and "Ditt svar: Kanske" in edited.plain_text
    assert note.method == "sendMessage"
    assert note.plain_text == ("⚠️ Havet stiger krockar med 1 av dina andra träffar.\n"
                               "Du har också Klimatet och jobben kl. 11:00–12:00 "
                               "samma dag.")
    [card] = await bot.say(6, "/rsvp b", first_name="Sam", language_code="en")
    edited, ics = await bot.tap(6, card.message_id, "Coming in person", count=2)
    assert "Your answer: Coming in person" in edited.plain_text
    assert ics.document_name == "b.ics"  # nothing else: Sam has no other meeting
