"""A meeting id copied with the mark of the sentence or quote around it ("/event am-09-02.",
"/ask «am-09-02»") names that meeting: it was refused in words that showed the id without its
mark ("I can't find a meeting with the id am-09-02."), as if the right id were unknown."""
from __future__ import annotations

import pytest

from tests.test_questions_support import ANNA, NOW, plugins, programme_env


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    chat = await mingel_chat(plugins(), now=NOW, env=programme_env(tmp_path))
    chat.user(ANNA, "Anna", lang="en")
    return chat


@pytest.mark.parametrize("typed", ["am-09-02.", "am-09-02,", "\"am-09-02\"", "«am-09-02»",
                                   "(am-09-02)", "AM-09-02!", "“am-09-02”:"])
async def test_an_id_with_the_marks_around_it_opens_the_card(chat, typed) -> None:
    card = await chat.send(f"/event {typed}", ANNA)
    assert chat.text(card[:1]).startswith("The labour market after corona")


async def test_other_commands_take_it_and_a_hidden_or_wrong_one_stays_unknown(chat) -> None:
    prompt = await chat.send("/ask am-09-02.", ANNA)
    assert chat.text(prompt).startswith("What would you like to ask at The labour market")
    hidden = await chat.send("/event am-secret.", ANNA)
    assert chat.text(hidden).startswith("I can't find a meeting with the id am-secret")
    wrong = await chat.send("/event am-09-0.", ANNA)
    assert chat.text(wrong).startswith("I can't find a meeting with the id am-09-0")
    programme = chat.context().programme
    assert programme.event("am-09-02-") is None and programme.event(".") is None
