"""Messages to people other than the one acting: promotions, demotions and programme changes.

They all go through the outbox with a dedupe key, so each reaches its person once.
Programme changes are collected per meeting in `rsvp_changes` and sent by `tick` once
the organisers have stopped editing for MINGEL_CHANGE_DELAY: several edits become one
message that says, per field, what it was before the first edit and after the last. The
places those edits changed are kept with it (`seats`) and told right after it, which
explains them. A notice never waits past its meeting's start (`due_at`), and one that
keeps failing does not hold anyone's reminders back for long (`untold`); it is tried again
after longer and longer pauses, and just before the start (`retry_at`).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from babel.units import format_unit

from assistant import spans
from assistant.model import Attendance, Event
from assistant.text import escape

from . import edits, overlap, seats, texts, ways, wording

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
RETRY_FIRST = timedelta(seconds=30)
"""A notice that failed is tried again this long after (the next tick), then after twice as
long each time it fails again, up to `RETRY_MAX`: a bug used to log its traceback on every
tick (twice a minute) until the meeting ended."""
RETRY_MAX = timedelta(minutes=10)


def changes(ctx: Context) -> Table:
    """Pending programme changes and the notice counter, one document per meeting."""
    return ctx.table("changes", indexes=("event",))


async def tell_moved(ctx: Context, event: Event, moves: list[seats.Move]) -> None:
    """Tell each person the rules moved (promoted or demoted), once per move, and then the
    other plugins (so that what they send follow this message); nobody is told about a place
    at a meeting that is cancelled or over. Someone whose place or days a pending change
    notice's edits changed hears the outcome after that notice instead (`held_back`)."""
    table = seats.answers(ctx)
    held = _pending_seats(ctx, event.id) if moves else {}
    for move in moves:
        if str(move.user_id) in held:
            _hold(ctx, event.id, move)
            continue
        if not (event.cancelled or event.end_utc <= ctx.now):
            tell_move(ctx, table, event, move)
        await ctx.hooks.rsvp_changed(ctx, event, move.user_id, move.before, move.after)


def pending(ctx: Context, event_id: str) -> bool:
    """Whether a change notice about the meeting waits for its quiet time to pass."""
    doc = changes(ctx).first(event=event_id)
    return doc is not None and bool(doc.get("due"))


def _pending_seats(ctx: Context, event_id: str) -> dict[str, Any]:
    """The people a pending notice's edits moved or changed the days of (none when no notice
    is pending)."""
    doc = changes(ctx).first(event=event_id)
    return doc.get("seats", {}) if doc is not None and doc.get("due") else {}


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


def _hold(ctx: Context, event_id: str, move: seats.Move) -> None:
    """Keep a move for the pending notice: only the answer before it matters, told against
    the answer at the notice's time (a demotion and a promotion cancel out)."""
    table = changes(ctx)
    doc = table.first(event=event_id)
    assert doc is not None
    held = dict(doc.get("seats", {}))
    entry = dict(held.get(str(move.user_id), {}))
    if move.before is not None:
        entry.setdefault("before", dump(move.before))
    held[str(move.user_id)] = entry
    table.update(doc.doc_id, {"seats": held})


def restorable(ctx: Context, event_id: str) -> dict[int, edits.Origin]:
    """Per person the pending notice's edits changed the days of: the days they had before
    the first of them, the meeting's days then, and the `days_revision` the last one left
    (to place them from those days again while they have not chosen since)."""
    return {int(user): edits.Origin(entry["days"], entry.get("placed", False), entry["rev"],
                                    entry["of"])
            for user, entry in _pending_seats(ctx, event_id).items()
            if "rev" in entry and "of" in entry}


def forget(ctx: Context, user_id: int) -> None:
    """Take a person out of every pending notice (/forget)."""
    table = changes(ctx)
    for doc in table.all():
        if str(user_id) in doc.get("seats", {}):
            table.update(doc.doc_id, {"seats": {user: entry for user, entry in doc["seats"].items()
                                                if user != str(user_id)}})


def kept_for(ctx: Context, user_id: int) -> list[dict[str, Any]]:
    """What pending notices keep about a person (/mydata)."""
    return [{"event": doc["event"], **ctx.named(doc["event"]),
             "pending_change_notice": doc["seats"][str(user_id)]}
            for doc in changes(ctx).all() if str(user_id) in doc.get("seats", {})]


def tell_move(ctx: Context, table: Table, event: Event, move: seats.Move,
              reason: str = "fewer") -> None:
    """The message about one promotion or demotion, through the outbox, with the files that
    add the meeting to the person's calendar or remove it. A demotion says why: fewer places
    (`reason` "fewer"), the meeting changed ("changed"), or nothing the person was told of
    ("none": edits that cancelled out)."""
    count = seats.moves_counter(table, event.id, move.user_id)

    def build(target: Context, move: seats.Move = move) -> None:
        if move.after is None:
            return
        if move.kind == "promoted":
            target.reply(promotion(target, event, move.after, move.before))
            if (warning := overlap.note(target, event, move.after.days)) is not None:
                target.reply(warning)  # a place only waited for was no double booking yet
            for document in target.hooks.attachments(target, event, "promoted"):
                target.reply(document=document)
        elif ways.split(move.after):  # which of their days wait, and on which list
            target.reply(ways.demotion(target, event, move.after, reason))
        elif reason == "changed":
            target.reply(target._(
                "After the changes to <b>{title}</b> ({when}) there is no place left for "
                "you: you're on the waiting list, place {n}. I'll tell you at once if a "
                "place opens up.", title=texts.title(target, event),
                when=texts.when(target, event, bracketed=True), n=move.after.position))
        elif reason == "none":
            target.reply(target._(
                "There is no place left for you at <b>{title}</b> ({when}) any more: you're "
                "on the waiting list, place {n}. I'll tell you at once if a place opens up.",
                title=texts.title(target, event),
                when=texts.when(target, event, bracketed=True), n=move.after.position))
        else:
            target.reply(target._(
                "There are now fewer places at <b>{title}</b> ({when}). As one of the last "
                "to answer, you're on the waiting list, place {n}. I'll tell you at once if "
                "a place opens up.", title=texts.title(target, event),
                when=texts.when(target, event, bracketed=True), n=move.after.position))
        if move.kind == "demoted" and seats.expected(move.before):
            kept = seats.expected(move.after)  # an answer both ways keeps its other days
            for document in target.hooks.attachments(target, event,
                                                     "days" if kept else "removed"):
                target.reply(document=document)
    ctx.send_to(move.user_id, build, key=f"{move.kind}:{event.id}:{move.user_id}:{count}")


def promotion(ctx: Context, event: Event, att: Attendance,
              before: Attendance | None = None) -> str:
    """'A place has opened up …': online or in person, for the days chosen of a gathering
    (with each day's way when they come in person on some and online on others: the place is
    that of the days of the way that waited)."""
    title = texts.title(ctx, event)
    answer = texts.status(ctx, att) if att.online_days else texts.label(ctx, att.answer)
    kind, mine = ways.promoted_days(event, before or att, att)
    if mine and event.is_multi_day:
        days = ", ".join(texts.day(ctx, event, d) for d in mine)
        if kind == "online":
            line = ctx._("Good news! An online place has opened up at <b>{title}</b> and it's "
                         "yours for {days}. Your answer: {answer}.", title=title, days=days,
                         answer=answer)
        else:
            line = ctx._("Good news! A place has opened up at <b>{title}</b> and it's yours "
                         "for {days}. Your answer: {answer}.", title=title, days=days,
                         answer=answer)
        return " ".join(filter(None, (line, time_left(ctx, event, att))))
    when = texts.when(ctx, event, bracketed=True)
    if att.answer == "online":
        line = ctx._("Good news! An online place has opened up at <b>{title}</b> ({when}) and "
                     "it's yours. Your answer: {answer}.", title=title, when=when, answer=answer)
    else:
        line = ctx._("Good news! A place has opened up at <b>{title}</b> ({when}) and it's "
                     "yours. Your answer: {answer}.", title=title, when=when, answer=answer)
    return " ".join(filter(None, (line, time_left(ctx, event))))


SOON = timedelta(hours=3)
"""A place given this close to the start says how long is left: on the morning of a meeting
the date alone ("Tuesday 21 September, 09:30–12:30") does not tell someone whose seat came
30 minutes before it, or after it began, that they must leave now."""


def time_left(ctx: Context, event: Event, att: Attendance | None = None) -> str | None:
    """'It starts in 30 minutes.' within SOON of the start (whole hours from two on, never more
    than is left), 'It has already begun.' after it (a seat given up during the meeting
    still goes to the next in line), else None; of their own first day for someone who
    chose a gathering's later days (`spans`)."""
    mine = spans.attended(event, att)
    day = mine.start != event.start
    left = mine.start_utc - ctx.now
    if left <= timedelta(0):
        return ctx._("Your day there has already begun.") if day \
            else ctx._("It has already begun.")
    if left > SOON:
        return None
    minutes = max(1, round(left / timedelta(minutes=1)))
    unit, count = ("minute", minutes) if minutes < 120 else ("hour", minutes // 60)
    when = format_unit(count, f"duration-{unit}", length="long",
                       locale=ctx.fmt_event(event).locale)
    return ctx._("Your day there starts in {when}.", when=when) if day \
        else ctx._("It starts in {when}.", when=when)


def fewer(before: Event, after: Event, kind: str) -> bool:
    """Whether the meeting now has fewer places of this kind."""
    old, new = seats.limit(before, kind), seats.limit(after, kind)
    return new is not None and (old is None or new < old)


def convert(ctx: Context, event: Event
            ) -> tuple[list[edits.Conversion], dict[int, edits.Dropped]]:
    """Give back the answers (and days followed online) the pending notice's edits moved,
    where the meeting offers them again and the person has not answered or chosen days since
    (an edit and its undo leave everyone as they were), then move every answer the meeting no
    longer offers (`edits.convert`) and drop the days it no longer offers online
    (`edits.drop_online`)."""
    table, notices = seats.answers(ctx), changes(ctx)
    doc = notices.first(event=event.id)
    held = doc.get("seats", {}) if doc is not None and doc.get("due") else {}
    back = {user for user, entry in held.items() if "mode" in entry and edits.restore(
        table, event, int(user), **entry["mode"])}
    again = {user for user, entry in held.items() if "dropped" in entry
             and edits.give_back_online(table, event, int(user), **entry["dropped"])}
    if back or again:
        assert doc is not None
        notices.update(doc.doc_id, {"seats": {
            user: {k: v for k, v in entry.items()
                   if not (k == "mode" and user in back or k == "dropped" and user in again)}
            for user, entry in held.items()}})
    return edits.convert(table, event, ctx.now), edits.drop_online(table, event)


def held_back(ctx: Context, before: Event, after: Event, moves: list[seats.Move],
              lost: dict[int, seats.Lost], moved_days: dict[int, edits.Before],
              converted: list[edits.Conversion] | None = None,
              dropped: dict[int, edits.Dropped] | None = None) -> None:
    """Keep the seat changes an edit caused (and the days a move changed), to be told after
    the notice about the edit, which explains them: per person their answer before the first
    such edit, why they moved, the days they had before the first edit that changed them
    (unless they chose since), whether those were a placement, the days a move took, and the
    answer the meeting no longer offered (`mode`: what to give back if it offers it again)
    and the days followed online a meeting made in person only took out of an answer
    (`dropped`, likewise)."""
    table = changes(ctx)
    doc = table.first(event=after.id)
    if doc is None:
        return
    held: dict[str, Any] = dict(doc.get("seats", {}))
    answers = seats.answers(ctx)
    for conversion in converted or ():
        entry = dict(held.get(str(conversion.user_id), {}))
        entry.setdefault("before", dump(conversion.before))
        entry["mode"] = {"answer": conversion.before.answer, "seq": conversion.seq,
                         "was": conversion.was, "at": conversion.before.at.isoformat(),
                         "waiting": conversion.before.waiting}
        held[str(conversion.user_id)] = entry
    for user_id, drop in (dropped or {}).items():
        entry = dict(held.get(str(user_id), {}))
        entry.setdefault("before", dump(drop.before))
        doc_now = answers.first(event=after.id, user=user_id)
        entry["dropped"] = {"days": drop.days, "online": drop.online, "waiting": drop.waiting,
                            "rev": doc_now.get("days_revision", 0) if doc_now else 0}
        held[str(user_id)] = entry
    for move in moves:
        entry = dict(held.get(str(move.user_id), {}))
        if move.before is not None:
            entry.setdefault("before", dump(move.before))
        if move.kind == "demoted" and fewer(before, after, lost_kind(move)):
            entry["reason"] = "fewer"
        held[str(move.user_id)] = entry
    for user_id, (days, placed, revision) in moved_days.items():
        entry = dict(held.get(str(user_id), {}))
        if entry.get("rev") != revision:
            entry.pop("lost", None)
            entry.update(days=days, placed=placed, of=seats.event_days(before))
        doc_now = answers.first(event=after.id, user=user_id)
        entry["rev"] = doc_now.get("days_revision", 0) if doc_now else revision
        held[str(user_id)] = entry
    for user_id, gone_days in lost.items():
        entry = dict(held.get(str(user_id), {}))
        entry.setdefault("lost", list(gone_days.days))
        if "before" not in entry and (att := seats.current(answers, after.id, user_id)):
            entry["before"] = dump(att)
        held[str(user_id)] = entry
    table.update(doc.doc_id, {"seats": held})


def lost_kind(move: seats.Move) -> str:
    """The kind of place a demotion took: the online one of the days an answer both ways
    follows online when that is the one that waits now, else the answer's own."""
    if ways.split(move.after) and move.before is not None and move.after is not None \
            and move.after.online_waiting and not move.before.online_waiting:
        return "online"
    return move.after.answer if move.after else "in_person"


def dump(att: Attendance) -> dict[str, Any]:
    """An answer as JSON, to tell later what changed since (the days followed online and
    their waiting list only when there are any)."""
    return {"answer": att.answer, "waiting": att.waiting, "position": att.position,
            "days": list(att.days), "at": att.at.isoformat(),
            "days_revision": att.days_revision, "place_revision": att.place_revision,
            **({"online_days": list(att.online_days), "online_waiting": att.online_waiting,
                "online_position": att.online_position} if att.online_days else {})}


def load(event_id: str, user_id: int, data: dict[str, Any]) -> Attendance:
    """An answer kept by `dump`."""
    return Attendance(event_id=event_id, user_id=user_id, answer=data["answer"],
                      at=datetime.fromisoformat(data["at"]), waiting=data["waiting"],
                      position=data["position"], days=tuple(data["days"]),
                      days_revision=data["days_revision"],
                      place_revision=data.get("place_revision", 0),
                      online_days=tuple(data.get("online_days", ())),
                      online_waiting=data.get("online_waiting", False),
                      online_position=data.get("online_position"))


def gone(event: Event, entry: dict[str, Any] | None) -> list[str]:
    """The days a person had chosen that the meeting no longer has (all of theirs)."""
    every = seats.event_days(event)
    return [d for d in (entry or {}).get("lost", []) if d not in every]


def asks_days(event: Event, fields: dict[str, Any], entry: dict[str, Any] | None) -> bool:
    """Whether the change notice asks this person to choose their days again."""
    return bool(fields) and not fields.get("cancelled", {}).get("after") \
        and event.is_multi_day and bool(gone(event, entry))


async def tell_held(ctx: Context, event: Event, user_id: int, entry: dict[str, Any],
                    fields: dict[str, Any], counter: int) -> None:
    """After the change notice: the person's promotion or demotion, if it still holds (they
    may have answered again meanwhile), or the double booking a place the notice gave brings
    (`warn_overlap`), then the other plugins."""
    move = held_move(ctx, event, user_id, entry)
    if move is None:
        if (now := converted_to(ctx, event, user_id, entry)) is not None:
            before = load(event.id, user_id, entry["before"])
            warn_overlap(ctx, event, before, now, counter)
            await ctx.hooks.rsvp_changed(ctx, event, user_id, before, now)
        elif "dropped" in entry and "before" in entry:  # their days followed online left
            await ctx.hooks.rsvp_changed(ctx, event, user_id,
                                         load(event.id, user_id, entry["before"]),
                                         seats.current(seats.answers(ctx), event.id, user_id))
        return
    reason = entry.get("reason", "changed" if fields else "none")
    if tells_move(event, fields, entry):
        tell_move(ctx, seats.answers(ctx), event, move, reason)  # a promotion warns itself
    else:
        warn_overlap(ctx, event, move.before, move.after, counter)
    await ctx.hooks.rsvp_changed(ctx, event, user_id, move.before, move.after)


def warn_overlap(ctx: Context, event: Event, before: Attendance | None, after: Attendance | None,
                 counter: int) -> None:
    """The double-booking note, on its own after the change notice, for someone the notice
    itself gave a place (made online only, or put down for days with a free seat after their
    own went): a place from the waiting list by any other route says it too (`tell_move`)."""
    if after is None or event.cancelled or not overlap.newly_there(before, after):
        return

    def build(target: Context) -> None:
        if (warning := overlap.note(target, event, after.days)) is not None:
            target.reply(warning)
    ctx.send_to(after.user_id, build, key=f"overlap:{event.id}:{counter}:{after.user_id}")


def held_move(ctx: Context, event: Event, user_id: int, entry: dict[str, Any] | None
              ) -> seats.Move | None:
    """The promotion or demotion a pending notice keeps for this person, if it still holds
    (they may have answered again meanwhile)."""
    if not entry or "before" not in entry:
        return None
    before = load(event.id, user_id, entry["before"])
    after = seats.current(seats.answers(ctx), event.id, user_id)
    kind = ways.moved(before, after)
    return None if kind is None else seats.Move(user_id, before, after, kind)


def converted_to(ctx: Context, event: Event, user_id: int, entry: dict[str, Any] | None
                 ) -> Attendance | None:
    """The answer the pending notice's edits moved this person to (the meeting no longer
    offered theirs), while they have not answered since; None for anyone else."""
    mode = (entry or {}).get("mode")
    table = seats.answers(ctx)
    doc = table.first(event=event.id, user=user_id) if mode else None
    if doc is None or doc["seq"] != mode["seq"]:
        return None
    return seats.current(table, event.id, user_id)


def conversion_line(ctx: Context, event: Event, fields: dict[str, Any],
                    entry: dict[str, Any] | None) -> str | None:
    """For someone whose answer the meeting no longer offers: what it is now and how they
    take part. Online: the link to join (a private one comes shortly before the meeting, as
    to everyone coming online, or right after this notice when their time for it has come:
    `private_link`), unless the line about the online change said it already."""
    att = converted_to(ctx, event, ctx.user.id, entry) if ctx.user else None
    if att is None:
        return None
    if att.answer == "maybe":
        return ctx._("Your answer was “{before}”, so it is now “{answer}”. If you can come in "
                     "person, please answer “{in_person}” on the meeting's card (/rsvp {id}).",
                     before=texts.label(ctx, "online"), answer=texts.label(ctx, "maybe"),
                     in_person=texts.label(ctx, "in_person"), id=escape(event.id))
    parts = [ctx._("The meeting is now online only, so your answer is now “{answer}”.",
                   answer=texts.label(ctx, att.answer))]
    if att.waiting:
        parts.append(ctx._("Every online place is taken, though: you're on the online waiting "
                           "list, place {n}. I'll tell you at once if a place opens up.",
                           n=att.position))
    elif event.online is not None and "online" not in fields:
        parts.append(private_link(ctx, event) if event.online.private
                     else ctx._("The link to join: {url}", url=escape(event.online.url)))
    return " ".join(part for part in parts if part)


def private_link(ctx: Context, event: Event) -> str:
    """When someone moved online gets the private link: in a moment when it follows this
    notice at once (`private_link_due`: their last reminder's time has come, or the meeting
    has begun), else shortly before the meeting; nothing once it has begun for someone it
    has reached already. At a gathering "begun" is their own first day's start (`spans`)."""
    mine = spans.attended(event, seats.current(seats.answers(ctx), event.id, ctx.user.id))
    day, begun = mine.start != event.start, mine.start_utc <= ctx.now
    if ctx.hooks.private_link_due(ctx, event, ctx.user.id):
        if begun:
            return ctx._("Your day there has begun: you'll get the link to join in a moment.") \
                if day else ctx._("The meeting has begun: you'll get the link to join in a "
                                  "moment.")
        return ctx._("You'll get the link to join in a moment.")
    if begun:
        return ""
    return ctx._("You'll get the link to join shortly before your day there begins.") if day \
        else ctx._("You'll get the link to join shortly before the meeting.")


def tells_move(event: Event, fields: dict[str, Any], entry: dict[str, Any] | None) -> bool:
    """Whether a held move gets its own message after the change notice: not at a cancelled
    meeting, nor when the notice asks the person to choose their days again (it says where
    they stand)."""
    return not (event.cancelled or asks_days(event, fields, entry))


def promoted_after(ctx: Context, event: Event, fields: dict[str, Any],
                   entry: dict[str, Any] | None) -> bool:
    """Whether the change notice is followed by the message that this person has a place
    now, which brings the calendar file: the notice then brings none (one file, with the
    news that the place is theirs)."""
    move = held_move(ctx, event, ctx.user.id, entry) if entry and ctx.user else None
    return move is not None and move.kind == "promoted" and tells_move(event, fields, entry)


def had_calendar(ctx: Context, event_id: str, entry: dict[str, Any] | None) -> bool:
    """Whether the reader may have the meeting in their calendar: a place or a maybe now, or
    before the edits a pending notice tells (whose demotion it has not told yet). Someone who
    only ever waited was never sent a file, and one demoted earlier got its removal then."""
    doc = seats.answers(ctx).first(event=event_id, user=ctx.user.id) if ctx.user else None
    return (doc is not None and seats.expects(doc)) or bool(
        entry and "before" in entry and seats.expected(load(event_id, ctx.user.id,
                                                            entry["before"])))


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
    return sorted({*people, *seats.would_move(seats.answers(ctx), after)})


def as_read(fields: dict[str, dict[str, Any]], lang: str) -> dict[str, dict[str, Any]]:
    """The changes a reader of this language is told of: those that changed, less a title or
    note that reads as before in their language (their text, or the one it falls back to,
    did not change, or was only wrapped anew). The notice and the preview's count both go by
    it, so that they agree."""
    return {field: change for field, change in fields.items()
            if (wording.reading(change["before"], lang) != wording.reading(change["after"], lang)
                if field in TRANSLATED else change["before"] != change["after"])}


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
    table, failing = changes(ctx), _failing.setdefault(ctx.assistant, {})
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
    then after twice as long each time, at most `RETRY_MAX` apart, and `BEFORE_START` the
    meeting at the latest, for a last chance to tell people before it begins (the reminders
    it held back go all the same once it is `OVERDUE`)."""
    retry = now + min(RETRY_FIRST * 2 ** min(count - 1, 10), RETRY_MAX)
    last = event.start_utc - BEFORE_START if event is not None else None
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
    for user_id in recipients(ctx, event.id):
        entry = held.get(str(user_id))
        if fields:
            ctx.send_to(user_id, lambda target, e=event, f=fields, s=entry:
                        describe(target, e, f, s),
                        key=f"changed:{event.id}:{doc['counter']}:{user_id}")
        if entry:
            await tell_held(ctx, event, user_id, entry, as_read(fields, users.language(user_id)),
                            doc["counter"])
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


def describe(ctx: Context, event: Event, fields: dict[str, dict[str, Any]],
             entry: dict[str, Any] | None = None) -> None:
    """The one message about a meeting's changes, in the reader's language, with its files;
    its first line says when the meeting is now (naming the zone of one joined online, once
    for the whole notice); someone whose days all went (`entry`) learns where that leaves
    them. A title or note that reads as before in their language is left out (`as_read`)."""
    fields = as_read(fields, ctx.lang)
    title, when = texts.title(ctx, event), texts.when(ctx, event, bracketed=True)
    if fields.get("cancelled", {}).get("after"):
        ctx.reply(ctx._("❌ <b>Cancelled:</b> {title} ({when}). Sorry – this meeting will not "
                        "take place.", title=title, when=when))
        if not had_calendar(ctx, event.id, entry):
            return
        reason = "cancelled"
    else:
        att = seats.current(seats.answers(ctx), event.id, ctx.user.id) \
            if "invite_only" in fields or event.is_multi_day else None
        lines = [ctx._("✏️ <b>Changes to {title}</b> ({when}):", title=title, when=when)]
        lines += [wording.line(ctx, event, f, fields[f]["before"], fields[f]["after"], att)
                  for f in NOTIFIED if f in fields]
        reason = "changed"
        for moved in (conversion_line(ctx, event, fields, entry),
                      ways.dropped_line(ctx, event, entry)):
            if moved is not None:
                lines.append(moved)
                if lost_place(ctx, event, entry):
                    reason = "removed"
        if asks_days(event, fields, entry):
            lines.append(lost_days(ctx, event, gone(event, entry),
                                   bool((entry or {}).get("placed"))))
            if lost_place(ctx, event, entry):
                reason = "removed"
        elif "time" in fields and event.is_multi_day and wording.days_at(event, fields["time"]["before"]) \
                != seats.event_days(event) and (days_line := new_days(ctx, event, att)):
            lines.append(days_line)
        if len(lines) == 1:
            return  # only another language's title or note changed: nothing new for this reader
        ctx.reply("\n".join(lines))
        if all(f in NOT_IN_CALENDAR for f in fields) or (
                reason == "changed" and promoted_after(ctx, event, fields, entry)):
            return
    for document in ctx.hooks.attachments(ctx, event, reason):
        ctx.reply(document=document)


def new_days(ctx: Context, event: Event, att: Attendance | None) -> str | None:
    """After a gathering's days changed: the days a place holder is now down for (every day
    when they chose none); someone waiting is asked to check theirs; a maybe holds no days."""
    if att is None or att.answer not in seats.PLACES:
        return None
    if att.waiting:
        return ctx._("The days have changed: please check the days you come on the meeting's "
                     "card (/rsvp {id}).", id=escape(event.id))
    return ctx._("The days have changed: you're down for {days}. Please check your days on the "
                 "meeting's card (/rsvp {id}).", days=texts.days(ctx, event, att),
                 id=escape(event.id))


def lost_place(ctx: Context, event: Event, entry: dict[str, Any] | None) -> bool:
    """Whether the edits took the place this person had before them (they wait now): this
    notice, the only one they get about it, then brings the file that removes the meeting
    from their calendar."""
    if not entry or "before" not in entry:
        return False
    now = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    return seats.expected(load(event.id, ctx.user.id, entry["before"])) \
        and not seats.expected(now)


def lost_days(ctx: Context, event: Event, lost: list[str], placed: bool = False) -> str:
    """For someone whose days a move took: where they stand now, and to choose again; days
    the bot had put them down for (`placed`) are not called their choice."""
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    had = ", ".join(texts.day(ctx, event, d) for d in lost)
    if att is not None and att.waiting:
        if placed:
            return ctx._("None of the days I had put you down for ({had}) is part of the meeting "
                         "any more, and its new days have no free place: you're on the waiting "
                         "list, place {n}. Please choose your days on the meeting's card (/rsvp "
                         "{id}).", had=had, n=att.position, id=escape(event.id))
        return ctx._("None of the days you had chosen ({chosen}) is part of the meeting any "
                     "more, and its new days have no free place: you're on the waiting list, "
                     "place {n}. Please choose your days on the meeting's card (/rsvp {id}).",
                     chosen=had, n=att.position, id=escape(event.id))
    days = texts.days(ctx, event, att) if att is not None else ""
    if placed:
        return ctx._("None of the days I had put you down for ({had}) is part of the meeting any "
                     "more. For now I've put you down for {days}: please choose your days on "
                     "the meeting's card (/rsvp {id}).", had=had, days=days, id=escape(event.id))
    return ctx._("None of the days you had chosen ({chosen}) is part of the meeting any more. "
                 "For now I've put you down for {days}: please choose your days on the "
                 "meeting's card (/rsvp {id}).", chosen=had, days=days, id=escape(event.id))


async def removed(ctx: Context, event: Event) -> None:
    """A meeting left the programme: tell those coming, then forget its answers."""
    table, pending = seats.answers(ctx), changes(ctx)
    doc = pending.first(event=event.id)
    counter = doc["counter"] if doc else 0
    if event.end_utc > ctx.now:
        held = doc.get("seats", {}) if doc is not None and doc.get("due") else {}
        for user_id in recipients(ctx, event.id):
            entry = held.get(str(user_id))
            ctx.send_to(user_id, lambda target, entry=entry: removal(target, event, entry),
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


def removal(ctx: Context, event: Event, entry: dict[str, Any] | None = None) -> None:
    """The message about a removed meeting, with the calendar cancellation for someone who may
    have it in their calendar (`had_calendar`; `entry`: what a pending notice keeps of them)."""
    ctx.reply(ctx._("❌ <b>{title}</b> ({when}) has been removed from the programme. Sorry – it "
                    "will not take place.", title=texts.title(ctx, event),
                    when=texts.when(ctx, event, bracketed=True)))
    if not had_calendar(ctx, event.id, entry):
        return
    for document in ctx.hooks.attachments(ctx, event, "cancelled"):
        ctx.reply(document=document)
