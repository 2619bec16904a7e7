"""A reminder before a later day of a gathering that someone comes to in person after
following it online (or after a day they skip), with the venue and the health declaration;
and the reminders before a first day followed online speak of the link alone, not of a venue
or a declaration that concern the days in person (docs/reminders.md)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from assistant.model import Attendance, Event, Online, Venue
from assistant.testing import ChatHarness
from plugins.reminders import schedule
from tests.test_health_support import NOW, PROGRAMME, programme_file

EVA, SVEN = 7, 8
HYBRID = PROGRAMME.replace("    online: null\n    health_required: true\n", "")
"""The two-day gathering (Tuesday 10 and Wednesday 11 August, 10:00–15:00), hybrid, with a
private Zoom link, asking people in person for a health declaration."""
THREE_DAYS = HYBRID.replace("end: 2027-08-11 15:00", "end: 2027-08-12 15:00")
IN_PERSON_DAY = "⏰ Reminder: your day in person at The two-day gathering starts in"
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.health",
           "plugins.reminders"]
STOCKHOLM = ZoneInfo("Europe/Stockholm")


async def start(mingel_chat, programme: str = HYBRID,
                env: dict[str, str] | None = None) -> ChatHarness:
    chat = await mingel_chat(PLUGINS, now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file(programme), **(env or {})})
    chat.user(EVA, "Eva", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    return chat


async def until(chat: ChatHarness, *moments: str) -> None:
    """Tick at each local time in Stockholm (summer time: UTC+2)."""
    for moment in moments:
        chat.clock.set(datetime.fromisoformat(moment + "+02:00"))
        await chat.tick()


def reminders(chat: ChatHarness, user: int) -> list:
    return [r for r in chat.sent_to(user) if "⏰" in (r.text or "")]


async def answer(chat: ChatHarness, user: int, label: str, *taps: str) -> None:
    await chat.send("/event required", user)
    await chat.press(label, user)
    for tap in taps:
        await chat.press(tap, user)


async def test_eva_online_on_tuesday_in_person_on_wednesday(mingel_chat) -> None:
    """Her reminders before Tuesday bring the link, not the venue nor the declaration she
    needs no sooner than Wednesday; an hour before Wednesday one with the venue, the missing
    declaration and its button."""
    chat = await start(mingel_chat)
    await answer(chat, EVA, "Coming in person", "💻 Tue 10 Aug online instead")
    await until(chat, "2027-08-09T10:01", "2027-08-10T09:01")
    tuesday = reminders(chat, EVA)
    assert len(tuesday) == 2
    assert chat.text(tuesday[:1]).startswith("⏰ Reminder: The two-day gathering starts in "
                                             "1 day.")
    assert "The link to join online comes with the last reminder." in chat.text(tuesday[:1])
    assert "💻 Join online: Zoom" in chat.text(tuesday[1:])
    assert 'href="https://zoom.us/j/61234567890"' in tuesday[1].text
    for sent in tuesday:
        assert "📍" not in chat.text([sent]) and "Health declaration" not in chat.text([sent])
        assert chat.buttons([sent]) == ["Reminder settings"]
    await until(chat, "2027-08-11T08:59")
    assert len(reminders(chat, EVA)) == 2, "not before her last lead time"
    await until(chat, "2027-08-11T09:01", "2027-08-11T09:30")
    [wednesday] = reminders(chat, EVA)[2:]
    text = chat.text([wednesday])
    assert text.startswith(IN_PERSON_DAY + " 1 hour.")
    assert "Wednesday, 11 August 2027, 10:00–15:00 (Sweden Time)" in text
    assert "📍 F7, Fleminggatan 7, Stockholm" in text and "💻" not in text
    assert "⚠️ Health declaration missing – please fill it in before you come." in text
    assert chat.buttons([wednesday]) == ["Fill in health declaration", "Reminder settings"]


async def test_one_way_answers_get_nothing_more(mingel_chat) -> None:
    """Sven comes in person on both days and Eva online on both: each is reminded before
    Tuesday only, as always; Sven's last reminder has the declaration."""
    chat = await start(mingel_chat)
    await answer(chat, SVEN, "Kommer på plats")
    await answer(chat, EVA, "Coming online")
    await until(chat, "2027-08-09T10:01", "2027-08-10T09:01", "2027-08-11T09:01")
    assert len(reminders(chat, SVEN)) == 2 and len(reminders(chat, EVA)) == 2
    assert "⚠️ Hälsodeklaration saknas" in chat.text(reminders(chat, SVEN)[1:])


async def test_in_swedish_with_the_organisations_lead_times(mingel_chat) -> None:
    """MINGEL_REMINDERS=2d,3h: Sven's reminder of his Wednesday in person comes three hours
    before it, in Swedish."""
    chat = await start(mingel_chat, env={"MINGEL_REMINDERS": "2d,3h"})
    await answer(chat, SVEN, "Kommer på plats", "💻 tis 10 aug. online i stället")
    await until(chat, "2027-08-08T10:01", "2027-08-10T07:01", "2027-08-11T06:59")
    assert len(reminders(chat, SVEN)) == 2
    await until(chat, "2027-08-11T07:01")
    text = chat.text(reminders(chat, SVEN)[2:])
    assert text.startswith("⏰ Påminnelse: din dag på plats på Tvådagarsträffen börjar om "
                           "3 timmar.")
    assert "onsdag 11 augusti 2027 kl. 10:00–15:00 (Sverigetid)" in text
    assert "📍 F7" in text


async def test_own_lead_time_and_off(mingel_chat) -> None:
    """Eva's own 30 minutes set when it comes; Sven turned reminders off: none."""
    chat = await start(mingel_chat)
    await chat.send("/reminders 30m", EVA)
    await chat.send("/reminders off", SVEN)
    await answer(chat, EVA, "Coming in person", "💻 Tue 10 Aug online instead")
    await answer(chat, SVEN, "Kommer på plats", "💻 tis 10 aug. online i stället")
    await until(chat, "2027-08-11T09:01")
    assert not [r for r in reminders(chat, EVA) if chat.text([r]).startswith(IN_PERSON_DAY)]
    await until(chat, "2027-08-11T09:31")
    [wednesday] = [r for r in reminders(chat, EVA) if chat.text([r]).startswith(IN_PERSON_DAY)]
    assert chat.text([wednesday]).startswith(IN_PERSON_DAY + " 30 minutes.")
    assert reminders(chat, SVEN) == []


async def test_switching_wednesday_online_too_stops_it(mingel_chat) -> None:
    """Eva follows both days online after all: no reminder before Wednesday."""
    chat = await start(mingel_chat)
    await answer(chat, EVA, "Coming in person", "💻 Tue 10 Aug online instead",
                 "💻 Wed 11 Aug online instead")
    await until(chat, "2027-08-10T09:01", "2027-08-11T09:01")
    assert len(reminders(chat, EVA)) == 1


async def test_in_person_again_after_a_day_skipped(mingel_chat) -> None:
    """Three days: Sven comes in person on Tuesday and Thursday, so Thursday is a new start
    ("your day", as for anyone who comes in person on every day); Eva online on Tuesday and
    in person on Wednesday and Thursday gets one reminder, of both her days in person."""
    chat = await start(mingel_chat, programme=THREE_DAYS)
    await answer(chat, SVEN, "Kommer på plats", "☑ ons 11 aug.")
    await answer(chat, EVA, "Coming in person", "💻 Tue 10 Aug online instead")
    await until(chat, "2027-08-10T09:01", "2027-08-11T09:01", "2027-08-12T09:01")
    eva = [chat.text([r]) for r in reminders(chat, EVA)]
    assert len(eva) == 2 and eva[1].startswith(IN_PERSON_DAY + " 1 hour.")
    assert "🕘 Wednesday, 11 August 2027, 10:00–15:00 (Sweden Time)\n" \
        "📅 Your later day: Thu 12 Aug (in person)\n" in eva[1]
    sven = [chat.text([r]) for r in reminders(chat, SVEN)]
    assert len(sven) == 2
    assert sven[1].startswith("⏰ Påminnelse: din dag på Tvådagarsträffen börjar om 1 timme.")
    assert "torsdag 12 augusti 2027" in sven[1] and "📍 F7" in sven[1]


async def test_a_restart_sends_it_once(mingel_chat) -> None:
    chat = await start(mingel_chat)
    await answer(chat, EVA, "Coming in person", "💻 Tue 10 Aug online instead")
    await until(chat, "2027-08-11T09:01")
    await chat.restart()
    await until(chat, "2027-08-11T09:10")
    assert len([r for r in reminders(chat, EVA) if chat.text([r]).startswith(IN_PERSON_DAY)]) \
        == 1


def test_runs_begin_where_the_way_changes() -> None:
    """Which days begin a run, and its way: not the first day, not a day the way of the day
    before; a day skipped, or one in person only waited for, ends a run."""
    event = Event(id="konf", networks=(), title={"en": "Conference"}, start=at(10),
                  end=datetime(2027, 8, 13, 15, tzinfo=STOCKHOLM), venue=Venue(id="f7", name="F7"),
                  online=Online(platform="Zoom", url="https://zoom.us/j/1"))
    assert schedule.runs(event, comes("in_person", online=("2027-08-10",))) == \
        [(d(11), d(13), "in_person")]
    assert schedule.runs(event, comes("in_person", online=("2027-08-10", "2027-08-12"))) == \
        [(d(11), d(11), "in_person"), (d(12), d(12), "online"), (d(13), d(13), "in_person")]
    assert schedule.runs(event, comes("in_person", online=("2027-08-11",))) == \
        [(d(11), d(11), "online"), (d(12), d(13), "in_person")]
    assert schedule.runs(event, comes("in_person", days=("2027-08-10", "2027-08-12"))) == \
        [(d(12), d(12), "in_person")]
    assert schedule.runs(event, comes("in_person")) == []
    assert schedule.runs(event, comes("in_person", online=("2027-08-10",), waiting=True)) == []
    assert schedule.runs(event, comes("maybe", days=("2027-08-10", "2027-08-12"))) == []


def comes(answer: str, days: tuple[str, ...] = (), online: tuple[str, ...] = (),
          waiting: bool = False) -> Attendance:
    return Attendance("konf", EVA, answer, at(1), waiting=waiting, days=days,
                      online_days=online)


def at(day: int) -> datetime:
    return datetime(2027, 8, day, 10, tzinfo=STOCKHOLM)


def d(day: int) -> date:
    return date(2027, 8, day)
