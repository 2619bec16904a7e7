"""Time as the assistant sees it; tests swap in a clock they control."""
from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, tzinfo


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


class StartedClock(Clock):
    """A clock set to a chosen moment that runs on from there, for trying the assistant on
    another day in the terminal chat (`mingel chat --at`)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("StartedClock needs a timezone-aware time")
        self._start = start.astimezone(UTC)
        self._began = time.monotonic()

    def now(self) -> datetime:
        """The chosen moment plus the time that has passed since."""
        return self._start + timedelta(seconds=time.monotonic() - self._began)


def moment(text: str, zone: tzinfo) -> datetime:
    """A moment as a person types it: "2027-09-21 08:30" (a local time in `zone`), or ISO
    8601 with an offset ("2027-09-21T08:30+02:00"); ValueError when it is neither."""
    value = datetime.fromisoformat(text.strip())
    return value.replace(tzinfo=zone) if value.tzinfo is None else value
