"""Forged callback data for every action of every plugin: control characters, too long,
too many or too few arguments, empty ones, odd values. The core refuses malformed data before
any handler (`assistant.buttons.well_formed`, `Action.arity`, which every action declares);
nothing is echoed raw and no handler crashes on a value of the right count."""
from __future__ import annotations

import dataclasses
import inspect
import logging
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


def spied(chat) -> list[str]:
    """Every action's handler wrapped so that a call is recorded (the callback data), then
    run as it was; the list of calls."""
    calls: list[str] = []
    for key, action in chat.assistant.actions.items():
        async def spy(ctx, handler=action.handler, key=key) -> None:
            calls.append(":".join([*key, *ctx.args]))
            if inspect.isawaitable(result := handler(ctx)):
                await result
        chat.assistant.actions[key] = dataclasses.replace(action, handler=spy)
    return calls


async def test_every_action_declares_how_many_arguments_its_buttons_carry(mingel_chat) -> None:
    chat = await harness(mingel_chat)
    undeclared = sorted(f"{plugin}:{name}" for (plugin, name), action
                        in chat.assistant.actions.items() if action.arity is None)
    assert undeclared == []
    assert {"programme", "questions", "health", "broadcast", "rsvp", "feedback", "mingle"} <= {
        plugin for plugin, _name in chat.assistant.actions}


async def test_actions_refuse_buttons_with_the_wrong_number_of_arguments(mingel_chat) -> None:
    chat = await harness(mingel_chat)
    calls = spied(chat)
    declared = list(chat.assistant.actions.values())
    assert len(declared) > 70
    for action in declared:
        least, most = action.arity
        for count in {most + 1, most + 3, *([least - 1] if least else [])}:
            forged = ":".join([action.plugin, action.name, *["x"] * count])
            replies = await chat.press_data(forged, ORGANISER)
            assert replies == [] and chat.toasts[ORGANISER] == GONE, forged
            assert calls == [], forged  # refused before the handler, not by it
        for count in {least, most}:  # the bounds reach the handler, unless it awaits a message
            forged = ":".join([action.plugin, action.name, *["x"] * count])
            replies = await chat.press_data(forged, ORGANISER)
            if action.typed:
                assert replies == [] and chat.toasts[ORGANISER] == GONE, forged
                assert calls == [], forged
            else:
                assert calls == [forged], forged
            calls.clear()


async def test_a_press_to_an_awaited_message_action_is_refused_and_the_wait_goes_on(
        mingel_chat) -> None:
    """A forged press to what answers an awaited message (`Action.typed`) reached it with an
    empty text ("your question is empty"); now refused, and the question is still awaited."""
    chat = await harness(mingel_chat)
    typed = sorted(f"{plugin}:{name}" for (plugin, name), action
                   in chat.assistant.actions.items() if action.typed)
    assert typed == ["broadcast:text", "feedback:comment", "mingle:line", "questions:text"]
    emma = chat.user(10, "Emma", lang="en")
    await chat.send("/ask am-2027-09-02", emma)
    replies = await chat.press_data("questions:text:am-2027-09-02", emma)
    assert replies == [] and chat.toasts[10] == GONE
    replies = await chat.send("Will the labour market recover soon?", emma)
    assert "Will the labour market recover soon?" in chat.text(replies)
    assert "empty" not in chat.text(replies).lower()


ODD_VALUES = ("x", "0", "-1", "1", "2", "99999999999999999999", "²", "٣", "1e309", "nan", "-",
              "yes", "again", "event", "live", "named", "am-2027-09-02", "20270902")
"""Values a forged button may carry in any place: numbers a handler might read as ids or
offsets, digits `int` refuses, words that other buttons carry, a meeting's id and a day."""


@pytest.mark.parametrize("first", ["", "1", "am-2027-09-02"])
async def test_no_handler_fails_on_odd_values_of_the_right_count(mingel_chat, caplog,
                                                                 first) -> None:
    chat = await harness(mingel_chat)
    emma = chat.user(10, "Emma", lang="en")
    await chat.send("/rsvp am-2027-09-02", emma)
    await chat.press("Coming in person", emma)
    await chat.send("/ask am-2027-09-02 Will the labour market recover soon?", ORGANISER)
    await chat.press("Show my name", ORGANISER)
    await chat.send("/broadcast", ORGANISER)
    caplog.set_level(logging.ERROR)
    for (plugin, name), action in sorted(chat.assistant.actions.items()):
        least, most = action.arity
        for count in range(max(least, 1), most + 1):
            for value in ODD_VALUES:
                args = [first or value, *[value] * (count - 1)]
                for user in (ORGANISER, emma):
                    forged = ":".join([plugin, name, *args])
                    text = chat.text(await chat.press_data(forged, user))
                    assert CRASHED not in text and not raw_controls(text), forged
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


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


async def test_the_harness_fails_a_plugin_that_draws_a_button_its_arity_refuses(
        mingel_chat) -> None:
    chat = await mingel_chat(["plugins.basics", "plugins.programme"],
                             now="2027-09-01T07:00:00+00:00")
    assert chat.buttons(await chat.send("/event"))
    card = chat.assistant.actions[("programme", "card")]
    chat.assistant.actions[("programme", "card")] = dataclasses.replace(card, arity=(2, 2))
    with pytest.raises(AssertionError, match=r"\(programme:card:am-2027-09-02\) does not fit"):
        await chat.send("/event")
