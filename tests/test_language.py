"""/language: the codes and the languages' names as people type them, and the chooser."""
from __future__ import annotations

import pytest


@pytest.fixture
async def chat(mingel_chat):
    chat = await mingel_chat(["plugins.basics"])
    chat.user(5, "Eva", lang="de")
    return chat


@pytest.mark.parametrize(("typed", "lang"), [
    ("svenska", "sv"), ("Svenska", "sv"), ("SWEDISH", "sv"), ("sv", "sv"), ("sv-SE", "sv"),
    ("english", "en"), ("English", "en"), ("engelska", "en"), ("EN", "en"), ("en_GB", "en")])
async def test_a_language_typed_by_name_or_code_is_taken(chat, typed, lang) -> None:
    if lang == "en":
        await chat.send("/language sv", 5)
    switched = await chat.send(f"/language {typed}", 5)
    assert chat.assistant.users.language(5) == lang
    assert chat.text(switched) == {"en": "I'll speak English with you from now on.",
                                   "sv": "Jag pratar svenska med dig från och med nu."}[lang]
    assert chat.buttons(switched) == []


async def test_an_unknown_language_is_named_before_the_chooser(chat) -> None:
    """"/language de" used to show the chooser again without a word about why."""
    refused = await chat.send("/language de", 5)
    assert chat.text(refused) == ("I don't know the language “de”: I speak Swedish and "
                                  "English.\nChoose your language:")
    assert chat.buttons(refused) == ["Svenska", "✓ English"]
    assert chat.assistant.users.language(5) == "en"
    await chat.send("/language svenska", 5)
    swedish = await chat.send("/language <b>deutsch</b>", 5)
    assert chat.text(swedish) == ("Språket ”<b>deutsch</b>” kan jag inte – jag talar svenska "
                                  "och engelska.\nVälj språk:")
    assert "&lt;b&gt;" in swedish[0].text
    assert chat.buttons(swedish) == ["✓ Svenska", "English"]


async def test_the_chooser_ticks_the_language_spoken_now(chat) -> None:
    menu = await chat.send("/language", 5)
    assert chat.text(menu) == "Choose your language:"
    assert chat.buttons(menu) == ["Svenska", "✓ English"]
    await chat.press("Svenska", 5, menu)
    assert chat.buttons(await chat.send("/language", 5)) == ["✓ Svenska", "English"]
