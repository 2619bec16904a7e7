"""End to end: the participants' list of questions a page at a time while votes change it (PTB
and the Bot API stub). Next ▶ used to page by page number over the list ranked anew, so votes
cast between two pages moved questions from one page to another: some were never shown, others
twice."""
from __future__ import annotations

import re

from assistant.flood import FloodControl
from tests.test_questions_e2e import ask, start
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR

ASKERS = range(5001, 5013)


def numbers(message) -> list[int]:
    """The numbers of the questions listed in a message, in order."""
    return [int(n) for n in re.findall(r"^#(\d+) · ", message.plain_text, re.MULTILINE)]


async def test_votes_between_pages_skip_no_question_and_repeat_none(telegram_bot,
                                                                   tmp_path) -> None:
    """Twelve published questions: Bo's first page shows #1–#10. Before he taps Next ▶, Anna
    and Cecilia upvote #11 and #12 on their second page, Bo upvotes #5 on his first (which keeps
    its order), #11's asker withdraws it (/forget) and Anna asks #13. Bo's second page shows #12
    and #13: every question listed now exactly once, the deleted one not at all. ◀ Previous
    shows the first page as it was ordered."""
    bot = await start(telegram_bot, tmp_path, more=("plugins.privacy",))
    bot.assistant.flood = FloodControl(burst=10**9)
    for n, user in enumerate(ASKERS, 1):
        await bot.say(user, "/start", first_name=f"P{n}", language_code="en")
        await ask(bot, user, f"Question {n}?", event="am-live")
    [first] = await bot.say(BO, "/questions am-live")
    assert numbers(first) == list(range(1, 11))
    assert "Page 1 of 2" in first.plain_text and "Next ▶" in first.buttons
    data = [b["callback_data"] for row in first.reply_markup["inline_keyboard"] for b in row]
    assert all(len(d.encode()) <= 64 for d in data)

    [annas] = await bot.say(ANNA, "/questions am-live")
    [second] = await bot.tap(ANNA, annas.message_id, "Next ▶")
    assert numbers(second) == [11, 12]
    for label in ("👍 #11", "👍 #12"):
        [voted] = await bot.tap(ANNA, annas.message_id, label)
        assert numbers(voted) == [11, 12], "a vote keeps the reader on their page"
    [cecilias] = await bot.say(CECILIA, "/questions am-live")
    assert numbers(cecilias)[:2] == [11, 12] and "Nästa ▶" in cecilias.buttons
    [voted] = await bot.tap(CECILIA, cecilias.message_id, "👍 #12")
    assert numbers(voted) == numbers(cecilias)
    [voted] = await bot.tap(BO, first.message_id, "👍 #5")
    assert numbers(voted) == list(range(1, 11)), "the first page keeps the order it showed"
    assert "#5 · 👍 1 ·" in voted.plain_text and "👍 #5 ✓" in voted.buttons
    [prompt] = await bot.say(5011, "/forget")
    await bot.tap(5011, prompt.message_id, "Yes, delete everything")
    await ask(bot, ANNA, "Question 13?", event="am-live")

    [fresh] = await bot.say(MODERATOR, "/questions am-live")
    assert numbers(fresh)[:2] == [12, 5], "a new list ranks them as they are now"
    [second] = await bot.tap(BO, first.message_id, "Next ▶")
    assert numbers(second) == [12, 13]
    assert "Page 2 of 2" in second.plain_text and "Next ▶" not in second.buttons
    [rest] = await bot.tap(MODERATOR, fresh.message_id, "Next ▶")
    listed_now = sorted(numbers(fresh) + numbers(rest))
    seen = numbers(voted) + numbers(second)
    assert sorted(seen) == listed_now == [*range(1, 11), 12, 13], seen
    [back] = await bot.tap(BO, first.message_id, "◀ Previous")
    assert numbers(back) == list(range(1, 11)) and "Page 1 of 2" in back.plain_text
