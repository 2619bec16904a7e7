"""Seat changes a pending change notice holds back, to be told after it, which explains them.

Per person in the notice's `seats` (`rsvp_changes`): their answer before the first edit that
moved them, why, the days they had and the answer or online days an edit took (to give them
back if the next edit offers them again). /mydata shows it and /forget deletes it.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.model import Attendance, Event

from . import edits, notices, seating, seats, ways

if TYPE_CHECKING:
    from assistant.context import Context


def pending_seats(ctx: Context, event_id: str) -> dict[str, Any]:
    """The people a pending notice's edits moved or changed the days of (none when no notice
    is pending)."""
    doc = notices.changes(ctx).first(event=event_id)
    return doc.get("seats", {}) if doc is not None and doc.get("due") else {}


def hold(ctx: Context, event_id: str, move: seats.Move) -> None:
    """Keep a move for the pending notice: only the answer before it matters, told against
    the answer at the notice's time (a demotion and a promotion cancel out)."""
    table = notices.changes(ctx)
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
            for user, entry in pending_seats(ctx, event_id).items()
            if "rev" in entry and "of" in entry}


def forget(ctx: Context, user_id: int) -> None:
    """Take a person out of every pending notice (/forget)."""
    table = notices.changes(ctx)
    for doc in table.all():
        if str(user_id) in doc.get("seats", {}):
            table.update(doc.doc_id, {"seats": {user: entry for user, entry in doc["seats"].items()
                                                if user != str(user_id)}})


def kept_for(ctx: Context, user_id: int) -> list[dict[str, Any]]:
    """What pending notices keep about a person (/mydata)."""
    return [{"event": doc["event"], **ctx.named(doc["event"]),
             "pending_change_notice": doc["seats"][str(user_id)]}
            for doc in notices.changes(ctx).all() if str(user_id) in doc.get("seats", {})]


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
    table, pending = seats.answers(ctx), notices.changes(ctx)
    doc = pending.first(event=event.id)
    held = doc.get("seats", {}) if doc is not None and doc.get("due") else {}
    back = {user for user, entry in held.items() if "mode" in entry and edits.restore(
        table, event, int(user), **entry["mode"])}
    again = {user for user, entry in held.items() if "dropped" in entry
             and edits.give_back_online(table, event, int(user), **entry["dropped"])}
    if back or again:
        assert doc is not None
        pending.update(doc.doc_id, {"seats": {
            user: {k: v for k, v in entry.items()
                   if not (k == "mode" and user in back or k == "dropped" and user in again)}
            for user, entry in held.items()}})
    return edits.convert(table, event, ctx.now), edits.drop_online(table, event)


def held_back(ctx: Context, before: Event, after: Event, moves: list[seats.Move],
              lost: dict[int, seating.Lost], moved_days: dict[int, edits.Before],
              converted: list[edits.Conversion] | None = None,
              dropped: dict[int, edits.Dropped] | None = None) -> None:
    """Keep the seat changes an edit caused (and the days a move changed), to be told after
    the notice about the edit, which explains them: per person their answer before the first
    such edit, why they moved, the days they had before the first edit that changed them
    (unless they chose since), whether those were a placement, the days a move took, and the
    answer the meeting no longer offered (`mode`: what to give back if it offers it again)
    and the days followed online a meeting made in person only took out of an answer
    (`dropped`, likewise)."""
    table = notices.changes(ctx)
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
