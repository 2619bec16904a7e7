"""The questions plugin's tables: questions, votes, followers, drafts and per-meeting settings.

Every rule about stored data lives here, so that a handler cannot bypass it: one vote
per person per question (checked and written without an await in between), no vote on
one's own question, merges that move votes, and the ranking everyone sees.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from tinydb.table import Document

from assistant.context import Context
from assistant.storage import Table
from assistant.text import escape, units
from assistant.types import User

MAX_LENGTH = 1000
"""Characters as a reader counts them (`length`): what participants are told."""
MAX_UNITS = 3000
"""UTF-16 units of the escaped text, as Telegram counts them: the most a question takes in a
message, so that it always fits one (4096) with the lines around it."""
PENDING, LIVE, ANSWERING, ANSWERED, HIDDEN = "pending", "live", "answering", "answered", "hidden"
STATUSES = (PENDING, LIVE, ANSWERING, ANSWERED, HIDDEN)
PUBLISHED = (LIVE, ANSWERING, ANSWERED)
VOTABLE = (LIVE, ANSWERING)
_WORDS = re.compile(r"\w+")
_KEYCAP = re.compile("[#*0-9]\ufe0f?\u20e3")
"""A keycap emoji (#️⃣, *️⃣, 1️⃣): a digit, # or * in a key's frame."""


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


def clean(text: str) -> str:
    """The text as it will be stored: unified line ends, no surrounding blanks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise(text: str) -> str:
    """The comparable form of a question: case, spacing and punctuation do not matter (a
    question without words, emoji only, is compared by what it shows)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORDS.findall(folded)) or visible(folded)


_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols that show nothing (Hangul fillers, the blank Braille pattern)."""


def _extends(char: str) -> bool:
    """Whether the character belongs to the one before it on screen: a combining mark, a
    variation selector, a skin tone, an emoji tag."""
    code = ord(char)
    return (0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F
            or 0xE0100 <= code <= 0xE01EF or unicodedata.category(char)[0] == "M")


def _shows(char: str) -> bool:
    """Whether the character says something on its own: a letter, a digit, a symbol or an
    emoji (one newer than Python's tables too), not blanks, invisible marks or punctuation."""
    category = unicodedata.category(char)
    return ((category[0] in "LNS" or category == "Cn") and char not in _BLANKS
            and not _extends(char))


def _showing(text: str) -> Iterator[str]:
    return (c for i, c in enumerate(text) if _shows(c) or _KEYCAP.match(text, i))


def visible(text: str) -> str:
    """The characters that show something, the # or * of a keycap emoji among them."""
    return "".join(_showing(text))


def length(text: str) -> int:
    """Characters as a reader counts them (about Unicode's grapheme clusters, without a
    dependency): an emoji family joined by ZWJ, a flag, a skin tone or an accent is one."""
    if not text or max(text) < "\u0300":
        return len(text)  # below the combining marks every character stands alone
    count = 0
    joined = flag = False
    for char in text:
        if char == "\u200d":
            joined = True
        elif joined or _extends(char):
            joined = False
        elif "\U0001f1e6" <= char <= "\U0001f1ff" and flag:
            flag = False
        else:
            flag = "\U0001f1e6" <= char <= "\U0001f1ff"
            count += 1
    return count


def problem(ctx: Context, event_id: str, user_id: int, text: str) -> str | None:
    """Why this text can't be asked ('empty', 'long', 'wide', 'repeated'), or None: 'wide'
    when it is short to read but would not fit a message (emoji made of many parts)."""
    if next(_showing(text), None) is None:
        return "empty"
    if length(text) > MAX_LENGTH:
        return "long"
    if units(escape(text)) > MAX_UNITS:
        return "wide"
    if items(ctx).first(event=event_id, user=user_id, norm=normalise(text)):
        return "repeated"
    return None


def add_question(ctx: Context, event_id: str, user: User, text: str, anonymous: bool,
                 status: str) -> int:
    """Store a new question with the meeting's next number, never one given before (the
    meeting keeps the last number it gave, so a deleted question's number is not reused)."""
    number = 1 + max(last_number(ctx, event_id), *numbers(ctx, event_id).values(), 0)
    set_meeting(ctx, event_id, last_number=number)
    return items(ctx).insert({
        "event": event_id, "number": number, "user": user.id, "name": user.full_name,
        "username": user.username, "text": text, "norm": normalise(text),
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


def save_draft(ctx: Context, event_id: str, user_id: int, text: str) -> int:
    """Keep the typed question until the user chooses how to send it: one draft per user and
    meeting, so that the buttons under a question typed for another meeting still work."""
    for old in drafts(ctx).find(user=user_id, event=event_id):
        drafts(ctx).remove(old.doc_id)
    return drafts(ctx).insert({"event": event_id, "user": user_id, "text": text,
                               "at": stamp(ctx)})


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
