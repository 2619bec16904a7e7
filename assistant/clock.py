"""Time as the assistant sees it; tests swap in a clock they control."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The real clock, always timezone-aware UTC."""

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)


class FakeClock(Clock):
    """A clock that moves only when told, for reminders and retention tests."""

    def __init__(self, start: datetime | str) -> None:
        self._now = datetime.fromisoformat(start) if isinstance(start, str) else start
        if self._now.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware time")

    def now(self) -> datetime:
        """The time this clock was set to."""
        return self._now

    def set(self, when: datetime | str) -> None:
        """Jump to a moment (an ISO 8601 text works, as for the start)."""
        moment = datetime.fromisoformat(when) if isinstance(when, str) else when
        if moment.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware time")
        self._now = moment

    def advance(self, delta: timedelta | None = None, **kwargs: float) -> datetime:
        """Move forward, e.g. advance(hours=23)."""
        self._now += delta or timedelta(**kwargs)
        return self._now
