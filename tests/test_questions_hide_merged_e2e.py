"""End to end (PTB and the Bot API stub): hiding a question that others were merged into. It used
to leave them merged into a hidden question, their votes counting nowhere and their askers told
that their vote counted there; now they go back to the queue, each on its own."""
from __future__ import annotations

from assistant.flood import FloodControl
from tests.test_questions_e2e import ask, start
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, ORGANISER

ANNAS, BOS, CECILIAS = "What will wages do?", "And pay in general?", "Stiger lönerna?"


async def test_hiding_a_merge_target_sends_its_duplicates_back_to_the_queue(telegram_bot,
                                                                           tmp_path) -> None:
    """Bo's #2 and Cecilia's #3 were merged into Anna's #1; Olga had upvoted #1 and #2. The
    moderator hides #1: told that two questions went back to the queue, she finds #2 (with
    Olga's vote) and #3 waiting for approval on their own. Bo and Cecilia, who had been told
    their vote counts for #1, get the correction, each in their language; Anna hears nothing.
    Approving #1 again lists it with Olga's vote alone, #2 and #3 still on their own."""
    bot = await start(telegram_bot, tmp_path)
    bot.assistant.flood = FloodControl(burst=10**9)
    await ask(bot, ANNA, ANNAS, event="am-live")
    await ask(bot, BO, BOS, event="am-live")
    await ask(bot, CECILIA, CECILIAS, event="am-live", label="👤 Visa mitt namn")
    [listing] = await bot.say(ORGANISER, "/questions am-live")
    for label in ("👍 #1", "👍 #2"):
        await bot.tap(ORGANISER, listing.message_id, label)
    _header, *cards = await bot.say(MODERATOR, "/moderate am-live", count=4)
    annas, bos, cecilias = (next(c for c in cards if c.plain_text.startswith(f"#{n} ·"))
                            for n in (1, 2, 3))
    for card, asker in ((bos, BO), (cecilias, CECILIA)):
        await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
        await bot.tap(MODERATOR, card.message_id, f"#1 · {ANNAS}")
        await bot.outbox()
        [told] = await bot.stub.wait_sent(asker)
        assert ANNAS in told.plain_text
    [merged] = await bot.say(BO, "/questions am-live")
    assert "#1 · 👍 3 · Anna Andersson" in merged.plain_text
    anna_had = len(bot.stub.messages_to(ANNA))

    query = await bot.stub.press_button(MODERATOR, annas.message_id, "🙈 Hide")
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == (
        "Hidden. 2 questions merged into it went back to the queue, waiting for approval.")
    await bot.outbox()
    [bo] = await bot.stub.wait_sent(BO)
    assert bo.plain_text == ("Correction: your question at Skills supply was not merged after "
                             f"all. It waits for a moderator's approval on its own again:\n\n"
                             f"{BOS}\n\nI'll tell you when it has been answered.")
    [cecilia] = await bot.stub.wait_sent(CECILIA)
    assert cecilia.plain_text == (
        "Rättelse: din fråga inför Kompetensförsörjning har inte slagits ihop med någon annan "
        "fråga. Den väntar igen som en egen fråga på att en moderator godkänner den:\n\n"
        f"{CECILIAS}\n\nJag säger till när den har besvarats.")

    header, *cards = await bot.say(MODERATOR, "/moderate am-live", count=4)
    assert "Waiting: 2 · published: 0 · hidden: 1" in header.plain_text
    assert [c.plain_text.split("\n")[0] for c in cards] == [
        "#2 · Waiting for approval · 👍 1", "#3 · Waiting for approval · 👍 0",
        "#1 · Hidden · 👍 1"]
    assert not any("Merged into" in c.plain_text for c in cards)
    [approved] = await bot.tap(MODERATOR, cards[0].message_id, "✅ Approve")
    assert approved.plain_text.startswith("#2 · Published · 👍 1")
    [back] = await bot.tap(MODERATOR, cards[2].message_id, "✅ Approve")
    assert back.plain_text.startswith("#1 · Published · 👍 1")
    [listing] = await bot.say(BO, "/questions am-live")
    assert "#1 · 👍 1 · Anna Andersson" in listing.plain_text
    assert "#2 · 👍 1 · Bo (yours)" in listing.plain_text and CECILIAS not in listing.plain_text
    await bot.outbox()
    assert len(bot.stub.messages_to(ANNA)) == anna_had, "the hidden question's asker is not told"
