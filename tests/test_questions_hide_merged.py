"""Hiding a question that others were merged into: they wait for a moderator's decision on their
own again, with their votes, and nothing counts twice when the hidden one is approved again."""
from __future__ import annotations

import pytest

from tests.test_questions import ask, qid, started
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, ORGANISER, plugins
from tests.test_questions_unmerge import three_questions, voters


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, plugins())


@pytest.fixture
async def private_chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, [*plugins(), "plugins.privacy"])


def status(chat, question: int) -> tuple[str, int | None]:
    doc = chat.assistant.store.table("questions_items").get(question)
    return doc["status"], doc.get("merged_into")


async def test_a_chain_comes_back_one_step(chat) -> None:
    """#3 merged into #2, then #2 into #1; hiding #1 brings #2 back waiting, with Cecilia's
    vote and what #3 brought it (Olga's support), and #3 stays merged into #2. The moderator is
    told that one question went back; the log says #2 is out of #1."""
    first, second, third = await three_questions(chat)
    await chat.press_data(f"questions:into:{third}:{second}", MODERATOR)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    assert voters(chat, first) == [ORGANISER, BO, CECILIA]
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    assert chat.toasts[MODERATOR] == ("Hidden. 1 question merged into it went back to the "
                                      "queue, waiting for approval.")
    assert status(chat, second) == ("pending", None) and status(chat, third)[1] == second
    assert voters(chat, second) == [ORGANISER, CECILIA] and voters(chat, first) == []
    queue = chat.text(await chat.send("/moderate am-live", MODERATOR))
    assert "#2 · Waiting for approval · 👍 2" in queue and "Merged into #2." in queue
    audit = [d["details"] for d in chat.assistant.store.table("assistant_audit").all()]
    assert audit[-2:] == ["question #1 at am-live", "question #2 out of #1 at am-live"]


async def test_a_notice_not_yet_sent_is_dropped(chat) -> None:
    """Bo's merge notice had not gone when the target was hidden: he hears nothing at all."""
    first, second, _third = await three_questions(chat)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    sent = await chat.deliver()
    assert BO not in sent


async def test_a_swedish_moderator_is_told_in_swedish(chat) -> None:
    chat.user(MODERATOR, "Mona", lang="sv", username="mona")
    first, second, third = await three_questions(chat)
    for duplicate in (second, third):
        await chat.press_data(f"questions:into:{duplicate}:{first}", MODERATOR)
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    assert chat.toasts[MODERATOR] == ("Dold. 2 frågor som hade slagits ihop med den har gått tillbaka "
                                      "till kön och väntar på godkännande.")


async def test_a_merge_of_an_earlier_version_gives_the_votes_back_too(chat) -> None:
    """The previous release moved #2's votes onto #1 (`from`; Cecilia had backed both): hiding
    #1 gives #2 its voters back, and #1, approved again, counts only Cecilia's own vote."""
    first, second, _third = await three_questions(chat)
    votes, items = (chat.assistant.store.table(f"questions_{t}") for t in ("votes", "items"))
    for vote in votes.all():
        votes.remove(vote.doc_id)
    for user, own in ((BO, False), (CECILIA, True), (ORGANISER, False)):
        votes.insert({"question": first, "event": "am-live", "user": user, "own": own,
                      "at": "2026-11-23T09:00:00.000000+00:00", "from": [second]})
    items.update(second, {"status": "hidden", "merged_into": first})
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    assert status(chat, second) == ("pending", None)
    assert voters(chat, second) == [ORGANISER, CECILIA]
    await chat.press_data(f"questions:approve:{first}", MODERATOR)
    assert voters(chat, first) == [CECILIA]
    listing = chat.text(await chat.send("/questions am-live", BO))
    assert "#1 · 👍 1 · Anna" in listing and "And pensions??" not in listing


async def test_a_forget_after_the_hide_leaves_the_returned_questions_alone(
        private_chat) -> None:
    """Anna, whose hidden #1 Bo's #2 had been merged into, uses /forget: #2 waits on its own as
    before, and Bo is not told again of a question since deleted."""
    chat = private_chat
    await ask(chat, ANNA, text="What about wages?")
    await ask(chat, BO, text="And pensions??")
    first, second = qid(chat, "What about wages?"), qid(chat, "And pensions??")
    await chat.press_data(f"questions:approve:{first}", MODERATOR)
    await chat.press_data(f"questions:approve:{second}", MODERATOR)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    assert "waits for a moderator's approval on its own again" in chat.text(
        (await chat.deliver())[BO])
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    assert status(chat, second) == ("pending", None)
    assert BO not in await chat.deliver()
