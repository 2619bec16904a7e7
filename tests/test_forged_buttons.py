"""Forged callback data for every action of every plugin: control characters, too long,
too many or too few arguments, empty ones. The core refuses malformed data before any
handler (`assistant.buttons.well_formed`, `Action.arity`); nothing is echoed raw and no
handler crashes."""
from __future__ import annotations

import unicodedata

import pytest

from tests.conftest import MINGEL_PLUGINS

ORGANISER = 1
GONE = "This button no longer works."
CRASHED = "Sorry, something went wrong"


async def harness(mingel_chat):
    chat = await mingel_chat(MINGEL_PLUGINS, organisers=[ORGANISER], flood_control=False,
                             now="2027-09-01T07:00:00+00:00")
    await chat.send("/start", chat.user(ORGANISER, "Org", lang="en"))
    return chat


def said(chat, replies) -> str:
    return "\n".join([chat.toasts.get(ORGANISER) or "", *(r.text for r in replies)])


def raw_controls(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c)[0] == "C" and c != "\n"]


async def test_every_action_refuses_control_characters_and_over_long_data(mingel_chat) -> None:
    chat = await harness(mingel_chat)
    actions = sorted(chat.assistant.actions)
    assert len(actions) > 40
    for plugin, name in actions:
        for forged in (f"{plugin}:{name}:am-2027-09-02\n", f"{plugin}:{name}:x\x07:1",
                       f"{plugin}:{name}:\u202eam", f"{plugin}:{name}:" + "a" * 70):
            chat.toasts.pop(ORGANISER, None)
            replies = await chat.press_data(forged, ORGANISER)
            assert replies == [] and chat.toasts[ORGANISER] == GONE, forged


async def test_actions_refuse_buttons_with_the_wrong_number_of_arguments(mingel_chat) -> None:
    chat = await harness(mingel_chat)
    declared = [a for a in chat.assistant.actions.values() if a.arity is not None]
    assert {a.name for a in declared if a.plugin == "rsvp"} >= {"a", "d", "w", "show"}
    for action in declared:
        least, most = action.arity
        for count in {most + 1, most + 3, *([least - 1] if least else [])}:
            forged = ":".join([action.plugin, action.name, *["x"] * count])
            replies = await chat.press_data(forged, ORGANISER)
            assert replies == [] and chat.toasts[ORGANISER] == GONE, forged


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4])
async def test_empty_arguments_never_crash_nor_echo_raw(mingel_chat, count) -> None:
    chat = await harness(mingel_chat)
    for plugin, name in sorted(chat.assistant.actions):
        chat.toasts.pop(ORGANISER, None)
        forged = ":".join([plugin, name, *[""] * count])
        replies = await chat.press_data(forged, ORGANISER)
        text = said(chat, replies)
        assert CRASHED not in text and not raw_controls(text), forged


async def test_a_forged_answer_with_an_extra_argument_changes_nothing(mingel_chat) -> None:
    chat = await harness(mingel_chat)
    emma = chat.user(10, "Emma", lang="en")
    await chat.send("/rsvp am-2027-09-02", emma)
    for forged in ("rsvp:a:am-2027-09-02:in_person:x", "rsvp:a:am-2027-09-02:in_person:keep:x",
                   "rsvp:a:am-2027-09-02"):
        replies = await chat.press_data(forged, emma)
        assert "no longer works" in (chat.toasts.get(10) or "") + chat.text(replies), forged
    assert chat.table("rsvp", "answers") == []
