"""The message about a meeting's changes, or its removal, as each reader gets it.

In the reader's language, with what the edits did to their own answer, place and days,
and with the calendar file for those who may have the meeting in their calendar.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant import spans
from assistant.model import Attendance, Event
from assistant.text import escape

from . import heldback, notices, seats, texts, ways, wording

if TYPE_CHECKING:
    from assistant.context import Context


def gone(event: Event, entry: dict[str, Any] | None) -> list[str]:
    """The days a person had chosen that the meeting no longer has (all of theirs)."""
    every = seats.event_days(event)
    return [d for d in (entry or {}).get("lost", []) if d not in every]


def asks_days(event: Event, fields: dict[str, Any], entry: dict[str, Any] | None) -> bool:
    """Whether the change notice asks this person to choose their days again."""
    return bool(fields) and not fields.get("cancelled", {}).get("after") \
        and event.is_multi_day and bool(gone(event, entry))


def conversion_line(ctx: Context, event: Event, fields: dict[str, Any],
                    entry: dict[str, Any] | None) -> str | None:
    """For someone whose answer the meeting no longer offers: what it is now and how they
    take part. Online: the link to join (a private one comes shortly before the meeting, as
    to everyone coming online, or right after this notice when their time for it has come:
    `private_link`), unless the line about the online change said it already."""
    att = heldback.converted_to(ctx, event, ctx.user.id, entry) if ctx.user else None
    if att is None:
        return None
    if att.answer == "maybe":
        return ctx._("Your answer was “{before}”, so it is now “{answer}”. If you can come in "
                     "person, please answer “{in_person}” on the meeting's card (/rsvp {id}).",
                     before=texts.label(ctx, "online"), answer=texts.label(ctx, "maybe"),
                     in_person=texts.label(ctx, "in_person"), id=escape(event.id))
    parts = [ctx._("The meeting is now online only, so your answer is now “{answer}”.",
                   answer=texts.label(ctx, att.answer))]
    if att.waiting:
        parts.append(ctx._("Every online place is taken, though: you're on the online waiting "
                           "list, place {n}. I'll tell you at once if a place opens up.",
                           n=att.position))
    elif event.online is not None and "online" not in fields:
        parts.append(private_link(ctx, event) if event.online.private
                     else ctx._("The link to join: {url}", url=escape(event.online.url)))
    return " ".join(part for part in parts if part)


def private_link(ctx: Context, event: Event) -> str:
    """When someone moved online gets the private link: in a moment when it follows this
    notice at once (`private_link_due`: their last reminder's time has come, or the meeting
    has begun), else shortly before the meeting; nothing once it has begun for someone it
    has reached already. At a gathering "begun" is their own first day's start (`spans`)."""
    mine = spans.attended(event, seats.current(seats.answers(ctx), event.id, ctx.user.id))
    day, begun = mine.start != event.start, mine.start_utc <= ctx.now
    if ctx.hooks.private_link_due(ctx, event, ctx.user.id):
        if begun:
            return ctx._("Your day there has begun: you'll get the link to join in a moment.") \
                if day else ctx._("The meeting has begun: you'll get the link to join in a "
                                  "moment.")
        return ctx._("You'll get the link to join in a moment.")
    if begun:
        return ""
    return ctx._("You'll get the link to join shortly before your day there begins.") if day \
        else ctx._("You'll get the link to join shortly before the meeting.")


def tells_move(event: Event, fields: dict[str, Any], entry: dict[str, Any] | None) -> bool:
    """Whether a held move gets its own message after the change notice: not at a cancelled
    meeting, nor when the notice asks the person to choose their days again (it says where
    they stand)."""
    return not (event.cancelled or asks_days(event, fields, entry))


def promoted_after(ctx: Context, event: Event, fields: dict[str, Any],
                   entry: dict[str, Any] | None) -> bool:
    """Whether the change notice is followed by the message that this person has a place
    now, which brings the calendar file: the notice then brings none (one file, with the
    news that the place is theirs)."""
    move = heldback.held_move(ctx, event, ctx.user.id, entry) if entry and ctx.user else None
    return move is not None and move.kind == "promoted" and tells_move(event, fields, entry)


def had_calendar(ctx: Context, event_id: str, entry: dict[str, Any] | None) -> bool:
    """Whether the reader may have the meeting in their calendar: a place or a maybe now, or
    before the edits a pending notice tells (whose demotion it has not told yet). Someone who
    only ever waited was never sent a file, and one demoted earlier got its removal then."""
    doc = seats.answers(ctx).first(event=event_id, user=ctx.user.id) if ctx.user else None
    return (doc is not None and seats.expects(doc)) or bool(
        entry and "before" in entry and seats.expected(heldback.load(event_id, ctx.user.id,
                                                                     entry["before"])))


def describe(ctx: Context, event: Event, fields: dict[str, dict[str, Any]],
             entry: dict[str, Any] | None = None) -> None:
    """The one message about a meeting's changes, in the reader's language, with its files;
    its first line says when the meeting is now (naming the zone of one joined online, once
    for the whole notice); someone whose days all went (`entry`) learns where that leaves
    them. A title or note that reads as before in their language is left out
    (`notices.as_read`)."""
    fields = notices.as_read(fields, ctx.lang)
    title, when = texts.title(ctx, event), texts.when(ctx, event, bracketed=True)
    if fields.get("cancelled", {}).get("after"):
        ctx.reply(ctx._("❌ <b>Cancelled:</b> {title} ({when}). Sorry – this meeting will not "
                        "take place.", title=title, when=when))
        if not had_calendar(ctx, event.id, entry):
            return
        reason = "cancelled"
    else:
        att = seats.current(seats.answers(ctx), event.id, ctx.user.id) \
            if "invite_only" in fields or event.is_multi_day else None
        lines = [ctx._("✏️ <b>Changes to {title}</b> ({when}):", title=title, when=when)]
        lines += [wording.line(ctx, event, f, fields[f]["before"], fields[f]["after"], att)
                  for f in notices.NOTIFIED if f in fields]
        reason = "changed"
        for moved in (conversion_line(ctx, event, fields, entry),
                      ways.dropped_line(ctx, event, entry)):
            if moved is not None:
                lines.append(moved)
                if lost_place(ctx, event, entry):
                    reason = "removed"
        if (last_day := one_day_left(ctx, event, fields, entry)) is not None:
            lines.append(last_day)
        if asks_days(event, fields, entry):
            lines.append(lost_days(ctx, event, gone(event, entry),
                                   bool((entry or {}).get("placed"))))
            if lost_place(ctx, event, entry):
                reason = "removed"
        elif "time" in fields and event.is_multi_day and wording.days_at(event, fields["time"]["before"]) \
                != seats.event_days(event) and (days_line := new_days(ctx, event, att)):
            lines.append(days_line)
        if len(lines) == 1:
            return  # only another language's title or note changed: nothing new for this reader
        ctx.reply("\n".join(lines))
        if all(f in notices.NOT_IN_CALENDAR for f in fields) or (
                reason == "changed" and promoted_after(ctx, event, fields, entry)):
            return
    for document in ctx.hooks.attachments(ctx, event, reason):
        ctx.reply(document=document)


def one_day_left(ctx: Context, event: Event, fields: dict[str, Any],
                 entry: dict[str, Any] | None) -> str | None:
    """For someone whose days all went when a gathering became one day: that their answer
    now holds for that day, which they may not have chosen (someone it left waiting hears
    so right after); None for anyone else."""
    if not fields or fields.get("cancelled", {}).get("after") or event.is_multi_day \
            or not (lost := gone(event, entry)) or ctx.user is None:
        return None
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    if att is None or att.answer == "no" or att.waiting:
        return None
    had = ", ".join(texts.day(ctx, event, d) for d in lost)
    day = texts.day(ctx, event, seats.event_days(event)[0])
    answer = texts.label(ctx, att.answer)
    if (entry or {}).get("placed"):
        return ctx._("None of the days I had put you down for ({had}) is part of the meeting "
                     "any more: it is now on {day} only. Your answer stays “{answer}”; if you "
                     "can't come that day, please answer again on the meeting's card (/rsvp "
                     "{id}).", had=had, day=day, answer=answer, id=escape(event.id))
    return ctx._("None of the days you had chosen ({chosen}) is part of the meeting any more: "
                 "it is now on {day} only. Your answer stays “{answer}”; if you can't come "
                 "that day, please answer again on the meeting's card (/rsvp {id}).",
                 chosen=had, day=day, answer=answer, id=escape(event.id))


def new_days(ctx: Context, event: Event, att: Attendance | None) -> str | None:
    """After a gathering's days changed: the days a place holder is now down for (every day
    when they chose none); someone waiting is asked to check theirs; a maybe holds no days."""
    if att is None or att.answer not in seats.PLACES:
        return None
    if att.waiting:
        return ctx._("The days have changed: please check the days you come on the meeting's "
                     "card (/rsvp {id}).", id=escape(event.id))
    return ctx._("The days have changed: you're down for {days}. Please check your days on the "
                 "meeting's card (/rsvp {id}).", days=texts.days(ctx, event, att),
                 id=escape(event.id))


def lost_place(ctx: Context, event: Event, entry: dict[str, Any] | None) -> bool:
    """Whether the edits took the place this person had before them (they wait now): this
    notice, the only one they get about it, then brings the file that removes the meeting
    from their calendar."""
    if not entry or "before" not in entry:
        return False
    now = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    return seats.expected(heldback.load(event.id, ctx.user.id, entry["before"])) \
        and not seats.expected(now)


def lost_days(ctx: Context, event: Event, lost: list[str], placed: bool = False) -> str:
    """For someone whose days a move took: where they stand now, and to choose again; days
    the bot had put them down for (`placed`) are not called their choice."""
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    had = ", ".join(texts.day(ctx, event, d) for d in lost)
    if att is not None and att.waiting:
        if placed:
            return ctx._("None of the days I had put you down for ({had}) is part of the meeting "
                         "any more, and its new days have no free place: you're on the waiting "
                         "list, place {n}. Please choose your days on the meeting's card (/rsvp "
                         "{id}).", had=had, n=att.position, id=escape(event.id))
        return ctx._("None of the days you had chosen ({chosen}) is part of the meeting any "
                     "more, and its new days have no free place: you're on the waiting list, "
                     "place {n}. Please choose your days on the meeting's card (/rsvp {id}).",
                     chosen=had, n=att.position, id=escape(event.id))
    days = texts.days(ctx, event, att) if att is not None else ""
    if placed:
        return ctx._("None of the days I had put you down for ({had}) is part of the meeting any "
                     "more. For now I've put you down for {days}: please choose your days on "
                     "the meeting's card (/rsvp {id}).", had=had, days=days, id=escape(event.id))
    return ctx._("None of the days you had chosen ({chosen}) is part of the meeting any more. "
                 "For now I've put you down for {days}: please choose your days on the "
                 "meeting's card (/rsvp {id}).", chosen=had, days=days, id=escape(event.id))


def removal(ctx: Context, event: Event, entry: dict[str, Any] | None = None) -> None:
    """The message about a removed meeting, with the calendar cancellation for someone who may
    have it in their calendar (`had_calendar`; `entry`: what a pending notice keeps of them)."""
    ctx.reply(ctx._("❌ <b>{title}</b> ({when}) has been removed from the programme. Sorry – it "
                    "will not take place.", title=texts.title(ctx, event),
                    when=texts.when(ctx, event, bracketed=True)))
    if not had_calendar(ctx, event.id, entry):
        return
    for document in ctx.hooks.attachments(ctx, event, "cancelled"):
        ctx.reply(document=document)
