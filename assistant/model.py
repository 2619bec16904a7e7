"""The shared vocabulary of Mingel: the programme, its networks, venues and events.

Every feature plugin (RSVP, reminders, calendar, health, questions) receives these
objects through hooks, so they are small, immutable, hashable and free of I/O.
The programme plugin builds them from the organisers' YAML file.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo

from .attendance import ANSWERS, Attendance
from .translated import EMPTY_TEXT, FrozenMap, Text, freeze_text, text

__all__ = [
    "ANSWERS",
    "DEFAULT_HEALTH_QUESTIONS",
    "DEFAULT_HEALTH_RULES",
    "EMPTY_TEXT",
    "MODES",
    "NIGHT_ENDS",
    "QUESTION_MODES",
    "Attendance",
    "Event",
    "FrozenMap",
    "Mode",
    "Network",
    "Online",
    "Person",
    "Programme",
    "Text",
    "Venue",
    "ends_in_the_night",
    "evenings",
    "freeze_text",
    "text",
]

Mode = Literal["in_person", "hybrid", "online"]
MODES: tuple[str, ...] = ("in_person", "hybrid", "online")
QUESTION_MODES: tuple[str, ...] = ("approval", "live")
NIGHT_ENDS = time(6)
"""A meeting that ends the day after it starts, at or before this local time, ended in the
night of its first day: people call a 23:00–01:00 dinner one evening, not two days, and
nobody picks "only 1 January" for it. A gathering that goes on into the next morning or
afternoon (lunch to lunch, 13:00–12:00) still has two days."""


def ends_in_the_night(start: datetime, end: datetime) -> bool:
    """Whether a meeting that began in the day ended in the night after it (`NIGHT_ENDS`),
    less than a day later: one evening. A 24-hour hackathon from 06:00 has two days."""
    return (end.date() - start.date()).days == 1 and end.time() <= NIGHT_ENDS \
        and start.time() > NIGHT_ENDS and end - start < timedelta(days=1)


def evenings(start: datetime, end: datetime) -> bool:
    """Whether a gathering from a day's evening to a night days later keeps evenings: each
    night belongs to the day before, as for one evening, so a festival's evening programme
    from Friday 18:00 to Sunday 02:00 is Friday's and Saturday's evenings, 18:00–02:00 each."""
    return (end.date() - start.date()).days > 1 and end.time() <= NIGHT_ENDS < start.time()


def _freeze_field(obj: object, name: str, value: object) -> None:
    """Replace a field of a frozen dataclass during __post_init__ normalisation."""
    object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Venue:
    """A place where meetings happen; referenced by id from events."""

    id: str
    name: str
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def has_location(self) -> bool:
        """Whether a map pin can be sent for this venue."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Person:
    """A speaker or moderator, introduced to participants in their language."""

    name: str
    role: Text = EMPTY_TEXT
    about: Text = EMPTY_TEXT

    def __post_init__(self) -> None:
        _freeze_field(self, "role", freeze_text(self.role))
        _freeze_field(self, "about", freeze_text(self.about))


@dataclass(frozen=True)
class Network:
    """A policy network: a group of members that meets several times a season."""

    id: str
    name: Text
    description: Text = EMPTY_TEXT
    moderator: Person | None = None

    def __post_init__(self) -> None:
        _freeze_field(self, "name", freeze_text(self.name))
        _freeze_field(self, "description", freeze_text(self.description))


@dataclass(frozen=True)
class Online:
    """How to join a meeting digitally; a private link is only sent shortly before it starts."""

    platform: str
    url: str
    private: bool = False


@dataclass(frozen=True, kw_only=True)
class Event:
    """One meeting of one or more networks (two or more: a joint meeting).

    ``start`` and ``end`` are timezone-aware, in the programme's time zone; compare them
    with the clock as ``start_utc`` and ``end_utc``.
    Texts may be given as plain strings or dicts; they are frozen on construction.
    ``capacity`` counts seats at the venue and ``online_capacity`` places online (None:
    no limit). ``invite_only`` events are not listed publicly. ``health_declaration``
    asks in-person participants the programme's health questions; ``health_required``
    makes answering "no" to all of them a condition for coming in person.
    ``question_mode`` is "approval" (a moderator approves each question) or "live".
    ``extra`` holds the fields plugins declared (`register_event_fields`) that the file
    gives: ``event.extra.get("lunch")``, a bool, int, str or text (absent: not given).
    docs/programme.md describes every field as organisers write it.
    """

    id: str
    networks: tuple[str, ...]
    title: Text
    start: datetime
    end: datetime
    description: Text = EMPTY_TEXT
    venue: Venue | None = None
    online: Online | None = None
    speakers: tuple[Person, ...] = ()
    capacity: int | None = None
    online_capacity: int | None = None
    invite_only: bool = False
    health_declaration: bool = False
    health_required: bool = False
    questions: bool = True
    question_mode: str = "approval"
    cancelled: bool = False
    note: Text = EMPTY_TEXT
    url: str | None = None
    extra: Mapping[str, object] = FrozenMap()

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"event {self.id!r}: start and end must be timezone-aware")
        if self.question_mode not in QUESTION_MODES:
            raise ValueError(f"event {self.id!r}: question_mode must be one of {QUESTION_MODES}")
        _freeze_field(self, "networks", tuple(self.networks))
        _freeze_field(self, "speakers", tuple(self.speakers))
        for name in ("title", "description", "note"):
            _freeze_field(self, name, freeze_text(getattr(self, name)))
        if not isinstance(self.extra, FrozenMap):
            _freeze_field(self, "extra", FrozenMap(self.extra))

    @property
    def mode(self) -> Mode:
        """How participants attend: at the venue, online, or either."""
        if self.online is None:
            return "in_person"
        return "online" if self.venue is None else "hybrid"

    @property
    def is_joint(self) -> bool:
        """Whether several networks meet together."""
        return len(self.networks) > 1

    @property
    def timezone(self) -> tzinfo:
        """The zone the event's local times and dates are expressed in."""
        assert self.start.tzinfo is not None
        return self.start.tzinfo

    @cached_property
    def start_utc(self) -> datetime:
        """`start` as an instant in UTC, for comparing with the clock (which reads UTC):
        comparing times in two zones asks both zones for their offset every time, about
        0.9 µs, and cards and lists compare dozens of times an update."""
        return self.start.astimezone(UTC)

    @cached_property
    def end_utc(self) -> datetime:
        """`end` as an instant in UTC, for the same reason as `start_utc`."""
        return self.end.astimezone(UTC)

    def ahead(self, lead: timedelta) -> datetime:
        """The instant (in UTC) `lead` before the start, counted as people count it and as
        RFC 5545 counts durations: whole days by the calendar, to the same local time ("a day
        before"), the rest in real time, so "an hour before" is an hour before on the night
        the clocks change too (local arithmetic made it none for a 03:30 start that night)."""
        if not lead.days:
            return self.start_utc - lead
        return (self.start - timedelta(days=lead.days)).astimezone(UTC) \
            - timedelta(seconds=lead.seconds, microseconds=lead.microseconds)

    @property
    def duration(self) -> timedelta:
        """Elapsed time, counted in UTC so a DST change inside the event is not lost."""
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def days(self) -> list[date]:
        """Local calendar dates the event covers; an end at midnight or in the night
        (`NIGHT_ENDS`) does not add a day: the night belongs to the day before."""
        return list(self._days)

    @cached_property
    def _days(self) -> tuple[date, ...]:
        """Worked out once per event: every card and listing line asks."""
        first = self.start.date()
        end = self.end.astimezone(self.timezone)
        last = end.date()
        if last > first and (end.time() == time(0) or ends_in_the_night(self.start, end)
                             or evenings(self.start, end)):
            last -= timedelta(days=1)
        return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))

    @cached_property
    def all_day(self) -> bool:
        """Whether the event covers whole days (written with bare dates): it starts and ends
        at local midnight, so its times mean nothing to a reader."""
        end = self.end.astimezone(self.timezone)
        return self.start.time() == time(0) == end.time() and end > self.start

    @property
    def is_multi_day(self) -> bool:
        """Whether the event spans more than one local date (a gathering, not a morning)."""
        return len(self._days) > 1

    @cached_property
    def of_evenings(self) -> bool:
        """Whether it is a gathering of evenings, each into its night (`evenings`)."""
        return evenings(self.start, self.end.astimezone(self.timezone))

    @cached_property
    def daily_hours(self) -> bool:
        """Whether each day of a gathering keeps the first day's hours (09:30–15:00, or an
        evening's 18:00–02:00), rather than one span running through its nights."""
        end = self.end.astimezone(self.timezone)
        return self.is_multi_day and not self.all_day \
            and (end.time() > self.start.time() or self.of_evenings)

    def __getstate__(self) -> dict[str, object]:
        """The fields alone, for pickling: what a `cached_property` worked out is made again
        when asked, and a copy pickled on another thread (the programme's cache file) never
        reads the dict a card adds to meanwhile."""
        return {name: self.__dict__[name] for name in _EVENT_FIELDS}


_EVENT_FIELDS = tuple(f.name for f in fields(Event))
AROUND_ID = ".,;:!?\"'`*_()[]<>«»“”‘’„"
"""Marks a typed id may be copied with from a sentence or a quote ("/event am-2027-09-02.",
"/ask «am-2027-09-02»"); an id itself is only a-z, 0-9 and '-' (docs/programme.md)."""


DEFAULT_HEALTH_QUESTIONS: tuple[Text, ...] = (
    FrozenMap({
        "sv": "Har du i dag symtom på covid-19, till exempel feber, hosta, halsont "
              "eller andningsbesvär?",
        "en": "Do you have symptoms of COVID-19 today, such as fever, cough, sore throat "
              "or difficulty breathing?",
    }),
    FrozenMap({
        "sv": "Har du under de senaste 14 dagarna vistats i ett område som "
              "Folkhälsomyndigheten anger som riskområde?",
        "en": "Have you, in the last 14 days, been in an area that the Public Health "
              "Agency of Sweden lists as a risk area?",
    }),
    FrozenMap({
        "sv": "Har du under de senaste 14 dagarna varit i nära kontakt med någon som "
              "är smittad av covid-19?",
        "en": "Have you, in the last 14 days, been in close contact with someone "
              "infected with COVID-19?",
    }),
)
"""Yes/no questions for meetings with a health declaration; any "yes" means stay at home."""

DEFAULT_HEALTH_RULES: Text = FrozenMap({
    "sv": "Det finns handdesinfektion på plats – använd den gärna och var extra noga med "
          "handtvätt och hygien. Vi begränsar närkontakt och undviker därför kramar och "
          "handskakningar.",
    "en": "Hand sanitiser is available at the venue – please use it and take extra care "
          "with hand washing and hygiene. We limit close contact, so please no hugs or "
          "handshakes.",
})
"""Rules shown to participants of meetings with a health declaration."""


@dataclass(frozen=True, kw_only=True)
class Programme:
    """Everything the organisers published: networks, venues and events, sorted by start."""

    timezone: ZoneInfo
    events: tuple[Event, ...] = ()
    venues: Mapping[str, Venue] = field(default_factory=FrozenMap)
    networks: Mapping[str, Network] = field(default_factory=FrozenMap)
    contact: str | None = None
    health_questions: tuple[Text, ...] = DEFAULT_HEALTH_QUESTIONS
    health_rules: Text = DEFAULT_HEALTH_RULES
    source: str = ""

    def __post_init__(self) -> None:
        _freeze_field(self, "events", tuple(sorted(self.events, key=lambda e: (e.start_utc, e.id))))
        _freeze_field(self, "venues", FrozenMap(self.venues))
        _freeze_field(self, "networks", FrozenMap(self.networks))
        questions = tuple(freeze_text(q) for q in self.health_questions)
        _freeze_field(self, "health_questions", questions)
        _freeze_field(self, "health_rules", freeze_text(self.health_rules))
        _freeze_field(self, "_by_id", {e.id: e for e in reversed(self.events)})
        _freeze_field(self, "_by_folded", {e.id.casefold(): e for e in reversed(self.events)})
        _freeze_field(self, "_starts", tuple(e.start_utc for e in self.events))
        _freeze_field(self, "_longest", max((e.duration for e in self.events),
                                            default=timedelta(0)))

    def event(self, id: str) -> Event | None:
        """Look up an event by the id used in commands and links (a dict, not a scan); a
        typed id matches whatever its case (phone keyboards capitalise the first letter) and
        without the marks it was copied with (`AROUND_ID`)."""
        found = self._by_id.get(id)  # type: ignore[attr-defined]
        if found is None and id:
            found = self._by_folded.get(id.casefold())  # type: ignore[attr-defined]
        if found is None and (bare := id.strip(AROUND_ID)) != id:  # "am-2027-09-02." copied
            found = self._by_folded.get(bare.casefold())  # type: ignore[attr-defined]
        return found

    def _aware(self, now: datetime) -> datetime:
        """Read a naive time as local time in the programme's zone."""
        return now if now.tzinfo is not None else now.replace(tzinfo=self.timezone)

    def upcoming(self, now: datetime) -> list[Event]:
        """Events that have not ended yet (cancelled and invite-only ones included); found by
        bisection, since ticks ask every few seconds at festival size."""
        now = self._aware(now)
        starts: tuple[datetime, ...] = self._starts  # type: ignore[attr-defined]
        first = bisect.bisect_right(starts, now - self._longest)  # type: ignore[attr-defined]
        begun = bisect.bisect_right(starts, now, lo=first)
        return [e for e in self.events[first:begun] if e.end_utc > now] + list(self.events[begun:])

    def ended_between(self, after: datetime, until: datetime) -> list[Event]:
        """Events whose end is after `after` and no later than `until`, in order of start."""
        after, until = self._aware(after), self._aware(until)
        starts: tuple[datetime, ...] = self._starts  # type: ignore[attr-defined]
        first = bisect.bisect_right(starts, after - self._longest)  # type: ignore[attr-defined]
        last = bisect.bisect_right(starts, until, lo=first)
        return [e for e in self.events[first:last] if after < e.end_utc <= until]

    def began_between(self, after: datetime, until: datetime) -> list[Event]:
        """Events whose start is after `after` and no later than `until`, in order of start."""
        starts: tuple[datetime, ...] = self._starts  # type: ignore[attr-defined]
        first = bisect.bisect_right(starts, self._aware(after))
        return list(self.events[first:bisect.bisect_right(starts, self._aware(until), lo=first)])

    def for_network(self, id: str) -> list[Event]:
        """Events a network takes part in, joint meetings included."""
        return [e for e in self.events if id in e.networks]
