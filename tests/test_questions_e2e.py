"""End to end: the questions plugin in the real PTB Application against the Bot API stub."""
from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from tests.test_questions_support import (
    ANNA,
    BO,
    CECILIA,
    MODERATOR,
    NOW,
    ORGANISER,
    plugins,
    programme_env,
)

HOSTILE = "<b>Bold?</b> & <script>alert('x')</script> *star* _under_ [link](http://e.vil) `code`"


async def start(telegram_bot, tmp_path, now: str = NOW, more: tuple[str, ...] = ()):
    """A bot with the test programme, an organiser who names a moderator, and three users."""
    env = programme_env(tmp_path / "programme", MINGEL_ORGANISERS=str(ORGANISER))
    bot = await telegram_bot([*plugins(), *more], env=env, clock=FakeClock(now))
    await bot.say(ORGANISER, "/start", first_name="Olga", language_code="en")
    await bot.say(MODERATOR, "/start", first_name="Mona", username="mona", language_code="en")
    await bot.say(ANNA, "/start", first_name="Anna", last_name="Andersson", language_code="en")
    await bot.say(BO, "/start", first_name="Bo", language_code="en")
    await bot.say(CECILIA, "/start", first_name="Cecilia", language_code="sv")
    [named] = await bot.say(ORGANISER, "/moderators arbetsmarknad add @mona")
    assert "Mona @mona (2) now moderates the questions" in named.plain_text
    await bot.outbox()
    await bot.stub.wait_sent(MODERATOR)
    return bot


async def ask(bot, user: int, text: str, event: str = "am-09-02", label: str = "👤 Show my name"):
    """Ask through the chat: /ask, the text, then the name/anonymous button."""
    [prompt] = await bot.say(user, f"/ask {event}")
    assert "?" in prompt.plain_text
    [back] = await bot.say(user, text)
    assert text in back.plain_text
    [done] = await bot.tap(user, back.message_id, label)
    assert done.method == "editMessageText"
    return done


async def nudged(bot, user: int) -> str:
    """The message that tells a moderator that questions wait, consumed so that it is not
    taken for the answer to their next command."""
    await bot.outbox()
    [nudge] = await bot.stub.wait_sent(user)
    assert "waiting for approval" in nudge.plain_text
    return nudge.plain_text


async def test_ask_approve_vote_follow_answer(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [prompt] = await bot.say(ANNA, "/ask am-09-02")
    assert prompt.plain_text.startswith("What would you like to ask at The labour market after "
                                        "corona?")
    [back] = await bot.say(ANNA, "Will the service be rebuilt?")
    assert "The organisers and the meeting's moderators can still see who asked." in back.plain_text
    assert back.buttons == ["👤 Show my name", "🕶 Ask anonymously", "✖ Cancel"]
    [done] = await bot.tap(ANNA, back.message_id, "👤 Show my name")
    assert "will be shown to everyone once a moderator has approved it." in done.plain_text
    assert (await nudged(bot, MODERATOR)).startswith("❓ 1 question for this meeting")
    await ask(bot, BO, "What about wages?", label="🕶 Ask anonymously")

    [empty] = await bot.say(CECILIA, "/questions am-09-02")
    assert "Inga frågor har publicerats än." in empty.plain_text

    header, *cards = await bot.say(MODERATOR, "/moderate am-09-02", count=3)
    assert "Mode: approval" in header.plain_text and "Waiting: 2" in header.plain_text
    assert "Anna Andersson" in cards[0].plain_text
    assert "Anonymous (asked by Bo)" in cards[1].plain_text
    for card in cards:
        [approved] = await bot.tap(MODERATOR, card.message_id, "✅ Approve")
        assert approved.method == "editMessageText" and "Published" in approved.plain_text

    [listing] = await bot.say(CECILIA, "/questions am-09-02")
    text = listing.plain_text
    assert text.index("Will the service be rebuilt?") < text.index("What about wages?")
    assert "Anonym" in text and "Bo" not in text.replace("Bostad", "")
    [voted] = await bot.tap(CECILIA, listing.message_id, "👍 #2")
    assert voted.plain_text.index("What about wages?") < \
        voted.plain_text.index("Will the service be rebuilt?")
    assert "👍 #2 ✓" in voted.buttons
    [unvoted] = await bot.tap(CECILIA, listing.message_id, "👍 #2 ✓")
    assert "👍 #2 ✓" not in unvoted.buttons and "👍 #2" in unvoted.buttons

    [bo_list] = await bot.say(BO, "/questions am-09-02")
    [following] = await bot.tap(BO, bo_list.message_id, "🔔 Follow questions")
    assert "🔕 Stop following" in following.buttons

    [answering] = await bot.tap(MODERATOR, cards[0].message_id, "🎤 Now answering")
    assert answering.plain_text.startswith("#") and "Now answering" in answering.plain_text
    await bot.outbox()
    [notice] = await bot.stub.wait_sent(BO)
    assert notice.plain_text == ("🎤 Now answering at The labour market after corona:\n\n"
                                 "Will the service be rebuilt?")
    [yours] = await bot.stub.wait_sent(ANNA)  # the asker hears it too, of her own question
    assert yours.plain_text == ("🎤 Your question at The labour market after corona is being "
                                "answered now:\n\nWill the service be rebuilt?")
    assert yours.buttons == ["💬 See the questions"]
    [answered] = await bot.tap(MODERATOR, cards[0].message_id, "✔ Answered")
    assert "Answered" in answered.plain_text
    await bot.outbox()
    [told] = await bot.stub.wait_sent(ANNA)
    assert told.plain_text.startswith("✅ Your question at The labour market after corona has "
                                      "been answered")
    assert not any("besvaras nu" in (r.plain_text or "") for r in bot.stub.messages_to(CECILIA))


async def test_forged_approve_from_a_participant_changes_nothing(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    await ask(bot, ANNA, "Is this approved?")
    [listing] = await bot.say(BO, "/questions am-09-02")
    items = bot.assistant.store.table("questions_items")
    [question] = items.all()
    query = await bot.stub.press(BO, listing.message_id, f"questions:approve:{question.doc_id}",
                                 check=False)
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == "Sorry, you can't do that."
    query = await bot.stub.press(BO, listing.message_id, f"questions:up:{question.doc_id}:0",
                                 check=False)
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert bot.stub.callback_answer(query)["text"] == "This question can't be voted on."
    assert items.get(question.doc_id)["status"] == "pending"
    assert bot.assistant.store.table("questions_votes").all() == []
    [still] = await bot.say(CECILIA, "/questions am-09-02")
    assert "Is this approved?" not in still.plain_text


async def test_hostile_text_arrives_exactly_as_typed(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    done = await ask(bot, ANNA, HOSTILE, event="am-live")
    assert HOSTILE in done.plain_text
    [listing] = await bot.say(BO, "/questions am-live")
    assert HOSTILE in listing.plain_text
    assert listing.text.count("<b>") == listing.text.count("</b>")
    await bot.tap(BO, listing.message_id, "🔔 Follow questions")
    _header, card = await bot.say(MODERATOR, "/moderate am-live", count=2)
    assert HOSTILE in card.plain_text
    await bot.tap(MODERATOR, card.message_id, "🎤 Now answering")
    await bot.outbox()
    [notice] = await bot.stub.wait_sent(BO)
    assert notice.plain_text.endswith(HOSTILE)
    [file] = await bot.say(MODERATOR, "/questions am-live csv")
    rows = list(csv.reader(io.StringIO(file.document_bytes.decode("utf-8-sig"))))
    assert rows[1][1] == HOSTILE and rows[1][3] == "Anna Andersson"


async def test_closed_after_the_meeting(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path, now="2027-09-02T10:31:00+00:00")
    [refused] = await bot.say(ANNA, "/ask am-09-02")
    assert refused.plain_text == ("Questions for this meeting closed on Thursday, 2 September "
                                  "2027 at 12:30.")
    [sv] = await bot.say(CECILIA, "/ask am-09-02")
    assert sv.plain_text == "Det går inte längre att ställa frågor inför den här träffen: frågorna stängdes torsdag 2 september 2027 kl. 12:30."
    [open_] = await bot.say(ANNA, "/ask am-live")
    assert open_.plain_text.startswith("What would you like to ask at Skills supply?")


async def test_swedish_participant_asks_anonymously(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [prompt] = await bot.say(CECILIA, "/ask am-live")
    assert prompt.plain_text.startswith("Vilken fråga vill du ställa inför Kompetensförsörjning?")
    assert "högst 1\u00a0000 tecken" in prompt.plain_text
    [back] = await bot.say(CECILIA, "Hur blir det med lönerna?")
    assert "Arrangörerna och träffens moderatorer kan ändå se vem som frågade." in back.plain_text
    [done] = await bot.tap(CECILIA, back.message_id, "🕶 Fråga anonymt")
    assert done.plain_text.startswith("Tack! Din fråga inför Kompetensförsörjning är publicerad.")
    [listing] = await bot.say(CECILIA, "/questions am-live")
    assert "👍 0 · Anonym (din fråga)" in listing.plain_text
    [too_long] = await bot.say(CECILIA, "/ask am-live " + "å" * 1001)
    assert too_long.plain_text.startswith("Din fråga är 1\u00a0001 tecken lång; gränsen är 1\u00a0000.")
    header, card = await bot.say(ORGANISER, "/moderate am-live", count=2)
    assert "Anonymous (asked by Cecilia)" in card.plain_text
    assert "Mode: live" in header.plain_text


async def test_ask_from_the_meeting_card(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [card] = await bot.say(ANNA, "/event am-09-02")
    assert "❓ Questions for the speaker are welcome: /ask am-09-02" in card.plain_text
    assert "❓ Ask the speaker" in card.buttons
    [prompt] = await bot.tap(ANNA, card.message_id, "❓ Ask the speaker")
    assert prompt.plain_text.startswith("What would you like to ask at The labour market")
    [back] = await bot.say(ANNA, "From the card?")
    await bot.tap(ANNA, back.message_id, "👤 Show my name")
    [no_questions] = await bot.say(ANNA, "/event am-noq")
    assert "❓ Ask the speaker" not in no_questions.buttons
    assert "/ask" not in no_questions.plain_text
    [refused] = await bot.say(ANNA, "/ask am-noq")
    assert refused.plain_text == "There are no questions from participants at this meeting."


async def test_the_room_and_the_list_number_a_question_alike(telegram_bot, tmp_path) -> None:
    """What the moderator calls #2 is #2 on the participants' phones, whatever its rank."""
    bot = await start(telegram_bot, tmp_path)
    bot.assistant.flood = FloodControl(burst=10**9)
    await ask(bot, BO, "Somewhere else?")
    await nudged(bot, MODERATOR)
    await ask(bot, ANNA, "First at the live meeting?", event="am-live")
    await ask(bot, BO, "Second at the live meeting?", event="am-live")
    [mine] = await bot.say(BO, "/questions am-live")
    assert "👍 #1" in mine.buttons and "Tap 👍 and a number" in mine.plain_text
    [voted] = await bot.tap(BO, mine.message_id, "👍 #1")
    assert "👍 #1 ✓" in voted.buttons
    _header, first, second = await bot.say(MODERATOR, "/moderate am-live", count=3)
    assert first.plain_text.startswith("#1 · Published · 👍 1")
    [answered] = await bot.tap(MODERATOR, first.message_id, "✔ Answered")
    assert answered.plain_text.startswith("#1 · Answered")
    assert second.plain_text.startswith("#2 · Published · 👍 0")
    [listing] = await bot.say(CECILIA, "/questions am-live")
    lines = listing.plain_text.splitlines()
    assert "#2 · 👍 0 · Bo" in lines and "#1 · ✅ Besvarad · 👍 1 · Anna Andersson" in lines
    assert listing.buttons[:1] == ["👍 #2"]
    await bot.tap(MODERATOR, second.message_id, "✔ Answered")
    [all_answered] = await bot.say(ANNA, "/questions am-live")
    assert "#2 · ✅ Answered · 👍 0 · Bo" in all_answered.plain_text
    assert not any(b.startswith("👍") for b in all_answered.buttons)
    assert "Tap 👍" not in all_answered.plain_text


async def test_closing_now_is_said_as_done_and_the_picker_keeps_the_dates_order(
        telegram_bot, tmp_path) -> None:
    """"/moderate ID close now" answers that the questions are closed, not when they "close";
    the moderator's picker then lists that meeting and a cancelled one (closed, with
    questions) at their dates, not after the open ones."""
    bot = await start(telegram_bot, tmp_path)
    bot.assistant.store.table("questions_items").insert({
        "event": "am-cancelled", "user": ANNA, "name": "Anna", "username": None,
        "text": "Before it was cancelled?", "norm": "before it was cancelled",
        "anonymous": False, "status": "live", "at": "2027-08-30T09:00:00.000000+00:00",
        "answered_at": None, "merged_into": None})
    await ask(bot, ANNA, "Will the service be rebuilt?")
    await nudged(bot, MODERATOR)
    [closed] = await bot.say(MODERATOR, "/moderate am-09-02 close now")
    assert closed.plain_text == "Questions for The labour market after corona are now closed."
    [sv] = await bot.say(ORGANISER, "/language")
    await bot.tap(ORGANISER, sv.message_id, "Svenska")
    [closed] = await bot.say(ORGANISER, "/moderate am-live close now")
    assert closed.plain_text == "Frågorna inför Kompetensförsörjning är nu stängda."
    [picker] = await bot.say(MODERATOR, "/moderate")
    assert picker.buttons == ["Thu 2 Sept 09:30 · The labour market after corona",
                              "❌ Thu 23 Sept 09:30 · Cancelled", "Sat 2 Oct 09:30 · Long id"]


async def test_a_meeting_without_questions_and_the_numbers_organisers_see(telegram_bot,
                                                                          tmp_path) -> None:
    """/questions of a meeting that takes none says only that; /audit and /mydata name a
    question by the number the chat shows (#2), not by how it is stored."""
    env = programme_env(tmp_path / "programme", MINGEL_ORGANISERS=str(ORGANISER))
    bot = await telegram_bot([*plugins(), "plugins.privacy", "plugins.audit"], env=env,
                             clock=FakeClock(NOW))
    bot.assistant.flood = FloodControl(burst=10**9)
    [listing] = await bot.say(ANNA, "/questions am-noq", first_name="Anna", language_code="en")
    assert listing.plain_text.endswith("\n\nThere are no questions from participants at this "
                                       "meeting.")
    assert "yet" not in listing.plain_text and listing.buttons == []
    await bot.say(BO, "/start", first_name="Bo", language_code="en")
    await bot.say(ORGANISER, "/start", first_name="Olga", language_code="en")
    await ask(bot, BO, "Elsewhere?")
    await nudged(bot, ORGANISER)
    await ask(bot, ANNA, "First live?", event="am-live")
    await ask(bot, BO, "Second live?", event="am-live")
    [mine] = await bot.say(ANNA, "/questions am-live")
    [voted] = await bot.tap(ANNA, mine.message_id, "👍 #2")
    assert "👍 #2 ✓" in voted.buttons
    _header, second, _first = await bot.say(ORGANISER, "/moderate am-live", count=3)
    assert second.plain_text.startswith("#2 · Published")
    await bot.tap(ORGANISER, second.message_id, "🎤 Now answering")
    [audit] = await bot.say(ORGANISER, "/audit")
    assert "Olga · Question #2 at am-live being answered" in audit.plain_text
    [granskning] = await bot.say(ORGANISER, "/audit", language_code="sv")
    assert "Olga · Fråga #2 inför am-live besvaras nu" in granskning.plain_text
    [copy] = await bot.say(ANNA, "/mydata")
    votes = json.loads(copy.document_bytes)["plugins"]["questions"]["votes"]
    assert [(v["event"], v["question"]) for v in votes] == [("am-live", 2)]
    [copy] = await bot.say(BO, "/mydata")
    asked = json.loads(copy.document_bytes)["plugins"]["questions"]["questions"]
    assert [(q["event"], q["number"]) for q in asked] == [("am-09-02", 1), ("am-live", 2)]


async def test_privacy_says_a_year_for_questions_as_for_answers(telegram_bot, tmp_path) -> None:
    """/privacy gives one retention in one wording: not "a year" for answers and "12 months"
    for questions."""
    env = programme_env(tmp_path / "programme")
    bot = await telegram_bot([*plugins(), "plugins.rsvp", "plugins.privacy"], env=env,
                             clock=FakeClock(NOW))
    english = "\n".join(m.plain_text for m in await bot.say(ANNA, "/privacy",
                                                             language_code="en"))
    assert "(a year unless the organisers set another)" in english
    assert "Everything is deleted a year after it was written." in english
    assert "months" not in english
    await bot.say(ANNA, "/language sv")
    swedish = "\n".join(m.plain_text for m in await bot.say(ANNA, "/privacy"))
    assert "(ett år om arrangörerna inte bestämt något annat)" in swedish
    assert "Allt raderas ett år efter att det skrevs." in swedish
    assert "månader" not in swedish
    assert "Programfiler" not in swedish, "what only organisers send is not Anna's concern"
    assert "boten" not in swedish


async def test_a_question_waits_after_another_command_and_forget_deletes_it(telegram_bot,
                                                                             tmp_path) -> None:
    """The typed question survives another command until its button is pressed; /forget
    then deletes it for everyone, and the other question keeps its number."""
    env = programme_env(tmp_path / "programme", MINGEL_ORGANISERS=str(ORGANISER))
    bot = await telegram_bot([*plugins(), "plugins.privacy"], env=env, clock=FakeClock(NOW))
    bot.assistant.flood = FloodControl(burst=10**9)
    await bot.say(ORGANISER, "/start", first_name="Olga", language_code="en")
    await bot.say(BO, "/start", first_name="Bo", language_code="en")
    await bot.say(ANNA, "/start", first_name="Anna", language_code="en")
    await ask(bot, ANNA, "Will Acme AB hire?", event="am-live")
    await ask(bot, BO, "Bo asks?", event="am-live")
    await bot.say(ANNA, "/ask am-09-02")
    [back] = await bot.say(ANNA, "What does Acme AB pay?")
    assert "Nothing is sent until you choose." in back.plain_text
    [card] = await bot.say(ANNA, "/event am-live")
    assert "💬 Questions (2)" in card.buttons
    [done] = await bot.tap(ANNA, back.message_id, "👤 Show my name")
    assert done.plain_text.startswith("Thank you! Your question for The labour market after "
                                      "corona will be shown to everyone once a moderator has "
                                      "approved it.")
    await nudged(bot, ORGANISER)
    [prompt] = await bot.say(ANNA, "/forget")
    [gone] = await bot.tap(ANNA, prompt.message_id, "Yes, delete everything")
    assert gone.plain_text.startswith("Done. I have deleted everything")
    header, card = await bot.say(ORGANISER, "/moderate am-live", count=2)
    assert "Waiting: 0 · published: 1 · hidden: 0" in header.plain_text
    assert card.plain_text.startswith("#2 · Published · 👍 0\nBo asks?")
    [header] = await bot.say(ORGANISER, "/moderate am-09-02")
    assert "Waiting: 0 · published: 0 · hidden: 0" in header.plain_text
    [listing] = await bot.say(BO, "/questions am-live")
    assert "Acme" not in listing.plain_text
    assert "#2 · 👍 0 · Bo (yours)\nBo asks?" in listing.plain_text
    [card] = await bot.say(BO, "/event am-live")
    assert "💬 Questions (1)" in card.buttons


async def test_a_mistaken_merge_is_undone_from_the_queue(telegram_bot, tmp_path) -> None:
    """QA 30, finding 3: targets by number, the merged question in the queue with ↩ Undo
    merge, its votes and place back, and its asker put right once."""
    bot = await start(telegram_bot, tmp_path)
    await ask(bot, ANNA, "What about wages?", event="am-live")
    await ask(bot, BO, "And pensions??", event="am-live")
    await ask(bot, CECILIA, "Pensions for the self-employed?", event="am-live",
              label="👤 Visa mitt namn")
    [listing] = await bot.say(ORGANISER, "/questions am-live")
    await bot.tap(ORGANISER, listing.message_id, "👍 #2")
    _header, card, *_rest = await bot.say(MODERATOR, "/moderate am-live", count=4)
    assert card.plain_text.startswith("#2 · Published · 👍 1")
    [choices] = await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
    assert choices.buttons == ["#1 · What about wages?", "#3 · Pensions for the self-employed?",
                               "◀ Back"]
    [merged] = await bot.tap(MODERATOR, card.message_id, "#1 · What about wages?")
    assert "Merged into #1." in merged.plain_text and merged.buttons == ["↩ Undo merge"]
    await bot.outbox()
    [told] = await bot.stub.wait_sent(BO)
    assert "was merged with a similar one:\n\nWhat about wages?" in told.plain_text

    header, *cards = await bot.say(MODERATOR, "/moderate am-live", count=4)
    assert "Waiting: 0 · published: 2 · hidden: 1" in header.plain_text
    assert "Merged into #1." in cards[-1].plain_text
    [undone] = await bot.tap(MODERATOR, cards[-1].message_id, "↩ Undo merge")
    assert undone.plain_text.startswith("#2 · Published · 👍 1")
    await bot.outbox()
    [corrected] = await bot.stub.wait_sent(BO)
    assert corrected.plain_text.startswith("Correction: your question at Skills supply was not "
                                           "merged after all.")
    [again] = await bot.say(CECILIA, "/questions am-live")
    assert "#2 · 👍 1 · Bo\nAnd pensions??" in again.plain_text


async def test_undoing_a_merge_gives_back_the_target_askers_vote(telegram_bot, tmp_path) -> None:
    """Review 30: Anna backs Bo's #2, which is merged into her #1 and back; her vote counts
    for #2 again."""
    bot = await start(telegram_bot, tmp_path)
    await ask(bot, ANNA, "What about wages?", event="am-live")
    await ask(bot, BO, "And pensions??", event="am-live")
    for voter in (ANNA, ORGANISER):
        [listing] = await bot.say(voter, "/questions am-live")
        await bot.tap(voter, listing.message_id, "👍 #2")
    _header, card, _other = await bot.say(MODERATOR, "/moderate am-live", count=3)
    assert card.plain_text.startswith("#2 · Published · 👍 2")
    await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
    [merged] = await bot.tap(MODERATOR, card.message_id, "#1 · What about wages?")
    assert merged.plain_text.startswith("#2 · Hidden · 👍 0")
    [undone] = await bot.tap(MODERATOR, card.message_id, "↩ Undo merge")
    assert undone.plain_text.startswith("#2 · Published · 👍 2")
    [again] = await bot.say(CECILIA, "/questions am-live")
    assert "#2 · 👍 2 · Bo\nAnd pensions??" in again.plain_text
    assert "#1 · 👍 0 · Anna" in again.plain_text


async def test_a_moderator_is_told_once_an_hour_that_questions_wait(telegram_bot, tmp_path) -> None:
    """QA: questions sat unseen until the meeting. The network's moderator (Swedish) hears of
    the first at once, not of the next within the hour, of the count after it; the button
    opens the queue."""
    clock = FakeClock(NOW)
    env = programme_env(tmp_path / "programme", MINGEL_ORGANISERS=str(ORGANISER))
    bot = await telegram_bot(plugins(), env=env, clock=clock)
    bot.assistant.flood = FloodControl(burst=10**9)
    await bot.say(ORGANISER, "/start", first_name="Olga", language_code="en")
    await bot.say(MODERATOR, "/start", first_name="Mona", username="mona", language_code="sv")
    await bot.say(ANNA, "/start", first_name="Anna", language_code="en")
    await bot.say(BO, "/start", first_name="Bo", language_code="en")
    await bot.say(ORGANISER, "/moderators arbetsmarknad add @mona")
    await bot.outbox()
    await bot.stub.wait_sent(MODERATOR)

    done = await ask(bot, ANNA, "Will <b>Acme</b> hire?", label="🕶 Ask anonymously")
    assert "once a moderator has approved it" in done.plain_text
    await bot.outbox()
    [nudge] = await bot.stub.wait_sent(MODERATOR)
    assert nudge.plain_text == ("❓ 1 fråga inför den här träffen väntar på godkännande:\n"
                                "Arbetsmarknaden efter corona\n"
                                "torsdag 2 september 2027 kl. 09:30–12:30\n\n"
                                "Deltagarna ser en fråga när en moderator har godkänt den.")
    assert nudge.buttons == ["🗂 Moderera frågorna"]
    assert bot.stub.messages_to(ORGANISER)[-1].plain_text.startswith("Mona @mona (2) now")

    await ask(bot, BO, "What about wages?")
    await bot.outbox()
    told = len(bot.stub.messages_to(MODERATOR))
    [header, *cards] = await bot.tap(MODERATOR, nudge.message_id, "🗂 Moderera frågorna", count=3)
    assert "Väntar: 2" in header.plain_text
    assert "Acme" in cards[0].plain_text + cards[1].plain_text
    assert len(bot.stub.messages_to(MODERATOR)) == told + 3

    clock.advance(minutes=61)
    await ask(bot, BO, "And housing?")
    await bot.outbox()
    [again] = await bot.stub.wait_sent(MODERATOR, since=told + 3)
    assert again.plain_text.startswith("❓ 3 frågor inför den här träffen väntar på "
                                       "godkännande:\nArbetsmarknaden efter corona\n")


async def test_a_merged_question_is_told_as_its_own_and_outlives_its_targets_asker(
        telegram_bot, tmp_path) -> None:
    """QA 35: Bo's anonymous question merged into Anna's Swedish one, which is answered: Bo is
    quoted his own question; after Anna's /forget his question stands answered, not waiting."""
    bot = await start(telegram_bot, tmp_path, more=("plugins.privacy",))
    bot.assistant.flood = FloodControl(burst=10**9)
    bos, annas = "How does flexicurity work for older workers?", "Hur gör Danmark?"
    await ask(bot, BO, bos, label="🕶 Ask anonymously")
    await ask(bot, ANNA, annas)
    await nudged(bot, MODERATOR)
    _header, bo_card, anna_card = await bot.say(MODERATOR, "/moderate am-09-02", count=3)
    for card in (bo_card, anna_card):
        await bot.tap(MODERATOR, card.message_id, "✅ Approve")
    await bot.tap(MODERATOR, bo_card.message_id, "🔗 Merge into…")
    [merged] = await bot.tap(MODERATOR, bo_card.message_id, f"#2 · {annas}")
    assert "Merged into #2." in merged.plain_text
    await bot.outbox()
    [told_merged] = await bot.stub.wait_sent(BO)
    assert "merged with a similar one" in told_merged.plain_text
    await bot.tap(MODERATOR, anna_card.message_id, "✔ Answered")
    await bot.outbox()
    [told] = await bot.stub.wait_sent(BO)
    assert told.plain_text == ("✅ Your question at The labour market after corona has been "
                               f"answered together with a similar question, #2:\n\n{bos}")
    await bot.stub.wait_sent(ANNA)
    bot.assistant.clock.advance(hours=30)
    [prompt] = await bot.say(ANNA, "/forget")
    await bot.tap(ANNA, prompt.message_id, "Yes, delete everything")
    header, card = await bot.say(MODERATOR, "/moderate am-09-02", count=2)
    assert "Waiting: 0 · published: 1 · hidden: 0" in header.plain_text
    assert card.plain_text.startswith(f"#1 · Answered · 👍 0\n{bos}")
    [listing] = await bot.say(BO, "/questions am-09-02")
    assert f"#1 · ✅ Answered · 👍 0 · Anonymous (yours)\n{bos}" in listing.plain_text
    assert "waiting for a moderator's approval" not in listing.plain_text


async def test_after_forget_the_askers_of_merged_duplicates_hear_what_stands_for_theirs(
        telegram_bot, tmp_path) -> None:
    """Bo's and Cecilia's questions were merged into Anna's and both were told, quoted Anna's
    text. Anna uses /forget: Bo hears his question is listed on its own again, Cecilia (in
    Swedish) that hers counts for Bo's; nothing quotes Anna's text again."""
    bot = await start(telegram_bot, tmp_path, more=("plugins.privacy",))
    bot.assistant.flood = FloodControl(burst=10**9)
    annas, bos, cecilias = "What will Acme AB pay?", "How will wages develop?", "Och lönerna?"
    for user, text, label in ((ANNA, annas, "👤 Show my name"), (BO, bos, "👤 Show my name"),
                              (CECILIA, cecilias, "👤 Visa mitt namn")):
        await ask(bot, user, text, event="am-live", label=label)
    _header, _anna_card, bo_card, cecilia_card = await bot.say(MODERATOR, "/moderate am-live",
                                                               count=4)
    for card, user in ((bo_card, BO), (cecilia_card, CECILIA)):
        await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
        await bot.tap(MODERATOR, card.message_id, f"#1 · {annas}")
        await bot.outbox()
        [told] = await bot.stub.wait_sent(user)
        assert annas in told.plain_text
    [prompt] = await bot.say(ANNA, "/forget")
    await bot.tap(ANNA, prompt.message_id, "Yes, delete everything")
    await bot.outbox()
    [bo] = await bot.stub.wait_sent(BO)
    assert bo.plain_text == ("Your question at Skills supply had been merged with a question "
                             "that has since been deleted, so yours is listed on its own again:"
                             f"\n\n{bos}\n\nI'll tell you when it has been answered.")
    [cecilia] = await bot.stub.wait_sent(CECILIA)
    assert cecilia.plain_text == (
        "Din fråga inför Kompetensförsörjning hade slagits ihop med en fråga som sedan har "
        f"raderats. Din röst räknas nu för den här liknande frågan:\n\n{bos}\n\n"
        "Jag säger till när den har besvarats.")
    [listing] = await bot.say(CECILIA, "/questions am-live")
    assert bos in listing.plain_text and annas not in listing.plain_text


async def test_a_question_merged_into_the_askers_own_promises_no_vote(telegram_bot,
                                                                       tmp_path) -> None:
    """QA 41: Cecilia asks the same thing twice; merged, she is told so in Swedish, with no
    word of a vote that nobody can give their own question."""
    bot = await start(telegram_bot, tmp_path)
    await ask(bot, CECILIA, "Hur går det för de unga?", event="am-live",
              label="🕶 Fråga anonymt")
    await ask(bot, CECILIA, "Hur går det för unga på arbetsmarknaden?", event="am-live",
              label="🕶 Fråga anonymt")
    _header, _first, card = await bot.say(MODERATOR, "/moderate am-live", count=3)
    assert card.plain_text.startswith("#2 · Published")
    await bot.tap(MODERATOR, card.message_id, "🔗 Merge into…")
    [merged] = await bot.tap(MODERATOR, card.message_id, "#1 · Hur går det för de unga?")
    assert "Merged into #1." in merged.plain_text
    await bot.outbox()
    [told] = await bot.stub.wait_sent(CECILIA)
    assert told.plain_text == ("Din fråga inför Kompetensförsörjning har slagits ihop med en "
                               "liknande fråga som du också har ställt:\n\nHur går det för de "
                               "unga?\n\nJag säger till när den har besvarats.")


async def test_a_closing_time_after_midnight_is_dated_the_day_it_falls_on(telegram_bot,
                                                                          tmp_path) -> None:
    """Questions that close at 00:30 in Stockholm (22:30 the evening before in UTC) are said
    to close, and to have closed, on that Wednesday, in English and in Swedish."""
    bot = await start(telegram_bot, tmp_path, now="2027-09-21T10:45:00+00:00")
    [set_] = await bot.say(ORGANISER, "/moderate am-live close 12h")
    assert set_.plain_text == ("Questions for Skills supply close on Wednesday, 22 September "
                               "2027 at 00:30.")
    bot.assistant.clock.set(datetime(2027, 9, 21, 22, 45, tzinfo=UTC))
    [closed] = await bot.say(CECILIA, "/ask am-live")
    assert "onsdag 22 september 2027 kl. 00:30" in closed.plain_text, closed.plain_text
