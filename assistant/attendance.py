"""A participant's answer to a meeting, the one shape every plugin reads it in.

The RSVP plugin stores answers; reminders, the calendar, health and the organisers' lists
receive them through hooks as `Attendance`, never as the stored documents, so the stored
format stays the RSVP plugin's own. `assistant.model` exports it with the programme's types.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ANSWERS: tuple[str, ...] = ("in_person", "online", "maybe", "no")
"""The answers a participant can give: coming in person, coming online, maybe, can't come."""


@dataclass(frozen=True)
class Attendance:
    """One user's answer to one event, as the RSVP plugin stores it and hooks pass it on.

    `waiting` is True when the user asked for an in-person seat and is on the waiting
    list, at `position` (1-based). `days` lists the ISO dates of a multi-day gathering the
    answer covers (empty: every day). `at` is when the answer was given. `days_revision`
    rises each time the chosen days change, `place_revision` each time the user loses (or
    gives up) a place or maybe, each time they regain one and each time they switch between
    coming online and the venue (in person or maybe); neither falls, so a calendar
    file can supersede the one made before. At a hybrid gathering an answer "in_person" may
    follow some of its days online: `online_days` (a part of the days it covers), whose
    online place has a waiting list of its own (`online_waiting`, at `online_position`),
    while `waiting` and `position` are the in-person seat's.
    """

    event_id: str
    user_id: int
    answer: str
    at: datetime
    waiting: bool = False
    position: int | None = None
    days: tuple[str, ...] = ()
    name: str = ""
    days_revision: int = 0
    place_revision: int = 0
    online_days: tuple[str, ...] = ()
    online_waiting: bool = False
    online_position: int | None = None

    @property
    def coming(self) -> bool:
        """In person (with a seat) or online, on at least one day."""
        return self.answer in ("in_person", "online") and not self.waiting \
            or bool(self.online_days) and not self.online_waiting

    def way(self, day: str) -> str:
        """How the person takes part on one day (an ISO date the answer covers): "online"
        on the days they follow online, else their answer."""
        return "online" if day in self.online_days else self.answer

    def holds(self, day: str) -> bool:
        """Whether they have their place (not a waiting list) on one day the answer covers."""
        if day in self.online_days:
            return not self.online_waiting
        return self.answer in ("in_person", "online") and not self.waiting

    @property
    def in_person(self) -> bool:
        """Holding an in-person seat."""
        return self.answer == "in_person" and not self.waiting
