"""Which reminder is due for whom, worked out from the stored programme and answers alone.

Nothing needed is kept in memory between ticks: the first tick after a start looks at the
meetings starting within the longest lead time, at who answered Coming or Maybe, and at
each person's lead times, and queues the one reminder that is due now unless the outbox
already has its key. Later ticks look only at meetings where a lead time was reached since
the tick before, or whose answers or details changed (a festival day has 27,000 reminders:
looking at all of them every 30 s held the bot up for a second). So a restart just before
a reminder is due still sends it, once; a moved meeting gets new keys (they contain its
start) and a cancelled one gets none. Once a meeting has begun only its private join link
still goes, alone, to whoever is down for it online and got it with no reminder (they
answered, were moved online or were given a place from the waiting list after their last
reminder's time). What the outbox already holds for a person, and the links' hashes in
the keys, are `sent.py`'s.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from assistant.context import Context
from assistant.derived import Derived
from assistant.model import Attendance, Event
from assistant.spans import attended, part

from . import prefs

if TYPE_CHECKING:
    from .sent import Sent

PREFIX = "reminders:"
"""What the outbox puts before this plugin's keys."""
REMINDED = ("in_person", "online", "maybe")
LINK_LEAD = timedelta(hours=1)
"""When a private join link goes alone, if no standard lead time says when."""
CLOCK_CHANGE = timedelta(hours=2)
"""Added to the look-ahead: a lead of whole days is counted by the calendar
(`Event.ahead`), and a day across a change of clocks is an hour longer in real time."""


@dataclass(frozen=True)
class Due:
    """One reminder to queue: for whom, about which meeting, for which lead time."""

    event: Event
    attendance: Attendance
    lead: timedelta
    last: bool
    link: bool = False
    """The private join link alone, for someone no reminder brought it to."""
    new: bool = False
    """The private link, alone or with the last reminder, replaces one sent before: the
    programme changed it (`Sent.replaced`)."""
    version: int = 0
    """How many times the meeting's link changed (`link_version`), in its `fingerprint`."""
    way: str = ""
    """A later day of a gathering on which the person begins to take part another way than
    the day before, "online" or "in_person" (`runs`): `event` is the span of the days they
    take part that way from it; a day online brings the link, a day in person the venue."""

    @property
    def online_day(self) -> bool:
        """A later day the person begins to follow online (the message brings the link)."""
        return self.way == "online"

    @property
    def brings_link(self) -> bool:
        """Whether the message gives the join link: a link alone, or the last reminder of
        someone coming online, on some days of a gathering or all (`message.where`)."""
        return self.link or (self.last and online_place(self.attendance)
                             and self.event.online is not None)

    @property
    def key(self) -> str:
        """The dedupe key: meeting, its start, person, lead time (or `link`), and the
        link's `fingerprint` when the message gives it."""
        if self.link:
            return f"{person(self.event, self.attendance.user_id)}:link:{self.mark}"
        if self.online_day:
            return f"{person(self.event, self.attendance.user_id)}:online:{self.mark}"
        if self.way:  # a day in person: its lead time last, as other reminders have
            return f"{person(self.event, self.attendance.user_id)}:{self.way}:" \
                f"{int(self.lead.total_seconds())}"
        key = key_for(self.event, self.attendance.user_id, self.lead)
        return f"{key}:{self.mark}" if self.brings_link else key

    @property
    def mark(self) -> str:
        """The `fingerprint` of the link this message gives, at the meeting's link version."""
        return fingerprint(self.event, self.version)


_PARTS: Derived[tuple[Event, ...]] = Derived(256)


def parts(event: Event) -> tuple[Event, ...]:
    """The meeting as each of its days begins: itself, then for a gathering each later day
    to its end (the starts a person's reminders may count from, `attended`)."""
    if not event.is_multi_day:
        return (event,)
    days = event.days()
    return _PARTS.get((event, event), None,
                      lambda: tuple(part(event, day, days[-1]) for day in days))


def stamp(event: Event) -> str:
    """The meeting's start in a key, so that a moved meeting is reminded again."""
    return str(int(event.start.timestamp()))


def person(event: Event, user_id: int) -> str:
    """`<event>:<start>:<user>`, the start of every key of one person's reminders (the start
    of what they come to, `attended`: a gathering's day they begin with)."""
    return f"{event.id}:{stamp(event)}:{user_id}"


def people(event: Event, user_id: int) -> list[str]:
    """Every `person` prefix a person's reminders of the meeting may have: one per day a
    gathering's person may begin with (`parts`)."""
    return [person(part, user_id) for part in parts(event)]


def key_for(event: Event, user_id: int, lead: timedelta) -> str:
    """`<event>:<start>:<user>:<lead seconds>` (the outbox adds `reminders:`)."""
    return f"{person(event, user_id)}:{int(lead.total_seconds())}"


def url_of(event: Event | None) -> str:
    return event.online.url if event is not None and event.online is not None else ""


def fingerprint(event: Event, version: int = 0) -> str:
    """A short hash of the join link, in the key of each message that gives it: a changed
    link has keys of its own, so it goes again (the link itself stays out of the keys). The
    link's `version` (how many times it changed) is part of it when above zero, so a link
    changed back to an earlier one has new keys too and reaches whoever had another since;
    keys written before the version was counted stay valid."""
    url = url_of(event)
    return hashlib.sha256((f"{url}#{version}" if version else url).encode()).hexdigest()[:8]


def due_lead(event: Event, attendance: Attendance, leads: tuple[timedelta, ...],
             now: datetime) -> timedelta | None:
    """The most recent lead time already reached (older ones are skipped, not sent in a
    burst), if the meeting has not begun; lead times reached before the person answered
    do not count (their confirmation was the reminder)."""
    if not leads or now >= event.start_utc:
        return None
    answered = attendance.at if attendance.at and attendance.at.tzinfo else None
    reached = [lead for lead in leads if (at := event.ahead(lead)) <= now
               and (answered is None or at >= answered)]
    return min(reached) if reached else None


@dataclass(frozen=True)
class Leads:
    """Everyone's lead times, read once per tick: the default and those chosen."""

    default: tuple[timedelta, ...]
    chosen: dict[int, tuple[timedelta, ...]]

    @classmethod
    def read(cls, ctx: Context) -> Leads:
        """The current setting and preferences."""
        return cls(ctx.setting(prefs.SETTING), prefs.all_leads(ctx))

    def every(self) -> set[timedelta]:
        """Each lead time someone uses, and when a private link goes alone."""
        return {lead for leads in (self.default, *self.chosen.values()) for lead in leads} | \
            {self.link_lead}

    @property
    def link_lead(self) -> timedelta:
        """When a private join link goes to someone with reminders off: with the last
        standard reminder."""
        return min(self.default, default=LINK_LEAD)


def meetings(ctx: Context, leads: Leads, now: datetime, since: datetime | None = None,
             touched: Collection[str] = ()) -> list[Event]:
    """The meetings to look at now, soonest first; with `since`, only those where a lead
    time was reached after it or that are `touched` (answers or the meeting changed): the
    others were looked at by an earlier tick. A meeting that has begun is looked at only
    when touched (or on the first tick), for the links still owed (`due`)."""
    programme = ctx.programme
    if programme is None:
        return []
    every_lead = leads.every()
    horizon = max(every_lead, default=timedelta(0)) + CLOCK_CHANGE
    found = []
    for event in programme.upcoming(now):
        if event.start_utc - now > horizon:
            break
        if event.cancelled:
            continue
        if since is None or event.id in touched or any(part.start_utc > now and any(
                since < part.ahead(lead) <= now for lead in every_lead)
                for part in parts(event)):
            found.append(event)
    return found


def due(ctx: Context, leads: Leads, event: Event, now: datetime, sent: Sent) -> Iterator[Due]:
    """The reminders of one meeting due now (whether or not they were queued already); once
    it has begun, only the private links: to whoever has an online place and no message
    brought them this link (they answered, were moved online or were given a place from the
    waiting list after their last reminder's time, or the link changed), which the outbox's
    keys tell (`Sent.queued`)."""
    for attendance in ctx.hooks.attendees(ctx, event):
        if attendance.answer not in REMINDED or attendance.waiting and not attendance.coming:
            continue
        mine = leads.chosen.get(attendance.user_id, leads.default)
        items = due_for(attended(event, attendance), attendance, mine, leads.link_lead, now,
                        sent)
        # waiting for a seat with an online place on other days: only the link to join
        yield from (i for i in items if i.link) if attendance.waiting else items
        yield from days_due(event, attendance, mine, now, sent)


WAYS = ("online", "in_person")
"""The ways of a day that a reminder before it speaks of (`runs`)."""


def runs(event: Event, attendance: Attendance | None) -> list[tuple[date, date, str]]:
    """The later days of a gathering on which this person begins to take part another way
    than the day before, each with the last day of that run and its way: a day online after
    one in person (or only waited for, or skipped), a day in person after one online (or
    skipped). Not their first day (its reminders say how already), nor a day taken part in
    the way of the day before: not a reminder a day for everyone."""
    if attendance is None or not event.is_multi_day:
        return []
    chosen = [day for day in event.days()
              if not attendance.days or day.isoformat() in attendance.days]
    ways = {day: way for day in chosen if (way := attendance.way(day.isoformat())) in WAYS
            and attendance.holds(day.isoformat())
            and (way != "online" or event.online is not None)}
    found = []
    for day in chosen[1:]:
        way = ways.get(day)
        if way is not None and ways.get(day - timedelta(days=1)) != way:
            last = day
            while ways.get(last + timedelta(days=1)) == way:
                last += timedelta(days=1)
            found.append((day, last, way))
    return found


def way_on(event: Event, attendance: Attendance) -> str:
    """How the person takes part on the first day of `event` (what they come to, or a run of
    their days): their answer, or at a hybrid gathering the way of that day."""
    return attendance.way(event.days()[0].isoformat())


def days_due(event: Event, attendance: Attendance, mine: tuple[timedelta, ...],
             now: datetime, sent: Sent) -> Iterator[Due]:
    """A reminder at the person's last lead time before each later day on which they begin
    to take part another way (`runs`): someone in person on Saturday and online on Sunday
    had the link only with Saturday's reminders, someone online on Tuesday and in person on
    Wednesday heard of the venue from none. None when that time comes before their first
    day has begun (their last reminder went shortly before), with reminders off, or once
    the day has begun."""
    found = runs(event, attendance)
    if not found or not mine:
        return
    lead, first = min(mine), attended(event, attendance).start_utc
    for day, last, way in found:
        span = part(event, day, last)
        if span.ahead(lead) <= first or due_lead(span, attendance, (lead,), now) is None:
            continue
        yield Due(span, attendance, lead, last=True, version=sent.version(event), way=way)


def due_for(event: Event, attendance: Attendance, mine: tuple[timedelta, ...],
            link_lead: timedelta, now: datetime, sent: Sent) -> Iterator[Due]:
    """One person's reminder due now, and their private link alone from their last
    reminder's time on (`Sent.queued` tells whether the reminder brought this link; `new`
    when another one went before). Lazy: the link is looked at after the reminder before it
    was queued."""
    lead = due_lead(event, attendance, mine, now)
    if lead is not None:
        item = Due(event, attendance, lead, last=lead == min(mine), version=sent.version(event))
        if item.brings_link and needs_link(event, attendance):
            item = replace(item, new=sent.replaced(event, attendance, lead))
        yield item
    lead = min(mine, default=link_lead)
    if not needs_link(event, attendance) or event.ahead(lead) > now:
        return
    yield Due(event, attendance, lead, last=True, link=True,
              new=sent.replaced(event, attendance, lead), version=sent.version(event))


def online_place(attendance: Attendance) -> bool:
    """Whether the person has an online place: coming online, or at a hybrid gathering in
    person on some days and online on others."""
    return attendance.answer == "online" or bool(attendance.online_days) \
        and not attendance.online_waiting


def needs_link(event: Event, attendance: Attendance) -> bool:
    """Whether the person has an online place at a meeting whose link only reminders bring:
    with reminders off, or after the last one went (they answered, or switched to online,
    later), the link still has to reach them. Someone at a hybrid gathering in person on
    some days and online on others gets it alone, before the first day they come to."""
    online = event.online
    return online_place(attendance) and online is not None and online.private


def began(ctx: Context, since: datetime, now: datetime) -> bool:
    """Whether a meeting, or a later day of a gathering, began after `since`: the queued
    reminders of its people are then stale (someone coming on day two only is reminded of
    day two, and "your day starts in 1 hour" must not come once it has begun). Only the
    meetings under way are looked at for their later days, found by bisection."""
    programme = ctx.programme
    if programme is None:
        return False
    if programme.began_between(since, now):
        return True
    for event in programme.upcoming(since):
        if event.start_utc > since:
            break
        if event.is_multi_day and any(since < part.start_utc <= now for part in parts(event)[1:]):
            return True
    return False


def still_current(ctx: Context, now: datetime) -> Callable[[str], bool] | None:
    """Whether a queued reminder's key (`<event>:<start>:…`) is for a meeting that may still
    be reminded of: not cancelled, moved, removed or begun (None without a programme); a
    private link alone (`<…>:<user>:link:<fingerprint>`) still goes while the meeting runs. Looks up each key rather than
    listing every meeting, since a tick must stay short."""
    programme = ctx.programme
    if programme is None:
        return None

    current: dict[str, dict[str, bool] | None] = {}

    def fits(key: str) -> bool:
        event_id, start, *rest = key.split(":") + ["", ""]
        if (found := current.get(event_id, _UNSEEN)) is _UNSEEN:
            event = programme.event(event_id)
            found = current[event_id] = {stamp(part): part.start_utc > now
                                         for part in parts(event)} \
                if event is not None and not event.cancelled and event.end_utc > now else None
        return found is not None and start in found and (found[start] or rest[1] == "link")
    return fits


_UNSEEN = object()
