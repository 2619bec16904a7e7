"""What the health plugin keeps, and for how long.

Stored: only the outcome of a declaration ("fine" or "stay_home") and when it was
given, per event and user, in the table `health_outcomes`. Never the answers: a
declaration in progress lives only in memory (`Pending`: which question is next and
whether any answer so far was "yes"), and is lost on a restart. Outcomes are deleted
by a sweep that runs on every tick, `MINGEL_HEALTH_RETENTION` after the meeting ends. Beside
them, `health_opening` keeps who to tell when in-person booking opens, and `health_windows`
which meetings' seat holders were told that the declaration opened (`opening`). At a gathering
the window counts from the person's first day in person (`person_part`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from weakref import WeakKeyDictionary

from assistant.config import parse_duration
from assistant.spans import chosen, first_in_person, part

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Attendance, Event, Programme
    from assistant.storage import Table

FINE, STAY_HOME = "fine", "stay_home"
WINDOW, RETENTION = "MINGEL_HEALTH_WINDOW", "MINGEL_HEALTH_RETENTION"
PENDING_TTL = timedelta(hours=2)
Window = Literal["early", "open", "over"]


def positive_duration(value: str) -> timedelta:
    """A duration such as 48h or 7d that must be longer than zero."""
    duration = parse_duration(value)
    if duration <= timedelta(0):
        raise ValueError(f"{value!r} must be longer than zero")
    return duration


def outcomes(ctx: Context) -> Table:
    """The one table: event, user, outcome, at (ISO time, UTC)."""
    return ctx.table("outcomes", indexes=("event", "user"))


def outcome(ctx: Context, event_id: str, user_id: int) -> str | None:
    """This user's outcome for the event: FINE, STAY_HOME or None (not declared)."""
    doc = outcomes(ctx).first(event=event_id, user=user_id)
    return doc["outcome"] if doc else None


def record(ctx: Context, event_id: str, user_id: int, result: str) -> None:
    """Store the outcome of a finished declaration, replacing an earlier one."""
    table = outcomes(ctx)
    fields = {"event": event_id, "user": user_id, "outcome": result,
              "at": ctx.now.isoformat()}
    doc = table.first(event=event_id, user=user_id)
    version = table.version
    if doc is None:
        table.insert(fields)
    else:
        table.put(doc.doc_id, fields)
    if (due := _DUE.get(ctx.assistant)) is not None and due.version == version:
        due.at = min(due.at, expires(fields, ctx.programme, ctx.setting(RETENTION)))
        due.version = table.version


def applies(event: Event) -> bool:
    """Whether the meeting asks people coming in person for a declaration."""
    return event.health_declaration and event.venue is not None and not event.cancelled


def person_part(ctx: Context, event: Event, who: int | Attendance | None,
                also: str | None = None) -> Event:
    """The part of the meeting a person's declaration is for: at a gathering from their first
    day in person (`spans.first_in_person`; `also`, an ISO date they switch to in person,
    counted in) to the end of their last day, since a declaration says how someone is shortly
    before they come; the meeting itself otherwise."""
    if who is None or not event.is_multi_day:
        return event
    attendance = _answer(ctx, event, who)
    return part(event, first_in_person(event, attendance, also), chosen(event, attendance)[-1])


def _answer(ctx: Context, event: Event, who: int | Attendance) -> Attendance | None:
    return ctx.hooks.attendance(ctx, event, who) if isinstance(who, int) else who


def opens(ctx: Context, event: Event, who: int | Attendance | None = None,
          also: str | None = None) -> datetime:
    """When the declaration opens (days by the calendar, hours in real time): before the
    meeting, or before the person's first day in person (`person_part`)."""
    return person_part(ctx, event, who, also).ahead(ctx.setting(WINDOW))


def window(ctx: Context, event: Event, who: int | Attendance | None = None,
           also: str | None = None) -> Window:
    """Whether a declaration can be made now (for this person): too early, open, or the
    meeting is over."""
    now = ctx.now
    if now >= event.end_utc:
        return "over"
    return "open" if now >= opens(ctx, event, who, also) else "early"


def first_day(ctx: Context, event: Event, who: int | Attendance | None) -> int:
    """Which day of the meeting (0 for the first, and for a one-day meeting) the person's
    declaration is counted from."""
    if who is None or not event.is_multi_day:
        return 0
    return event.days().index(first_in_person(event, _answer(ctx, event, who)))


def day_part(event: Event, day: int) -> Event:
    """The meeting from the start of its `day`-th day (0: the meeting itself) to its end."""
    days = event.days()
    return event if day == 0 else part(event, days[day], days[-1])


def expires(doc: dict, programme: Programme | None, retention: timedelta) -> datetime:
    """When an outcome must be gone: after the meeting's end, or after it was stored when the
    meeting is no longer in the programme."""
    return _expiry(programme.event(doc["event"]) if programme else None, doc["at"], retention)


def _expiry(event: Event | None, at: str, retention: timedelta) -> datetime:
    return (event.end if event else datetime.fromisoformat(at)) + retention


@dataclass
class Due:
    """When the next outcome expires, as the last full sweep found it and `record` lowered
    it since: every tick asks, and reading all of a festival's 11,400 outcomes to find
    nothing due took 37 ms a tick (docs/health.md). Another programme, another retention or
    a write by anything but `record` (`version`) makes the next sweep read them all again."""

    programme: Programme | None
    retention: timedelta
    version: int
    at: datetime


_DUE: WeakKeyDictionary[object, Due] = WeakKeyDictionary()


def sweep(ctx: Context, now: datetime) -> int:
    """Delete every outcome past its retention; returns how many went."""
    table, programme, retention = outcomes(ctx), ctx.programme, ctx.setting(RETENTION)
    due = _DUE.get(ctx.assistant)
    gone: list[int] = []
    if due is None or due.programme is not programme or due.retention != retention \
            or due.version != table.version or due.at <= now:
        first = datetime.max.replace(tzinfo=UTC)
        for event_id in table.distinct("event"):
            event = programme.event(event_id) if programme else None
            if event is not None and (expiry := _expiry(event, "", retention)) > now:
                first = min(first, expiry)
                continue
            for doc_id, (at,) in table.values(("at",), event=event_id):
                if (expiry := _expiry(event, at, retention)) <= now:
                    gone.append(doc_id)
                else:
                    first = min(first, expiry)
        for doc_id in gone:
            table.remove(doc_id)
        _DUE[ctx.assistant] = Due(programme, retention, table.version, first)
    for user_id, state in list(in_progress(ctx).items()):
        if now - state.since > PENDING_TTL:
            del in_progress(ctx)[user_id]
    return len(gone)


def drop_early(ctx: Context, event: Event) -> int:
    """Delete outcomes given before the (possibly moved) window of the person's first day in
    person opened: a declaration says how someone is shortly before they come, not weeks
    earlier."""
    table = outcomes(ctx)
    early = [d.doc_id for d in table.find(event=event.id)
             if datetime.fromisoformat(d["at"]) < opens(ctx, event, d["user"])]
    for doc_id in early:
        table.remove(doc_id)
    return len(early)


def drop_before(ctx: Context, event: Event, user_id: int, after: Attendance) -> bool:
    """Delete this person's outcome when it was given before the window of their (new) first
    day in person opened (they come later than they did); whether it went."""
    table = outcomes(ctx)
    doc = table.first(event=event.id, user=user_id)
    if doc is None or datetime.fromisoformat(doc["at"]) >= opens(ctx, event, after):
        return False
    table.remove(doc.doc_id)
    return True


def asked(ctx: Context) -> Table:
    """Who was refused an in-person seat before the declaration opened, to be told when it
    does (`opening`): event and user only, no health data."""
    return ctx.table("opening", indexes=("event", "user"))


def ask_when_open(ctx: Context, event_id: str, user_id: int, day: str | None = None) -> None:
    """Tell this person when in-person booking opens (once, however often they tried); `day`:
    a day of a gathering they tried to switch to in person, whose window they wait for."""
    table, fields = asked(ctx), {"event": event_id, "user": user_id, **({"day": day} if day else {})}
    doc = table.first(event=event_id, user=user_id)
    if doc is None:
        table.insert(fields)
    elif doc.get("day") != day:
        table.put(doc.doc_id, fields)


def windows(ctx: Context) -> Table:
    """Per meeting and day of it (`day`, 0 or missing for the first), the opening (`opens`, a
    POSIX timestamp) told to the seat holders whose first day in person it is, until that day
    starts (`start`, ISO UTC): the meeting only, nothing about people."""
    return ctx.table("windows", indexes=("event",))


def told(ctx: Context, event: Event, day: int = 0) -> bool:
    """Whether the seat holders whose first day in person is `day` were told that the
    declaration is open, at its current opening or a later one (the meeting moved earlier, or
    the window grew, since): it has been open since. A later opening than the one told (the
    meeting moved later) deleted the declarations made before it, so it is told again."""
    when = int(day_part(event, day).ahead(ctx.setting(WINDOW)).timestamp())
    return any(stamp >= when and (told_day or 0) == day
               for _id, (stamp, told_day) in windows(ctx).values(("opens", "day"),
                                                                 event=event.id))


def mark_told(ctx: Context, event: Event, day: int = 0) -> None:
    """Record that these seat holders know the current opening, until their day starts."""
    if not told(ctx, event, day):
        span = day_part(event, day)
        windows(ctx).insert({"event": event.id, **({"day": day} if day else {}),
                             "opens": int(span.ahead(ctx.setting(WINDOW)).timestamp()),
                             "start": span.start_utc.isoformat()})


def user_outcomes(ctx: Context, user_id: int) -> list[dict]:
    """Everything stored about one user."""
    return [{"event": d["event"], **ctx.named(d["event"]), "outcome": d["outcome"],
             "at": d["at"]}
            for d in outcomes(ctx).find(user=user_id)]


def forget(ctx: Context, user_id: int) -> None:
    """Delete a user's outcomes, any declaration in progress, and whom to tell when booking
    opens."""
    for table in (outcomes(ctx), asked(ctx)):
        for doc in table.find(user=user_id):
            table.remove(doc.doc_id)
    in_progress(ctx).pop(user_id, None)


@dataclass
class Pending:
    """A declaration in progress, in memory only: the next question and "any yes so far"."""

    event: str
    total: int
    since: datetime
    step: int = 0
    any_yes: bool = False


_PENDING: WeakKeyDictionary[object, dict[int, Pending]] = WeakKeyDictionary()


def in_progress(ctx: Context) -> dict[int, Pending]:
    """Declarations in progress of this assistant, by user id (never written to storage)."""
    return _PENDING.setdefault(ctx.assistant, {})
