"""Pacing sends to Telegram's limits: about 30 a second overall, one a second per chat.

The outbox and the Telegram adapter's immediate replies share one `Pacer`, so a long
broadcast paces itself around the answers people are waiting for. docs/outbox.md
explains the numbers.
"""
from __future__ import annotations

import asyncio
import math
import time
from collections import deque

import anyio

PER_CHAT_INTERVAL = 1.0
CHAT_BURST = 3
CATCH_UP = 0.25


class Pacer:
    """Telegram's limits, shared by the outbox and the adapter's immediate replies.

    At most `floor(rate)` sends in any window of `floor(rate)/rate` seconds, spread evenly
    (a schedule advancing 1/rate a send that may catch up CATCH_UP seconds it fell behind,
    so a late wake-up or a busy moment is not lost throughput).
    A send holds its place from its start until one window after Telegram answered, so
    however the network delays requests they cannot arrive as a burst. Each chat gets at
    most one outbox send per PER_CHAT_INTERVAL and CHAT_BURST in CHAT_BURST intervals,
    again counted from the previous answers (immediate replies count too). Urgent
    (interactive) sends go first, skip the spacing and wait only for a chat's burst.
    Rate 0 turns pacing off; retry_after is always obeyed.
    """

    def __init__(self, rate: float, per_chat: float = PER_CHAT_INTERVAL) -> None:
        self.rate = rate
        self.capacity = max(1, math.floor(rate)) if rate > 0 else 0
        self.window = self.capacity / rate if rate > 0 else 0.0
        self.spacing = 1 / rate if rate > 0 else 0.0
        self.per_chat = per_chat if rate > 0 else 0.0
        self._active = 0
        self._recent: deque[float] = deque()
        self._schedule = -math.inf
        self._chats: dict[int, deque[float]] = {}
        self._paused_until = 0.0
        self._urgent = 0
        self._changed = asyncio.Event()

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until this chat may get its next outbox message."""
        return max(0.0, self._chat_ready(chat_id, False) - time.monotonic())

    def _chat_ready(self, chat_id: int, urgent: bool) -> float:
        recent = self._chats.get(chat_id)
        if not recent:
            return 0.0
        burst = recent[0] + CHAT_BURST * self.per_chat if len(recent) >= CHAT_BURST else 0.0
        return burst if urgent else max(burst, recent[-1] + self.per_chat)

    def _wait(self, chat_id: int, urgent: bool, now: float) -> float | None:
        """0 to go now, seconds to wait, or None to wait for the next release."""
        if self._paused_until > now:
            return self._paused_until - now
        if self.rate <= 0:
            return 0.0
        while self._recent and self._recent[0] + self.window <= now:
            self._recent.popleft()
        if self._active + len(self._recent) >= self.capacity:
            return self._recent[0] + self.window - now if self._recent else None
        if urgent:
            return max(0.0, self._chat_ready(chat_id, True) - now)
        if self._urgent:
            return None
        return max(0.0, self._schedule - self.spacing - now,
                   self._chat_ready(chat_id, False) - now)

    async def acquire(self, chat_id: int, urgent: bool = False) -> None:
        """Wait for a slot overall (and for the chat unless urgent); pair with release()."""
        if urgent:
            self._urgent += 1
        try:
            while True:
                now = time.monotonic()
                wait = self._wait(chat_id, urgent, now)
                if wait is not None and wait <= 0:
                    break
                with anyio.move_on_after(wait):
                    await self._changed.wait()
        finally:
            if urgent:
                self._urgent -= 1
                self._notify()
        self._active += 1
        self._schedule = max(self._schedule, now - CATCH_UP) + self.spacing
        self._notify()

    def release(self, chat_id: int) -> None:
        """Telegram answered (or the call failed): the slot counts until one window later."""
        now = time.monotonic()
        self._active -= 1
        if self.rate > 0:
            self._recent.append(now)
            self._chats.setdefault(chat_id, deque(maxlen=CHAT_BURST)).append(now)
            if len(self._chats) > 10_000:
                horizon = now - CHAT_BURST * self.per_chat
                self._chats = {c: d for c, d in self._chats.items() if d[-1] > horizon}
        self._notify()

    def pause(self, seconds: float) -> None:
        """Obey retry_after (or ride out an outage): nothing is sent for a while."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()
