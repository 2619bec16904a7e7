"""Free text in the chat (harness): "when is the next meeting?" answers as /next, a question
about the programme as /programme, anything else points to them; other plugins' text first."""
from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from assistant import hookimpl
from assistant.types import Action, Command
from tests.test_programme_chat import PLUGINS, PROGRAMME

SVEN, EMMA = 10, 11

FALLBACK_EN = ("I didn't understand that. Send /next for the next meeting, /programme for all "
               "meetings, or /help for everything I can do.")
FALLBACK_SV = ("Det förstod jag inte. Skicka /next för nästa träff, /programme för alla träffar "
               "eller /help för allt jag kan göra.")


@pytest.fixture
def start(mingel_chat, tmp_path: Path):
    async def make(*extra: Any) -> Any:
        path = tmp_path / "programme.yaml"
        path.write_text(PROGRAMME, encoding="utf-8")
        chat = await mingel_chat([*PLUGINS, *extra], env={"MINGEL_PROGRAMME": str(path)})
        chat.user(SVEN, "Sven", lang="sv")
        chat.user(EMMA, "Emma", lang="en")
        return chat
    return make


def note_taker() -> types.ModuleType:
    """A plugin that asks for a note (`ctx.expect_text`) and says hello to "hi" itself."""
    module = types.ModuleType("test_plugins.notes")
    module.NAME = "notes"

    async def ask(ctx):
        ctx.expect_text("save")
        ctx.reply("What should I note?")

    async def save(ctx):
        ctx.reply(f"Noted: {ctx.text}")

    async def text_received(ctx):
        if ctx.text.strip().lower() != "hi":
            return None
        ctx.reply("Hi from notes!")
        return True

    module.register_commands = hookimpl(lambda: [Command("note", ask, "Take a note")])
    module.register_actions = hookimpl(lambda: [Action("save", save)])
    module.text_received = hookimpl(text_received)
    return module


@pytest.mark.parametrize(("user", "text"), [
    (EMMA, "hello, when is the next meeting?"),
    (EMMA, "Next meetup?"),
    (SVEN, "när är nästa träff?"),
    (SVEN, "Hej! När är nästa möte?"),
    (SVEN, "nasta traff"),
])
async def test_a_question_about_the_next_meeting_answers_as_next(start, user, text) -> None:
    chat = await start()
    asked = await chat.send(text, user)
    assert chat.text(asked) == chat.text(await chat.send("/next", user))
    assert asked[-1].venue is not None
    assert ("Arbetsmarknaden efter corona" if user == SVEN
            else "The labour market after corona") in chat.text(asked)


@pytest.mark.parametrize(("user", "text", "heading"), [
    (EMMA, "Can I see the programme?", "Upcoming meetings"),
    (EMMA, "what's on the schedule", "Upcoming meetings"),
    (EMMA, "which meetings are there?", "Upcoming meetings"),
    (SVEN, "Var hittar jag programmet?", "Kommande träffar"),
    (SVEN, "vilka träffar finns det", "Kommande träffar"),
])
async def test_a_question_about_the_programme_answers_as_programme(start, user, text,
                                                                    heading) -> None:
    chat = await start()
    asked = await chat.send(text, user)
    assert chat.text(asked).splitlines()[0] == heading
    assert chat.text(asked) == chat.text(await chat.send("/programme", user))
    assert chat.buttons(asked) == chat.buttons(await chat.send("/programme", user))


@pytest.mark.parametrize(("user", "text", "expected"), [
    (EMMA, "hello there", FALLBACK_EN),
    (EMMA, "when?", FALLBACK_EN),
    (SVEN, "hej hej", FALLBACK_SV),
    (SVEN, "nästa", FALLBACK_SV),
    (SVEN, "Hej! När är mötet?", FALLBACK_SV),
])
async def test_anything_else_points_to_next_programme_and_help(start, user, text,
                                                                expected) -> None:
    chat = await start()
    assert chat.text(await chat.send(text, user)) == expected


@pytest.mark.parametrize(("user", "text", "expected"), [
    (EMMA, "I can't make it to the meeting next week, sorry", FALLBACK_EN),
    (EMMA, "When will the slides from the meeting be shared?", FALLBACK_EN),
    (EMMA, "Thanks, the program was great!", FALLBACK_EN),
    (EMMA, "Will the meetings be recorded?", FALLBACK_EN),
    (EMMA, "Can you send me the schema for the API?", FALLBACK_EN),
    (SVEN, "Jag kan inte komma på mötet nästa vecka", FALLBACK_SV),
    (SVEN, "Jag gillade programmet igår, tack!", FALLBACK_SV),
])
async def test_ordinary_sentences_with_the_words_in_them_get_the_pointer(start, user, text,
                                                                          expected) -> None:
    """A card or the whole list in answer to "I can't come to the meeting next week" would be
    worse than the pointer."""
    chat = await start()
    assert chat.text(await chat.send(text, user)) == expected


async def test_another_plugins_awaited_answer_and_its_own_free_text_come_first(start) -> None:
    chat = await start(note_taker())
    assert chat.text(await chat.send("/note", EMMA)) == "What should I note?"
    noted = await chat.send("when is the next meeting?", EMMA)
    assert chat.text(noted) == "Noted: when is the next meeting?"
    assert chat.text(await chat.send("hi", EMMA)) == "Hi from notes!"
    assert chat.text(await chat.send("hi there", EMMA)) == FALLBACK_EN
