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


def chosen(event: Event, attendance: Attendance | None) -> list[date]:
    """The days of the meeting this person chose (every day when none, or only days it no
    longer has, are chosen: as the seats count them)."""
    days = event.days()
    picked = [d for d in days if attendance is not None and d.isoformat() in attendance.days]
    return picked or days


def first_in_person(event: Event, attendance: Attendance | None,
                    also: str | None = None) -> date:
    """The first day this person comes in person (at a hybrid gathering `Attendance.way`
    says how they come each day), `also` (an ISO date they switch to in person) counted in:
    what is asked of people coming in person shortly before they come (a health declaration)
    is counted from it. Someone in person on no day (no answer, "Maybe", online) would be
    from the first day they chose by answering "Coming in person"."""
    days = chosen(event, attendance)
    there = [d for d in days if d.isoformat() == also or attendance is not None
             and attendance.answer == "in_person" and attendance.way(d.isoformat()) == "in_person"]
    return (there or days)[0]


def reminded(event: Event, span: Event, attendance: Attendance | None) -> tuple[Event, list[date]]:
    """What a reminder of `span` (the part of the gathering `event` someone comes to from one
    of their days on) gives as its time: that day with its hours (the days they chose that run
    on from it within `span` at a gathering through its nights, which nobody leaves at
    midnight), and the days they chose after those, so that someone reminded of Friday reads
    Friday's 18:00–02:00, not "Friday 15 – Sunday 17 October", and which days follow."""
    if not event.is_multi_day:
        return span, []
    first = span.start.astimezone(event.timezone).date()
    days = [d for d in chosen(event, attendance) if d >= first]
    if not days or days[0] != first:
        return span, []
    last, limit = first, span.days()[-1]
    if not (event.daily_hours or event.all_day):
        while last < limit and last + timedelta(days=1) in days:
            last += timedelta(days=1)
    return part(event, first, last), [d for d in days if d > last]
