"""VTIMEZONE components that Outlook, Google and Apple calendars all read the same way.

icalendar derives the zone's transitions from the tz database (`Calendar.add_missing_timezones`,
`Timezone.from_tzinfo`) and lists them as DTSTART plus RDATEs, starting with a no-op
STANDARD observance. Outlook squeezes every VTIMEZONE into one yearly standard rule and one
yearly daylight rule and ignores RDATE, so events in the other half of the year can end up an
hour off there. When the zone keeps one yearly pattern over the span (Europe/Stockholm: last
Sunday of March and October), the transitions are rewritten as the two RRULE observances that
Outlook and Google themselves export; otherwise icalendar's exact list is kept.
"""
from __future__ import annotations

import calendar as monthdays
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache

from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
STEP = timedelta(minutes=15)


def add_timezones(cal: Calendar, tz: tzinfo, first: date, last: date) -> None:
    """Add the VTIMEZONE of this zone to the calendar, Outlook-friendly where possible."""
    key = getattr(tz, "key", None)
    if key is None:
        cal.add_missing_timezones(first_date=date(first.year - 1, 1, 1),
                                  last_date=date(last.year + 2, 1, 1))
    elif not any(isinstance(c, Timezone) and c.get("TZID") == key for c in cal.subcomponents):
        cal.subcomponents.insert(0, _component(key, tz, first.year - 1, last.year + 1))


def zone_text(tz: tzinfo, first: date, last: date) -> bytes | None:
    """The VTIMEZONE as icalendar writes it inside a calendar, made once per zone and span
    (None for a zone without a tz database key: add_timezones then)."""
    key = getattr(tz, "key", None)
    return None if key is None else _yearly(key, tz, first.year - 1, last.year + 1)


@lru_cache(maxsize=32)
def _component(tzid: str, tz: tzinfo, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE, built once per zone and span (it is shared: never change it)."""
    return Timezone.from_ical(_yearly(tzid, tz, first_year, last_year))


@lru_cache(maxsize=32)
def _yearly(tzid: str, tz: tzinfo, first_year: int, last_year: int) -> bytes:
    """The zone's VTIMEZONE for these years, with yearly rules when the zone follows them."""
    exact = Timezone.from_tzinfo(tz, tzid, date(first_year, 1, 1), date(last_year + 1, 1, 1))
    changes = [obs for obs in exact.subcomponents if obs.TZOFFSETFROM != obs.TZOFFSETTO]
    kinds = sorted(obs.name for obs in changes)
    if kinds != ["DAYLIGHT", "STANDARD"]:
        return exact.to_ical()
    rules = []
    for obs in changes:
        onsets = [_onset(tz, day, obs.TZOFFSETFROM, obs.TZOFFSETTO)
                  for day in _dates(obs)]
        rule = _rule(onsets)
        if rule is None:
            return exact.to_ical()
        rules.append((obs, onsets[0], rule))
    result = Timezone()
    result.add("TZID", tzid)
    for obs, onset, rule in rules:
        part = TimezoneStandard() if obs.name == "STANDARD" else TimezoneDaylight()
        part.add("TZNAME", obs.get("TZNAME"))
        part.TZOFFSETFROM = obs.TZOFFSETFROM
        part.TZOFFSETTO = obs.TZOFFSETTO
        part.DTSTART = onset
        part.add("RRULE", rule)
        result.add_component(part)
    return result.to_ical()


def _dates(observance: TimezoneStandard | TimezoneDaylight) -> list[date]:
    """Every day on which icalendar says this observance begins."""
    days = [observance.DTSTART.date()]
    rdates = observance.get("RDATE") or []
    for group in rdates if isinstance(rdates, list) else [rdates]:
        days += [item.dt.date() for item in group.dts]
    return sorted(days)


def _onset(tz: tzinfo, day: date, before: timedelta, after: timedelta) -> datetime:
    """The local wall time (in the offset before the change) at which the offset changes."""
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=14)
    while moment.astimezone(tz).utcoffset() != after:
        moment += STEP
    return (moment + before).replace(tzinfo=None)


def _rule(onsets: list[datetime]) -> dict[str, object] | None:
    """A yearly RRULE producing exactly these onsets (one a year), or None."""
    first = onsets[0]
    years = [o.year for o in onsets]
    if years != list(range(first.year, first.year + len(onsets))):
        return None
    if any((o.month, o.time(), o.weekday()) != (first.month, first.time(), first.weekday())
           for o in onsets):
        return None
    weeks = {_week(o) for o in onsets}
    if len(weeks) != 1:
        return None
    return {"FREQ": "YEARLY", "BYMONTH": first.month,
            "BYDAY": f"{weeks.pop()}{WEEKDAYS[first.weekday()]}"}


def _week(moment: datetime) -> int:
    """Which weekday of the month: 1..4 from the start, -1 for the last one."""
    if moment.day + 7 > monthdays.monthrange(moment.year, moment.month)[1]:
        return -1
    return (moment.day - 1) // 7 + 1
