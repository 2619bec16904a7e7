"""Building the .ics files: one VCALENDAR with a VEVENT per meeting, in the reader's language.

Files are imports, not scheduling messages: there is no ORGANIZER or ATTENDEE (nobody's
e-mail address or Telegram id goes into a file), so a new or changed meeting is
METHOD:PUBLISH and a cancelled one METHOD:CANCEL with STATUS:CANCELLED. docs/calendar.md
explains the choices (multi-day gatherings, private links, time zones).
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.caselessdict import canonsort_keys
from icalendar.prop import vText
from icalendar.timezone import tzp

from assistant import __version__
from assistant.context import Context
from assistant.model import Attendance, Event, text
from assistant.spans import day
from assistant.types import Document

from .sequence import sequence, uid
from .zone import add_timezones, zone_text

MIME = "text/calendar"
PRODID = f"-//Mingel//Mingel {__version__}//EN"
FOLD_AT = 75
FRESH = timedelta(minutes=10)
"""A meeting's file is made once and sent again for this long (its DTSTAMP says when it was
made), so the same bytes go by Telegram's file_id; a change to the meeting raises its
SEQUENCE and so makes a new one at once."""
FILES_KEPT = 8192
"""Files kept, oldest made first out: a festival's 4,000 meetings in two languages, about
1 KB each. With 1,024 a festival morning made three of four files again."""
_made: OrderedDict[tuple[Any, ...], tuple[datetime, bytes]] = OrderedDict()


class Reader(NamedTuple):
    """What a file holds for its reader alone: the days they come to, how often their entry
    changed, and which of those days they follow online while coming to the others."""

    days: tuple[date, ...]
    revision: int
    online: tuple[date, ...]


def reader(ctx: Context, event: Event) -> Reader:
    """`chosen_days` and the days followed online, from one look-up of the answer: at a
    meeting held both ways, every day of someone coming online (whose calendar showed the
    venue, with its map pin, when they had said they would not be there)."""
    days, revision, answer = _chosen(ctx, event)
    if answer is None or answer.answer == "no" or event.online is None or event.venue is None:
        return Reader(days, revision, ())
    if answer.answer == "online":
        return Reader(days, revision, days)
    if not answer.online_days:
        return Reader(days, revision, ())
    return Reader(days, revision, tuple(d for d in days if d.isoformat() in answer.online_days))


def chosen_days(ctx: Context, event: Event) -> tuple[tuple[date, ...], int]:
    """The days of a gathering this reader comes to, and how often their entry changed (their
    days, a place lost or regained), asked through the `attendance` hook (whoever stores
    answers): every day unless they chose some (docs/calendar.md). The count is asked for
    every meeting, since one that no longer has several days keeps the count of its answers."""
    days, revision, _answer = _chosen(ctx, event)
    return days, revision


def _chosen(ctx: Context, event: Event) -> tuple[tuple[date, ...], int, Attendance | None]:
    """`chosen_days`, with the answer they come from; at a hybrid gathering answered in
    person on some days and online on others, only the days with a place (not a waiting
    list) while there is one."""
    every = tuple(event.days())
    answer = None if ctx.user is None else ctx.hooks.attendance(ctx, event, ctx.user.id)
    if answer is None:
        return every, 0, None
    revision = answer.days_revision + answer.place_revision
    if len(every) < 2 or answer.answer == "no" or not answer.days and not answer.online_days:
        return every, revision, answer
    chosen = tuple(d for d in every if not answer.days or d.isoformat() in answer.days) or every
    if answer.online_days and answer.coming:
        chosen = tuple(d for d in chosen if answer.holds(d.isoformat())) or chosen
    return chosen, revision, answer


def event_file(ctx: Context, event: Event, cancelled: bool,
               caption: str | None = None, removed: bool = False) -> Document:
    """The calendar file for one meeting, as sent with a message or by /calendar ID; a
    `removed` one takes a meeting that goes on out of this reader's calendar (they no longer
    have a place), and its `caption` says why."""
    cancelled = cancelled or event.cancelled
    if caption is None:
        caption = (ctx._("Open the file to remove the meeting from your calendar.")
                   if cancelled or removed
                   else ctx._("Open the file to add the meeting to your calendar."))
    days, revision, online = reader(ctx, event)
    key = (uid(ctx, event), sequence(ctx, event, cancelled) + revision, ctx.lang, cancelled,
           removed, days, online)
    made = _made.get(key)
    if made is None or not ctx.now - FRESH <= made[0] <= ctx.now:
        made = _made[key] = (ctx.now, render(ctx, [event], cancelled, removed))
        _made.move_to_end(key)
        while len(_made) > FILES_KEPT:
            _made.popitem(last=False)
    return Document(f"{event.id}.ics", made[1], MIME, caption)


def render(ctx: Context, events: Sequence[Event], cancelled: bool = False,
           removed: bool = False) -> bytes:
    """A VCALENDAR (CRLF, folded lines) with the meetings and the VTIMEZONEs they use;
    `removed`: a cancellation for this reader of meetings that go on."""
    method = "CANCEL" if cancelled or removed else "PUBLISH"
    stamp = ctx.now.astimezone(UTC).replace(microsecond=0)
    spans = []
    for zone in {e.timezone for e in events}:
        mine = [e for e in events if e.timezone == zone]
        spans.append((zone, min(e.start.date() for e in mine),
                      max(e.end.astimezone(zone).date() for e in mine)))
    zones = [zone_text(*span) for span in spans]
    if None in zones:
        cal = _calendar(method)
        for event in events:
            for properties in _entries(ctx, event, cancelled or event.cancelled, stamp, removed):
                entry = VEvent()
                for name, value in properties.items():
                    entry.add(name, value)
                cal.add_component(entry)
        for span in sorted(spans, key=lambda span: getattr(span[0], "key", None) is None):
            add_timezones(cal, *span)
        return cal.to_ical()
    # The calendar's own lines and the VTIMEZONEs are made by icalendar once and kept as
    # bytes: it writes line by line, character by character, and they were half the file.
    head, tail = _frame(method)
    return b"".join([head, *zones, *(vevent_text(ctx, event, cancelled or event.cancelled,
                                                 stamp, removed) for event in events), tail])


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", method)
    return cal


@lru_cache(maxsize=2)
def _frame(method: str) -> tuple[bytes, bytes]:
    """An empty calendar's lines before and from END:VCALENDAR, as icalendar writes them."""
    body = _calendar(method).to_ical()
    end = body.rindex(b"END:VCALENDAR")
    return body[:end], body[end:]


def vevent(ctx: Context, event: Event, cancelled: bool, stamp: datetime,
           removed: bool = False) -> VEvent:
    """One meeting as an icalendar component (for a zone without a tz database key)."""
    entry = VEvent()
    for name, value in _properties(ctx, event, cancelled, stamp, reader(ctx, event),
                                   removed).items():
        entry.add(name, value)
    return entry


def vevent_text(ctx: Context, event: Event, cancelled: bool, stamp: datetime,
                removed: bool = False) -> bytes:
    """One meeting's VEVENT, the bytes icalendar writes for `vevent`: its value types,
    parameters and property order, with lines folded a whole line at a time instead of
    character by character (a first file cost 0.9 ms, most of it that; a test compares);
    followed by the entries of the days the reader follows online, if any (`_entries`)."""
    texts = []
    for properties in _entries(ctx, event, cancelled, stamp, removed):
        lines = [b"BEGIN:VEVENT"]
        for name in canonsort_keys(properties, VEvent.canonical_order):
            value = properties[name]
            lines.append(_time_line(name, value, str(getattr(value, "tzinfo", None)),
                                    getattr(value, "fold", 0)) if name in _TIMES
                         else _line(name, value))
        lines.append(b"END:VEVENT\r\n")
        texts.append(b"\r\n".join(lines))
    return b"".join(texts)


def _entries(ctx: Context, event: Event, cancelled: bool, stamp: datetime,
             removed: bool) -> list[dict[str, Any]]:
    """The meeting's VEVENT and, for a reader who comes in person on some of its days and
    follows the others online, one for each day whose way differs from the first day's
    (RFC 5545 RECURRENCE-ID: the same UID, that day's occurrence), with the online
    platform as its LOCATION instead of the venue, or the venue instead of the platform
    (never a private link). A gathering held as one span through its nights is then cut
    into its days (`spans.day`, as reminders cut them): the first day's part repeated, and
    each later day an occurrence of its own with its hours and its place."""
    mine = reader(ctx, event)
    main = _properties(ctx, event, cancelled, stamp, mine, removed)
    chosen, online = mine.days, mine.online
    if cancelled or removed or not online:
        return [main]
    first_online = chosen[0] in online
    if first_online:
        main["LOCATION"] = _online_location(ctx, event)
        main.pop("GEO", None)
    if "RRULE" not in main:
        return [main]
    start, end = main["DTSTART"], main["DTEND"]
    entries = [main]
    nights = not event.all_day and not event.daily_hours  # a span cut into its days
    for on in chosen[1:]:
        shift = on - chosen[0]
        hours = day(event, on) if nights else (start + shift, end + shift)
        if (on in online) == first_online and hours == (start + shift, end + shift):
            continue
        entry = {name: value for name, value in main.items()
                 if name not in ("RRULE", "EXDATE", "LOCATION", "GEO")}
        entry["RECURRENCE-ID"] = start + shift
        entry["DTSTART"], entry["DTEND"] = hours
        if on not in online:
            entry["LOCATION"] = _location(ctx, event)
            if event.venue is not None and event.venue.has_location:
                entry["GEO"] = (event.venue.latitude, event.venue.longitude)
        else:
            entry["LOCATION"] = _online_location(ctx, event)
        entries.append(entry)
    return entries


_TIMES = frozenset({"DTSTAMP", "DTSTART", "DTEND", "RECURRENCE-ID"})
"""Properties whose lines are kept: a festival's meetings share a few dozen start and end
times, and every file made in the same second the same DTSTAMP, while icalendar's date
types with their TZID parameter were a third of a file's cost."""


@lru_cache(maxsize=1024)
def _time_line(name: str, value: date | datetime, _zone: str, _fold: int) -> bytes:
    """`_line` for a date or time, kept by its zone and fold as well: aware datetimes in
    different zones compare equal when they are the same instant."""
    return _line(name, value)


_TEXTS = frozenset(name for name in ("UID", "SUMMARY", "LOCATION", "DESCRIPTION", "STATUS")
                   if VEvent.types_factory.for_property(name) is vText)
"""Plain TEXT properties, written without icalendar's typed value and parameter objects: half
of a meeting's first file went into making and dropping them."""


def _escaped(text: str) -> str:
    """RFC 5545 TEXT escaping in icalendar's order (its own helper is deprecated for outside
    use; tests compare lines and whole VEVENTs with icalendar's)."""
    return (text.replace(r"\N", "\n").replace("\\", "\\\\").replace(";", r"\;")
            .replace(",", r"\,").replace("\r\n", r"\n").replace("\n", r"\n")
            .replace("\r", r"\n"))


def _line(name: str, value: Any) -> bytes:
    """One property's folded line, with icalendar's value type and parameters."""
    if name in _TEXTS and type(value) is str:
        return _fold(f"{name}:{_escaped(value)}".encode())
    typed = VEvent.types_factory.for_property(name)(value)
    if isinstance(value, list) and value and not isinstance(value[0], datetime):
        typed.params["VALUE"] = "DATE"  # RFC 5545: a list of dates says so, as DTSTART does
    text = typed.to_ical()
    text = text.decode() if isinstance(text, bytes) else text
    params = getattr(typed, "params", None)
    head = f"{name};{params.to_ical(sorted=True).decode()}" if params else name
    return _fold(f"{head}:{text}".encode())


def _fold(line: bytes) -> bytes:
    """RFC 5545 folding as icalendar does it: 74 octets a line before the fold (75 with a
    continuation's leading space), never inside a UTF-8 character, and a backslash or caret
    that would end a folded line moved to the next (an escape kept whole)."""
    parts, start = [], 0
    while len(line) - start >= FOLD_AT:
        cut = start + FOLD_AT - 1
        while line[cut] & 0xC0 == 0x80:
            cut -= 1
        if cut - start > 1 and line[cut - 1] in b"\\^":
            cut -= 1
        parts.append(line[start:cut])
        start = cut
    parts.append(line[start:])
    return b"\r\n ".join(parts)


def _properties(ctx: Context, event: Event, cancelled: bool, stamp: datetime, mine: Reader,
                removed: bool = False) -> dict[str, Any]:
    """The VEVENT's properties; a multi-day gathering repeats its daily hours each day. The
    SEQUENCE is the meeting's plus the reader's changes (days, a place lost or regained):
    both only rise, so a file after either change supersedes the one before. A `removed`
    entry is CANCELLED for this reader alone: the meeting's own number stays as it is."""
    chosen, revision, online = mine
    properties: dict[str, Any] = {"UID": uid(ctx, event), "DTSTAMP": tzp.localize_utc(stamp),
                                  "SEQUENCE": sequence(ctx, event, cancelled) + revision}
    start, end, days, skipped = _times(event, chosen, online)
    properties["DTSTART"], properties["DTEND"] = start, end
    if days > 1:
        properties["RRULE"] = {"FREQ": "DAILY", "COUNT": days}
    if skipped:
        properties["EXDATE"] = skipped
    properties["SUMMARY"] = text(event.title, ctx.lang) or event.id
    if location := _location(ctx, event):
        properties["LOCATION"] = location
    if event.venue is not None and event.venue.has_location:
        properties["GEO"] = (event.venue.latitude, event.venue.longitude)
    properties["DESCRIPTION"] = description(ctx, event, cancelled)
    if link := _link(event):
        properties["URL"] = link
    properties["STATUS"] = "CANCELLED" if cancelled or removed else "CONFIRMED"
    return properties


Times = tuple[date | datetime, date | datetime, int, list[date] | list[datetime]]


def _times(event: Event, chosen: Sequence[date], online: Sequence[date] = ()) -> Times:
    """Start, end, number of daily repeats and the repeats left out: whole days as dates,
    daily hours repeated (an evening's into the night after it), from the first to the last
    of the `chosen` days, without the days between that were not chosen (EXDATE); whole
    days split between two ways of taking part (some `online`) repeat day by day too, so
    that each has an occurrence of its own, and so does a span through the nights, as its
    first day's part repeated (`_entries` gives each later day its own part)."""
    tz = event.timezone
    start, end = event.start.astimezone(tz), event.end.astimezone(tz)
    every = event.days()
    first, last = chosen[0], chosen[-1]
    count = (last - first).days + 1
    gaps = [first + timedelta(days=n) for n in range(count)
            if first + timedelta(days=n) not in chosen]
    if event.all_day:
        if not gaps and len(online) in (0, len(chosen)):  # all days one way
            return first, last + timedelta(days=1), 1, []
        return first, first + timedelta(days=1), count, gaps
    if event.daily_hours:  # each evening of a gathering of evenings ends the next night
        night = timedelta(days=1 if event.of_evenings else 0)
        return (datetime.combine(first, start.time(), tzinfo=tz),
                datetime.combine(first + night, end.time(), tzinfo=tz), count,
                [datetime.combine(d, start.time(), tzinfo=tz) for d in gaps])
    if online and len(online) < len(chosen):  # each day's part, where it is taken part in
        begins, ends = day(event, first)
        return (begins, ends, count,
                [datetime.combine(d, begins.time(), tzinfo=tz) for d in gaps])
    # One span running through the nights (lunch to lunch): cut at the midnights around
    # the chosen days; days skipped between them cannot be cut out of a single span.
    return (start if first == every[0] else datetime.combine(first, time(0), tzinfo=tz),
            end if last == every[-1] else datetime.combine(last + timedelta(days=1), time(0),
                                                           tzinfo=tz), 1, [])


def _public_join(event: Event) -> str | None:
    """The online link when it may be shared ahead of time."""
    return event.online.url if event.online and not event.online.private else None


def _link(event: Event) -> str | None:
    """URL: the public join link, else the meeting's web page."""
    return _public_join(event) or event.url


def _location(ctx: Context, event: Event) -> str:
    """The venue's name and address, or where to join for an online-only meeting."""
    if event.venue is not None:
        return ", ".join(p for p in (event.venue.name, event.venue.address) if p)
    if event.online is None:
        return ""
    return _online_location(ctx, event)


def _online_location(ctx: Context, event: Event) -> str:
    """Where to join online: the public link, or the platform ("Online (Zoom)") for a
    private one, which never goes into a file."""
    return _public_join(event) or ctx._("Online ({platform})", platform=_platform(event))


def _platform(event: Event) -> str:
    """The service's name (Zoom, Teams…), else the link's host."""
    assert event.online is not None
    return event.online.platform or urlsplit(event.online.url).hostname or "?"


def description(ctx: Context, event: Event, cancelled: bool) -> str:
    """The meeting's text, speakers, networks, how to join and the note (not for a
    cancelled meeting: "Subject to change" no longer applies), as plain text."""
    parts: list[str] = []
    if cancelled:
        parts.append(ctx._("This meeting has been cancelled."))
    if about := text(event.description, ctx.lang).strip():
        parts.append(about)
    if event.speakers:
        lines = [" – ".join(p for p in (s.name, text(s.role, ctx.lang)) if p)
                 for s in event.speakers]
        parts.append("\n".join([ctx.ngettext("Speaker:", "Speakers:", len(lines)), *lines]))
    if event.networks:
        programme = ctx.programme
        known = programme.networks if programme else {}
        names = [text(known[n].name, ctx.lang) if n in known else n for n in event.networks]
        parts.append(ctx.ngettext("Network: {names}", "Networks: {names}", len(names),
                                  names=", ".join(names)))
    if event.online is not None:
        parts.append(_joining(ctx, event))
    if not cancelled and (note := text(event.note, ctx.lang).strip()):
        parts.append(ctx._("Note: {note}", note=note))
    if event.url:
        parts.append(ctx._("More information: {url}", url=event.url))
    return "\n\n".join(parts)


def _joining(ctx: Context, event: Event) -> str:
    """How to take part online; a private link is left out of the file, and said to come
    only to people coming online: one file serves every reader, whatever they answered, and
    stays in their calendar when they change their answer."""
    assert event.online is not None
    platform = _platform(event)
    if event.online.private:
        return ctx._("Join online ({platform}): if you're coming online, the link is sent to "
                     "you in the chat shortly before the meeting.", platform=platform)
    return ctx._("Join online ({platform}): {url}", platform=platform, url=event.online.url)
