"""What the askers of duplicates hear when the question theirs was merged into is deleted (/forget).

A notice that a question was merged quotes the question it went into. When that one is
deleted, its text goes with it (from the outbox too), and its duplicates take its place
(`merges._succeed`): the first stands on its own, the others are merged into it. Each asker
who was quoted the deleted text hears once, in their language, what stands for their
question now; one whose notice had not gone yet gets the notice the merge calls for now
instead (none when their question stands on its own, as if it had never been merged): the
same telling as after an undo or a hide (`notices.retell`). Nobody is told who deleted what,
and nothing quotes the deleted text.
"""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context

from . import data, merges, notices

Told = dict[int, str]
"""Questions whose askers were quoted a question about to be deleted: id → the notice's state
("sent", also when one that reached them was replaced by one that has not yet, or "pending"
and the like when they have not heard of the merge)."""


def quoted(ctx: Context, gone: list[Document]) -> Told:
    """Before `gone` is deleted: the other questions whose merge notice quotes one of them."""
    ids = {doc.doc_id for doc in gone}
    found: Told = {}
    for doc in gone:
        for duplicate in merges.duplicates_of(ctx, doc):
            notice = notices.told(ctx, duplicate)
            if duplicate.doc_id not in ids and notice is not None and notice[1] in ids:
                found[duplicate.doc_id] = ("sent" if notices.heard(duplicate, notice)
                                           else notice[0]["state"])
    return found


def tell(ctx: Context, told: Told) -> None:
    """After the deletion: each asker quoted a deleted question hears what stands for theirs
    (`notices.retell`); once the meeting is over, nobody is told again."""
    programme = ctx.programme
    for question_id, state in told.items():
        doc = data.items(ctx).get(question_id)
        event = programme.event(doc["event"]) if doc is not None and programme else None
        if doc is None:
            ctx.assistant.outbox.erase(f"{ctx.plugin}:merged:{question_id}")
            continue
        notices.retell(ctx, event, doc, state == "sent", "deleted",
                       quiet=event is not None and event.end_utc <= ctx.now)
