"""End to end: control characters and invisible direction overrides typed into Telegram
(in a question, a name, a search) never reach a plugin, so nothing stores or echoes them;
the line breaks of a question stay."""
from __future__ import annotations

import unicodedata

from assistant.text import to_plain
from tests.test_questions_e2e import nudged, start
from tests.test_questions_support import MODERATOR

EVE = 1010
TYPED = ("Will\u202e wages\x07 rise?\r\nAnd\u2066 prices\x00\x7f\x85 too\u2069?\n"
         "Thanks 👩\u200d👩\u200d👧\tall")
SHOWN = "Will wages rise?\nAnd prices too?\nThanks 👩\u200d👩\u200d👧\tall"
UNSEEN = {"\u202e", "\u2066", "\u2069", "\x00", "\x07", "\x7f", "\x85", "\r"}


def unseen(text: str) -> set[str]:
    """The characters a person cannot see (line breaks and tabs aside) in a text."""
    return {c for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t"} | (
        UNSEEN & set(text))


async def test_a_question_typed_with_control_characters_is_stored_and_shown_without_them(
        telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    await bot.say(EVE, "/start", first_name="Eve\u202elyn\x1b", language_code="en")
    [prompt] = await bot.say(EVE, "/ask\u2066 am-09-02\x00")
    assert prompt.plain_text.startswith("What would you like to ask at The labour market")
    [back] = await bot.say(EVE, TYPED)
    assert SHOWN in back.plain_text and not unseen(back.plain_text)
    [done] = await bot.tap(EVE, back.message_id, "👤 Show my name")
    assert SHOWN in done.plain_text and not unseen(done.plain_text)
    [stored] = bot.assistant.store.table("questions_items").all()
    assert stored["text"] == SHOWN
    assert bot.assistant.store.table("assistant_users").get(EVE)["first_name"] == "Evelyn"

    await nudged(bot, MODERATOR)
    _header, card = await bot.say(MODERATOR, "/moderate am-09-02", count=2)
    assert SHOWN in card.plain_text and "— Evelyn ·" in card.plain_text
    assert not unseen(card.plain_text)
    [found] = await bot.say(EVE, "/search\x00 labour\u202e market\x7f")
    assert "“labour market”" in found.plain_text and not unseen(to_plain(found.text or ""))
