"""End to end: through the real PTB Application and the Bot API stub, the /reload preview of a
two-day gathering made one day says that the person who was down only for the day removed
loses their seat, and the notices then put exactly that person on the waiting list."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_gathering_moves import ANNA, BEN, CLEO, GATHERING
from tests.test_gathering_shortened import THURSDAY
from tests.test_rsvp_support import ORGANISER


async def test_the_preview_of_a_shortened_gathering_counts_the_seat_it_takes(
        telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, GATHERING)
    for user, untick in ((ANNA, "☑ Thu 25 Nov"), (BEN, None), (CLEO, "☑ Wed 24 Nov")):
        [card] = await bot.say(user, "/rsvp days", language_code="en")
        await bot.tap(user, card.message_id, "Coming in person")
        if untick:
            await bot.tap(user, card.message_id, untick)
    await bot.outbox()
    before = {user: len(bot.stub.messages_to(user)) for user in (ANNA, BEN, CLEO)}

    preview = await reload(bot, path, THURSDAY)
    people = [line.strip() for line in preview.plain_text.splitlines() if "👥" in line]
    assert people == [("👥 1 person loses their seat and goes on the waiting list: none of the "
                       "days they were down for is part of the meeting any more.")]
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=3)
    await bot.assistant.tick()
    await bot.outbox()

    waiting = [user for user in (ANNA, BEN, CLEO)
               if any("you're on the waiting list" in (m.plain_text or "")
                      for m in bot.stub.messages_to(user)[before[user]:])]
    assert waiting == [ANNA]
    [card] = await bot.say(ANNA, "/rsvp days", language_code="en")
    assert "Coming in person – waiting list, place 1" in card.plain_text
