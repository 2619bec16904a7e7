"""The CPU a bot process spends in Mingel's own code, measured inside that process: each
update's handling while its coroutine runs (not while it waits and other updates run) and
the journal's writes on their thread, with the settling of each write on the loop once it
is done (`Store._written`). What the rest of the process spends is PTB, the
adapter and the HTTP client: the issue's "what Telegram's HTTP costs", in the same run.
"""
from __future__ import annotations

import functools
import gc
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Generator
from typing import Any, TypeVar

T = TypeVar("T")

SLOW_WRITE = 0.02
"""Seconds past which one journal append counts as a stall: on the bench's virtual disk
fsync takes 0.3–0.6 ms, and now and then 50–175 ms, which every answer waiting for a commit
then waits too (docs/benchmarks-history.md, twenty-first pass). The time counted also holds any
wait for the journal's lock, which a compaction takes while it cuts the journal."""


class Meter:
    """Sums of CPU seconds: `handlers` (the timed coroutines) and `journal` (the timed
    thread work)."""

    def __init__(self, clock: Callable[[], float] = time.thread_time,
                 wall: Callable[[], float] = time.perf_counter) -> None:
        self.clock, self.wall = clock, wall
        self.handlers = 0.0
        self.journal = 0.0
        self.stalls: list[float] = []
        """The wall seconds of each append over SLOW_WRITE (`threaded(..., stalls=True)`)."""
        self.collections = [0.0, 0.0, 0.0]
        self._lock = threading.Lock()
        self._collecting = 0.0

    def watch_collector(self) -> None:
        """Also sum the cyclic collector's CPU per generation (`collections`): it runs inside
        whatever code happens to allocate, handlers or PTB, so it is reported apart (the
        part that fell inside handlers is in `handlers` too)."""
        gc.callbacks.append(self._collected)

    def _collected(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._collecting = self.clock()
        else:
            self.collections[info["generation"]] += self.clock() - self._collecting

    def timed(self, function: Callable[..., Coroutine[Any, Any, T]]
              ) -> Callable[..., Awaitable[T]]:
        """An async function whose coroutine's running steps are added to `handlers`."""
        @functools.wraps(function)
        async def wrapper(*args: Any, **kwargs: Any) -> T:
            return await _Steps(function(*args, **kwargs), self)
        return wrapper

    def threaded(self, function: Callable[..., T], stalls: bool = False) -> Callable[..., T]:
        """A function, run on any thread, whose time is added to `journal`; with `stalls`,
        its calls that take longer than SLOW_WRITE on the wall clock are kept in `stalls`."""
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            began, wall = self.clock(), self.wall()
            try:
                return function(*args, **kwargs)
            finally:
                spent, took = self.clock() - began, self.wall() - wall
                with self._lock:
                    self.journal += spent
                    if stalls and took > SLOW_WRITE:
                        self.stalls.append(took)
        return wrapper


class _Steps:
    """Drives a coroutine step by step, timing each step on the thread that runs it."""

    def __init__(self, coroutine: Coroutine[Any, Any, Any], meter: Meter) -> None:
        self.coroutine, self.meter = coroutine, meter

    def __await__(self) -> Generator[Any, Any, Any]:
        coroutine, clock, meter = self.coroutine, self.meter.clock, self.meter
        value: Any = None
        error: BaseException | None = None
        while True:
            began = clock()
            try:
                step = coroutine.send(value) if error is None else coroutine.throw(error)
            except StopIteration as done:
                meter.handlers += clock() - began
                return done.value
            except BaseException:
                meter.handlers += clock() - began
                raise
            meter.handlers += clock() - began
            try:
                value, error = (yield step), None
            except BaseException as exc:  # noqa: BLE001 - handed on to the coroutine
                value, error = None, exc
