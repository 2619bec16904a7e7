"""What moderators do with questions: approve, hide, now answering, answered, merge (and undo
it), mode and closing time (the queue itself, a page at a time, is `queue.py`).

Buttons carry only ids; every press is checked again here: the question and meeting
exist, the user moderates one of the meeting's networks, the action fits the status.
"""
from __future__ import annotations

from tinydb.table import Document

from assistant.config import parse_duration
from assistant.context import Context
from assistant.model import QUESTION_MODES, Event
from assistant.text import whole_number

from . import data, meeting, merges, notices, nudges, queue, render

MERGE_CHOICES = 20
ALLOWED = {"approve": (data.PENDING, data.HIDDEN),
           "now": (data.PENDING, data.LIVE, data.ANSWERED),
           "done": (data.PENDING, data.LIVE, data.ANSWERING),
           "hide": (data.PENDING, data.LIVE, data.ANSWERING, data.ANSWERED)}


async def moderate_command(ctx: Context) -> None:
    """/moderate ID [close 30m|now]: the queue of a meeting, or its closing time; /moderate DAY:
    the picker of that day's meetings this moderator moderates."""
    if not ctx.args:
        meeting.chooser(ctx, "moderate")
        return
    event = ctx.event(ctx.args[0])
    if event is None:
        if not meeting.day_chooser(ctx, "moderate"):
            meeting.not_found(ctx, ctx.args[0])
        return
    if not meeting.may_moderate(ctx, event):
        ctx.reply(queue.refusal(ctx))
        return
    if ctx.args[1:2] == ["close"]:
        _close(ctx, event, ctx.args[2] if len(ctx.args) > 2 else "")
        return
    queue.first_page(ctx, event)


async def show_queue(ctx: Context) -> None:
    """The queue button (from the chooser, the list or a nudge) and 'Refresh': the first page.
    A 'Show more' of a version that paged by position is out of date: the queue may have
    changed since, so it starts again."""
    event = queue.moderated(ctx, ctx.args[0] if ctx.args else "")
    if event is not None:
        if ctx.args[1:2] not in ([], ["0"]):
            ctx.toast(ctx._("This list is out of date; here it is again from the start."))
        queue.first_page(ctx, event)


async def approve(ctx: Context) -> None:
    """✅ Approve: publish a waiting question, or bring back a hidden one."""
    _move(ctx, "approve", data.LIVE)


async def hide(ctx: Context) -> None:
    """🙈 Hide: take a question off the list; those merged into it wait for a moderator's
    decision on their own again (`merges.release`)."""
    _move(ctx, "hide", data.HIDDEN)


async def now_answering(ctx: Context) -> None:
    """🎤 Now answering: highlight it (the previous one goes back) and tell its asker and the
    followers."""
    moved = _move(ctx, "now", data.ANSWERING)
    if moved is not None:
        notices.now_answering(ctx, *moved)


async def answered(ctx: Context) -> None:
    """✔ Answered: and the asker is told."""
    moved = _move(ctx, "done", data.ANSWERED)
    if moved is not None:
        notices.answered(ctx, *moved)


def _move(ctx: Context, action: str, status: str) -> tuple[Event, Document] | None:
    """Check the button, change the status, audit, redraw the card."""
    doc, event = _question(ctx)
    if doc is None or event is None:
        return None
    if doc.get("merged_into") or doc["status"] not in ALLOWED[action]:
        ctx.toast(ctx._("This question has changed in the meantime."))
        ctx.edit(*render.card(ctx, event, doc))
        return None
    if status == data.ANSWERING:
        for other in data.items(ctx).find(event=event.id, status=data.ANSWERING):
            data.set_status(ctx, other, data.LIVE)
    data.set_status(ctx, doc, status)
    ctx.audit(action, f"question #{data.number(ctx, doc)} at {event.id}",
              number=data.number(ctx, doc), event=event.id)
    back = release(ctx, event, doc) if status == data.HIDDEN else []
    nudges.count_changed(ctx, event.id)
    doc = data.items(ctx).get(doc.doc_id)
    ctx.toast(ctx.ngettext("Hidden. {n} question merged into it went back to the queue, "
                           "waiting for approval.",
                           "Hidden. {n} questions merged into it went back to the queue, "
                           "waiting for approval.", len(back))
              if back else render.status_label(ctx, status))
    ctx.edit(*render.card(ctx, event, doc))
    return event, doc


def release(ctx: Context, event: Event | None, hidden: Document,
            quiet: bool = False) -> list[Document]:
    """A hidden question stands for nothing: its duplicates go back to the queue, waiting on
    their own (`merges.release`); the log says so for each, their askers and those whose vote
    now lands on one of them hear what holds now (`notices.released`), and the meeting's
    other moderators learn it (`nudges.returned`). `quiet` (a meeting that is over, or no
    longer in the programme): nobody is told. Returns the duplicates as they were."""
    back = merges.release(ctx, hidden)
    hidden_number = data.number(ctx, hidden)
    for duplicate in back:
        ctx.audit("unmerge", f"question #{data.number(ctx, duplicate)} out of #{hidden_number} "
                             f"at {hidden['event']}", number=data.number(ctx, duplicate),
                  into=hidden_number, event=hidden["event"])
    notices.released(ctx, event, back, quiet)
    if back and event is not None and not quiet:
        nudges.returned(ctx, event, hidden_number, len(back))
    return back


def release_stored(ctx: Context) -> int:
    """Questions hidden by a version that left their duplicates merged into them (stored data:
    a hidden question with others still merged into it) release them now, as if hidden now for
    a meeting still to come, silently for one that is over or gone; how many there were."""
    programme = ctx.programme
    hidden = [doc for doc in data.items(ctx).find(status=data.HIDDEN)
              if not doc.get("merged_into")
              and data.items(ctx).first(event=doc["event"], merged_into=doc.doc_id)]
    for doc in hidden:
        event = programme.event(doc["event"]) if programme else None
        release(ctx, event, doc, quiet=event is None or event.end_utc <= ctx.now)
        nudges.count_changed(ctx, doc["event"])
    return len(hidden)


async def show_card(ctx: Context) -> None:
    """'Back' from the merge choices."""
    doc, event = _question(ctx)
    if doc is not None and event is not None:
        ctx.edit(*render.card(ctx, event, doc))


async def choose_merge(ctx: Context) -> None:
    """'Merge into…': offer the other questions of the meeting as targets, by their number
    (the same order every time, whatever the votes), MERGE_CHOICES at a time."""
    doc, event = _question(ctx)
    if doc is None or event is None:
        return
    numbers = data.numbers(ctx, event.id)
    targets = sorted(_targets(ctx, doc), key=lambda t: numbers[t.doc_id])
    if doc["status"] == data.HIDDEN or not targets:
        ctx.toast(ctx._("There is no other question to merge it into."))
        return
    last = (len(targets) - 1) // MERGE_CHOICES * MERGE_CHOICES
    offset = min(whole_number(ctx.args[1], digits=6) or 0, last) if ctx.args[1:2] else 0
    text, _buttons = render.card(ctx, event, doc)
    rows = [[ctx.button(f"#{numbers[t.doc_id]} · {render.short(t['text'])}", "into",
                        doc.doc_id, t.doc_id)] for t in targets[offset:offset + MERGE_CHOICES]]
    paging = []
    if offset > 0:
        paging.append(ctx.button(ctx._("◀ Previous"), "merge", doc.doc_id,
                                 offset - MERGE_CHOICES))
    if offset < last:
        paging.append(ctx.button(ctx._("Next ▶"), "merge", doc.doc_id, offset + MERGE_CHOICES))
    rows += [paging] if paging else []
    rows.append([ctx.button(ctx._("◀ Back"), "card", doc.doc_id)])
    ctx.edit("\n".join([text, "", ctx._("Merge #{id} into which question? Its votes count "
                                         "there and it is hidden.", id=numbers[doc.doc_id])]),
             rows)


async def merge_into(ctx: Context) -> None:
    """A merge target pressed: votes move, the duplicate is hidden, its asker told."""
    doc, event = _question(ctx)
    if doc is None or event is None:
        return
    target = data.question(ctx, ctx.args[1] if len(ctx.args) > 1 else "")
    if doc["status"] == data.HIDDEN or target is None or \
            target.doc_id not in {t.doc_id for t in _targets(ctx, doc)}:
        ctx.toast(ctx._("This question has changed in the meantime."))
        ctx.edit(*render.card(ctx, event, doc))
        return
    merges.merge(ctx, doc, target)
    nudges.count_changed(ctx, event.id)
    notices.merged(ctx, event, doc, target)
    ctx.audit("merge", f"question #{data.number(ctx, doc)} into #{data.number(ctx, target)} "
                       f"at {event.id}", number=data.number(ctx, doc),
              into=data.number(ctx, target), event=event.id)
    ctx.toast(ctx._("Merged."))
    ctx.edit(*render.card(ctx, event, data.items(ctx).get(doc.doc_id)))


async def unmerge(ctx: Context) -> None:
    """↩ Undo merge: the duplicate is listed again with its own votes and status; its asker is
    not left believing it was merged (see `notices.unmerged`). A merge stored before the
    duplicate kept its votes is refused, as a stale button."""
    doc, event = _question(ctx)
    if doc is None or event is None:
        return
    target = data.question(ctx, str(doc.get("merged_into")))
    if target is None or not merges.undoable(doc):
        ctx.toast(ctx._("This question has changed in the meantime."))
        ctx.edit(*render.card(ctx, event, doc))
        return
    merges.unmerge(ctx, doc)
    nudges.count_changed(ctx, event.id)
    notices.unmerged(ctx, event, doc)
    ctx.audit("unmerge", f"question #{data.number(ctx, doc)} out of #{data.number(ctx, target)} "
                         f"at {event.id}", number=data.number(ctx, doc),
              into=data.number(ctx, target), event=event.id)
    ctx.toast(ctx._("Merge undone."))
    ctx.edit(*render.card(ctx, event, data.items(ctx).get(doc.doc_id)))


def _targets(ctx: Context, doc: Document) -> list[Document]:
    """Questions of the same meeting a question may be merged into: a published one only
    into a published one, or its votes would go where participants cannot see them."""
    public = doc["status"] in data.PUBLISHED
    return [d for d in data.items(ctx).find(event=doc["event"])
            if d.doc_id != doc.doc_id and d["status"] != data.HIDDEN
            and (d["status"] in data.PUBLISHED or not public)]


async def switch_mode(ctx: Context) -> None:
    """'Switch to live/approval mode' for this meeting (overrides the programme)."""
    event = queue.moderated(ctx, ctx.args[0] if ctx.args else "")
    wanted = ctx.args[1] if len(ctx.args) > 1 else ""
    if event is None:
        return
    if wanted not in QUESTION_MODES:
        ctx.toast(ctx._("This button no longer works."))
        return
    data.set_meeting(ctx, event.id, mode=wanted)
    ctx.audit("mode", f"{event.id} {wanted}", event=event.id, mode=wanted)
    ctx.edit(*queue.header(ctx, event, data.items(ctx).find(event=event.id)))


def _close(ctx: Context, event: Event, when: str) -> None:
    """/moderate ID close 30m|now: when this meeting stops taking questions, said as done
    when that time is not ahead."""
    when_now = when.lower() == "now"
    if when_now:
        close_at = ctx.now
    else:
        try:
            close_at = event.end_utc + parse_duration(when)
        except ValueError:
            ctx.reply(ctx._("Write how long after the end questions stay open, e.g. "
                            "/moderate {id} close 30m, or /moderate {id} close now.", id=event.id))
            return
    data.set_meeting(ctx, event.id, close_at=close_at.isoformat())
    ctx.audit("close", f"{event.id} {close_at.isoformat()}", event=event.id,
              at=close_at.isoformat())
    title, moment = meeting.title(ctx, event), meeting.moment(ctx, event, close_at)
    if close_at > ctx.now:
        ctx.reply(ctx._("Questions for {title} close on {when}.", title=title, when=moment))
    elif when_now:
        ctx.reply(ctx._("Questions for {title} are now closed.", title=title))
    else:
        ctx.reply(ctx._("Questions for {title} are now closed, since {when} has already "
                        "passed.", title=title, when=moment))


def _question(ctx: Context) -> tuple[Document | None, Event | None]:
    """The question a moderator button names, if this user moderates its meeting."""
    doc = data.question(ctx, ctx.args[0] if ctx.args else "")
    event = ctx.event(doc["event"]) if doc else None
    if doc is None or event is None:
        ctx.toast(ctx._("This question no longer exists."))
        return None, None
    if not meeting.may_moderate(ctx, event):
        ctx.toast(queue.refusal(ctx))
        return None, None
    return doc, event
