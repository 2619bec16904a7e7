"""Reading the questions: the ranked list, upvotes, following a meeting, the CSV in chat."""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event

from . import data, export, meeting, paging, render


async def questions_command(ctx: Context) -> None:
    """/questions ID [csv]: the published questions, or the CSV for moderators; /questions DAY
    (`/frågor 2 sep`): the picker of that day's meetings."""
    if not ctx.args:
        meeting.chooser(ctx, "list")
        return
    event = ctx.event(ctx.args[0])
    if event is None:
        if not meeting.day_chooser(ctx, "list"):
            meeting.not_found(ctx, ctx.args[0])
        return
    if ctx.args[1:2] and ctx.args[1].lower() == "csv":
        _send_csv(ctx, event)
        return
    ctx.reply(*render.question_list(ctx, event))


async def show_list(ctx: Context) -> None:
    """The list button (a card's, a notice's, the meeting picker's): the first page, ranked now.
    A page number is a paging button of a version that ranked every page anew: out of date."""
    event = _event(ctx)
    if event is not None:
        if ctx.args[1:2] not in ([], ["0"]):
            paging.restart(ctx)
        _first(ctx, event)


async def show_page(ctx: Context) -> None:
    """◀ Previous / Next ▶: a page of the order the first page kept (`paging`)."""
    found = paging.resume(ctx, paging.LIST, ctx.args, _seen, _first)
    if found is not None:
        listing, event, where = found
        ctx.edit(*render.question_list(ctx, event, listing, where))


def _seen(ctx: Context, event_id: str) -> Event | None:
    """The meeting of a listing (`paging.resume` has checked that this user may see it)."""
    return ctx.event(event_id)


def _first(ctx: Context, event: Event) -> None:
    """The first page, ranked now, in place of the one pressed."""
    ctx.edit(*render.question_list(ctx, event))


async def upvote(ctx: Context) -> None:
    """👍 on a question: count one vote (pressing a stale button twice counts once)."""
    doc, event = _votable(ctx)
    if doc is None or event is None:
        return
    if doc.get("user") == ctx.user.id:
        ctx.toast(ctx._("That's your own question – you can't upvote it, but others can."))
        return
    _again(ctx, event, ctx._("Thanks, your vote is counted.")
           if data.add_vote(ctx, doc, ctx.user.id) else None)


async def unvote(ctx: Context) -> None:
    """👍 ✓ on a question: take the vote back."""
    doc, event = _votable(ctx)
    if doc is None or event is None:
        return
    _again(ctx, event, ctx._("Your vote is taken back.")
           if data.remove_vote(ctx, doc.doc_id, ctx.user.id) else None)


def _again(ctx: Context, event: Event, toast: str | None) -> None:
    """After a vote: the page it was cast on again, in the order it showed (a vote button names
    the listing and the page's place, `questions:up:<question>:<listing>:<start>[:<end>]`), or the
    first page ranked now when the list had one page (or the button is of a version that paged
    by page number). A listing gone or forged shows the first page, saying so unless the vote
    has something to say."""
    view = ctx.args[1:]
    found = paging.reopen(ctx, paging.LIST, event.id, view) if len(view) in (2, 3) else None
    if found is None and view not in ([], ["0"]):
        toast = toast or ctx._("This list is out of date; here it is again from the start.")
    if toast:
        ctx.toast(toast)
    ctx.edit(*render.question_list(ctx, event, *(found or ())))


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
    _follow(ctx, True, ctx._("I'll tell you when a question is being answered."))


async def unfollow(ctx: Context) -> None:
    """🔕 Stop following."""
    _follow(ctx, False, ctx._("No more notices about this meeting's questions."))


def _follow(ctx: Context, on: bool, told: str) -> None:
    """Start or stop following, then show the same page again: `<meeting>` on a list of one
    page (`<meeting>:<page>` of a version that paged by number: its first page),
    `-:<listing>:<start>[:<end>]` on a page of a kept listing (the meeting is the listing's)."""
    found = None
    if ctx.args[:1] == ["-"]:
        found = paging.resume(ctx, paging.LIST, ctx.args[1:], _seen, _first)
        if found is None:
            return
        event: Event | None = found[1]
    else:
        event = _event(ctx)
    if event is not None:
        data.follow(ctx, event.id, ctx.user.id, on)
        ctx.toast(told)
        ctx.edit(*render.question_list(ctx, event, *((found[0], found[2]) if found else ())))


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
