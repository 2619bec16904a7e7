"""A change notice that fails every time (a bug in a plugin it calls): its traceback is logged
once and then a line each time it fails again, and it is tried after longer and longer
pauses instead of on every tick; it is still tried just before the meeting starts, so once
the fault is gone people hear of the change before it begins. It used to log a full
traceback twice a minute until the meeting ended: 500 of them for a meeting four hours
ahead."""
from __future__ import annotations

import logging
from datetime import timedelta
from itertools import pairwise

from plugins.rsvp import changed
from tests.test_new_private_link import change_at, start
from tests.test_notice_before_link import START
from tests.test_rsvp_online_only import LAST_HOUR, answer
from tests.test_rsvp_support import PROGRAMME

RETITLED = PROGRAMME.replace("en: The labour market after corona", "en: The labour market today",
                             1)


async def test_a_failing_notice_is_retried_less_and_less_often_and_goes_before_the_start(
        mingel_chat, tmp_path, monkeypatch, caplog) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    emma = chat.user(4, "Emma")
    await answer(chat, emma, "Coming in person")
    describe, tries = changed.describe, []

    def failing(target, event, fields, entry=None):
        tries.append(chat.clock.now())
        raise RuntimeError("a bug in a plugin")
    monkeypatch.setattr(changed, "describe", failing)
    caplog.set_level(logging.WARNING, logger="assistant.plugins.rsvp")
    await change_at(chat, path, LAST_HOUR - timedelta(hours=2), RETITLED)
    ticks = 0
    while chat.clock.now() < START - timedelta(minutes=5):
        await chat.tick(seconds=30)
        ticks += 1

    assert ticks > 300
    assert 10 <= len(tries) <= 30, "tried after 30 s, 1, 2, 4, 8 minutes, then every 10"
    assert max(b - a for a, b in pairwise(tries)) <= timedelta(minutes=10)
    assert caplog.text.count("Traceback") == 1
    assert caplog.text.count("the change notice about hybrid failed again") == len(tries) - 1
    assert not notices_to(chat, emma)

    monkeypatch.setattr(changed, "describe", describe)
    while chat.clock.now() < START and not notices_to(chat, emma):
        await chat.tick(seconds=30)
    assert chat.clock.now() < START
    [note] = notices_to(chat, emma)
    assert note.text.startswith("✏️ <b>Changes to The labour market today")


def notices_to(chat, user) -> list:
    return [m for m in chat.sent_to(user) if m.text.startswith("✏️")]
