"""What organisers and moderators see: the summary of a meeting's feedback and its CSV.

Ratings and comments are shown without names. A moderator sees the meetings of the
networks they moderate, an organiser every meeting; a pressed button is checked again.
"""
from __future__ import annotations

from datetime import datetime

from babel.numbers import format_decimal

from assistant.context import Context
from assistant.model import Event, text
from assistant.sheets import cell, csv_bytes
from assistant.text import escape
from assistant.types import Button, Document

from .survey import RATINGS, WINDOW, due_at, responses, rounds

LISTED = 10
BAR = 10


def may_see(ctx: Context, event: Event) -> bool:
    """Organisers, or a moderator of one of the meeting's networks."""
    return ctx.may("moderator", networks=event.networks)


def find_meeting(ctx: Context, event_id: str) -> Event | None:
    """The meeting, if it exists and this user may see its feedback; else say why not."""
    programme = ctx.programme
    event = programme.event(event_id) if programme else None
    if event is None:
        ctx.toast(ctx._("There is no such meeting."))
        ctx.reply(ctx._("There is no meeting {id}. Send /feedback to choose one.",
                        id=escape(event_id[:64])))
        return None
    if not may_see(ctx, event):
        ctx.toast(ctx._("Sorry, you can't do that."))
        ctx.reply(ctx._("Only organisers and the network's moderators can see this feedback."))
        return None
    return event


def average(ctx: Context, ratings: list[int]) -> str:
    """The mean rating with one decimal, written the reader's way (4,3 in Swedish)."""
    return format_decimal(sum(ratings) / len(ratings), "0.0", locale=ctx.lang)


async def show_feedback(ctx: Context) -> None:
    """/feedback ID shows one meeting; /feedback alone lists the latest meetings."""
    if ctx.args:
        event = find_meeting(ctx, ctx.args[0])
        if event is not None:
            ctx.reply(*summary(ctx, event))
        return
    programme = ctx.programme
    past = [e for e in reversed(programme.events if programme else ())
            if e.end <= ctx.now and not e.cancelled and may_see(ctx, e)][:LISTED]
    if not past:
        ctx.reply(ctx._("No meeting has ended yet, so there is no feedback to show."))
        return
    heading = ctx._("Feedback on the latest meetings")
    lines = [f"<b>{escape(heading)}</b>", ""]
    buttons = []
    for event in past:
        ratings = [d["rating"] for d in responses(ctx).find(event=event.id) if d["rating"]]
        counts = ctx.ngettext("{n} rating", "{n} ratings", len(ratings))
        if ratings:
            counts = ctx._("{ratings}, average {average}", ratings=counts,
                           average=average(ctx, ratings))
        elif (due := not_asked_yet(ctx, event)) is not None:
            fmt = ctx.fmt_event(event)
            counts = ctx._("asked {when}", when=f"{fmt.weekday_date(due)} {fmt.time(due)}")
        label = ctx.meeting_label(event)  # day and time: a festival day has several meetings
        lines.append(f"• {escape(label)}: {counts}")
        try:  # the label shortened as every meeting picker's ("…"), by ctx.button
            buttons.append([ctx.button(label, "show", event.id)])
        except ValueError:
            lines.append(f"  /feedback {escape(event.id)}")
    if note := ctx.times_note(past):  # a meeting joined online: its zone, as on its card
        lines += ["", escape(note)]
    ctx.reply("\n".join(lines), buttons)


async def show_meeting(ctx: Context) -> None:
    """The button of a meeting in the /feedback list."""
    event = find_meeting(ctx, ctx.args[0] if ctx.args else "")
    if event is not None:
        ctx.reply(*summary(ctx, event))


async def download_csv(ctx: Context) -> None:
    """The CSV button under a summary."""
    event = find_meeting(ctx, ctx.args[0] if ctx.args else "")
    if event is not None:
        ctx.reply(document=csv_document(ctx, event))
        ctx.audit("csv", event.id)


def not_asked_yet(ctx: Context, event: Event) -> datetime | None:
    """When the participants get the question, while it is still to go out (the meeting not
    over, or over and its moment not come): None once asked, for a cancelled meeting, and
    once the moment is past its window (nobody will be asked)."""
    if event.cancelled or rounds(ctx).first(event=event.id) is not None:
        return None
    due = due_at(ctx, event)
    return due if ctx.now < due + ctx.setting(WINDOW) else None


def summary(ctx: Context, event: Event) -> tuple[str, list[list[Button]]]:
    """How many were asked and answered, the average, the distribution, the comments; before
    the question went out, when it goes."""
    docs = responses(ctx).find(event=event.id)
    rated = sorted((d for d in docs if d["rating"]), key=lambda d: d["answered"] or "")
    ratings = [d["rating"] for d in rated]
    comments = [" ".join(d["comment"].split()) for d in rated if d["comment"]]
    title = escape(text(event.title, ctx.lang))
    fmt = ctx.fmt_event(event)
    lines = [ctx._("<b>Feedback: {title}</b>", title=title),
             escape(fmt.range(event.start, event.end, zone=event.online is not None)), ""]
    if not docs and (due := not_asked_yet(ctx, event)) is not None:
        when = ctx._("{date} at {time}", date=fmt.date(due), time=fmt.time(due))
        lines.append(ctx._("Nobody has been asked yet: those who come get the question on "
                           "{when}.", when=escape(when)))
        return "\n".join(lines), []
    lines.append(ctx.ngettext("{n} person was asked.", "{n} people were asked.", len(docs)))
    if not ratings:
        lines.append(ctx._("No ratings yet."))
    else:
        lines.append(ctx.ngettext("{n} rating, average {average} of 5.",
                                  "{n} ratings, average {average} of 5.", len(ratings),
                                  average=average(ctx, ratings)))
        top = max(ratings.count(n) for n in RATINGS)
        for n in reversed(RATINGS):
            count = ratings.count(n)
            lines.append(f"{n} ★ {'█' * round(BAR * count / top)} {count}")
    if comments:
        heading = ctx.ngettext("{n} comment", "{n} comments", len(comments))
        lines += ["", f"<b>{escape(heading)}</b>", *(f"• {escape(c)}" for c in comments)]
    buttons = [[ctx.button(ctx._("Download CSV"), "csv", event.id)]] if ratings else []
    return "\n".join(lines), buttons


def csv_document(ctx: Context, event: Event) -> Document:
    """Every rating of the meeting, with its comment, without names."""
    title = text(event.title, ctx.lang)
    date = event.start.date().isoformat()
    rows = [[cell(event.id), cell(title), date, doc["rating"], cell(doc["comment"]),
             doc["answered"]]
            for doc in sorted(responses(ctx).find(event=event.id),
                              key=lambda d: d["answered"] or "") if doc["rating"]]
    header = ["meeting", "title", "date", "rating", "comment", "answered"]
    return Document(f"feedback-{event.id}.csv", csv_bytes(ctx.lang, header, rows), "text/csv",
                    caption=escape(ctx._("Feedback on {title}", title=title)))


def export_csv(ctx: Context, event_id: str) -> Document:
    """`mingel export feedback ID`: the CSV, or LookupError naming the unknown meeting."""
    programme = ctx.programme
    event = programme.event(event_id) if programme else None
    if event is None or (ctx.user is not None and not may_see(ctx, event)):
        raise LookupError(f"no meeting {event_id!r} in the programme")
    ctx.audit("export", event.id)
    return csv_document(ctx, event)
