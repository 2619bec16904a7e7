"""A reminder with the join link before a later day of a hybrid gathering that someone follows
online after coming in person (or after a day they skip): the link came only with the
reminders before their first day, a day or more before they needed it (docs/reminders.md)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant.model import Attendance, Event, Online, Venue
from assistant.testing import ChatHarness
from plugins.reminders import schedule
from tests.test_gathering_ways import ORG, PLUGINS, PROGRAMME

EVA, SVEN, EMMA = 7, 8, 9
NOW = "2027-11-20T08:00:00+00:00"
ONLINE_DAY = "⏰ Reminder: your day online at The conference starts in"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
THREE_DAYS = PROGRAMME.replace("2027-11-28 16:00", "2027-11-29 16:00")


async def start(mingel_chat, tmp_path: Path, programme: str = PROGRAMME,
                env: dict[str, str] | None = None) -> ChatHarness:
    path = tmp_path / "programme.yaml"
    path.write_text(programme.replace("CAP", "40"), encoding="utf-8")
    chat = await mingel_chat([*PLUGINS, "plugins.reminders"], organisers=[ORG], now=NOW,
                             flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path), **(env or {})})
    chat.user(EVA, "Eva", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    return chat


async def until(chat: ChatHarness, moment: str) -> None:
    """Tick the clock forward to a local time in Stockholm (winter time: UTC+1)."""
    chat.clock.set(datetime.fromisoformat(moment + "+01:00"))
    await chat.tick()


def reminders(chat: ChatHarness, user: int) -> list[str]:
    return [chat.text([r]) for r in chat.sent_to(user) if "⏰" in (r.text or "")]


async def answer(chat: ChatHarness, user: int, label: str, *taps: str) -> None:
    await chat.send("/rsvp konf", user)
    await chat.press(label, user)
    for tap in taps:
        await chat.press(tap, user)


async def test_eva_online_on_sunday_gets_the_link_before_sunday(mingel_chat,
                                                                tmp_path: Path) -> None:
    """Eva comes in person on Saturday and follows Sunday online: an hour before Sunday a
    reminder of her day online with the private link; Emma, online on both days, and Sven,
    in person on both, get nothing before Sunday (they are there already)."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EVA, "Coming in person", "💻 Sun 28 Nov online instead")
    await answer(chat, EMMA, "Coming online")
    await answer(chat, SVEN, "Kommer på plats")
    await until(chat, "2027-11-26T09:01")
    await until(chat, "2027-11-27T08:01")
    saturday = {user: len(reminders(chat, user)) for user in (EVA, EMMA, SVEN)}
    assert saturday == {EVA: 2, EMMA: 2, SVEN: 2}
    await until(chat, "2027-11-28T07:30")
    assert len(reminders(chat, EVA)) == 2, "not before her last lead time"
    await until(chat, "2027-11-28T08:01")
    sunday = reminders(chat, EVA)[2]
    assert sunday.startswith(ONLINE_DAY + " 1 hour.")
    assert "Sunday, 28 November 2027, 09:00–16:00 (Sweden Time)" in sunday
    assert "💻 Join online: Zoom" in sunday and "📍" not in sunday
    assert 'href="https://zoom.us/j/123"' in chat.sent_to(EVA)[-1].text
    assert "Reminder settings" in chat.buttons([chat.sent_to(EVA)[-1]])
    assert len(reminders(chat, EMMA)) == 2 and len(reminders(chat, SVEN)) == 2
    await until(chat, "2027-11-28T09:30")
    assert len(reminders(chat, EVA)) == 3, "once"


async def test_in_swedish_and_with_the_organisations_lead_times(mingel_chat,
                                                                tmp_path: Path) -> None:
    """MINGEL_REMINDERS=2d,3h: Sven's reminder before his Sunday online comes three hours
    before it, in Swedish."""
    chat = await start(mingel_chat, tmp_path, env={"MINGEL_REMINDERS": "2d,3h"})
    await answer(chat, SVEN, "Kommer på plats", "💻 sön 28 nov. online i stället")
    await until(chat, "2027-11-25T09:01")
    await until(chat, "2027-11-27T06:01")
    assert len(reminders(chat, SVEN)) == 2
    await until(chat, "2027-11-28T05:59")
    assert len(reminders(chat, SVEN)) == 2
    await until(chat, "2027-11-28T06:01")
    sunday = reminders(chat, SVEN)[2]
    assert sunday.startswith("⏰ Påminnelse: din dag online på Konferensen börjar om 3 timmar.")
    assert "söndag 28 november 2027 kl. 09:00–16:00 (Sverigetid)" in sunday
    assert "💻 Delta online: Zoom" in sunday


async def test_own_lead_times_count_and_off_means_none(mingel_chat, tmp_path: Path) -> None:
    """Eva's own lead times (30 minutes) set when it comes; Emma turned reminders off."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/reminders 30m", EVA)
    await chat.send("/reminders off", EMMA)
    for user in (EVA, EMMA):
        await answer(chat, user, "Coming in person", "💻 Sun 28 Nov online instead")
    await until(chat, "2027-11-28T08:01")
    assert [r for r in reminders(chat, EVA) if r.startswith(ONLINE_DAY)] == []
    await until(chat, "2027-11-28T08:31")
    [sunday] = [r for r in reminders(chat, EVA) if r.startswith(ONLINE_DAY)]
    assert sunday.startswith(ONLINE_DAY + " 30 minutes.")
    assert reminders(chat, EMMA) == []


async def test_switching_sunday_back_in_person_stops_it(mingel_chat, tmp_path: Path) -> None:
    """Eva and Emma switched Sunday online, then Eva back in person before the reminder: it
    comes to Emma only."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EVA, "Coming in person", "💻 Sun 28 Nov online instead",
                 "🪑 Sun 28 Nov in person instead")
    await answer(chat, EMMA, "Coming in person", "💻 Sun 28 Nov online instead")
    await until(chat, "2027-11-28T08:01")
    assert [r for r in reminders(chat, EVA) if r.startswith(ONLINE_DAY)] == []
    assert [r for r in reminders(chat, EMMA) if r.startswith(ONLINE_DAY)] != []


async def test_online_after_a_gap_and_a_run_of_days_online(mingel_chat, tmp_path: Path) -> None:
    """Three days: Emma comes online on Saturday and Monday, skipping Sunday, so Monday is a
    new start; Eva comes in person on Saturday and online on Sunday and Monday: one reminder
    before Sunday, of both her days online, and none before Monday."""
    chat = await start(mingel_chat, tmp_path, programme=THREE_DAYS)
    await answer(chat, EMMA, "Coming online", "☑ Sun 28 Nov")
    await answer(chat, EVA, "Coming in person", "💻 Sun 28 Nov online instead",
                 "💻 Mon 29 Nov online instead")
    for moment in ("2027-11-27T08:01", "2027-11-28T08:01", "2027-11-29T08:01",
                   "2027-11-29T09:30"):
        await until(chat, moment)
    eva = [r for r in reminders(chat, EVA) if r.startswith(ONLINE_DAY)]
    assert len(eva) == 1 and eva[0].startswith(ONLINE_DAY + " 1 hour.")
    assert "🕘 Sunday, 28 November 2027, 09:00–16:00 (Sweden Time)\n" \
        "📅 Your later day: Mon 29 Nov (online)\n" in eva[0]
    [monday] = [r for r in reminders(chat, EMMA) if r.startswith(ONLINE_DAY)]
    assert "Monday, 29 November 2027, 09:00–16:00" in monday


async def test_a_restart_sends_it_once(mingel_chat, tmp_path: Path) -> None:
    """The key is in the outbox: after a restart at Sunday 08:10 it is not sent again."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EVA, "Coming in person", "💻 Sun 28 Nov online instead")
    await until(chat, "2027-11-28T08:01")
    await chat.restart()
    await until(chat, "2027-11-28T08:10")
    assert len([r for r in reminders(chat, EVA) if r.startswith(ONLINE_DAY)]) == 1


def test_online_runs_begin_where_the_way_changes_to_online() -> None:
    """Which days begin a run online: not the first day, not a day after one online; a day
    only waited for (a seat not theirs yet) counts as not online, a day skipped too."""
    event = Event(id="konf", networks=(), title={"en": "Conference"}, start=at(27, 9),
                  end=at(30, 16), venue=Venue(id="nl", name="Norra Latin"),
                  online=Online(platform="Zoom", url="https://zoom.us/j/123"))
    assert online_runs(event, comes("in_person", online=("2027-11-28",))) == \
        [(d(28), d(28))]
    assert online_runs(event, comes("in_person", online=("2027-11-28", "2027-11-29",
                                                                   "2027-11-30"))) == \
        [(d(28), d(30))]
    assert online_runs(event, comes("in_person", online=("2027-11-27", "2027-11-29")))\
        == [(d(29), d(29))]
    assert online_runs(event, comes("online")) == []
    assert online_runs(event, comes("online", days=("2027-11-27", "2027-11-29",
                                                             "2027-11-30"))) == [(d(29), d(30))]
    assert online_runs(event, comes("in_person", online=("2027-11-28",),
                                             waiting=True)) == [(d(28), d(28))]
    assert online_runs(event, comes("online", days=("2027-11-28", "2027-11-30"),
                                             waiting=True)) == [], "waiting for a place online"
    assert online_runs(event, comes("maybe")) == []
    assert online_runs(replace(event, online=None), comes("online", days=(
        "2027-11-27", "2027-11-29"))) == []


def online_runs(event: Event, attendance: Attendance) -> list[tuple[date, date]]:
    """The runs of days that `schedule.runs` begins online."""
    return [(day, last) for day, last, way in schedule.runs(event, attendance) if way == "online"]


def comes(answer: str, days: tuple[str, ...] = (), online: tuple[str, ...] = (),
          waiting: bool = False) -> Attendance:
    return Attendance("konf", EVA, answer, at(1, 9), waiting=waiting, days=days,
                      online_days=online)


def at(day: int, hour: int) -> datetime:
    return datetime(2027, 11, day, hour, tzinfo=STOCKHOLM)


def d(day: int) -> date:
    return date(2027, 11, day)


async def new_link(chat: ChatHarness, tmp_path: Path, old: str, new: str) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("✅ Confirm", ORG)


async def test_a_link_changed_on_saturday_comes_once_then_sundays_brings_it(
        mingel_chat, tmp_path: Path) -> None:
    """The organisers change the link on Saturday: Eva gets the new one once, alone, after
    the notice; Sunday's reminder brings it again; a change after that is told alone, and
    Sunday's reminder does not go a second time."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EVA, "Coming in person", "💻 Sun 28 Nov online instead")
    await until(chat, "2027-11-27T08:01")
    await until(chat, "2027-11-27T12:00")
    await new_link(chat, tmp_path, "zoom.us/j/123", "zoom.us/j/999")
    for moment in ("2027-11-27T12:03", "2027-11-27T12:05", "2027-11-28T08:01"):
        await until(chat, moment)
    texts = [chat.text([r]) for r in chat.sent_to(EVA)]
    changed = [t for t in texts if t.startswith("The link to join The conference online has")]
    assert len(changed) == 1
    sunday = [r for r in chat.sent_to(EVA) if chat.text([r]).startswith(ONLINE_DAY)]
    assert len(sunday) == 1 and "zoom.us/j/999" in sunday[0].text
    await new_link(chat, tmp_path, "zoom.us/j/999", "zoom.us/j/777")
    for moment in ("2027-11-28T08:05", "2027-11-28T08:10"):
        await until(chat, moment)
    texts = [chat.text([r]) for r in chat.sent_to(EVA)]
    assert len([t for t in texts if t.startswith(ONLINE_DAY)]) == 1
    assert "zoom.us/j/777" in chat.sent_to(EVA)[-1].text
    assert chat.text(chat.sent_to(EVA)[-1:]).startswith("The link to join The conference online "
                                                        "has changed.")
