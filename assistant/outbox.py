"""The outbox: every message that is not an immediate reply is stored, then sent, once.

An item is written in the same commit as the change that caused it and is sent only once
that commit is durable. Each Bot API call it makes is marked (and committed) as soon as
Telegram accepted it, so a restart resumes where the sender stopped. The one window that
cannot be closed: a crash after Telegram accepted a message and before the mark reached
the journal (a few milliseconds) sends that message again after the restart; a timeout
on the call itself is the same case. docs/outbox.md describes the guarantees.

Sending (`sender.Sender`, which the outbox is made of) is paced by a `Pacer` shared with the adapter's immediate replies: overall and
per chat, a few sends in flight so HTTP latency does not cap throughput, one chat at a
time per item so a slow chat holds up only itself. A 403 marks the user unreachable and
drops their queue; a 429 pauses everything for `retry_after`; other failures back off
and are retried a bounded number of times, then recorded as failed. A dropped or failed
item keeps its record but not its text.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from .delivery import dump_reply, packed
from .lull import Busy
from .pacing import PER_CHAT_INTERVAL, Pacer  # noqa: F401 - part of the outbox API
from .sender import (  # noqa: F401 - part of the outbox API
    IN_FLIGHT,
    IN_FLIGHT_BUSY,
    MAX_ATTEMPTS,
    Sender,
    Waiting,
)
from .types import Reply

if TYPE_CHECKING:
    from .core import Assistant
    from .storage import Table

TABLE = "assistant_outbox"
KEEP_FINISHED = timedelta(days=30)
PRUNE_EVERY = timedelta(hours=1)
FINISHED = frozenset({"sent", "dropped", "failed"})
"""An item in any of these states keeps its record (state, times, key) but not its text."""
NOTHING = packed([])


class Outbox(Sender):
    """The persistent queue, and its sender (`Sender`)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.pacer = Pacer(assistant.config.send_rate)
        self.stats = {"sent": 0, "unreachable": 0, "failed": 0, "retry_after": 0, "errors": 0}
        self._queue: dict[int, Waiting] | None = None
        self._busy: dict[int, int] = {}
        self._doomed: dict[int, str | None] = {}
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
        reminders of a cancelled or moved meeting. An item being sent right now is left to that
        attempt, and dropped if it fails instead of being tried again (`Sender._doom`)."""
        dropped = 0
        busy = set(self._busy.values())
        for doc_id, (_chat, _not_before, stored) in list(self._load().items()):
            key = stored or ""
            if not key.startswith(prefix) or keep and keep(key):
                continue
            if doc_id in busy:
                self._doomed[doc_id] = reason
            else:
                dropped += self._finish(doc_id, {"state": "dropped", "error": reason})
        return dropped

    def withdraw(self, groups: Iterable[str]) -> int:
        """Remove the pending items of these groups (a key with one part more) as if they
        had never been queued, so that their keys may be used again: what an answer no longer
        calls for (a reminder with the join link after "Can't come"), which the same answer
        given again calls for anew. Found by the group index, not a scan of everything
        pending; an item being sent right now is left to that attempt, as for `drop_pending`."""
        busy, removed = set(self._busy.values()), 0
        for group in groups:
            for doc_id, (state,) in self.table.values(("state",), group=group):
                if state != "pending":
                    continue
                if doc_id in busy:
                    self._doomed[doc_id] = None
                else:
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



def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
