"""Read the organisers' programme file (YAML) into `assistant.model` objects.

Organisers edit the file by hand, so every problem is reported at once, each with
its 1-based line number and, for a misspelt name, a "did you mean …?" hint.
The file format is described in docs/programme.md.
Check a file from the terminal with ``python -m plugins.programme.loader FILE``.
"""


from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from yaml.nodes import Node, ScalarNode, SequenceNode

from assistant import collector
from assistant.model import (
    DEFAULT_HEALTH_QUESTIONS,
    DEFAULT_HEALTH_RULES,
    QUESTION_MODES,
    Event,
    FrozenMap,
    Network,
    Online,
    Person,
    Programme,
    Venue,
)

from .yamlnodes import Entry as _Entry
from .yamlnodes import NodeReader, Problem, ProgrammeError
from .yamlnodes import is_null as _is_null
from .yamlnodes import kind as _kind
from .yamlnodes import line as _line
from .yamlnodes import suggest as _suggest
from .yamlnodes import syntax_problem as _syntax_problem

__all__ = ["Problem", "ProgrammeError", "check_file", "load_programme", "parse_programme"]

MAX_EVENT_DAYS = 31
TOP_FIELDS = ("timezone", "contact", "venues", "networks", "health", "defaults", "events")
VENUE_FIELDS = ("name", "address", "latitude", "longitude")
NETWORK_FIELDS = ("name", "description", "moderator")
PERSON_FIELDS = ("name", "role", "about")
ONLINE_FIELDS = ("platform", "url", "private")
HEALTH_FIELDS = ("questions", "rules")
EVENT_FIELDS = (
    "id", "networks", "title", "description", "start", "end", "venue", "online", "speakers",
    "capacity", "online_capacity", "invite_only", "health_declaration", "health_required",
    "questions", "question_mode", "cancelled", "note", "url",
)
DEFAULT_FIELDS = tuple(f for f in EVENT_FIELDS if f not in ("id", "title", "start", "end"))
BOOL_FIELDS = ("invite_only", "health_declaration", "health_required", "questions", "cancelled")
PLATFORMS = {"zoom.us": "Zoom", "teams.microsoft.com": "Teams", "meet.google.com": "Google Meet"}

_TIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\Z"
)

def _localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach the zone; an ambiguous time takes its first occurrence, a skipped one moves on."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


class _Reader(NodeReader):
    """Builds the programme's model objects from the tree, collecting problems."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.event_lines: dict[str, int] = {}

    def moment(self, node: Node, what: str, tz: ZoneInfo, is_end: bool) -> datetime | None:
        """A local date and time; a bare date means the start of that day (end: the day after)."""
        raw = self.value(node) if isinstance(node, ScalarNode) else None
        if isinstance(raw, str) and (m := _TIME.match(raw.strip())):
            year, month, day, hour, minute, second, offset = m.groups()
            try:
                raw = date(int(year), int(month), int(day))
                if hour is not None:
                    raw = datetime.fromisoformat(f"{raw}T{int(hour):02}:{minute}:"
                                                 f"{second or '00'}{offset or ''}")
            except ValueError as exc:
                raw = exc
        if isinstance(raw, datetime):
            return raw.astimezone(tz) if raw.tzinfo else _localize(raw, tz)
        if isinstance(raw, date):
            return _localize(datetime.combine(raw + timedelta(days=is_end), time()), tz)
        hint = f" ({raw})" if isinstance(raw, ValueError) else ""
        self.report(node, f"{what} must be a date and time like 2027-09-02 09:30, "
                          f"not {_kind(node)}{hint}")
        return None

    def timezone(self, node: Node | None, default: str) -> ZoneInfo:
        name = default if node is None else self.string(node, "timezone") or default
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            where = "timezone" if node is not None else "default time zone (MINGEL_TIMEZONE)"
            self.report(node, f"{where}: unknown time zone '{name}'"
                              f"{_suggest(name, available_timezones())}")
            return ZoneInfo("UTC") if node is None else self.timezone(None, default)

    def person(self, node: Node, what: str) -> Person | None:
        if isinstance(node, ScalarNode):
            if _is_null(node) or not node.value.strip():
                self.report(node, f"{what} has no name")
            return Person(node.value.strip())
        f = self.fields(node, what, PERSON_FIELDS, required=("name",))
        if not f or "name" not in f:
            return None
        return Person(self.string(f["name"][1], f"{what}: name") or "",
                      self.get(f, "role", self.text, what), self.get(f, "about", self.text, what))

    def venue(self, key: Node, node: Node) -> Venue | None:
        vid = self.identifier(key, "venue id")
        what = f"venue '{key.value}'"
        f = self.fields(node, what, VENUE_FIELDS, required=("name",))
        if not f or "name" not in f or vid is None:
            return None
        if ("latitude" in f) != ("longitude" in f):
            self.report(node, f"{what}: give both latitude and longitude, or neither")
        return Venue(vid, self.string(f["name"][1], f"{what}: name") or vid,
                     self.get(f, "address", self.string, what, ""),
                     self.get(f, "latitude", self.degrees, what),
                     self.get(f, "longitude", self.degrees, what))

    def network(self, key: Node, node: Node) -> Network | None:
        nid = self.identifier(key, "network id")
        what = f"network '{key.value}'"
        f = self.fields(node, what, NETWORK_FIELDS, required=("name",))
        if not f or "name" not in f or nid is None:
            return None
        return Network(nid, self.text(f["name"][1], f"{what}: name") or FrozenMap(),
                       self.get(f, "description", self.text, what),
                       self.get(f, "moderator", self.person, what))

    def health(self, node: Node) -> tuple[tuple[Any, ...], Any]:
        f = self.fields(node, "health", HEALTH_FIELDS) or {}
        questions = self.get(f, "questions", self.items, "health", DEFAULT_HEALTH_QUESTIONS)
        if "questions" in f:
            questions = tuple(self.text(q, f"health: question {n}") for n, q in
                              enumerate(questions, 1))
        return questions, self.get(f, "rules", self.text, "health", DEFAULT_HEALTH_RULES)

    def online(self, node: Node, what: str) -> Online | None:
        """A mapping with url, platform and private, or just the url."""
        if isinstance(node, ScalarNode):
            f, url = {}, self.url(node, f"{what}: url")
        else:
            f = self.fields(node, what, ONLINE_FIELDS, required=("url",)) or {}
            url = self.get(f, "url", self.url, what)
        platform = self.get(f, "platform", self.string, what)
        if not platform and url:
            host = urlsplit(url).hostname or ""
            platform = next((p for h, p in PLATFORMS.items() if host.endswith(h)), host)
        private = self.get(f, "private", self.boolean, what, False)
        return Online(platform, url, bool(private)) if url else None

    def event(self, node: Node, index: int, defaults: dict[str, _Entry], tz: ZoneInfo,
              venues: Mapping[str, Venue | None], networks: Collection[str]) -> Event | None:
        """One event, with the programme's defaults filled in for the fields it leaves out."""
        before = len(self.problems)
        own = self.fields(node, f"event #{index}", EVENT_FIELDS,
                          required=("id", "title", "start", "end"), keep_null=True)
        if own is None:
            return None
        eid = self.get(own, "id", self.identifier, f"event #{index}")
        if eid in self.event_lines:
            self.report(own["id"][1], f"duplicate event id '{eid}' "
                                      f"(first used on line {self.event_lines[eid]})")
        elif eid:
            self.event_lines[eid] = _line(own["id"][1])
        what = f"event '{eid}'" if eid else f"event #{index}"
        f = {k: e for k, e in {**defaults, **own}.items() if not _is_null(e[1])}
        if "networks" not in f:
            self.report(node, f"{what}: missing required field 'networks'")
        parsers: dict[str, Callable[[Node, str], Any]] = {
            "title": self.text, "description": self.text, "note": self.text,
            "start": lambda n, w: self.moment(n, w, tz, is_end=False),
            "end": lambda n, w: self.moment(n, w, tz, is_end=True),
            "networks": lambda n, w: self.networks(n, w, networks),
            "venue": lambda n, w: venues.get(self.reference(n, w, venues) or ""),
            "online": self.online, "capacity": self.count, "online_capacity": self.count,
            "speakers": lambda n, w: tuple(self.person(p, f"{w[:-1]} {i}") for i, p in
                                           enumerate(self.items(n, w, single_ok=True), 1)),
            "question_mode": self.question_mode, "url": self.url,
            **{name: self.boolean for name in BOOL_FIELDS},
        }
        v = {name: parsers[name](value, f"{what if name in own else 'defaults'}: {name}")
             for name, (_, value) in f.items() if name != "id"}
        if "venue" not in f and "online" not in f:
            self.report(node, f"{what} needs a venue, an online link, or both")
        for seats, where in (("capacity", "venue"), ("online_capacity", "online")):
            if seats in f and where not in f:
                if seats in own:
                    self.report(own[seats][0], f"{what}: {seats} is given but there is no {where}")
                v.pop(seats)
        start, end = v.get("start"), v.get("end")
        if start and end and end <= start:
            self.report(f["end"][1], f"{what}: end ({end:%Y-%m-%d %H:%M}) must be after "
                                     f"start ({start:%Y-%m-%d %H:%M})")
        elif start and end and end - start > timedelta(days=MAX_EVENT_DAYS):
            self.report(f["end"][1], f"{what} lasts over {MAX_EVENT_DAYS} days; check the dates")
        if len(self.problems) > before or not eid:
            return None
        if v.get("health_required"):
            v["health_declaration"] = True
        return Event(id=eid, **{k: x for k, x in v.items() if x is not None})

    def networks(self, node: Node, what: str, known: Collection[str]) -> tuple[str, ...]:
        items = self.items(node, what, single_ok=True)
        if not items and isinstance(node, SequenceNode):
            self.report(node, f"{what}: list at least one network")
        return tuple(dict.fromkeys(self.reference(n, what, known) or "" for n in items))

    def question_mode(self, node: Node, what: str) -> str | None:
        mode = self.string(node, what)
        if mode is not None and mode not in QUESTION_MODES:
            self.report(node, f"{what} must be 'approval' or 'live', not '{mode}'"
                              f"{_suggest(mode, QUESTION_MODES)}")
        return mode

    def programme(self, root: Node, default_timezone: str) -> Programme | None:
        top = self.fields(root, "the programme", TOP_FIELDS)
        if top is None:
            return None
        tz = self.timezone(top["timezone"][1] if "timezone" in top else None, default_timezone)
        venues = {k.value: self.venue(k, n) for k, n in
                  self.get(top, "venues", self.pairs, "", {}).values()}
        networks = {k.value: self.network(k, n) for k, n in
                    self.get(top, "networks", self.pairs, "", {}).values()}
        questions, rules = self.get(top, "health", lambda n, w: self.health(n), "",
                                    (DEFAULT_HEALTH_QUESTIONS, DEFAULT_HEALTH_RULES))
        defaults = self.get(top, "defaults", lambda n, w: self.fields(n, w, DEFAULT_FIELDS),
                            "", {}) or {}
        events = [self.event(node, index, defaults, tz, venues, networks) for index, node in
                  enumerate(self.get(top, "events", self.items, "", []), 1)]
        if self.problems:
            return None
        return Programme(
            timezone=tz, contact=self.get(top, "contact", self.string, ""),
            venues={k: x for k, x in venues.items() if x},
            networks={k: x for k, x in networks.items() if x},
            events=tuple(e for e in events if e), health_questions=questions,
            health_rules=rules, source=self.source,
        )


def _compose(text: str) -> Node | None:
    """libyaml when PyYAML has it (about 6× faster on a festival's 4,000 meetings); the
    pure-Python parser otherwise, and always for a broken file, so messages stay the same."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_programme(text: str, source: str,
                    default_timezone: str = "Europe/Stockholm") -> Programme:
    """Build a programme from YAML text; raises ProgrammeError listing every problem."""
    with collector.paused():
        return _parse(text, source, default_timezone)


def _parse(text: str, source: str, default_timezone: str) -> Programme:
    reader = _Reader(source)
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        raise ProgrammeError([_syntax_problem(exc, source, text)]) from None
    if root is None:
        raise ProgrammeError([Problem(source, 1, "the file is empty; expected the programme "
                                                 "(timezone, networks, events, …)")])
    programme = reader.programme(root, default_timezone)
    if programme is None:
        unique = dict.fromkeys(reader.problems)
        raise ProgrammeError(sorted(unique, key=lambda p: p.line))
    return programme


def load_programme(path: str | Path, default_timezone: str = "Europe/Stockholm") -> Programme:
    """Read and check the programme file; raises ProgrammeError listing every problem."""
    try:
        content = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProgrammeError([Problem(str(path), 0, f"cannot read file: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise ProgrammeError([Problem(str(path), 0, "the file is not UTF-8 text")]) from None
    return parse_programme(content, str(path), default_timezone)


def check_file(path: str | Path, default_timezone: str = "Europe/Stockholm") -> list[Problem]:
    """Problems of a programme file, [] when it is valid (for editors, CI and the chat)."""
    try:
        load_programme(path, default_timezone)
    except ProgrammeError as exc:
        return exc.problems
    return []


def main(argv: Sequence[str] | None = None) -> int:
    """Check programme files from the terminal; exit status 1 if any has problems."""
    zone = os.environ.get("MINGEL_TIMEZONE", "Europe/Stockholm")
    problems = [p for path in (sys.argv[1:] if argv is None else argv)
                for p in check_file(path, zone)]
    print("\n".join(map(str, problems)) or "ok", file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
