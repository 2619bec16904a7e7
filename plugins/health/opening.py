"""Telling people when a meeting's health declaration opens.

Refused too early. At a `health_required` meeting "Coming in person" is refused until the
declaration opens (`MINGEL_HEALTH_WINDOW` before the start), and seats then go to whoever
books first. Whoever was refused for that reason is told once when it opens, in their
language, with the button to fill in the declaration; if the organisers stop requiring it
first, booking opens at once and they are told so on the next tick. Kept meanwhile: only the
meeting and the user id (table `health_opening`, not health data), deleted once they are
told, when they no longer need telling (a seat, "Can't come"), when the meeting is over,
cancelled, gone or has no venue left, and by /forget.

Seated before it opened. Whoever holds an in-person seat when the declaration opens (booked
before, at a meeting that asks for one without requiring it, or given a seat, or holding one
when the organisers switched the declaration on) read that they can fill it in "from …": on
the first tick after it opens they get one message saying it is open, with the button
(`ready`), unless they declared, gave up the seat or another message with the button still
waits or just went (`card.prompted`). Nothing is kept about them: the audience is the
meeting's seat holders then, and the table `health_windows` keeps per meeting and day which
opening its seat holders were told of, until that day starts, so a restart does not tell them
twice and a seat booked after the opening (the card shows the button then) is not told at all.
At a gathering each is told at the opening of their own first day in person (48 hours before
Wednesday for someone who comes on Wednesday only), so each day that is someone's first counts. A meeting
moved into its window, or earlier within it, tells them if they were not told it is open;
one moved later tells them again at its new opening (the declarations made before it were
deleted). A meeting that begins before a tick saw its opening (downtime) tells nobody.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import takewhile
from typing import TYPE_CHECKING, Any

from assistant.model import text
from assistant.text import escape

from .card import fill_in_button, full, prompted, their_range
from .records import (
    WINDOW,
    applies,
    asked,
    day_part,
    first_day,
    mark_told,
    opens,
    outcome,
    windows,
)

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Event


def drop(ctx: Context, event_id: str, user_id: int) -> None:
    """They need no telling any more (they said they can't come)."""
    table = asked(ctx)
    if (doc := table.first(event=event_id, user=user_id)) is not None:
        table.remove(doc.doc_id)


def waits_for(event: Event | None, now: datetime) -> bool:
    """Whether the meeting still refuses in-person seats until its declaration opens."""
    return event is not None and event.health_required and applies(event) \
        and event.end_utc > now


def tell_opened(ctx: Context, now: datetime) -> int:
    """Tell everyone whose meeting's declaration has opened, or that stopped refusing early
    seats (the organisers no longer require it: booking is open at once), unless they have an
    in-person place by now (a seat or the waiting list) or said they can't come; forget the
    records of meetings over, cancelled or gone. Without a programme nothing is decided. The
    key has the opening time, so a meeting moved after they were told tells them again when
    its new window opens. Returns how many were told."""
    table, programme = asked(ctx), ctx.programme
    if programme is None:
        return 0
    told = 0
    for event_id in table.distinct("event"):
        event = programme.event(event_id)
        waits = waits_for(event, now)
        live = event is not None and not event.cancelled and event.venue is not None \
            and event.end_utc > now
        for doc_id, (user_id, day) in table.values(("user", "day"), event=event_id):
            if waits and opens(ctx, event, user_id, day) > now:
                continue  # their window (from their first day in person) is still closed
            table.remove(doc_id)
            if live and needs_telling(ctx, event, user_id):
                when = int(opens(ctx, event, user_id, day).timestamp())
                told += ctx.send_to(user_id, lambda target, e=event, d=day: opened(target, e, d),
                                    key=f"opened:{event_id}:{when}:{user_id}")
    return told


def needs_telling(ctx: Context, event: Event, user_id: int) -> bool:
    """No in-person place (nor a place on its waiting list) and no "Can't come"."""
    attendance = ctx.hooks.attendance(ctx, event, user_id)
    return attendance is None or attendance.answer not in ("in_person", "no")


def opened(ctx: Context, event: Event, day: str | None = None) -> None:
    """The message (ctx is the recipient's): booking is open, with the way to a seat."""
    title, when = escape(text(event.title, ctx.lang)), their_range(ctx, event, day)
    if not waits_for(event, ctx.now):
        if full(ctx, event):
            ctx.reply(ctx._("📋 Seats in person at <b>{title}</b> ({when}) can be booked now, "
                            "but every seat is taken already. “Coming in person” on the "
                            "meeting's card (/rsvp {id}) puts you on the waiting list; I'll tell "
                            "you as soon as a seat is yours.", title=title, when=when,
                            id=escape(event.id)))
            return
        ctx.reply(ctx._("📋 Seats in person at <b>{title}</b> ({when}) can be booked now: tap "
                        "“Coming in person” on the meeting's card (/rsvp {id}). The seats go to "
                        "those who book first.", title=title, when=when, id=escape(event.id)))
        return
    if full(ctx, event):
        ctx.reply(ctx._("📋 The health declaration for <b>{title}</b> ({when}) is open now, but "
                        "every seat is taken already. “Coming in person” on the meeting's card "
                        "(/rsvp {id}) puts you on the waiting list, which needs no declaration; "
                        "I'll tell you as soon as a seat is yours.", title=title, when=when,
                        id=escape(event.id)))
        return
    ctx.reply(ctx._("📋 The health declaration for <b>{title}</b> ({when}) is open now, so you "
                    "can book a seat in person. Fill it in, then tap “Coming in person”: the "
                    "seats go to those who book first.", title=title, when=when),
              [[fill_in_button(ctx, event)]])


def nights(ctx: Context) -> int:
    """Who waits for the day of a gathering of evenings that is the night its last evening
    ends in (stored before its days were its evenings, session 37: Sunday 00:00–02:00 of a
    Friday 18:00 – Sunday 02:00 gathering) waits for that last evening, whose small hours it
    is now: the night is no day of it, so the window was counted from their first day and
    they were told too early. How many changed."""
    table, programme, count = asked(ctx), ctx.programme, 0
    for doc in table.all() if programme is not None else ():
        event = programme.event(doc["event"])
        if event is None or not event.of_evenings or not doc.get("day"):
            continue
        days = [d.isoformat() for d in event.days()]
        if doc["day"] not in days and doc["day"] == event.end.astimezone(
                event.timezone).date().isoformat():
            table.put(doc.doc_id, {**doc, "day": days[-1]})
            count += 1
    return count


def kept_for(ctx: Context, user_id: int) -> list[dict[str, Any]]:
    """What is kept about a person (/mydata): the meetings they wait to hear about."""
    return [{"event": doc["event"], **ctx.named(doc["event"]),
             "tell_when_booking_opens": True} for doc in asked(ctx).find(user=user_id)]


CLOCK_CHANGE = timedelta(hours=2)
"""Added to the look-ahead: a window of whole days is counted by the calendar, and a day
across a change of clocks is an hour longer in real time."""


def ready_key(event: Event, user_id: int, when: datetime) -> str:
    """The outbox key of the message saying the declaration is open to someone with a seat:
    one per opening time, so a meeting moved later asks again when its new window opens."""
    return f"ready:{event.id}:{user_id}:{int(when.timestamp())}"


async def tell_seated(ctx: Context, now: datetime) -> int:
    """Tell the in-person seat holders of each meeting whose declaration opened since a tick
    last looked, for the day that is their first in person (and has not begun), that it is
    open, with the button, unless they declared or another message with the button still
    waits or just went; forget the openings of days that have begun, and those that name no
    day of their meeting now (`stale`). Returns how many were told."""
    programme, table = ctx.programme, windows(ctx)
    if programme is None:
        return 0
    latest: dict[tuple[str, int], int] = {}
    for doc_id, (event_id, day, stamp, start) in table.values(("event", "day", "opens",
                                                               "start")):
        if datetime.fromisoformat(start) <= now or stale(programme.event(event_id), day):
            table.remove(doc_id)
        else:
            latest[event_id, day or 0] = max(stamp, latest.get((event_id, day or 0), stamp))
    told_now = 0
    for event in coming(ctx, now):
        due = [n for n, when in open_days(ctx, event, now)
               if latest.get((event.id, n), -1) < int(when.timestamp())]
        if not due:
            continue
        for attendance in ctx.hooks.attendees(ctx, event):
            user_id = attendance.user_id
            if not attendance.in_person or first_day(ctx, event, attendance) not in due \
                    or outcome(ctx, event.id, user_id) is not None \
                    or prompted(ctx, event, user_id):
                continue
            told_now += ctx.send_to(user_id, lambda target, e=event: ready(target, e),
                                    key=ready_key(event, user_id,
                                                  opens(ctx, event, attendance)))
            await ctx.give_way()
        for n in due:
            mark_told(ctx, event, n)
    return told_now


def stale(event: Event | None, day: int | None) -> bool:
    """Whether an opening told names a day its meeting no longer has (a gathering shortened,
    or made one day): nobody's first day in person is that day, so it would only wait for
    its old start, read by nothing. A meeting gone from the programme keeps it until then,
    in case it is put back."""
    return event is not None and (day or 0) >= (len(event.days()) if event.is_multi_day
                                                 else 1)


def coming(ctx: Context, now: datetime) -> Iterator[Event]:
    """The meetings asking for a declaration with a day that starts within the window (and
    the clock change) from now: those to come, and gatherings under way (a later day may be
    someone's first in person)."""
    horizon = now + ctx.setting(WINDOW) + CLOCK_CHANGE
    for event in takewhile(lambda e: e.start_utc <= horizon, ctx.programme.upcoming(now)):
        if applies(event) and (event.start_utc > now or event.is_multi_day):
            yield event


def open_days(ctx: Context, event: Event, now: datetime) -> list[tuple[int, datetime]]:
    """The days of the meeting (0 for the first; a one-day meeting has only that) whose
    window is open now and that have not begun, each with its opening: the first day in
    person of those whose declaration opened."""
    found = []
    for n in range(len(event.days()) if event.is_multi_day else 1):
        span = day_part(event, n)
        if span.start_utc > now and (when := span.ahead(ctx.setting(WINDOW))) <= now:
            found.append((n, when))
    return found


def mark_open(ctx: Context) -> None:
    """Count every meeting whose window is open now as told (the first start of a version
    that tells seat holders: they may have had the button on the card and the last
    reminder)."""
    programme = ctx.programme
    if programme is None:
        return
    for event in coming(ctx, ctx.now):
        mark_days(ctx, event)


def mark_days(ctx: Context, event: Event) -> None:
    """Count the openings of the meeting's days that are open now as told."""
    for n, _when in open_days(ctx, event, ctx.now):
        mark_told(ctx, event, n)


def switched_on(ctx: Context, after: Event) -> None:
    """The meeting starts to ask for a declaration while its window is open: its seat holders
    are told at once, with the button (`announce`), so the opening counts as told."""
    mark_days(ctx, after)


def ready(ctx: Context, event: Event) -> None:
    """The message (ctx is the recipient's): the declaration their seat asks for is open now
    (at a gathering, with the days from their first in person)."""
    title, when = escape(text(event.title, ctx.lang)), their_range(ctx, event)
    if event.health_required:
        line = ctx._("📋 The health declaration for <b>{title}</b> ({when}) is open now. This "
                     "meeting requires it before you come in person: please fill it in – it "
                     "takes a minute.", title=title, when=when)
    else:
        line = ctx._("📋 The health declaration for <b>{title}</b> ({when}) is open now. Please "
                     "fill it in before you come in person – it takes a minute.",
                     title=title, when=when)
    ctx.reply(line, [[fill_in_button(ctx, event)]])
