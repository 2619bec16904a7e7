"""What the askers of duplicates hear when the question theirs was merged into is deleted (/forget).

A notice that a question was merged quotes the question it went into. When that one is
deleted, its text goes with it (from the outbox too), and its duplicates take its place
(`data._succeed`): the first stands on its own, the others are merged into it. Each asker
who was quoted the deleted text hears once, in their language, what stands for their
question now; one whose notice had not gone yet gets the notice the merge calls for now
instead (none when their question stands on its own, as if it had never been merged).
Nobody is told who deleted what, and nothing quotes the deleted text.
"""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event

from . import data, meeting, notices, render

Told = dict[int, str]
"""Questions whose askers were quoted a question about to be deleted: id → the notice's state
("sent", also when one that reached them was replaced by one that has not yet, or "pending"
and the like when they have not heard of the merge)."""


def quoted(ctx: Context, gone: list[Document]) -> Told:
    """Before `gone` is deleted: the other questions whose merge notice quotes one of them."""
    ids = {doc.doc_id for doc in gone}
    found: Told = {}
    for doc in gone:
        for duplicate in data.duplicates_of(ctx, doc):
            notice = notices.told(ctx, duplicate)
            if duplicate.doc_id not in ids and notice is not None and notice[1] in ids:
                found[duplicate.doc_id] = ("sent" if notices.heard(duplicate, notice)
                                           else notice[0]["state"])
    return found


def tell(ctx: Context, told: Told) -> None:
    """After the deletion: each asker quoted a deleted question hears what stands for theirs."""
    programme = ctx.programme
    for question_id, state in told.items():
        ctx.assistant.outbox.erase(f"{ctx.plugin}:merged:{question_id}")
        doc = data.items(ctx).get(question_id)
        event = programme.event(doc["event"]) if doc is not None and programme else None
        if doc is None or event is None:
            continue
        stands = data.standing(ctx, doc)
        if state != "sent":
            if stands.doc_id != doc.doc_id:
                notices.merged(ctx, event, doc, stands, key=f"merged:{doc.doc_id}:{stands.doc_id}")
            continue
        # The notice that reached them is gone; until its successor does, remember that they
        # believe their question merged, so that an undo or a further /forget still tells them.
        data.items(ctx).update(question_id, {"merge_heard": stands.doc_id != doc.doc_id or None})
        if event.end_utc > ctx.now:  # after the meeting it no longer matters to them
            _stands(ctx, event, doc, stands)


def _stands(ctx: Context, event: Event, doc: Document, stands: Document) -> None:
    """Tell an asker, who was told which question theirs was merged with, that it was deleted
    and what stands for theirs now: itself, listed on its own again (or waiting for approval on
    its own), another similar one, or one they asked too (which no vote of theirs can back).
    One still waiting for approval is not quoted: nobody but the moderators has read it. The
    notice about another is their merge notice from now on (`notices.told`)."""
    user_id = doc.get("user")
    if user_id is None:
        return
    alone = stands.doc_id == doc.doc_id
    waiting = stands["status"] == data.PENDING

    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        quoted = stands
        last = (target._("It has already been answered.") if stands["status"] == data.ANSWERED
                else target._("I'll tell you when it has been answered."))
        if alone:
            heading = (target._("Your question at {title} had been merged with a question that "
                                "has since been deleted, so yours waits for a moderator's "
                                "approval on its own again:", title=title) if waiting else
                       target._("Your question at {title} had been merged with a question that "
                                "has since been deleted, so yours is listed on its own again:",
                                title=title))
        elif stands.get("user") == user_id:
            heading = target._("Your question at {title} had been merged with a question that "
                               "has since been deleted. It is now merged with a similar question "
                               "you also asked:", title=title)
        elif waiting:
            heading, last = notices.unpublished(target, title, stands, deleted=True)
            quoted = doc
        else:
            heading = target._("Your question at {title} had been merged with a question that "
                               "has since been deleted. Your vote now counts for this similar "
                               "one:", title=title)
        target.reply("\n".join([heading, "", render.clipped(quoted["text"]), "", last]))
    key = f"alone:{doc.doc_id}" if alone else f"merged:{doc.doc_id}:{stands.doc_id}"
    ctx.assistant.outbox.erase(f"{ctx.plugin}:{key}")
    ctx.send_to(user_id, build, key=key)
