"""End to end: the moderators' queue a page at a time while it changes (PTB and the Bot API
stub). 'Show more' used to page by position, so a question approved, merged or deleted between
two pages made the next page skip questions and show others again."""
from __future__ import annotations

import re

from assistant.flood import FloodControl
from tests.test_questions_e2e import ask, start
from tests.test_questions_support import ANNA, BO, CECILIA, ORGANISER


def numbers(records) -> list[int]:
    """The numbers of the question cards among these messages, in order."""
    return [int(m.group(1)) for r in records if (m := re.match(r"#(\d+) · ", r.plain_text or ""))]


async def test_every_question_is_shown_once_while_the_queue_changes_between_pages(
        telegram_bot, tmp_path) -> None:
    """Eleven waiting questions: the first page shows #1–#8. Before 'Show more' the organiser
    approves #1 and #2 and merges #5 into #6, Bo withdraws his #3 and #10 (/forget) and Cecilia
    asks #12. The next page shows #9, #11 and #12: every question still waiting exactly once,
    the deleted ones not at all, the approved ones not again."""
    bot = await start(telegram_bot, tmp_path, more=("plugins.privacy",))
    bot.assistant.flood = FloodControl(burst=10**9)
    for n in range(1, 12):
        await ask(bot, BO if n in (3, 10) else ANNA, f"Question {n}?")
    header, *page, more = await bot.say(ORGANISER, "/moderate am-09-02", count=10)
    assert "Waiting: 11" in header.plain_text
    assert numbers(page) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert more.plain_text == "3 more questions." and more.buttons == ["Show more"]
    [data] = [b["callback_data"] for row in more.reply_markup["inline_keyboard"] for b in row]
    assert len(data.encode()) <= 64

    for card in page[:2]:
        [approved] = await bot.tap(ORGANISER, card.message_id, "✅ Approve")
        assert "Published" in approved.plain_text
    await bot.tap(ORGANISER, page[4].message_id, "🔗 Merge into…")
    [merged] = await bot.tap(ORGANISER, page[4].message_id, "#6 · Question 6?")
    assert "Merged into #6." in merged.plain_text
    [prompt] = await bot.say(BO, "/forget")
    await bot.tap(BO, prompt.message_id, "Yes, delete everything")
    await ask(bot, CECILIA, "Question 12?", label="👤 Visa mitt namn")

    shown = len(bot.stub.messages_to(ORGANISER))
    await bot.tap(ORGANISER, more.message_id, "Show more", count=3)
    await bot.say(ORGANISER, "/moderate am-09-02", count=10)
    following = bot.stub.messages_to(ORGANISER)[shown:]
    assert numbers(following[:3]) == [9, 11, 12]
    assert following[3].plain_text.startswith("Moderating the questions"), \
        "nothing after the last page"
    everything = numbers(page) + numbers(following[:3])
    still_waiting = [6, 7, 8, 9, 11, 12]
    assert all(everything.count(n) == 1 for n in still_waiting), everything
    assert everything.count(1) == everything.count(2) == 1
    assert 10 not in everything
