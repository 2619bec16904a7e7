"""What the health plugin keeps, and for how long.

Stored: only the outcome of a declaration ("fine" or "stay_home") and when it was
given, per event and user, in the table `health_outcomes`. Never the answers: a
declaration in progress lives only in memory (`Pending`: which question is next and
whether any answer so far was "yes"), and is lost on a restart. Outcomes are deleted
by a sweep that runs on every tick, `MINGEL_HEALTH_RETENTION` after the meeting ends. Beside
them, `health_opening` keeps who to tell when in-person booking opens, and `health_windows`
which meetings' seat holders were told that the declaration opened (`opening`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from weakref import WeakKeyDictionary

from assistant.config import parse_duration

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Event, Programme
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


def opens(ctx: Context, event: Event) -> datetime:
    """When the declaration for a meeting opens (days by the calendar, hours in real time)."""
    return event.ahead(ctx.setting(WINDOW))


def window(ctx: Context, event: Event) -> Window:
    """Whether a declaration can be made now: too early, open, or the meeting is over."""
    now = ctx.now
    if now >= event.end_utc:
        return "over"
    return "open" if now >= opens(ctx, event) else "early"


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
    """Delete outcomes given before the meeting's (possibly moved) window opened: a declaration
    says how someone is shortly before the meeting, not weeks earlier."""
    table, start = outcomes(ctx), opens(ctx, event)
    early = [d.doc_id for d in table.find(event=event.id)
             if datetime.fromisoformat(d["at"]) < start]
    for doc_id in early:
        table.remove(doc_id)
    return len(early)


def asked(ctx: Context) -> Table:
    """Who was refused an in-person seat before the declaration opened, to be told when it
    does (`opening`): event and user only, no health data."""
    return ctx.table("opening", indexes=("event", "user"))


def ask_when_open(ctx: Context, event_id: str, user_id: int) -> None:
    """Tell this person when in-person booking opens (once, however often they tried)."""
    table = asked(ctx)
    if table.first(event=event_id, user=user_id) is None:
        table.insert({"event": event_id, "user": user_id})


def windows(ctx: Context) -> Table:
    """Per meeting, the opening (`opens`, a POSIX timestamp) its seat holders were told of,
    until the meeting starts (`start`, ISO UTC): the meeting only, nothing about people."""
    return ctx.table("windows", indexes=("event",))


def told(ctx: Context, event: Event) -> bool:
    """Whether the seat holders were told that the declaration is open, at its current
    opening or a later one (the meeting moved earlier, or the window grew, since): it has been
    open since. A later opening than the one told (the meeting moved later) deleted the
    declarations made before it, so it is told again."""
    when = int(opens(ctx, event).timestamp())
    return any(stamp >= when for _id, (stamp,) in windows(ctx).values(("opens",),
                                                                      event=event.id))


def mark_told(ctx: Context, event: Event) -> None:
    """Record that the seat holders know the meeting's current opening, until it starts."""
    if not told(ctx, event):
        windows(ctx).insert({"event": event.id, "opens": int(opens(ctx, event).timestamp()),
                             "start": event.start_utc.isoformat()})


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
