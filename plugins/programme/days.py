"""Days as people write them: "onsdag", "tomorrow", "30 juni", "30/6", "2027-06-30".

/programme, /search and free text ("vad händer på onsdag?") name a day in Swedish or
English. The text is split into folded words (lower case, no diacritics) as a person means
them (`tokens`), and a day may stand anywhere among them; `find_day` takes it out, with the
small words that belong to it, and leaves the other words:

- before it, any of BEFORE: "på onsdag", "nu på fredag", "den 30 juni", "on the 30th",
  "this friday";
- between a day number and its month, "of" ("the 30th of June"), and "the" between a
  month and its day number ("June the 30th");
- after a date, a four-digit year ("30 juni 2027", "June 30, 2027", "1/7 2027").

A weekday means the next such day, from today, that has meetings (else simply the next
one); a date without a year the next such date, unless only the past one has meetings. A
weekday followed by a date ("onsdag den 30 juni", "wednesday, june 30") means that date,
even when it falls on another weekday: the list's heading names the date's real weekday,
which tells the reader more than a refusal would. A weekday followed by a day number alone
("onsdag den 30:e", "wednesday the 7th") means the next such weekday on that day of a
month; a bare number right after a weekday ("onsdag 7") is a word of its own (Sal 7).

A month alone ("september", "i sept", "September 2027") is read by `find_month`, for the
month's list.
"""
from __future__ import annotations

import calendar
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


def _short_weekdays() -> dict[str, str]:
    """Weekday names as the lists write them ("Thu 2 Sept", "tors 2 sep."), folded and
    without dots, each with its full name: /programme takes them, free text does not."""
    full = {n: name for name, n in WEEKDAYS.items()}
    return {fold(name).rstrip("."): full[n] for lang in ("sv", "en")
            for context in ("format", "stand-alone")
            for n, name in locale_of(lang).days[context]["abbreviated"].items()}


SHORT_WEEKDAYS = _short_weekdays()
TODAY = (("today",), ("idag",), ("i", "dag"))
TOMORROW = (("tomorrow",), ("imorgon",), ("i", "morgon"))
BEFORE = frozenset({"on", "the", "this", "pa", "nu", "den"})
"""Words that go with the day after them: on, the, this; på, nu, den (folded). Not "i":
"i dag" and "i morgon" are days of their own, and "i onsdags" is a past one."""
OF = frozenset({"of"})
"""Between a day number and its month: "the 30th of June"."""
THE = frozenset({"the"})
"""Between a month and its day number: "June the 30th"."""
IN = frozenset({"i", "in", "under", "during"})
"""Words that go with a month after them: "i september", "in September", "under maj"."""
LOOK_AHEAD = 400
"""Days a weekday is looked for among the meetings before it means just the next one."""
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th|e|a|:e|:a)?")
_TAG = re.compile(r"</?(?:a|b|i|u|s|em|strong|ins|del|strike|span|code|pre|br|p|div"
                  r"|blockquote|tg-spoiler|tg-emoji)(?:\s[^<>]*)?/?>")
"""An HTML tag, as text copied from a formatted message may carry ("<b>klimat</b>")."""
_WORD = re.compile(r"[^\W_]+(?:(?:[-&'+]|(?<=\d)[/.](?=\d)|(?<=\d):(?=[^\W_]))[^\W_]+)*")
"""A word: letters and digits, joined by a hyphen, an ampersand, an apostrophe or a plus
("e-hälsa", "2027-06-30", "R&D", "Q&A", "o'neill"), and between digits by a slash or a dot
("30/6", "30.6"), after a digit by a colon ("1:a", "30:e"): "R&D" split in two was two
letters found in every meeting's text."""


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
    """The folded words of a text as a person means them: tags and punctuation, inside a
    word too ("<b>klimat", "klimat/energi"), separate words; a date, "1:a" and "e-hälsa"
    stay whole."""
    return _WORD.findall(_TAG.sub(" ", fold(text)))


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


def _weekdays(number: int, today: date) -> list[date]:
    """The coming such weekdays, from today, LOOK_AHEAD days ahead."""
    first = today + timedelta(days=(number - today.weekday()) % 7)
    return [first + timedelta(weeks=weeks) for weeks in range(LOOK_AHEAD // 7)]


def _first_busy(days: list[date], busy: Callable[[date], bool]) -> date | None:
    """The first of these days with meetings, else the first; None without any."""
    return next((day for day in days if busy(day)), days[0] if days else None)


def _day_number(word: str) -> int | None:
    match = _DAY_NUMBER.fullmatch(word)
    return int(match[1]) if match else None


def _skip(words: Sequence[str], i: int, fillers: frozenset[str]) -> int:
    """The first word from i on that is not one of these small words."""
    while i < len(words) and words[i] in fillers:
        i += 1
    return i


def _word(words: Sequence[str], i: int) -> str:
    return words[i] if i < len(words) else ""


def _month(word: str) -> int | None:
    return MONTHS.get(word.rstrip("."))


def _year(words: Sequence[str], i: int) -> int | None:
    """A four-digit year at words[i], if one is there."""
    word = _word(words, i)
    return int(word) if len(word) == 4 and word.isdecimal() else None


def _dated(year: int | None, month: int, day: int, today: date,
           busy: Callable[[date], bool]) -> date | None:
    return _date(year, month, day) if year is not None else _yearless(month, day, today, busy)


def _day_and_month(words: Sequence[str], i: int) -> tuple[int, int, int] | None:
    """A day number and a month in either order from words[i] on ("30 juni", "the 30th of
    June", "June 30"), and the index of the word after them."""
    word = _word(words, i)
    if (day := _day_number(word)) is not None:
        after = _skip(words, i + 1, OF)
        month = _month(_word(words, after))
    elif (month := _month(word)) is not None:
        after = _skip(words, i + 1, THE)
        day = _day_number(_word(words, after))
    return (day, month, after + 1) if day is not None and month is not None else None


def _date_at(words: Sequence[str], i: int, today: date,
             busy: Callable[[date], bool]) -> tuple[date, int] | None:
    """The date written from words[i] on and how many words it takes."""
    word = _word(words, i)
    if match := _ISO.fullmatch(word):
        found, end = _date(int(match[1]), int(match[2]), int(match[3])), i + 1
    elif match := _SLASHED.fullmatch(word):
        year = int(match[3]) if match[3] else _year(words, i + 1)
        end = i + 1 + (not match[3] and year is not None)
        found = _dated(year, int(match[2]), int(match[1]), today, busy)
    elif named := _day_and_month(words, i):
        day, month, end = named
        if (year := _year(words, end)) is not None:
            end += 1
        found = _dated(year, month, day, today, busy)
    else:
        return None
    return (found, end - i) if found else None


def _weekday_at(words: Sequence[str], i: int, today: date,
                busy: Callable[[date], bool]) -> tuple[date, int] | None:
    """A weekday at words[i], and the date or day number after it that says which one."""
    if (number := WEEKDAYS.get(_word(words, i))) is None:
        return None
    after = _skip(words, i + 1, BEFORE)
    if (dated := _date_at(words, after, today, busy)) is not None:
        return dated[0], after + dated[1] - i
    if (after > i + 1 or not _word(words, after).isdecimal()) \
            and (day := _day_number(_word(words, after))) is not None \
            and (found := _first_busy([d for d in _weekdays(number, today) if d.day == day],
                                      busy)) is not None:
        return found, after + 1 - i  # "onsdag den 7", "onsdag 7:e"; "onsdag 7" is a word
    found = _first_busy(_weekdays(number, today), busy)
    assert found is not None
    return found, 1


def _at(words: Sequence[str], i: int, today: date,
        busy: Callable[[date], bool]) -> tuple[date, int] | None:
    """The day written from words[i] on, the small words before it included, and how many
    words it takes."""
    start = _skip(words, i, BEFORE)
    for phrases, days in ((TODAY, 0), (TOMORROW, 1)):
        for phrase in phrases:
            if tuple(words[start:start + len(phrase)]) == phrase:
                return today + timedelta(days=days), start + len(phrase) - i
    found = _weekday_at(words, start, today, busy) or _date_at(words, start, today, busy)
    return (found[0], start + found[1] - i) if found else None


def find_day(words: Sequence[str], today: date,
             busy: Callable[[date], bool]) -> tuple[date, list[str]] | None:
    """The first day named among the folded words, and the other words; None without one.
    `busy` says whether a date has meetings."""
    for i in range(len(words)):
        if (found := _at(words, i, today, busy)) is not None:
            day, taken = found
            return day, [*words[:i], *words[i + taken:]]
    return None


def no_such_date(words: Sequence[str]) -> tuple[int, int, int | None] | None:
    """The day, month and written year when the words are a date and nothing else (after the
    small words and a weekday that go with it) that does not exist: "31/2", "30 februari",
    "den 31 april", "29/2 2027", "2027-02-30"; None otherwise (a date without a year does not
    exist when no year has it: "29/2" is the next 29 February)."""
    i = _skip(words, 0, BEFORE)
    if WEEKDAYS.get(_word(words, i)) is not None:
        i = _skip(words, i + 1, BEFORE)
    word, year = _word(words, i), None
    if match := _ISO.fullmatch(word):
        year, month, day, end = int(match[1]), int(match[2]), int(match[3]), i + 1
    elif match := _SLASHED.fullmatch(word):
        day, month, end = int(match[1]), int(match[2]), i + 1
        if (year := int(match[3]) if match[3] else _year(words, end)) is not None:
            end += not match[3]
    elif named := _day_and_month(words, i):
        day, month, end = named
        if (year := _year(words, end)) is not None:
            end += 1
    else:
        return None
    if end != len(words) or not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    longest = calendar.monthrange(2000 if year is None else year, month)[1]  # 2000: a leap year
    return (day, month, year) if day > longest else None


def find_month(words: Sequence[str]) -> tuple[int, int | None] | None:
    """The month, and the year if one is written after it, when the words name a month and
    nothing else ("september", "i sept.", "September 2027"); None otherwise."""
    rest = list(words[_skip(words, 0, IN | BEFORE):])
    year = _year(rest, 1) if len(rest) == 2 else None
    if len(rest) != 1 + (year is not None) or (month := _month(rest[0])) is None:
        return None
    return month, year


def spelled_out(words: Sequence[str]) -> list[str]:
    """The words with a weekday written short, as a list shows it ("Thu", "tors"), spelt
    out: /programme is given days copied from its own lists ("/programme Thu 2 Sept")."""
    return [SHORT_WEEKDAYS.get(word, word) for word in words]


def written(day: date, today: date) -> str:
    """The day as /programme reads it back to the same day: "30/6" within the coming year,
    else "2027-06-30"."""
    if today <= day < today + timedelta(days=365):
        return f"{day.day}/{day.month}"
    return day.isoformat()
