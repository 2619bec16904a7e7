"""Duplicate questions: merges that move votes, their undo, and what a hidden or deleted
question leaves to the questions merged into it.

A merge hides the duplicate and gives the target copies of its votes that name the
duplicates they came through (`via`), so that an undo takes off exactly those; nobody's
support counts twice and none is lost.
"""
from __future__ import annotations

from tinydb.table import Document

from assistant.context import Context

from .data import (
    ANSWERING,
    HIDDEN,
    LIVE,
    PENDING,
    items,
    last_number,
    meeting,
    number,
    set_meeting,
    stamp,
    votes,
)


def merge(ctx: Context, duplicate: Document, target: Document, was: str | None = None) -> None:
    """Hide the duplicate; its votes (and its asker's support) count for the target. They stay
    on the hidden duplicate, where they count nowhere, and the target gets copies that name
    the duplicates they came through (`via`), so that an undo takes off exactly those. `was`
    is the status an undo gives back (by default the one it has now)."""
    backing = [(v["user"], v.get("via", [])) for v in votes(ctx).find(question=duplicate.doc_id)]
    if duplicate.get("user") is not None:
        backing.append((duplicate["user"], []))
    for user_id, via in backing:
        if user_id != target.get("user"):
            votes(ctx).insert({"question": target.doc_id, "event": target["event"],
                               "user": user_id, "at": stamp(ctx),
                               "via": [*via, duplicate.doc_id]})
    items(ctx).update(duplicate.doc_id, {"status": HIDDEN, "merged_into": target.doc_id,
                                         "merged_status": was or duplicate["status"],
                                         "votes_kept": True})


def undoable(doc: Document) -> bool:
    """Whether a merge can be undone: one made before the duplicate kept its votes moved them,
    and they can no longer be told apart from the target's own."""
    return bool(doc.get("merged_into")) and bool(doc.get("votes_kept"))


def unmerge(ctx: Context, duplicate: Document) -> None:
    """Undo a merge (a moderator's mistake): the copies of the duplicate's votes go, wherever
    later merges carried them, and the duplicate is listed again with its own votes and
    status (one being answered comes back live: another may be now)."""
    _take_back(ctx, duplicate, [])
    status = before_merge(ctx, duplicate)
    items(ctx).update(duplicate.doc_id, {"merged_into": None, "merged_status": None,
                                         "votes_kept": None, "merge_heard": None,
                                         "status": LIVE if status == ANSWERING else status})


def release(ctx: Context, hidden: Document) -> list[Document]:
    """A question a moderator hid stands for nothing: the questions merged into it are listed
    on their own again, waiting for a moderator's decision, each with its own votes and the
    copies of those merged into it in turn (their copies on the hidden one go; one merged by an
    earlier version, which moved its votes there, gets them back). The hidden question keeps
    only its own, so approving it again counts nobody twice. Returns the duplicates as they
    were (what their askers were told depends on it, `notices.unmerged`)."""
    duplicates = sorted(items(ctx).find(event=hidden["event"], merged_into=hidden.doc_id),
                        key=lambda d: number(ctx, d))
    for duplicate in duplicates:
        moved = votes(ctx).find(question=hidden.doc_id)
        _take_back(ctx, duplicate, moved)
        for vote in moved if not duplicate.get("votes_kept") else ():
            if duplicate.doc_id in vote.get("from", ()):
                rest = [q for q in vote["from"] if q != duplicate.doc_id]
                if rest or vote.get("own"):
                    votes(ctx).update(vote.doc_id, {"from": rest})
                else:
                    votes(ctx).remove(vote.doc_id)
        items(ctx).update(duplicate.doc_id, {"merged_into": None, "merged_status": None,
                                             "votes_kept": None, "merge_heard": None,
                                             "status": PENDING})
    return duplicates


def _take_back(ctx: Context, duplicate: Document, given: list[Document]) -> None:
    """The duplicate's votes count for itself alone again: their copies go, wherever later
    merges carried them. A duplicate merged before it kept its votes has them rebuilt from
    those moved to its target (`given`; each remembers the duplicates it came from, `from`)."""
    if not duplicate.get("votes_kept"):
        for vote in given:
            if duplicate.doc_id in vote.get("from", []) and vote["user"] != duplicate.get("user"):
                votes(ctx).insert({"question": duplicate.doc_id, "event": duplicate["event"],
                                   "user": vote["user"], "at": vote["at"]})
        return
    for vote in votes(ctx).find(event=duplicate["event"]):
        if duplicate.doc_id in vote.get("via", ()):
            votes(ctx).remove(vote.doc_id)


def before_merge(ctx: Context, duplicate: Document) -> str:
    """A merged question's status before the merge. A merge stored before the status was kept
    says published in a live meeting, where it was published at once, else waiting."""
    return duplicate.get("merged_status") or (LIVE if _live(ctx, duplicate["event"])
                                              else PENDING)


def _live(ctx: Context, event_id: str) -> bool:
    """Whether the meeting's questions are published at once (the moderators' choice, else
    the programme's)."""
    chosen = meeting(ctx, event_id).get("mode")
    if chosen in ("live", "approval"):
        return chosen == "live"
    event = ctx.programme.event(event_id) if ctx.programme else None
    return event is not None and event.question_mode == "live"


def delete_question(ctx: Context, doc: Document) -> None:
    """Delete a question for good (/forget): its votes and the notices to others that quote
    it. Its duplicates lose no ground: the first of them takes its place (`_succeed`; what
    their askers are told is `heirs.py`'s, after all of a user's questions are gone). The
    meeting keeps its number, so no other question is renumbered and none gets it again."""
    doc = items(ctx).get(doc.doc_id) or doc  # as it is now: it may have just taken a place
    if (given := number(ctx, doc)) > last_number(ctx, doc["event"]):
        set_meeting(ctx, doc["event"], last_number=given)
    given_votes = votes(ctx).find(question=doc.doc_id)
    outbox = ctx.assistant.outbox
    for kind in ("answering", "answered"):
        outbox.erase(f"{ctx.plugin}:{kind}:{doc.doc_id}")
    duplicates = sorted(items(ctx).find(merged_into=doc.doc_id), key=lambda d: number(ctx, d))
    for duplicate in duplicates:
        outbox.erase(f"{ctx.plugin}:merged:{duplicate.doc_id}")
        _take_back(ctx, duplicate, given_votes)
    for vote in votes(ctx).find(question=doc.doc_id):
        votes(ctx).remove(vote.doc_id)
    items(ctx).remove(doc.doc_id)
    if duplicates:
        _succeed(ctx, doc, duplicates)


def _succeed(ctx: Context, gone: Document, duplicates: list[Document]) -> None:
    """A deleted question's duplicates say what it said, so the first of them (by number)
    takes its place and state, with its own votes: answered stays answered, published stays
    published, merged on stays merged there. The others are merged into it instead."""
    heir, *others = duplicates
    items(ctx).update(heir.doc_id, {"status": gone["status"],
                                    "answered_at": gone.get("answered_at"),
                                    "merged_into": None, "merged_status": None,
                                    "votes_kept": None, "merge_heard": None})
    heir = items(ctx).get(heir.doc_id)
    for other in others:
        merge(ctx, items(ctx).get(other.doc_id), heir, was=before_merge(ctx, other))
    onward = items(ctx).get(gone["merged_into"]) if gone.get("merged_into") else None
    if onward is not None:
        merge(ctx, items(ctx).get(heir.doc_id), onward, was=before_merge(ctx, gone))


def standing(ctx: Context, doc: Document) -> Document:
    """The question that stands for this one: itself, or the end of the merges it went
    through."""
    seen = {doc.doc_id}
    while doc.get("merged_into") and (onward := items(ctx).get(doc["merged_into"])) is not None \
            and onward.doc_id not in seen:
        seen.add(onward.doc_id)
        doc = onward
    return doc


def duplicates_of(ctx: Context, target: Document) -> list[Document]:
    """The questions merged into this one, also through others merged into it since."""
    found: dict[int, Document] = {}
    frontier = [target.doc_id]
    while frontier:
        merged = [d for t in frontier
                  for d in items(ctx).find(event=target["event"], merged_into=t)
                  if d.doc_id not in found and d.doc_id != target.doc_id]
        found.update((d.doc_id, d) for d in merged)
        frontier = [d.doc_id for d in merged]
    return sorted(found.values(), key=lambda d: number(ctx, d))
