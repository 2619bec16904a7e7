"""Messages to people other than the moderator who acted, all through the outbox, each sent once."""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event

from . import data, meeting, render


def now_answering(ctx: Context, event: Event, doc: Document) -> int:
    """Tell everyone following the meeting's questions which one is being answered."""
    sent = 0
    for user_id in data.follower_ids(ctx, event.id):
        if ctx.user and user_id == ctx.user.id:
            continue

        def build(target: Context) -> None:
            title = f"<b>{meeting.title(target, event)}</b>"
            target.reply("\n".join([target._("🎤 Now answering at {title}:", title=title), "",
                                    render.clipped(doc["text"])]),
                         [[target.button(target._("💬 See the questions"), "list", event.id, 0)]])
        sent += ctx.send_to(user_id, build, key=f"answering:{doc.doc_id}:{user_id}")
    return sent


def answered(ctx: Context, event: Event, doc: Document) -> None:
    """Tell the asker (and the askers of merged duplicates) that the question was answered."""
    askers = [doc.get("user"), *data.merged_askers(ctx, doc.doc_id)]
    for user_id in dict.fromkeys(a for a in askers if a is not None):
        if ctx.user and user_id == ctx.user.id:
            continue

        def build(target: Context) -> None:
            title = f"<b>{meeting.title(target, event)}</b>"
            target.reply("\n".join([target._("✅ Your question at {title} has been answered:",
                                             title=title), "", render.clipped(doc["text"])]))
        ctx.send_to(user_id, build, key=f"answered:{doc.doc_id}:{user_id}")


def merged(ctx: Context, event: Event, duplicate: Document, target_doc: Document) -> None:
    """Tell the asker of a duplicate where their question went."""
    user_id = duplicate.get("user")
    if user_id is None or (ctx.user and user_id == ctx.user.id):
        return

    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        target.reply("\n".join([
            target._("Your question at {title} was merged with a similar one:", title=title), "",
            render.clipped(target_doc["text"]), "",
            target._("Your vote now counts for it, and I'll tell you when it has been answered.")]))
    ctx.send_to(user_id, build, key=f"merged:{duplicate.doc_id}")


def unmerged(ctx: Context, event: Event, duplicate: Document) -> None:
    """A merge undone: a notice of it still waiting is dropped, so the asker never hears of
    it; one already sent is put right by a single correction. Either way a later merge tells
    them anew."""
    outbox = ctx.assistant.outbox
    key = f"{ctx.plugin}:merged:{duplicate.doc_id}"
    told = outbox.table.first(key=key)
    outbox.erase(key)
    user_id = duplicate.get("user")
    if told is None or told["state"] != "sent" or user_id is None:
        return
    outbox.erase(f"{ctx.plugin}:unmerged:{duplicate.doc_id}")

    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        target.reply("\n".join([
            target._("Correction: your question at {title} was not merged after all. It is "
                     "listed on its own again:", title=title), "",
            render.clipped(duplicate["text"]), "",
            target._("I'll tell you when it has been answered.")]))
    ctx.send_to(user_id, build, key=f"unmerged:{duplicate.doc_id}")
