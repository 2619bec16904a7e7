"""Double bookings: a new answer that overlaps in time another meeting the person is down for.

Only the person's own answers are read (the answers table's `user` index), never a meeting's
answers or the programme: a tap at a festival of 200,000 answers costs what it did. The
warning is a note, not a refusal: people do pick between talks on the spot.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from assistant import spans as spans_of
from assistant.model import Attendance, Event

from . import seats, texts

if TYPE_CHECKING:
    from assistant.context import Context

Span = tuple[datetime, datetime]

SHOWN = 3
"""Overlapping meetings named one by one; more are counted."""


def spans(event: Event, days: tuple[str, ...] | list[str] = ()) -> list[Span]:
    """When the person is at the meeting, in UTC: its whole time, or for a gathering each of
    the chosen days (every day when none): the daily hours when it keeps them, else the part
    of the gathering that falls on that date."""
    if not event.is_multi_day:
        return [(event.start_utc, event.end_utc)]
    found = []
    for iso in [d for d in seats.event_days(event) if not days or d in days]:
        s, e = spans_of.day(event, date.fromisoformat(iso))
        found.append((s.astimezone(UTC), e.astimezone(UTC)))
    return found


def _overlap(mine: list[Span], other: list[Span]) -> Span | None:
    """The first stretch of `other` that overlaps one of `mine` (touching ends do not)."""
    for s, e in other:
        if any(s < me and ms < e for ms, me in mine):
            return s, e
    return None


def clashes(ctx: Context, event: Event, days: tuple[str, ...] | list[str] = ()
            ) -> list[tuple[Event, Span, Span]]:
    """The person's other meetings (a place, online or in person, or a maybe) that overlap
    this one on `days` (the days they chose): (meeting, its overlapping stretch, this
    meeting's stretch), earliest first. Cancelled, ended and hidden ones do not count."""
    programme = ctx.programme
    if programme is None or ctx.user is None:
        return []
    mine = spans(event, days)
    found = []
    for doc in seats.answers(ctx).find(user=ctx.user.id):
        if doc["event"] == event.id or not seats.expects(doc):
            continue
        other = programme.event(doc["event"])
        if other is None or other.cancelled or other.end_utc <= ctx.now:
            continue
        stretch = _overlap(mine, spans(other, doc.get("days", ())))
        if stretch is not None and ctx.hooks.event_visible(ctx, other):
            ours = next((ms, me) for ms, me in mine if stretch[0] < me and ms < stretch[1])
            found.append((other, stretch, ours))
    return sorted(found, key=lambda c: (c[1][0], c[0].id))


def line(ctx: Context, event: Event, other: Event, stretch: Span, ours: Span) -> str:
    """'You're also down for <b>Title</b> at 11:00–12:00 the same day.', naming the zone of
    the other meeting's times when it can be joined online, as its card does."""
    fmt = ctx.fmt_event(other)
    title = texts.title(ctx, other)
    start, end = stretch
    zone = other.online is not None
    same_day = fmt.date(start, "yyyy-MM-dd") == fmt.date(ours[0], "yyyy-MM-dd") \
        == fmt.date(end - timedelta(seconds=1), "yyyy-MM-dd")
    if same_day:
        times = f"{fmt.time(start)}–{fmt.time(end)}"
        return ctx._("You're also down for <b>{title}</b> at {time} the same day.", title=title,
                     time=fmt.zoned(times) if zone else times)
    return ctx._("You're also down for <b>{title}</b>, {when}.", title=title,
                 when=fmt.range(start, end, zone=zone))


def newly_there(before: Attendance | None, after: Attendance) -> bool:
    """Whether the answer puts the person at the meeting where they were not (a first answer,
    one after "can't come", a seat after the waiting list): a switch between in person,
    online and maybe was warned of when they first said they would be there, and is not
    warned of again; a place on the waiting list is no double booking yet (the message that
    gives the seat warns)."""
    return _there(after) and not _there(before)


def _there(answer: Attendance | None) -> bool:
    return answer is not None and answer.answer != "no" and not answer.waiting


def note(ctx: Context, event: Event, days: tuple[str, ...] | list[str] = ()) -> str | None:
    """The warning about the meetings this one overlaps (None: no overlap)."""
    found = clashes(ctx, event, days)
    if not found:
        return None
    lines = [line(ctx, event, other, stretch, ours) for other, stretch, ours in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(ctx.ngettext("…and {n} more meeting at the same time.",
                                  "…and {n} more meetings at the same time.",
                                  len(found) - SHOWN))
    head = ctx.ngettext("<b>{title}</b> overlaps another of your meetings.",
                        "<b>{title}</b> overlaps {n} of your other meetings.", len(found),
                        title=texts.title(ctx, event))
    return "\n".join([f"⚠️ {head}", *lines])
