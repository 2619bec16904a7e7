"""The day buttons of a gathering over several days: which days a person comes (☑/☐), and
at a hybrid one which way they take part on each (💻/🪑). Each tap is checked again as an
answer's is (`respond`), and changes the seats of those days only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.model import Attendance, Event
from assistant.types import Button

from . import overlap, respond, seating, seatmoves, seats, texts

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.storage import Table


def toggled(ctx: Context, event: Event, att: Attendance, iso: str) -> list[str] | str:
    """The user's days with one day switched, or why it can't be switched."""
    every = seats.event_days(event)
    chosen = [d for d in every if d in att.days] or every
    if iso in chosen:
        return ([d for d in chosen if d != iso]
                or ctx._("Keep at least one day, or answer “Can't come”."))
    if not seating.day_is_free(seats.answers(ctx), event, ctx.user.id, iso):
        return ctx._("There are no seats left on {day}.", day=texts.day(ctx, event, iso))
    return [d for d in every if d in chosen or d == iso]


def _open_gathering(ctx: Context, event_id: str
                    ) -> tuple[Event, Table, Attendance | None] | None:
    """For a day's button: the meeting, while it takes answers, its answers and the tapper's
    own; None once the tap was refused (no such meeting, or answers closed)."""
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(respond.unavailable(ctx, event_id))
        return None
    if (reason := respond.closed(ctx, event)) is not None:
        ctx.refuse(reason)
        return None
    table = seats.answers(ctx)
    return event, table, seats.current(table, event.id, ctx.user.id)


async def press_day(ctx: Context) -> None:
    """The user toggles one day of a multi-day gathering; someone who has it in their calendar
    (a place or a maybe) gets the file for their new days, which replaces the one they had."""
    event_id, iso = (ctx.args + ["", ""])[:2]
    if (found := _open_gathering(ctx, event_id)) is None:
        return
    event, table, att = found
    if iso not in seats.event_days(event) or not event.is_multi_day:
        ctx.refuse(ctx._("This button no longer works."))
        return
    if att is None or att.answer == "no":
        ctx.refuse(ctx._("Answer first, then choose your days."))
        return
    days = toggled(ctx, event, att, iso)
    if isinstance(days, str):
        ctx.refuse(days)
        return
    before, after, moves = seating.choose_days(table, event, ctx.user.id, days)
    await ctx.hooks.rsvp_changed(ctx, event, ctx.user.id, before, after)
    await seatmoves.tell_moved(ctx, event, moves)
    ctx.edit(*respond.card(ctx, event))
    if after is None:
        return
    if before is not None and before.waiting and after.coming:
        seated(ctx, event, after)
        if (warning := overlap.note(ctx, event, after.days)) is not None:
            ctx.reply(warning)  # the seat makes every chosen day a double booking
        respond.calendar(ctx, event, None, after)
        return
    days_saved(ctx, event, after)
    added = [d for d in after.days or seats.event_days(event)
             if before is None or d not in (before.days or seats.event_days(event))]
    if added and (warning := overlap.note(ctx, event, added)) is not None:
        ctx.reply(warning)
    if seats.expected(before) and seats.expected(after):
        for document in ctx.hooks.attachments(ctx, event, "days"):
            ctx.reply(document=document)
    else:
        respond.calendar(ctx, event, before, after)


def days_saved(ctx: Context, event: Event, att: Attendance) -> None:
    """Toast the days just stored (the answer did not change), with the waiting-list place
    of someone still waiting."""
    days = texts.days(ctx, event, att)
    if att.waiting:
        ctx.toast(ctx._("Saved: your days ({days}). You're on the waiting list, place {n}.",
                        days=days, n=att.position))
    else:
        ctx.toast(ctx._("Saved: your days ({days})", days=days))


def seated(ctx: Context, event: Event, att: Attendance) -> None:
    """The days chosen took the user off the waiting list: say so, with the days."""
    days = texts.days(ctx, event, att)
    if att.answer == "online":
        ctx.toast(ctx._("You have an online place now ({days}).", days=days))
        ctx.reply(ctx._("You have an online place at <b>{title}</b> now, for {days}.",
                        title=texts.title(ctx, event), days=days))
    else:
        ctx.toast(ctx._("You have a seat now ({days}).", days=days))
        ctx.reply(ctx._("You have a seat at <b>{title}</b> now, for {days}.",
                        title=texts.title(ctx, event), days=days))


WAYS = {"p": "in_person", "o": "online"}
"""A way-of-the-day button's last argument: the way it switches the day to."""


def way_button(ctx: Context, event: Event, att: Attendance, iso: str) -> Button:
    """At a hybrid gathering, one chosen day's switch to the other way of taking part:
    '💻 Sun 29 Nov online instead' on a day in person, '🪑 … in person instead' online."""
    day = texts.day(ctx, event, iso)
    if att.way(iso) == "online":
        return ctx.button(ctx._("🪑 {day} in person instead", day=day), "w", event.id, iso, "p")
    return ctx.button(ctx._("💻 {day} online instead", day=day), "w", event.id, iso, "o")


async def press_way(ctx: Context) -> None:
    """The user switches one day of a hybrid gathering between coming in person and following
    online: a seat is counted on their in-person days only, an online place on the others
    (a day with no place left of that kind is refused while they hold one, as adding a day
    is; a kind new to their answer waits where it is full). Someone with the meeting in their
    calendar gets the file with each day's place, which replaces the one they had."""
    event_id, iso, code = (ctx.args + ["", "", ""])[:3]
    if (found := _open_gathering(ctx, event_id)) is None:
        return
    event, table, att = found
    way = WAYS.get(code)
    if way is None or att is None or not texts.hybrid_days(event, att) \
            or iso not in (att.days or seats.event_days(event)) or att.way(iso) == way:
        ctx.refuse(ctx._("This button no longer works."))
        return
    if not seating.way_is_free(table, event, ctx.user.id, iso, way):
        ctx.refuse(ctx._("There are no seats left on {day}.", day=texts.day(ctx, event, iso))
                   if way == "in_person" else
                   ctx._("There are no online places left on {day}.",
                         day=texts.day(ctx, event, iso)))
        return
    if way == "in_person" and att.answer == "online" \
            and (reason := await respond.gate(ctx, event, way, iso)) is not None:
        ctx.refuse(reason)  # a seat asks what a seat asks (a health declaration)
        return
    before, after, moves = seating.switch_days(table, event, ctx.user.id, [iso], way)
    await ctx.hooks.rsvp_changed(ctx, event, ctx.user.id, before, after)
    await seatmoves.tell_moved(ctx, event, moves)
    ctx.edit(*respond.card(ctx, event))
    if after is None:
        return
    day = texts.day(ctx, event, iso)
    if after.holds(iso):
        ctx.toast(ctx._("Saved: {answer} on {day}", answer=texts.label(ctx, way), day=day))
    else:
        n = after.online_position if iso in after.online_days else after.position
        ctx.toast(ctx._("{answer} on {day}: you're on the waiting list, place {n}.",
                        answer=texts.label(ctx, way), day=day, n=n))
    if seats.expected(before) and seats.expected(after):
        for document in ctx.hooks.attachments(ctx, event, "days"):
            ctx.reply(document=document)
    else:
        respond.calendar(ctx, event, before, after)
