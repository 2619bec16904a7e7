"""Withdrawing a question one has sent (a typo, second thoughts) without /forget (harness)."""
from __future__ import annotations

import pytest

from tests.test_questions import QUESTION, ask, qid, started
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, plugins


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, plugins())


def stored(chat) -> list[str]:
    return [d["text"] for d in chat.assistant.store.table("questions_items").all()]


async def test_the_asker_withdraws_a_waiting_question_and_may_ask_it_again(chat) -> None:
    done = await ask(chat, ANNA)
    assert chat.buttons(done) == ["💬 See the questions", "🗑 Withdraw my question"]
    sure = await chat.press("🗑 Withdraw my question", ANNA, done)
    assert chat.text(sure).startswith("Withdraw your question for The labour market after "
                                      f"corona?\n\n{QUESTION}\n\nIt is deleted for good")
    assert stored(chat) == [QUESTION], "nothing is deleted before the asker confirms"
    gone = await chat.press("Yes, withdraw it", ANNA, sure)
    assert chat.text(gone) == ("Your question for The labour market after corona is "
                               "withdrawn. Ask again with /ask am-09-02.")
    assert stored(chat) == []
    queue = chat.text(await chat.send("/moderate am-09-02", MODERATOR))
    assert QUESTION not in queue
    mine = chat.text(await chat.send("/questions am-09-02", ANNA))
    assert "waiting for a moderator's approval" not in mine
    again = await ask(chat, ANNA)
    assert "will be shown to everyone once a moderator has approved it" in chat.text(again)


async def test_no_keeps_it_and_nobody_else_can_withdraw_it(chat) -> None:
    done = await ask(chat, ANNA)
    sure = await chat.press("🗑 Withdraw my question", ANNA, done)
    kept = await chat.press("No, keep it", ANNA, sure)
    assert chat.text(kept) == "OK, your question stays."
    for forged in (f"questions:withdraw:{qid(chat)}:yes", f"questions:withdraw:{qid(chat)}"):
        await chat.press_data(forged, BO)
        assert chat.toasts[BO] == "This question no longer exists."
    await chat.press_data("questions:withdraw:abc:yes", BO)
    assert stored(chat) == [QUESTION]


async def test_a_published_question_goes_with_its_votes(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    await chat.press_data(f"questions:up:{qid(chat)}:0", BO)
    await chat.press_data(f"questions:withdraw:{qid(chat)}:yes", ANNA)
    assert stored(chat) == []
    assert chat.assistant.store.table("questions_votes").all() == []
    listing = chat.text(await chat.send("/questions am-live", BO))
    assert QUESTION not in listing


async def test_once_a_moderator_takes_it_up_it_stays(chat) -> None:
    await ask(chat, ANNA, event="am-live")
    await chat.press_data(f"questions:now:{qid(chat)}", MODERATOR)
    refused = await chat.press_data(f"questions:withdraw:{qid(chat)}:yes", ANNA)
    assert chat.text(refused) == ("A moderator has already taken up this question, so it can "
                                  "no longer be withdrawn.")
    assert stored(chat) == [QUESTION]


async def test_a_duplicate_merged_into_it_stands_on_its_own_in_swedish_too(chat) -> None:
    await ask(chat, ANNA, text="What about wages?", event="am-live")
    await ask(chat, CECILIA, text="Och lönerna?", event="am-live")
    duplicate, target = qid(chat, "Och lönerna?"), qid(chat, "What about wages?")
    await chat.press_data(f"questions:merge:{duplicate}", MODERATOR)
    await chat.press(f"#{target}", MODERATOR, chat.last[MODERATOR])
    await chat.deliver()
    sure = await chat.press_data(f"questions:withdraw:{target}", ANNA)
    assert "Yes, withdraw it" in chat.buttons(sure)
    await chat.press_data(f"questions:withdraw:{target}:yes", ANNA)
    assert stored(chat) == ["Och lönerna?"]
    told = chat.text((await chat.deliver())[CECILIA])
    assert "en fråga som sedan har raderats, så din fråga finns med som en egen fråga" in told
    assert "What about wages?" not in told
    listing = chat.text(await chat.send("/questions am-live", BO))
    assert "Och lönerna?" in listing
    swedish = await ask(chat, CECILIA, text="Och pensionerna?", event="am-live")
    assert "🗑 Dra tillbaka min fråga" in chat.buttons(swedish)



async def test_the_list_offers_the_readers_own_questions_to_withdraw(chat) -> None:
    await ask(chat, ANNA, text="Is there a tpyo in this rather long question?")
    await ask(chat, ANNA, text="Second thoughts?")
    mine = await chat.send("/questions am-09-02", ANNA)
    assert "You have 2 questions waiting for a moderator's approval." in chat.text(mine)
    assert chat.buttons(mine)[:2] == ["🗑 Withdraw: Second thoughts?",
                                      "🗑 Withdraw: Is there a tpyo in this…"]
    others = await chat.send("/questions am-09-02", BO)
    assert not any(b.startswith("🗑") for b in chat.buttons(others))
    sure = await chat.press("🗑 Withdraw: Is there a tpyo in this…", ANNA, mine)
    assert "Is there a tpyo in this rather long question?" in chat.text(sure)
    await chat.press("Yes, withdraw it", ANNA, sure)
    assert stored(chat) == ["Second thoughts?"]
    swedish = await ask(chat, CECILIA, text="Hur går det?", event="am-live")
    assert chat.buttons(swedish)[-1] == "🗑 Dra tillbaka min fråga"
    listed = await chat.send("/frågor am-live", CECILIA)
    assert "🗑 Dra tillbaka: Hur går det?" in chat.buttons(listed)
    await chat.press_data(f"questions:now:{qid(chat, 'Hur går det?')}", MODERATOR)
    taken_up = await chat.send("/frågor am-live", CECILIA)
    assert not any(b.startswith("🗑") for b in chat.buttons(taken_up))
