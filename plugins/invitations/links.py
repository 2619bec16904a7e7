"""Invitation links and who came in through them.

A token is `secrets.token_urlsafe(16)` (128 random bits). Only its SHA-256 hash is
stored, with the first four characters as a hint so organisers can tell links apart in
`/invite ID list`: a leaked database does not hand out working links, and the link
itself is shown once, when it is made. Admitting someone is a check and a write with
no `await` between, so a link limited to N uses admits exactly N people.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Event
    from assistant.storage import Table

PREFIX = "inv-"
HINT = 4


def links(ctx: Context) -> Table:
    """Every link: meeting, number, hash, hint, uses, limit, revoked, who made it."""
    return ctx.table("links", indexes=("event", "hash"))


def guests(ctx: Context) -> Table:
    """Who was let in to which meeting, through which link."""
    return ctx.table("guests", indexes=("event", "user"))


def digest(token: str) -> str:
    """What is stored instead of the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def create(ctx: Context, event: Event, max_uses: int | None) -> tuple[str, int]:
    """A new link for a meeting; (the token, the link's number for this meeting)."""
    token = secrets.token_urlsafe(16)
    number = 1 + max((d["number"] for d in links(ctx).find(event=event.id)), default=0)
    links(ctx).insert({"event": event.id, "number": number, "hash": digest(token),
                       "hint": token[:HINT], "max_uses": max_uses, "uses": 0, "revoked": False,
                       "created_by": ctx.user.id if ctx.user else None,
                       "created_at": ctx.now.isoformat()})
    return token, number


def find(ctx: Context, token: str) -> Any:
    """The link a token belongs to, or None."""
    return links(ctx).first(hash=digest(token)) if token else None


def invited(ctx: Context, event_id: str, user_id: int) -> bool:
    """Whether a user was let in to a meeting."""
    return guests(ctx).first(event=event_id, user=user_id) is not None


def admit(ctx: Context, link: Any, user_id: int, now: datetime) -> str:
    """Let a user in through a link: "admitted", "again" (already in: no use counted, even if
    the link was withdrawn since), "revoked" or "used up"."""
    link = links(ctx).get(link.doc_id)
    if link is not None and invited(ctx, link["event"], user_id):
        return "again"  # withdrawing a link keeps whom it let in
    if link is None or link["revoked"]:
        return "revoked"
    if link["max_uses"] is not None and link["uses"] >= link["max_uses"]:
        return "used up"
    links(ctx).update(link.doc_id, {"uses": link["uses"] + 1})
    guests(ctx).insert({"event": link["event"], "user": user_id, "link": link["number"],
                        "at": now.isoformat()})
    return "admitted"


def forget_guest(ctx: Context, user_id: int) -> None:
    """A guest asked to be forgotten: off every guest list, and each link they came in
    through gets its use back, so that no count stands for them (a one-use link "used up"
    would say that they opened it) and the link lets them, or whoever it was for, in
    again."""
    for guest in guests(ctx).find(user=user_id):
        guests(ctx).remove(guest.doc_id)
        link = links(ctx).first(event=guest["event"], number=guest["link"])
        if link is not None and link["uses"] > 0:
            links(ctx).update(link.doc_id, {"uses": link["uses"] - 1})


def revoke(ctx: Context, event_id: str, number: int | None) -> int:
    """Withdraw one link (or every link) of a meeting; returns how many were active."""
    count = 0
    for doc in links(ctx).find(event=event_id):
        if not doc["revoked"] and number in (None, doc["number"]):
            links(ctx).update(doc.doc_id, {"revoked": True})
            count += 1
    return count


def forget_event(ctx: Context, event_id: str) -> None:
    """A meeting left the programme: its links and guest list go too."""
    for table in (links(ctx), guests(ctx)):
        for doc in table.find(event=event_id):
            table.remove(doc.doc_id)
