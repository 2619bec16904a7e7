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
    assert question.method == "editMessageText" and question.message_id == card.message_id
    assert question.buttons == ["Leave the waiting list: Coming online", "Keep my place"]
    assert "Your answer: Coming in person – waiting list, place 1" in question.plain_text
    assert "takes you off it" in question.plain_text
    assert bot.stub.calls("answerCallbackQuery")[-1].params.get("text") == (
        "Not changed yet: you'd leave the waiting list.")
    edited, told = await bot.tap(6, card.message_id,
                                 "Leave the waiting list: Coming online", count=2)
    assert edited.method == "editMessageText" and edited.message_id == card.message_id
    shown = bot.stub.message(6, card.message_id)
    assert shown is not None and "Your answer: Coming online – waiting list, place 2" in shown.text
    assert "takes you off it" not in shown.text and "✓ Coming online" in shown.button_texts
    assert told.plain_text == (
        "You left the waiting list for a seat at The labour market after corona (you were "
        "place 1). The online places are full too: you're on the online waiting list now, "
        "place 2.")


async def test_keep_my_place_brings_the_card_back_unchanged(telegram_bot) -> None:
    bot = await telegram_bot(plugins(ProgrammeStub(FULL)),
                             env={"MINGEL_ORGANISERS": str(ORGANISER)}, clock=FakeClock(NOW))
    [card] = await bot.say(2, "/rsvp hybrid", language_code="en")
    await bot.tap(2, card.message_id, "Coming in person")
    [card] = await bot.say(5, "/rsvp hybrid", first_name="Sanna", language_code="sv")
    await bot.tap(5, card.message_id, "Kommer på plats")
    await bot.tap(5, card.message_id, "Kanske")
    [kept] = await bot.tap(5, card.message_id, "Behåll min plats")
    assert kept.method == "editMessageText" and kept.message_id == card.message_id
    assert "Ditt svar: Kommer på plats – väntelista, plats 1" in kept.plain_text
    assert "lämnar du den" not in kept.plain_text
    assert "✓ Kommer på plats" in kept.buttons and "Kanske" in kept.buttons
    assert bot.stub.calls("answerCallbackQuery")[-1].params.get("text") == (
        "Inget ändrat: du står kvar på väntelistan, plats 1.")
