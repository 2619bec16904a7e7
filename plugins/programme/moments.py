"""Dates, times and time zones in the programme file, read in the file's zone.

A meeting's start and end are written as a date and a time ("2027-09-02 09:30"; a bare
date is the start of that day, or for an end the day after), in the programme's
`timezone`; a time that is not one gets an example of how to write it, on the writer's
own day when the text begins with one (`day_of`). Part of the loader (loader.py).
"""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from yaml.nodes import Node, ScalarNode

from assistant import N_

from .humandates import written, written_misdated
from .problems import Day, Label, code, msg, suggest
from .yamlnodes import NodeReader
from .yamlnodes import kind as _kind

EXAMPLE_DAY = "2027-09-02"
"""The day of the examples of how a date and time is written, unless the file's own text
gives one (a mistyped time after a good date, a date under a field of its own)."""

_STR = "tag:yaml.org,2002:str"
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_TIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\Z"
)


def day_of(node: Node) -> str:
    """The real date a scalar's text begins with, for an example written on the writer's own
    day; else the examples' day."""
    if isinstance(node, ScalarNode) and (m := _DAY.match(str(node.value).strip())):
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    return EXAMPLE_DAY


def _localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach the zone; an ambiguous time takes its first occurrence, a skipped one moves on."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


class MomentReader(NodeReader):
    """Reads the file's dates, times and time zone, collecting problems."""

    start_day: date | None = None
    """The day the meeting being read starts on, for an end written as a time alone."""

    def moment(self, node: Node, what: Label, tz: ZoneInfo, is_end: bool) -> datetime | None:
        """A local date and time; a bare date means the start of that day (end: the day after)."""
        raw = (node.value if node.tag == _STR else self.value(node)) \
            if isinstance(node, ScalarNode) else None
        if isinstance(raw, str) and (m := _TIME.match(raw.strip())):
            year, month, day, hour, minute, second, offset = m.groups()
            try:
                raw = date(int(year), int(month), int(day))
                if hour is not None and (offset or not f"{minute}{second or ''}".isascii()):
                    raw = datetime.fromisoformat(f"{raw}T{int(hour):02}:{minute}:"
                                                 f"{second or '00'}{offset or ''}")
                elif hour is not None:
                    raw = datetime(raw.year, raw.month, raw.day, int(hour), int(minute),
                                   int(second or 0))
            except ValueError as exc:
                raw = exc
        if isinstance(raw, datetime):
            self.start_day = None if is_end else raw.date()
            return raw.astimezone(tz) if raw.tzinfo else _localize(raw, tz)
        if isinstance(raw, date):
            self.start_day = None if is_end else raw
            return _localize(datetime.combine(raw + timedelta(days=is_end), time()), tz)
        if fixed := written(node, self.start_day if is_end else None):
            self.start_day = None if is_end else date.fromisoformat(fixed[:10])
            self.report(node, N_("{what} must be written {example} (year-month-day and the "
                                 "time), not {kind}"), what=what, kind=_kind(node),
                        example=code(fixed))
        elif wrong := written_misdated(node):
            on, weekday, fixed = wrong
            self.report(node, N_("{what}: {date} is a {weekday}, not a {written}: for that date "
                                 "write {example}, not {kind}"),
                        what=what, date=Day(on), weekday=Day(on, weekday=True),
                        written=Day(on - timedelta(days=on.weekday() - weekday), weekday=True),
                        example=code(fixed), kind=_kind(node))
        elif isinstance(raw, ValueError):
            self.report(node, N_("{what} must be a date and time like {example}, not {kind}: "
                                 "there is no such date or time"),
                        what=what, kind=_kind(node), example=code(f"{day_of(node)} 09:30"))
        else:
            self.report(node, N_("{what} must be a date and time like {example}, not {kind}"),
                        what=what, kind=_kind(node), example=code(f"{day_of(node)} 09:30"))
        return None

    def timezone(self, node: Node | None, default: str) -> ZoneInfo:
        name = default if node is None else self.string(node, "timezone") or default
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            where = "timezone" if node is not None else \
                msg(N_("the default time zone (MINGEL_TIMEZONE)"))
            self.report(node, N_("{what}: unknown time zone '{name}'"),
                        suggest(name, available_timezones()), what=where, name=name)
            return ZoneInfo("UTC") if node is None else self.timezone(None, default)
