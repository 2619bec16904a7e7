"""End to end (session 35): through the real PTB Application and the Bot API stub, the people
on the waiting list of a hybrid meeting read which zone its time is in when a place opens
up for them, in Swedish and in English, and when fewer places move them to the waiting
list: "(…, 09:30–12:30, Sweden Time)", inside the sentence's brackets, not nested ones."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_rsvp_support import ORGANISER
from tests.test_time_zone_shown_notices import PROGRAMME

EMMA, OLLE, ALICE = 2, 3, 7
"""Emma and Olle write in Swedish; Alice, in London, in English."""


async def answer(bot, user: int, event: str, label: str, lang: str, count: int = 1):
    """The user opens the meeting and taps an answer; the card as it is then."""
    [card] = await bot.say(user, f"/rsvp {event}", language_code=lang)
    [*_, after] = await bot.tap(user, card.message_id, label, count=count)
    return card, after


async def test_a_place_opened_up_at_a_hybrid_meeting_names_the_zone_in_both_languages(
        telegram_bot, tmp_path) -> None:
    bot, _path, _clock = await organised(telegram_bot, tmp_path, PROGRAMME)
    emma, _ = await answer(bot, EMMA, "hybrid", "Kommer på plats", "sv", count=2)
    olle, waiting = await answer(bot, OLLE, "hybrid", "Kommer på plats", "sv")
    assert "väntelista, plats 1" in waiting.plain_text
    _alice, waiting = await answer(bot, ALICE, "hybrid", "Coming in person", "en")
    assert "waiting list, place 2" in waiting.plain_text

    await bot.tap(EMMA, emma.message_id, "Kan inte komma", count=2)
    await bot.outbox()
    news, ics = await bot.stub.wait_sent(OLLE, 2)
    assert news.plain_text == (
        "Goda nyheter! En plats har blivit ledig på Hybridträffen (torsdag 2 september 2027 kl. "
        "09:30–12:30, Sverigetid) och den är din. Ditt svar: Kommer på plats.")
    assert ics.document_name == "hybrid.ics"

    await bot.tap(OLLE, olle.message_id, "Kan inte komma", count=2)
    await bot.outbox()
    news, _ics = await bot.stub.wait_sent(ALICE, 2)
    assert news.plain_text == (
        "Good news! A place has opened up at The hybrid meeting (Thursday, 2 September 2027, "
        "09:30–12:30, Sweden Time) and it's yours. Your answer: Coming in person.")
    assert "<b>The hybrid meeting</b>" in news.params["text"]


async def test_fewer_seats_move_a_participant_abroad_to_the_waiting_list_with_the_zone(
        telegram_bot, tmp_path) -> None:
    two = PROGRAMME.replace("    capacity: 1\n", "    capacity: 2\n", 1)
    bot, path, clock = await organised(telegram_bot, tmp_path, two)
    await answer(bot, OLLE, "hybrid", "Kommer på plats", "sv", count=2)
    await answer(bot, ALICE, "hybrid", "Coming in person", "en", count=2)
    preview = await reload(bot, path, PROGRAMME)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    start = len(bot.stub.sent)
    clock.advance(minutes=3)
    await bot.assistant.tick()
    await bot.outbox()
    moved, removal = await bot.reaction(ALICE, start, 2)
    assert moved.plain_text == (
        "There are now fewer places at The hybrid meeting (Thursday, 2 September 2027, "
        "09:30–12:30, Sweden Time). As one of the last to answer, you're on the waiting list, "
        "place 1. I'll tell you at once if a place opens up.")
    assert removal.method == "sendDocument"
