"""A reminder or link still waiting in the outbox (a morning's backlog, or a chat Telegram
paces) when the organisers change the join link: it is withdrawn and goes again with the new
link, after the notice about the change. It used to go as queued, with the dead link, and
then came the notice and the new link; or, when the reminder was still ahead, the old link
after a notice that promised the new one."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.test_new_private_link import NEW_LINK, PUBLIC_NEW_LINK, TITLE, change_at, kind, of, start
from tests.test_new_private_link import every_half_minute as ticks
from tests.test_notice_before_link import START
from tests.test_rsvp_online_only import LAST_HOUR, answer
from tests.test_rsvp_support import PROGRAMME

PUBLIC = PROGRAMME.replace(', private: true}', '}', 1)


async def queued_not_sent(chat):
    """Bo's last reminder and the link alone to Cleo (who answered after its time) are
    queued with the old link, and not sent yet."""
    bo, cleo = chat.user(2, "Bo"), chat.user(6, "Cleo")
    await answer(chat, bo, "Coming online")
    chat.clock.set(LAST_HOUR)
    await answer(chat, cleo, "Coming online")
    await chat.assistant.tick()
    assert chat.assistant.outbox.waiting("reminders:") == 2
    return bo, cleo


async def test_a_queued_old_link_is_replaced_by_the_new_one_after_the_notice(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    bo, cleo = await queued_not_sent(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=2), NEW_LINK)
    got = await ticks(chat, 10)

    for user in (bo, cleo):
        mine = of(got, user)
        assert [what for _tick, what in mine] == ["change notice", "calendar file", "new link"]
        assert mine[0][0] == mine[2][0], "the link comes in the same tick as the notice"
        assert chat.sent_to(user)[0].text.splitlines()[1] == (
            "New online link: you'll get it in a moment.")
    assert chat.sent_to(bo)[-1].text.startswith(f"⏰ Reminder: {TITLE} starts in")
    assert chat.sent_to(cleo)[-1].text.startswith(f"Here is the link to join {TITLE} online.")
    assert not [m for m in chat.outbox.sent[bo.id] + chat.outbox.sent[cleo.id]
                if kind(m) == "old link"]


async def test_after_the_start_a_queued_old_link_gives_way_to_the_new_one(mingel_chat,
                                                                          tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    cleo = chat.user(6, "Cleo")
    chat.clock.set(START + timedelta(minutes=1))
    await answer(chat, cleo, "Coming online")
    await chat.assistant.tick()
    await change_at(chat, path, START + timedelta(minutes=2), NEW_LINK)
    got = await ticks(chat, 2)

    assert [what for _tick, what in of(got, cleo)] == ["change notice", "calendar file",
                                                       "new link"]
    assert chat.sent_to(cleo)[-1].text.startswith(
        f"Here is the link to join {TITLE} online. It has already begun.")


@pytest.mark.parametrize("lead", ["24 hours", "1 hour"])
async def test_a_queued_reminder_with_an_old_public_link_goes_with_the_new_one(
        mingel_chat, tmp_path, lead) -> None:
    """A public link is in every reminder of someone coming online or maybe: one still queued
    gives the new link, not the one the notice says was replaced."""
    chat, path = await start(mingel_chat, tmp_path)
    await change_at(chat, path, chat.clock.now(), PUBLIC)
    bo, ali = chat.user(2, "Bo"), chat.user(5, "Ali")
    await answer(chat, bo, "Coming online")
    await answer(chat, ali, "Maybe")
    chat.clock.set(LAST_HOUR - (timedelta(hours=23) if lead == "24 hours" else timedelta(0)))
    await chat.assistant.tick()
    assert chat.assistant.outbox.waiting("reminders:") == 2
    await change_at(chat, path, chat.clock.now() + timedelta(minutes=1), PUBLIC_NEW_LINK)
    got = await ticks(chat, 5)

    for user in (bo, ali):
        assert "new link" in [what for _tick, what in of(got, user)]
        assert not [m for m in chat.sent_to(user) if kind(m) == "old link"]
