"""End to end (PTB and the Bot API stub): what the askers of merged questions are told when the
question theirs went into still waits for approval, and after a /forget and an undone merge."""
from __future__ import annotations

from assistant.flood import FloodControl
from tests.test_questions_e2e import ask, nudged, start
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR

ANNAS, BOS, CECILIAS = "Will wages rise?", "And pay in general?", "Stiger lönerna?"


async def test_a_question_merged_into_one_still_waiting_is_told_the_truth(telegram_bot,
                                                                          tmp_path) -> None:
    """Bo's and Cecilia's waiting questions are merged into Anna's, which no moderator has
    approved yet. They are not told their vote counts for it (it counts nowhere until it is
    published), nor quoted its text (nobody but the moderators has read it): each is quoted
    their own question, told its number and that their vote counts once it is published —
    which it then does."""
    bot = await start(telegram_bot, tmp_path)
    bot.assistant.flood = FloodControl(burst=10**9)
    await ask(bot, ANNA, ANNAS)
    await ask(bot, BO, BOS)
    await ask(bot, CECILIA, CECILIAS, label="👤 Visa mitt namn")
    await nudged(bot, MODERATOR)
    _header, annas, bos, cecilias = await bot.say(MODERATOR, "/moderate am-09-02", count=4)
    for card in (bos, cecilias):
        await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
        [merged] = await bot.tap(MODERATOR, card.message_id, f"#1 · {ANNAS}")
        assert "Merged into #1." in merged.plain_text
    await bot.outbox()
    [bo] = await bot.stub.wait_sent(BO)
    assert bo.plain_text == ("Your question at The labour market after corona was merged with "
                             "a similar question, #1, that a moderator has not published yet:"
                             f"\n\n{BOS}\n\nOnce a moderator publishes it, your vote counts for "
                             "it, and I'll tell you when it has been answered.")
    [cecilia] = await bot.stub.wait_sent(CECILIA)
    assert cecilia.plain_text == (
        "Din fråga inför Arbetsmarknaden efter corona har slagits ihop med en liknande fråga, "
        f"#1, som en moderator ännu inte har publicerat:\n\n{CECILIAS}\n\nNär en moderator har "
        "publicerat den räknas din röst för den, och jag säger till när den har besvarats.")
    [listing] = await bot.say(BO, "/questions am-09-02")
    assert ANNAS not in listing.plain_text
    [approved] = await bot.tap(MODERATOR, annas.message_id, "✅ Approve")
    assert approved.plain_text.startswith("#1 · Published · 👍 2")
    [listing] = await bot.say(BO, "/questions am-09-02")
    assert f"#1 · 👍 2 · Anna Andersson\n{ANNAS}" in listing.plain_text
