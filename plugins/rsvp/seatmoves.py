"""Messages about one person's place: promoted from the waiting list or demoted to it.

A move an edit of the programme caused waits for the change notice that explains it
(`heldback.py`); any other goes at once, through the outbox, once per move.
"""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from babel.units import format_unit

from assistant import spans
from assistant.model import Attendance, Event

from . import heldback, overlap, seats, texts, ways

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.storage import Table


async def tell_moved(ctx: Context, event: Event, moves: list[seats.Move]) -> None:
    """Tell each person the rules moved (promoted or demoted), once per move, and then the
    other plugins (so that what they send follow this message); nobody is told about a place
    at a meeting that is cancelled or over. Someone whose place or days a pending change
    notice's edits changed hears the outcome after that notice instead
    (`heldback.held_back`)."""
    await announce(ctx, event, queue_moved(ctx, event, moves))


def queue_moved(ctx: Context, event: Event, moves: list[seats.Move]) -> list[seats.Move]:
    """`tell_moved`'s own part, which awaits nothing: each move's message queued (or held
    back for its change notice); returns the moves the other plugins are to hear of."""
    table = seats.answers(ctx)
    held = heldback.pending_seats(ctx, event.id) if moves else {}
    told: list[seats.Move] = []
    for move in moves:
        if str(move.user_id) in held:
            heldback.hold(ctx, event.id, move)
            continue
        if not (event.cancelled or event.end_utc <= ctx.now):
            tell_move(ctx, table, event, move)
        told.append(move)
    return told


async def announce(ctx: Context, event: Event, moves: list[seats.Move]) -> None:
    """The other plugins hear of the moves (`rsvp_changed`), after all their messages were
    queued."""
    for move in moves:
        await ctx.hooks.rsvp_changed(ctx, event, move.user_id, move.before, move.after)


def tell_move(ctx: Context, table: Table, event: Event, move: seats.Move,
              reason: str = "fewer") -> None:
    """The message about one promotion or demotion, through the outbox, with the files that
    add the meeting to the person's calendar or remove it. A demotion says why: fewer places
    (`reason` "fewer"), the meeting changed ("changed"), or nothing the person was told of
    ("none": edits that cancelled out)."""
    count = seats.moves_counter(table, event.id, move.user_id)

    def build(target: Context, move: seats.Move = move) -> None:
        if move.after is None:
            return
        if move.kind == "promoted":
            target.reply(promotion(target, event, move.after, move.before))
            if (warning := overlap.note(target, event, move.after.days)) is not None:
                target.reply(warning)  # a place only waited for was no double booking yet
            for document in target.hooks.attachments(target, event, "promoted"):
                target.reply(document=document)
        elif ways.split(move.after):  # which of their days wait, and on which list
            target.reply(ways.demotion(target, event, move.after, reason))
        elif reason == "changed":
            target.reply(target._(
                "After the changes to <b>{title}</b> ({when}) there is no place left for "
                "you: you're on the waiting list, place {n}. I'll tell you at once if a "
                "place opens up.", title=texts.title(target, event),
                when=texts.when(target, event, bracketed=True), n=move.after.position))
        elif reason == "none":
            target.reply(target._(
                "There is no place left for you at <b>{title}</b> ({when}) any more: you're "
                "on the waiting list, place {n}. I'll tell you at once if a place opens up.",
                title=texts.title(target, event),
                when=texts.when(target, event, bracketed=True), n=move.after.position))
        else:
            target.reply(target._(
                "There are now fewer places at <b>{title}</b> ({when}). As one of the last "
                "to answer, you're on the waiting list, place {n}. I'll tell you at once if "
                "a place opens up.", title=texts.title(target, event),
                when=texts.when(target, event, bracketed=True), n=move.after.position))
        if move.kind == "demoted" and seats.expected(move.before):
            kept = seats.expected(move.after)  # an answer both ways keeps its other days
            for document in target.hooks.attachments(target, event,
                                                     "days" if kept else "removed"):
                target.reply(document=document)
    ctx.send_to(move.user_id, build, key=f"{move.kind}:{event.id}:{move.user_id}:{count}")


def promotion(ctx: Context, event: Event, att: Attendance,
              before: Attendance | None = None) -> str:
    """'A place has opened up …': online or in person, for the days chosen of a gathering
    (with each day's way when they come in person on some and online on others: the place is
    that of the days of the way that waited)."""
    title = texts.title(ctx, event)
    answer = texts.status(ctx, att) if att.online_days else texts.label(ctx, att.answer)
    kind, mine = ways.promoted_days(event, before or att, att)
    if mine and event.is_multi_day:
        days = ", ".join(texts.day(ctx, event, d) for d in mine)
        if kind == "online":
            line = ctx._("Good news! An online place has opened up at <b>{title}</b> and it's "
                         "yours for {days}. Your answer: {answer}.", title=title, days=days,
                         answer=answer)
        else:
            line = ctx._("Good news! A place has opened up at <b>{title}</b> and it's yours "
                         "for {days}. Your answer: {answer}.", title=title, days=days,
                         answer=answer)
        return " ".join(filter(None, (line, time_left(ctx, event, att))))
    when = texts.when(ctx, event, bracketed=True)
    if att.answer == "online":
        line = ctx._("Good news! An online place has opened up at <b>{title}</b> ({when}) and "
                     "it's yours. Your answer: {answer}.", title=title, when=when, answer=answer)
    else:
        line = ctx._("Good news! A place has opened up at <b>{title}</b> ({when}) and it's "
                     "yours. Your answer: {answer}.", title=title, when=when, answer=answer)
    return " ".join(filter(None, (line, time_left(ctx, event))))


SOON = timedelta(hours=3)
"""A place given this close to the start says how long is left: on the morning of a meeting
the date alone ("Tuesday 21 September, 09:30–12:30") does not tell someone whose seat came
30 minutes before it, or after it began, that they must leave now."""


def time_left(ctx: Context, event: Event, att: Attendance | None = None) -> str | None:
    """'It starts in 30 minutes.' within SOON of the start (whole hours from two on, never more
    than is left), 'It has already begun.' after it (a seat given up during the meeting
    still goes to the next in line), else None; of their own first day for someone who
    chose a gathering's later days (`spans`)."""
    mine = spans.attended(event, att)
    day = mine.start != event.start
    left = mine.start_utc - ctx.now
    if left <= timedelta(0):
        return ctx._("Your day there has already begun.") if day \
            else ctx._("It has already begun.")
    if left > SOON:
        return None
    minutes = max(1, round(left / timedelta(minutes=1)))
    unit, count = ("minute", minutes) if minutes < 120 else ("hour", minutes // 60)
    when = format_unit(count, f"duration-{unit}", length="long",
                       locale=ctx.fmt_event(event).locale)
    return ctx._("Your day there starts in {when}.", when=when) if day \
        else ctx._("It starts in {when}.", when=when)
