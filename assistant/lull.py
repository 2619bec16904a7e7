"""Participants' answers before long jobs: the adapter marks each update from the moment it
is taken up until its last reply is sent, and long jobs (a morning's reminders, a broadcast)
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
        self._waiters: list[asyncio.Future[None]] = []

    def __enter__(self) -> Self:
        self.count += 1
        return self

    def __exit__(self, *_exc: object) -> None:
        self.count -= 1
        if not self.count and self._waiters:
            waiters, self._waiters = self._waiters, []
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def lull(self, limit: float) -> bool:
        """Wait until no update is being answered, at most `limit` seconds; True if one came
        (or none was being answered), False if the wait ran out."""
        if not self.count:
            return True
        if limit <= 0:
            return False
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), limit)
        except TimeoutError:
            return False
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        return True
