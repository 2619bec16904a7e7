"""End to end (PTB and the Bot API stub): what the askers of merged questions are told when the
question theirs went into still waits for approval, and after a /forget and an undone merge."""
from __future__ import annotations

from assistant.flood import FloodControl
from tests.test_questions_e2e import ask, nudged, start
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, ORGANISER

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


async def test_an_undo_after_a_forget_corrects_what_the_asker_last_heard(telegram_bot,
                                                                         tmp_path) -> None:
    """Bo was told his question went into Anna's; a moderator merged hers on into Cecilia's.
    Anna uses /forget: Bo's takes her place, merged into Cecilia's, and his new notice (Telegram
    is slow to take it) waits. The moderator then undoes Bo's merge: the new notice is dropped,
    and Bo, who still believes his question merged with Anna's, gets the correction. Olga, who
    backed Bo's question, sees it listed with her vote again; Anna hears nothing more, and
    nothing quotes her text."""
    bot = await start(telegram_bot, tmp_path, more=("plugins.privacy",))
    bot.assistant.flood = FloodControl(burst=10**9)
    annas, bos, cecilias = "What does Acme AB pay?", "How will wages develop?", "Och lönerna?"
    await ask(bot, ANNA, annas, event="am-live")
    await ask(bot, BO, bos, event="am-live")
    await ask(bot, CECILIA, cecilias, event="am-live", label="👤 Visa mitt namn")
    [listing] = await bot.say(ORGANISER, "/questions am-live")
    await bot.tap(ORGANISER, listing.message_id, "👍 #2")
    _header, *cards = await bot.say(MODERATOR, "/moderate am-live", count=4)
    bo_card, anna_card, _cecilia_card = cards  # Bo's #2 has a vote, so it comes first
    assert bo_card.plain_text.startswith("#2 ·") and anna_card.plain_text.startswith("#1 ·")
    for card, target, asker in ((bo_card, f"#1 · {annas}", BO),
                                (anna_card, f"#3 · {cecilias}", ANNA)):
        await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
        await bot.tap(MODERATOR, card.message_id, target)
        await bot.outbox()
        [told] = await bot.stub.wait_sent(asker)
        assert "was merged with a similar one" in told.plain_text
    [prompt] = await bot.say(ANNA, "/forget")
    bot.stub.fail_next(1, 502, methods=["sendMessage"])  # Bo's next notice waits for a retry
    await bot.tap(ANNA, prompt.message_id, "Yes, delete everything")
    await bot.stub.wait_until(lambda: any(c.status == 502 for c in bot.stub.calls("sendMessage")))
    anna_had, bo_had = len(bot.stub.messages_to(ANNA)), len(bot.stub.messages_to(BO))

    _header, *cards = await bot.say(MODERATOR, "/moderate am-live", count=3)
    [merged] = [c for c in cards if "Merged into #3." in c.plain_text]
    assert merged.plain_text.startswith(f"#2 · Hidden · 👍 0\n{bos}")
    [undone] = await bot.tap(MODERATOR, merged.message_id, "↩ Undo merge")
    assert undone.plain_text.startswith("#2 · Published · 👍 1")
    await bot.outbox()
    [corrected] = await bot.stub.wait_sent(BO, since=bo_had)
    assert corrected.plain_text == ("Correction: your question at Skills supply was not merged "
                                    f"after all. It is listed on its own again:\n\n{bos}\n\n"
                                    "I'll tell you when it has been answered.")
    [listing] = await bot.say(ORGANISER, "/questions am-live")
    assert f"#2 · 👍 1 · Bo\n{bos}" in listing.plain_text and annas not in listing.plain_text
    assert "👍 #2 ✓" in listing.buttons
    await bot.outbox()
    assert len(bot.stub.messages_to(BO)) == bo_had + 1, "nothing after the correction"
    assert len(bot.stub.messages_to(ANNA)) == anna_had
    outbox = bot.assistant.store.table("assistant_outbox").all()
    assert not any(annas in str(item) for item in outbox)
