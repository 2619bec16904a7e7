"""The moderators' queue, a page at a time, in an order that holds while they work through it.

The first page (/moderate ID, 🔄 Refresh, the meeting picker, a nudge's button) ranks the
meeting's questions and, when they need more than a page, keeps that order as a listing
(`data.listings`). **Show more** names the listing and the position after the last card shown
(`questions:more:<listing>:<position>`, short whatever the meeting's id), so whatever happens
between two pages — questions approved, answered, merged, hidden or deleted, votes that change
their rank, a new question — no question is skipped and none is shown twice. Each card shows
the question as it is now; one asked since the first page comes at the end. A listing nobody
has paged through for a day is deleted (`privacy.sweep`); its button then offers the meetings
again.
"""
from __future__ import annotations

from datetime import timedelta

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event
from assistant.text import escape, whole_number
from assistant.types import Button

from . import data, meeting, render

PAGE = 8
LISTING_LIFETIME = timedelta(days=1)
"""How long a listing nobody pages through is kept."""
ORDER = {data.ANSWERING: 0, data.PENDING: 1, data.LIVE: 2, data.ANSWERED: 3, data.HIDDEN: 4}


def first_page(ctx: Context, event: Event) -> None:
    """The header and the first cards; a listing of the whole order when there are more."""
    docs = data.items(ctx).find(event=event.id)
    order = [doc.doc_id for doc in ranked(ctx, docs)]
    ctx.reply(*header(ctx, event, docs))
    _cards(ctx, event, {doc.doc_id: doc for doc in docs}, order, 0, None)


def ranked(ctx: Context, docs: list[Document]) -> list[Document]:
    """The queue's order: the one being answered, the waiting ones, the published ones (most
    upvoted first), answered, hidden, and last the merged ones."""
    return [doc for doc, _count in sorted(data.ranked(ctx, docs), key=lambda p: (
        ORDER.get(p[0]["status"], 9), bool(p[0].get("merged_into"))))]


async def show_more(ctx: Context) -> None:
    """'Show more': the next cards of the listing the first page kept, from where the last
    page stopped; a listing that is gone (a day unused, or a forged id) offers the meetings."""
    listing = data.listing(ctx, ctx.args[0] if ctx.args else "")
    if listing is None:
        ctx.toast(ctx._("This list is out of date."))
        meeting.chooser(ctx, "moderate", "queue", 0)
        return
    event = moderated(ctx, listing["event"])
    if event is None:
        return
    position = whole_number(ctx.args[1], digits=7) if ctx.args[1:2] else None
    if position is None or position > len(listing["ids"]):
        ctx.toast(ctx._("This list is out of date; here it is again from the start."))
        first_page(ctx, event)
        return
    docs = {doc.doc_id: doc for doc in data.items(ctx).find(event=event.id)}
    known = set(listing["ids"])
    order = data.extend_listing(ctx, listing, sorted(
        (doc for doc in docs.values() if doc.doc_id not in known),
        key=lambda doc: data.number(ctx, doc)))
    if not _cards(ctx, event, docs, order, position, listing.doc_id):
        ctx.reply(ctx._("There are no more questions in this list."))


def _cards(ctx: Context, event: Event, docs: dict[int, Document], order: list[int],
           position: int, listing: int | None) -> int:
    """A page of cards from `position` in `order` (skipping questions deleted since), then
    'Show more' for the rest, which names the listing (kept now if it is not yet); how many
    cards."""
    shown = 0
    while position < len(order) and shown < PAGE:
        doc = docs.get(order[position])
        position += 1
        if doc is not None:
            ctx.reply(*render.card(ctx, event, doc))
            shown += 1
    rest = sum(1 for question in order[position:] if question in docs)
    if rest:
        listing = listing or data.keep_listing(ctx, event.id, order)
        ctx.reply(ctx.ngettext("{n} more question.", "{n} more questions.", rest),
                  [[ctx.button(ctx._("Show more"), "more", listing, position)]])
    return shown


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
