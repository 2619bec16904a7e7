"""A meeting moved and given a new private link after the old one went: the message that
brings the new link says it replaces the one sent before, also when it comes with the last
reminder at the new time rather than alone. Keys contain the meeting's start, so after a
move nothing was known to have gone: Bob got "⏰ Reminder: … starts in 50 minutes … Join
online: Zoom (…/11122233344)" with not a word about the link he had from the morning."""
from __future__ import annotations

from datetime import timedelta

from tests.test_new_private_link import (
    OLD_URL,
    TITLE,
    change_at,
    every_half_minute,
    kind,
    of,
    reminded_online,
    start,
)
from tests.test_rsvp_online_only import LAST_HOUR
from tests.test_rsvp_support import PROGRAMME

NEW_URL = "https://zoom.us/j/999"
MOVED = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 09:45", 1)
"""Fifteen minutes later: the last reminder (an hour before) is due again at once."""
MOVED_NEW_LINK = MOVED.replace(OLD_URL, NEW_URL, 1)
LATER_NEW_LINK = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 11:30", 1) \
    .replace("end: 2027-09-02 12:30", "end: 2027-09-02 13:30", 1).replace(OLD_URL, NEW_URL, 1)
"""Two hours later: the last reminder is ahead again."""
REPLACES = ("The link to join online has changed: here is the new one, which replaces the one "
            "I sent you before.")
ERSATTER = ("Länken för att delta online har ändrats: här är den nya, som ersätter den jag "
            "skickade tidigare.")


async def test_moved_with_a_new_link_the_reminder_says_it_replaces_the_old(mingel_chat,
                                                                          tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    bo, sara = await reminded_online(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=10), MOVED_NEW_LINK)
    got = await every_half_minute(chat, 5)

    assert [what for _tick, what in of(got, bo)] == ["change notice", "calendar file",
                                                     "new link"]
    note, _ics, link = chat.sent_to(bo)[1:]
    assert note.text.splitlines()[1:3] == ["Time changed: 09:30–12:30 → 09:45–12:30",
                                           "New online link: you'll get it in a moment."]
    assert link.text.startswith(f"⏰ Reminder: {TITLE} starts in 1 hour. {REPLACES}")
    assert f'<a href="{NEW_URL}">Zoom</a>' in link.text
    *_, link = chat.sent_to(sara)
    assert link.text.startswith("⏰ Påminnelse: <b>Arbetsmarknaden efter corona</b> börjar om "
                                f"1 timme. {ERSATTER}")


async def test_moved_with_the_same_link_the_reminder_claims_no_change(mingel_chat,
                                                                      tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    bo, _sara = await reminded_online(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=10), MOVED)
    await every_half_minute(chat, 5)
    [reminder] = [m for m in chat.sent_to(bo) if "09:45–12:30 (Sweden Time)\n" in (m.text or "")]
    assert reminder.text.startswith(f"⏰ Reminder: {TITLE} starts in 1 hour.\n")
    assert "changed" not in reminder.text and OLD_URL in reminder.text


async def test_moved_later_the_new_link_comes_with_the_last_reminder_as_a_replacement(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    bo, _sara = await reminded_online(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=5), LATER_NEW_LINK)
    got = await every_half_minute(chat, 5)
    assert [what for _tick, what in of(got, bo)] == ["change notice", "calendar file", "other"]
    assert chat.sent_to(bo)[1].text.splitlines()[2] == (
        "New online link: you'll get it shortly before the meeting.")
    assert "The link to join online comes with the last reminder." in chat.sent_to(bo)[-1].text
    chat.clock.set(LAST_HOUR + timedelta(hours=2))
    got = await every_half_minute(chat, 2)
    assert [what for _tick, what in of(got, bo)] == ["new link"]
    assert chat.sent_to(bo)[-1].text.startswith(
        f"⏰ Reminder: {TITLE} starts in 1 hour. {REPLACES}")
    assert [kind(m) for m in chat.sent_to(bo)].count("new link") == 1
