"""A private join link that went out before the upgrade that gave link keys a hash of the
link (`reminders:<…>:3600`, `reminders:<…>:link`): the upgrade alone sends nobody the link
again, but when the organisers then change the link, everyone who had the old one still gets
the new one, once, after the notice. Those old keys used to count as bringing whatever link
the meeting had now, so the new link never came and people joined with the dead one."""
from __future__ import annotations

import pytest

from assistant.types import Reply
from tests.test_new_private_link import CHANGED, NEW_LINK, NEWER_LINK, change_at, of, start
from tests.test_new_private_link import every_half_minute as ticks
from tests.test_notice_before_link import START
from tests.test_rsvp_online_only import LAST_HOUR, answer
from tests.test_rsvp_support import PROGRAMME

STAMP = int(START.timestamp())
OLD_REMINDER = ('⏰ Reminder: <b>The labour market after corona</b> starts in 1 hour.\n\n'
                '💻 Join online: <a href="https://zoom.us/j/1">Zoom</a>')
RETITLED = PROGRAMME.replace("The labour market after corona", "The labour market today", 1)


async def before_the_upgrade(mingel_chat, tmp_path):
    """Bo's last reminder and the link alone to Sara, who answered after its time, went out
    under the keys an earlier Mingel wrote; then the bot is stopped and started again with
    this one (the deploy)."""
    chat, path = await start(mingel_chat, tmp_path, tmp_path / "data")
    bo, sara = chat.user(2, "Bo"), chat.user(3, "Sara")
    await answer(chat, bo, "Coming online")
    chat.clock.set(LAST_HOUR)
    await answer(chat, sara, "Coming online")
    outbox = chat.assistant.outbox
    assert outbox.enqueue(bo.id, [Reply(OLD_REMINDER)], key=f"reminders:hybrid:{STAMP}:2:3600")
    assert outbox.enqueue(sara.id, [Reply(OLD_REMINDER)], key=f"reminders:hybrid:{STAMP}:3:link")
    await chat.assistant.store.commit()
    await chat.deliver()
    await chat.restart()
    return chat, path, bo, sara


@pytest.mark.parametrize("restarts", [False, True], ids=["running", "restarted"])
async def test_an_upgrade_then_a_new_link_brings_the_new_link_once(mingel_chat, tmp_path,
                                                                   restarts) -> None:
    """The upgrade alone sends nobody the link again, nor does a change that leaves the link
    as it was (a new title); a new link then goes to both, once, across restarts, and so does
    the next one."""
    chat, path, bo, sara = await before_the_upgrade(mingel_chat, tmp_path)
    assert await ticks(chat, 5) == []
    await change_at(chat, path, chat.clock.now(), RETITLED)
    got = await ticks(chat, 5)
    for user in (bo, sara):
        assert [what for _tick, what in of(got, user)] == ["change notice", "calendar file"]
        assert "New title" in chat.sent_to(user)[-2].text

    await change_at(chat, path, chat.clock.now(), NEW_LINK.replace(
        "The labour market after corona", "The labour market today", 1))
    if restarts:
        await chat.restart()
    got = await ticks(chat, 5)
    if restarts:
        await chat.restart()
    got += await ticks(chat, 5)

    for user in (bo, sara):
        mine = of(got, user)
        assert [what for _tick, what in mine] == ["change notice", "calendar file", "new link"]
        assert mine[0][0] == mine[2][0], "the link comes in the same tick as the notice"
        note, _ics, link = chat.sent_to(user)[-3:]
        assert note.text.splitlines()[1] == "New online link: you'll get it in a moment."
        assert link.text.startswith(CHANGED.replace("after corona", "today"))
        assert 'href="https://zoom.us/j/999"' in link.text

    await change_at(chat, path, chat.clock.now(), NEWER_LINK.replace(
        "The labour market after corona", "The labour market today", 1))
    got = await ticks(chat, 5)
    for user in (bo, sara):
        assert [what for _tick, what in of(got, user)] == ["change notice", "calendar file",
                                                          "new link"]
        assert 'href="https://zoom.us/j/777"' in chat.sent_to(user)[-1].text

