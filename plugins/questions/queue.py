"""The moderators' queue, a page at a time, in an order that holds while they work through it.

The first page (/moderate ID, 🔄 Refresh, the meeting picker, a nudge's button) ranks the
meeting's questions; **Show more** (`questions:more:<listing>:<position>`, short whatever the
meeting's id) continues that order from the card after the last one shown, as `paging.py` keeps
it for the participants' list too: no question skipped, none shown twice, each card as the
question is now, one asked since at the end.
"""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event
from assistant.text import escape
from assistant.types import Button

from . import data, meeting, paging, render

PAGE = 8
ORDER = {data.ANSWERING: 0, data.PENDING: 1, data.LIVE: 2, data.ANSWERED: 3, data.HIDDEN: 4}


def first_page(ctx: Context, event: Event) -> None:
    """The header and the first cards; a listing of the whole order when there are more."""
    docs = data.items(ctx).find(event=event.id)
    ctx.reply(*header(ctx, event, docs))
    _cards(ctx, event, paging.fresh(event.id, paging.QUEUE, ranked(ctx, docs)), 0)


def ranked(ctx: Context, docs: list[Document]) -> list[Document]:
    """The queue's order: the one being answered, the waiting ones, the published ones (most
    upvoted first), answered, hidden, and last the merged ones."""
    return [doc for doc, _count in sorted(data.ranked(ctx, docs), key=lambda p: (
        ORDER.get(p[0]["status"], 9), bool(p[0].get("merged_into"))))]


async def show_more(ctx: Context) -> None:
    """'Show more': the next cards of the listing the first page kept, from where the last
    page stopped (a button out of date or forged gets `paging.resume`'s answer)."""
    found = paging.resume(ctx, paging.QUEUE, ctx.args, moderated, first_page)
    if found is None:
        return
    listing, event, (position, _end) = found
    if not _cards(ctx, event, listing, position):
        ctx.reply(ctx._("There are no more questions in this list."))


def _cards(ctx: Context, event: Event, listing: paging.Listing, position: int) -> int:
    """A page of cards from `position` in the listing (passing over questions deleted since),
    then 'Show more' for the rest, which names the listing (kept now if it is not yet); how
    many cards."""
    around = paging.layout(listing, (position, None), lambda positions: [
        positions[n:n + PAGE] for n in range(0, len(positions), PAGE)])
    for shown in around.page:
        ctx.reply(*render.card(ctx, event, listing.questions[listing.ids[shown]]))
    if rest := sum(len(page) for page in around.later):
        ctx.reply(ctx.ngettext("{n} more question.", "{n} more questions.", rest),
                  [[ctx.button(ctx._("Show more"), "more", paging.keep(ctx, listing),
                               around.page[-1] + 1)]])
    return len(around.page)


def header(ctx: Context, event: Event, docs: list[Document]) -> tuple[str, list[list[Button]]]:
    """The meeting, its mode, its counts and closing time, with the meeting-wide buttons."""
    heading = ctx._("Moderating the questions for {title}", title=meeting.title(ctx, event))
    mode = meeting.mode(ctx, event)
    count = {s: sum(1 for d in docs if d["status"] == s) for s in data.STATUSES}
    when = ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None)
    lines = [f"<b>{heading}</b>", escape(when), "",
             ctx._("Mode: live – questions are published at once.") if mode == "live"
             else ctx._("Mode: approval – questions are published when a moderator approves "
                        "them."),
             ctx._("Waiting: {pending} · published: {published} · hidden: {hidden}",
                   pending=count[data.PENDING], hidden=count[data.HIDDEN],
                   published=sum(count[s] for s in data.PUBLISHED)),
             escape(meeting.why_closed(ctx, event) or ctx._(
                 "Questions close on {when}.",
                 when=meeting.moment(ctx, event, meeting.close_at(ctx, event))))]
    if not docs:
        lines += ["", ctx._("No questions yet.")]
    switch = (ctx.button(ctx._("Switch to approval mode"), "mode", event.id, "approval")
              if mode == "live" else ctx.button(ctx._("Switch to live mode"), "mode", event.id, "live"))
    return "\n".join(lines), [[switch], [ctx.button(ctx._("📄 CSV"), "csv", event.id),
                                         ctx.button(ctx._("🔄 Refresh"), "queue", event.id, 0)]]


def moderated(ctx: Context, event_id: str) -> Event | None:
    """The meeting a moderator button names, if this user moderates it."""
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(ctx.unknown_meeting(event_id))
        return None
    if not meeting.may_moderate(ctx, event):
        ctx.toast(refusal(ctx))
        return None
    return event


def refusal(ctx: Context) -> str:
    """Why someone who does not moderate this meeting's networks can't."""
    return ctx._("Sorry, only the moderators of this meeting's networks can do that.")
