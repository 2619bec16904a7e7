"""A merged question after its target was answered or deleted (QA 35): it takes the deleted
question's place, its asker's /mydata says where it went, the "answered" notice quotes it."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tests.test_questions import ask, my_data, qid, started
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, ORGANISER, plugins

BOS = "How does flexicurity handle long-term unemployment among older workers?"
ANNAS = "Hur hanterar Danmark långtidsarbetslösa äldre?"
CECILIAS = "Vad kostar det statskassan?"


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    """The people of tests/test_questions.py, with /mydata and /forget."""
    return await started(mingel_chat, tmp_path, [*plugins(), "plugins.privacy"])


async def merged_and_answered(chat) -> tuple[int, int]:
    """Bo's anonymous #1 and Anna's #2 at am-09-02, both approved; Cecilia backs #1; #1 is
    merged into #2, which is answered; the notices are delivered. Bo's and Anna's ids."""
    await ask(chat, BO, text=BOS, anonymous=True)
    await ask(chat, ANNA, text=ANNAS)
    bos, annas = qid(chat, BOS), qid(chat, ANNAS)
    for question in (bos, annas):
        await chat.press_data(f"questions:approve:{question}", MODERATOR)
    await chat.press_data(f"questions:up:{bos}:0", CECILIA)
    await chat.press_data(f"questions:into:{bos}:{annas}", MODERATOR)
    await chat.press_data(f"questions:done:{annas}", MODERATOR)
    return bos, annas


async def forget(chat, user: int) -> None:
    await chat.send("/forget", user)
    await chat.press("Yes, delete everything", user)


async def test_after_forget_the_merged_question_takes_the_answered_place(chat) -> None:
    """Anna forgets after the meeting: Bo's question is answered (what it asks was), not
    waiting for approval, in the queue, in his /questions and in the CSV."""
    await merged_and_answered(chat)
    await chat.tick(hours=30)
    await forget(chat, ANNA)
    queue = chat.text(await chat.send("/moderate am-09-02", MODERATOR))
    assert "Waiting: 0 · published: 1 · hidden: 0" in queue
    assert f"#1 · Answered · 👍 1\n{BOS}" in queue and "Waiting for approval" not in queue
    listing = chat.text(await chat.send("/questions am-09-02", BO))
    assert "waiting for a moderator's approval" not in listing
    assert f"#1 · ✅ Answered · 👍 1 · Anonymous (yours)\n{BOS}" in listing
    [sheet] = chat.documents(await chat.send("/questions am-09-02 csv", MODERATOR))
    rows = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
    [row] = rows[1:]
    assert row[:5] == ["1", BOS, "1", "anonymous", "Answered"] and row[6]


async def test_the_first_duplicate_takes_the_place_and_the_others_are_merged_into_it(
        chat) -> None:
    """Two duplicates of Anna's question: the first by number stands for it, the other is
    merged into it with its backing."""
    _bos, annas = await merged_and_answered(chat)
    await ask(chat, CECILIA, text=CECILIAS)
    cecilias = qid(chat, CECILIAS)
    await chat.press_data(f"questions:approve:{cecilias}", MODERATOR)
    await chat.press_data(f"questions:up:{cecilias}:0", ORGANISER)
    await chat.press_data(f"questions:into:{cecilias}:{annas}", MODERATOR)
    await forget(chat, ANNA)
    queue = chat.text(await chat.send("/moderate am-09-02", MODERATOR))
    assert f"#1 · Answered · 👍 2\n{BOS}" in queue, "Olga backs it through #3, Cecilia once"
    assert f"#3 · Hidden · 👍 0\n{CECILIAS}" in queue and "Merged into #1." in queue
    await chat.press_data(f"questions:unmerge:{cecilias}", MODERATOR)
    queue = chat.text(await chat.send("/moderate am-09-02", MODERATOR))
    assert f"#1 · Answered · 👍 1\n{BOS}" in queue and "#3 · Published · 👍 1" in queue


async def test_mydata_says_where_a_merged_question_went_and_which_votes_a_merge_made(
        chat) -> None:
    """Bo's question is merged into #2, which was answered; the vote his question gave #2 is
    not his own; every time in UTC, also one stored with the meeting's offset."""
    _bos, annas = await merged_and_answered(chat)
    items = chat.assistant.store.table("questions_items")
    answered_at = items.get(annas)["answered_at"]
    assert answered_at.endswith("+00:00")
    local = answered_at.replace("T08:", "T10:").replace("+00:00", "+02:00")  # the same moment
    items.update(annas, {"answered_at": local})
    mine = await my_data(chat, BO)
    [question] = mine["questions"]
    assert question["status"] == "merged" and question["merged_into"] == 2
    assert question["merged_into_status"] == "answered"
    assert question["answered_at"] == answered_at
    [vote] = mine["votes"]
    assert vote["question"] == 2 and vote["counted_through_merge_of"] == [1]
    cecilias = {v["question"]: v for v in (await my_data(chat, CECILIA))["votes"]}
    assert "counted_through_merge_of" not in cecilias[1], "she upvoted #1 herself"
    assert cecilias[2]["counted_through_merge_of"] == [1]
    times = [v for entry in mine["questions"] + mine["votes"] for k, v in entry.items()
             if k.endswith("at") and v]
    assert len(times) == 3 and all(t.endswith("+00:00") for t in times), times


async def test_a_vote_that_came_through_a_deleted_question_says_so_in_mydata(chat) -> None:
    """Cecilia and Olga upvoted Bo's #2, which was merged into Mona's #3, and #3 into Anna's #1
    (live meeting); then Bo used /forget. Their votes stay where the merges counted them, on #3
    and #1, which carry what #2 asked: #1 still counts them. Their /mydata names #2 as a
    question since deleted, in their language, not `null`, and #3 by its number."""
    await ask(chat, ANNA, text=ANNAS, event="am-live")
    await ask(chat, BO, text=BOS, event="am-live")
    await ask(chat, MODERATOR, text=CECILIAS, event="am-live")
    annas, bos, monas = qid(chat, ANNAS), qid(chat, BOS), qid(chat, CECILIAS)
    for voter in (CECILIA, ORGANISER):
        await chat.press_data(f"questions:up:{bos}", voter)
    await chat.press_data(f"questions:into:{bos}:{monas}", MODERATOR)
    await chat.press_data(f"questions:into:{monas}:{annas}", MODERATOR)
    await chat.send("/forget", BO)
    await chat.press("Yes, delete everything", BO)
    listing = chat.text(await chat.send("/questions am-live", ANNA))
    assert f"#1 · 👍 3 · Anna Andersson (yours)\n{ANNAS}" in listing
    cecilias = {v["question"]: v for v in (await my_data(chat, CECILIA))["votes"]}
    assert cecilias[3]["counted_through_merge_of"] == ["en fråga som sedan har raderats"]
    assert cecilias[1]["counted_through_merge_of"] == ["en fråga som sedan har raderats", 3]
    olgas = {v["question"]: v for v in (await my_data(chat, ORGANISER))["votes"]}
    assert olgas[1]["counted_through_merge_of"] == ["a question since deleted", 3]
    assert "null" not in json.dumps(olgas)


async def test_the_answered_notice_quotes_each_askers_own_question(chat) -> None:
    """Bo is told that his own (English) question was answered with #2, not quoted Anna's
    Swedish text; Anna her own."""
    await merged_and_answered(chat)
    sent = await chat.deliver()
    bo = chat.text(sent[BO])
    assert ("✅ Your question at The labour market after corona has been answered together "
            f"with a similar question, #2:\n\n{BOS}") in bo
    assert ANNAS not in bo.split("has been answered", 1)[1]
    assert chat.text(sent[ANNA]).endswith(f"has been answered:\n\n{ANNAS}")


async def test_the_answered_notice_in_swedish_and_through_a_chain(chat) -> None:
    """Cecilia's question merged into Bo's, Bo's into Anna's: answering Anna's tells both, in
    their languages, each quoting their own."""
    await ask(chat, ANNA, text=ANNAS, event="am-live")
    await ask(chat, BO, text=BOS, event="am-live")
    await ask(chat, CECILIA, text=CECILIAS, event="am-live")
    annas, bos, cecilias = qid(chat, ANNAS), qid(chat, BOS), qid(chat, CECILIAS)
    await chat.press_data(f"questions:into:{cecilias}:{bos}", MODERATOR)
    await chat.press_data(f"questions:into:{bos}:{annas}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:done:{annas}", MODERATOR)
    sent = await chat.deliver()
    assert chat.text(sent[CECILIA]) == (
        "✅ Din fråga har besvarats på Kompetensförsörjning tillsammans med en liknande fråga, "
        f"#1:\n\n{CECILIAS}")
    assert chat.text(sent[BO]).endswith(f"a similar question, #1:\n\n{BOS}")


async def test_a_forget_of_the_answered_asker_keeps_the_others_notices(chat) -> None:
    """Anna forgets before the notices went: hers is dropped, Bo still hears of his."""
    await merged_and_answered(chat)
    await forget(chat, ANNA)
    sent = await chat.deliver()
    assert ANNA not in sent
    assert json.dumps(chat.text(sent[BO]), ensure_ascii=False).count(ANNAS) == 0
    assert chat.text(sent[BO]).endswith(f"a similar question, #2:\n\n{BOS}")


async def test_when_the_heir_is_forgotten_too_the_next_one_takes_the_answered_place(
        chat) -> None:
    """Anna's #1 is answered; her own #2 and Bo's #3 were merged into it. Her /forget deletes
    both of hers, and Bo's question ends up in #1's place, answered."""
    await ask(chat, ANNA, text=ANNAS, event="am-live")
    await ask(chat, ANNA, text="Och de yngre?", event="am-live")
    await ask(chat, BO, text=BOS, event="am-live")
    first, second, third = (qid(chat, t) for t in (ANNAS, "Och de yngre?", BOS))
    for duplicate in (second, third):
        await chat.press_data(f"questions:into:{duplicate}:{first}", MODERATOR)
    await chat.press_data(f"questions:done:{first}", MODERATOR)
    await forget(chat, ANNA)
    queue = chat.text(await chat.send("/moderate am-live", MODERATOR))
    assert "Waiting: 0 · published: 1 · hidden: 0" in queue
    assert f"#3 · Answered · 👍 0\n{BOS}" in queue


async def test_a_question_answered_with_another_then_unmerged_is_told_again_when_answered(
        chat) -> None:
    """"Answered together with #N", then the merge undone: when his own is answered, Bo
    hears of that too."""
    await ask(chat, ANNA, text=ANNAS, event="am-live")
    await ask(chat, BO, text=BOS, event="am-live")
    annas, bos = qid(chat, ANNAS), qid(chat, BOS)
    await chat.press_data(f"questions:into:{bos}:{annas}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:done:{annas}", MODERATOR)
    assert "together with a similar question" in chat.text((await chat.deliver())[BO])
    await chat.press_data(f"questions:unmerge:{bos}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:done:{bos}", MODERATOR)
    told = chat.text((await chat.deliver()).get(BO, []))
    assert "has been answered:" in told and BOS in told
