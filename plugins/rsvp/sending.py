"""Sending the notices: each due change notice to everyone it tells, then their seat changes;
a removed meeting's at once.

A notice that fails is tried again after longer and longer pauses, and just before the
meeting starts (`retry_at`); the others go all the same.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from assistant.model import Attendance, Event

from . import changed, heldback, notices, overlap, seatmoves, seats

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.storage import Table


RETRY_FIRST = timedelta(seconds=30)
"""A notice that failed is tried again this long after (the next tick), then after twice as
long each time it fails again, up to `RETRY_MAX`: a bug used to log its traceback on every
tick (twice a minute) until the meeting ended."""
RETRY_MAX = timedelta(minutes=10)


@dataclass
class _Failing:
    """A notice that failed: for which edit (its `due`), how often, and when to try again."""

    due: str
    count: int
    retry: datetime


_failing: weakref.WeakKeyDictionary[Any, dict[str, _Failing]] = weakref.WeakKeyDictionary()
"""Per bot, the notices that failed since it started, by meeting: a restart (with a fix)
tries them at once."""


async def send_due(ctx: Context, now: datetime) -> None:
    """Send every pending notice whose quiet time is over, one message per person, followed
    by the seat changes the edits caused. The notice counts as sent once everyone's message
    is queued, so after a crash half-way the rest are queued again (each message has its
    key: nobody gets one twice). A notice that fails is tried again later (`retry_at`); the
    others go all the same."""
    table, failing = notices.changes(ctx), _failing.setdefault(ctx.assistant, {})
    for doc in table.all():
        if not doc.get("due") or datetime.fromisoformat(doc["due"]) > now:
            continue
        failed = failing.get(doc["event"])
        if failed is not None and failed.due == doc["due"] and now < failed.retry:
            continue
        try:
            await _send(ctx, doc, now)
        except Exception as exc:  # noqa: BLE001 - one meeting's notice must not stop the others
            failing[doc["event"]] = _failed(ctx, doc, failed, exc, now)
            continue
        failing.pop(doc["event"], None)
        _sent(table, doc)


def _failed(ctx: Context, doc: dict[str, Any], failed: _Failing | None, exc: Exception,
            now: datetime) -> _Failing:
    """Log a failed notice, with its traceback the first time (for this edit) and in a line
    after that, and say when it is tried again."""
    count = failed.count + 1 if failed is not None and failed.due == doc["due"] else 1
    programme = ctx.programme
    retry = retry_at(programme.event(doc["event"]) if programme else None, count, now)
    if count == 1:
        ctx.log.exception("the change notice about %s failed; trying again at %s",
                          doc["event"], retry.isoformat(timespec="seconds"))
    else:
        ctx.log.warning("the change notice about %s failed again (%d times, %s: %s); trying "
                        "again at %s", doc["event"], count, type(exc).__name__, exc,
                        retry.isoformat(timespec="seconds"))
    return _Failing(doc["due"], count, retry)


def retry_at(event: Event | None, count: int, now: datetime) -> datetime:
    """When a notice that failed `count` times in a row is tried again: on the next tick,
    then after twice as long each time, at most `RETRY_MAX` apart, and
    `notices.BEFORE_START` the meeting at the latest, for a last chance to tell people before
    it begins (the reminders it held back go all the same once it is `notices.OVERDUE`)."""
    retry = now + min(RETRY_FIRST * 2 ** min(count - 1, 10), RETRY_MAX)
    last = event.start_utc - notices.BEFORE_START if event is not None else None
    return last if last is not None and now < last < retry else retry


async def _send(ctx: Context, doc: dict[str, Any], now: datetime) -> None:
    """Queue one meeting's notice to everyone it tells, each followed by their seat change."""
    programme = ctx.programme
    event = programme.event(doc["event"]) if programme else None
    fields = {f: v for f, v in doc["fields"].items() if v["before"] != v["after"]}
    held = doc.get("seats", {})
    if event is None or not (fields or held) or event.end_utc <= now:
        return
    users = ctx.assistant.users
    for user_id in notices.recipients(ctx, event.id):
        entry = held.get(str(user_id))
        if fields:
            ctx.send_to(user_id, lambda target, e=event, f=fields, s=entry:
                        changed.describe(target, e, f, s),
                        key=f"changed:{event.id}:{doc['counter']}:{user_id}")
        if entry:
            await tell_held(ctx, event, user_id, entry,
                            notices.as_read(fields, users.language(user_id)), doc["counter"])
        await ctx.give_way()


def _sent(table: Table, told: dict[str, Any]) -> None:
    """Start the meeting's next notice. An edit recorded while this one was being queued
    stays due, told from where this notice left off."""
    doc = table.get(told.doc_id)
    if doc is None:
        return
    rest = {field: {"before": told["fields"][field]["after"] if field in told["fields"]
                    else change["before"], "after": change["after"]}
            for field, change in doc["fields"].items()}
    rest = {field: change for field, change in rest.items() if change["before"] != change["after"]}
    seated = {user: entry for user, entry in doc.get("seats", {}).items()
              if entry != told.get("seats", {}).get(user)}
    table.update(told.doc_id, {"due": doc["due"] if rest or seated else None, "fields": rest,
                               "seats": seated, "counter": told["counter"] + 1})


async def tell_held(ctx: Context, event: Event, user_id: int, entry: dict[str, Any],
                    fields: dict[str, Any], counter: int) -> None:
    """After the change notice: the person's promotion or demotion, if it still holds (they
    may have answered again meanwhile), or the double booking a place the notice gave brings
    (`warn_overlap`), then the other plugins."""
    move = heldback.held_move(ctx, event, user_id, entry)
    if move is None:
        if (now := heldback.converted_to(ctx, event, user_id, entry)) is not None:
            before = heldback.load(event.id, user_id, entry["before"])
            warn_overlap(ctx, event, before, now, counter)
            await ctx.hooks.rsvp_changed(ctx, event, user_id, before, now)
        elif "dropped" in entry and "before" in entry:  # their days followed online left
            await ctx.hooks.rsvp_changed(ctx, event, user_id,
                                         heldback.load(event.id, user_id, entry["before"]),
                                         seats.current(seats.answers(ctx), event.id, user_id))
        return
    reason = entry.get("reason", "changed" if fields else "none")
    if changed.tells_move(event, fields, entry):
        # a promotion warns itself
        seatmoves.tell_move(ctx, seats.answers(ctx), event, move, reason)
    else:
        warn_overlap(ctx, event, move.before, move.after, counter)
    await ctx.hooks.rsvp_changed(ctx, event, user_id, move.before, move.after)


def warn_overlap(ctx: Context, event: Event, before: Attendance | None, after: Attendance | None,
                 counter: int) -> None:
    """The double-booking note, on its own after the change notice, for someone the notice
    itself gave a place (made online only, or put down for days with a free seat after their
    own went): a place from the waiting list by any other route says it too
    (`seatmoves.tell_move`)."""
    if after is None or event.cancelled or not overlap.newly_there(before, after):
        return

    def build(target: Context) -> None:
        if (warning := overlap.note(target, event, after.days)) is not None:
            target.reply(warning)
    ctx.send_to(after.user_id, build, key=f"overlap:{event.id}:{counter}:{after.user_id}")


async def removed(ctx: Context, event: Event) -> None:
    """A meeting left the programme: tell those coming, then forget its answers."""
    table, pending = seats.answers(ctx), notices.changes(ctx)
    doc = pending.first(event=event.id)
    counter = doc["counter"] if doc else 0
    if event.end_utc > ctx.now:
        held = doc.get("seats", {}) if doc is not None and doc.get("due") else {}
        for user_id in notices.recipients(ctx, event.id):
            entry = held.get(str(user_id))
            ctx.send_to(user_id, lambda target, entry=entry: changed.removal(target, event, entry),
                        key=f"removed:{event.id}:{counter}:{user_id}")
    docs = seats.ordered(table, event.id)
    for answer in docs:
        table.remove(answer.doc_id)
        await ctx.hooks.rsvp_changed(ctx, event, answer["user"], seats.attendance(answer, docs),
                                     None)
    if doc is None:
        pending.insert({"event": event.id, "counter": 1, "due": None, "fields": {}})
    else:
        pending.update(doc.doc_id, {"due": None, "fields": {}, "seats": {},
                                    "counter": counter + 1})
