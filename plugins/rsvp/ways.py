"""An answer both ways at a hybrid gathering (in person on some days, online on others): how
its places move and read, each way with its own days and waiting list (docs/rsvp.md,
"Gatherings over several days"). Kept apart from the notices and the taps that use it."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.model import Attendance, Event
from assistant.text import escape

from . import seating, seats, texts

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.storage import Table


def moved(before: Attendance | None, after: Attendance | None) -> str | None:
    """"promoted" or "demoted" when the rules moved a place of the same answer (its seat, or
    the place of the days it follows online), else None; a place lost counts over one won."""
    if before is None or after is None or before.answer != after.answer:
        return None
    pairs = [(before.waiting, after.waiting)]
    if before.online_days and before.online_days == after.online_days:
        pairs.append((before.online_waiting, after.online_waiting))
    if any(a and not b for b, a in pairs):
        return "demoted"
    return "promoted" if any(b and not a for b, a in pairs) else None


def split(att: Attendance | None) -> bool:
    """Whether an answer takes part both ways (in person on some days, online on others)."""
    return att is not None and att.answer == "in_person" and bool(att.online_days)


def _days(ctx: Context, event: Event, att: Attendance, online: bool) -> str:
    """The answer's days of one way, short: 'Sun 28 Nov'."""
    return ", ".join(texts.day(ctx, event, d) for d in att.days or seats.event_days(event)
                     if (d in att.online_days) == online)


def where_waiting(ctx: Context, event: Event, att: Attendance) -> str:
    """Which days of an answer both ways wait, on which list, and which keep their place:
    'You're on the online waiting list for Sun 28 Nov, place 1; your seat on Sat 27 Nov is
    still yours.'"""
    seat, online = _days(ctx, event, att, False), _days(ctx, event, att, True)
    if att.waiting and att.online_waiting:
        return ctx._("You're on the waiting list for a seat on {seat_days}, place {n}, and on the "
                     "online waiting list for {online_days}, place {m}.", seat_days=seat,
                     n=att.position, online_days=online, m=att.online_position)
    if att.online_waiting:
        return ctx._("You're on the online waiting list for {online_days}, place {n}; your seat "
                     "on {seat_days} is still yours.", online_days=online, n=att.online_position,
                     seat_days=seat)
    return ctx._("You're on the waiting list for a seat on {seat_days}, place {n}; your online "
                 "place on {online_days} is still yours.", seat_days=seat, n=att.position,
                 online_days=online)


def demotion(ctx: Context, event: Event, att: Attendance, reason: str) -> str:
    """The message about a place lost by an answer both ways: why (fewer places, the meeting
    changed, or nothing the person was told of), then which of their days wait and how."""
    title, when = texts.title(ctx, event), texts.when(ctx, event, bracketed=True)
    if reason == "changed":
        why = ctx._("After the changes to <b>{title}</b> ({when}) there is no place left for you "
                    "on some of your days.", title=title, when=when)
    elif reason == "none":
        why = ctx._("There is no place left for you at <b>{title}</b> ({when}) on some of your "
                    "days any more.", title=title, when=when)
    elif att.online_waiting and not att.waiting:
        why = ctx._("There are now fewer online places at <b>{title}</b> ({when}), and you were "
                    "one of the last to answer.", title=title, when=when)
    else:
        why = ctx._("There are now fewer places at <b>{title}</b> ({when}), and you were one of "
                    "the last to answer.", title=title, when=when)
    return " ".join((why, where_waiting(ctx, event, att),
                     ctx._("I'll tell you at once if a place opens up.")))


def promoted_days(event: Event, before: Attendance, after: Attendance) -> tuple[str, list[str]]:
    """The kind of place a promotion gave an answer both ways and its days (the seat's days,
    or those it follows online); for any other answer its own kind and days."""
    every = after.days or tuple(seats.event_days(event))
    if split(after) and before.online_waiting and not after.online_waiting:
        return "online", [d for d in every if d in after.online_days]
    if split(after):
        return "in_person", [d for d in every if d not in after.online_days]
    return after.answer, list(after.days)


def dropped_line(ctx: Context, event: Event, entry: dict[str, Any] | None) -> str | None:
    """For someone whose days followed online a meeting made in person only took out of
    their answer (`edits.drop_online`): which days left it and how to come on them in person,
    and, when the seat of the days left waits, that it still does (the online place was the one
    they held); None for anyone else, or once they chose those days again."""
    dropped = (entry or {}).get("dropped")
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id) if dropped and ctx.user \
        else None
    if dropped is None or att is None or att.answer != "in_person" or not att.days:
        return None
    every = seats.event_days(event)
    days = [d for d in every if d in dropped["online"] and d not in att.days]
    if not days or "online" in seats.allowed(event):
        return None
    line = ctx.ngettext("Your online day {days} is no longer part of your answer; choose it again "
                        "on the meeting's card (/rsvp {id}) to come in person.",
                        "Your online days {days} are no longer part of your answer; choose them "
                        "again on the meeting's card (/rsvp {id}) to come in person.", len(days),
                        days=", ".join(texts.day(ctx, event, d) for d in days),
                        id=escape(event.id))
    if not att.waiting:
        return line
    return line + " " + ctx._("You're still on the waiting list for a seat on {days}, place {n}.",
                              days=texts.days(ctx, event, att), n=att.position)


def full_days(table: Table, event: Event, user_id: int, att: Attendance, way: str) -> list[str]:
    """The days an answer both ways would newly take part `way` on that have no free place of
    that kind while it holds one (`seating.way_is_free`): taking part that way on every day
    would take someone's place there."""
    return [d for d in att.days or seats.event_days(event)
            if att.way(d) != way and not seating.way_is_free(table, event, user_id, d, way)]


def refusal(ctx: Context, event: Event, way: str, full: list[str]) -> str:
    """Why an answer both ways cannot take part `way` on every day: the days with no place of
    that kind; nothing changed."""
    days = ", ".join(texts.day(ctx, event, d) for d in full)
    if way == "in_person":
        return ctx.ngettext("There are no seats left on {days}: nothing changed, you still follow "
                            "that day online.", "There are no seats left on {days}: nothing "
                            "changed, you still follow those days online.", len(full), days=days)
    return ctx.ngettext("There are no online places left on {days}: nothing changed, you still "
                        "come in person that day.", "There are no online places left on {days}: "
                        "nothing changed, you still come in person on those days.", len(full),
                        days=days)


def made_whole(before: Attendance | None, after: Attendance | None) -> bool:
    """Whether an answer both ways was just made one way on every day by the answer's button."""
    return split(before) and after is not None and not after.online_days \
        and after.answer in seats.PLACES


def whole_toast(ctx: Context, event: Event, after: Attendance) -> str:
    """'Saved: Coming in person on all your days (Sat 27 Nov, Sun 28 Nov)', or where that way
    waits for a place."""
    days, answer = texts.days(ctx, event, after), texts.label(ctx, after.answer)
    if after.waiting:
        return ctx._("{answer} on all your days ({days}): you're on the waiting list, place {n}.",
                     answer=answer, days=days, n=after.position)
    return ctx._("Saved: {answer} on all your days ({days})", answer=answer, days=days)
