"""Buttons naming an invite-only meeting the user may not see (forged, or left from before it
was hidden) are refused in the one wording of an unknown id, whichever plugin owns them, so
the answer is true and tells nothing of the hidden meeting."""
from __future__ import annotations

import pytest

from tests.test_health_support import programme_file
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.invitations", "plugins.rsvp",
           "plugins.calendar", "plugins.questions"]
BUTTONS = ["rsvp:a:{id}:in_person", "rsvp:show:{id}", "programme:card:{id}",
           "questions:ask:{id}", "questions:list:{id}:0", "calendar:add:{id}"]
UNKNOWN = {"en": "I can't find a meeting with the id {id}. Send /programme to see the meetings.",
           "sv": "Jag hittar ingen träff med id:t {id}. Skicka /programme för att se träffarna."}


@pytest.mark.parametrize("lang", ["en", "sv"])
async def test_every_button_for_a_hidden_meeting_answers_as_for_no_meeting(
        mingel_chat, lang: str) -> None:
    chat = await mingel_chat(PLUGINS, organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": programme_file(PROGRAMME)},
                             flood_control=False)
    olle = chat.user(3, "Olle", lang=lang)
    for data in BUTTONS:
        for event_id in ("secret", "nope"):
            replies = await chat.press_data(data.format(id=event_id), olle)
            assert [chat.text([r]) for r in replies] == [UNKNOWN[lang].format(id=event_id)], data
            assert chat.toasts[olle.id] is None, data  # said once, in the chat
    assert chat.assistant.store.table("rsvp_answers").all() == []
    assert chat.assistant.store.table("questions_followers").all() == []
    replies = await chat.press_data("rsvp:a", olle)
    assert chat.toasts[olle.id] == {"en": "This button no longer works.",
                                    "sv": "Den här knappen fungerar inte längre."}[lang]
