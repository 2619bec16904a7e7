"""Days as people write them: "onsdag", "tomorrow", "30 juni", "30/6", "2027-06-30".

/programme, /search and free text ("vad händer på onsdag?") name a day in Swedish or
English. The words are folded (lower case, no diacritics) and a day may stand anywhere
among them; `find_day` takes it out and leaves the other words. A weekday means the next
such day, from today, that has meetings (else simply the next one); a date without a
year the next such date, unless only the past one has meetings.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from assistant.i18n import locale_of

from .render import fold

WEEKDAYS = {name: n for n, names in enumerate((
    ("monday", "mandag"), ("tuesday", "tisdag"), ("wednesday", "onsdag"),
    ("thursday", "torsdag"), ("friday", "fredag"), ("saturday", "lordag"),
    ("sunday", "sondag"))) for name in names}
"""Full weekday names, folded; not the short forms ("man", "fre"), which are also words."""
TODAY = (("today",), ("idag",), ("i", "dag"))
TOMORROW = (("tomorrow",), ("imorgon",), ("i", "morgon"))
LOOK_AHEAD = 400
"""Days a weekday is looked for among the meetings before it means just the next one."""
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th|e|a|:e|:a)?")
_EDGES = re.compile(r"^[^\w/-]+|[^\w/-]+$")


def _months() -> dict[str, int]:
    """Month names in Swedish and English, wide and abbreviated, folded, without dots."""
    names: dict[str, int] = {}
    for lang in ("sv", "en"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in locale_of(lang).months[context][width].items():
                    names[fold(name).rstrip(".")] = number
    return names


MONTHS = _months()


def tokens(text: str) -> list[str]:
    """The folded words of a text as spaced, without punctuation around them ("fredag?")."""
    return [w for w in (_EDGES.sub("", word) for word in fold(text).split()) if w]


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _yearless(month: int, day: int, today: date, busy: Callable[[date], bool]) -> date | None:
    """The next such date from today, unless only this year's (past) one has meetings."""
    this = _date(today.year, month, day)
    after = _date(today.year + 1, month, day)
    if this is not None and (this >= today or busy(this) and (after is None or not busy(after))):
        return this
    return after


def _weekday(number: int, today: date, busy: Callable[[date], bool]) -> date:
    """The next such weekday from today with meetings, else the next such weekday."""
    first = today + timedelta(days=(number - today.weekday()) % 7)
    for weeks in range(LOOK_AHEAD // 7):
        if busy(candidate := first + timedelta(weeks=weeks)):
            return candidate
    return first


def _day_number(word: str) -> int | None:
    match = _DAY_NUMBER.fullmatch(word)
    return int(match[1]) if match else None


def _at(words: Sequence[str], i: int, today: date,
        busy: Callable[[date], bool]) -> tuple[date, int] | None:
    """The day written from words[i] on and how many words it takes."""
    word = words[i]
    following = words[i + 1] if i + 1 < len(words) else ""
    for phrases, days in ((TODAY, 0), (TOMORROW, 1)):
        for phrase in phrases:
            if tuple(words[i:i + len(phrase)]) == phrase:
                return today + timedelta(days=days), len(phrase)
    if word in WEEKDAYS:
        return _weekday(WEEKDAYS[word], today, busy), 1
    if match := _ISO.fullmatch(word):
        found = _date(int(match[1]), int(match[2]), int(match[3]))
        return (found, 1) if found else None
    if match := _SLASHED.fullmatch(word):
        day, month = int(match[1]), int(match[2])
        found = _date(int(match[3]), month, day) if match[3] else _yearless(month, day, today, busy)
        return (found, 1) if found else None
    day = _day_number(word)
    if day is not None and following.rstrip(".") in MONTHS:
        month, taken = MONTHS[following.rstrip(".")], 2
    elif word.rstrip(".") in MONTHS and (day := _day_number(following)) is not None:
        month, taken = MONTHS[word.rstrip(".")], 2
    else:
        return None
    year = words[i + 2] if i + 2 < len(words) else ""
    if len(year) == 4 and year.isdecimal():
        found = _date(int(year), month, day)
        taken += 1
    else:
        found = _yearless(month, day, today, busy)
    return (found, taken) if found else None


def find_day(words: Sequence[str], today: date,
             busy: Callable[[date], bool]) -> tuple[date, list[str]] | None:
    """The first day named among the folded words, and the other words; None without one.
    `busy` says whether a date has meetings."""
    for i in range(len(words)):
        if (found := _at(words, i, today, busy)) is not None:
            day, taken = found
            return day, [*words[:i], *words[i + taken:]]
    return None


def written(day: date, today: date) -> str:
    """The day as /programme reads it back to the same day: "30/6" within the coming year,
    else "2027-06-30"."""
    if today <= day < today + timedelta(days=365):
        return f"{day.day}/{day.month}"
    return day.isoformat()
