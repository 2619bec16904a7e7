"""/mydata and /privacy on the messages kept for a user: the change notice about their
invite-only roundtable stays in the outbox for a month after it was sent."""
from __future__ import annotations

import json

from tests.test_invitation_newcomer import invite, start
from tests.test_rsvp_support import PROGRAMME, ProgrammeStub

MOVED = PROGRAMME.replace("    start: 2027-10-14 09:30\n    end: 2027-10-14 11:00\n",
                          "    start: 2027-10-14 13:00\n    end: 2027-10-14 14:30\n")
"""The roundtable moved to the afternoon."""


async def test_mydata_shows_the_messages_kept_for_me_and_privacy_says_for_how_long(
        mingel_chat) -> None:
    """The change notice (and its calendar file) stays in the outbox for a month after it was
    sent: /mydata shows what it said, and /privacy does not claim it goes once sent."""
    programme = ProgrammeStub()
    chat = await start(mingel_chat, programme)
    payload = await invite(chat)
    nina = chat.user(2, "Nina")
    await chat.send(f"/start {payload}", nina)
    await chat.press("Coming in person", nina)
    await programme.change(chat.assistant, MOVED)
    await chat.tick(minutes=3)
    assert chat.sent_to(nina)
    [document] = chat.documents(await chat.send("/mydata", nina))
    [message] = json.loads(document.content)["messages"]
    assert message["state"] == "sent" and message["sent"]
    assert message["text"].startswith("✏️ Changes to Roundtable (Thursday, 14 October 2027, "
                                      "13:00–14:30):")
    assert "<b>" not in message["text"]
    assert message["files"] == ["secret.ics"]
    [notice] = await chat.send("/privacy", nina)
    assert ("Messages to you (reminders, notices, broadcasts): kept until they are sent, and "
            "then a month, so that none is sent twice.") in notice.text
