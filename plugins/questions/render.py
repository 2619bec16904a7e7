"""How questions look: the participants' list (paged within Telegram's limits) and moderator cards.

Question text is always escaped and never wrapped in a tag, so whatever a participant
types arrives exactly as typed and cannot change the message's formatting.
"""
from __future__ import annotations

from datetime import datetime

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event
from assistant.text import escape, units
from assistant.types import Button

from . import checks, data, meeting, merges, paging

WITHDRAWABLE = (data.PENDING, data.LIVE)
"""Waiting for approval or published, not yet being answered (nor answered, hidden, merged):
what the asker may still withdraw."""
MAX_WITHDRAW = 5
"""The most of one's own questions a list offers to withdraw (the latest)."""

PAGE_BUDGET = 3500
PER_PAGE = 10
PER_ROW = 5
CLIP = checks.MAX_UNITS


def asker(ctx: Context, doc: Document, reveal: bool = False) -> str:
    """Who asked, escaped: the name, or 'Anonymous' (with the name for moderators)."""
    if not doc.get("anonymous"):
        return escape(doc.get("name") or "")
    if reveal and doc.get("user") is not None:
        who = doc.get("name") or str(doc["user"])
        if doc.get("username"):
            who = f"{who} @{doc['username']}"
        return ctx._("Anonymous (asked by {name})", name=escape(who))
    return ctx._("Anonymous")


def status_label(ctx: Context, status: str) -> str:
    """A status in words."""
    labels = {data.PENDING: ctx._("Waiting for approval"), data.LIVE: ctx._("Published"),
              data.ANSWERING: ctx._("Now answering"), data.ANSWERED: ctx._("Answered"),
              data.HIDDEN: ctx._("Hidden")}
    return labels.get(status, status)


def when(ctx: Context, event: Event, stamp: str | None) -> str:
    """A stored time in the meeting's zone and the user's language."""
    if not stamp:
        return ""
    return ctx.fmt_event(event).datetime(datetime.fromisoformat(stamp), "short")


def entry(ctx: Context, doc: Document, count: int, over: bool = False) -> str:
    """One question in the participants' list, under the number the moderators see too; once
    the meeting is `over` (ended, its questions closed) nothing is being answered any more, so
    the 🎤 a moderator left on the last question is not shown."""
    head = f"<b>#{data.number(ctx, doc)}</b> · "
    if doc["status"] == data.ANSWERING and not over:
        label = escape(status_label(ctx, data.ANSWERING))
        head += f"🎤 <b>{label}</b> · "
    elif doc["status"] == data.ANSWERED:
        label = escape(status_label(ctx, data.ANSWERED))
        head += f"✅ {label} · "
    head += f"👍 {count} · {asker(ctx, doc)}"
    if ctx.user and doc.get("user") == ctx.user.id:
        head += " " + ctx._("(yours)")
    return f"{head}\n{clipped(doc['text'])}"


def pages(entries: list[str]) -> list[list[int]]:
    """Split entries into pages that fit one message: at most PER_PAGE, and PAGE_BUDGET UTF-16
    units as Telegram counts them."""
    result: list[list[int]] = [[]]
    size = 0
    for n, item in enumerate(entries):
        if result[-1] and (len(result[-1]) >= PER_PAGE or size + units(item) > PAGE_BUDGET):
            result.append([])
            size = 0
        result[-1].append(n)
        size += units(item) + 2
    return result


def question_list(ctx: Context, event: Event, listing: paging.Listing | None = None,
                  where: paging.Place = (0, None)) -> tuple[str, list[list[Button]]]:
    """A page of the published questions of a meeting: the first ranked now (most upvoted
    first), or a page of the order a first page kept (`paging`), from `where`. Pages before it
    are numbered as the questions before it fill them now, so ◀ Previous shows the last of
    them, up to where this one starts. For a meeting that takes no questions only that, with
    nothing to follow (but a way to stop following for someone who followed it while it took
    them)."""
    if listing is None:
        listing = paging.fresh(event.id, paging.LIST,
                               [doc for doc, _count in data.published(ctx, event.id)])
    shown = listing.visible()
    open_now = meeting.is_open(ctx, event)
    over = not open_now and ctx.now >= event.end_utc
    entries = {position: entry(ctx, doc, data.counted_votes(ctx, doc), over)
               for position, doc in shown}
    around = paging.layout(listing, where, lambda positions: [
        [positions[n] for n in chunk] for chunk in pages([entries[p] for p in positions])
        if chunk])
    earlier, page, later = around.earlier, around.page, around.later
    heading = ctx._("Questions for {title}", title=meeting.title(ctx, event))
    when = ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None)
    lines = [f"<b>{heading}</b>", escape(when), ""]
    if not shown and not event.questions:
        following = data.is_following(ctx, event.id, _me(ctx))
        return "\n".join([*lines, escape(meeting.why_closed(ctx, event) or "")]), (
            [[ctx.button(ctx._("🔕 Stop following"), "unfollow", event.id)]]
            if following else [])
    if not shown:
        lines.append(ctx._("No questions have been published yet.") if open_now
                     else ctx._("No questions were published."))
    elif not page:
        lines.append(ctx._("There are no more questions in this list."))
    lines += [line for position in page for line in (entries[position], "")]
    if page and (earlier or later):
        lines.append(ctx._("Page {page} of {pages}", page=len(earlier) + 1,
                           pages=len(earlier) + 1 + len(later)))
    waiting = sum(1 for d in data.items(ctx).find(event=event.id, user=_me(ctx))
                  if d["status"] == data.PENDING) if ctx.user else 0
    if waiting:
        lines.append(ctx.ngettext("You have {n} question waiting for a moderator's approval.",
                                  "You have {n} questions waiting for a moderator's approval.",
                                  waiting))
    view = ((paging.keep(ctx, listing), *(n for n in where if n is not None))
            if earlier or later or listing.id else ())
    votes = _votes(ctx, [listing.questions[listing.ids[p]] for p in page], view) \
        if open_now else []
    if votes:
        lines.append(ctx._("Tap 👍 and a number to upvote that question; tap it again to take "
                           "your vote back."))
    elif not open_now:
        lines.append(escape(meeting.why_closed(ctx, event) or ""))
    nav = []
    if earlier:
        nav.append(ctx.button(ctx._("◀ Previous"), "page", *view[:1], earlier[-1][0], where[0]))
    if later:
        nav.append(ctx.button(ctx._("Next ▶"), "page", *view[:1], page[-1] + 1))
    return "\n".join(lines).strip(), _list_buttons(ctx, event, votes, nav, view)


def _votes(ctx: Context, shown: list[Document], view: tuple[int, ...]
           ) -> list[Button]:
    """A 👍 for each question on the page this reader may vote on, by its number; pressed, it
    shows the same page again (`view`: the listing and the page's place in it, if kept)."""
    votes: list[Button] = []
    for doc in shown:
        if doc["status"] not in data.VOTABLE or doc.get("user") == _me(ctx):
            continue
        number = data.number(ctx, doc)
        if data.has_voted(ctx, doc.doc_id, _me(ctx)):
            votes.append(ctx.button(f"👍 #{number} ✓", "un", doc.doc_id, *view))
        else:
            votes.append(ctx.button(f"👍 #{number}", "up", doc.doc_id, *view))
    return votes


def _list_buttons(ctx: Context, event: Event, votes: list[Button], nav: list[Button],
                  view: tuple[int, ...]) -> list[list[Button]]:
    """Votes for the questions on the page, paging, following, asking, moderating. Following
    shows the same page again: on a kept listing its buttons name it (`-`: the listing's
    meeting, whose id would not fit beside it in 64 bytes)."""
    rows = [votes[i:i + PER_ROW] for i in range(0, len(votes), PER_ROW)]
    rows.append(nav)
    if meeting.is_open(ctx, event):
        rows += [[ctx.button(ctx._("🗑 Withdraw: {question}", question=short(doc["text"], 24)),
                             "withdraw", doc.doc_id)] for doc in withdrawable(ctx, event.id)]
    where = ("-", *view) if view else (event.id,)
    if data.is_following(ctx, event.id, _me(ctx)):
        rows.append([ctx.button(ctx._("🔕 Stop following"), "unfollow", *where)])
    elif event.questions and not event.cancelled and event.end_utc > ctx.now:
        rows.append([ctx.button(ctx._("🔔 Follow questions"), "follow", *where)])
    else:
        rows.append([])
    if meeting.is_open(ctx, event):
        rows[-1].append(ctx.button(ctx._("❓ Ask a question"), "ask", event.id))
    if meeting.may_moderate(ctx, event):
        rows.append([ctx.button(ctx._("🛠 Moderate"), "queue", event.id, 0),
                     ctx.button(ctx._("📄 CSV"), "csv", event.id)])
    return [row for row in rows if row]


def withdrawable(ctx: Context, event_id: str) -> list[Document]:
    """The reader's own questions at a meeting that they may still take back (waiting or
    published, not taken up by a moderator), the latest first, MAX_WITHDRAW at most: the
    message that thanked them for one may be long gone."""
    mine = [doc for doc in data.items(ctx).find(event=event_id, user=_me(ctx))
            if doc["status"] in WITHDRAWABLE and not doc.get("merged_into")]
    return mine[::-1][:MAX_WITHDRAW]


def _me(ctx: Context) -> int:
    """The reader's id (0 for system contexts, which match no one)."""
    return ctx.user.id if ctx.user else 0


def card(ctx: Context, event: Event, doc: Document) -> tuple[str, list[list[Button]]]:
    """One question as a moderator sees it, with the actions its status allows."""
    count = data.counted_votes(ctx, doc)
    status = escape(status_label(ctx, doc["status"]))
    lines = [f"<b>#{data.number(ctx, doc)}</b> · {status} · 👍 {count}",
             clipped(doc["text"]),
             f"— {asker(ctx, doc, reveal=True)} · {escape(when(ctx, event, doc.get('at')))}"]
    if doc.get("merged_into"):
        target = data.numbers(ctx, doc["event"]).get(doc["merged_into"], doc["merged_into"])
        lines.append(ctx._("Merged into #{id}.", id=target))
        undo = [[ctx.button(ctx._("↩ Undo merge"), "unmerge", doc.doc_id)]]
        return "\n".join(lines), undo if merges.undoable(doc) else []
    status = doc["status"]
    qid = doc.doc_id
    actions: list[Button] = []
    if status in (data.PENDING, data.HIDDEN):
        actions.append(ctx.button(ctx._("✅ Approve"), "approve", qid))
    if status != data.ANSWERING and status != data.HIDDEN:
        actions.append(ctx.button(ctx._("🎤 Now answering"), "now", qid))
    if status in (data.LIVE, data.ANSWERING, data.PENDING):
        actions.append(ctx.button(ctx._("✔ Answered"), "done", qid))
    if status != data.HIDDEN:
        actions.append(ctx.button(ctx._("🙈 Hide"), "hide", qid))
        actions.append(ctx.button(ctx._("🔗 Merge into…"), "merge", qid))
    return "\n".join(lines), [actions[i:i + 2] for i in range(0, len(actions), 2)]


def clipped(value: str, limit: int = CLIP) -> str:
    """Escaped question text, cut (at `limit` UTF-16 units, as Telegram counts) only when
    escaping makes a question stored before the limits too long for one message."""
    whole = escape(value)
    if units(whole) <= limit:
        return whole
    out: list[str] = []
    size = 0
    for char in value:
        piece = escape(char)
        if size + units(piece) > limit - 1:
            out.append("…")
            break
        out.append(piece)
        size += units(piece)
    return "".join(out)


def short(value: str, limit: int = 32) -> str:
    """A question shortened for a button label (labels are plain text)."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
