"""/ask with a question but no meeting ("/ask What is flexicurity?"): the meetings to pick
from, not only "I can't find a meeting with the id What" (harness)."""
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
    assert chat.text(replies) == ("I can't find a meeting with the id What. Which meeting is "
                                  "your question for? Tap it, then send the question.")
    assert "The labour market after corona" in chat.buttons(replies)[0]
    prompt = await chat.press(chat.buttons(replies)[0], ANNA)
    assert chat.text(prompt).startswith("What would you like to ask at The labour market")
    back = await chat.send("What is flexicurity?", ANNA)
    assert "👤 Show my name" in chat.buttons(back)


async def test_in_swedish_and_an_unknown_id_alone_is_still_just_not_found(chat) -> None:
    replies = await chat.send("/fråga Vad är flexicurity?", CECILIA)
    assert chat.text(replies).startswith("Jag hittar ingen träff med id:t Vad. Vilken träff "
                                         "gäller din fråga?")
    assert chat.buttons(replies)
    why = await chat.send("/ask Why?", ANNA)
    assert chat.text(why).startswith("I can't find a meeting with the id Why? Which meeting")
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
