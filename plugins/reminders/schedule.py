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
answered, or a programme change moved them online, after their last reminder's time).
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from assistant.context import Context
from assistant.model import Attendance, Event

from . import prefs

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

    @property
    def key(self) -> str:
        """The dedupe key: meeting, its start, person, lead time (or `link`)."""
        if self.link:
            return f"{self.event.id}:{stamp(self.event)}:{self.attendance.user_id}:link"
        return key_for(self.event, self.attendance.user_id, self.lead)


def stamp(event: Event) -> str:
    """The meeting's start in a key, so that a moved meeting is reminded again."""
    return str(int(event.start.timestamp()))


def key_for(event: Event, user_id: int, lead: timedelta) -> str:
    """`<event>:<start>:<user>:<lead seconds>` (the outbox adds `reminders:`)."""
    return f"{event.id}:{stamp(event)}:{user_id}:{int(lead.total_seconds())}"


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
        if since is None or event.id in touched or (event.start_utc > now and any(
                since < event.ahead(lead) <= now for lead in every_lead)):
            found.append(event)
    return found


def due(ctx: Context, leads: Leads, event: Event, now: datetime) -> Iterator[Due]:
    """The reminders of one meeting due now (whether or not they were queued already); once
    it has begun, only the private links no reminder brought (`link_owed`)."""
    for attendance in ctx.hooks.attendees(ctx, event):
        if attendance.answer not in REMINDED or attendance.waiting:
            continue
        mine = leads.chosen.get(attendance.user_id, leads.default)
        lead = due_lead(event, attendance, mine, now)
        if lead is not None:
            yield Due(event, attendance, lead, last=lead == min(mine))
        elif needs_link(event, attendance) and \
                event.ahead(lead := min(mine, default=leads.link_lead)) <= now and \
                (now < event.start_utc or link_owed(event, attendance, lead)):
            yield Due(event, attendance, lead, last=True, link=True)


def link_owed(event: Event, attendance: Attendance, lead: timedelta) -> bool:
    """At a meeting that has begun: whether the person came online after their last
    reminder's time (`lead`), so that no reminder brought them the link; whoever came before
    it had it with that reminder or alone (the same key: never twice)."""
    answered = attendance.at if attendance.at and attendance.at.tzinfo else None
    return answered is not None and answered > event.ahead(lead)


def needs_link(event: Event, attendance: Attendance) -> bool:
    """Whether the person has an online place at a meeting whose link only reminders bring:
    with reminders off, or after the last one went (they answered, or switched to online,
    later), the link still has to reach them."""
    online = event.online
    return attendance.answer == "online" and online is not None and online.private


def began(ctx: Context, since: datetime, now: datetime) -> bool:
    """Whether a meeting began after `since` (its queued reminders are then stale)."""
    programme = ctx.programme
    return programme is not None and bool(programme.began_between(since, now))


def still_current(ctx: Context, now: datetime) -> Callable[[str], bool] | None:
    """Whether a queued reminder's key (`<event>:<start>:…`) is for a meeting that may still
    be reminded of: not cancelled, moved, removed or begun (None without a programme); a
    private link alone still goes while the meeting runs. Looks up each key rather than
    listing every meeting, since a tick must stay short."""
    programme = ctx.programme
    if programme is None:
        return None

    current: dict[str, tuple[str, bool] | None] = {}

    def fits(key: str) -> bool:
        event_id, start, *_rest = key.split(":") + ["", ""]
        if (found := current.get(event_id, _UNSEEN)) is _UNSEEN:
            event = programme.event(event_id)
            found = current[event_id] = (stamp(event), event.start_utc > now) \
                if event is not None and not event.cancelled and event.end_utc > now else None
        return found is not None and found[0] == start and (found[1] or key.endswith(":link"))
    return fits


_UNSEEN = object()
