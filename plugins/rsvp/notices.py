"""Messages to people other than the one acting: promotions, demotions and programme changes.

They all go through the outbox with a dedupe key, so each reaches its person once.
Programme changes are collected per meeting in `rsvp_changes` and sent by `tick` once
the organisers have stopped editing for MINGEL_CHANGE_DELAY: several edits become one
message that says, per field, what it was before the first edit and after the last.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.model import Event, text
from assistant.text import escape

from . import seats, texts

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.storage import Table

NOTIFIED: tuple[str, ...] = ("cancelled", "time", "venue", "online", "speakers", "title",
                              "invite_only")
"""The fields participants are told about, in the order the message lists them."""
NOT_IN_CALENDAR = ("invite_only",)
"""Notified fields a calendar entry does not show: a notice of only these brings no file."""
TOLD = ("in_person", "online", "maybe")


def changes(ctx: Context) -> Table:
    """Pending programme changes and the notice counter, one document per meeting."""
    return ctx.table("changes", indexes=("event",))


async def tell_moved(ctx: Context, event: Event, moves: list[seats.Move]) -> None:
    """Tell each person the rules moved (promoted or demoted), once per move, and then the
    other plugins (so that what they send follow this message); nobody is told about a place
    at a meeting that is cancelled or over."""
    table = seats.answers(ctx)
    for move in moves:
        if not (event.cancelled or event.end_utc <= ctx.now):
            tell_move(ctx, table, event, move)
        await ctx.hooks.rsvp_changed(ctx, event, move.user_id, move.before, move.after)


def tell_move(ctx: Context, table: Table, event: Event, move: seats.Move) -> None:
    """The message about one promotion or demotion, through the outbox."""
    count = seats.moves_counter(table, event.id, move.user_id)

    def build(target: Context, move: seats.Move = move) -> None:
        if move.after is None:
            return
        if move.kind == "promoted":
            target.reply(target._(
                "Good news! A place has opened up at <b>{title}</b> ({when}) and it's yours. "
                "Your answer: {answer}.", title=texts.title(target, event),
                when=texts.when(target, event), answer=texts.label(target, move.after.answer)))
            for document in target.hooks.attachments(target, event, "promoted"):
                target.reply(document=document)
        else:
            target.reply(target._(
                "There are now fewer places at <b>{title}</b> ({when}). As one of the last "
                "to answer, you're on the waiting list, place {n}. I'll tell you at once if "
                "a place opens up.", title=texts.title(target, event),
                when=texts.when(target, event), n=move.after.position))
    ctx.send_to(move.user_id, build, key=f"{move.kind}:{event.id}:{move.user_id}:{count}")


def snapshot(event: Event, field: str) -> Any:
    """A field's value as JSON, to compare and describe later."""
    if field == "time":
        return [event.start.isoformat(), event.end.isoformat()]
    if field == "venue":
        return {"name": event.venue.name, "address": event.venue.address} if event.venue else None
    if field == "online":
        return ({"platform": event.online.platform, "url": event.online.url,
                 "private": event.online.private} if event.online else None)
    if field == "speakers":
        return [p.name for p in event.speakers]
    if field == "title":
        return dict(event.title)
    return getattr(event, field)


def record(ctx: Context, before: Event, after: Event, fields: tuple[str, ...]) -> None:
    """Add an edit to the meeting's pending notice: keep the first before, take the last after."""
    told = [f for f in NOTIFIED if f in fields]
    if not told:
        return
    table = changes(ctx)
    doc = table.first(event=after.id)
    pending: dict[str, Any] = dict(doc["fields"]) if doc else {}
    for field in told:
        first = pending.get(field, {}).get("before", snapshot(before, field))
        pending[field] = {"before": first, "after": snapshot(after, field)}
    due = (ctx.now + ctx.setting("MINGEL_CHANGE_DELAY")).isoformat()
    if doc is None:
        table.insert({"event": after.id, "counter": 0, "due": due, "fields": pending})
    else:
        table.update(doc.doc_id, {"due": due, "fields": pending})


def recipients(ctx: Context, event_id: str) -> list[int]:
    """Everyone who said they come, might come, or waits for a place."""
    return [d["user"] for d in seats.ordered(seats.answers(ctx), event_id)
            if d["answer"] in TOLD]


async def send_due(ctx: Context, now: datetime) -> None:
    """Send every pending notice whose quiet time is over, one message per person. The
    notice counts as sent once everyone's message is queued, so after a crash half-way the
    rest are queued again (each message has its key: nobody gets one twice)."""
    table = changes(ctx)
    programme = ctx.programme
    for doc in table.all():
        if not doc.get("due") or datetime.fromisoformat(doc["due"]) > now:
            continue
        event = programme.event(doc["event"]) if programme else None
        fields = {f: v for f, v in doc["fields"].items() if v["before"] != v["after"]}
        if event is not None and fields and event.end_utc > now:
            for user_id in recipients(ctx, event.id):
                ctx.send_to(user_id, lambda target, e=event, f=fields: describe(target, e, f),
                            key=f"changed:{event.id}:{doc['counter']}:{user_id}")
                await ctx.give_way()
        _sent(table, doc)


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
    table.update(told.doc_id, {"due": doc["due"] if rest else None, "fields": rest,
                               "counter": told["counter"] + 1})


def describe(ctx: Context, event: Event, fields: dict[str, dict[str, Any]]) -> None:
    """The one message about a meeting's changes, in the reader's language, with its files."""
    title, when = texts.title(ctx, event), texts.when(ctx, event)
    if fields.get("cancelled", {}).get("after"):
        ctx.reply(ctx._("❌ <b>Cancelled:</b> {title} ({when}). Sorry – this meeting will not "
                        "take place.", title=title, when=when))
        reason = "cancelled"
    else:
        lines = [ctx._("✏️ <b>Changes to {title}</b> ({when}):", title=title, when=when)]
        lines += [line(ctx, event, f, fields[f]["before"], fields[f]["after"])
                  for f in NOTIFIED if f in fields]
        if "time" in fields and event.is_multi_day and _days(event, fields["time"]["before"]) \
                != seats.event_days(event):
            lines.append(ctx._("The days have changed: please check the days you come on the "
                               "meeting's card (/rsvp {id}).", id=escape(event.id)))
        ctx.reply("\n".join(lines))
        reason = "changed"
        if all(f in NOT_IN_CALENDAR for f in fields):
            return
    for document in ctx.hooks.attachments(ctx, event, reason):
        ctx.reply(document=document)


def line(ctx: Context, event: Event, field: str, before: Any, after: Any) -> str:
    """One change as a line, e.g. 'Time changed: 09:30–12:30 → 10:00–12:30'."""
    if field == "cancelled":
        return ctx._("The meeting is on again.")
    if field == "time":
        return ctx._("Time changed: {before} → {after}", before=span(ctx, event, before, after),
                     after=span(ctx, event, after, before))
    if field == "venue":
        return ctx._("Venue changed: {before} → {after}", before=place(ctx, before),
                     after=place(ctx, after))
    if field == "online":
        if after is None:
            return ctx._("Taking part online is no longer possible.")
        if after["private"]:
            return ctx._("New online link: you'll get it shortly before the meeting.")
        return ctx._("New online link: {url}", url=escape(after["url"]))
    if field == "invite_only":
        if after:
            return ctx._("The meeting is now by invitation only. You had already answered, so "
                         "you keep your answer and your place.")
        return ctx._("The meeting is now open to everyone, not only to those invited.")
    if field == "speakers":
        return ctx._("Speakers changed: {before} → {after}",
                     before=escape(", ".join(before) or "–"), after=escape(", ".join(after) or "–"))
    return ctx._("New title: {before} → {after}", before=escape(text(before, ctx.lang)),
                 after=escape(text(after, ctx.lang)))


def span(ctx: Context, event: Event, value: list[str], other: list[str]) -> str:
    """A start and end: just the times when the date stays, else date and times."""
    fmt = ctx.fmt_event(event)
    start, end = (datetime.fromisoformat(v) for v in value)
    other_start = datetime.fromisoformat(other[0])
    if fmt.date(start) == fmt.date(other_start) and fmt.date(start) == fmt.date(end):
        return f"{fmt.time(start)}–{fmt.time(end)}"
    return fmt.range(start, end)


def _days(event: Event, value: list[str]) -> list[str]:
    """The days the meeting had at a recorded start and end."""
    start, end = (datetime.fromisoformat(v) for v in value)
    return seats.event_days(replace(event, start=start.astimezone(event.timezone),
                                    end=end.astimezone(event.timezone)))


def place(ctx: Context, venue: dict[str, str] | None) -> str:
    """A venue as name and address."""
    if venue is None:
        return ctx._("no venue (online only)")
    return escape(", ".join(v for v in (venue["name"], venue["address"]) if v))


async def removed(ctx: Context, event: Event) -> None:
    """A meeting left the programme: tell those coming, then forget its answers."""
    table, pending = seats.answers(ctx), changes(ctx)
    doc = pending.first(event=event.id)
    counter = doc["counter"] if doc else 0
    if event.end_utc > ctx.now:
        for user_id in recipients(ctx, event.id):
            ctx.send_to(user_id, lambda target: removal(target, event),
                        key=f"removed:{event.id}:{counter}:{user_id}")
    docs = seats.ordered(table, event.id)
    for answer in docs:
        table.remove(answer.doc_id)
        await ctx.hooks.rsvp_changed(ctx, event, answer["user"], seats.attendance(answer, docs),
                                     None)
    if doc is None:
        pending.insert({"event": event.id, "counter": 1, "due": None, "fields": {}})
    else:
        pending.update(doc.doc_id, {"due": None, "fields": {}, "counter": counter + 1})


def removal(ctx: Context, event: Event) -> None:
    """The message about a removed meeting, with the calendar cancellation."""
    ctx.reply(ctx._("❌ <b>{title}</b> ({when}) has been removed from the programme. Sorry – it "
                    "will not take place.", title=texts.title(ctx, event),
                    when=texts.when(ctx, event)))
    for document in ctx.hooks.attachments(ctx, event, "cancelled"):
        ctx.reply(document=document)
