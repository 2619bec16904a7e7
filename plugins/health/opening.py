"""Telling people who tried to book an in-person seat too early that booking has opened.

At a `health_required` meeting "Coming in person" is refused until the declaration opens
(`MINGEL_HEALTH_WINDOW` before the start), and seats then go to whoever books first. Whoever
was refused for that reason is told once when it opens, in their language, with the button
to fill in the declaration; if the organisers stop requiring it first, booking opens at once
and they are told so on the next tick. Kept meanwhile: only the meeting and the user id
(table `health_opening`, not health data), deleted once they are told, when they no longer
need telling (a seat, "Can't come"), when the meeting is over, cancelled, gone or has no
venue left, and by /forget.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.model import text
from assistant.text import escape

from .card import fill_in_button, full
from .records import applies, asked, opens

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
        if waits_for(event, now) and opens(ctx, event) > now:
            continue
        live = event is not None and not event.cancelled and event.venue is not None \
            and event.end_utc > now
        for doc_id, (user_id,) in table.values(("user",), event=event_id):
            table.remove(doc_id)
            if live and needs_telling(ctx, event, user_id):
                when = int(opens(ctx, event).timestamp())
                told += ctx.send_to(user_id, lambda target, e=event: opened(target, e),
                                    key=f"opened:{event_id}:{when}:{user_id}")
    return told


def needs_telling(ctx: Context, event: Event, user_id: int) -> bool:
    """No in-person place (nor a place on its waiting list) and no "Can't come"."""
    attendance = ctx.hooks.attendance(ctx, event, user_id)
    return attendance is None or attendance.answer not in ("in_person", "no")


def opened(ctx: Context, event: Event) -> None:
    """The message (ctx is the recipient's): booking is open, with the way to a seat."""
    title = escape(text(event.title, ctx.lang))
    when = escape(ctx.fmt_event(event).range(event.start, event.end))
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


def kept_for(ctx: Context, user_id: int) -> list[dict[str, Any]]:
    """What is kept about a person (/mydata): the meetings they wait to hear about."""
    return [{"event": doc["event"], **ctx.named(doc["event"]),
             "tell_when_booking_opens": True} for doc in asked(ctx).find(user=user_id)]
