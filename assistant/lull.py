"""Participants' answers before long jobs: the adapter marks each update from the moment it
is taken up (in Telegram, once it has its chat's lock) until its last reply is sent, and long jobs (a morning's reminders, a broadcast)
and the outbox wait for a moment when none is being answered before their next slice.

Waiting is bounded (`Assistant.job_wait`), so a bot that is never idle still gives its jobs
a share of the loop, and reminders still go out on a busy morning (docs/architecture.md).
"""
from __future__ import annotations

import asyncio
from typing import Self


class Answering:
    """How many updates are being answered now, and a wait for the next moment none is."""

    def __init__(self) -> None:
        self.count = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []

    def __enter__(self) -> Self:
        self.count += 1
        return self

    def __exit__(self, *_exc: object) -> None:
        self.count -= 1
        if self._waiters:
            for own, waiter in self._waiters:
                if self.count <= own and not waiter.done():
                    waiter.set_result(None)

    async def lull(self, limit: float, own: int = 0) -> bool:
        """Wait until no update is being answered but the `own` ones the caller runs inside
        (a broadcast queued by the organiser's own tap must not wait for itself), at most
        `limit` seconds; True if that moment came (or was there), False if the wait ran out."""
        if self.count <= own:
            return True
        if limit <= 0:
            return False
        entry = (own, asyncio.get_running_loop().create_future())
        self._waiters.append(entry)
        try:
            await asyncio.wait_for(asyncio.shield(entry[1]), limit)
        except TimeoutError:
            return False
        finally:
            self._waiters.remove(entry)
        return True
