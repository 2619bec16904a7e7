"""Moderators hear that questions wait for their approval (QA: questions sat unseen until the
meeting): once an hour per meeting, in their language, with the count when it goes out."""
from __future__ import annotations

import pytest

from tests.test_questions import QUESTION, ask, my_data, qid, started
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


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, [*plugins(), "plugins.privacy"])


def nudges(chat, user) -> list[str]:
    """The nudges a person received so far, as plain text."""
    return [chat.text([r]) for r in chat.sent_to(user) if "waiting for approval" in r.text
            or "väntar på godkännande" in r.text]


async def test_a_moderator_hears_that_a_question_waits_with_a_button_to_the_queue(chat) -> None:
    await ask(chat, ANNA, anonymous=True)
    sent = await chat.deliver()
    [nudge] = sent[MODERATOR]
    text = chat.text([nudge])
    assert text.startswith("❓ 1 question for this meeting is waiting for approval:\n"
                           "The labour market after corona\nThursday, 2 September 2027")
    assert "Participants see a question once a moderator has approved it." in text
    assert QUESTION not in text and "Anna" not in text
    assert [b.data for row in nudge.buttons for b in row] == ["questions:queue:am-09-02:0"]
    assert ORGANISER not in sent and OTHER_MODERATOR not in sent and ANNA not in sent
    queue = await chat.press("Moderate the questions", MODERATOR, [nudge])
    assert "Waiting: 1" in chat.text(queue) and QUESTION in chat.text(queue)


async def test_a_swedish_moderator_is_told_in_swedish(chat) -> None:
    chat.user(MODERATOR, "Mona", lang="sv", username="mona")
    await chat.send("/start", MODERATOR)
    await ask(chat, ANNA)
    [nudge] = (await chat.deliver())[MODERATOR]
    text = chat.text([nudge])
    assert text.startswith("❓ 1 fråga inför den här träffen väntar på godkännande:\n"
                           "Arbetsmarknaden efter corona\ntorsdag 2 september 2027")
    assert "Deltagarna ser en fråga när en moderator har godkänt den." in text
    assert chat.buttons([nudge]) == ["🗂 Moderera frågorna"]


async def test_a_burst_of_questions_sends_one_nudge_with_the_count_when_it_goes(chat) -> None:
    for n in range(5):
        await ask(chat, BO, f"Question number {n}?")
    await ask(chat, CECILIA, "Hur går det?")
    await chat.deliver()
    assert nudges(chat, MODERATOR) == [nudges(chat, MODERATOR)[0]]
    assert nudges(chat, MODERATOR)[0].startswith("❓ 6 questions for this meeting")


async def test_within_the_hour_nobody_is_told_again_after_it_a_new_question_says_the_count(
        chat) -> None:
    await ask(chat, ANNA)
    await chat.deliver()
    await ask(chat, BO, "What about wages?")
    await chat.tick(minutes=59)
    assert len(nudges(chat, MODERATOR)) == 1
    await ask(chat, CECILIA, "Hur går det?")
    await chat.tick(minutes=2)
    assert len(nudges(chat, MODERATOR)) == 1
    await chat.tick(minutes=5)
    await ask(chat, BO, "And housing?")
    await chat.deliver()
    first, second = nudges(chat, MODERATOR)
    assert first.startswith("❓ 1 question for ") and second.startswith("❓ 4 questions for ")


async def test_the_organisers_are_told_when_the_network_has_no_moderators(chat) -> None:
    await chat.send(f"/moderators arbetsmarknad remove {MODERATOR}", ORGANISER)
    await chat.deliver()
    await ask(chat, ANNA)
    sent = await chat.deliver()
    assert list(sent) == [ORGANISER]
    assert nudges(chat, ORGANISER)[0].startswith("❓ 1 question for this meeting")
    await ask(chat, CECILIA, "Bostäder?", event="bo-10-01")
    sent = await chat.deliver()
    assert list(sent) == [OTHER_MODERATOR]


async def test_nobody_is_told_when_questions_are_published_at_once(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    assert await chat.deliver() == {}
    await chat.press_data("questions:mode:am-live:approval", MODERATOR)
    await ask(chat, BO, event="am-live")
    [nudge] = (await chat.deliver())[MODERATOR]
    assert chat.text([nudge]).startswith("❓ 1 question for this meeting is waiting for "
                                         "approval:\nSkills supply\n")


async def test_a_moderator_who_asks_is_not_told_of_their_own_question(chat) -> None:
    await ask(chat, MODERATOR)
    assert await chat.deliver() == {}
    await chat.tick(hours=2)
    await ask(chat, ANNA, "What about wages?")
    assert nudges(chat, MODERATOR) == []
    await chat.deliver()
    assert nudges(chat, MODERATOR)[0].startswith("❓ 2 questions for ")


async def test_no_nudge_goes_out_once_nothing_waits_any_more(chat) -> None:
    await ask(chat, ANNA)
    await ask(chat, BO, "What about wages?")
    await chat.send("/moderate am-09-02", MODERATOR)
    await chat.press_data(f"questions:approve:{qid(chat)}", MODERATOR)
    await chat.press_data(f"questions:hide:{qid(chat, 'What about wages?')}", MODERATOR)
    assert await chat.deliver() == {}
    await ask(chat, CECILIA, "Hur går det?")
    await chat.deliver()
    assert nudges(chat, MODERATOR) == [nudges(chat, MODERATOR)[0]]
    assert nudges(chat, MODERATOR)[0].startswith("❓ 1 question for ")


async def test_an_approval_before_it_goes_out_leaves_the_count_that_still_waits(chat) -> None:
    await ask(chat, ANNA)
    await ask(chat, BO, "What about wages?")
    await chat.press_data(f"questions:approve:{qid(chat)}", MODERATOR)
    await chat.deliver()
    [nudge] = nudges(chat, MODERATOR)
    assert nudge.startswith("❓ 1 question for ")


async def test_a_question_deleted_by_forget_before_it_goes_out_leaves_no_nudge(chat) -> None:
    await ask(chat, ANNA)
    prompt = await chat.send("/forget", ANNA)
    await chat.press("Yes", ANNA, prompt)
    await chat.deliver()
    assert nudges(chat, MODERATOR) == []
    assert chat.table("questions", "items") == []
    await ask(chat, BO, "What about wages?")
    await chat.deliver()
    [nudge] = nudges(chat, MODERATOR)
    assert nudge.startswith("❓ 1 question for ")


async def test_a_moderator_who_forgets_is_no_longer_remembered_as_told(chat) -> None:
    await ask(chat, ANNA)
    await chat.deliver()
    [told] = (await my_data(chat, MODERATOR))["told_of_waiting_questions"]
    assert told["event"] == "am-09-02"
    prompt = await chat.send("/forget", MODERATOR)
    await chat.press("Yes", MODERATOR, prompt)
    assert [d for d in chat.table("questions", "nudges") if d["user"] == MODERATOR] == []


async def test_what_is_kept_is_only_who_was_told_when_for_an_hour(chat) -> None:
    await ask(chat, ANNA, anonymous=True)
    await chat.deliver()
    [kept] = chat.table("questions", "nudges")
    assert set(kept) == {"event", "user", "at"} and kept["user"] == MODERATOR
    await chat.tick(hours=2, minutes=1)
    assert chat.table("questions", "nudges") == []


async def test_an_organiser_who_never_wrote_to_the_bot_is_not_sent_a_nudge(mingel_chat,
                                                                            tmp_path) -> None:
    """Telegram refuses a message to someone who never started the bot."""
    silent = 7
    chat = await mingel_chat(plugins(), organisers=[ORGANISER, silent], now=NOW,
                             env=programme_env(tmp_path))
    for user in (ORGANISER, ANNA):
        await chat.send("/start", user)
    await ask(chat, ANNA)
    sent = await chat.deliver()
    assert list(sent) == [ORGANISER] and nudges(chat, ORGANISER)
