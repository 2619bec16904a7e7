"""Lists that keep their order while someone pages through them: the moderators' queue
(`queue.py`) and the participants' list of published questions (`browse.py`).

The first page ranks the questions and, when they need more than one page, keeps that order as
a listing (`data.listings`: the meeting, which list, the question ids in order; nothing about
who asked or who looks, so one listing serves everyone who saw the same order). Every later
page names the listing and a position in it, so whatever happens between two pages — votes that
change the ranking, questions approved, answered, merged, hidden or deleted — no question is
skipped and none is shown twice: each shows as it is now, one deleted or no longer shown on that
list is passed over, and one that came since (asked, or published, since the first page) comes
at the end. A listing nobody has paged through for a day is deleted (`privacy.sweep`); a button
that names one that is gone, or a place that is not in it, says so and offers the way back.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event
from assistant.text import whole_number

from . import data, meeting

QUEUE, LIST = "queue", "list"
"""The moderators' queue (every question) and the participants' list (the published ones)."""
LIFETIME = timedelta(days=1)
"""How long a listing nobody pages through is kept."""
Place = tuple[int, int | None]
"""Where a page is in its listing: from position `start` on, and for a page shown by ◀ Previous
only up to `end` (the start of the page it came from, so that the two never overlap)."""
CHOOSER = {QUEUE: "moderate", LIST: "list"}
"""What a button of a listing that is gone offers: the meetings, one tap from that list."""


@dataclass
class Listing:
    """An order of questions being paged through, with the meeting's questions as they are now;
    `id` once it is stored (a list of one page is not)."""
    event: str
    kind: str
    ids: list[int]
    questions: dict[int, Document]
    id: int | None = None

    def visible(self) -> list[tuple[int, Document]]:
        """The questions this list shows now, with their positions in it."""
        return [(position, doc) for position, question in enumerate(self.ids)
                if (doc := self.questions.get(question)) is not None and shows(self.kind, doc)]


@dataclass
class Pages:
    """A page of a listing and the pages around it, as positions in the listing: those before
    it as they fill pages now (the last of them is ◀ Previous), and those after it."""
    earlier: list[list[int]]
    page: list[int]
    later: list[list[int]]


def layout(listing: Listing, where: Place,
           split: Callable[[list[int]], list[list[int]]]) -> Pages:
    """The page at `where` (from its start, up to its end if bounded, else as far as `split`
    fills one; past its end when nothing before it is left) and the pages around it, of the
    questions the list shows now."""
    start, end = where
    shown = [position for position, _doc in listing.visible()]
    ahead = [position for position in shown if position >= start]
    page = next(iter(split([p for p in ahead if end is None or p < end]) or split(ahead)), [])
    return Pages(split([position for position in shown if position < start]), page,
                 split([position for position in ahead if page and position > page[-1]]))


def shows(kind: str, doc: Document) -> bool:
    """Whether a question belongs on this kind of list now: the queue shows every one, the
    participants' list the published ones."""
    return kind == QUEUE or doc["status"] in data.PUBLISHED


def fresh(event_id: str, kind: str, order: Sequence[Document]) -> Listing:
    """A first page's order, ranked now (not stored until a second page needs it)."""
    return Listing(event_id, kind, [doc.doc_id for doc in order],
                   {doc.doc_id: doc for doc in order})


def stored(ctx: Context, kind: str, raw_id: str) -> Listing | None:
    """The listing a button names, with the questions that came since at its end (by number),
    marked used now; None for garbage, one deleted since, or one of the other kind of list."""
    number = whole_number(raw_id, digits=9)
    doc = data.listings(ctx).get(number) if number is not None else None
    if doc is None or doc.get("kind", QUEUE) != kind:
        return None
    questions = {d.doc_id: d for d in data.items(ctx).find(event=doc["event"])}
    known = set(doc["ids"])
    new = sorted((d for d in questions.values() if d.doc_id not in known and shows(kind, d)),
                 key=lambda d: data.number(ctx, d))
    ids = [*doc["ids"], *(d.doc_id for d in new)]
    data.listings(ctx).update(doc.doc_id, {"ids": ids, "at": data.stamp(ctx)})
    return Listing(doc["event"], kind, ids, questions, doc.doc_id)


def keep(ctx: Context, listing: Listing) -> int:
    """Store a first page's order for the pages after it (the same order stored before is used
    again, so a list shown twice unchanged adds nothing); its id."""
    if listing.id is None:
        for doc in data.listings(ctx).find(event=listing.event):
            if doc.get("kind", QUEUE) == listing.kind and doc["ids"] == listing.ids:
                data.listings(ctx).update(doc.doc_id, {"at": data.stamp(ctx)})
                listing.id = doc.doc_id
                break
        else:
            listing.id = data.listings(ctx).insert({"event": listing.event, "kind": listing.kind,
                                                    "ids": listing.ids, "at": data.stamp(ctx)})
    return listing.id


def place(listing: Listing, args: Sequence[str]) -> Place | None:
    """The place in the listing that a button's `args` (start, and end if bounded) name, or
    None for one that is not there."""
    start = whole_number(args[0], digits=7) if args else None
    end = whole_number(args[1], digits=7) if args[1:2] else None
    if start is None or start > len(listing.ids) or (
            args[1:2] and (end is None or not start <= end <= len(listing.ids))):
        return None
    return start, end


def reopen(ctx: Context, kind: str, event_id: str,
           args: Sequence[str]) -> tuple[Listing, Place] | None:
    """The listing and place a button of a meeting's list names (`args`: listing, start and
    maybe end), or None when it is gone, forged, of another meeting, or the place is not in
    it."""
    listing = stored(ctx, kind, args[0]) if args else None
    if listing is None or listing.event != event_id:
        return None
    found = place(listing, args[1:])
    return (listing, found) if found is not None else None


def resume(ctx: Context, kind: str, args: Sequence[str],
           allowed: Callable[[Context, str], Event | None],
           first: Callable[[Context, Event], None]) -> tuple[Listing, Event, Place] | None:
    """A later page's listing, meeting and place from a button's `args` (listing, start, and
    end if bounded). A listing that is gone (a day unused, or forged), or of a meeting this user
    may not see (an invite-only one, whose id it must not name), says so and offers the
    meetings; one the user may not moderate (`allowed`) is refused there; a place that is not
    in the listing says so and shows the `first` page again."""
    listing = stored(ctx, kind, args[0] if args else "")
    if listing is None or ctx.event(listing.event) is None:  # gone, or not to be named
        ctx.toast(ctx._("This list is out of date."))
        meeting.chooser(ctx, CHOOSER[kind])
        return None
    event = allowed(ctx, listing.event)
    if event is None:
        return None
    found = place(listing, args[1:])
    if found is None:
        restart(ctx)
        first(ctx, event)
        return None
    return listing, event, found


def restart(ctx: Context) -> None:
    """Say that the list a button was part of is out of date, before showing it anew."""
    ctx.toast(ctx._("This list is out of date; here it is again from the start."))
