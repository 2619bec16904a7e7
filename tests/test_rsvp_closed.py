"""A late /rsvp (/osa) for a meeting that is over or cancelled, with the real programme
plugin's card: the card says so, once, and offers no answers."""
from __future__ import annotations

from typing import Any

from assistant import hookimpl
from plugins.programme.loader import parse_programme
from tests.test_health_support import programme_file
from tests.test_rsvp_support import NOW, PROGRAMME

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp"]


async def start(mingel_chat):
    return await mingel_chat(PLUGINS, organisers=[1], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file(PROGRAMME)})


async def test_a_late_osa_says_once_that_the_meeting_is_over(mingel_chat) -> None:
    chat = await start(mingel_chat)
    olle = chat.user(3, "Olle", lang="sv")
    replies = await chat.send("/osa past", olle)
    assert len(replies) == 1 and chat.buttons(replies) == []
    text = chat.text(replies)
    assert text.startswith("⌛ Träffen är över.\nVårmöte")
    assert text.count("är över") == 1


async def test_a_late_rsvp_says_once_that_the_meeting_is_cancelled(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma", lang="en")
    replies = await chat.send("/rsvp off", emma)
    assert len(replies) == 1 and chat.buttons(replies) == []
    text = chat.text(replies)
    assert text.startswith("❌ Cancelled: this meeting will not take place.\nCalled-off meeting")
    assert text.count("cancel") + text.count("Cancel") == 1


async def test_without_a_card_plugin_the_plain_card_says_why_once(mingel_chat) -> None:
    """The RSVP plugin's own card (no programme plugin draws one) gives the reason itself."""
    chat = await mingel_chat(["plugins.basics", ProgrammeOnly(), "plugins.rsvp"], now=NOW)
    replies = await chat.send("/osa past", chat.user(3, "Olle", lang="sv"))
    assert len(replies) == 1 and chat.buttons(replies) == []
    assert chat.text(replies).startswith("Träffen är över, så det går inte längre att svara.\n"
                                         "Vårmöte")


class ProgrammeOnly:
    """The programme without a card: the `programme` hook alone."""

    NAME = "programmeonly"

    def __init__(self) -> None:
        self.current = parse_programme(PROGRAMME, "test.yaml")

    @hookimpl
    def programme(self) -> Any:
        return self.current
