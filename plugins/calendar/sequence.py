"""What keeps calendar entries updatable: a stable UID per meeting and a rising SEQUENCE.

Calendars replace an entry they already hold only when a file brings the same UID with a
higher SEQUENCE. The plugin keeps, per meeting, a fingerprint of everything that shows in a
calendar and a sequence number; a different fingerprint raises the number once, whichever
notices first (rendering a file or the programme's `event_changed`). Nothing about users
is stored here.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from assistant.context import Context
from assistant.derived import Derived
from assistant.model import Event, Programme


def uid(ctx: Context, event: Event) -> str:
    """The meeting's UID, the same across renders, restarts and programme reloads."""
    return f"{event.id}@{installation(ctx)}.mingel"


def installation(ctx: Context) -> str:
    """A random token made once per data directory, so two Mingel installations never share UIDs."""
    table = ctx.table("installation")
    memo = table.memo()
    if (token := memo.get("token")) is None:
        doc = table.first()
        if doc is None:
            token = secrets.token_hex(6)
            table.insert({"token": token})
        else:
            memo["token"] = token = str(doc["token"])
    return token


PRINTS_KEPT = 4096
"""Fingerprints kept, by meeting and programme version (a hash and two references each)."""
_prints: Derived[str] = Derived(PRINTS_KEPT)


def fingerprint(event: Event, programme: Programme | None, cancelled: bool) -> str:
    """A hash of the fields a calendar shows, in every language; made once per version of the
    programme, since every file and every answer of Coming asks for it."""
    return _prints.get((programme, event), cancelled,
                       lambda: _fingerprint(event, programme, cancelled))


def _fingerprint(event: Event, programme: Programme | None, cancelled: bool) -> str:
    networks = programme.networks if programme else {}
    fields: dict[str, Any] = {
        "start": event.start.isoformat(), "end": event.end.isoformat(),
        "zone": str(getattr(event.timezone, "key", event.timezone)),
        "title": dict(event.title), "description": dict(event.description),
        "note": dict(event.note), "url": event.url, "cancelled": cancelled,
        "venue": None if event.venue is None else [
            event.venue.name, event.venue.address, event.venue.latitude, event.venue.longitude],
        "online": None if event.online is None else [
            event.online.platform, event.online.url, event.online.private],
        "speakers": [[p.name, dict(p.role)] for p in event.speakers],
        "networks": [[n, dict(networks[n].name) if n in networks else None]
                     for n in event.networks],
    }
    data = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def sequence(ctx: Context, event: Event, cancelled: bool) -> int:
    """The meeting's current SEQUENCE, raised once if it changed since the last look."""
    table = ctx.table("events", indexes=("event",))
    current = fingerprint(event, ctx.programme, cancelled)
    memo = table.memo()
    if (number := memo.get((event.id, current))) is not None:
        return number
    end = event.end.astimezone(UTC).isoformat()
    doc = table.first(event=event.id)
    if doc is None:
        table.insert({"event": event.id, "fingerprint": current, "sequence": 0, "end": end})
        return 0
    if doc["fingerprint"] == current:
        number = memo[event.id, current] = int(doc["sequence"])
        return number
    number = int(doc["sequence"]) + 1
    table.update(doc.doc_id, {"fingerprint": current, "sequence": number, "end": end})
    return number


def absorb(ctx: Context, event_id: str, count: int) -> None:
    """A removed answer's changes of days move into the meeting's number, so that a file made
    for that person later (after answering again) never falls below one they were sent."""
    table = ctx.table("events", indexes=("event",))
    doc = table.first(event=event_id)
    if doc is not None and count > 0:
        table.update(doc.doc_id, {"sequence": int(doc["sequence"]) + count})


def forget_ended(ctx: Context, before: datetime) -> int:
    """Drop the numbers of meetings that ended before a moment; returns how many."""
    table = ctx.table("events", indexes=("event",))
    old = [doc for doc in table.all() if datetime.fromisoformat(doc["end"]) < before]
    for doc in old:
        table.remove(doc.doc_id)
    return len(old)
