"""What listing and search need from a programme, worked out once per programme version.

A programme is immutable, and a festival has thousands of meetings: the order of the
network-grouped list, each day's meetings, each network's, the upcoming count and every
meeting's folded search text are made once and kept with that programme (the last one
only: a reload makes a new programme, and the old one's index goes with it). ahead.py
makes them when a programme is put in use, the search texts TEXT_STEP meetings at a time
(`Index.fold_texts`) with others answered in between; whatever is still missing when a
list or a search needs it is made there and then.
"""
from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from datetime import date, datetime
from functools import cached_property

from assistant.model import Event, Programme

from .render import fold

TEXT_STEP = 4
"""Meetings whose search text `Index.fold_texts` makes at a time (about 2 ms)."""
SEARCHES_KEPT = 64
"""Recent searches' results kept per programme: paging through one asks again per page."""
_NUMBER = re.compile(r"\d+")
_last: list = []


class Index:
    """One programme's lists and search texts."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self._searches: OrderedDict[tuple[str, ...], tuple[Event, ...]] = OrderedDict()
        self._folded: list[tuple[Event, str, frozenset[str]]] = []
        self._texts: tuple[tuple[Event, str, frozenset[str]], ...] | None = None

    @cached_property
    def grouped(self) -> tuple[tuple[str, Event], ...]:
        """Every meeting under the first of its networks, networks in file order."""
        groups: dict[str, list[Event]] = {n: [] for n in self.programme.networks}
        for event in self.programme.events:
            groups.setdefault(event.networks[0], []).append(event)
        return tuple((n, e) for n, group in groups.items() for e in group)

    @cached_property
    def _ends(self) -> tuple[datetime, ...]:
        return tuple(sorted(e.end_utc for e in self.programme.events))

    @cached_property
    def invite_only(self) -> tuple[Event, ...]:
        """The meetings a plugin may hide (event_visible is for invite-only meetings)."""
        return tuple(e for e in self.programme.events if e.invite_only)

    def upcoming_count(self, now: datetime) -> int:
        """How many meetings have not ended, by bisection."""
        return len(self._ends) - bisect.bisect_right(self._ends, now)

    @cached_property
    def by_day(self) -> dict[date, tuple[Event, ...]]:
        """Each local day's meetings in programme (time) order; a gathering on each of its days."""
        days: dict[date, list[Event]] = {}
        for event in self.programme.events:
            for day in event.days():
                days.setdefault(day, []).append(event)
        return {day: tuple(events) for day, events in days.items()}

    @cached_property
    def by_month(self) -> dict[tuple[int, int], tuple[Event, ...]]:
        """Each (year, month)'s meetings in programme (time) order, once each: a gathering
        under every month it has days in."""
        months: dict[tuple[int, int], list[Event]] = {}
        for event in self.programme.events:
            for month in dict.fromkeys((day.year, day.month) for day in event.days()):
                months.setdefault(month, []).append(event)
        return {month: tuple(events) for month, events in sorted(months.items())}

    @cached_property
    def by_network(self) -> dict[str, tuple[Event, ...]]:
        """Each network's meetings, joint ones included, in time order."""
        networks: dict[str, list[Event]] = {n: [] for n in self.programme.networks}
        for event in self.programme.events:
            for network in event.networks:
                networks.setdefault(network, []).append(event)
        return {n: tuple(events) for n, events in networks.items()}

    @property
    def texts(self) -> tuple[tuple[Event, str, frozenset[str]], ...]:
        """Each meeting with its searchable text in every language, folded, and the whole
        numbers in it (a search for "7" means Talare 7, not 17); what is not made yet is
        made now."""
        while self._texts is None:
            self.fold_texts(len(self.programme.events))
        return self._texts

    @property
    def texts_made(self) -> int:
        """How many meetings' search texts are made so far."""
        return len(self._texts) if self._texts is not None else len(self._folded)

    def fold_texts(self, count: int = TEXT_STEP) -> bool:
        """Make the search texts of up to `count` more meetings; True once all are made."""
        if self._texts is None:
            events, folded = self.programme.events, self._folded
            folded.extend(_text(self.programme, event)
                          for event in events[len(folded):len(folded) + count])
            if len(folded) == len(events):
                self._texts, self._folded = tuple(folded), []
        return self._texts is not None

    def search(self, words: tuple[str, ...]) -> tuple[Event, ...]:
        """The meetings whose text has every folded word, in time order: a number after a
        word goes with it ("talare 7", not talare and a 7 elsewhere), a number alone is a
        whole number; recent searches are kept, since each page asks again."""
        if (found := self._searches.get(words)) is not None:
            self._searches.move_to_end(words)
            return found
        texts, numbers, phrases = _terms(words)
        found = tuple(event for event, haystack, whole in self.texts
                      if all(n in whole for n in numbers) and all(w in haystack for w in texts)
                      and all(p.search(haystack) for p in phrases))
        self._searches[words] = found
        if len(self._searches) > SEARCHES_KEPT:
            self._searches.popitem(last=False)
        return found


def _text(programme: Programme, event: Event) -> tuple[Event, str, frozenset[str]]:
    """A meeting, its folded search text and the whole numbers in it."""
    parts = [*event.title.values(), *event.description.values()]
    for person in event.speakers:
        parts += [person.name, *person.role.values()]
    for network_id in event.networks:
        parts.append(network_id)
        if (network := programme.networks.get(network_id)) is not None:
            parts += network.name.values()
    if event.venue is not None:
        parts.append(event.venue.name)
    haystack = fold(" ".join(parts))
    return event, haystack, frozenset(str(int(n)) for n in _NUMBER.findall(haystack))


def _terms(words: tuple[str, ...]) -> tuple[list[str], list[str], list[re.Pattern[str]]]:
    """Words to find anywhere, whole numbers, and a word with the number after it."""
    texts: list[str] = []
    numbers: list[str] = []
    phrases: list[re.Pattern[str]] = []
    for i, word in enumerate(words):
        if not word.isdecimal():
            texts.append(word)
        elif i and not words[i - 1].isdecimal():
            before = texts.pop()
            phrases.append(re.compile(rf"{re.escape(before)}\s+0*{int(word)}(?!\d)"))
        else:
            numbers.append(str(int(word)))
    return texts, numbers, phrases


def kept(idx: Index) -> bool:
    """Whether this is still the index kept (not replaced by another programme's)."""
    return bool(_last) and _last[0] is idx


def index(programme: Programme) -> Index:
    """The index of this programme (made on first use, replaced with the programme)."""
    if _last and _last[0].programme is programme:
        return _last[0]
    _last[:] = [Index(programme)]
    return _last[0]
