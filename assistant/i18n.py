"""Languages: gettext catalogues per plugin domain, and Babel formatting of dates and times.

Catalogues are read straight from the `.po` files (compiled in memory with Babel), so a
translator's edit shows up on the next start without a build step.
"""
from __future__ import annotations

import asyncio
import functools
import gettext
import io
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from babel import Locale
from babel.dates import (
    TIMEDELTA_UNITS,
    format_date,
    format_datetime,
    format_time,
    format_timedelta,
    get_timezone_gmt,
    get_timezone_location,
)
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.units import format_unit

from .model import ends_in_the_night, evenings

LANGUAGES = ("sv", "en")
SOURCE_LANGUAGE = "en"
ALIASES_LANGUAGE = "sv"
"""The language of the commands' aliases (`/hjälp`, `/nästa`; the names are English): /help
in it shows each command's first alias, and a typo in it is pointed to an alias first."""
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
log = logging.getLogger("assistant.i18n")
TEXTS_KEPT = 4096
"""Translated texts kept per plugin and language: every message a plugin declares, with
room to spare; a plugin translating texts made at run time only stops adding at this."""


def pick_language(telegram_code: str | None, default: str = SOURCE_LANGUAGE) -> str:
    """Swedish for a Swedish Telegram, English for English, else the configured default."""
    if telegram_code:
        base = telegram_code.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def _posix_language(value: str) -> str | None:
    """The language of a POSIX locale ("sv_SE.UTF-8" → "sv"), as Telegram gives a user's;
    None for "C", "C.UTF-8" or "POSIX", which name none."""
    code = value.split(".")[0].split("_")[0].split("@")[0]
    return code.lower() if code.isalpha() and len(code) in (2, 3) else None


def terminal_language(env: Mapping[str, str]) -> str | None:
    """The language of whoever types at this terminal (the terminal chat, `mingel check`):
    MINGEL_LOCALE, else the locale's as gettext finds it (LC_ALL, LC_MESSAGES, then LANG;
    LANGUAGE's first language Mingel speaks comes before them unless that locale is "C");
    None when they name none, as a Telegram app may not."""
    if env.get("MINGEL_LOCALE"):
        return env["MINGEL_LOCALE"]
    locale = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    if (lang := _posix_language(locale)) is None:
        return None
    preferred = (_posix_language(item) for item in env.get("LANGUAGE", "").split(":"))
    return next((code for code in preferred if code in LANGUAGES), lang)


class Catalogues:
    """Every plugin's translations, loaded once per assistant."""

    def __init__(self, directories: Iterable[Path] = (LOCALES_DIR,)) -> None:
        self._dirs = [d for d in directories if d.is_dir()]
        self._cache: dict[tuple[str, str], gettext.NullTranslations] = {}
        self._texts: dict[tuple[str, str], dict[str, str]] = {}

    def add_directory(self, directory: Path) -> None:
        """Let a third-party plugin ship catalogues inside its own package."""
        if directory.is_dir() and directory not in self._dirs:
            self._dirs.append(directory)
            self._cache.clear()
            self._texts.clear()

    def translations(self, domain: str, lang: str) -> gettext.NullTranslations:
        """The catalogue for one plugin and language; English falls back to the source text."""
        key = (domain, lang)
        if key not in self._cache:
            self._cache[key] = self._load(domain, lang)
        return self._cache[key]

    def _load(self, domain: str, lang: str) -> gettext.NullTranslations:
        for directory in self._dirs:
            po = directory / lang / "LC_MESSAGES" / f"{domain}.po"
            if po.is_file():
                return _compiled(po, po.stat().st_mtime_ns, lang, domain)
        if lang != SOURCE_LANGUAGE:
            log.debug("no %s catalogue for domain %s", lang, domain)
        return gettext.NullTranslations()

    async def warm(self, domains: Iterable[str]) -> None:
        """Read every catalogue ahead, one at a time with others answered in between, so
        that a start's first answer in a language does not wait for its plugins' catalogues
        (30 ms and more for the first English answer)."""
        for lang in LANGUAGES:
            for domain in domains:
                if (domain, lang) not in self._cache:
                    self.translations(domain, lang)
                    await asyncio.sleep(0)

    def gettext(self, domain: str, lang: str, message: str, **values: object) -> str:
        """Translate and fill in named values, as `_("Hello {name}", name=…)`."""
        text = self.text(domain, lang, message)
        return fill(text, values) if values else text

    def text(self, domain: str, lang: str, message: str) -> str:
        """The translation, with no values filled in. Each text is looked up in its
        catalogue once: a card asks for a dozen."""
        texts = self._texts.get((domain, lang))
        if texts is None:
            texts = self._texts[domain, lang] = {}
        if (text := texts.get(message)) is None:
            text = self.translations(domain, lang).gettext(message)
            if len(texts) < TEXTS_KEPT:
                texts[message] = text
        return text

    def ngettext(self, domain: str, lang: str, singular: str, plural: str, n: int,
                 **values: object) -> str:
        """Translate with plural forms; `n` is available to the text as {n}."""
        text = self.translations(domain, lang).ngettext(singular, plural, n)
        return fill(text, {"n": n, **values})


BABEL_LOCALES = {"en": "en_GB"}
"""Babel's plain English is American ("Thursday, September 2, 2027"), and the list lines'
short dates ("Thu 2 Sep") were not: English is written the British way, as in Sweden's
dealings in English ("Thursday, 2 September 2027")."""


_PLACED = re.compile(r"(\{(\w+)\}(?:</\w+>)*)([.?!:,])( [^\W\d_])?")


@functools.lru_cache(maxsize=256)
def _compiled(po: Path, _mtime: int, lang: str, domain: str) -> gettext.GNUTranslations:
    """A .po file read and compiled in memory, once per process and version of the file: it
    is only read from, so every assistant of a process (the tests make hundreds) shares it."""
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=domain)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@functools.lru_cache(maxsize=4096)
def _marked(text: str) -> tuple[str, ...]:
    """The names of a text's values that a mark follows (most texts have none)."""
    return tuple(m.group(2) for m in _PLACED.finditer(text))


def fill(text: str, values: dict[str, object]) -> str:
    """`text.format(**values)`, without doubled punctuation where a value ends a sentence
    itself: a title that asks a question ("… lära av i Sverige?") put into "What would you
    like to ask at {title}?", "It starts after {title}." or "{title}, {when}" does not read
    "??", "?." or "?,"; a sentence that went on after a colon now starts anew ("{title}: you
    are welcome" reads "…i Sverige? You are welcome"); a value cut with "…" (`shorten`), or
    a title ending in one, takes no full stop after it ("…." read as a typo)."""
    for name in _marked(text):
        value = values.get(name)
        if type(value) is str and _ends(value):
            text = _PLACED.sub(lambda m: _undoubled(m, values), text)
            break
    return text.format(**values)


def _undoubled(m: re.Match[str], values: dict[str, object]) -> str:
    """A placed value and the mark after it, the mark dropped where the value ends with its
    own, and a word after a dropped colon given its capital."""
    if not _doubled(values.get(m.group(2)), m.group(3)):
        return m.group(0)
    after = m.group(4) or ""
    return m.group(1) + (after.upper() if m.group(3) == ":" else after)


def _ends(value: str) -> str:
    """The sentence mark a value ends with, closing tags aside, or ''."""
    while value.endswith(">") and (cut := value.rfind("</")) >= 0:
        value = value[:cut]
    last = value[-1:]
    return last if last and last in "?!.…" else ""


def _doubled(value: object, mark: str) -> bool:
    """Whether `mark` after the value would double its own: any mark after ? or !, a
    full stop after a full stop or an ellipsis."""
    end = _ends(value) if type(value) is str else ""
    return bool(end) and (end in "?!" or mark == ".")


@functools.lru_cache(maxsize=64)
def locale_of(lang: str) -> Locale:
    """Babel's locale for a user's language, for anything Babel formats."""
    return Locale.parse(BABEL_LOCALES.get(lang, lang))


@functools.lru_cache(maxsize=16384)
def _date(value: date, fmt: str, lang: str) -> str:
    """Babel's formatting is pure and costs ~50 µs; a festival shows the same few thousand
    dates and times over and over, so each is formatted once (docs/benchmarks.md)."""
    return format_date(value, fmt, locale=locale_of(lang))


@functools.lru_cache(maxsize=64)
def _first_day_pattern(lang: str, same_month: bool) -> str:
    """The first date of a span of days: the language's full date without the year (it is
    written once, at the end), and without the month too when the month stays and the
    language writes it after the day ('onsdag 10 – torsdag 11 november 2027')."""
    pattern = re.sub(r"[,\s]*y+[,\s]*$", "", locale_of(lang).date_formats["full"].pattern)
    if same_month and re.search(r"d\s+M+$", pattern):
        pattern = re.sub(r"\s+M+$", "", pattern)
    return pattern


@functools.lru_cache(maxsize=16384)
def _time(value: datetime, tz: tzinfo, lang: str) -> str:
    return format_time(value, "HH:mm", tzinfo=tz, locale=locale_of(lang))


NO_PLACE = frozenset({"UTC", "UCT", "GMT", "Universal", "Zulu", "Greenwich"})
"""Zones that are an offset rather than a place: CLDR names them 'Unknown Region'."""


@functools.lru_cache(maxsize=64)
def zone_name(tz: tzinfo, lang: str) -> str:
    """A time zone as the language names it for people who live elsewhere ('Sweden Time',
    'Sverigetid'), from CLDR through Babel (~100 µs a call); a zone of no place (UTC,
    Etc/GMT-2) as its offset ('GMT+02:00'), which never changes."""
    key = str(getattr(tz, "key", tz))
    if key.startswith("Etc/") or key in NO_PLACE or not hasattr(tz, "key"):
        return get_timezone_gmt(datetime(2000, 1, 1, tzinfo=tz), locale=locale_of(lang))
    return get_timezone_location(tz, locale=locale_of(lang))


@functools.lru_cache(maxsize=4096)
def number(value: int, lang: str) -> str:
    """A count as the language writes it ('12 345' in Swedish); Babel takes ~40 µs a call,
    and the same small numbers come up again and again."""
    return format_decimal(value, locale=locale_of(lang))


class Formatter:
    """Dates, times and durations in one language and one time zone."""

    def __init__(self, lang: str, tz: tzinfo, at: str = "{date} {time}",
                 span: str = "{date}, {start}–{end}",
                 daily: str = "{days}, {start}–{end} each day",
                 nightly: str = "{days}, {start}–{end} each evening",
                 day_words: Callable[[int], str] | None = None) -> None:
        self.lang = lang
        self.locale = locale_of(lang)
        self.tz = tz
        self.at = at
        """A date and a time together, as the language joins them ('{date} kl. {time}')."""
        self.span = span
        """One day's times, as the language writes them ('{date} kl. {start}–{end}')."""
        self.daily = daily
        """A gathering's days and hours ('{days} kl. {start}–{end} varje dag')."""
        self.nightly = nightly
        """A gathering's evenings, each into its night ('{days} kl. {start}–{end} varje kväll')."""
        self.day_words = day_words
        """Whole days counted from the core's catalogue ('7 dagar'); None: Babel's words."""

    def date(self, value: date | datetime, fmt: str = "full") -> str:
        """A date as people write it, e.g. 'torsdag 2 september 2027'."""
        if isinstance(value, datetime):
            value = value.astimezone(self.tz).date()
        return _date(value, fmt, self.lang)

    def month(self, value: date) -> str:
        """A month of a year, as the language writes it alone ('september 2027')."""
        return _date(value.replace(day=1), self.locale.datetime_skeletons["yMMMM"].pattern,
                     self.lang)

    def time(self, value: datetime) -> str:
        """A clock time in the event's zone, e.g. '09:30'."""
        return _time(value, self.tz, self.lang)

    def datetime(self, value: datetime, fmt: str = "medium") -> str:
        """A point in time in the event's zone."""
        return format_datetime(value, fmt, tzinfo=self.tz, locale=self.locale)

    def weekday_date(self, value: datetime) -> str:
        """A short weekday and date for list lines, e.g. 'tors 2 sep.'."""
        return _date(value.astimezone(self.tz).date(), "EEE d MMM", self.lang)

    def range(self, start: datetime, end: datetime, zone: bool = False,
              bracketed: bool = False) -> str:
        """A meeting's span: one date and two times (an end in the night after counts as the
        same evening, `NIGHT_ENDS`); whole days (midnight to midnight, as the programme
        stores bare dates) as dates only, the last one inclusive; days with the same hours
        (a gathering from 09:30 on its first day to 15:00 on its last) as the days and those
        hours, as its calendar file shows them, and so evenings that each run into the night
        after (Friday 18:00 to Sunday 02:00, `evenings`); else two full points, also from a
        midnight (the days someone chose of a gathering through the nights are cut there,
        and run through them: not '00:00–12:00 each day').
        With `zone`, times are followed by the zone they are in ('09:30–12:30 (Sweden
        Time)'): for a meeting joined online, whose reader may live an hour away; see
        `zoned` for `bracketed`."""
        s, e = start.astimezone(self.tz), end.astimezone(self.tz)
        midnight = datetime.min.time()
        if s.time() == midnight == e.time() and e > s:
            return self.days(s.date(), e.date() - timedelta(days=1))
        if s.date() == e.date() or ends_in_the_night(s, e):
            span = self.span.format(date=self.date(s), start=self.time(s), end=self.time(e))
        elif evenings(s, e):
            span = self.nightly.format(days=self.days(s.date(), e.date() - timedelta(days=1)),
                                       start=self.time(s), end=self.time(e))
        elif e.time() > s.time() and s.time() != midnight:
            span = self.daily.format(days=self.days(s.date(), e.date()), start=self.time(s),
                                     end=self.time(e))
        else:
            span = (f"{self.at.format(date=self.date(s), time=self.time(s))} – "
                    f"{self.at.format(date=self.date(e), time=self.time(e))}")
        return self.zoned(span, bracketed) if zone else span

    def zoned(self, times: str, bracketed: bool = False) -> str:
        """Times followed by the zone they are in, '09:30–12:30 (Sweden Time)'; `bracketed`
        when the sentence puts them in brackets of its own, so that they do not nest:
        '(torsdag … kl. 09:30–12:30, Sverigetid)'."""
        return f"{times}, {self.zone()}" if bracketed else f"{times} ({self.zone()})"

    def zone(self) -> str:
        """The zone these times are in, as the language names it: 'Sweden Time'."""
        return zone_name(self.tz, self.lang)

    def days(self, first: date, last: date) -> str:
        """Whole days from `first` to `last` inclusive: 'onsdag 10 november 2027', or
        'onsdag 10 – torsdag 11 november 2027' (the year once when it is the same)."""
        if first == last:
            return self.date(first)
        if first.year == last.year:
            pattern = _first_day_pattern(self.lang, first.month == last.month)
            return f"{_date(first, pattern, self.lang)} – {self.date(last)}"
        return f"{self.date(first)} – {self.date(last)}"

    def duration(self, value: timedelta) -> str:
        """A lead or keeping time in words as Babel rounds it, e.g. '24 timmar', '2 veckor';
        in days as Mingel says them elsewhere ('7 dagar', where Babel's Swedish says '7
        dygn'), `day_count`."""
        seconds = abs(value.total_seconds())
        if _babel_unit(seconds) == "day":
            return self.day_count(max(1, round(seconds / DAY_SECONDS)))
        return format_timedelta(value, locale=self.locale, threshold=DURATION_THRESHOLD)

    def day_count(self, n: int) -> str:
        """A number of whole days, '7 dagar' / '7 days' (cards, retention texts, durations)."""
        if self.day_words is not None:
            return self.day_words(n)
        return format_unit(n, "duration-day", locale=self.locale)


DURATION_THRESHOLD = 1.5
"""Babel's threshold for `Formatter.duration`: 36 hours are '2 days', 30 hours '30 hours'."""
DAY_SECONDS = 86400


def _babel_unit(seconds: float) -> str:
    """The unit `format_timedelta` writes a duration in (its own rule: the largest unit of
    which there are at least DURATION_THRESHOLD)."""
    for unit, size in TIMEDELTA_UNITS:
        if seconds / size >= DURATION_THRESHOLD:
            return unit
    return "second"
