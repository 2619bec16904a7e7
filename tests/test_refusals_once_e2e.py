"""End to end through the real PTB Application and the Bot API stub: a refused button press is
said once, the way Telegram users expect it: a short reason as the button's notice alone, a
reason that needs a button (or names a command) as a message without a notice repeating it."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_gathering_moves import GATHERING
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER

ANNA = 21


async def test_a_short_refusal_is_the_buttons_notice_and_nothing_else(telegram_bot,
                                                                      tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(GATHERING, encoding="utf-8")
    bot = await telegram_bot(REAL, clock=FakeClock(NOW),
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": str(path)})
    [card] = await bot.say(ANNA, "/rsvp days", language_code="en")
    await bot.tap(ANNA, card.message_id, "Coming in person", count=2)  # the card, the file
    await bot.tap(ANNA, card.message_id, "☑ Wed 24 Nov", count=2)  # the card, the new file
    start = len(bot.stub.sent)
    query = await bot.stub.press_button(ANNA, card.message_id, "☑ Thu 25 Nov")
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None, 5)
    assert bot.stub.callback_answer(query)["text"] == \
        "Keep at least one day, or answer “Can't come”."
    [help_reply] = await bot.say(ANNA, "/help")  # the chat's next message is the answer to it
    said = [r for r in bot.stub.sent[start:] if r.chat_id == ANNA
            and r.method not in ("answerCallbackQuery", "sendChatAction")]
    assert said == [help_reply]  # no message, no edit: the card still shows Thursday ticked
