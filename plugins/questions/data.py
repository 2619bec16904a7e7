"""The questions plugin's tables: questions, votes, followers, drafts and per-meeting settings.

Every rule about stored data lives here or beside it, so that a handler cannot bypass it:
one vote per person per question (checked and written without an await in between), no
vote on one's own question, merges that move votes (`merges.py`), and the ranking everyone
sees. What a question's text may be is `checks.py`'s.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from tinydb.table import Document

from assistant.context import Context
from assistant.storage import Table
from assistant.text import escape, units
from assistant.types import User

from . import checks

PENDING, LIVE, ANSWERING, ANSWERED, HIDDEN = "pending", "live", "answering", "answered", "hidden"
STATUSES = (PENDING, LIVE, ANSWERING, ANSWERED, HIDDEN)
PUBLISHED = (LIVE, ANSWERING, ANSWERED)
VOTABLE = (LIVE, ANSWERING)


def items(ctx: Context) -> Table:
    """Questions: event, number (per meeting), user, name, text, norm, anonymous, status,
    at, merged_into, merged_status (its status before the merge), votes_kept (the
    merge left its votes on it, so it can be undone) and merge_heard (its asker heard of its
    merge by a notice that a /forget since replaced by one not yet sent, `heirs.tell`)."""
    return ctx.table("items", indexes=("event", "user"))


def votes(ctx: Context) -> Table:
    """Upvotes: question, event, user, at; a copy made by a merge has `via`, the duplicates
    it came through (first the one voted for, then any it was merged on through), and a
    voter may have one of their own and copies. Merges stored before the duplicates kept
    their votes left one vote per voter, with `from` (the duplicates it came from) and
    sometimes `own`, read only to give such a duplicate back on /forget."""
    return ctx.table("votes", indexes=("question", "user", "event"))


def followers(ctx: Context) -> Table:
    """Who wants a notice when a question of a meeting is being answered."""
    return ctx.table("followers", indexes=("event", "user"))


def drafts(ctx: Context) -> Table:
    """A question typed but not yet sent (waiting for named/anonymous)."""
    return ctx.table("drafts", indexes=("user",))


def meetings(ctx: Context) -> Table:
    """Per-meeting choices of the moderators (mode and closing time) and the last number
    given to a question there."""
    return ctx.table("meetings", indexes=("event",))


def nudges(ctx: Context) -> Table:
    """Who was last told that questions of a meeting wait for approval, and when: event, user,
    at (kept for the hour in which they are not told again, see `nudges.py`)."""
    return ctx.table("nudges", indexes=("event", "user"))


def listings(ctx: Context) -> Table:
    """The order of a list of questions as its first page showed it, for the pages after it
    (see `paging.py`): event, kind (`queue`, the moderators', or `list`, the participants';
    none: `queue`), ids (question ids, in order; questions that came since are added at the
    end), at (last used). Question ids only: nothing about who asked or who looked."""
    return ctx.table("listings", indexes=("event",))


def stamp(ctx: Context) -> str:
    """Now, as a sortable UTC text."""
    return stamp_of(ctx.now)


def stamp_of(moment: datetime) -> str:
    """A moment as a sortable UTC text, as `stamp` writes it."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def problem(ctx: Context, event_id: str, user_id: int, text: str) -> str | None:
    """Why this text can't be asked ('empty', 'short', 'long', 'wide', 'repeated'), or None:
    'short' with fewer letters than a question needs, 'wide' when it is short to read but
    would not fit a message (emoji made of many parts)."""
    if next(checks.showing(text), None) is None:
        return "empty"
    if checks.length(text) > checks.MAX_LENGTH:
        return "long"
    if units(escape(text)) > checks.MAX_UNITS:
        return "wide"
    if checks.letters(text) < checks.MIN_LETTERS:
        return "short"
    if items(ctx).first(event=event_id, user=user_id, norm=checks.normalise(text)):
        return "repeated"
    return None


def add_question(ctx: Context, event_id: str, user: User, text: str, anonymous: bool,
                 status: str) -> int:
    """Store a new question with the meeting's next number, never one given before (the
    meeting keeps the last number it gave, so a deleted question's number is not reused;
    questions stored before numbers existed got theirs at start-up, so the meeting's other
    questions are not read: a festival's popular meeting has hundreds)."""
    number = 1 + last_number(ctx, event_id)
    set_meeting(ctx, event_id, last_number=number)
    return items(ctx).insert({
        "event": event_id, "number": number, "user": user.id, "name": user.full_name,
        "username": user.username, "text": text, "norm": checks.normalise(text),
        "anonymous": anonymous, "status": status, "at": stamp(ctx),
        "answered_at": None, "merged_into": None})


def last_number(ctx: Context, event_id: str) -> int:
    """The highest number the meeting ever gave a question (0 before the first)."""
    return int(meeting(ctx, event_id).get("last_number") or 0)


def numbers(ctx: Context, event_id: str) -> dict[int, int]:
    """Each question's number at its meeting (by stored id): the order they were asked in,
    the same for moderators and participants, whatever is hidden, merged or upvoted since.
    Questions stored before numbers existed get theirs here once, written back, so that
    deleting one later does not renumber the others."""
    found: dict[int, int] = {}
    last = 0
    missing: list[int] = []
    for doc in items(ctx).find(event=event_id):
        if doc.get("number"):
            last = doc["number"]
        else:
            last += 1
            missing.append(doc.doc_id)
        found[doc.doc_id] = last
    if missing:
        for doc_id in missing:
            items(ctx).update(doc_id, {"number": found[doc_id]})
        if max(found.values()) > last_number(ctx, event_id):
            set_meeting(ctx, event_id, last_number=max(found.values()))
    return found


def number_all(ctx: Context) -> int:
    """Give every question stored without a number its number (once, at start-up); how
    many were numbered."""
    events = {d["event"] for d in items(ctx).all() if not d.get("number")}
    before = sum(1 for d in items(ctx).all() if not d.get("number"))
    for event_id in sorted(events):
        numbers(ctx, event_id)
    return before


def number(ctx: Context, doc: Document) -> int:
    """One question's number at its meeting."""
    return doc.get("number") or numbers(ctx, doc["event"]).get(doc.doc_id, 0)


def question(ctx: Context, raw_id: str) -> Document | None:
    """The question a button names, or None for garbage."""
    try:
        return items(ctx).get(int(raw_id))
    except (TypeError, ValueError):
        return None


def vote_count(ctx: Context, question_id: int) -> int:
    """Upvotes of one question: the people backing it, each once (a voter may back it
    themselves and through duplicates merged into it)."""
    return len({v["user"] for v in votes(ctx).find(question=question_id)})


def counted_votes(ctx: Context, doc: Document) -> int:
    """The votes a question shows: none while it is merged (they count for the target)."""
    return 0 if doc.get("merged_into") else vote_count(ctx, doc.doc_id)


def has_voted(ctx: Context, question_id: int, user_id: int) -> bool:
    """Whether this user upvoted this question."""
    return votes(ctx).first(question=question_id, user=user_id) is not None


def add_vote(ctx: Context, doc: Document, user_id: int) -> bool:
    """Upvote once; False when it was already counted or is the asker's own."""
    if doc.get("user") == user_id or has_voted(ctx, doc.doc_id, user_id):
        return False
    votes(ctx).insert({"question": doc.doc_id, "event": doc["event"], "user": user_id,
                       "at": stamp(ctx)})
    return True


def remove_vote(ctx: Context, question_id: int, user_id: int) -> bool:
    """Take an upvote back; False when there was none."""
    found = votes(ctx).find(question=question_id, user=user_id)
    for vote in found:
        votes(ctx).remove(vote.doc_id)
    return bool(found)


def set_status(ctx: Context, doc: Document, status: str) -> None:
    """Move a question to a status, remembering when it was answered."""
    fields: dict[str, Any] = {"status": status}
    if status == ANSWERED:
        fields["answered_at"] = stamp(ctx)
    items(ctx).update(doc.doc_id, fields)


def ranked(ctx: Context, docs: Iterable[Document]) -> list[tuple[Document, int]]:
    """Most upvoted first, ties oldest first; answered questions after the open ones."""
    counted = [(doc, counted_votes(ctx, doc)) for doc in docs]
    return sorted(counted, key=lambda p: (p[0]["status"] == ANSWERED, -p[1], p[0]["at"],
                                          p[0].doc_id))


def published(ctx: Context, event_id: str) -> list[tuple[Document, int]]:
    """The questions participants see, ranked."""
    return ranked(ctx, (d for d in items(ctx).find(event=event_id) if d["status"] in PUBLISHED))


def is_following(ctx: Context, event_id: str, user_id: int) -> bool:
    """Whether the user gets 'now answering' notices for this meeting."""
    return followers(ctx).first(event=event_id, user=user_id) is not None


def follow(ctx: Context, event_id: str, user_id: int, on: bool) -> None:
    """Start or stop following a meeting's questions (idempotent)."""
    found = followers(ctx).find(event=event_id, user=user_id)
    if on and not found:
        followers(ctx).insert({"event": event_id, "user": user_id, "at": stamp(ctx)})
    elif not on:
        for doc in found:
            followers(ctx).remove(doc.doc_id)


def follower_ids(ctx: Context, event_id: str) -> list[int]:
    """Everyone following a meeting's questions."""
    return sorted({d["user"] for d in followers(ctx).find(event=event_id)})


def save_draft(ctx: Context, event_id: str, user_id: int, text: str,
               unfinished: bool = False) -> int:
    """Keep the typed question until the user chooses how to send it: one draft per user and
    meeting, so that the buttons under a question typed for another meeting still work;
    `unfinished`, too short to be a question, it waits for the rest."""
    for old in drafts(ctx).find(user=user_id, event=event_id):
        drafts(ctx).remove(old.doc_id)
    return drafts(ctx).insert({"event": event_id, "user": user_id, "text": text,
                               "at": stamp(ctx), **({"unfinished": True} if unfinished else {})})


def undecided(ctx: Context, user_id: int) -> Document | None:
    """The user's question typed before choosing its meeting (`/ask What is …?`), if any."""
    return next(iter(drafts(ctx).find(user=user_id, event="")), None)


def meeting(ctx: Context, event_id: str) -> Mapping[str, Any]:
    """The moderators' stored choices for a meeting (empty when none); every card asks
    twice whether the meeting takes questions, so they are kept until the table changes."""
    table = meetings(ctx)
    memo = table.memo()
    found = memo.get(event_id)
    if found is None:
        doc = table.first(event=event_id)
        found = memo[event_id] = _NONE if doc is None else MappingProxyType(dict(doc))
    return found


_NONE: Mapping[str, Any] = MappingProxyType({})


def set_meeting(ctx: Context, event_id: str, **fields: Any) -> None:
    """Store a moderator's choice for a meeting."""
    doc = meetings(ctx).first(event=event_id)
    if doc is None:
        meetings(ctx).insert({"event": event_id, **fields})
    else:
        meetings(ctx).update(doc.doc_id, fields)


def older_than(table: Table, cutoff: datetime) -> list[Document]:
    """Documents stamped before the cutoff (for retention, on every tick: only those are
    copied, not the festival's thousands of questions)."""
    limit = stamp_of(cutoff)
    return [doc for doc_id, (at,) in table.values(("at",))
            if str(at if at is not None else "") < limit and (doc := table.get(doc_id))]
