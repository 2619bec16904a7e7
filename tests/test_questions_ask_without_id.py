"""/ask with a question but no meeting ("/ask What is flexicurity?"): the meetings to pick
from, not "I can't find a meeting with the id What", and the question kept for the meeting
tapped (harness)."""
from __future__ import annotations

import pytest

from tests.test_questions_support import ANNA, CECILIA, NOW, plugins, programme_env


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    chat = await mingel_chat(plugins(), now=NOW, env=programme_env(tmp_path))
    chat.user(ANNA, "Anna", lang="en")
    chat.user(CECILIA, "Cecilia", lang="sv")
    return chat


async def test_a_question_without_a_meeting_offers_the_meetings(chat) -> None:
    replies = await chat.send("/ask What is <b>flexicurity</b>?", ANNA)
    assert chat.text(replies) == ("Which meeting is your question for? Tap it and I'll go on "
                                  "with your question.")
    assert "The labour market after corona" in chat.buttons(replies)[0]
    back = await chat.press(chat.buttons(replies)[0], ANNA)
    assert "What is <b>flexicurity</b>?" in chat.text(back), "the question, not retyped"
    assert "The labour market after corona" in chat.text(back)
    assert "👤 Show my name" in chat.buttons(back)
    again = await chat.press(chat.buttons(replies)[1], ANNA, replies=replies)
    assert not chat.text(again), "the question goes to one meeting only"
    assert chat.toasts[ANNA] == "This question was already sent or cancelled."


async def test_a_second_question_replaces_the_first_waiting_for_its_meeting(chat) -> None:
    first = await chat.send("/ask Is it recorded?", ANNA)
    second = await chat.send("/ask Who pays for it?", ANNA)
    back = await chat.press(chat.buttons(first)[0], ANNA, replies=first)
    assert "Who pays for it?" in chat.text(back) and "recorded" not in chat.text(back)
    assert chat.buttons(second)


async def test_in_swedish_and_an_unknown_id_alone_is_still_just_not_found(chat) -> None:
    replies = await chat.send("/fråga Vad är flexicurity?", CECILIA)
    assert chat.text(replies) == ("Vilken träff gäller din fråga? Tryck på den så går jag "
                                  "vidare med din fråga.")
    assert chat.buttons(replies)
    why = await chat.send("/ask Why?", ANNA)
    assert chat.text(why).startswith("Which meeting is your question for?")
    assert chat.buttons(why)
    alone = await chat.send("/ask 99999", ANNA)
    assert chat.text(alone).startswith("I can't find a meeting with the id 99999.")
    assert not chat.buttons(alone)


async def test_with_no_meeting_open_it_says_not_found(mingel_chat, tmp_path) -> None:
    chat = await mingel_chat(plugins(), now="2027-12-01T08:00:00+00:00",
                             env=programme_env(tmp_path))
    chat.user(ANNA, "Anna", lang="en")
    replies = await chat.send("/ask What now?", ANNA)
    assert chat.text(replies).startswith("I can't find a meeting with the id What.")
    assert not chat.buttons(replies)
