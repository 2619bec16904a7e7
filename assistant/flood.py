"""Flood control: a token bucket per user, so that bursts are fine and dozens a second slow down."""
from __future__ import annotations

import time
from collections.abc import Callable

FLOOD_BURST = 8
FLOOD_RATE = 1.0


class FloodControl:
    """A token bucket per user: bursts are fine, dozens a second are slowed down."""

    def __init__(self, burst: int = FLOOD_BURST, rate: float = FLOOD_RATE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.burst, self.rate, self.clock = burst, rate, clock
        self._buckets: dict[int, tuple[float, float, bool]] = {}

    def allow(self, user_id: int) -> tuple[bool, bool]:
        """(allowed, first refusal): warn once per flood, then stay quiet until the user has
        calmed down (a full bucket again), even while a trickle of messages gets through."""
        now = self.clock()
        tokens, last, warned = self._buckets.get(user_id, (self.burst, now, False))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now, warned and tokens < self.burst)
            return True, False
        self._buckets[user_id] = (tokens, now, True)
        return False, not warned

    def room(self, user_id: int) -> float:
        """How many updates the user may send right now without being slowed down (as
        `allow` counts, which does it inline: it runs for every update)."""
        now = self.clock()
        tokens, last, _warned = self._buckets.get(user_id, (self.burst, now, False))
        return min(self.burst, tokens + (now - last) * self.rate)

    def forget(self, user_id: int) -> None:
        """Drop the bucket of a forgotten user."""
        self._buckets.pop(user_id, None)
