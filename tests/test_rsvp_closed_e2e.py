"""End to end: a late /osa for a meeting that is over, through the real PTB Application and
the Bot API stub, says once that it is over."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_health_support import programme_file
from tests.test_rsvp_closed import PLUGINS
from tests.test_rsvp_support import NOW, PROGRAMME


async def test_a_late_osa_is_one_card_that_says_the_meeting_is_over(telegram_bot) -> None:
    bot = await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": programme_file(PROGRAMME)})
    [card] = await bot.say(3, "/osa past", first_name="Olle", language_code="sv")
    assert card.plain_text.startswith("⌛ Träffen är över.\nVårmöte")
    assert card.plain_text.count("är över") == 1 and card.buttons == []
    [after] = await bot.say(3, "/language")  # replies go in order: nothing came between
    assert after.plain_text == "Välj språk:"
    assert [m.message_id for m in bot.stub.messages_to(3)] == [card.message_id,
                                                               after.message_id]
