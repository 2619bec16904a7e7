"""Undoing a merge gives every vote back where it was (review 30): the target's asker's vote
on the duplicate, merges chained on, merges stored before the duplicate kept its votes."""
from __future__ import annotations

import pytest

from tests.test_questions import ask, qid, started
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, ORGANISER, plugins


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, plugins())


def voters(chat, question: int) -> list[int]:
    """Who backs a question, each once, as its count shows them."""
    votes = chat.assistant.store.table("questions_votes")
    return sorted({v["user"] for v in votes.find(question=question)})


async def three_questions(chat) -> tuple[int, int, int]:
    """Anna's #1, Bo's #2 and Olga's #3 at a live meeting; Cecilia backs #2."""
    await ask(chat, ANNA, text="What about wages?", event="am-live")
    await ask(chat, BO, text="And pensions??", event="am-live")
    await ask(chat, ORGANISER, text="Third?", event="am-live")
    first, second, third = (qid(chat, t) for t in ("What about wages?", "And pensions??",
                                                   "Third?"))
    await chat.press_data(f"questions:up:{second}:0", CECILIA)
    return first, second, third


async def test_target_askers_vote_on_the_duplicate_comes_back(chat) -> None:
    """Anna asks #1 and upvotes Bo's #2; #2 merged into #1 by mistake, then undone."""
    first, second, _third = await three_questions(chat)
    await chat.press_data(f"questions:up:{second}:0", ANNA)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    assert voters(chat, first) == [BO, CECILIA], "Anna can't back her own question"
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert voters(chat, second) == [ANNA, CECILIA], "Anna's vote on #2 is lost"
    assert voters(chat, first) == []
    listing = chat.text(await chat.send("/questions am-live", BO))
    assert "#2 · 👍 2 · Bo (yours)\nAnd pensions??" in listing


async def test_undo_after_the_target_was_merged_on_gives_back_the_votes(chat) -> None:
    """#2 merged into #1, then #1 into #3: undoing #2 gives it Cecilia's vote back, and #3
    keeps only Anna's support, which came through #1 itself."""
    first, second, third = await three_questions(chat)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.press_data(f"questions:into:{first}:{third}", MODERATOR)
    assert voters(chat, third) == [ANNA, BO, CECILIA]
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert voters(chat, second) == [CECILIA], f"#2 has {voters(chat, second)}"
    assert voters(chat, third) == [ANNA]
    listing = chat.text(await chat.send("/questions am-live", CECILIA))
    assert "#2 · 👍 1 · Bo\nAnd pensions??" in listing and "#3 · 👍 1 · Olga" in listing
    assert "What about wages?" not in listing, "#1 is still merged into #3"


async def test_undoing_the_outer_merge_of_a_chain_leaves_the_inner_one(chat) -> None:
    """#2 into #1, #1 into #3; undoing #1 lists it again with what #2 brought it, and #3 is
    back to nothing; undoing #2 then empties #1."""
    first, second, third = await three_questions(chat)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.press_data(f"questions:into:{first}:{third}", MODERATOR)
    await chat.press_data(f"questions:unmerge:{first}", MODERATOR)
    assert voters(chat, third) == [] and voters(chat, first) == [BO, CECILIA]
    queue = chat.text(await chat.send("/moderate am-live", MODERATOR))
    assert "#1 · Published · 👍 2" in queue and "#2 · Hidden · 👍 0" in queue
    assert "Merged into #1." in queue
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert voters(chat, first) == [] and voters(chat, second) == [CECILIA]


async def test_forget_of_a_chained_target_hands_its_merge_on_to_the_duplicate(
        private_chat) -> None:
    """#2 into #1, #1 into #3; Anna (#1) uses /forget: #2 takes #1's place, merged into #3,
    which counts Bo's and Cecilia's support through #2 and no longer Anna's (QA 35). Undoing
    that merge gives #2 back with Cecilia's vote."""
    chat = private_chat
    first, second, third = await three_questions(chat)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.press_data(f"questions:into:{first}:{third}", MODERATOR)
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    assert voters(chat, second) == [CECILIA] and voters(chat, third) == [BO, CECILIA]
    listing = chat.text(await chat.send("/questions am-live", CECILIA))
    assert "#3 · 👍 2 · Olga" in listing and "And pensions??" not in listing
    queue = chat.text(await chat.send("/moderate am-live", MODERATOR))
    assert "#2 · Hidden · 👍 0\nAnd pensions??" in queue and "Merged into #3." in queue
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert voters(chat, third) == []
    listing = chat.text(await chat.send("/questions am-live", CECILIA))
    assert "#2 · 👍 1 · Bo\nAnd pensions??" in listing and "#3 · 👍 0 · Olga" in listing


async def test_a_merge_stored_before_the_duplicate_kept_its_votes_is_not_offered_undo(
        chat) -> None:
    """The previous release moved the votes (each with `from`, some without `own`): they can't
    be told from the target's own, so no ↩ Undo merge, and a forged press changes nothing."""
    first, second, _third = await three_questions(chat)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    votes, items = (chat.assistant.store.table(f"questions_{t}") for t in ("votes", "items"))
    for vote in votes.all():  # as the previous release stored them
        votes.remove(vote.doc_id)
    for user in (BO, CECILIA):
        votes.insert({"question": first, "event": "am-live", "user": user,
                      "at": "2026-11-23T09:00:00.000000+00:00", "from": [second]})
    items.update(second, {"votes_kept": None})
    queue = await chat.send("/moderate am-live", MODERATOR)
    [card] = [m for m in queue if "Merged into #1." in chat.text([m])]
    assert "↩ Undo merge" not in chat.buttons([card])
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    assert chat.toasts[MODERATOR] == "This question has changed in the meantime."
    assert voters(chat, first) == [BO, CECILIA] and voters(chat, second) == []
    assert items.get(second)["merged_into"] == first


@pytest.fixture
async def private_chat(mingel_chat, tmp_path):
    """The same people, with /forget."""
    return await started(mingel_chat, tmp_path, [*plugins(), "plugins.privacy"])


async def test_a_waiting_question_unmerged_is_said_to_wait_again(chat) -> None:
    """Bo's question, merged into Anna's while both waited for approval, is taken out again:
    the correction says it waits for approval on its own, not that it is listed."""
    await ask(chat, ANNA, text="What about wages?")
    await ask(chat, BO, text="And pensions??")
    first, second = qid(chat, "What about wages?"), qid(chat, "And pensions??")
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    sent = await chat.deliver()
    assert chat.text(sent[BO]) == (
        "Correction: your question at The labour market after corona was not merged after "
        "all. It waits for a moderator's approval on its own again:\n\nAnd pensions??\n\n"
        "I'll tell you when it has been answered.")
