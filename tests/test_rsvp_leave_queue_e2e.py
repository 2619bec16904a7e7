"""End to end: leaving the waiting list for "Coming online" is asked first, then said plainly."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_rsvp_leave_queue import FULL
from tests.test_rsvp_support import NOW, ORGANISER, ProgrammeStub, plugins


async def test_the_waiting_place_is_kept_until_the_leave_button_and_the_reply_says_where_you_are(
        telegram_bot) -> None:
    bot = await telegram_bot(plugins(ProgrammeStub(FULL)),
                             env={"MINGEL_ORGANISERS": str(ORGANISER)}, clock=FakeClock(NOW))
    for user in (2, 3):
        [card] = await bot.say(user, "/rsvp hybrid", language_code="en")
        await bot.tap(user, card.message_id, "Coming online", count=2 if user == 2 else 1)
    [card] = await bot.say(5, "/rsvp hybrid", first_name="Sanna", language_code="sv")
    await bot.tap(5, card.message_id, "Kommer på plats", count=2)  # the seat
    [card] = await bot.say(6, "/rsvp hybrid", first_name="Sam", language_code="en")
    [edited] = await bot.tap(6, card.message_id, "Coming in person")
    assert "waiting list, place 1" in edited.plain_text
    [question] = await bot.tap(6, card.message_id, "Coming online")
    assert question.method == "sendMessage" and question.buttons == [
        "Leave the waiting list: Coming online"]
    assert "takes you off it" in question.plain_text
    assert bot.stub.calls("answerCallbackQuery")[-1].params.get("text") == (
        "Not changed yet: you'd leave the waiting list.")
    edited, told = await bot.tap(6, question.message_id,
                                 "Leave the waiting list: Coming online", count=2)
    assert told.plain_text == (
        "You left the waiting list for a seat at The labour market after corona (you were "
        "place 1). The online places are full too: you're on the online waiting list now, "
        "place 2.")
