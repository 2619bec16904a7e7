"""Buttons as Telegram takes them: callback data `<plugin>:<action>:<args…>` within its 64
bytes, a label cut where Telegram would cut it without a mark, and each button made once.

`Context.button` and `Context.button_for` (`assistant.context`) are how plugins make them.
"""
from __future__ import annotations

import functools
import unicodedata

from .text import shorten
from .types import Action, Button

MAX_CALLBACK_BYTES = 64
"""Telegram's limit for a button's callback data."""
BUTTON_LABEL = 60
"""Characters of a button's label; Telegram shows a longer one cut without a mark."""
BUTTONS_KEPT = 8192
"""Buttons kept (a card's answer buttons for a few thousand meetings and languages)."""


@functools.lru_cache(maxsize=BUTTONS_KEPT)
def cached_button(text: str, data: str) -> Button:
    """Buttons are immutable and every card draws the same few again: each is made once,
    keyed by its text and data as sent (so arguments that are equal but print differently,
    1 and True, are never confused)."""
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return Button(text=text if len(text) <= BUTTON_LABEL else shorten(text, BUTTON_LABEL),
                  data=data)


def callback_data(plugin: str, action: str, args: tuple[object, ...]) -> str:
    """A button's callback data, each argument as `str()` gives it: a card draws a dozen
    buttons, and this takes a third less time than joining `map(str, args)`."""
    data = f"{plugin}:{action}"
    for arg in args:
        data += f":{arg!s}"
    return data


def well_formed(data: str) -> bool:
    """Whether callback data could come from a button Mingel made: within Telegram's 64
    bytes and without control or other invisible characters ("id\\n"), which a refusal
    quoting an argument would print. Anything else is forged and refused before any handler."""
    if data.isascii():  # every button Mingel makes: no per-character look-up on each press
        return len(data) <= MAX_CALLBACK_BYTES and data.isprintable()
    return len(data.encode(errors="replace")) <= MAX_CALLBACK_BYTES and not any(
        unicodedata.category(char)[0] == "C" for char in data)


def fits(action: Action, args: list[str]) -> bool:
    """Whether a button may go to this action with these arguments: not one that only answers
    an awaited message (`Action.typed`), and as many as it declares (`Action.arity`, (least,
    most)); an action that declares none takes any."""
    return not action.typed and (
        action.arity is None or action.arity[0] <= len(args) <= action.arity[1])
