"""What had no test of its own: the second migration of the health tables (`startup`, stored
version 2: the first start that counts the declaration's window per first day in person
counts the days open already as told), and what the `again:` and `asked:` outbox keys
prevent (a second request with the button: the "open now" message, or the last reminder's
button, coming with the request that says why)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.test_health_opening import reload
from tests.test_health_seated_opening import LATER, NONE_LATER
from tests.test_health_support import coming_in_person, declare, make, plugins
from tests.test_health_window import ASKED, MONDAY, SUNDAY, wednesday_only

TUESDAY = datetime(2027, 8, 10, 8, 0, tzinfo=UTC)
"""10:00 in Stockholm on Tuesday 10 August, when the gathering starts."""


def told(chat, user) -> list:
    """The messages saying the declaration is open now."""
    return [m for m in chat.sent_to(user) if "is open now" in m.text]


async def test_the_upgrade_to_days_counts_the_days_open_as_told(mingel_chat) -> None:
    """Version 1 told every seat holder of a gathering at its first day's window: Sven, in
    person on Wednesday only, was told on Sunday. Started on Monday by version 2, which tells
    each at their own first day's window, he is not told again: Wednesday's opening counts as
    told from the start (kept until Wednesday). A store already at version 2 is left alone: a
    day whose told record is missing is told."""
    chat = await make(mingel_chat, ASKED)
    sven = chat.user(6, "Sven", lang="en")
    await wednesday_only(chat, sven)
    store = chat.assistant.store
    chat.clock.set(MONDAY)
    sunday = int((SUNDAY - timedelta(minutes=1)).timestamp())  # Tuesday's opening, 10:00
    windows = store.table("health_windows")
    windows.truncate()
    windows.insert({"event": "required", "opens": sunday, "start": TUESDAY.isoformat()})
    store.set_meta("version:health", 1)  # as the version that counted from the first day left it
    await chat.restart()
    await chat.tick()
    await chat.deliver()
    assert told(chat, sven) == []
    assert sorted(d.get("day", 0) for d in chat.table("health", "windows")) == [0, 1]

    chat.assistant.store.table("health_windows").truncate()
    await chat.restart()
    await chat.tick(minutes=1)
    await chat.deliver()
    [message] = told(chat, sven)
    assert "(Wednesday, 11 August 2027, 10:00–15:00)" in chat.text([message])


async def test_the_again_request_is_the_one_request_when_the_window_opens(mingel_chat) -> None:
    """Sven declared on Sunday for Tuesday and, a moment after Wednesday's window opened and
    before a tick saw it, leaves Tuesday out: the message that his declaration no longer counts
    asks him to fill it in now, with the button (outbox key `again:`), and the tick that sees
    the opening does not ask him a second time ("is open now")."""
    chat = await make(mingel_chat, ASKED)
    sven = chat.user(6, "Sven", lang="en")
    await coming_in_person(chat, sven, "required")
    chat.clock.set(SUNDAY)
    await chat.tick()
    await declare(chat, sven, "required", "nnn")
    chat.clock.set(MONDAY - timedelta(minutes=1, seconds=5))  # 09:59:55: Wednesday's not open
    await chat.tick()
    assert len(told(chat, sven)) == 1, "Sunday's, for Tuesday"
    chat.clock.set(MONDAY - timedelta(seconds=50))  # 10:00:10
    await chat.send("/event required", sven)
    await chat.press("☑ Tue 10 Aug", sven)
    await chat.tick()
    await chat.deliver()
    [again] = [m for m in chat.sent_to(sven) if "no longer counts" in m.text]
    assert chat.text([again]).endswith("Please fill it in now – it takes a minute.")
    assert chat.buttons([again]) == ["Fill in health declaration"]
    assert len(told(chat, sven)) == 1, "not asked again by the opening"
    await chat.tick(hours=1)
    assert len(told(chat, sven)) == 1


async def test_the_asked_request_keeps_the_button_off_the_last_reminder(mingel_chat,
                                                                       tmp_path) -> None:
    """The organisers make "later" (Friday 09:30) ask for a declaration at 08:10 that morning:
    Karin, who holds a seat, is asked at once with the button (outbox key `asked:`); the last
    reminder at 08:30 says it is missing and leaves the button to that request. Switched off
    and on again, she is asked again (one request each time it is switched on)."""
    path = tmp_path / "programme.yaml"
    path.write_text(NONE_LATER, encoding="utf-8")
    chat = await mingel_chat([*plugins(), "plugins.reminders"], organisers=[1],
                             now="2027-08-01T08:00:00+00:00", flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    karin = chat.user(6, "Karin", lang="en")
    await coming_in_person(chat, karin, "later")
    chat.clock.set(datetime(2027, 8, 6, 6, 10, tzinfo=UTC))
    await chat.tick()
    await reload(chat, path, LATER)
    await chat.deliver()
    [asked] = [m for m in chat.sent_to(karin) if "now asks everyone" in m.text]
    assert chat.buttons([asked]) == ["Fill in health declaration"]
    chat.clock.set(datetime(2027, 8, 6, 6, 30, tzinfo=UTC))
    await chat.tick(seconds=30)
    await chat.deliver()
    reminder = chat.sent_to(karin)[-1]
    assert chat.text([reminder]).startswith("⏰ Reminder: The later meeting starts in 1 hour.")
    assert "⚠️ Health declaration missing – please fill it in before you come." \
        in chat.text([reminder])
    assert chat.buttons([reminder]) == ["Reminder settings"]
    assert told(chat, karin) == []

    await reload(chat, path, NONE_LATER)
    await chat.tick(seconds=1)
    await reload(chat, path, LATER)
    await chat.deliver()
    assert len([m for m in chat.sent_to(karin) if "now asks everyone" in m.text]) == 2
