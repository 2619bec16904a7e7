"""A meeting moved so that it starts inside its last reminder's hour (or put back on there):
the change notice reaches everyone before the reminder it explains, also those whose answer
the change left as it was (they used to get "starts in 40 minutes" two minutes before "Time
changed"), and no reminder gives the old time."""
from __future__ import annotations

from datetime import datetime

from tests.test_notice_before_link import every_half_minute
from tests.test_rsvp_online_only import answer, start
from tests.test_rsvp_support import ORGANISER, PROGRAMME

DAY_BEFORE = datetime.fromisoformat("2027-09-01T08:00:00+00:00")
SEVEN = datetime.fromisoformat("2027-09-02T05:00:00+00:00")
"""07:00 in Stockholm, two and a half hours before the hybrid meeting's 09:30."""
MOVED = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 07:40", 1)
"""The hybrid meeting starts at 07:40 instead: 40 minutes after `SEVEN`."""
CANCELLED = PROGRAMME.replace("    capacity: 2\n", "    capacity: 2\n    cancelled: true\n", 1)


async def three_coming(chat):
    """Emma and Sara come in person, Bo online (the private link comes with his last
    reminder); each has had the reminder a day before."""
    emma, sara, bo = chat.user(4, "Emma"), chat.user(3, "Sara", lang="sv"), chat.user(2, "Bo")
    await answer(chat, emma, "Coming in person")
    await answer(chat, sara, "Kommer på plats")
    await answer(chat, bo, "Coming online")
    chat.clock.set(DAY_BEFORE)
    await chat.tick()
    assert all(len(chat.sent_to(user)) == 1 for user in (emma, sara, bo))
    return emma, sara, bo


def order(got, user) -> list[tuple[int, str]]:
    """(tick, what) a person got, the reminder named as such."""
    return [(tick, "reminder" if "⏰" in what or "Påminnelse" in what else what)
            for tick, to, what in got if to == user.id]


async def publish(chat, path, source: str) -> None:
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)


async def test_a_meeting_moved_into_the_last_hour_is_told_before_anyone_is_reminded(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    emma, sara, bo = await three_coming(chat)
    chat.clock.set(SEVEN)
    await publish(chat, path, MOVED)
    got = await every_half_minute(chat, 4)

    for user in (emma, sara):
        mine = order(got, user)
        assert [what for _tick, what in mine] == ["change notice", "calendar file", "reminder"]
        assert mine[0][0] == mine[2][0], "the reminder follows in the same tick as the notice"
    assert [what for _tick, what in order(got, bo)] == ["change notice", "calendar file",
                                                        "link"]
    notice, _ics, reminder = chat.sent_to(emma)[1:]
    assert "Time changed: 09:30–12:30 → 07:40–12:30" in notice.text
    assert reminder.text.startswith("⏰ Reminder: <b>The labour market after corona</b> starts "
                                    "in 38 minutes.")  # the time left once the notice went
    notice, _ics, reminder = chat.sent_to(sara)[1:]
    assert "Ny tid: 09:30–12:30 → 07:40–12:30" in notice.text
    assert reminder.text.startswith("⏰ Påminnelse: <b>Arbetsmarknaden efter corona</b> börjar "
                                    "om 38 minuter.")
    for user in (emma, sara, bo):
        last = chat.text(chat.sent_to(user)[-1:])
        assert "07:40–12:30" in last and "09:30" not in last


async def test_a_meeting_put_back_on_inside_the_last_hour_says_so_before_the_reminder(
        mingel_chat, tmp_path) -> None:
    """Cancelled the day before and on again at 08:45: "The meeting is on again." comes
    first, then the reminder (a cancelled meeting is reminded of by nobody until then)."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, sara, _bo = await three_coming(chat)
    await publish(chat, path, CANCELLED)
    await chat.tick(minutes=3)
    assert chat.sent_to(emma)[1].text.startswith("❌ <b>Cancelled:</b>")
    chat.clock.set(datetime.fromisoformat("2027-09-02T06:45:00+00:00"))
    await publish(chat, path, PROGRAMME)
    got = await every_half_minute(chat, 4)

    for user in (emma, sara):
        assert [what for _tick, what in order(got, user)] == [
            "change notice", "calendar file", "reminder"]
    assert "The meeting is on again." in chat.sent_to(emma)[-3].text
