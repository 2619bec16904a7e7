"""Read the organisers' programme file (YAML) into `assistant.model` objects.

Organisers edit the file by hand, so every problem is reported at once, each with
its 1-based line number and, for a misspelt name, a "did you mean …?" hint, as a text
translated when it is shown (problems.py). Dates, times and the time zone are read by
moments.py, speakers and moderators by people.py.
The file format is described in docs/programme.md.
Check a file from the terminal with ``mingel check FILE`` (check.py).
"""


from __future__ import annotations

import errno
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assistant import N_, collector
from assistant.model import (
    DEFAULT_HEALTH_QUESTIONS,
    DEFAULT_HEALTH_RULES,
    QUESTION_MODES,
    Event,
    FrozenMap,
    Network,
    Online,
    Programme,
    Venue,
)

from .moments import MomentReader, day_of
from .people import PeopleReader
from .problems import Label, Msg, Problem, ProgrammeError, code, field, msg, suggest
from .yamlnodes import Entry as _Entry
from .yamlnodes import FastLoader as _FastLoader
from .yamlnodes import is_null as _is_null
from .yamlnodes import line as _line
from .yamlnodes import unsendable as _unsendable
from .yamlsyntax import syntax_problem as _syntax_problem

__all__ = ["Problem", "ProgrammeError", "check_file", "load_programme", "parse_programme"]

MAX_EVENT_DAYS = 31
TOP_FIELDS = ("timezone", "contact", "venues", "networks", "health", "defaults", "events")
VENUE_FIELDS = ("name", "address", "latitude", "longitude")
NETWORK_FIELDS = ("name", "description", "moderator")
ONLINE_FIELDS = ("platform", "url", "private")
HEALTH_FIELDS = ("questions", "rules")
EVENT_FIELDS = (
    "id", "networks", "title", "description", "start", "end", "venue", "online", "speakers",
    "capacity", "online_capacity", "invite_only", "health_declaration", "health_required",
    "questions", "question_mode", "cancelled", "note", "url",
)
DEFAULT_FIELDS = tuple(f for f in EVENT_FIELDS if f not in ("id", "title", "start", "end"))
BOOL_FIELDS = ("invite_only", "health_declaration", "health_required", "questions", "cancelled")
DATE_WORDS = frozenset({
    "date", "dates", "datetime", "time", "times", "when", "day", "days", "datum", "tid",
    "tider", "när", "dag", "dagar", "dagen", "klockslag", "kl",
})
"""Field names that mean the meeting's date or time, which goes in start and end."""
MODERATOR_WORDS = frozenset({"moderator", "moderators", "moderatorer", "samtalsledare"})
"""Field names of a meeting's own moderator, which only a network has."""
PLATFORMS = {"zoom.us": "Zoom", "teams.microsoft.com": "Teams", "meet.google.com": "Google Meet"}


class _Reader(MomentReader, PeopleReader):
    """Builds the programme's model objects from the tree, collecting problems."""

    def __init__(self, source: str, extra: Mapping[str, str] | None = None) -> None:
        super().__init__(source)
        self.event_lines: dict[str, int] = {}
        self.extra = dict(extra or {})
        """The fields plugins declared (register_event_fields), name: kind."""


    def unknown_hint(self, name: str, allowed: Sequence[str], value: Node) -> Msg | None:
        """A meeting's date or time written under a name of its own ("date", "tid") is
        pointed to start and end, on its own day when it names one; any other unknown name
        gets its "did you mean"."""
        if "start" in allowed and name.strip().lower() in DATE_WORDS:
            day = day_of(value)
            return msg(N_("(a meeting's date and time are written as {start} and {end})"),
                       start=code(f"start: {day} 09:30"), end=code(f"end: {day} 12:30"))
        if "speakers" in allowed and name.strip().lower() in MODERATOR_WORDS:
            who = value.value.strip() if isinstance(value, ScalarNode) else ""
            return msg(N_("(a meeting shows the moderators of its networks: write {example} "
                          "under the network, in networks)"),
                       example=code(f"moderator: {who or 'Emelie Fågelstedt'}"))
        hint = super().unknown_hint(name, allowed, value)
        if hint is None and "start" in allowed and re.fullmatch(r"[a-z][a-z0-9_]*", name):
            return msg(N_("(no plugin that is switched on adds it: a plugin's field is known "
                          "while the plugin is installed and not in MINGEL_DISABLED_PLUGINS)"))
        return hint

    def venue(self, key: Node, node: Node) -> Venue | None:
        vid = self.identifier(key, msg(N_("venue id")))
        what = msg(N_("venue '{id}'"), id=key.value)
        f = self.fields(node, what, VENUE_FIELDS, required=("name",))
        if not f or "name" not in f or vid is None:
            return None
        if ("latitude" in f) != ("longitude" in f):
            self.report(node, N_("{what}: give both latitude and longitude, or neither"),
                        what=what)
        return Venue(vid, self.string(f["name"][1], field(what, "name")) or vid,
                     self.get(f, "address", self.string, what, ""),
                     self.get(f, "latitude", lambda n, w: self.degrees(n, w, 90), what),
                     self.get(f, "longitude", lambda n, w: self.degrees(n, w, 180), what))

    def network(self, key: Node, node: Node) -> Network | None:
        nid = self.identifier(key, msg(N_("network id")))
        what = msg(N_("network '{id}'"), id=key.value)
        f = self.fields(node, what, NETWORK_FIELDS, required=("name",))
        if not f or "name" not in f or nid is None:
            return None
        return Network(nid, self.text(f["name"][1], field(what, "name")) or FrozenMap(),
                       self.get(f, "description", self.text, what),
                       self.get(f, "moderator", self.person, what))

    def health(self, node: Node) -> tuple[tuple[Any, ...], Any]:
        f = self.fields(node, "health", HEALTH_FIELDS) or {}
        questions = self.get(f, "questions", self.items, "health", DEFAULT_HEALTH_QUESTIONS)
        if "questions" in f:
            questions = tuple(self.text(q, msg(N_("{what}: question {n}"), what="health", n=n))
                              for n, q in enumerate(questions, 1))
        return questions, self.get(f, "rules", self.text, "health", DEFAULT_HEALTH_RULES)

    def online(self, node: Node, what: Label) -> Online | None:
        """A mapping with url, platform and private, or just the url."""
        if isinstance(node, ScalarNode):
            f, url = {}, self.url(node, field(what, "url"))
        else:
            f = self.fields(node, what, ONLINE_FIELDS, required=("url",)) or {}
            url = self.get(f, "url", self.url, what)
        platform = self.get(f, "platform", self.string, what)
        if not platform and url:
            host = urlsplit(url).hostname or ""
            platform = next((p for h, p in PLATFORMS.items() if host.endswith(h)), host)
        private = self.get(f, "private", self.boolean, what, False)
        return Online(platform, url, bool(private)) if url else None

    def parsers(self, tz: ZoneInfo, venues: Mapping[str, Venue | None],
                networks: Mapping[str, Network | None]
                ) -> dict[str, Callable[[Node, Label], Any]]:
        """How each field of an event is read, made once for all of them."""
        return {
            "title": self.text, "description": self.text, "note": self.text,
            "start": lambda n, w: self.moment(n, w, tz, is_end=False),
            "end": lambda n, w: self.moment(n, w, tz, is_end=True),
            "networks": lambda n, w: self.networks(n, w, networks),
            "venue": lambda n, w: venues.get(self.reference(
                n, w, venues, N_("{owner}: unknown venue '{value}'")) or ""),
            "online": self.online, "capacity": self.count, "online_capacity": self.count,
            "speakers": self.speakers,
            "question_mode": self.question_mode, "url": self.url,
            **{name: self.boolean for name in BOOL_FIELDS},
            **{name: {"bool": self.boolean, "count": self.count, "string": self.string,
                      "text": self.text}[kind] for name, kind in self.extra.items()},
        }

    def event(self, node: Node, index: int, defaults: dict[str, _Entry],
              parsers: Mapping[str, Callable[[Node, Label], Any]]) -> Event | None:
        """One event, with the programme's defaults filled in for the fields it leaves out."""
        before = len(self.problems)
        what = _event_name(node, index)
        self.start_day = None
        own = self.fields(node, what, (*EVENT_FIELDS, *self.extra),
                          required=("id", "title", "start", "end"), keep_null=True)
        if own is None:
            return None
        eid = self.get(own, "id", self.identifier, what)
        if eid in self.event_lines:
            self.report(own["id"][1], N_("duplicate event id '{id}' (first used on line "
                                         "{first})"), id=eid, first=self.event_lines[eid])
        elif eid:
            self.event_lines[eid] = _line(own["id"][1])
        f = {k: e for k, e in {**defaults, **own}.items() if not _is_null(e[1])}
        if "networks" not in f:
            self.report(node, N_("{what}: missing required field '{name}'"), what=what,
                        name="networks")
        v = {name: parsers[name](value, field(what if name in own else "defaults", name))
             for name, (_, value) in f.items() if name != "id"}
        if "venue" not in f and "online" not in f:
            self.report(node, N_("{what} needs a venue, an online link, or both"), what=what)
        for seats, where in (("capacity", "venue"), ("online_capacity", "online")):
            if seats in f and where not in f:
                if seats in own:
                    self.report(own[seats][0], N_("{what}: {seats} is given but there is no "
                                                  "{where}"), what=what, seats=seats,
                                where=where)
                v.pop(seats)
        start, end = v.get("start"), v.get("end")
        if start and end and end <= start:
            self.report(f["end"][1], N_("{what}: end ({end}) must be after start ({start})"),
                        what=what, end=f"{end:%Y-%m-%d %H:%M}", start=f"{start:%Y-%m-%d %H:%M}")
        elif start and end and end - start > timedelta(days=MAX_EVENT_DAYS):
            self.report(f["end"][1], N_("{what} lasts over {days} days; check the dates"),
                        what=what, days=MAX_EVENT_DAYS)
        if len(self.problems) > before or not eid:
            return None
        if v.get("health_required"):
            v["health_declaration"] = True
        extra = {k: v.pop(k) for k in self.extra if k in v}
        return Event(id=eid, extra={k: x for k, x in extra.items() if x is not None},
                     **{k: x for k, x in v.items() if x is not None})


    def networks(self, node: Node, what: Label, known: Mapping[str, Network | None]
                 ) -> tuple[str, ...]:
        items = self.items(node, what, single_ok=True)
        if not items and isinstance(node, SequenceNode):
            self.report(node, N_("{what}: list at least one network"), what=what)
        return tuple(dict.fromkeys(self.reference(n, what, known, N_(
            "{owner}: unknown network '{value}'")) or "" for n in items))

    def question_mode(self, node: Node, what: Label) -> str | None:
        mode = self.string(node, what)
        if mode is not None and mode not in QUESTION_MODES:
            self.report(node, N_("{what} must be 'approval' or 'live', not '{mode}'"),
                        suggest(mode, QUESTION_MODES), what=what, mode=mode)
        return mode

    def programme(self, root: Node, default_timezone: str) -> Programme | None:
        top = self.fields(root, msg(N_("the programme")), TOP_FIELDS)
        if top is None:
            return None
        tz = self.timezone(top["timezone"][1] if "timezone" in top else None, default_timezone)
        venues = {k.value: self.venue(k, n) for k, n in
                  (self.get(top, "venues", self.pairs, "", {}) or {}).values()}
        networks = {k.value: self.network(k, n) for k, n in
                    (self.get(top, "networks", self.pairs, "", {}) or {}).values()}
        questions, rules = self.get(top, "health", lambda n, w: self.health(n), "",
                                    (DEFAULT_HEALTH_QUESTIONS, DEFAULT_HEALTH_RULES))
        defaults = self.get(top, "defaults", lambda n, w: self.fields(
            n, w, (*DEFAULT_FIELDS, *self.extra)),
                            "", {}) or {}
        parsers = self.parsers(tz, venues, networks)
        events = [self.event(node, index, defaults, parsers) for index, node in
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


def _event_name(node: Node, index: int) -> Msg:
    """How problems name an event: by its id when it has one, else by its place in the list
    (the same for every problem of the event)."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "id" and \
                    isinstance(value, ScalarNode) and not _is_null(value) and value.value.strip():
                return msg(N_("event '{id}'"), id=value.value.strip())
    return msg(N_("event no. {n}"), n=index)


def _compose(text: str) -> Node | None:
    """libyaml when PyYAML has it (about 6× faster on a festival's 4,000 meetings); the
    pure-Python parser otherwise, and always for a broken file, so messages stay the same."""
    if _FastLoader is not None:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def parse_programme(text: str, source: str, default_timezone: str = "Europe/Stockholm",
                    extra: Mapping[str, str] | None = None) -> Programme:
    """Build a programme from YAML text; raises ProgrammeError listing every problem.
    `extra`: the meeting fields plugins declared, name: kind (extra.py)."""
    with collector.paused():
        return _parse(text, source, default_timezone, extra)


def _parse(text: str, source: str, default_timezone: str,
           extra: Mapping[str, str] | None = None) -> Programme:
    reader = _Reader(source, extra)
    try:
        root = _compose(text)
    except yaml.YAMLError as exc:
        raise ProgrammeError([_syntax_problem(exc, source, text)]) from None
    if root is None:
        raise ProgrammeError([Problem(source, 0, msg(N_(
            "the file is empty; expected the programme (timezone, networks, events, …)")))])
    reader.problems.extend(_unsendable(root, source, text))
    programme = reader.programme(root, default_timezone)
    if programme is None:
        unique = dict.fromkeys(reader.problems)
        raise ProgrammeError(sorted(unique, key=lambda p: p.line))
    return programme


def load_programme(path: str | Path, default_timezone: str = "Europe/Stockholm",
                   extra: Mapping[str, str] | None = None) -> Programme:
    """Read and check the programme file; raises ProgrammeError listing every problem."""
    try:
        content = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ProgrammeError([unreadable(str(path), exc)]) from None
    except UnicodeDecodeError:
        raise ProgrammeError([not_utf8(str(path))]) from None
    return parse_programme(content, str(path), default_timezone, extra)


def unreadable(source: str, exc: OSError) -> Problem:
    """A file that cannot be read, saying why in words the reader's language has."""
    if exc.errno == errno.ENOENT:
        return Problem(source, 0, msg(N_("the file does not exist")))
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Problem(source, 0, msg(N_("there is no permission to read the file")))
    if exc.errno == errno.EISDIR:
        return Problem(source, 0, msg(N_("this is a folder, not a file")))
    return Problem(source, 0, msg(N_("the file cannot be read ({error})"),
                                  error=exc.strerror or str(exc)))


def not_utf8(source: str) -> Problem:
    """A file in another encoding than UTF-8."""
    return Problem(source, 0, msg(N_("the file is not UTF-8 text; save it as UTF-8")))


def check_file(path: str | Path, default_timezone: str = "Europe/Stockholm") -> list[Problem]:
    """Problems of a programme file, [] when it is valid (for editors, CI and the chat)."""
    try:
        load_programme(path, default_timezone)
    except ProgrammeError as exc:
        return exc.problems
    return []
