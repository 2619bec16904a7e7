"""/mydata and /privacy on the messages kept for a user: the change notice about their
invite-only roundtable stays in the outbox for a month after it was sent."""
from __future__ import annotations

import json
from datetime import timedelta

from tests.test_invitation_newcomer import invite, start
from tests.test_new_private_link import OLD_URL, change_at
from tests.test_queued_old_link import queued_not_sent
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_online_only import LAST_HOUR
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME, ProgrammeStub

CANCELLED = PROGRAMME.replace("    capacity: 2\n", "    capacity: 2\n    cancelled: true\n", 1)

MOVED = PROGRAMME.replace("    start: 2027-10-14 09:30\n    end: 2027-10-14 11:00\n",
                          "    start: 2027-10-14 13:00\n    end: 2027-10-14 14:30\n")
"""The roundtable moved to the afternoon."""


async def test_mydata_shows_the_messages_kept_for_me_and_privacy_says_for_how_long(
        mingel_chat) -> None:
    """While the change notice waits, /mydata shows what it will say and its calendar file;
    once it is sent, only that it was sent and when (for a month): its text, which may hold a
    private link or a health declaration's outcome, is not kept, and /privacy says so."""
    programme = ProgrammeStub()
    chat = await start(mingel_chat, programme)
    payload = await invite(chat)
    nina = chat.user(2, "Nina")
    await chat.send(f"/start {payload}", nina)
    await chat.press("Coming in person", nina)
    await programme.change(chat.assistant, MOVED)
    chat.clock.advance(minutes=3)
    await chat.assistant.tick()
    [document] = chat.documents(await chat.send("/mydata", nina))
    [waiting] = json.loads(document.content)["messages"]
    assert waiting["state"] == "pending" and waiting["sent"] is None
    assert waiting["text"].startswith("✏️ Changes to Roundtable (Thursday, 14 October 2027, "
                                      "13:00–14:30):")
    assert "<b>" not in waiting["text"]
    assert waiting["files"] == ["secret.ics"]
    await chat.deliver()
    assert chat.sent_to(nina)
    [document] = chat.documents(await chat.send("/mydata", nina))
    [message] = json.loads(document.content)["messages"]
    assert message["state"] == "sent" and message["sent"]
    assert (message["text"], message["files"]) == ("", [])
    [notice] = await chat.send("/privacy", nina)
    assert ("Messages to you (reminders, notices, broadcasts): kept until they are sent. Then "
            "I keep only that a message was sent and when, for a month, so that none is sent "
            "twice, and not what it said.") in notice.text


async def test_mydata_does_not_show_a_reminder_that_never_reached_me(mingel_chat,
                                                                     tmp_path) -> None:
    """The last reminder, with the private join link, was still queued when the meeting was
    cancelled: it was dropped, so /mydata says a message was dropped but not what it said."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat([*REAL, "plugins.reminders", "plugins.privacy"],
                             organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path),
                                  "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.user(ORGANISER, "Org")
    bo, _cleo = await queued_not_sent(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=2), CANCELLED)
    await chat.assistant.tick()
    await chat.deliver()
    assert not any(OLD_URL in (m.text or "") for m in chat.sent_to(bo))
    [document] = chat.documents(await chat.send("/mydata", bo))
    messages = json.loads(document.content)["messages"]
    dropped = [m for m in messages if m["state"] == "dropped"]
    assert dropped and all(m["text"] == "" and m["sent"] is None for m in dropped)
    assert not any(OLD_URL in m["text"] for m in messages)
