"""Helpers for the reminders and broadcast tests (no tests of its own): a stand-in for the
programme and RSVP plugins, and a small programme for tests with the real plugins."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from assistant import hookimpl
from assistant.model import Attendance, Event, Programme
from plugins.programme.loader import parse_programme

PROGRAMME = """
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknadsnätverket, en: Labour-market network}}
  edu: {name: {sv: Utbildningsnätverket, en: Education network}}
events:
  - id: m1
    networks: [am]
    title: {sv: Framtidens arbetsmarknad, en: The future labour market}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    venue: f7
    online: {url: "https://zoom.us/j/123", private: true}
  - id: m2
    networks: [edu]
    title: {sv: Skolan & AI, en: Schools & AI}
    start: 2027-09-20 09:30
    end: 2027-09-20 12:30
    online: {url: "https://zoom.us/j/456"}
"""

# One hybrid meeting with a health declaration, for tests with the real plugins.
REAL_PROGRAMME = """
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknad, en: Labour market}}
events:
  - id: hybrid
    networks: [am]
    title: {sv: Hybridmötet, en: The hybrid meeting}
    start: 2027-08-03 09:30
    end: 2027-08-03 12:30
    venue: f7
    online: {platform: Zoom, url: "https://zoom.us/j/61234567890", private: true}
    health_declaration: true
"""
ANSWERED = datetime.fromisoformat("2027-08-01T07:00:00+00:00")


class Fixture:
    """Provides `programme`, `attendees`, `attendance` and `followers` from memory."""

    NAME = "fixture"

    def __init__(self, yaml_text: str = PROGRAMME) -> None:
        self.current: Programme = parse_programme(yaml_text, "test.yaml")
        self.answers: dict[tuple[str, int], Attendance] = {}
        self.follows: dict[str, list[int]] = {}

    def answer(self, event_id: str, user_id: int, answer: str, *, waiting: bool = False,
               at: datetime = ANSWERED) -> None:
        """Record an RSVP."""
        self.answers[(event_id, user_id)] = Attendance(event_id, user_id, answer, at,
                                                       waiting=waiting)

    def change(self, event_id: str, **fields: object) -> tuple[Event, Event]:
        """Move or cancel a meeting; returns (before, after) for event_changed."""
        before = self.current.event(event_id)
        assert before is not None
        after = replace(before, **fields)
        events = tuple(after if e.id == event_id else e for e in self.current.events)
        self.current = replace(self.current, events=events)
        return before, after

    @hookimpl
    def programme(self) -> Programme:
        """The programme in use."""
        return self.current

    @hookimpl
    def attendees(self, event: Event) -> list[Attendance]:
        """Every answer for the event."""
        return [a for (e, _u), a in self.answers.items() if e == event.id]

    @hookimpl
    def attendance(self, event: Event, user_id: int) -> Attendance | None:
        """One answer."""
        return self.answers.get((event.id, user_id))

    @hookimpl
    def followers(self, network: str) -> list[int]:
        """Followers of a network."""
        return list(self.follows.get(network, []))
