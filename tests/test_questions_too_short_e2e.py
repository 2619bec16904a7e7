"""End to end: a question that cannot be one ("5": no letters) is answered kindly in the
asker's language and kept as a draft; the words sent next complete it, through PTB and the
Bot API stub. Before, `/ask ID 5` offered to send "5" to the speaker."""
from __future__ import annotations

from tests.test_questions_e2e import start
from tests.test_questions_support import CECILIA


async def test_five_waits_for_its_words_and_is_sent_with_them(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [short] = await bot.say(CECILIA, "/fråga am-09-02 5")
    assert short.plain_text.startswith(
        "Din fråga inför Arbetsmarknaden efter corona behöver några ord (minst 3 bokstäver) för "
        "att säga vad du undrar. Du skrev:\n\n5\n\n")
    assert short.buttons == [], "nothing to send yet"
    assert [d["text"] for d in bot.assistant.store.table("questions_drafts").all()] == ["5"]
    [back] = await bot.say(CECILIA, "frågor om arbetsmarknaden 2028, hur hinner vi?")
    assert "5 frågor om arbetsmarknaden 2028, hur hinner vi?" in back.plain_text
    [done] = await bot.tap(CECILIA, back.message_id, "🕶 Fråga anonymt")
    assert done.plain_text.startswith("Tack!")
    [asked] = bot.assistant.store.table("questions_items").all()
    assert asked["text"] == "5 frågor om arbetsmarknaden 2028, hur hinner vi?"
    assert bot.assistant.store.table("questions_drafts").all() == []
