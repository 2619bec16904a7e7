"""Programme changes told to participants: each meeting's pending change notice.

Messages to people other than the one acting all go through the outbox with a dedupe key,
so each reaches its person once. Programme changes are collected per meeting in
`rsvp_changes` and sent by `tick` (`sending.py`) once the organisers have stopped editing
for MINGEL_CHANGE_DELAY: several edits become one message (`changed.py`) that says, per
field, what it was before the first edit and after the last. The places those edits changed
are kept with it (`seats`, `heldback.py`) and told right after it, which explains them;
promotions and demotions for any other reason go at once (`seatmoves.py`). A notice never
waits past its meeting's start (`due_at`), and one that keeps failing does not hold anyone's
reminders back for long (`untold`); it is tried again after longer and longer pauses, and
just before the start (`sending.retry_at`).
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from assistant.model import Event

from . import seating, seats, wording

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.storage import Table

NOTIFIED: tuple[str, ...] = ("cancelled", "time", "venue", "online", "speakers", "title",
                              "note", "invite_only")
"""The fields participants are told about, in the order the message lists them."""
TRANSLATED = ("title", "note")
"""Notified fields given per language: a reader is told of a change to one only when it
reads differently in their language (`as_read`)."""
NOT_IN_CALENDAR = ("invite_only",)
"""Notified fields a calendar entry does not show: a notice of only these brings no file."""
TOLD = ("in_person", "online", "maybe")
BEFORE_START = timedelta(minutes=1)
"""A notice goes at the latest this long before its meeting starts, however recent the last
edit: the tick then (every 30 s) sends it and the reminders it held back (the private link)
before the meeting begins, not after it."""
OVERDUE = timedelta(minutes=1)
"""A notice still not sent this long after its time (it failed on every try since) holds
nobody's reminders back any more: the link matters more than the order of the messages."""


def changes(ctx: Context) -> Table:
    """Pending programme changes and the notice counter, one document per meeting."""
    return ctx.table("changes", indexes=("event",))


def pending(ctx: Context, event_id: str) -> bool:
    """Whether a change notice about the meeting waits for its quiet time to pass."""
    doc = changes(ctx).first(event=event_id)
    return doc is not None and bool(doc.get("due"))


def untold(ctx: Context, event_id: str) -> list[int]:
    """The people whose answer, place or days the pending notice's edits changed, everyone
    coming online when they changed the private join link, and everyone the notice tells
    when they moved the meeting or put it back on (`reminded_anew`): they have not been told
    yet, and a reminder or link must not come before the notice that explains it. None once
    the notice is `OVERDUE` (sending it keeps failing)."""
    doc = changes(ctx).first(event=event_id)
    if doc is None or not doc.get("due") or \
            datetime.fromisoformat(doc["due"]) + OVERDUE < ctx.now:
        return []
    people = [int(user) for user in doc.get("seats", {})]
    if reminded_anew(doc["fields"]):
        return people + recipients(ctx, event_id)
    if new_private_link(doc["fields"].get("online")):
        people += [d["user"] for d in seats.answers(ctx).find(event=event_id)
                   if d["answer"] == "online"]
    return people


def reminded_anew(fields: dict[str, Any]) -> bool:
    """Whether recorded edits can make a reminder due that was not: a new start (moved into
    a lead time, e.g. the last hour) or a meeting on again (nobody is reminded of a cancelled
    one). Without waiting, whose answer they left alone would read "starts in 40 minutes"
    before "Time changed"."""
    time, cancelled = fields.get("time"), fields.get("cancelled")
    return (time is not None and time["before"] != time["after"]) or (
        cancelled is not None and cancelled["before"] and not cancelled["after"])


def new_private_link(change: dict[str, Any] | None) -> bool:
    """Whether a recorded online change gives a private link that differs from the one
    before (a link people get only from reminders, so they need it again)."""
    if change is None or change["after"] is None or not change["after"]["private"]:
        return False
    return change["before"] is None or change["before"]["url"] != change["after"]["url"]


def due_at(ctx: Context, event: Event) -> datetime:
    """When a notice about an edit made now goes: after the organisers' quiet time, but
    `BEFORE_START` the meeting at the latest (at once, on the next tick, when that is past)."""
    quiet = ctx.now + ctx.setting("MINGEL_CHANGE_DELAY")
    return max(ctx.now, min(quiet, event.start_utc - BEFORE_START))


def record(ctx: Context, before: Event, after: Event, fields: tuple[str, ...]) -> bool:
    """Add an edit to the meeting's pending notice: keep the first before, take the last
    after; whether the edit is told."""
    told = [f for f in NOTIFIED if f in fields]
    if not told:
        return False
    table = changes(ctx)
    doc = table.first(event=after.id)
    pending: dict[str, Any] = dict(doc["fields"]) if doc else {}
    for field in told:
        first = pending.get(field, {}).get("before", wording.snapshot(before, field))
        pending[field] = {"before": first, "after": wording.snapshot(after, field)}
    due = due_at(ctx, after).isoformat()
    if doc is None:
        table.insert({"event": after.id, "counter": 0, "due": due, "fields": pending})
    else:
        table.update(doc.doc_id, {"due": due, "fields": pending})
    return True


def recipients(ctx: Context, event_id: str) -> list[int]:
    """Everyone who said they come, might come, or waits for a place."""
    return [d["user"] for d in seats.ordered(seats.answers(ctx), event_id)
            if d["answer"] in TOLD]


def audience(ctx: Context, before: Event | None, after: Event | None,
             fields: tuple[str, ...]) -> list[int]:
    """Who a programme change will tell, before it is made: everyone told of a removed
    meeting or of a change they are told about (net of a notice still waiting: an edit back
    tells nobody), of a title or note changed in some languages only those who read it anew
    (`as_read`, as the notice), and those whose place its seats move. Reads only this
    meeting's answers, and runs the seat rules only when its places changed."""
    if after is None:
        return recipients(ctx, before.id) if before is not None and before.end_utc > ctx.now \
            else []
    if before is None or after.end_utc <= ctx.now:
        return []
    doc = changes(ctx).first(event=after.id)
    waiting = dict(doc["fields"]) if doc is not None and doc.get("due") else {}
    told = {f: {"before": waiting.get(f, {}).get("before", wording.snapshot(before, f)),
                "after": wording.snapshot(after, f)} for f in NOTIFIED if f in fields}
    told = {f: change for f, change in told.items() if change["before"] != change["after"]}
    if set(told) - set(TRANSLATED):
        return recipients(ctx, after.id)  # a change that is no text per language: read anew by all
    users = ctx.assistant.users
    people = [user for user in recipients(ctx, after.id)
              if as_read(told, users.language(user))] if told else []
    if after.cancelled or not {"capacity", "online_capacity"} & set(fields):
        return people
    return sorted({*people, *seating.would_move(seats.answers(ctx), after)})


def as_read(fields: dict[str, dict[str, Any]], lang: str) -> dict[str, dict[str, Any]]:
    """The changes a reader of this language is told of: those that changed, less a title or
    note that reads as before in their language (their text, or the one it falls back to,
    did not change, or was only wrapped anew). The notice and the preview's count both go by
    it, so that they agree."""
    return {field: change for field, change in fields.items()
            if (wording.reading(change["before"], lang) != wording.reading(change["after"], lang)
                if field in TRANSLATED else change["before"] != change["after"])}
