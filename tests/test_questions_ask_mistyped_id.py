"""/ask with a mistyped id and a question (`/ask am-09-03 Why …?`): "Did you mean …?" with the
meeting as a button that goes on with the question, instead of the open meetings and "send the
question" again (harness)."""
from __future__ import annotations

import pytest

from tests.test_questions_support import ANNA, CECILIA, NOW, ORGANISER, plugins, programme_env


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    chat = await mingel_chat(plugins(), now=NOW,
                             env=programme_env(tmp_path, MINGEL_ORGANISERS=str(ORGANISER)))
    chat.user(ANNA, "Anna", lang="en")
    chat.user(CECILIA, "Cecilia", lang="sv")
    chat.user(ORGANISER, "Olga", lang="en")
    return chat


async def test_the_hint_goes_on_with_the_question(chat) -> None:
    hint = await chat.send("/ask am-09-03 Is <b>flexicurity</b>\ncoming?", ANNA)
    assert chat.text(hint) == (
        "I can't find a meeting with the id am-09-03. Did you mean /ask am-09-02 (Thu 2 Sept "
        "09:30 · The labour market after corona)?\nTap the meeting and I'll go on with your "
        "question.")
    assert chat.buttons(hint) == ["Thu 2 Sept 09:30 · The labour market after corona"]
    shown = await chat.press(chat.buttons(hint)[0], ANNA)
    assert chat.text(shown).startswith("Your question for The labour market after corona:\n\n"
                                       "Is <b>flexicurity</b>\ncoming?\n\n")
    sent = await chat.press("👤 Show my name", ANNA)
    assert "will be shown to everyone once a moderator has approved it" in chat.text(sent)
    assert [q["text"] for q in chat.table("questions", "items")] == [
        "Is <b>flexicurity</b>\ncoming?"]
    again = await chat.press(chat.buttons(hint)[0], ANNA, replies=hint)
    assert chat.text(again) == "" and chat.table("questions", "drafts") == []
    assert chat.toasts[ANNA] == "This question was already sent or cancelled."


async def test_a_meeting_closed_to_questions_says_so_and_keeps_the_question(chat) -> None:
    hint = await chat.send("/fråga am-no Varför?", CECILIA)
    assert chat.text(hint) == ("Jag hittar ingen träff med id:t am-no. Menade du /fråga am-noq "
                               "(ons 22 sep. 09:30 · Rundabord)?\nTryck på träffen så går jag "
                               "vidare med din fråga.")
    closed = await chat.press("Rundabord", CECILIA, replies=hint)
    assert chat.text(closed) == ""
    assert chat.toasts[CECILIA] == "Den här träffen tar inte emot frågor från deltagarna."
    [draft] = chat.table("questions", "drafts")
    assert (draft["event"], draft["text"]) == ("", "Varför?")
    again = await chat.send("/fråga am-09-0 Och sedan?", CECILIA)  # one kept at a time
    assert [d["text"] for d in chat.table("questions", "drafts")] == ["Och sedan?"]
    shown = await chat.press("Arbetsmarknaden", CECILIA, replies=again)
    assert chat.text(shown).startswith("Din fråga inför Arbetsmarknaden efter corona:")
    assert [d["event"] for d in chat.table("questions", "drafts")] == ["am-09-02"]


async def test_a_hidden_meeting_is_never_suggested(chat) -> None:
    anna = await chat.send("/ask am-secre Who is invited?", ANNA)
    assert chat.text(anna).startswith("I can't find a meeting with the id am-secre. Which "
                                      "meeting is your question for?")
    assert not any("Secret" in label for label in chat.buttons(anna))
    back = await chat.press(chat.buttons(anna)[0], ANNA, replies=anna)
    assert "Who is invited?" in chat.text(back) and "am-secre" not in chat.text(back), \
        "the question without the id typed before it"
    organiser = await chat.send("/ask am-secre Who is invited?", ORGANISER)
    assert chat.buttons(organiser) == ["Fri 24 Sept 09:30 · Secret"]
    await chat.send("/ask am-09-03 Who is invited?", ANNA)
    [draft] = [d for d in chat.table("questions", "drafts") if d["user"] == ANNA and not d["event"]]
    forged = await chat.press_data(f"questions:put:am-secret:{draft.doc_id}", ANNA)
    assert chat.text(forged) == ("I can't find a meeting with the id am-secret. Send /programme "
                                 "to see the meetings.")
    assert draft in chat.table("questions", "drafts")
