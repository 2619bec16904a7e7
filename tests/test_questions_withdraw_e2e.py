"""End to end: withdrawing a sent question, through PTB and the Bot API stub."""
from __future__ import annotations

from tests.test_questions_e2e import ask, nudged, start
from tests.test_questions_support import ANNA, CECILIA, MODERATOR


async def test_withdraw_a_sent_question_in_telegram(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    done = await ask(bot, ANNA, "Is there a tpyo here?")
    assert done.buttons == ["💬 See the questions", "🗑 Withdraw my question"]
    await nudged(bot, MODERATOR)
    [sure] = await bot.tap(ANNA, done.message_id, "🗑 Withdraw my question")
    assert sure.method == "editMessageText"
    assert "Withdraw your question for The labour market after corona?" in sure.plain_text
    [gone] = await bot.tap(ANNA, sure.message_id, "Yes, withdraw it")
    assert gone.plain_text == ("Your question for The labour market after corona is "
                               "withdrawn. Ask again with /ask am-09-02.")
    [queue] = await bot.say(MODERATOR, "/moderate am-09-02")
    assert "tpyo" not in queue.plain_text
    swedish = await ask(bot, CECILIA, "Finns det ett stavfel?", label="👤 Visa mitt namn")
    [sure] = await bot.tap(CECILIA, swedish.message_id, "🗑 Dra tillbaka min fråga")
    [kept] = await bot.tap(CECILIA, sure.message_id, "Nej, behåll den")
    assert kept.plain_text == "Okej, din fråga ligger kvar."


async def test_withdraw_from_the_list_of_questions_in_telegram(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    await ask(bot, ANNA, "Second thoughts?", event="am-live")
    [listing] = await bot.say(ANNA, "/questions am-live")
    assert "🗑 Withdraw: Second thoughts?" in listing.buttons
    [sure] = await bot.tap(ANNA, listing.message_id, "🗑 Withdraw: Second thoughts?")
    [gone] = await bot.tap(ANNA, sure.message_id, "Yes, withdraw it")
    assert gone.plain_text.startswith("Your question for Skills supply is withdrawn.")
    [after] = await bot.say(ANNA, "/questions am-live")
    assert "Second thoughts?" not in after.plain_text
    assert not any(b.startswith("🗑") for b in after.buttons)
