"""End to end (PTB and the Bot API stub): hiding a question whose duplicate had another merged into
it. The asker whose vote now lands on a question waiting for approval again is told so, once;
every moderator of the meeting learns that questions went back to the queue; and a question
hidden by the version that left its duplicates merged into it is put right when the bot starts."""
from __future__ import annotations

from contextlib import AsyncExitStack

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN, running_bot
from tests.test_questions_e2e import ask, start
from tests.test_questions_support import (
    ANNA,
    BO,
    CECILIA,
    MODERATOR,
    NOW,
    ORGANISER,
    OTHER_MODERATOR,
    plugins,
    programme_env,
)

ANNAS, BOS, CECILIAS = "What will wages do?", "And pay in general?", "Stiger lönerna?"
WAITS = ("Din fråga inför Kompetensförsörjning räknas för en liknande fråga, #2, som igen väntar "
         f"på att en moderator godkänner den:\n\n{CECILIAS}\n\nNär en moderator har publicerat "
         "den räknas din röst för den, och jag säger till när den har besvarats.")


async def chained(bot) -> list:
    """Anna's #1, Bo's #2 and Cecilia's #3 at a live meeting; Olga backs #2; Mona merges #3 into
    #2, then #2 into #1, and the askers' notices go out. Returns the queue's cards #1–#3."""
    bot.assistant.flood = FloodControl(burst=10**9)
    await ask(bot, ANNA, ANNAS, event="am-live")
    await ask(bot, BO, BOS, event="am-live")
    await ask(bot, CECILIA, CECILIAS, event="am-live", label="👤 Visa mitt namn")
    [listing] = await bot.say(ORGANISER, "/questions am-live")
    await bot.tap(ORGANISER, listing.message_id, "👍 #2")
    _header, *cards = await bot.say(MODERATOR, "/moderate am-live", count=4)
    annas, bos, cecilias = (next(c for c in cards if c.plain_text.startswith(f"#{n} ·"))
                            for n in (1, 2, 3))
    for card, into, asker in ((cecilias, f"#2 · {BOS}", CECILIA), (bos, f"#1 · {ANNAS}", BO)):
        await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
        await bot.tap(MODERATOR, card.message_id, into)
        await bot.outbox()
        await bot.stub.wait_sent(asker)
    return [annas, bos, cecilias]


async def test_hiding_the_end_of_a_chain_tells_whoever_it_concerns(telegram_bot,
                                                                   tmp_path) -> None:
    """Mona and Bosse moderate the network. Mona hides #1: Bo gets the correction, Cecilia (whose
    #3 counts for #2) is told in Swedish that #2 waits for approval again, Bosse that a question
    went back to the queue, with the button to it; Mona, who saw it said, gets no message.
    Bosse approving #2 from there tells Cecilia nothing more."""
    bot = await start(telegram_bot, tmp_path)
    await bot.say(OTHER_MODERATOR, "/start", first_name="Bosse", username="bosse",
                  language_code="en")
    await bot.say(ORGANISER, "/moderators arbetsmarknad add @bosse")
    await bot.outbox()
    await bot.stub.wait_sent(OTHER_MODERATOR)
    annas, _bos, _cecilias = await chained(bot)
    mona_had, cecilia_had = len(bot.stub.messages_to(MODERATOR)), len(bot.stub.messages_to(CECILIA))

    query = await bot.stub.press_button(MODERATOR, annas.message_id, "🙈 Hide")
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == (
        "Hidden. 1 question merged into it went back to the queue, waiting for approval.")
    await bot.outbox()
    [bo] = await bot.stub.wait_sent(BO)
    assert bo.plain_text.startswith("Correction: your question at Skills supply was not merged "
                                    "after all. It waits for a moderator's approval")
    [cecilia] = await bot.stub.wait_sent(CECILIA)
    assert cecilia.plain_text == WAITS
    [bosse] = await bot.stub.wait_sent(OTHER_MODERATOR)
    assert bosse.plain_text.startswith(
        "🙈 Question #1 was hidden, so 1 question merged into it went back to the queue, waiting "
        "for approval:\nSkills supply\nTuesday, 21 September 2027, 09:30–12:30")
    assert BOS not in bosse.plain_text and ANNAS not in bosse.plain_text
    assert bosse.buttons == ["🗂 Moderate the questions"]
    header, *cards = await bot.tap(OTHER_MODERATOR, bosse.message_id, "🗂 Moderate the questions",
                                   count=4)
    assert "Waiting: 1 · published: 0 · hidden: 2" in header.plain_text
    assert cards[0].plain_text.startswith("#2 · Waiting for approval · 👍 2")
    assert len(bot.stub.messages_to(MODERATOR)) == mona_had

    [approved] = await bot.tap(OTHER_MODERATOR, cards[0].message_id, "✅ Approve")
    assert approved.plain_text.startswith("#2 · Published · 👍 2")
    await bot.outbox()
    assert len(bot.stub.messages_to(CECILIA)) == cecilia_had + 1, "told once, never twice"


async def test_a_question_hidden_by_the_earlier_version_is_put_right_at_start(tmp_path) -> None:
    """The earlier version hid #1 and left #2 merged into it. At the next start #2 waits on its
    own again with its votes: Bo and Cecilia are told as after a hide now, and so is Mona, since
    nobody pressed the button; a further restart tells nobody again."""
    env = programme_env(tmp_path / "programme", MINGEL_ORGANISERS=str(ORGANISER))
    clock = FakeClock(NOW)
    async with BotApiStub(token=TOKEN) as stub:
        async with AsyncExitStack() as stack:
            async def telegram_bot(names, **kwargs):
                return await stack.enter_async_context(
                    running_bot(tmp_path, names, stub=stub, **kwargs))
            bot = await start(telegram_bot, tmp_path)
            await chained(bot)
            store = bot.assistant.store
            first = next(d.doc_id for d in store.table("questions_items").all()
                         if d["text"] == ANNAS)
            store.table("questions_items").update(first, {"status": "hidden"})
            store.set_meta("version:questions", 1)
        had = {user: len(stub.messages_to(user)) for user in (ANNA, BO, CECILIA, MODERATOR)}

        for _ in range(2):
            async with running_bot(tmp_path, plugins(), env=env, clock=clock, stub=stub) as bot:
                await bot.outbox()
                [header] = await bot.say(MODERATOR, "/moderate am-live", count=1)
                assert "Waiting: 1 · published: 0 · hidden: 2" in header.plain_text
        told = {user: [m.plain_text for m in stub.messages_to(user)[had[user]:]]
                for user in (ANNA, BO, CECILIA, MODERATOR)}
    assert told[ANNA] == []
    [bo] = told[BO]
    assert bo.startswith("Correction: your question at Skills supply was not merged after all. "
                         "It waits for a moderator's approval on its own again:")
    assert told[CECILIA] == [WAITS]
    notices = [t for t in told[MODERATOR] if t.startswith("🙈")]
    assert notices == [("🙈 Question #1 was hidden, so 1 question merged into it went back to "
                        "the queue, waiting for approval:\nSkills supply\nTuesday, 21 September "
                        "2027, 09:30–12:30\n\nParticipants see a question once a moderator has "
                        "approved it.")]


async def test_a_moderator_acting_on_a_chain_with_their_own_question_gets_only_the_answer(
        telegram_bot, tmp_path) -> None:
    """Olga (organiser, so a moderator) asked #3, which Mona merged into #2, and #2 into #1.
    Olga hides #1: the answer to her button says that a question went back; she gets no notice
    that her vote now lands on #2, which Bo's correction and Mona's news still go out. Olga
    then undoes her own #3's merge: no "Correction" about what she just did."""
    bot = await start(telegram_bot, tmp_path)
    bot.assistant.flood = FloodControl(burst=10**9)
    await ask(bot, ANNA, ANNAS, event="am-live")
    await ask(bot, BO, BOS, event="am-live")
    await ask(bot, ORGANISER, "Och lönerna?", event="am-live")
    _header, *cards = await bot.say(MODERATOR, "/moderate am-live", count=4)
    bos, olgas = (next(c for c in cards if c.plain_text.startswith(f"#{n} ·")) for n in (2, 3))
    for card, into, asker in ((olgas, f"#2 · {BOS}", ORGANISER), (bos, f"#1 · {ANNAS}", BO)):
        await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
        await bot.tap(MODERATOR, card.message_id, into)
        await bot.outbox()
        await bot.stub.wait_sent(asker)

    _header, *olga_cards = await bot.say(ORGANISER, "/moderate am-live", count=4)
    first = next(c for c in olga_cards if c.plain_text.startswith("#1 ·"))
    olga_had = len(bot.stub.messages_to(ORGANISER))
    query = await bot.stub.press_button(ORGANISER, first.message_id, "🙈 Hide")
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == (
        "Hidden. 1 question merged into it went back to the queue, waiting for approval.")
    await bot.outbox()
    [bo] = await bot.stub.wait_sent(BO)
    assert bo.plain_text.startswith("Correction: your question at Skills supply")
    [mona] = await bot.stub.wait_sent(MODERATOR)
    assert mona.plain_text.startswith("🙈 Question #1 was hidden")
    assert len(bot.stub.messages_to(ORGANISER)) == olga_had, "her card was edited, no more"

    third = next(c for c in olga_cards if c.plain_text.startswith("#3 ·"))
    query = await bot.stub.press_button(ORGANISER, third.message_id, "↩ Undo merge")
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == "Merge undone."
    await bot.outbox()
    assert len(bot.stub.messages_to(ORGANISER)) == olga_had
