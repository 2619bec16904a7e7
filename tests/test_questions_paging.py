"""The moderators' queue a page at a time: 'Show more' continues the order the first page showed,
whatever changed meanwhile, and a forged or out-of-date button gets a friendly answer."""
from __future__ import annotations

import re

import pytest

from tests.test_questions import ask, qid, started
from tests.test_questions_support import BO, CECILIA, LONG_ID, MODERATOR, ORGANISER, plugins


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, plugins())


def numbers(chat, replies) -> list[int]:
    """The numbers of the question cards among some replies, in order."""
    return [int(m.group(1)) for r in replies if (m := re.match(r"#(\d+) · ", chat.text([r])))]


def more_data(replies) -> str:
    """The callback data of the 'Show more' button."""
    [data] = [b.data for r in replies for row in r.buttons for b in row if b.text == "Show more"
              or b.text == "Visa fler"]
    return data


async def ten_published(chat, event: str = "am-live") -> None:
    """Ten questions at a live meeting, published at once: #1–#10."""
    for n in range(1, 11):
        user = 5000 + n
        chat.user(user, f"P{n}")
        await ask(chat, user, text=f"Question {n}?", event=event)


async def test_votes_that_change_the_order_between_pages_skip_nothing(chat) -> None:
    """The published questions are ranked by votes; #10 (on the next page) gets votes and #1
    loses its own while the moderator reads the first page: the next page still shows #9 and
    #10, not #8 again with #10 missing."""
    await ten_published(chat)
    await chat.press_data(f"questions:up:{qid(chat, 'Question 1?')}:0", BO)
    first = await chat.send("/moderate am-live", MODERATOR)
    assert numbers(chat, first) == [1, 2, 3, 4, 5, 6, 7, 8]
    for voter in (BO, CECILIA):
        await chat.press_data(f"questions:up:{qid(chat, 'Question 10?')}:0", voter)
    await chat.press_data(f"questions:un:{qid(chat, 'Question 1?')}:0", BO)
    assert numbers(chat, await chat.press("Show more", MODERATOR)) == [9, 10]
    assert "Show more" not in chat.buttons(chat.last[MODERATOR])
    again = await chat.send("/moderate am-live", MODERATOR)
    assert numbers(chat, again)[:2] == [10, 1], "a new first page ranks them as they are now"


async def test_a_question_asked_since_comes_at_the_end(chat) -> None:
    """#11, asked after the first page, is on the next one, after those the first page left."""
    await ten_published(chat)
    await chat.send("/moderate am-live", MODERATOR)
    await ask(chat, BO, text="Question 11?", event="am-live")
    page = await chat.press("Show more", MODERATOR)
    assert numbers(chat, page) == [9, 10, 11]


async def test_pressing_the_same_show_more_again_shows_the_same_page(chat) -> None:
    """A double tap does not run ahead: the button names its place in the order."""
    for n in range(1, 18):
        await ask(chat, BO, text=f"Question {n}?", event="am-live")
    first = await chat.send("/moderate am-live", MODERATOR)
    data = more_data(first)
    second = await chat.press_data(data, MODERATOR)
    assert numbers(chat, second) == [9, 10, 11, 12, 13, 14, 15, 16]
    assert numbers(chat, await chat.press_data(data, MODERATOR)) == numbers(chat, second)
    assert numbers(chat, await chat.press("Show more", MODERATOR, second)) == [17]


async def test_refreshing_an_unchanged_queue_keeps_one_listing(chat) -> None:
    """The order kept for 'Show more' is stored once however often the moderator refreshes."""
    await ten_published(chat)
    first = await chat.send("/moderate am-live", MODERATOR)
    await chat.press("🔄 Refresh", MODERATOR, first)
    assert len(chat.assistant.store.table("questions_listings").all()) == 1
    assert more_data(chat.last[MODERATOR]) == more_data(first)


async def test_a_listing_unused_for_a_day_is_deleted_and_its_button_offers_the_meetings(
        chat) -> None:
    """A day later the kept order is gone; its button says so in the moderator's language and
    offers the meetings, one tap from the queue again."""
    chat.user(MODERATOR, "Mona", lang="sv", username="mona")
    await ten_published(chat)
    data = more_data(await chat.send("/moderate am-live", MODERATOR))
    await chat.tick(hours=25)
    assert chat.assistant.store.table("questions_listings").all() == []
    replies = await chat.press_data(data, MODERATOR)
    assert chat.toasts[MODERATOR] == "Listan är inte längre aktuell."
    assert chat.text(replies) == "Vilken träff?"
    assert any("Kompetensförsörjning" in label for label in chat.buttons(replies))
    queue = await chat.press("Kompetensförsörjning", MODERATOR)
    assert numbers(chat, queue) == [1, 2, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize("data", ["questions:more:abc:8", "questions:more::",
                                  "questions:more:999999:8", "questions:more:²:8"])
async def test_a_forged_listing_is_answered_as_an_out_of_date_one(chat, data: str) -> None:
    await ten_published(chat)
    replies = await chat.press_data(data, MODERATOR)
    assert chat.toasts[MODERATOR] == "This list is out of date."
    assert chat.text(replies) == "Which meeting?"


@pytest.mark.parametrize("data", ["questions:more:", "questions:more", "questions:more:1:8:8"])
async def test_a_show_more_with_too_few_or_many_arguments_is_none_of_ours(chat, data) -> None:
    await ten_published(chat)
    assert await chat.press_data(data, MODERATOR) == []
    assert chat.toasts[MODERATOR] == "This button no longer works."


@pytest.mark.parametrize("position", ["zz", "-1", "99", "²", ""])
async def test_a_forged_position_starts_the_queue_again(chat, position: str) -> None:
    await ten_published(chat)
    listing = more_data(await chat.send("/moderate am-live", MODERATOR)).split(":")[2]
    replies = await chat.press_data(f"questions:more:{listing}:{position}", MODERATOR)
    assert chat.toasts[MODERATOR] == "This list is out of date; here it is again from the start."
    assert chat.text(replies).startswith("Moderating the questions for Skills supply")
    assert numbers(chat, replies) == [1, 2, 3, 4, 5, 6, 7, 8]


async def test_another_networks_listing_is_refused(chat) -> None:
    """Mona moderates the labour-market network only: the listing of a housing meeting (a
    forged press) shows her nothing of it."""
    await ten_published(chat, event="bo-10-01")
    for question in chat.assistant.store.table("questions_items").all():
        chat.assistant.store.table("questions_items").update(question.doc_id, {"status": "live"})
    listing = more_data(await chat.send("/moderate bo-10-01", ORGANISER))
    replies = await chat.press_data(listing, MODERATOR)
    assert chat.toasts[MODERATOR] == ("Sorry, only the moderators of this meeting's networks "
                                      "can do that.")
    assert "Question" not in chat.text(replies)


async def test_a_show_more_of_the_previous_version_starts_again(chat) -> None:
    """A button from before this version paged by position: it starts the queue again."""
    await ten_published(chat)
    replies = await chat.press_data("questions:queue:am-live:8", MODERATOR)
    assert chat.toasts[MODERATOR] == "This list is out of date; here it is again from the start."
    assert numbers(chat, replies) == [1, 2, 3, 4, 5, 6, 7, 8]


async def test_when_the_rest_was_deleted_the_page_says_so(private_chat) -> None:
    """Every question the next page would show was deleted (/forget) meanwhile."""
    chat = private_chat
    for n in range(1, 10):
        await ask(chat, BO if n == 9 else CECILIA + n, text=f"Question {n}?", event="am-live")
    await chat.send("/moderate am-live", MODERATOR)
    data = more_data(chat.last[MODERATOR])
    await chat.send("/forget", BO)
    await chat.press("Yes, delete everything", BO)
    replies = await chat.press_data(data, MODERATOR)
    assert chat.text(replies) == "There are no more questions in this list."


async def test_the_show_more_button_fits_with_a_long_meeting_id(chat) -> None:
    await ten_published(chat, event=LONG_ID)
    data = more_data(await chat.send(f"/moderate {LONG_ID}", MODERATOR))
    assert len(data.encode()) <= 64
    assert numbers(chat, await chat.press_data(data, MODERATOR)) == [9, 10]


@pytest.fixture
async def private_chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, [*plugins(), "plugins.privacy"])
