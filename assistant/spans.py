"""The part of a gathering one person comes to: from the start of the first day they chose
to the end of the last. Reminders count from it and a notice says when it begins, so
everyone who speaks of "your day" cuts the days the same way (as the calendar file does)."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from .model import Attendance, Event


def local(event: Event, day: date, at: time) -> datetime:
    """A wall-clock time on one of the meeting's days, in its zone (as the loader reads one)."""
    zone = event.timezone
    return datetime.combine(day, at, tzinfo=zone).astimezone(zone)


def day(event: Event, on: date) -> tuple[datetime, datetime]:
    """One day of a gathering, in its zone: the daily hours when it keeps them (09:30–15:00
    on day two of a 09:30–15:00 gathering; at a gathering of evenings from that evening
    into the night after it, Saturday 18:00 to Sunday 02:00), else the part of it that
    falls on that date."""
    zone, days = event.timezone, event.days()
    start, end = event.start.astimezone(zone), event.end.astimezone(zone)
    if event.daily_hours:
        night = timedelta(days=1 if event.of_evenings else 0)
        begins, ends = local(event, on, start.time()), local(event, on + night, end.time())
    else:
        begins, ends = local(event, on, time(0)), local(event, on + timedelta(days=1), time(0))
    return (start if on == days[0] else begins), (end if on == days[-1] else ends)


def part(event: Event, first: date, last: date) -> Event:
    """The meeting from the start of its day `first` to the end of its day `last`, as its
    calendar file cuts them (`day`)."""
    start, stop = day(event, first)[0], day(event, last)[1]
    if (start, stop) == (event.start, event.end):
        return event
    return replace(event, start=start, end=stop)


def attended(event: Event, attendance: Attendance | None) -> Event:
    """What this person comes to: at a gathering, from the start of the first day they
    chose to the end of the last, so that someone coming on day two only hears of day two
    (not of a first day they skip); the meeting itself otherwise."""
    if attendance is None or not attendance.days or not event.is_multi_day:
        return event
    chosen = [day for day in event.days() if day.isoformat() in attendance.days]
    return part(event, chosen[0], chosen[-1]) if chosen else event
