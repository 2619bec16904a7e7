"""Read a date and time written as people write them ("fredag 14 maj 2027 kl. 10.00",
"21/9/2027 12:30", "2 September 2027, 9.30 am" is not one) to show the organiser the exact
value to type instead (`2027-05-14 10:00`): the loader itself only takes the ISO form, so
that a file means the same to every reader, but its problem can name the fix."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache

from babel.dates import get_day_names, get_month_names
from yaml.nodes import Node, ScalarNode

_LANGS = ("sv", "en")
_FILLER = frozenset({"den", "the", "kl", "klockan", "at", "on"})
_DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})(?::[ae]|st|nd|rd|th)? ([^\W\d_]+) ([0-9]{4})")
_MONTH_DAY_YEAR = re.compile(r"([^\W\d_]+) ([0-9]{1,2})(?:st|nd|rd|th)? ([0-9]{4})")
_NUMERIC = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.\- ]([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})")
_CLOCK = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?")


@cache
def _months() -> dict[str, int]:
    """Month names and their abbreviations in Swedish and English (Babel), lower-case."""
    names = {"sept": 9}
    for lang in _LANGS:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=lang).items():
                names[str(name).lower().rstrip(".")] = number
    return names


@cache
def _weekdays() -> dict[str, int]:
    """Weekday names ("fredag", "fredagen", "fre", "friday", "fri") to date.weekday()."""
    names: dict[str, int] = {}
    for lang in _LANGS:
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=lang).items():
                name = str(name).lower().rstrip(".")
                names[name] = number
                if lang == "sv" and width == "wide":
                    names[name + "en"] = number
    return names


def _day(text: str) -> tuple[date | None, str] | None:
    """The date a text begins with, and the rest; None when it begins with none."""
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_DAY_MONTH_YEAR, "dMy"),
                           (_MONTH_DAY_YEAR, "Mdy")):
        if m := pattern.match(text):
            parts = dict(zip(order, m.groups(), strict=True))
            month = _months().get(parts["M"]) if "M" in parts else int(parts["m"])
            if month is None:
                return None
            try:
                return date(int(parts["y"]), month, int(parts["d"])), text[m.end():].strip()
            except ValueError:
                return None
    return None


def _read(text: str, day: date | None) -> tuple[datetime, int | None] | None:
    """The date and time a text names (a time alone on `day`) and the weekday written before
    it, if any; None when it is no such thing or names a day that does not exist."""
    words = re.sub(r"[,]|(?<=[^0-9])\.(?=\s|$)", " ", text.lower()).split()
    weekday = _weekdays().get(words[0]) if words else None
    if weekday is not None:
        words = words[1:]
    rest = " ".join(w for w in words if w not in _FILLER)
    found = _day(rest)
    if found is None and (day is None or weekday is not None):
        return None
    on, rest = found or (day, rest)
    assert on is not None
    clock = _CLOCK.fullmatch(" ".join(w for w in rest.split() if w not in _FILLER))
    if clock is None:
        return None
    try:
        return datetime(on.year, on.month, on.day, int(clock[1]), int(clock[2] or 0)), weekday
    except ValueError:
        return None


def rewrite(text: str, day: date | None = None) -> str | None:
    """`YYYY-MM-DD HH:MM` for a date and time written another way (a time alone is on `day`),
    or None when the text is no such thing, names a day that does not exist, or a weekday
    that is not its date's (a fix must not hide a mistake: `misdated` says which it is)."""
    found = _read(text, day)
    if found is None or (found[1] is not None and found[0].weekday() != found[1]):
        return None
    return f"{found[0]:%Y-%m-%d %H:%M}"


def misdated(text: str) -> tuple[date, int, str] | None:
    """For a date and time written with a weekday that is not its date's ("torsdag 15
    oktober 2027 09.30", a Friday): the date, the weekday written (date.weekday()) and the
    value to type for the date as written (`2027-10-15 09:30`); None otherwise."""
    found = _read(text, None)
    if found is None or found[1] is None or found[0].weekday() == found[1]:
        return None
    return found[0].date(), found[1], f"{found[0]:%Y-%m-%d %H:%M}"


def written(node: Node, day: date | None = None) -> str | None:
    """`rewrite` of a scalar's text as typed (YAML reads `12:30` as a number)."""
    return rewrite(str(node.value), day) if isinstance(node, ScalarNode) else None


def written_misdated(node: Node) -> tuple[date, int, str] | None:
    """`misdated` of a scalar's text as typed."""
    return misdated(str(node.value)) if isinstance(node, ScalarNode) else None
