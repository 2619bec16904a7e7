"""The outbox: every message that is not an immediate reply is stored, then sent, once.

An item is written in the same commit as the change that caused it and is sent only once
that commit is durable. Each Bot API call it makes is marked (and committed) as soon as
Telegram accepted it, so a restart resumes where the sender stopped. The one window that
cannot be closed: a crash after Telegram accepted a message and before the mark reached
the journal (a few milliseconds) sends that message again after the restart; a timeout
on the call itself is the same case. docs/outbox.md describes the guarantees.

Sending is paced by a `Pacer` shared with the adapter's immediate replies: overall and
per chat, a few sends in flight so HTTP latency does not cap throughput, one chat at a
time per item so a slow chat holds up only itself. A 403 marks the user unreachable and
drops their queue; a 429 pauses everything for `retry_after`; other failures back off
and are retried a bounded number of times, then recorded as failed. A dropped or failed
item keeps its record but not its text.
"""
from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import anyio

from .delivery import (
    Blocked,
    Rejected,
    RetryLater,
    Transport,
    dump_reply,
    load_reply,
    packed,
    stored_replies,
)
from .lull import Busy
from .pacing import PER_CHAT_INTERVAL, Pacer  # noqa: F401 - part of the outbox API
from .storage import SaveFailed
from .types import Reply

if TYPE_CHECKING:
    from .core import Assistant
    from .storage import Table

TABLE = "assistant_outbox"
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
KEEP_FINISHED = timedelta(days=30)
PRUNE_EVERY = timedelta(hours=1)
STOP_GRACE = 10.0
FINISHED = frozenset({"sent", "dropped", "failed"})
"""An item in any of these states keeps its record (state, times, key) but not its text."""
NOTHING = packed([])
log = logging.getLogger("assistant.outbox")


Waiting = tuple[int, datetime | None, str | None]
"""What the sender keeps in memory about a pending item: chat, not before, key. A plain
tuple of plain values, which the cyclic collector stops tracking (a named tuple it walks
in every full collection, and a festival's broadcast leaves 40,000 waiting)."""


class Outbox:
    """The persistent queue and its sender."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.pacer = Pacer(assistant.config.send_rate)
        self.stats = {"sent": 0, "unreachable": 0, "failed": 0, "retry_after": 0, "errors": 0}
        self._queue: dict[int, Waiting] | None = None
        self._busy: dict[int, int] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._unsaved: dict[int, dict[str, Any]] = {}
        self._wake = asyncio.Event()
        self._failing: set[int] = set()
        self._pruned: datetime | None = None
        self.busy = Busy()
        self._reaches: Callable[[int], bool] | None = None
        self.trip = 0.0
        """Running mean of a send's round trip, in seconds (0 before the first)."""

    @property
    def table(self) -> Table:
        """The outbox's items: chat, key, group, state, progress, replies."""
        return self.assistant.store.table(TABLE, indexes=("state", "chat", "key", "group"))

    def enqueue(self, chat_id: int, replies: Sequence[Reply], key: str | None = None) -> bool:
        """Store messages for a user; False if the key was used before or the user is gone
        (an unreachable user's keyed item is recorded as dropped, for reports)."""
        table = self.table
        if key is not None and self.has(key):
            return False
        now = self.assistant.clock.now().isoformat()
        item = {"chat": chat_id, "key": key, "group": key.rpartition(":")[0] if key else None,
                "state": "pending", "attempts": 0, "done": 0, "part": 0, "not_before": None,
                "error": None, "created": now, "finished": None,
                "replies": packed([dump_reply(r) for r in replies])}
        if not self.assistant.users.reachable(chat_id):
            if key is not None:
                table.insert({**item, "state": "dropped", "error": "unreachable",
                              "finished": now, "replies": NOTHING})
            return False
        doc_id = table.insert(item)
        if self._queue is not None:
            self._queue[doc_id] = (chat_id, None, key)
        self._wake.set()
        return True

    def waiting(self, prefix: str = "") -> int:
        """How many pending items with a key starting with `prefix` wait their turn now; those
        backing off after a failure, and those for chats the sender's transport does not
        reach (the terminal chat's other users), are left out, so that they hold nothing
        else back."""
        now, reaches = self.assistant.clock.now(), self._reaches
        return sum(1 for chat, when, key in self._load().values()
                   if (when is None or when <= now) and (key or "").startswith(prefix)
                   and (reaches is None or reaches(chat)))

    def has(self, key: str) -> bool:
        """Whether an item with this key was ever queued (and not yet pruned)."""
        return self.table.count(key=key) > 0

    def has_group(self, group: str) -> bool:
        """Whether an item whose key is `group` and one part more was ever queued (and not
        yet pruned): a key may end in a part that varies, such as a hash of what it sent."""
        return self.table.count(group=group) > 0

    def pending(self) -> list[Any]:
        """Items waiting to go, oldest first."""
        return self.table.find(state="pending")

    def tally(self, group: str) -> dict[str, Any]:
        """How the items of a group (their key without its last `:part`) fared so far:
        counts of pending, sent, unreachable, failed and dropped, and the last finish."""
        counts = dict.fromkeys(("pending", "sent", "unreachable", "failed", "dropped"), 0)
        last = None
        for doc in self.table.find(group=group):
            state = doc["state"]
            outcome = "unreachable" if doc.get("error") == "unreachable" else state
            counts[outcome] = counts.get(outcome, 0) + 1
            if doc.get("finished") and (last is None or doc["finished"] > last):
                last = doc["finished"]
        return {**counts, "total": sum(counts.values()), "last": last}

    def drop_pending(self, prefix: str, reason: str = "cancelled",
                     keep: Callable[[str], bool] | None = None) -> int:
        """Forget pending items whose key starts with prefix (unless `keep(key)`), e.g. the
        reminders of a cancelled or moved meeting; items being sent right now are left."""
        dropped = 0
        busy = set(self._busy.values())
        for doc_id, (_chat, _not_before, stored) in list(self._load().items()):
            key = stored or ""
            if key.startswith(prefix) and not (keep and keep(key)) and doc_id not in busy:
                dropped += self._finish(doc_id, {"state": "dropped", "error": reason})
        return dropped

    def withdraw(self, groups: Iterable[str]) -> int:
        """Remove the pending items of these groups (a key with one part more) as if they
        had never been queued, so that their keys may be used again: what an answer no longer
        calls for (a reminder with the join link after "Can't come"), which the same answer
        given again calls for anew. Found by the group index, not a scan of everything
        pending; items being sent right now are left."""
        busy, removed = set(self._busy.values()), 0
        for group in groups:
            for doc_id, (state,) in self.table.values(("state",), group=group):
                if state == "pending" and doc_id not in busy:
                    self._remove(doc_id)
                    removed += 1
        return removed

    def drop_chat(self, chat_id: int, reason: str = "unreachable") -> int:
        """Forget a chat's pending items (blocked bot)."""
        items = [d for d in self.table.find(chat=chat_id) if d["state"] == "pending"]
        for item in items:
            self._finish(item.doc_id, {"state": "dropped", "error": reason})
        return len(items)

    def forget_chat(self, chat_id: int) -> None:
        """Remove every item for a chat, sent or not (for /forget)."""
        for doc_id, _ in self.table.values((), chat=chat_id):
            self._remove(doc_id)

    def erase(self, key: str) -> int:
        """Remove, sent or not, the item with this key and the items of its group (`key:…`,
        one part more): when a text someone wrote is deleted (/forget), so are the messages to
        others quoting it. Found by the indexes, not a scan (170 ms at a festival's 70,000).
        A send under way goes on, as with `drop_pending`, but nothing of it is kept."""
        found = {i for i, _ in (*self.table.values((), key=key), *self.table.values((), group=key))}
        for doc_id in found:
            self._remove(doc_id)
        return len(found)

    def _remove(self, doc_id: int) -> None:
        """An item gone as if never queued: from the table, the queue and unsaved progress."""
        self.table.remove(doc_id)
        self._unsaved.pop(doc_id, None)
        if self._queue is not None:
            self._queue.pop(doc_id, None)

    def prune(self, now: datetime) -> int:
        """Remove finished items older than a month (at most once an hour), and empty any
        finished one that still holds its text: kept so by a version before items were
        emptied as they finished (the first tick after an upgrade)."""
        if self._pruned is not None and now - self._pruned < PRUNE_EVERY:
            return 0
        self._pruned = now
        cutoff = now - KEEP_FINISHED
        old = [doc_id for doc_id, (state, created) in self.table.values(("state", "created"))
               if state != "pending" and datetime.fromisoformat(created) < cutoff]
        for doc_id in old:
            self.table.remove(doc_id)
        for state in FINISHED:
            for doc_id, (replies,) in self.table.values(("replies",), state=state):
                if replies != NOTHING:
                    self.table.update(doc_id, {"replies": NOTHING})
        return len(old)

    def _finish(self, doc_id: int, fields: dict[str, Any]) -> bool:
        """Mark an item finished: it keeps its record (state, times, key, error) but not what
        it said. Sent, the person has it in their chat; dropped or failed, nobody will send
        it. Its text may hold a private link or special-category data (a health declaration's
        outcome in a reminder), which must not outlive its own retention (docs/privacy.md)."""
        if self._queue is not None:
            self._queue.pop(doc_id, None)
        if self.table.get(doc_id) is None:
            return False
        if fields.get("state") in FINISHED:
            fields = {**fields, "replies": NOTHING}
        self.table.update(doc_id, {**fields,
                                   "finished": self.assistant.clock.now().isoformat()})
        return True

    def resync(self) -> None:
        """Read the queue from the table again (a failed handler's writes were taken back)."""
        self._queue = None
        self._wake.set()

    def _load(self) -> dict[int, Waiting]:
        if self._queue is None:
            self._queue = {doc_id: (chat, _when(not_before), key) for doc_id, (
                chat, not_before, key) in self.table.values(("chat", "not_before", "key"),
                                                            state="pending")}
        return self._queue

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
            await self._send(transport, doc_id, doc)
        except SaveFailed:
            log.error("outbox: could not save; item %s waits a little", doc_id)
            if doc_id in (queue := self._load()):
                chat_id, _not_before, key = queue[doc_id]
                queue[doc_id] = (chat_id, self.assistant.clock.now() + timedelta(seconds=5), key)
        except Exception:
            log.exception("outbox: unexpected error with item %s", doc_id)
        finally:
            self._busy.pop(chat, None)
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

    async def _retry(self, doc_id: int, doc: Any, done: int, part: int, error: str) -> None:
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


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
