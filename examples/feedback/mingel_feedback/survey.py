"""Asking the people who came how a meeting was: the rating, then an optional comment.

One document per person and meeting in `feedback_responses` is created when the
question goes out; its id is what the buttons carry, so a pressed button is checked
against who it was sent to. `feedback_rounds` records that a meeting's question went
out, so it is asked once even after a restart or once the outbox forgot its keys.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assistant.context import Context
from assistant.model import Event, text
from assistant.storage import Table
from assistant.text import escape

RATINGS = (1, 2, 3, 4, 5)
MAX_COMMENT = 1000
ASK_AT, DAYS_AFTER = "MINGEL_FEEDBACK_ASK_AT", "MINGEL_FEEDBACK_DAYS_AFTER"
WINDOW = "MINGEL_FEEDBACK_WINDOW"


def stamp(moment: datetime) -> str:
    """A moment as stored: ISO 8601 in UTC, so stored times compare as strings."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def responses(ctx: Context) -> Table:
    """One per question asked: event, ended, user, asked, rating, comment, answered."""
    return ctx.table("responses", indexes=("event", "user"))


def rounds(ctx: Context) -> Table:
    """One document per meeting whose question went out."""
    return ctx.table("rounds", indexes=("event",))


def due_at(ctx: Context, event: Event) -> datetime:
    """The moment to ask: ASK_AT local time, DAYS_AFTER days after the meeting's last day."""
    last_day = event.end.astimezone(event.timezone).date()
    day = last_day + timedelta(days=ctx.setting(DAYS_AFTER))
    moment = datetime.combine(day, ctx.setting(ASK_AT), tzinfo=event.timezone)
    return max(moment, event.end)


def ask_due(ctx: Context, now: datetime) -> None:
    """Send the question about every meeting whose moment came within WINDOW."""
    programme = ctx.programme
    if programme is None:
        return
    window = ctx.setting(WINDOW)
    latest = timedelta(days=ctx.setting(DAYS_AFTER) + 2) + window
    for event in programme.ended_between(now - latest, now):
        if event.cancelled or rounds(ctx).first(event=event.id) is not None:
            continue
        due = due_at(ctx, event)
        if not due <= now < due + window:
            continue
        people = dict.fromkeys(a.user_id for a in ctx.hooks.attendees(ctx, event) if a.coming)
        asked = sum(ask(ctx, event, user_id, now) for user_id in people)
        rounds(ctx).insert({"event": event.id, "ended": stamp(event.end), "at": stamp(now),
                            "asked": asked})
        ctx.log.info("asked %d participants about %s", asked, event.id)


def ask(ctx: Context, event: Event, user_id: int, now: datetime) -> bool:
    """Queue the question for one participant, once (the outbox key guards restarts too)."""
    table = responses(ctx)
    if table.first(event=event.id, user=user_id) is not None:
        return False
    doc_id = table.insert({"event": event.id, "ended": stamp(event.end), "user": user_id,
                           "asked": stamp(now), "rating": None, "comment": None,
                           "answered": None})

    def build(target: Context) -> None:
        target.reply(question(target, event),
                     [[target.button(str(n), "rate", doc_id, n) for n in RATINGS]])

    if ctx.send_to(user_id, build, key=f"ask:{event.id}:{user_id}"):
        return True
    table.remove(doc_id)
    return False


def question(ctx: Context, event: Event) -> str:
    """The question, in the participant's language. The meeting's title and date stand on
    lines of their own, as on a card: a title that ends in "?" or "!" ("… lära av i
    Sverige?") then needs nothing after it, and reads well whatever it says."""
    title = escape(text(event.title, ctx.lang))
    return "\n".join([
        ctx._("Thank you for taking part!"),
        f"<b>{title}</b>",
        escape(ctx.fmt_event(event).date(event.start)),
        "",
        ctx._("How was it? Tap a rating from 1 (poor) to 5 (excellent)."),
        ctx._("The organisers see ratings and comments without your name."),
    ])


def own_response(ctx: Context) -> Any:
    """The response a button or comment is about, if it exists and was sent to this user."""
    try:
        doc = responses(ctx).get(int(ctx.args[0]))
    except (IndexError, ValueError):
        doc = None
    if doc is None or doc["user"] != ctx.user.id:
        ctx.toast(ctx._("This question is closed."))
        ctx.reply(ctx._("This question is closed, so nothing was saved."))
        return None
    return doc


async def rate_meeting(ctx: Context) -> None:
    """The participant taps a rating; then they may add a comment."""
    doc = own_response(ctx)
    if doc is None:
        return
    rating = ctx.args[1] if len(ctx.args) > 1 else ""
    if rating not in map(str, RATINGS):  # as the buttons write them: "²".isdigit() is True
        ctx.toast(ctx._("This button no longer works."))
        return
    programme = ctx.programme
    event = programme.event(doc["event"]) if programme else None
    if event is None:
        ctx.toast(ctx._("This meeting is no longer in the programme."))
        ctx.edit(ctx._("This meeting is no longer in the programme, so nothing was saved."))
        return
    responses(ctx).update(doc.doc_id, {"rating": int(rating),
                                       "answered": stamp(ctx.now)})
    title = escape(text(event.title, ctx.lang))
    ctx.edit("\n".join([
        ctx._("Thank you! You rated <b>{title}</b> {rating} of 5.", title=title,
              rating=rating),
        "",
        ctx._("Anything you'd like to add? Write it here, or tap Skip."),
    ]), [[ctx.button(ctx._("Skip"), "skip", doc.doc_id)]])
    ctx.expect_text("comment", doc.doc_id)


async def write_comment(ctx: Context) -> None:
    """The participant writes a comment after rating."""
    doc = own_response(ctx)
    if doc is None:
        return
    comment = ctx.text.strip()
    if len(comment) > MAX_COMMENT:
        ctx.expect_text("comment", doc.doc_id)
        ctx.reply(ctx._("That is a little long: please keep it under {limit} characters.",
                        limit=MAX_COMMENT))
        return
    responses(ctx).update(doc.doc_id, {"comment": comment or None,
                                       "answered": stamp(ctx.now)})
    ctx.reply(ctx._("Thank you! Your comment goes to the organisers without your name."))


async def skip_comment(ctx: Context) -> None:
    """The participant does not want to comment."""
    doc = own_response(ctx)
    if doc is None:
        return
    ctx.assistant.users.expect(ctx.user.id, None)
    ctx.edit(ctx._("Thank you for your rating!"))


def trim(ctx: Context, before: datetime) -> None:
    """Delete everything about meetings that ended before `before`."""
    cutoff = stamp(before)
    for table in (responses(ctx), rounds(ctx)):
        for doc in table.all():
            if doc["ended"] < cutoff:
                table.remove(doc.doc_id)


def user_answers(ctx: Context, user_id: int) -> list[dict[str, Any]]:
    """Everything stored about one user, for /mydata."""
    return [{"meeting": d["event"], **ctx.named(d["event"]), "asked": d["asked"], "rating": d["rating"],
             "comment": d["comment"], "answered": d["answered"]}
            for d in responses(ctx).find(user=user_id)]


def forget(ctx: Context, user_id: int) -> None:
    """Delete every response of one user."""
    table = responses(ctx)
    for doc in table.find(user=user_id):
        table.remove(doc.doc_id)
