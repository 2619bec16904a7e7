"""Taking back a question one has sent: a typo, second thoughts, or "ask it better" (withdraw
and ask again), without /forget, which deletes everything. The asker alone may, while the
meeting takes questions and before a moderator takes it up; it is deleted as /forget deletes
it (its votes, the notices that quote it, its duplicates' askers told what stands for theirs).
"""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event
from assistant.text import escape
from assistant.types import Button

from . import data, heirs, meeting, merges, nudges, render


def button(ctx: Context, question_id: int) -> list[Button]:
    """The button under the asker's "Thank you!" message."""
    return [ctx.button(ctx._("🗑 Withdraw my question"), "withdraw", question_id)]


async def press(ctx: Context) -> None:
    """'Withdraw my question' (ask first), 'Yes, withdraw it' or 'No, keep it'."""
    choice = ctx.args[1] if len(ctx.args) > 1 else ""
    doc, event = _own(ctx)
    if doc is None or event is None:
        return
    if choice == "no":
        ctx.edit(ctx._("OK, your question stays."), [[ctx.button(
            ctx._("💬 See the questions"), "list", event.id, 0)]])
        return
    reason = _why_not(ctx, event, doc)
    if reason is not None:
        ctx.edit(escape(reason), [[ctx.button(ctx._("💬 See the questions"), "list", event.id,
                                              0)]])
        return
    if choice != "yes":
        ctx.edit("\n".join([
            ctx._("Withdraw your question for {title}?",
                  title=f"<b>{meeting.title(ctx, event)}</b>"),
            "", render.clipped(doc["text"]), "",
            ctx._("It is deleted for good, with its upvotes. You can ask again afterwards.")]),
            [[ctx.button(ctx._("Yes, withdraw it"), "withdraw", doc.doc_id, "yes"),
              ctx.button(ctx._("No, keep it"), "withdraw", doc.doc_id, "no")]])
        return
    told = heirs.quoted(ctx, [doc])
    merges.delete_question(ctx, doc)
    heirs.tell(ctx, told)
    nudges.count_changed(ctx, event.id)
    ctx.edit(ctx._("Your question for {title} is withdrawn. Ask again with /ask {id}.",
                   title=f"<b>{meeting.title(ctx, event)}</b>", id=escape(event.id)))


def _own(ctx: Context) -> tuple[Document | None, Event | None]:
    """The question a button names, if it is this user's and its meeting is there for them."""
    doc = data.question(ctx, ctx.args[0] if ctx.args else "")
    event = ctx.event(doc["event"]) if doc is not None else None
    if doc is None or doc["user"] != ctx.user.id or event is None:
        ctx.toast(ctx._("This question no longer exists."))
        return None, None
    return doc, event


def _why_not(ctx: Context, event: Event, doc: Document) -> str | None:
    """Why this question can no longer be withdrawn, or None."""
    reason = meeting.why_closed(ctx, event)
    if reason is not None:
        return reason
    if doc.get("merged_into") or doc["status"] not in render.WITHDRAWABLE:
        return ctx._("A moderator has already taken up this question, so it can no longer be "
                     "withdrawn.")
    return None
