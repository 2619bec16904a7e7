"""The outbox: every message that is not an immediate reply is stored, then sent, once.

Items are written in the same commit as the change that caused them, sent in order
within Telegram's limits (overall and per chat), marked sent after Telegram accepted
them, and resumed after a restart. A 403 marks the user unreachable and drops their
queue; 429 pauses everything for `retry_after`; other failures back off and retry a
bounded number of times.
"""
from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from .types import Button, Document, Reply, Venue

if TYPE_CHECKING:
    from .core import Assistant

TABLE = "assistant_outbox"
MAX_ATTEMPTS = 5
PER_CHAT_INTERVAL = 1.0
KEEP_SENT = timedelta(days=30)
log = logging.getLogger("assistant.outbox")


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
    """What the outbox needs from an adapter."""

    async def send(self, chat_id: int, reply: Reply) -> None:
        """Deliver one message or raise Blocked, RetryLater or Rejected."""


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


class Pacer:
    """Keeps sends under an overall rate and one message a second per chat."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate if rate > 0 else 0.0
        self.per_chat = PER_CHAT_INTERVAL if rate > 0 else 0.0
        self._next = 0.0
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0

    def chat_ready(self, chat_id: int) -> bool:
        """May this chat get a message now?"""
        return self._chat_next.get(chat_id, 0.0) <= time.monotonic()

    async def acquire(self, chat_id: int) -> None:
        """Wait for a slot in the overall rate, then book the chat's slot."""
        now = time.monotonic()
        wait = max(self._next, self._paused_until) - now
        if wait > 0:
            await asyncio.sleep(wait)
            now = time.monotonic()
        self._next = now + self.interval
        self._chat_next[chat_id] = now + self.per_chat
        if len(self._chat_next) > 10_000:
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}

    def pause(self, seconds: float) -> None:
        """Obey retry_after for everything."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)


class Outbox:
    """The persistent queue and its sender."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.pacer = Pacer(assistant.config.send_rate)
        self._wake = asyncio.Event()
        self.stats = {"sent": 0, "unreachable": 0, "failed": 0, "retry_after": 0}

    @property
    def table(self):  # noqa: ANN202 - storage Table
        return self.assistant.store.table(TABLE, indexes=("state", "chat", "key"))

    def enqueue(self, chat_id: int, replies: Sequence[Reply], key: str | None = None) -> bool:
        """Store messages for a user; False if the key was used before or the user is gone."""
        if key is not None and self.table.first(key=key) is not None:
            return False
        if not self.assistant.users.reachable(chat_id):
            return False
        self.table.insert({"chat": chat_id, "key": key, "state": "pending", "attempts": 0,
                           "done": 0, "not_before": None, "error": None,
                           "created": self.assistant.clock.now().isoformat(),
                           "replies": [dump_reply(r) for r in replies]})
        self._wake.set()
        return True

    def pending(self) -> list[Any]:
        """Items waiting to go, oldest first."""
        return sorted(self.table.find(state="pending"), key=lambda d: d.doc_id)

    def sent_keys(self, prefix: str) -> set[str]:
        """Keys already queued under a prefix (e.g. one plugin's reminders)."""
        return {d["key"] for d in self.table.all() if d.get("key", "") and
                d["key"].startswith(prefix)}

    def drop_chat(self, chat_id: int, reason: str = "unreachable") -> int:
        """Forget a chat's pending items (blocked bot, /forget)."""
        items = [d for d in self.table.find(chat=chat_id) if d["state"] == "pending"]
        for item in items:
            self.table.update(item.doc_id, {"state": "dropped", "error": reason})
        return len(items)

    def forget_chat(self, chat_id: int) -> None:
        """Remove every item for a chat, sent or not (for /forget)."""
        for item in self.table.find(chat=chat_id):
            self.table.remove(item.doc_id)

    def prune(self, now: datetime) -> int:
        """Remove finished items older than a month; keys of pending ones stay."""
        cutoff = (now - KEEP_SENT).isoformat()
        old = [d for d in self.table.all() if d["state"] != "pending" and d["created"] < cutoff]
        for item in old:
            self.table.remove(item.doc_id)
        return len(old)

    async def run(self, transport: Transport) -> None:
        """Send forever; cancel the task to stop."""
        while True:
            sent_any = await self.drain(transport)
            if not sent_any:
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=1.0)
                except TimeoutError:
                    pass

    async def drain(self, transport: Transport) -> bool:
        """One pass over the queue; True if anything was attempted."""
        now = self.assistant.clock.now().isoformat()
        attempted = False
        for item in self.pending():
            if item["not_before"] and item["not_before"] > now:
                continue
            if not self.pacer.chat_ready(item["chat"]):
                continue
            current = self.table.get(item.doc_id)
            if current is None or current["state"] != "pending":
                continue
            attempted = True
            await self._send(transport, current)
            await self.assistant.store.commit()
        return attempted

    async def _send(self, transport: Transport, item: Any) -> None:
        chat = item["chat"]
        replies = item["replies"]
        done = item["done"]
        try:
            while done < len(replies):
                await self.pacer.acquire(chat)
                await transport.send(chat, load_reply(replies[done]))
                done += 1
        except Blocked:
            self.table.update(item.doc_id, {"done": done})
            self.assistant.users.set_reachable(chat, False)
            self.drop_chat(chat)
            self.stats["unreachable"] += 1
            log.info("user %s blocked the bot; their queue is dropped", chat)
            return
        except RetryLater as exc:
            self.table.update(item.doc_id, {"done": done})
            if exc.flood:
                self.stats["retry_after"] += 1
                self.pacer.pause(exc.seconds)
                return
            self._retry(item, done, str(exc))
            return
        except Rejected as exc:
            self.table.update(item.doc_id, {"done": done, "state": "failed", "error": str(exc)})
            self.stats["failed"] += 1
            log.warning("message %s to %s rejected: %s", item.doc_id, chat, exc)
            return
        except Exception as exc:  # noqa: BLE001 - any transport fault is retried, then recorded
            self._retry(item, done, repr(exc))
            return
        self.table.update(item.doc_id, {"done": done, "state": "sent",
                                        "sent": self.assistant.clock.now().isoformat()})
        self.stats["sent"] += 1

    def _retry(self, item: Any, done: int, error: str) -> None:
        attempts = item["attempts"] + 1
        if attempts >= MAX_ATTEMPTS:
            self.table.update(item.doc_id, {"done": done, "attempts": attempts,
                                            "state": "failed", "error": error})
            self.stats["failed"] += 1
            log.warning("giving up on message %s to %s: %s", item.doc_id, item["chat"], error)
            return
        delay = timedelta(seconds=2 ** attempts)
        self.table.update(item.doc_id, {"done": done, "attempts": attempts, "error": error,
                                        "not_before": (self.assistant.clock.now() + delay)
                                        .isoformat()})
