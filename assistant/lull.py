"""Participants' answers before long jobs: the adapter marks each update from the moment it
is taken up (in Telegram, once it has its chat's lock) until its last reply is sent, and long jobs (a morning's reminders, a broadcast)
and the outbox wait for a moment when none is being answered before their next slice.

Waiting is bounded (`Assistant.job_wait`), so a bot that is never idle still gives its jobs
a share of the loop, and reminders still go out on a busy morning (docs/architecture.md).
`Busy` tells the outbox how much of the loop's thread is taken, so that a flood of sends
does not queue every answer's next step behind its own (docs/benchmarks.md).
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Self

WINDOW = 0.005
"""The shortest stretch `Busy` measures over: a few of an answer's steps."""


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
            async with asyncio.timeout(limit):  # not wait_for: in 3.11 it can swallow a cancel
                await asyncio.shield(entry[1])
        except TimeoutError:
            return False
        finally:
            self._waiters.remove(entry)
        return True


class Busy:
    """The share of the last stretch of time that the calling thread ran rather than waited
    (its CPU time against the clock): sends that wait on the network leave it low, sends to
    a Bot API that answers at once, or many answers, keep it near one."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter,
                 cpu: Callable[[], float] = time.thread_time) -> None:
        self._clock, self._cpu = clock, cpu
        self._since: tuple[float, float] | None = None
        self._share = 0.0

    def share(self) -> float:
        """The share over the time since the last reading at least `WINDOW` ago (0 at the
        first reading; always read from the same thread)."""
        wall, cpu = self._clock(), self._cpu()
        if self._since is None:
            self._since = wall, cpu
        elif wall - self._since[0] >= WINDOW:
            self._share = max(0.0, min(1.0, (cpu - self._since[1]) / (wall - self._since[0])))
            self._since = wall, cpu
        return self._share
