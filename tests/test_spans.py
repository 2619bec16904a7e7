"""A gathering's days as one person comes to them: reminders, notices and double-booking
warnings cut them the same way."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from assistant.model import Attendance, Event
from assistant.spans import attended, day

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def gathering(start: datetime, end: datetime) -> Event:
    return Event(id="g", networks=(), title={"sv": "Samling"}, start=start, end=end)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 10, day, hour, minute, tzinfo=STOCKHOLM)


def comes(*days: str) -> Attendance:
    return Attendance(event_id="g", user_id=1, answer="in_person", at=at(1, 9), days=days)


def test_a_gathering_with_daily_hours_keeps_them_on_each_day() -> None:
    event = gathering(at(13, 9, 30), at(15, 15))
    assert day(event, date(2027, 10, 14)) == (at(14, 9, 30), at(14, 15))
    mine = attended(event, comes("2027-10-14", "2027-10-15"))
    assert (mine.start, mine.end) == (at(14, 9, 30), at(15, 15))


def test_a_gathering_through_the_night_runs_from_midnight_on_a_later_day() -> None:
    """A hackathon from Wednesday 13:00 to Friday 12:00 keeps no daily hours: Thursday is
    the whole of Thursday, and Thursday and Friday run from Thursday's midnight to noon."""
    event = gathering(at(13, 13), at(15, 12))
    assert day(event, date(2027, 10, 13)) == (at(13, 13), at(14, 0))
    assert day(event, date(2027, 10, 14)) == (at(14, 0), at(15, 0))
    assert day(event, date(2027, 10, 15)) == (at(15, 0), at(15, 12))
    mine = attended(event, comes("2027-10-14", "2027-10-15"))
    assert (mine.start, mine.end) == (at(14, 0), at(15, 12))


def test_someone_coming_every_day_comes_to_the_meeting_itself() -> None:
    event = gathering(at(13, 9, 30), at(15, 15))
    assert attended(event, comes()) is event
    assert attended(event, None) is event
