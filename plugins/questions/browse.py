"""Reading the questions: the ranked list, upvotes, following a meeting, the CSV in chat."""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event

from . import data, export, meeting, render


async def questions_command(ctx: Context) -> None:
    """/questions ID [csv]: the published questions, or the CSV for moderators."""
    if not ctx.args:
        meeting.chooser(ctx, "list", "list", 0)
        return
    event = ctx.event(ctx.args[0])
    if event is None:
        meeting.not_found(ctx, ctx.args[0])
        return
    if ctx.args[1:2] and ctx.args[1].lower() == "csv":
        _send_csv(ctx, event)
        return
    ctx.reply(*render.question_list(ctx, event, 0))


async def show_list(ctx: Context) -> None:
    """The list button, and paging through it."""
    event = _event(ctx)
    if event is not None:
        ctx.edit(*render.question_list(ctx, event, _page(ctx, 1)))


async def upvote(ctx: Context) -> None:
    """👍 on a question: count one vote (pressing a stale button twice counts once)."""
    doc, event = _votable(ctx)
    if doc is None or event is None:
        return
    if doc.get("user") == ctx.user.id:
        ctx.toast(ctx._("That's your own question – you can't upvote it, but others can."))
        return
    if data.add_vote(ctx, doc, ctx.user.id):
        ctx.toast(ctx._("Thanks, your vote is counted."))
    ctx.edit(*render.question_list(ctx, event, _page(ctx, 1)))


async def unvote(ctx: Context) -> None:
    """👍 ✓ on a question: take the vote back."""
    doc, event = _votable(ctx)
    if doc is None or event is None:
        return
    if data.remove_vote(ctx, doc.doc_id, ctx.user.id):
        ctx.toast(ctx._("Your vote is taken back."))
    ctx.edit(*render.question_list(ctx, event, _page(ctx, 1)))


def _votable(ctx: Context) -> tuple[Document | None, Event | None]:
    """The question a vote button names, if this user may vote on it now."""
    doc = data.question(ctx, ctx.args[0] if ctx.args else "")
    event = ctx.event(doc["event"]) if doc else None
    if doc is None or event is None or doc["status"] not in data.PUBLISHED:
        ctx.toast(ctx._("This question can't be voted on."))
        return None, None
    if doc["status"] not in data.VOTABLE:
        ctx.toast(ctx._("This question has already been answered."))
        return None, None
    reason = meeting.why_closed(ctx, event)
    if reason:
        ctx.toast(reason)
        return None, None
    return doc, event


async def follow(ctx: Context) -> None:
    """🔔 Follow questions: a notice whenever the moderator takes up a question."""
    event = _event(ctx)
    if event is not None:
        data.follow(ctx, event.id, ctx.user.id, True)
        ctx.toast(ctx._("I'll tell you when a question is being answered."))
        ctx.edit(*render.question_list(ctx, event, _page(ctx, 1)))


async def unfollow(ctx: Context) -> None:
    """🔕 Stop following."""
    event = _event(ctx)
    if event is not None:
        data.follow(ctx, event.id, ctx.user.id, False)
        ctx.toast(ctx._("No more notices about this meeting's questions."))
        ctx.edit(*render.question_list(ctx, event, _page(ctx, 1)))


async def press_csv(ctx: Context) -> None:
    """The moderators' CSV button."""
    event = _event(ctx)
    if event is not None:
        _send_csv(ctx, event)


def _send_csv(ctx: Context, event: Event) -> None:
    """The CSV as a file in chat, for the meeting's moderators only."""
    if not meeting.may_moderate(ctx, event):
        ctx.toast(ctx._("Sorry, only the meeting's moderators can do that."))
        ctx.reply(ctx._("Sorry, only the meeting's moderators can do that."))
        return
    ctx.reply(document=export.questions_csv(ctx, event))
    ctx.audit("csv", event.id, event=event.id)


def _event(ctx: Context) -> Event | None:
    """The meeting a button names, or a short explanation."""
    event_id = ctx.args[0] if ctx.args else ""
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(ctx.unknown_meeting(event_id))
    return event


def _page(ctx: Context, position: int) -> int:
    try:
        return int(ctx.args[position])
    except (IndexError, ValueError):
        return 0
