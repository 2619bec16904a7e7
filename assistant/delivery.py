"""What a delivery is, between the outbox and an adapter: the replies as stored and as
sent (one Bot API call each), and the outcomes an adapter reports for a send."""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any, Protocol

from .text import split_message
from .types import Button, Document, Reply, Venue


class Blocked(Exception):
    """The user blocked the bot or deleted their account (Telegram's 403)."""


class RetryLater(Exception):
    """Telegram asked us to slow down (429), or the network failed for a moment."""

    def __init__(self, seconds: float, flood: bool = True) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds
        self.flood = flood


class Rejected(Exception):
    """Telegram refused this message for good (400); retrying would not help."""


class Transport(Protocol):
    """What the outbox needs from an adapter (optionally also `parts(reply)`, see `parts`,
    and `reaches(chat_id) -> bool`: a transport that delivers to some chats only, as the
    terminal chat does to the user at the terminal, is given only their items; the others
    stay pending, neither tried nor counted as waiting, for a transport that reaches them)."""

    async def send(self, chat_id: int, reply: Reply) -> None:
        """Deliver one message or raise Blocked, RetryLater or Rejected."""


def parts(reply: Reply) -> list[Reply]:
    """The messages one reply becomes, one Bot API call each (map pin, file, text chunks)."""
    pieces = [Reply(venue=reply.venue)] if reply.venue else []
    if reply.document:
        pieces.append(Reply(document=reply.document,
                            buttons=[] if reply.text else reply.buttons))
    if reply.text:
        chunks = split_message(reply.text)
        pieces += [Reply(text=chunk, buttons=reply.buttons if n == len(chunks) - 1 else [])
                   for n, chunk in enumerate(chunks)]
    return pieces or [reply]


def dump_reply(reply: Reply) -> dict[str, Any]:
    """A reply as JSON-compatible data for storage."""
    data: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        data["buttons"] = [[{"text": b.text, "data": b.data, "url": b.url} for b in row]
                           for row in reply.buttons]
    if reply.document:
        d = reply.document
        data["document"] = {"filename": d.filename, "mime_type": d.mime_type, "caption": d.caption,
                            "content": base64.b64encode(d.content).decode()}
    if reply.venue:
        v = reply.venue
        data["venue"] = {"title": v.title, "address": v.address, "latitude": v.latitude,
                         "longitude": v.longitude}
    return data


def load_reply(data: dict[str, Any]) -> Reply:
    """The inverse of dump_reply."""
    doc = data.get("document")
    venue = data.get("venue")
    return Reply(
        text=data.get("text", ""),
        buttons=[[Button(**b) for b in row] for row in data.get("buttons", [])],
        document=Document(doc["filename"], base64.b64decode(doc["content"]), doc["mime_type"],
                          doc.get("caption")) if doc else None,
        venue=Venue(**venue) if venue else None,
    )


packed = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""An item's replies are stored as one JSON string, not as lists and dicts: a document of
plain values is a dict the cyclic collector does not track, and a broadcast to a festival
queues 40,000 items that live for a month (with nested replies, one full collection took
0.37 s after one; docs/benchmarks.md)."""


def stored_replies(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An item's replies as dump_reply() made them (items stored by earlier versions hold a list)."""
    replies = doc["replies"]
    return json.loads(replies) if isinstance(replies, str) else replies
