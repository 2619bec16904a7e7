"""The participants' list of questions a page at a time: ◀ Previous / Next ▶, votes and following
keep the order the first page showed (the same listings as the moderators' queue), and a forged
or out-of-date button gets the queue's friendly answers."""
from __future__ import annotations

import re

import pytest

from tests.test_questions import ask, qid, started
from tests.test_questions_support import BO, CECILIA, LONG_ID, MODERATOR, ORGANISER, plugins


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, plugins())


def numbers(chat, replies) -> list[int]:
    """The numbers of the questions listed, in order."""
    return [int(n) for n in re.findall(r"^#(\d+) · ", chat.text(replies), re.MULTILINE)]


def data_of(replies, label: str) -> str:
    """The callback data of the button with this label."""
    [data] = [b.data for r in replies for row in r.buttons for b in row if b.text == label]
    return data


async def published(chat, count: int = 12, event: str = "am-live") -> None:
    """Questions #1–#count at a live meeting, published at once, each by its own asker."""
    for n in range(1, count + 1):
        chat.user(5000 + n, f"P{n}", lang="en")
        await ask(chat, 5000 + n, text=f"Question {n}?", event=event)


def listings(chat) -> list:
    return chat.assistant.store.table("questions_listings").all()


async def test_a_list_of_one_page_keeps_no_listing_and_a_vote_ranks_it_anew(chat) -> None:
    """Nothing to page through, nothing stored: a vote shows the one page ranked as it is now."""
    await published(chat, 3)
    first = await chat.send("/questions am-live", BO)
    assert data_of(first, "👍 #3") == f"questions:up:{qid(chat, 'Question 3?')}"
    assert data_of(first, "🔔 Follow questions") == "questions:follow:am-live"
    voted = await chat.press("👍 #3", BO)
    assert numbers(chat, voted) == [3, 1, 2]
    assert listings(chat) == []


async def test_following_on_a_later_page_stays_on_it(chat) -> None:
    await published(chat)
    await chat.send("/questions am-live", BO)
    second = await chat.press("Next ▶", BO)
    assert numbers(chat, second) == [11, 12] and "Page 2 of 2" in chat.text(second)
    followed = await chat.press("🔔 Follow questions", BO)
    assert chat.toasts[BO] == "I'll tell you when a question is being answered."
    assert numbers(chat, followed) == [11, 12]
    assert len(data_of(followed, "🔕 Stop following").encode()) <= 64
    stopped = await chat.press("🔕 Stop following", BO)
    assert chat.toasts[BO] == "No more notices about this meeting's questions."
    assert numbers(chat, stopped) == [11, 12]
    assert "🔔 Follow questions" in chat.buttons(stopped)


async def test_listings_hold_question_ids_only_and_are_shared(chat) -> None:
    """Bo and Cecilia see the same order: one listing, naming neither of them."""
    await published(chat)
    await chat.send("/questions am-live", BO)
    await chat.send("/questions am-live", CECILIA)
    [listing] = listings(chat)
    assert set(listing) == {"event", "kind", "ids", "at"}
    assert listing["kind"] == "list" and len(listing["ids"]) == 12


async def test_a_listing_unused_for_a_day_offers_the_meetings(chat) -> None:
    await published(chat)
    data = data_of(await chat.send("/questions am-live", CECILIA), "Nästa ▶")
    await chat.tick(hours=25)
    assert listings(chat) == []
    replies = await chat.press_data(data, CECILIA)
    assert chat.toasts[CECILIA] == "Listan är inte längre aktuell."
    assert chat.text(replies) == "Vilken träff?"
    again = await chat.press("Kompetensförsörjning", CECILIA)
    assert numbers(chat, again) == list(range(1, 11))


@pytest.mark.parametrize("data", ["questions:page:abc:10", "questions:page::",
                                  "questions:page:999999:10", "questions:page:²:10",
                                  "questions:follow:-:999999:10", "questions:follow:-"])
async def test_a_forged_listing_is_answered_as_an_out_of_date_one(chat, data: str) -> None:
    await published(chat)
    replies = await chat.press_data(data, BO)
    assert chat.toasts[BO] == "This list is out of date."
    assert chat.text(replies) == "Which meeting?"
    assert chat.assistant.store.table("questions_followers").all() == []


@pytest.mark.parametrize("data", ["questions:page:", "questions:page", "questions:page:1:2:3:4",
                                  "questions:follow:-:1:2:3:4"])
async def test_a_page_button_with_too_few_or_many_arguments_is_none_of_ours(chat, data) -> None:
    await published(chat)
    assert await chat.press_data(data, BO) == []
    assert chat.toasts[BO] == "This button no longer works."
    assert chat.assistant.store.table("questions_followers").all() == []


@pytest.mark.parametrize("position", ["zz", "-1", "99", "²", ""])
async def test_a_forged_position_shows_the_first_page_again(chat, position: str) -> None:
    await published(chat)
    listing = data_of(await chat.send("/questions am-live", BO), "Next ▶").split(":")[2]
    replies = await chat.press_data(f"questions:page:{listing}:{position}", BO)
    assert chat.toasts[BO] == "This list is out of date; here it is again from the start."
    assert numbers(chat, replies) == list(range(1, 11))


async def test_the_queues_listing_shows_a_participant_nothing(chat) -> None:
    """A moderators' listing (with questions waiting for approval) is not a participant's list,
    and a participants' listing does not page the queue."""
    for n in range(1, 11):
        chat.user(5000 + n, f"P{n}", lang="en")
        await ask(chat, 5000 + n, text=f"Secret {n}?", event="am-09-02")
    queue = await chat.send("/moderate am-09-02", MODERATOR)
    listing = data_of(queue, "Show more").split(":")[2]
    replies = await chat.press_data(f"questions:page:{listing}:0", BO)
    assert chat.toasts[BO] == "This list is out of date." and "Secret" not in chat.text(replies)
    await published(chat)
    participants = data_of(await chat.send("/questions am-live", BO), "Next ▶").split(":")[2]
    replies = await chat.press_data(f"questions:more:{participants}:8", MODERATOR)
    assert chat.toasts[MODERATOR] == "This list is out of date."


async def test_the_listing_of_a_meeting_one_may_not_see_does_not_name_it(chat) -> None:
    """Olga asks twelve questions at an invite-only meeting and lists them; Bo, not invited,
    forges her Next ▶: he is told the list is out of date, not the meeting's id."""
    for n in range(1, 13):
        await ask(chat, ORGANISER, text=f"Question {n}?", event="am-secret")
    for doc in chat.assistant.store.table("questions_items").all():
        chat.assistant.store.table("questions_items").update(doc.doc_id, {"status": "live"})
    data = data_of(await chat.send("/questions am-secret", ORGANISER), "Next ▶")
    replies = await chat.press_data(data, BO)
    assert chat.toasts[BO] == "This list is out of date."
    assert "am-secret" not in chat.text(replies) and "Question" not in chat.text(replies)


async def test_buttons_of_the_version_that_paged_by_number_start_again(chat) -> None:
    """Next ▶, 👍 and 🔔 of the previous version named a page number: the list starts again
    (a vote is still counted, and a follow)."""
    await published(chat)
    replies = await chat.press_data("questions:list:am-live:1", BO)
    assert chat.toasts[BO] == "This list is out of date; here it is again from the start."
    assert numbers(chat, replies) == list(range(1, 11))
    replies = await chat.press_data(f"questions:up:{qid(chat, 'Question 12?')}:1", BO)
    assert chat.toasts[BO] == "Thanks, your vote is counted."
    assert numbers(chat, replies)[0] == 12
    replies = await chat.press_data("questions:follow:am-live:1", BO)
    assert chat.toasts[BO] == "I'll tell you when a question is being answered."
    assert "🔕 Stop following" in chat.buttons(replies)


async def test_a_vote_with_a_listing_gone_shows_the_first_page(chat) -> None:
    await published(chat)
    await chat.send("/questions am-live", BO)
    data = data_of(await chat.press("Next ▶", BO), "👍 #12")
    await chat.tick(hours=25)
    replies = await chat.press_data(data, BO)
    assert chat.toasts[BO] == "Thanks, your vote is counted."
    assert numbers(chat, replies)[0] == 12
    again = await chat.press_data(data.replace("questions:up:", "questions:un:"), BO)
    assert chat.toasts[BO] == "Your vote is taken back."
    assert numbers(chat, again) == list(range(1, 11))


async def test_when_the_rest_was_hidden_the_page_says_so_and_goes_back(chat) -> None:
    await published(chat)
    data = data_of(await chat.send("/questions am-live", BO), "Next ▶")
    for text in ("Question 11?", "Question 12?"):
        await chat.press_data(f"questions:hide:{qid(chat, text)}", MODERATOR)
    replies = await chat.press_data(data, BO)
    assert "There are no more questions in this list." in chat.text(replies)
    assert "Page" not in chat.text(replies)
    back = await chat.press("◀ Previous", BO, replies)
    assert numbers(chat, back) == list(range(1, 11))


async def test_previous_after_changes_shows_what_comes_before(chat) -> None:
    """Twenty-three questions, three pages. On the third page, after #5 was hidden, ◀ Previous
    shows the page before as it was (#11–#20), then the rest before it (#1–#10 without #5),
    each numbered as the pages are now: none is left out, none shown on two pages."""
    await published(chat, 23)
    await chat.send("/questions am-live", BO)
    await chat.press("Next ▶", BO)
    third = await chat.press("Next ▶", BO)
    assert numbers(chat, third) == [21, 22, 23] and "Page 3 of 3" in chat.text(third)
    await chat.press_data(f"questions:hide:{qid(chat, 'Question 5?')}", MODERATOR)
    second = await chat.press("◀ Previous", BO)
    assert numbers(chat, second) == list(range(11, 21)) and "Page 2 of 3" in chat.text(second)
    first = await chat.press("◀ Previous", BO)
    assert numbers(chat, first) == [1, 2, 3, 4, 6, 7, 8, 9, 10]
    assert "Page 1 of 3" in chat.text(first) and "◀ Previous" not in chat.buttons(first)
    assert numbers(chat, await chat.press("Next ▶", BO)) == list(range(11, 21))


async def test_every_button_of_a_later_page_fits_with_a_long_meeting_id(chat) -> None:
    await published(chat, event=LONG_ID)
    await chat.send(f"/questions {LONG_ID}", BO)
    second = await chat.press("Next ▶", BO)
    assert numbers(chat, second) == [11, 12]
    assert all(len(b.data.encode()) <= 64 for r in second for row in r.buttons for b in row)
    followed = await chat.press("🔔 Follow questions", BO)
    assert numbers(chat, followed) == [11, 12]
