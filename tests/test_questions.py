"""Unit tests of the questions plugin with the chat harness: one rule per test."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.text import units
from plugins.questions import meeting
from tests.test_questions_support import (
    ANNA,
    BO,
    CECILIA,
    LONG_ID,
    MODERATOR,
    NOW,
    ORGANISER,
    OTHER_MODERATOR,
    PROGRAMME,
    plugins,
    programme_env,
)

QUESTION = "How will the Public Employment Service change?"


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, plugins())


@pytest.fixture
async def private_chat(mingel_chat, tmp_path):
    """The same people, with /mydata and /forget."""
    return await started(mingel_chat, tmp_path, [*plugins(), "plugins.privacy"])


async def started(mingel_chat, tmp_path, names):
    """Organiser, moderators and participants who have started the bot."""
    chat = await mingel_chat(names, organisers=[ORGANISER], now=NOW,
                             env=programme_env(tmp_path))
    chat.assistant.flood.burst = 10_000
    chat.user(ORGANISER, "Olga", lang="en", username="olga")
    chat.user(MODERATOR, "Mona", lang="en", username="mona")
    chat.user(OTHER_MODERATOR, "Bosse", lang="en", username="bosse")
    chat.user(ANNA, "Anna", lang="en", last_name="Andersson", username="anna")
    chat.user(BO, "Bo", lang="en")
    chat.user(CECILIA, "Cecilia", lang="sv")
    for user in (ORGANISER, MODERATOR, OTHER_MODERATOR, ANNA, BO, CECILIA):
        await chat.send("/start", user)
    await chat.send(f"/moderators arbetsmarknad add {MODERATOR}", ORGANISER)
    await chat.send("/moderators bostad add @bosse", ORGANISER)
    await chat.deliver()
    return chat


async def ask(chat, user, text=QUESTION, event="am-09-02", anonymous=False):
    """Ask a question the way a participant does (in any language); returns the last replies."""
    await chat.send(f"/ask {event}", user)
    back = await chat.send(text, user)
    how = ":anonymous" if anonymous else ":named"
    [data] = [b.data for r in back for row in r.buttons for b in row if b.data.endswith(how)]
    return await chat.press_data(data, user)


def qid(chat, text=QUESTION):
    """The stored id of a question, by its text."""
    table = chat.assistant.store.table("questions_items")
    return next(d.doc_id for d in table.all() if d["text"] == text)


async def test_ask_shows_the_question_back_and_asks_named_or_anonymous(chat) -> None:
    prompt = await chat.send("/ask am-09-02", ANNA)
    assert "What would you like to ask at The labour market after corona?" in chat.text(prompt)
    assert "\nSpeaker: Roger Mörtvik\n" in chat.text(prompt), "one speaker is not \"Speakers\""
    back = await chat.send(QUESTION, ANNA)
    assert QUESTION in chat.text(back)
    assert "organisers and the meeting's moderators can still see who asked" in chat.text(back)
    assert chat.buttons(back) == ["👤 Show my name", "🕶 Ask anonymously", "✖ Cancel"]
    drafts = chat.assistant.store.table("questions_drafts").all()
    assert [d["text"] for d in drafts] == [QUESTION]
    done = await chat.press("Ask anonymously", ANNA)
    assert "will be shown to everyone once a moderator has approved it" in chat.text(done)
    assert "You asked anonymously." in chat.text(done)
    assert chat.assistant.store.table("questions_drafts").all() == []


async def test_pending_question_is_not_listed_until_approved(chat) -> None:
    await ask(chat, ANNA)
    listing = await chat.send("/questions am-09-02", BO)
    assert QUESTION not in chat.text(listing)
    assert "No questions have been published yet." in chat.text(listing)
    mine = await chat.send("/questions am-09-02", ANNA)
    assert "You have 1 question waiting for a moderator's approval." in chat.text(mine)
    queue = await chat.send("/moderate am-09-02", MODERATOR)
    assert "Anna Andersson" in chat.text(queue) and QUESTION in chat.text(queue)
    await chat.press("Approve", MODERATOR)
    listing = await chat.send("/questions am-09-02", BO)
    assert QUESTION in chat.text(listing) and "Anna Andersson" in chat.text(listing)


async def test_anonymous_question_hides_the_name_from_participants_only(chat) -> None:
    await ask(chat, ANNA, anonymous=True)
    queue = await chat.send("/moderate am-09-02", MODERATOR)
    assert "Anonymous (asked by Anna Andersson @anna)" in chat.text(queue)
    await chat.press("Approve", MODERATOR)
    listing = chat.text(await chat.send("/questions am-09-02", BO))
    assert "Anonymous" in listing and "Anna" not in listing


async def test_empty_question_is_refused_and_asked_again(chat) -> None:
    await chat.send("/ask am-09-02", ANNA)
    reply = await chat.send("   ?!  ", ANNA)
    assert "Your question is empty." in chat.text(reply)
    back = await chat.send(QUESTION, ANNA)
    assert "Shall I show your name" in chat.text(back)


async def test_emoji_only_are_not_empty_but_wait_for_words(chat) -> None:
    """"😀😀😀" was refused as empty, then taken as a question; emoji say something
    (invisible characters don't), but not what is asked: they are kept as a draft and the
    words sent next complete it."""
    sven = chat.user(1010, "Sven", lang="sv")
    await chat.send("/ask am-09-02", sven)
    for blank in ("\u200b", " \u2060\ufe0f ", "\u3164", "\u200d\u200d"):
        assert "Din fråga är tom." in chat.text(await chat.send(blank, sven))
    reply = await chat.send("😀😀😀", sven)
    assert chat.text(reply) == (
        "Din fråga inför Arbetsmarknaden efter corona behöver några ord (minst 3 bokstäver) för "
        "att säga vad du undrar. Du skrev:\n\n😀😀😀\n\nSkicka resten så lägger jag till det "
        "efter, eller skicka hela frågan igen (ett kommando avbryter). Jag sparar det du skrev i "
        "ett dygn.")
    assert chat.buttons(reply) == [] and [d["text"] for d in chat.table("questions", "drafts")] \
        == ["😀😀😀"]
    whole = await chat.send("Varför så glad?", sven)
    assert "😀😀😀 Varför så glad?" in chat.text(whole)
    sent = await chat.press("👤 Visa mitt namn", sven)
    assert "Tack!" in chat.text(sent)


async def test_a_question_needs_three_letters_and_nothing_typed_is_lost(chat) -> None:
    """"5", "ok" or "1️⃣" cannot tell a speaker what is asked: kept, shown back, and the next
    message is the rest ("Why?" is a question); the whole question typed again, starting
    with what was kept, is taken as it is; two short ones make a longer one."""
    for typed in ("5", "ok", "1\ufe0f\u20e3", "12:30 ?"):
        reply = await chat.send(f"/ask am-09-02 {typed}", ANNA)
        assert "needs a few words (at least 3 letters)" in chat.text(reply), typed
        assert f"You wrote:\n\n{typed}\n\n" in chat.text(reply)
    assert "Shall I show your name" in chat.text(await chat.send("/ask am-09-02 Why?", BO))
    await chat.send("/ask am-09-02 ok", ANNA)
    again = await chat.send("OK, and what about the unions?", ANNA)
    assert "\n\nOK, and what about the unions?\n\n" in chat.text(again)
    await chat.send("/ask am-09-02 a", ANNA)
    longer = await chat.send("b", ANNA)
    assert "You wrote:\n\na b\n\n" in chat.text(longer)
    [draft] = [d for d in chat.table("questions", "drafts") if d["user"] == ANNA]
    assert draft["text"] == "a b" and draft["unfinished"]


async def test_an_unfinished_draft_is_not_sent_by_a_forged_press(chat) -> None:
    await chat.send("/ask am-09-02 5", ANNA)
    [draft] = chat.table("questions", "drafts")
    pressed = await chat.press_data(f"questions:send:{draft.doc_id}:named", ANNA)
    assert "needs a few words" in chat.text(pressed)
    assert chat.table("questions", "items") == [] and len(chat.table("questions", "drafts")) == 1
    [kept] = chat.assistant.hooks.user_data(chat.context(user=ANNA), ANNA)["questions"]["drafts"]
    assert kept["text"] == "5" and kept["unfinished"] is True, "/mydata says it waits"
    done = await chat.send("is the number of new jobs this autumn", ANNA)
    assert "5 is the number of new jobs this autumn" in chat.text(done)


async def test_a_keycap_emoji_is_not_empty(chat) -> None:
    """#️⃣ and *️⃣ show a key as 1️⃣ does, though # and * alone are punctuation: not empty,
    but no question without words."""
    await chat.send("/ask am-09-02", ANNA)
    reply = await chat.send("#\ufe0f\u20e3", ANNA)
    assert "needs a few words (at least 3 letters)" in chat.text(reply)
    await chat.send("/ask am-09-02", BO)
    assert "Your question is empty." in chat.text(await chat.send("# *", BO))


async def test_length_counts_what_a_reader_sees(chat) -> None:
    """A family emoji is seven code points (eleven UTF-16 units) but one character to the
    reader: "Hur? " and 150 families are 155 characters, not 1,055."""
    family = "👨\u200d👩\u200d👧\u200d👦"
    sven = chat.user(1010, "Sven", lang="sv")
    await chat.send("/ask am-09-02", sven)
    reply = await chat.send("Hur? " + family * 150, sven)
    assert "👤 Visa mitt namn" in chat.buttons(reply)
    await chat.send("/ask am-09-02", sven)
    flags, tones, accents = "🇸🇪" * 300, "👍🏽" * 300, "e\u0301" * 401
    reply = await chat.send(flags + tones + accents, sven)
    assert "Din fråga är 1\xa0001 tecken lång; gränsen är 1\xa0000." in chat.text(reply)


async def test_a_question_that_would_not_fit_a_message_is_refused(chat) -> None:
    """Short to read but long to send: 900 families are 9,900 UTF-16 units, more than a
    Telegram message; the question is refused with a reason, so none stored can overflow."""
    family = "👨\u200d👩\u200d👧\u200d👦"
    await chat.send("/ask am-09-02", ANNA)
    reply = await chat.send(family * 900, ANNA)
    assert chat.text(reply) == ("Your question has too many emoji or special characters to fit "
                                "in one message. Please shorten it and send it again.")
    assert chat.table("questions", "drafts") == []


async def test_too_long_question_is_refused_with_the_limit(chat) -> None:
    await chat.send("/ask am-09-02", ANNA)
    reply = await chat.send("x" * 1001, ANNA)
    assert "Your question is 1,001 characters long; the limit is 1,000." in chat.text(reply)
    back = await chat.send("y" * 1000, ANNA)
    assert "Shall I show your name" in chat.text(back)


async def test_a_question_is_as_long_as_it_reads_accents_and_all(chat) -> None:
    """"ö" typed as one character or as o and a combining mark is one character to read."""
    await chat.send("/ask am-09-02", ANNA)
    reply = await chat.send("ö" * 1001, ANNA)
    assert "Your question is 1,001 characters long" in chat.text(reply)
    back = await chat.send("o\u0308" * 1000, ANNA)
    assert "Shall I show your name" in chat.text(back)


async def test_repeated_question_is_refused_whatever_its_case_and_spacing(chat) -> None:
    await ask(chat, ANNA)
    await chat.send("/ask am-09-02", ANNA)
    reply = await chat.send("  how WILL the public employment   service change ", ANNA)
    assert "You have already asked this question for this meeting." in chat.text(reply)
    other = await ask(chat, BO)
    assert "Thank you!" in chat.text(other)
    elsewhere = await ask(chat, ANNA, event="am-live")
    assert "is published" in chat.text(elsewhere)


async def test_ask_with_the_text_on_the_command_line(chat) -> None:
    back = await chat.send(f"/ask am-09-02 {QUESTION}", ANNA)
    assert QUESTION in chat.text(back) and "Shall I show your name" in chat.text(back)


async def test_votes_one_per_person_toggle_and_order(chat) -> None:
    for user, text in ((ANNA, "First?"), (BO, "Second?"), (CECILIA, "Third?")):
        await ask(chat, user, text=text, event="am-live")
    listing = await chat.send("/questions am-live", ORGANISER)
    assert chat.text(listing).index("First?") < chat.text(listing).index("Second?") \
        < chat.text(listing).index("Third?")
    third = qid(chat, "Third?")
    await chat.press_data(f"questions:up:{third}:0", ANNA)
    await chat.press_data(f"questions:up:{third}:0", ANNA)
    listing = await chat.press_data(f"questions:up:{third}:0", BO)
    text = chat.text(listing)
    assert text.index("Third?") < text.index("First?") < text.index("Second?")
    assert "👍 2 · Cecilia" in text
    assert "👍 #3 ✓" in chat.buttons(listing)
    await chat.press("👍 #3 ✓", BO)
    votes = chat.assistant.store.table("questions_votes")
    assert [(v["question"], v["user"]) for v in votes.all()] == [(third, ANNA)]


async def test_moderators_and_participants_see_the_same_number_for_a_question(chat) -> None:
    """A moderator saying "question 3" in the room means what participants see as #3: the
    order questions were asked at that meeting, whatever their votes or status."""
    await ask(chat, BO, text="Elsewhere?", event="am-09-02")
    for user, text in ((ANNA, "First?"), (BO, "Second?"), (CECILIA, "Third?")):
        await ask(chat, user, text=text, event="am-live")
    await chat.press_data(f"questions:up:{qid(chat, 'Second?')}:0", ANNA)
    await chat.press_data(f"questions:done:{qid(chat, 'Third?')}", MODERATOR)
    _header, *cards = await chat.send("/moderate am-live", MODERATOR)
    assert [chat.text([c]).splitlines()[0] for c in cards] == [
        "#2 · Published · 👍 1", "#1 · Published · 👍 0", "#3 · Answered · 👍 0"]
    listing = await chat.send("/questions am-live", BO)
    heads = [line for line in chat.text(listing).splitlines() if line.startswith("#")]
    assert heads == ["#2 · 👍 1 · Bo (yours)", "#1 · 👍 0 · Anna Andersson",
                     "#3 · ✅ Answered · 👍 0 · Cecilia"]
    assert chat.buttons(listing)[:1] == ["👍 #1"], "no vote on one's own or an answered one"
    await chat.press_data(f"questions:merge:{qid(chat, 'First?')}", MODERATOR)
    assert "#2 · Second?" in chat.buttons(chat.last[MODERATOR])
    assert "Merge #1 into which question?" in chat.text(chat.last[MODERATOR])
    merged = await chat.press("#2 · Second?", MODERATOR)
    assert "Merged into #2." in chat.text(merged)
    await ask(chat, ANNA, text="Fourth?", event="am-live")
    assert "#4 · 👍 0 · Anna Andersson" in chat.text(await chat.send("/questions am-live", BO))
    export = chat.assistant.exports["questions"]
    document = export.handler(chat.assistant.context(export.plugin), "am-live")
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert [(r[0], r[1]) for r in rows[1:]] == [("2", "Second?"), ("4", "Fourth?"),
                                                ("3", "Third?")]


async def test_the_voting_hint_comes_only_with_vote_buttons(chat) -> None:
    await ask(chat, ANNA, text="Mine?", event="am-live")
    hint = "Tap 👍 and a number to upvote that question"
    own = await chat.send("/questions am-live", ANNA)
    assert hint not in chat.text(own) and not any("👍" in b for b in chat.buttons(own))
    others = await chat.send("/questions am-live", BO)
    assert hint in chat.text(others) and "👍 #1" in chat.buttons(others)
    await chat.press_data(f"questions:done:{qid(chat, 'Mine?')}", MODERATOR)
    answered = await chat.send("/questions am-live", BO)
    assert hint not in chat.text(answered) and not any("👍" in b for b in chat.buttons(answered))
    swedish = chat.text(await chat.send("/questions am-live", CECILIA))
    assert "Tryck på 👍" not in swedish


async def test_a_cancelled_meeting_is_marked_in_the_moderators_choice(chat) -> None:
    chat.assistant.store.table("questions_items").insert({
        "event": "am-cancelled", "user": BO, "name": "Bo", "username": None, "text": "Why?",
        "norm": "why", "anonymous": False, "status": "pending",
        "at": "2027-08-30T09:00:00.000000+00:00", "answered_at": None, "merged_into": None})
    choice = await chat.send("/moderate", ORGANISER)
    assert "❌ Thu 23 Sept 09:30 · Cancelled" in chat.buttons(choice)
    assert "Tue 21 Sept 09:30 · Skills supply" in chat.buttons(choice)
    listing = await chat.send("/questions am-cancelled", BO)
    assert "This meeting is cancelled, so it takes no questions." in chat.text(listing)
    assert "🔔 Follow questions" not in chat.buttons(listing)


async def test_ties_are_ordered_oldest_first(chat) -> None:
    await ask(chat, ANNA, text="Older?", event="am-live")
    chat.clock.advance(minutes=1)
    await ask(chat, BO, text="Newer?", event="am-live")
    await chat.press_data(f"questions:up:{qid(chat, 'Newer?')}:0", CECILIA)
    await chat.press_data(f"questions:up:{qid(chat, 'Older?')}:0", CECILIA)
    text = chat.text(await chat.send("/questions am-live", CECILIA))
    assert text.index("Older?") < text.index("Newer?")


async def test_own_question_cannot_be_upvoted(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    listing = await chat.send("/questions am-live", ANNA)
    assert chat.buttons(listing)[:1] != ["👍 #1"]
    await chat.press_data(f"questions:up:{qid(chat)}:0", ANNA)
    assert chat.toasts[ANNA] == "That's your own question – you can't upvote it, but others can."
    assert chat.assistant.store.table("questions_votes").all() == []


async def test_forged_votes_for_pending_or_hidden_questions_are_refused(chat) -> None:
    await ask(chat, ANNA)
    pending = qid(chat)
    await chat.press_data(f"questions:up:{pending}:0", BO)
    assert chat.toasts[BO] == "This question can't be voted on."
    await chat.press_data("questions:up:99999:0", BO)
    await chat.press_data("questions:up:not-a-number", BO)
    assert chat.assistant.store.table("questions_votes").all() == []


async def test_forged_moderation_buttons_change_nothing(chat) -> None:
    await ask(chat, ANNA)
    pending = qid(chat)
    await chat.press_data(f"questions:approve:{pending}", BO)
    assert chat.toasts[BO] == "Sorry, you can't do that."
    await chat.press_data(f"questions:approve:{pending}", OTHER_MODERATOR)
    assert "only the moderators of this meeting's networks" in chat.toasts[OTHER_MODERATOR]
    await chat.press_data("questions:mode:am-09-02:live", OTHER_MODERATOR)
    await chat.press_data(f"questions:into:{pending}:{pending}", MODERATOR)
    await chat.press_data(f"questions:explode:{pending}", MODERATOR)
    await chat.press_data(f"questions:done:{pending}", OTHER_MODERATOR)
    await chat.press_data(f"questions:hide:{pending}:x", OTHER_MODERATOR)
    doc = chat.assistant.store.table("questions_items").get(pending)
    assert doc["status"] == "pending" and doc["merged_into"] is None
    settings = chat.assistant.store.table("questions_meetings").all()
    assert not any("mode" in d or "close_at" in d for d in settings), "no moderator's choice"
    refused = await chat.send("/moderate am-09-02", OTHER_MODERATOR)
    assert "only the moderators" in chat.text(refused)
    refused = await chat.send("/moderate am-09-02", BO)
    assert "only moderators and organisers can use /moderate" in chat.text(refused)


async def test_moderator_of_another_network_moderates_their_own_meeting(chat) -> None:
    await ask(chat, ANNA, event="bo-10-01")
    queue = await chat.send("/moderate bo-10-01", OTHER_MODERATOR)
    await chat.press("Approve", OTHER_MODERATOR, queue)
    assert chat.assistant.store.table("questions_items").get(qid(chat))["status"] == "live"
    stale = await chat.press("Approve", OTHER_MODERATOR, queue)
    assert chat.toasts[OTHER_MODERATOR] == "This question has changed in the meantime."
    assert stale[0].edit and "Published" in chat.text(stale)


async def test_live_mode_publishes_at_once_and_a_moderator_can_switch_it(chat) -> None:
    done = await ask(chat, ANNA, event="am-live")
    assert "Your question for The labour market" not in chat.text(done)
    assert "is published" in chat.text(done)
    header = (await chat.send("/moderate am-09-02", MODERATOR))[0]
    assert "Mode: approval" in chat.text([header])
    switched = await chat.press("Switch to live mode", MODERATOR, [header])
    assert "Mode: live" in chat.text(switched)
    done = await ask(chat, BO, text="Live now?")
    assert "is published" in chat.text(done)
    assert "Live now?" in chat.text(await chat.send("/questions am-09-02", CECILIA))


async def test_now_answering_tells_the_asker_and_the_followers_and_answered_the_asker(
        chat) -> None:
    await ask(chat, ANNA, event="am-live")
    listing = await chat.send("/questions am-live", BO)
    await chat.press("Follow questions", BO, listing)
    assert chat.toasts[BO] == "I'll tell you when a question is being answered."
    queue = await chat.send("/moderate am-live", MODERATOR)
    await chat.press("Now answering", MODERATOR, queue)
    sent = await chat.deliver()
    assert sorted(sent) == [ANNA, BO]
    assert chat.text(sent[ANNA]) == ("🎤 Your question at Skills supply is being answered now:"
                                     f"\n\n{QUESTION}")
    assert chat.buttons(sent[ANNA]) == ["💬 See the questions"]
    assert "Now answering at Skills supply" in chat.text(sent[BO]) and QUESTION in chat.text(sent[BO])
    highlighted = chat.text(await chat.send("/questions am-live", BO))
    assert "🎤 Now answering · 👍 0 · Anna Andersson" in highlighted
    await chat.press("Answered", MODERATOR)
    sent = await chat.deliver()
    assert list(sent) == [ANNA]
    assert "Your question at Skills supply has been answered" in chat.text(sent[ANNA])
    await chat.press_data(f"questions:now:{qid(chat)}", MODERATOR)
    await chat.press_data(f"questions:now:{qid(chat)}", MODERATOR)
    assert await chat.deliver() == {}


async def test_merge_moves_votes_hides_the_duplicate_and_tells_its_asker(chat) -> None:
    await ask(chat, ANNA, text="What about wages?", event="am-live")
    await ask(chat, BO, text="And wages??", event="am-live")
    duplicate, target = qid(chat, "And wages??"), qid(chat, "What about wages?")
    await chat.press_data(f"questions:up:{duplicate}:0", CECILIA)
    await chat.press_data(f"questions:merge:{duplicate}", MODERATOR)
    choices = chat.last[MODERATOR]
    assert f"#{target} · What about wages?" in chat.buttons(choices)
    await chat.press(f"#{target}", MODERATOR, choices)
    items = chat.assistant.store.table("questions_items")
    assert items.get(duplicate)["status"] == "hidden"
    assert items.get(duplicate)["merged_into"] == target
    voters = {v["user"] for v in chat.assistant.store.table("questions_votes").find(
        question=target)}
    assert voters == {BO, CECILIA}
    sent = await chat.deliver()
    assert "was merged with a similar one" in chat.text(sent[BO])
    listing = chat.text(await chat.send("/questions am-live", CECILIA))
    assert "And wages??" not in listing and "👍 2 · Anna" in listing
    await chat.press_data(f"questions:now:{target}", MODERATOR)
    sent = await chat.deliver()
    assert set(sent) == {ANNA, BO}  # the duplicate's asker too, quoted their own question
    assert chat.text(sent[BO]) == ("🎤 Your question at Skills supply is being answered now, "
                                   f"together with a similar question, #{target}:\n\nAnd wages??")
    await chat.press_data(f"questions:done:{target}", MODERATOR)
    sent = await chat.deliver()
    assert set(sent) == {ANNA, BO}


async def test_closing_time_stops_questions_and_votes(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    chat.clock.set(chat.clock.now().replace(month=9, day=21, hour=10, minute=31))
    refused = await chat.send("/ask am-live", BO)
    assert "Questions for this meeting closed on" in chat.text(refused)
    await chat.press_data(f"questions:up:{qid(chat)}:0", BO)
    assert chat.toasts[BO].startswith("Questions for this meeting closed on")
    listing = await chat.send("/questions am-live", BO)
    assert QUESTION in chat.text(listing) and not any("👍" in b for b in chat.buttons(listing))


async def test_the_question_being_answered_is_no_longer_marked_after_the_meeting(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    await chat.press_data(f"questions:now:{qid(chat)}", MODERATOR)
    during = chat.text(await chat.send("/questions am-live", BO))
    assert "🎤 Now answering" in during
    chat.clock.set("2027-09-21T10:31:00+00:00")  # 12:31, after the end
    after = chat.text(await chat.send("/questions am-live", BO))
    assert "🎤" not in after and "Now answering" not in after
    assert "#1 · 👍 0 · Anna Andersson" in after
    [document] = chat.documents(await chat.send("/questions am-live csv", MODERATOR))
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert [r[4:] for r in rows[1:]] == [["Answered", "2027-09-01 10:00", ""]], \
        "the speaker's file does not say it is being answered now (QA 41)"

async def test_closing_time_setting_and_per_meeting_override(mingel_chat, tmp_path) -> None:
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now="2027-09-21T10:45:00+00:00",
                             env=programme_env(tmp_path, MINGEL_QUESTIONS_CLOSE="30m"))
    chat.user(ANNA, "Anna", lang="en")
    open_ = await chat.send("/ask am-live", ANNA)
    assert "What would you like to ask" in chat.text(open_)
    reply = await chat.send("/moderate am-live close now", ORGANISER)
    assert chat.text(reply) == "Questions for Skills supply are now closed."
    closed = await chat.send("/ask am-live", ANNA)
    assert "closed on" in chat.text(closed)
    await chat.send("/moderate am-live close 2h", ORGANISER)
    assert "What would you like to ask" in chat.text(await chat.send("/ask am-live", ANNA))
    audit = [d["action"] for d in chat.assistant.store.table("assistant_audit").all()]
    assert audit.count("questions.close") == 2



async def test_closing_is_said_as_done_when_the_time_is_not_ahead(mingel_chat, tmp_path) -> None:
    """"close now" and a closing time already past say the questions are closed (not "close
    on" a moment that has just gone); a time ahead keeps the future, in both languages."""
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now="2027-09-21T10:45:00+00:00",
                             env=programme_env(tmp_path))
    chat.user(ORGANISER, "Olga", lang="sv")
    now = await chat.send("/moderate am-live close now", ORGANISER)
    assert chat.text(now) == "Frågorna inför Kompetensförsörjning är nu stängda."
    ahead = await chat.send("/moderate am-live close 2h", ORGANISER)
    assert chat.text(ahead) == ("Frågorna inför Kompetensförsörjning stängs tisdag 21 september "
                                "2027 kl. 14:30.")
    past = await chat.send("/moderate am-live close 10m", ORGANISER)
    assert chat.text(past) == ("Frågorna inför Kompetensförsörjning är nu stängda, eftersom "
                               "tisdag 21 september 2027 kl. 12:40 redan har passerat.")
    chat.user(ORGANISER, "Olga", lang="en")
    past = await chat.send("/moderate am-live close 10m", ORGANISER)
    assert chat.text(past) == ("Questions for Skills supply are now closed, since Tuesday, "
                               "21 September 2027 at 12:40 has already passed.")
    assert "closed on" in chat.text(await chat.send("/ask am-live", ORGANISER))


async def test_the_closing_time_counts_from_the_real_end_in_the_repeated_autumn_hour(
        mingel_chat, tmp_path) -> None:
    """A meeting ending at 02:30 the second time round has not ended at 02:45 the first
    time, and with a 10-minute closing time takes questions until 02:40 that second time."""
    stockholm = ZoneInfo("Europe/Stockholm")
    chat = await mingel_chat(plugins(), now="2027-10-31T01:35:00+00:00",
                             env=programme_env(tmp_path, MINGEL_QUESTIONS_CLOSE="10m"))
    live = chat.assistant.hooks.programme().event("am-live")
    night = replace(live, start=datetime(2027, 10, 31, 1, 0, tzinfo=stockholm),
                    end=datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=stockholm))
    ctx = chat.assistant.context("questions", lang="en")
    assert meeting.close_at(ctx, night) == datetime(2027, 10, 31, 1, 40, tzinfo=UTC)
    assert meeting.is_open(ctx, night)
    chat.clock.set(datetime(2027, 10, 31, 1, 40, tzinfo=UTC))
    assert not meeting.is_open(ctx.assistant.context("questions", lang="en"), night)

async def test_questions_false_no_button_and_a_polite_refusal(chat) -> None:
    reply = await chat.send("/ask am-noq", ANNA)
    assert "There are no questions from participants at this meeting." in chat.text(reply)
    event = chat.assistant.hooks.programme().event("am-noq")
    ctx = chat.assistant.context("questions", chat.assistant.users.get(ANNA))
    assert chat.assistant.hooks.event_buttons(ctx, event) == []
    cancelled = await chat.send("/ask am-cancelled", ANNA)
    assert "cancelled" in chat.text(cancelled)


async def test_the_list_of_a_meeting_without_questions_says_only_that(chat) -> None:
    """No "not published yet" (none will come) and nothing to follow."""
    listing = await chat.send("/questions am-noq", ANNA)
    assert chat.text(listing) == ("Questions for Roundtable\n"
                                  "Wednesday, 22 September 2027, 09:30–11:00\n\n"
                                  "There are no questions from participants at this meeting.")
    assert chat.buttons(listing) == []
    swedish = await chat.send("/questions am-noq", CECILIA)
    assert chat.text(swedish).endswith("Den här träffen tar inte emot frågor från deltagarna.")
    assert chat.buttons(swedish) == []
    closed = await chat.send("/questions am-cancelled", ANNA)
    assert "No questions were published.\n" in chat.text(closed)
    assert "yet" not in chat.text(closed)


async def test_a_follower_can_still_stop_following_once_questions_are_switched_off(
        mingel_chat, tmp_path) -> None:
    """A meeting that took questions and then no longer does keeps 🔕 Stop following for
    someone who followed it, so they can stop the notices from the list."""
    env = programme_env(tmp_path)
    path = Path(env["MINGEL_PROGRAMME"])
    path.write_text(PROGRAMME.replace("    questions: false\n", ""), encoding="utf-8")
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW, env=env,
                             flood_control=False)
    cecilia = chat.user(CECILIA, "Cecilia", lang="sv")
    await chat.send("/questions am-noq", cecilia)
    await chat.press("Följ frågorna", cecilia)
    path.write_text(PROGRAMME, encoding="utf-8")
    await chat.send("/reload", chat.user(ORGANISER, "Olga", lang="en"))
    await chat.press("Confirm", ORGANISER)
    listing = await chat.send("/questions am-noq", cecilia)
    assert chat.text(listing).endswith("Den här träffen tar inte emot frågor från deltagarna.")
    assert chat.buttons(listing) == ["🔕 Sluta följa"]
    stopped = await chat.press("Sluta följa", cecilia)
    assert chat.toasts[CECILIA] == "Du får inga fler meddelanden om frågorna inför den här träffen."
    assert stopped[0].edit and chat.buttons(stopped) == []
    assert chat.table("questions", "followers") == []


async def test_mydata_and_the_audit_number_questions_as_the_chat_does(chat) -> None:
    """An organiser matches "#2" in the chat with the audit log and a /mydata copy."""
    await ask(chat, BO, text="Elsewhere?", event="am-09-02")
    await ask(chat, ANNA, text="First?", event="am-live")
    await ask(chat, BO, text="Second?", event="am-live")
    second = qid(chat, "Second?")
    assert second == 3, "the stored id differs from the number at its meeting"
    await chat.press_data(f"questions:up:{second}:0", ANNA)
    await chat.press_data(f"questions:now:{second}", MODERATOR)
    await chat.press_data(f"questions:merge:{qid(chat, 'First?')}", MODERATOR)
    await chat.press("#2 · Second?", MODERATOR)
    ctx = chat.assistant.context("privacy")
    bo = chat.assistant.hooks.user_data(ctx, BO)["questions"]["questions"]
    assert [(q["event"], q["number"], q["text"]) for q in bo] == [
        ("am-09-02", 1, "Elsewhere?"), ("am-live", 2, "Second?")]
    anna = chat.assistant.hooks.user_data(ctx, ANNA)["questions"]["votes"]
    assert [(v["event"], v["question"]) for v in anna] == [("am-live", 2)]
    audit = [(d["action"], d["details"]) for d in
             chat.assistant.store.table("assistant_audit").all()]
    assert ("questions.now", "question #2 at am-live") in audit
    assert ("questions.merge", "question #1 into #2 at am-live") in audit


async def test_card_buttons_while_open(chat) -> None:
    hooks, event = chat.assistant.hooks, chat.assistant.hooks.programme().event("am-09-02")
    ctx = chat.assistant.context("questions", chat.assistant.users.get(ANNA))
    assert [b.text for b in hooks.event_buttons(ctx, event)] == ["❓ Ask the speaker"]
    await ask(chat, ANNA)
    await chat.send("/moderate am-09-02", MODERATOR)
    await chat.press("Approve", MODERATOR)
    assert [b.text for b in hooks.event_buttons(ctx, event)] == ["❓ Ask the speaker",
                                                                 "💬 Questions (1)"]
    details = "❓ Questions for the speaker are welcome: /ask am-09-02"
    assert hooks.event_details(ctx, event) == [details]


async def test_a_meeting_without_speakers_asks_for_a_question_not_of_the_speaker(chat) -> None:
    """A meeting without speakers takes questions for its moderator: neither the card's line
    nor its button speaks of a speaker, in either language, and /ask names none."""
    card = await chat.send("/event am-live", ANNA)
    assert "❓ Questions are welcome: /ask am-live" in chat.text(card)
    assert "speaker" not in chat.text(card).lower()
    assert "❓ Ask a question" in chat.buttons(card)
    assert "❓ Ask the speaker" not in chat.buttons(card)
    sven = chat.user(1010, "Sven", lang="sv")
    card = await chat.send("/event am-live", sven)
    assert "❓ Ställ gärna frågor: /ask am-live" in chat.text(card)
    assert "talare" not in chat.text(card).lower()
    assert "❓ Ställ en fråga" in chat.buttons(card)
    prompt = await chat.press("❓ Ställ en fråga", sven)
    assert "Vilken fråga vill du ställa inför Kompetensförsörjning?" in chat.text(prompt)
    assert "talare" not in chat.text(prompt).lower()


async def test_invite_only_meeting_is_unknown_to_others(chat) -> None:
    reply = await chat.send("/ask am-secret", ANNA)
    assert "I can't find a meeting with the id am-secret" in chat.text(reply)
    refused = await chat.press_data("questions:ask:am-secret", ANNA)
    assert chat.text(refused) == ("I can't find a meeting with the id am-secret. Send /programme "
                                  "to see the meetings.")
    assert chat.toasts[ANNA] is None
    assert "What would you like" in chat.text(await chat.send("/ask am-secret", ORGANISER))


async def test_moderators_add_remove_and_unknown_users(chat) -> None:
    reply = await chat.send("/moderators arbetsmarknad add @Anna", ORGANISER)
    assert "Anna Andersson @anna (1001) now moderates the questions of Labour-market" \
        in chat.text(reply)
    assert ANNA in chat.assistant.roles.moderators("arbetsmarknad")
    sent = await chat.deliver()
    assert "You now moderate the questions of Labour-market policy network" in chat.text(sent[ANNA])
    again = await chat.send("/moderators arbetsmarknad add 1001", ORGANISER)
    assert "already moderates" in chat.text(again)
    listing = await chat.send("/moderators", ORGANISER)
    assert ("Labour-market policy network (arbetsmarknad): Mona @mona (2), Anna Andersson "
            "@anna (1001)") in chat.text(listing)
    assert chat.text(listing).startswith("Question moderators\n")
    assert "The moderator named in the programme leads the meeting" in chat.text(listing)
    unknown = await chat.send("/moderators arbetsmarknad add @nobody", ORGANISER)
    assert "I don't know @nobody" in chat.text(unknown)
    unknown = await chat.send("/moderators arbetsmarknad add 424242", ORGANISER)
    assert "I don't know 424242" in chat.text(unknown)
    network = await chat.send("/moderators skola add @anna", ORGANISER)
    assert "There is no network skola" in chat.text(network)
    removed = await chat.send("/moderators arbetsmarknad remove @anna", ORGANISER)
    assert "no longer moderates" in chat.text(removed)
    assert ANNA not in chat.assistant.roles.moderators("arbetsmarknad")
    refused = await chat.send("/moderators arbetsmarknad add @anna", ANNA)
    assert "only organisers can use /moderators" in chat.text(refused)
    audit = [(d["action"], d["details"]) for d in
             chat.assistant.store.table("assistant_audit").all()]
    assert ("questions.moderator_added", "arbetsmarknad 1001") in audit
    assert ("questions.moderator_removed", "arbetsmarknad 1001") in audit


async def test_export_csv_names_only_named_askers(chat) -> None:
    await ask(chat, ANNA, text="Named?", event="am-live")
    formula = '=HYPERLINK("x")'
    await ask(chat, BO, text=formula, event="am-live", anonymous=True)
    await chat.press_data(f"questions:up:{qid(chat, formula)}:0", CECILIA)
    export = chat.assistant.exports["questions"]
    ctx = chat.assistant.context(export.plugin)
    document = export.handler(ctx, "am-live")
    assert document.filename == "questions-am-live.csv"
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert rows[0] == ["number", "question", "votes", "asker", "status", "asked at", "answered at"]
    assert [r[1:5] for r in rows[1:]] == [["'=HYPERLINK(\"x\")", "1", "anonymous", "Published"],
                                          ["Named?", "0", "Anna Andersson", "Published"]]
    assert rows[1][5] == "2027-09-01 10:00"
    with pytest.raises(LookupError):
        export.handler(ctx, "nope")


async def test_csv_in_chat_for_moderators_only(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    [reply] = await chat.send("/questions am-live csv", MODERATOR)
    assert reply.document.filename == "questions-am-live.csv"
    assert QUESTION in reply.document.content.decode("utf-8-sig")
    refused = await chat.send("/questions am-live csv", BO)
    assert all(r.document is None for r in refused)
    await chat.press_data("questions:csv:am-live", OTHER_MODERATOR)
    assert all(r.document is None for r in chat.last[OTHER_MODERATOR])


async def test_long_lists_are_paged_within_telegram_limits(chat) -> None:
    for n in range(25):
        user = 5000 + n
        chat.user(user, f"P{n}")
        await ask(chat, user, text=f"Question {n} " + "x" * 900, event=LONG_ID)
    listing = await chat.send(f"/questions {LONG_ID}", BO)
    [reply] = listing
    assert len(reply.text) <= 4096
    assert sum(len(row) for row in reply.buttons) <= 100
    assert all(len(b.data.encode()) <= 64 for row in reply.buttons for b in row)
    assert "Page 1 of 9" in chat.text(listing)
    seen = set()
    for _ in range(9):
        seen |= {n for n in range(25) if f"Question {n} " in chat.text(chat.last[BO])}
        if "Next ▶" not in chat.buttons(chat.last[BO]):
            break
        await chat.press("Next ▶", BO)
        assert chat.last[BO][0].edit
    assert seen == set(range(25))
    queue = await chat.send(f"/moderate {LONG_ID}", ORGANISER)
    assert len(queue) == 1 + 8 + 1
    assert all(len(b.data.encode()) <= 64 for r in queue for row in r.buttons for b in row)
    await chat.press("Show more", ORGANISER)
    assert len(chat.last[ORGANISER]) == 8 + 1


async def test_hostile_text_is_escaped_everywhere(chat) -> None:
    hostile = "<b>bold</b> & <script>alert(1)</script> *star* _u_ [x](http://e.vil) `c`"
    await ask(chat, ANNA, text=hostile, event="am-live")
    for reply in await chat.send("/questions am-live", BO):
        assert "<script>" not in reply.text and "&lt;script&gt;" in reply.text
        assert hostile in chat.text([reply])
    queue = await chat.send("/moderate am-live", MODERATOR)
    assert hostile in chat.text(queue) and "<b>bold</b>" not in "".join(r.text for r in queue)


async def test_swedish_participant(chat) -> None:
    prompt = await chat.send("/ask am-09-02", CECILIA)
    assert "Vilken fråga vill du ställa inför Arbetsmarknaden efter corona?" in chat.text(prompt)
    back = await chat.send("Hur går det?", CECILIA)
    assert "Visa mitt namn" in chat.buttons(back)[0]
    assert "Inget skickas förrän du har valt." in chat.text(back)
    done = await chat.press("anonymt", CECILIA)
    assert "Du frågade anonymt." in chat.text(done)


async def test_stale_draft_buttons_and_cancel(chat) -> None:
    await chat.send("/ask am-09-02", ANNA)
    back = await chat.send(QUESTION, ANNA)
    cancelled = await chat.press("Cancel", ANNA)
    assert "OK, I didn't send it." in chat.text(cancelled)
    await chat.press("Show my name", ANNA, back)
    assert chat.toasts[ANNA] == "This question was already sent or cancelled."
    assert chat.assistant.store.table("questions_items").all() == []


async def test_a_typed_question_waits_for_its_buttons_after_other_commands(private_chat) -> None:
    """A question typed before another command (another meeting's card, another question) is
    not lost: the message says nothing is sent until one chooses, and its buttons still work."""
    chat = private_chat
    await chat.send("/ask am-09-02", ANNA)
    back = await chat.send(QUESTION, ANNA)
    assert "Nothing is sent until you choose." in chat.text(back)
    assert "these buttons still work after other commands" in chat.text(back)
    card = await chat.send("/event am-live", ANNA)
    assert "Skills supply" in chat.text(card)
    await chat.send("/ask am-live", ANNA)
    other = await chat.send("Another one?", ANNA)
    drafts = (await my_data(chat, ANNA))["drafts"]
    assert sorted((d["event"], d["text"]) for d in drafts) == [
        ("am-09-02", QUESTION), ("am-live", "Another one?")]
    done = await chat.press("Show my name", ANNA, back)
    assert "Thank you!" in chat.text(done) and "The labour market after corona" in chat.text(done)
    done = await chat.press("Ask anonymously", ANNA, other)
    assert "Thank you!" in chat.text(done) and "Skills supply" in chat.text(done)
    assert QUESTION in chat.text(await chat.send("/moderate am-09-02", MODERATOR))
    assert "Another one?" in chat.text(await chat.send("/questions am-live", BO))


async def test_draft_survives_a_restart(mingel_chat, tmp_path) -> None:
    env = programme_env(tmp_path / "programme")
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW, env=env,
                             data_dir=tmp_path / "data")
    chat.user(ANNA, "Anna", lang="en")
    await chat.send("/ask am-09-02", ANNA)
    back = await chat.send(QUESTION, ANNA)
    await chat.stop()
    again = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW, env=env,
                              data_dir=tmp_path / "data")
    again.user(ANNA, "Anna", lang="en")
    done = await again.press("Show my name", ANNA, back)
    assert "Thank you!" in again.text(done)


async def test_privacy_data_and_forgetting(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    await ask(chat, BO, text="Bo asks?", event="am-live")
    await chat.press_data(f"questions:up:{qid(chat, 'Bo asks?')}:0", ANNA)
    await chat.press_data("questions:follow:am-live:0", ANNA)
    ctx = chat.assistant.context("privacy")
    mine = chat.assistant.hooks.user_data(ctx, ANNA)["questions"]
    assert [q["text"] for q in mine["questions"]] == [QUESTION]
    assert len(mine["votes"]) == 1
    assert mine["following"] == [{"event": "am-live", "title": "Skills supply",
                                  "when": "Tuesday, 21 September 2027, 09:30–12:30"}]
    assert mine["questions"][0]["title"] == mine["votes"][0]["title"] == "Skills supply"
    notice = dict(chat.assistant.hooks.privacy_notice(ctx))["questions"]
    assert "Everything is deleted a year after it was written." in notice
    assert "12 months" not in notice, "the other paragraphs of /privacy say a year"
    assert await chat.assistant.hooks.forget_user(ctx, ANNA) == []
    await chat.assistant.store.commit()
    assert "questions" not in chat.assistant.hooks.user_data(ctx, ANNA)
    assert [d["text"] for d in chat.assistant.store.table("questions_items").all()] == [
        "Bo asks?"]
    assert chat.assistant.store.table("questions_votes").all() == []
    listing = chat.text(await chat.send("/questions am-live", BO))
    assert "Anna" not in listing and QUESTION not in listing and "Bo asks?" in listing


async def my_data(chat, user) -> dict:
    """What /mydata sends about the user's questions."""
    [copy] = chat.documents(await chat.send("/mydata", user))
    return json.loads(copy.content)["plugins"].get("questions", {})


async def test_forget_deletes_the_questions_and_the_others_keep_their_numbers(
        private_chat) -> None:
    """/forget promises to delete one's questions: the text is theirs. Everyone sees them go,
    at every meeting; the other questions keep their numbers, the counts follow."""
    chat = private_chat
    await ask(chat, ANNA, text="Does Acme AB's plan work?", event="am-live")
    await ask(chat, BO, text="Bo's question?", event="am-live")
    await ask(chat, ANNA, text="Waiting one?")
    await chat.send("/ask bo-10-01", ANNA)
    await chat.send("A draft about Acme AB?", ANNA)
    bo, acme = qid(chat, "Bo's question?"), qid(chat, "Does Acme AB's plan work?")
    for voter in (ANNA, CECILIA):
        await chat.press_data(f"questions:up:{bo}:0", voter)
    await chat.press_data(f"questions:up:{acme}:0", CECILIA)
    card = await chat.send("/event am-live", BO)
    assert "💬 Questions (2)" in chat.buttons(card)
    before = await my_data(chat, ANNA)
    assert sorted(q["text"] for q in before["questions"]) == ["Does Acme AB's plan work?",
                                                               "Waiting one?"]
    assert [v["question"] for v in before["votes"]] == [2]
    assert [d["text"] for d in before["drafts"]] == ["A draft about Acme AB?"]
    prompt = await chat.send("/forget", ANNA)
    assert "questions" in chat.text(prompt)
    done = await chat.press("Yes, delete everything", ANNA)
    assert chat.text(done).startswith("Done. I have deleted everything")

    queue = chat.text(await chat.send("/moderate am-live", MODERATOR))
    assert "Acme" not in queue and "Waiting: 0 · published: 1 · hidden: 0" in queue
    assert "#2 · Published · 👍 1\nBo's question?" in queue
    assert "Waiting: 0" in chat.text(await chat.send("/moderate am-09-02", MODERATOR))
    listing = chat.text(await chat.send("/questions am-live", BO))
    assert "Acme" not in listing and "#2 · 👍 1 · Bo" in listing
    assert "💬 Questions (1)" in chat.buttons(await chat.send("/event am-live", BO))
    [csv_file] = chat.documents(await chat.send("/questions am-live csv", MODERATOR))
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert [r[:3] for r in rows[1:]] == [["2", "Bo's question?", "1"]]
    stored = json.dumps([d for name in ("items", "votes", "drafts", "followers")
                         for d in chat.assistant.store.table(f"questions_{name}").all()])
    assert "Acme" not in stored and "Waiting one?" not in stored
    await ask(chat, CECILIA, text="Tredje?", event="am-live")
    assert "#3 · 👍 0 · Cecilia" in chat.text(await chat.send("/questions am-live", BO))


async def test_forget_gives_the_place_to_what_was_merged_into_the_question_and_stops_its_notices(
        private_chat) -> None:
    """A duplicate merged into a forgotten question takes its place (being answered: the
    room is answering what it asks too), and a "now answering" notice quoting the forgotten
    text is not sent."""
    chat = private_chat
    await ask(chat, ANNA, text="What about Acme's wages?", event="am-live")
    await ask(chat, BO, text="And wages??", event="am-live")
    await chat.press_data("questions:follow:am-live:0", CECILIA)
    duplicate, target = qid(chat, "And wages??"), qid(chat, "What about Acme's wages?")
    await chat.press_data(f"questions:merge:{duplicate}", MODERATOR)
    await chat.press_data(f"questions:into:{duplicate}:{target}", MODERATOR)
    await chat.press_data(f"questions:now:{target}", MODERATOR)
    outbox = chat.assistant.store.table("assistant_outbox")
    assert "Acme" in json.dumps([d for d in outbox.find(chat=CECILIA)]), "a notice waits"
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    sent = await chat.deliver()
    assert "Acme" not in json.dumps({k: chat.text(v) for k, v in sent.items()})
    assert "Acme" not in json.dumps(outbox.all())
    queue = chat.text(await chat.send("/moderate am-live", MODERATOR))
    assert "#2 · Now answering · 👍 0\nAnd wages??" in queue


async def merged_then_forgotten(chat, event: str, approve: bool = False,
                                old_merge: bool = False) -> tuple[int, dict]:
    """Bo's question, backed by Cecilia and Olga (who backs Anna's too), is merged into
    Anna's; then Anna uses /forget. Bo's question id, and its votes by voter."""
    await ask(chat, ANNA, text="What about Acme's wages?", event=event)
    await ask(chat, BO, text="And wages??", event=event)
    duplicate, target = qid(chat, "And wages??"), qid(chat, "What about Acme's wages?")
    for question in (duplicate, target):
        if approve:
            await chat.press_data(f"questions:approve:{question}", MODERATOR)
    await chat.press_data(f"questions:up:{duplicate}:0", CECILIA)
    await chat.press_data(f"questions:up:{duplicate}:0", ORGANISER)
    await chat.press_data(f"questions:up:{target}:0", ORGANISER)
    await chat.press_data(f"questions:merge:{duplicate}", MODERATOR)
    await chat.press_data(f"questions:into:{duplicate}:{target}", MODERATOR)
    items = chat.assistant.store.table("questions_items")
    if old_merge:  # as merged by a version that did not keep the status
        items.update(duplicate, {"merged_status": None})
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    votes = chat.assistant.store.table("questions_votes").find(question=duplicate)
    return duplicate, {v["user"]: v for v in votes}


async def test_forget_gives_a_merged_duplicate_back_its_votes_and_its_place(
        private_chat) -> None:
    """Nobody who backed Bo's question asked to be forgotten: their votes come back with it,
    and in a live meeting it is published again, not waiting for a moderator (review 29)."""
    chat = private_chat
    duplicate, votes = await merged_then_forgotten(chat, "am-live")
    assert sorted(votes) == [ORGANISER, CECILIA]
    assert chat.assistant.store.table("questions_items").get(duplicate)["status"] == "live"
    listing = chat.text(await chat.send("/questions am-live", CECILIA))
    assert "👍 2 · Bo" in listing and "And wages??" in listing and "Acme" not in listing


async def test_forget_gives_an_approved_duplicate_back_approved(private_chat) -> None:
    chat = private_chat
    duplicate, votes = await merged_then_forgotten(chat, "am-09-02", approve=True)
    assert sorted(votes) == [ORGANISER, CECILIA]
    assert chat.assistant.store.table("questions_items").get(duplicate)["status"] == "live"
    assert "And wages??" in chat.text(await chat.send("/questions am-09-02", CECILIA))


async def test_a_duplicate_merged_before_its_status_was_kept_comes_back_live_in_a_live_meeting(
        private_chat) -> None:
    """Questions there are published at once, so it is published again."""
    duplicate, _votes = await merged_then_forgotten(private_chat, "am-live", old_merge=True)
    assert private_chat.assistant.store.table("questions_items").get(duplicate)["status"] == \
        "live"


async def test_a_duplicate_merged_before_its_status_was_kept_takes_the_approved_place(
        private_chat) -> None:
    """QA 35: it does not go back to waiting for approval: it takes the place of the approved
    question it was merged into."""
    duplicate, _votes = await merged_then_forgotten(private_chat, "am-09-02", approve=True,
                                                    old_merge=True)
    assert private_chat.assistant.store.table("questions_items").get(duplicate)["status"] == \
        "live"


async def test_retention_deletes_old_questions_and_drafts(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    await chat.send("/ask am-09-02", BO)
    await chat.send("A draft", BO)
    await chat.tick(days=2)
    assert chat.assistant.store.table("questions_drafts").all() == []
    assert len(chat.assistant.store.table("questions_items").all()) == 1
    await chat.tick(days=365)
    assert chat.assistant.store.table("questions_items").all() == []


async def test_chooser_without_an_id(chat) -> None:
    reply = await chat.send("/ask", ANNA)
    assert "Which meeting?" in chat.text(reply)
    labels = chat.buttons(reply)
    assert any("The labour market after corona" in label for label in labels)
    assert not any("Roundtable" in label or "Secret" in label for label in labels)
    await chat.press("labour market", ANNA)
    assert "What would you like to ask" in chat.text(chat.last[ANNA])


async def test_the_pickers_list_a_cancelled_meeting_in_its_place(chat) -> None:
    """A cancelled meeting that has questions comes at its date, as in every other picker,
    not after the last meeting of the autumn."""
    chat.assistant.store.table("questions_items").insert({
        "event": "am-cancelled", "user": ANNA, "name": "Anna", "username": None,
        "text": "Before it was cancelled?", "norm": "before it was cancelled",
        "anonymous": False, "status": "live", "at": "2027-08-30T09:00:00.000000+00:00",
        "answered_at": None, "merged_into": None})
    expected = ["Thu 2 Sept 09:30 · The labour market after corona",
                "Tue 21 Sept 09:30 · Skills supply",
                "❌ Thu 23 Sept 09:30 · Cancelled", "Fri 1 Oct 09:30 · The housing shortage",
                "Sat 2 Oct 09:30 · Long id"]
    assert chat.buttons(await chat.send("/questions", BO)) == expected
    assert chat.buttons(await chat.send("/moderate", ORGANISER)) == [
        *expected[:3], "Fri 24 Sept 09:30 · Secret", *expected[3:]]
    assert "❌" not in " ".join(chat.buttons(await chat.send("/ask", BO)))


async def test_unknown_meeting(chat) -> None:
    reply = await chat.send("/questions <nope>", ANNA)
    assert "I can't find a meeting with the id <nope>." in chat.text(reply)


async def test_text_that_escaping_makes_long_still_fits_one_message(chat) -> None:
    await ask(chat, ANNA, text="<i>" * 333, event="am-live")
    await ask(chat, BO, text="&x" * 500, event="am-live")
    listing = await chat.send("/questions am-live", BO)
    assert "Page 1 of 2" in chat.text(listing) and len(listing[0].text) <= 4096
    queue = await chat.send("/moderate am-live", MODERATOR)
    assert all(len(reply.text) <= 4096 for reply in queue)


async def test_an_anonymous_asker_who_follows_gets_one_notice_in_their_language(
        chat) -> None:
    """Cecilia asked anonymously and follows the questions: she alone hears that hers is being
    answered, once and in Swedish; the other followers read the question without her name."""
    await ask(chat, CECILIA, text="Hur blir det med lönerna?", event="am-live", anonymous=True)
    for user, label in ((CECILIA, "Följ frågorna"), (BO, "Follow questions")):
        await chat.press(label, user, await chat.send("/questions am-live", user))
    await chat.press_data(f"questions:now:{qid(chat, 'Hur blir det med lönerna?')}", MODERATOR)
    sent = await chat.deliver()
    assert chat.text(sent[CECILIA]) == ("🎤 Nu besvaras din fråga på Kompetensförsörjning:\n\n"
                                        "Hur blir det med lönerna?")
    assert chat.text(sent[BO]).startswith("🎤 Now answering at Skills supply:")
    assert "Cecilia" not in chat.text(sent[BO])


async def test_a_new_now_answering_puts_the_previous_one_back(chat) -> None:
    await ask(chat, ANNA, text="First?", event="am-live")
    await ask(chat, BO, text="Second?", event="am-live")
    await chat.press_data(f"questions:now:{qid(chat, 'First?')}", MODERATOR)
    await chat.press_data(f"questions:now:{qid(chat, 'Second?')}", MODERATOR)
    items = chat.assistant.store.table("questions_items")
    assert items.get(qid(chat, "First?"))["status"] == "live"
    assert items.get(qid(chat, "Second?"))["status"] == "answering"


async def test_export_of_a_meeting_no_longer_in_the_programme(chat) -> None:
    chat.assistant.store.table("questions_items").insert({
        "event": "gone-2026", "user": ANNA, "name": "Anna", "username": None, "text": "Old?",
        "norm": "old", "anonymous": False, "status": "answered",
        "at": "2026-03-01T09:00:00.000000+00:00", "answered_at": None, "merged_into": None})
    export = chat.assistant.exports["questions"]
    document = export.handler(chat.assistant.context(export.plugin), "gone-2026")
    rows = list(csv.reader(io.StringIO(document.content.decode("utf-8-sig"))))
    assert rows[1][1:6] == ["Old?", "0", "Anna", "Answered", "2026-03-01 10:00"]


@pytest.mark.parametrize("text", ["Vad <b>kostar</b> det & när?", "<" * 2999 + "å", "a" * 3000,
                                  "a" * 2997 + "&b", "x" * 5000])
def test_a_question_is_shown_escaped_and_cut_only_between_characters(text: str) -> None:
    from html import unescape

    from plugins.questions.render import CLIP, clipped
    shown = clipped(text)
    assert len(shown) <= CLIP + 1
    if shown.endswith("…"):
        assert text.startswith(unescape(shown[:-1])) and len(unescape(shown[:-1])) < len(text)
        assert len(shown) > CLIP - len("&quot;")
    else:
        assert unescape(shown) == text
    bare = re.sub(r"&(lt|gt|amp|quot|#x27);", "", shown)
    assert "<" not in bare and ">" not in bare and "&" not in bare


async def test_a_question_stored_before_the_limits_still_fits_one_message(chat) -> None:
    """Clipping counts UTF-16 units as Telegram does: a question of emoji families stored
    before the limits (9,900 units) is cut, not sent as a message Telegram would refuse or
    split, in the list and on the moderator's card."""
    family = "👨\u200d👩\u200d👧\u200d👦"
    chat.assistant.store.table("questions_items").insert({
        "event": "am-09-02", "user": BO, "name": "Bo", "username": None, "text": family * 900,
        "norm": family * 900, "anonymous": False, "status": "live",
        "at": "2027-09-01T08:00:00.000000+00:00", "answered_at": None, "merged_into": None})
    listing = await chat.send("/questions am-09-02", ANNA)
    queue = await chat.send("/moderate am-09-02", MODERATOR)
    for reply in [*listing, *queue]:
        assert units(reply.text) <= 4096
    assert any(family in r.text and r.text.count(family) < 900 and "…" in r.text for r in listing)
    assert any(family in r.text and "…" in r.text for r in queue)


async def test_meeting_ids_typed_in_capitals_work_for_questions(chat) -> None:
    prompt = await chat.send("/ask Am-09-02", ANNA)
    assert "What would you like to ask at The labour market after corona?" in chat.text(prompt)
    back = await chat.send(QUESTION, ANNA)
    await chat.press("Show my name", ANNA)
    assert "Shall I show your name" in chat.text(back)
    assert [d["event"] for d in chat.table("questions", "items")] == ["am-09-02"]
    assert "Questions for The labour market after corona" in chat.text(
        await chat.send("/questions AM-09-02", BO))
    assert QUESTION in chat.text(await chat.send("/moderate AM-09-02", MODERATOR))


def _legacy(chat, user, text, at):
    """A question as stored before questions had numbers."""
    return chat.assistant.store.table("questions_items").insert({
        "event": "am-live", "user": user, "name": "X", "username": None, "text": text,
        "norm": text.lower().rstrip("?"), "anonymous": False, "status": "live", "at": at,
        "answered_at": None, "merged_into": None})


def _heads(chat, replies):
    return [line.split(" · ")[0] + " " + line.rsplit(" · ", 1)[-1]
            for line in chat.text(replies).splitlines() if line.startswith("#")]


async def test_a_question_stored_without_a_number_keeps_it_when_an_earlier_one_goes(chat):
    """A moderator's #3 stays #3 after the retention clean-up deletes #1, for questions
    stored before numbers were written down too."""
    first = _legacy(chat, ANNA, "Old one?", "2027-08-01T08:00:00+00:00")
    _legacy(chat, BO, "Old two?", "2027-08-02T08:00:00+00:00")
    _legacy(chat, CECILIA, "Old three?", "2027-08-03T08:00:00+00:00")
    heads = _heads(chat, await chat.send("/questions am-live", MODERATOR))
    assert sorted(heads) == ["#1 X", "#2 X", "#3 X"]
    chat.assistant.store.table("questions_items").remove(first)
    await ask(chat, ANNA, text="New four?", event="am-live")
    listing = await chat.send("/moderate am-live", MODERATOR)
    assert "#2 · Published · 👍 0\nOld two?" in chat.text(listing)
    assert "#3 · Published · 👍 0\nOld three?" in chat.text(listing)
    assert "#4 · Published · 👍 0\nNew four?" in chat.text(listing)


async def test_the_number_of_a_deleted_last_question_is_not_given_again(chat):
    await ask(chat, ANNA, text="One?", event="am-live")
    await ask(chat, BO, text="Two?", event="am-live")
    chat.assistant.store.table("questions_items").remove(qid(chat, "Two?"))
    await ask(chat, CECILIA, text="Three?", event="am-live")
    heads = _heads(chat, await chat.send("/questions am-live", MODERATOR))
    assert sorted(heads) == ["#1 Anna Andersson", "#3 Cecilia"]


async def test_questions_stored_without_numbers_are_numbered_once_at_start(chat):
    """The numbers are written when the bot starts, so a question deleted before anyone
    looks (the retention sweep runs at once) cannot move the others down."""
    chat.assistant.store.set_meta("version:questions", 0)
    first = _legacy(chat, ANNA, "Old one?", "2027-08-01T08:00:00+00:00")
    _legacy(chat, BO, "Old two?", "2027-08-02T08:00:00+00:00")
    await chat.restart()
    chat.assistant.store.table("questions_items").remove(first)
    listing = await chat.send("/moderate am-live", MODERATOR)
    assert "#2 · Published · 👍 0\nOld two?" in chat.text(listing)
    await ask(chat, CECILIA, text="Three?", event="am-live")
    assert "#3 · 👍 0 · Cecilia" in chat.text(await chat.send("/questions am-live", BO))


async def test_a_superscript_digit_is_not_a_user_id_or_a_page(chat) -> None:
    """"²" is a digit to str.isdigit but not to int: it used to stop the handler."""
    [reply] = await chat.send("/moderators arbetsmarknad remove ²", ORGANISER)
    assert chat.text([reply]).startswith("I don't know ².")
    [page] = await chat.send("/moderate am-09-02 ²", MODERATOR)
    assert "went wrong" not in chat.text([page])


async def test_moderators_takes_swedish_keywords_and_swedish_help_names_them(chat) -> None:
    olga = chat.user(ORGANISER, "Olga", lang="sv", username="olga")
    help_text = chat.text(await chat.send("/help", olga))
    assert "/moderators NÄTVERK lägg till|ta bort ANVÄNDARE" in help_text
    added = await chat.send("/moderators arbetsmarknad lägg till @Anna", olga)
    assert "Anna Andersson @anna (1001) modererar nu frågorna" in chat.text(added)
    assert ANNA in chat.assistant.roles.moderators("arbetsmarknad")
    removed = await chat.send("/moderators arbetsmarknad Ta Bort @anna", olga)
    assert "är inte längre moderator" in chat.text(removed)
    assert ANNA not in chat.assistant.roles.moderators("arbetsmarknad")
    wrong = await chat.send("/moderators arbetsmarknad lägg @anna", olga)
    assert chat.text(wrong).startswith("Skriv /moderators arbetsmarknad lägg till ANVÄNDARE "
                                       "eller /moderators arbetsmarknad ta bort ANVÄNDARE")
    listing = chat.text(await chat.send("/moderators", olga))
    assert listing.endswith("Utse fler med /moderators NÄTVERK lägg till ANVÄNDARE.")
    again = await chat.send("/moderators arbetsmarknad add @anna", olga)
    assert "modererar nu frågorna" in chat.text(again), "the English words still work"


async def test_audit_names_moderators_in_swedish_until_they_are_forgotten(mingel_chat,
                                                                           tmp_path) -> None:
    chat = await mingel_chat([*plugins(), "plugins.audit", "plugins.privacy"],
                             organisers=[ORGANISER], now=NOW, env=programme_env(tmp_path))
    chat.user(ORGANISER, "Olga", lang="sv")
    chat.user(ANNA, "Anna", lang="en", last_name="Andersson", username="anna")
    await chat.send("/start", ANNA)
    await chat.send("/moderators arbetsmarknad lägg till @anna", ORGANISER)
    await chat.send("/moderators arbetsmarknad ta bort 1001", ORGANISER)
    shown = chat.text(await chat.send("/audit", ORGANISER))
    assert "Olga · Ny moderator för arbetsmarknad: Anna Andersson @anna (1001)" in shown
    assert ("Olga · Inte längre moderator för arbetsmarknad: Anna Andersson @anna (1001)"
            in shown)
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    shown = chat.text(await chat.send("/audit", ORGANISER))
    assert "Ny moderator för arbetsmarknad: [forgotten]" in shown
    assert "1001" not in shown and "Anna" not in shown


async def merged_by_mistake(chat) -> tuple[int, int, int]:
    """Three questions at a live meeting; Olga backs #1 and #2, Cecilia #2; #2 (Bo's) is merged
    into #1 and Bo is told. The stored ids of #1, #2 and #3."""
    await ask(chat, ANNA, text="What about wages?", event="am-live")
    await ask(chat, BO, text="And pensions??", event="am-live")
    await ask(chat, CECILIA, text="Pensions for the self-employed?", event="am-live")
    first, second, third = (qid(chat, t) for t in ("What about wages?", "And pensions??",
                                                   "Pensions for the self-employed?"))
    for voter, question in ((ORGANISER, first), (ORGANISER, second), (CECILIA, second)):
        await chat.press_data(f"questions:up:{question}:0", voter)
    await chat.press_data(f"questions:merge:{second}", MODERATOR)
    await chat.press("#1 · What about wages?", MODERATOR)
    return first, second, third


async def test_merge_targets_are_listed_by_number_whatever_their_votes(chat) -> None:
    """The QA picked the wrong target because the order followed the votes (finding 3)."""
    for user, text in ((ANNA, "One?"), (BO, "Two?"), (CECILIA, "Three?")):
        await ask(chat, user, text=text, event="am-live")
    for voter in (ORGANISER, CECILIA, ANNA):
        await chat.press_data(f"questions:up:{qid(chat, 'Two?')}:0", voter)
    choices = await chat.press_data(f"questions:merge:{qid(chat, 'Three?')}", MODERATOR)
    assert chat.buttons(choices) == ["#1 · One?", "#2 · Two?", "◀ Back"]


async def test_a_merged_question_is_listed_counted_and_can_be_unmerged(chat) -> None:
    first, second, _third = await merged_by_mistake(chat)
    sent = await chat.deliver()
    assert "was merged with a similar one" in chat.text(sent[BO])
    header, *cards = await chat.send("/moderate am-live", MODERATOR)
    assert "Waiting: 0 · published: 2 · hidden: 1" in chat.text([header])
    card = cards[-1]
    assert "#2 · Hidden · 👍 0" in chat.text([card]) and "Merged into #1." in chat.text([card])
    assert chat.buttons([card]) == ["↩ Undo merge"]
    undone = await chat.press("Undo merge", MODERATOR, [card])
    assert "#2 · Published · 👍 2" in chat.text(undone) and "Merged into" not in chat.text(undone)
    assert chat.toasts[MODERATOR] == "Merge undone."
    votes = chat.assistant.store.table("questions_votes")
    assert sorted(v["user"] for v in votes.find(question=second)) == [ORGANISER, CECILIA]
    assert [v["user"] for v in votes.find(question=first)] == [ORGANISER], \
        "Olga backed #1 herself; Bo and Cecilia only through #2"
    listing = chat.text(await chat.send("/questions am-live", ANNA))
    assert "#2 · 👍 2 · Bo\nAnd pensions??" in listing and "#1 · 👍 1 · Anna" in listing
    sent = await chat.deliver()
    assert list(sent) == [BO]
    assert chat.text(sent[BO]) == (
        "Correction: your question at Skills supply was not merged after all. It is "
        "listed on its own again:\n\nAnd pensions??\n\nI'll tell you when it has been answered.")
    await chat.press_data(f"questions:done:{first}", MODERATOR)
    assert BO not in await chat.deliver(), "Bo is not told #1 answered his question"
    audit = [(e["action"], e["details"]) for e in chat.assistant.store.table("assistant_audit").all()]
    assert ("questions.unmerge", "question #2 out of #1 at am-live") in audit


async def test_a_merge_undone_before_its_notice_went_tells_the_asker_nothing(chat) -> None:
    """Undone before the notice was sent: Bo hears of neither; merged again into the right
    question, he is told that one."""
    _first, second, third = await merged_by_mistake(chat)
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert await chat.deliver() == {}
    await chat.press_data(f"questions:merge:{second}", MODERATOR)
    await chat.press("#3 · Pensions", MODERATOR)
    sent = await chat.deliver()
    assert list(sent) == [BO]
    assert "merged with a similar one:\n\nPensions for the self-employed?" in chat.text(sent[BO])
    votes = chat.assistant.store.table("questions_votes")
    assert sorted(v["user"] for v in votes.find(question=third)) == [ORGANISER, BO]
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    sent = await chat.deliver()
    assert "was not merged after all" in chat.text(sent[BO])
    assert votes.find(question=third) == []


async def test_an_approved_question_merged_by_mistake_comes_back_approved(chat) -> None:
    await ask(chat, ANNA, text="What about wages?")
    await ask(chat, BO, text="And pensions??")
    first, second = qid(chat, "What about wages?"), qid(chat, "And pensions??")
    await chat.press_data(f"questions:approve:{first}", MODERATOR)
    await chat.press_data(f"questions:merge:{second}", MODERATOR)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert chat.assistant.store.table("questions_items").get(second)["status"] == "pending"
    again = await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert chat.toasts[MODERATOR] == "This question has changed in the meantime."
    assert "Waiting for approval" in chat.text(again)


async def test_many_merge_targets_are_paged_in_number_order(chat) -> None:
    for n in range(1, 23):
        await ask(chat, ANNA, text=f"Question {n}?", event="am-live")
    choices = await chat.press_data(f"questions:merge:{qid(chat, 'Question 22?')}", MODERATOR)
    labels = chat.buttons(choices)
    assert labels[:2] == ["#1 · Question 1?", "#2 · Question 2?"]
    assert labels[19:] == ["#20 · Question 20?", "Next ▶", "◀ Back"]
    rest = await chat.press("Next ▶", MODERATOR)
    assert chat.buttons(rest) == ["#21 · Question 21?", "◀ Previous", "◀ Back"]
    assert chat.buttons(await chat.press("◀ Previous", MODERATOR)) == labels


async def test_a_published_question_is_merged_only_into_a_published_one(chat) -> None:
    """QA 31: merged into one still waiting for approval, a published question and its votes
    went where no participant could see them."""
    await ask(chat, ANNA, text="Waiting one?", event="am-09-02")
    await ask(chat, BO, text="Published one?", event="am-09-02")
    await ask(chat, CECILIA, text="Also published?", event="am-09-02")
    waiting, published, other = (qid(chat, t) for t in
                                 ("Waiting one?", "Published one?", "Also published?"))
    for question in (published, other):
        await chat.press_data(f"questions:approve:{question}", MODERATOR)
    choices = await chat.press_data(f"questions:merge:{published}", MODERATOR)
    assert chat.buttons(choices) == ["#3 · Also published?", "◀ Back"]
    await chat.press_data(f"questions:into:{published}:{waiting}", MODERATOR)
    assert chat.toasts[MODERATOR] == "This question has changed in the meantime."
    assert "Published one?" in chat.text(await chat.send("/questions am-09-02", ANNA))
    choices = await chat.press_data(f"questions:merge:{waiting}", MODERATOR)
    assert chat.buttons(choices) == ["#2 · Published one?", "#3 · Also published?", "◀ Back"]
