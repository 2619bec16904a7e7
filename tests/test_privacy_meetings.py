"""/mydata names each meeting so that its reader recognises it: beside the id (the data) the
title and when it is, in the reader's language and the meeting's time zone."""
from __future__ import annotations

import json

from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME, ProgrammeStub, plugins


async def my_data(chat, user) -> dict:
    [document] = chat.documents(await chat.send("/mydata", user))
    assert document.filename.endswith(".json")
    return json.loads(document.content)  # still a file for programs


async def test_my_answers_name_their_meetings_in_my_language(mingel_chat) -> None:
    stub = ProgrammeStub()
    chat = await mingel_chat([*plugins(stub), "plugins.privacy"], organisers=[ORGANISER],
                             now=NOW)
    anna, emma = chat.user(2, "Anna", lang="sv"), chat.user(3, "Emma", lang="en")
    for user, label in ((anna, "Kommer på plats"), (emma, "Coming in person")):
        await chat.send("/rsvp hybrid", user)
        await chat.press(label, user)
    [answer] = (await my_data(chat, anna))["plugins"]["rsvp"]
    assert answer["event"] == "hybrid" and answer["answer"] == "in_person"
    assert answer["title"] == "Arbetsmarknaden efter corona"
    assert answer["when"] == "torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)"
    [answer] = (await my_data(chat, emma))["plugins"]["rsvp"]
    assert (answer["title"], answer["when"]) == ("The labour market after corona",
                                                 ("Thursday, 2 September 2027, 09:30–12:30 "
                                                  "(Sweden Time)"))
    stub.current = type(stub)(PROGRAMME.replace("id: hybrid", "id: later")).current
    [answer] = (await my_data(chat, anna))["plugins"]["rsvp"]
    assert answer["event"] == "hybrid" and "title" not in answer and "when" not in answer
