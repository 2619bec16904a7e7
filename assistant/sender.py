"""The outbox's sender: it takes due items off the queue and sends them, one chat at a time.

Each Bot API call is marked (and committed) as soon as Telegram accepted it, so a restart
resumes where the sender stopped (docs/outbox.md). A 403 marks the user unreachable and
drops their queue; a 429 pauses everything for `retry_after`; other failures back off and
are retried a bounded number of times, then recorded as failed. The queue itself, its
records and what may be dropped or removed, is `outbox.Outbox`, which this is a part of.
"""
from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import anyio

from .delivery import Blocked, Rejected, RetryLater, Transport, load_reply, stored_replies
from .lull import Busy
from .pacing import Pacer
from .storage import SaveFailed

if TYPE_CHECKING:
    from .core import Assistant
    from .storage import Table

MAX_ATTEMPTS = 10
MAX_BACKOFF = 600.0
IN_FLIGHT = 8
"""Sends at once, so that the network's round trip does not cap the rate (30 a second with
a round trip of 100 ms needs three)."""
IN_FLIGHT_BUSY = 2
BUSY = 0.5
"""While the loop's thread has been running more than this share of the time, the outbox
keeps fewer sends going: each send's steps take their turns in the loop between an
answer's steps, and eight of them made answers on a busy morning wait 10–20 ms
(docs/benchmarks.md). It keeps as many as the paced rate needs over the sends' round trip
(`_room`), at least IN_FLIGHT_BUSY: against Telegram's round trip that is all the rate
needs, against a Bot API that answers at once it is two."""
TRIP_WEIGHT = 0.2
"""Weight of the latest send in the running mean of the sends' round trip."""
STOP_GRACE = 10.0
log = logging.getLogger("assistant.outbox")

Waiting = tuple[int, datetime | None, str | None]
"""What the sender keeps in memory about a pending item: chat, not before, key. A plain
tuple of plain values, which the cyclic collector stops tracking (a named tuple it walks
in every full collection, and a festival's broadcast leaves 40,000 waiting)."""


class Sender:
    """Sending, as part of the outbox: the queue (`_load`, `_finish`, `drop_chat`, `table`)
    is the outbox's."""

    assistant: Assistant
    pacer: Pacer
    busy: Busy
    stats: dict[str, int]
    trip: float
    table: Table
    _busy: dict[int, int]
    _doomed: dict[int, str | None]
    _tasks: set[asyncio.Task[None]]
    _unsaved: dict[int, dict[str, Any]]
    _wake: asyncio.Event
    _failing: set[int]
    _reaches: Callable[[int], bool] | None
    _load: Callable[[], dict[int, Waiting]]
    _finish: Callable[[int, dict[str, Any]], bool]
    _remove: Callable[[int], None]
    drop_chat: Callable[..., int]

    def _start_due(self, transport: Transport, room: int = IN_FLIGHT) -> float | None:
        """Start sending due items, oldest first, one per chat, until `room` are in flight;
        seconds until more may be. Items for chats the transport does not reach stay pending,
        untouched, for a transport that does (see `delivery.Transport`)."""
        queue = self._load()
        now = self.assistant.clock.now()
        reaches = getattr(transport, "reaches", None)
        held: set[int] = set()
        soonest: float | None = None
        for doc_id, (chat, not_before, _key) in queue.items():
            if len(self._tasks) >= room:
                break
            if reaches is not None and not reaches(chat):
                continue
            if chat in held or chat in self._busy:
                held.add(chat)
                continue
            held.add(chat)
            if not_before is not None and not_before > now:
                continue
            if (wait := self.pacer.chat_wait(chat)) > 0:
                soonest = wait if soonest is None else min(soonest, wait)
                continue
            self._busy[chat] = doc_id
            task = asyncio.create_task(self._deliver(transport, doc_id, chat))
            self._tasks.add(task)
        return soonest

    async def run(self, transport: Transport) -> None:
        """Send until cancelled; then let the sends in flight finish and be marked."""
        self._reaches = getattr(transport, "reaches", None)
        try:
            while True:
                self._wake.clear()
                await self.assistant.answering.lull(self.assistant.job_wait)
                soonest = self._start_due(transport, self._room())
                with anyio.move_on_after(min(soonest or 1.0, 1.0)):
                    await self._wake.wait()
        except asyncio.CancelledError:
            if self._tasks:
                _done, late = await asyncio.wait(set(self._tasks), timeout=STOP_GRACE)
                for task in late:
                    task.cancel()
                if late:
                    await asyncio.wait(late, timeout=STOP_GRACE)
            raise

    def _room(self) -> int:
        """Sends to keep going: all IN_FLIGHT while the loop's thread has time to spare;
        while it is busy, what the paced rate needs over the round trip (unpaced, none
        beyond IN_FLIGHT_BUSY)."""
        if self.busy.share() <= BUSY:
            return IN_FLIGHT
        needed = math.ceil(self.pacer.rate * self.trip) + 1 if self.pacer.rate > 0 else 0
        return min(IN_FLIGHT, max(IN_FLIGHT_BUSY, needed))

    async def drain(self, transport: Transport) -> bool:
        """Send everything due now and wait for it; True if anything was attempted."""
        self._reaches = getattr(transport, "reaches", None)
        attempted = False
        while True:
            before = len(self._tasks)
            soonest = self._start_due(transport)
            attempted = attempted or len(self._tasks) > before
            if self._tasks:
                await asyncio.wait(set(self._tasks), return_when=asyncio.FIRST_COMPLETED)
            elif soonest is not None:
                await asyncio.sleep(soonest)
            else:
                return attempted

    async def _deliver(self, transport: Transport, doc_id: int, chat: int) -> None:
        try:
            await self.assistant.store.commit()
            doc = self.table.get(doc_id)
            if doc is None or doc["state"] != "pending":
                self._load().pop(doc_id, None)
                return
            if await self._doom(doc_id, doc["done"], doc.get("part", 0)):
                return
            await self._send(transport, doc_id, doc)
            await self._doomed_meanwhile(doc_id)
        except SaveFailed:
            log.error("outbox: could not save; item %s waits a little", doc_id)
            if doc_id in (queue := self._load()):
                chat_id, _not_before, key = queue[doc_id]
                queue[doc_id] = (chat_id, self.assistant.clock.now() + timedelta(seconds=5), key)
        except Exception:
            log.exception("outbox: unexpected error with item %s", doc_id)
        finally:
            self._busy.pop(chat, None)
            self._doomed.pop(doc_id, None)
            self._tasks.discard(asyncio.current_task())  # type: ignore[arg-type]
            self._wake.set()

    async def _send(self, transport: Transport, doc_id: int, doc: Any) -> None:
        chat = doc["chat"]
        progress = self._unsaved.get(doc_id, {})
        if "state" in progress:
            await self._save(doc_id, progress, finished=True)
            return
        done, part = progress.get("done", doc["done"]), progress.get("part", doc.get("part", 0))
        replies = [load_reply(r) for r in stored_replies(doc)]
        split = getattr(transport, "parts", None) or (lambda reply: [reply])
        try:
            while done < len(replies):
                pieces = split(replies[done])
                while part < len(pieces):
                    await self.pacer.acquire(chat)
                    if doc_id in self._doomed:  # dropped while waiting for its turn
                        self.pacer.release(chat)
                        await self._doom(doc_id, done, part)
                        return
                    began = time.perf_counter()
                    try:
                        await transport.send(chat, pieces[part])
                    finally:
                        self.pacer.release(chat)
                    self._timed(time.perf_counter() - began)
                    part += 1
                    if part < len(pieces) or done + 1 < len(replies):
                        await self._save(doc_id, {"done": done, "part": part})
                done, part = done + 1, 0
        except Blocked:
            self.assistant.users.set_reachable(chat, False)
            self.drop_chat(chat)
            self.stats["unreachable"] += 1
            log.info("user %s blocked the bot; their queue is dropped", chat)
            await self._save(doc_id, {"done": done, "part": part})
            return
        except RetryLater as exc:
            if not exc.flood:
                await self._retry(doc_id, doc, done, part, str(exc))
                return
            self.stats["retry_after"] += 1
            self.pacer.pause(exc.seconds)
            if not await self._doom(doc_id, done, part):
                await self._save(doc_id, {"done": done, "part": part})
            return
        except Rejected as exc:
            self.stats["failed"] += 1
            log.warning("message %s to %s rejected: %s", doc_id, chat, exc)
            await self._save(doc_id, {"done": done, "part": part, "state": "failed",
                                      "error": str(exc)[:200]}, finished=True)
            return
        except Exception as exc:  # noqa: BLE001 - any transport fault is retried, then recorded
            await self._retry(doc_id, doc, done, part, repr(exc)[:200])
            return
        self._failing.clear()
        self.stats["sent"] += 1
        await self._save(doc_id, {"done": done, "part": 0, "state": "sent"}, finished=True)

    def _timed(self, seconds: float) -> None:
        self.trip = seconds if not self.trip else \
            TRIP_WEIGHT * seconds + (1 - TRIP_WEIGHT) * self.trip

    async def _doom(self, doc_id: int, done: int, part: int) -> bool:
        """Whether the item was dropped or withdrawn while this failed attempt was under way;
        if so it is not tried again but finished (or removed) now: a reminder whose day began
        while Telegram was down must not come once it is back."""
        if doc_id not in self._doomed:
            return False
        reason = self._doomed.pop(doc_id)
        if reason is not None:
            await self._save(doc_id, {"done": done, "part": part, "state": "dropped",
                                      "error": reason}, finished=True)
            return True
        self._remove(doc_id)
        try:
            await self.assistant.store.commit()
        except SaveFailed:
            log.error("outbox: could not save the removal of item %s", doc_id)
        return True

    async def _doomed_meanwhile(self, doc_id: int) -> None:
        """Drop or withdraw an item left pending for a later try (a failed send, a 429) that
        was dropped while that try was being saved: `_doom` had been asked before the save."""
        if doc_id in self._doomed and (doc := self.table.get(doc_id)) is not None \
                and doc["state"] == "pending":
            await self._doom(doc_id, doc["done"], doc.get("part", 0))

    async def _retry(self, doc_id: int, doc: Any, done: int, part: int, error: str) -> None:
        if await self._doom(doc_id, done, part):
            return
        attempts = doc["attempts"] + 1
        self.stats["errors"] += 1
        self._failing.add(doc_id)
        if len(self._failing) >= 3:
            self.pacer.pause(min(2.0 ** (len(self._failing) - 2), 30.0))
        if attempts >= MAX_ATTEMPTS:
            self.stats["failed"] += 1
            log.warning("giving up on message %s to %s: %s", doc_id, doc["chat"], error)
            await self._save(doc_id, {"done": done, "part": part, "attempts": attempts,
                                      "state": "failed", "error": error}, finished=True)
            return
        not_before = self.assistant.clock.now() + timedelta(
            seconds=min(2.0 ** attempts, MAX_BACKOFF))
        self._load()[doc_id] = (doc["chat"], not_before, doc.get("key"))
        await self._save(doc_id, {"done": done, "part": part, "attempts": attempts,
                                  "error": error, "not_before": not_before.isoformat()})

    async def _save(self, doc_id: int, fields: dict[str, Any], finished: bool = False) -> None:
        """Mark progress and commit at once (concurrent marks share one fsync); if the
        commit fails the progress is kept in memory so nothing is sent twice."""
        if self.table.get(doc_id) is None:
            return
        if finished:
            self._finish(doc_id, fields)
        else:
            self.table.update(doc_id, fields)
        try:
            await self.assistant.store.commit()
        except SaveFailed:
            self._unsaved[doc_id] = fields
            if (doc := self.table.get(doc_id)) is not None and doc["state"] == "pending":
                self._load()[doc_id] = (doc["chat"], None, doc.get("key"))
            raise
        self._unsaved.pop(doc_id, None)
