"""Read the organisers' programme file (YAML) into `assistant.model` objects.

Organisers edit the file by hand, so every problem is reported at once, each with
its 1-based line number and, for a misspelt name, a "did you mean …?" hint.
The file format is described in docs/programme.md.
Check a file from the terminal with ``python -m plugins.programme.loader FILE``.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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

__all__ = ["Problem", "ProgrammeError", "check_file", "load_programme", "parse_programme"]

MAX_ID_LENGTH = 40
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

_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_LANG = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")
_TIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:T|\s+)(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\Z"
)
_MERGE = "tag:yaml.org,2002:merge"
_Entry = tuple[Node, Node]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a programme file, pointing at the line to fix."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else \
            f"{self.file}: {self.message}"


class ProgrammeError(Exception):
    """Raised with all the problems of a programme file, so organisers fix them in one go."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def _line(node: Node) -> int:
    """1-based line where a node starts."""
    return node.start_mark.line + 1


def _is_null(node: Node) -> bool:
    """Whether a value was left empty (``key:`` or ``key: ~``)."""
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _kind(node: Node) -> str:
    """Describe a wrong value in an error message."""
    if isinstance(node, ScalarNode):
        return "nothing" if _is_null(node) else repr(node.value)
    return "a mapping" if isinstance(node, MappingNode) else "a list"


def _suggest(name: str, choices: Collection[str]) -> str:
    """A "did you mean" hint for a misspelt name, or ""."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach the zone; an ambiguous time takes its first occurrence, a skipped one moves on."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


class _Reader:
    """Walks the composed YAML tree, building model objects and collecting problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.event_lines: dict[str, int] = {}
        self._constructor = SafeConstructor()

    def report(self, node: Node | None, message: str) -> None:
        self.problems.append(Problem(self.source, _line(node) if node else 0, message))

    def value(self, node: ScalarNode) -> Any:
        """The Python value PyYAML's safe loader would give, or a ValueError instance."""
        try:
            return self._constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            return ValueError(str(exc))

    def pairs(self, node: Node, what: str) -> dict[str, _Entry] | None:
        """A mapping's entries by name (the last of duplicates wins); reports duplicates."""
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} must be a mapping (name: value lines), not {_kind(node)}")
            return None
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if key.tag == _MERGE:
                self.report(key, f"{what}: merge keys (<<) are not supported; use 'defaults'")
            elif not isinstance(key, ScalarNode):
                self.report(key, f"{what}: a name must be a plain word, not {_kind(key)}")
            elif key.value in seen:
                self.report(key, f"{what}: '{key.value}' appears twice "
                                 f"(first on line {seen[key.value]})")
            else:
                seen[key.value] = _line(key)
        return {k.value: (k, v) for k, v in node.value
                if isinstance(k, ScalarNode) and k.tag != _MERGE}

    def fields(self, node: Node, what: str, allowed: Sequence[str], required: Sequence[str] = (),
               keep_null: bool = False) -> dict[str, _Entry] | None:
        """A mapping's known fields (empty ones only if keep_null); reports unknown, missing."""
        entries = self.pairs(node, what)
        if entries is None:
            return None
        for name, (key, _) in list(entries.items()):
            if name not in allowed:
                self.report(key, f"{what}: unknown field '{name}'{_suggest(name, allowed)}")
                del entries[name]
        for name in required:
            if name not in entries:
                self.report(node, f"{what}: missing required field '{name}'")
            elif _is_null(entries[name][1]):
                self.report(entries[name][0], f"{what}: '{name}' has no value")
        return {n: e for n, e in entries.items() if keep_null or not _is_null(e[1])}

    def get(self, f: dict[str, _Entry], name: str, parse: Callable[[Node, str], Any],
            what: str, default: Any = None) -> Any:
        """Parse an optional field, labelling problems "<what>: <name>"."""
        present = name in f and not _is_null(f[name][1])
        return parse(f[name][1], f"{what}: {name}" if what else name) if present else default

    def string(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.report(node, f"{what} must be text, not {_kind(node)}")
            return None
        return str(node.value).strip()

    def identifier(self, node: Node, what: str) -> str | None:
        value = self.string(node, what)
        if value is not None and not _ID.match(value):
            self.report(node, f"{what} '{value}' may only contain a-z, 0-9 and '-' "
                              "(lower case, starting with a letter or digit)")
        elif value is not None and len(value) > MAX_ID_LENGTH:
            self.report(node, f"{what} '{value}' is longer than {MAX_ID_LENGTH} characters")
        else:
            return value
        return None

    def reference(self, node: Node, what: str, known: Collection[str]) -> str | None:
        """An id that must name a venue or network; what is "<event>: venue" or similar."""
        value = self.string(node, what)
        if value is not None and value not in known:
            owner, _, kind = what.rpartition(": ")
            self.report(node, f"{owner}: unknown {kind.rstrip('s')} '{value}'"
                              f"{_suggest(value, known)}")
            return None
        return value

    def text(self, node: Node, what: str) -> FrozenMap[str, str] | None:
        """A plain string (any language, stored under "") or a language -> string mapping."""
        if isinstance(node, ScalarNode):
            if _is_null(node) or not node.value.strip():
                self.report(node, f"{what} is empty")
            return FrozenMap({"": node.value.strip()})
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} must be text or a mapping like {{sv: …, en: …}}, "
                              f"not {_kind(node)}")
            return None
        entries = self.pairs(node, what) or {}
        result: dict[str, str] = {}
        for lang, (key, value) in entries.items():
            if not _LANG.match(lang):
                self.report(key, f"{what}: '{lang}' is not a language code (such as sv or en)")
            elif _is_null(value):
                self.report(key, f"{what}: the '{lang}' text is empty")
            elif (string := self.string(value, f"{what} ({lang})")) is not None:
                result[lang] = string
        if not entries:
            self.report(node, f"{what} has no text")
        return FrozenMap(result)

    def typed(self, node: Node, what: str, check: Callable[[Any], bool], expected: str) -> Any:
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if value is None or isinstance(value, ValueError) or not check(value):
            self.report(node, f"{what} must be {expected}, not {_kind(node)}")
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        return self.typed(node, what, lambda v: isinstance(v, bool), "true or false")

    def count(self, node: Node, what: str) -> int | None:
        return self.typed(node, what, lambda v: type(v) is int and v > 0, "a positive whole number")

    def degrees(self, node: Node, what: str) -> float | None:
        limit = 90 if what.endswith("latitude") else 180
        value = self.typed(node, what, lambda v: type(v) in (int, float) and abs(v) <= limit,
                           f"a number between -{limit} and {limit}")
        return None if value is None else float(value)

    def url(self, node: Node, what: str) -> str | None:
        value = self.string(node, what)
        parts = urlsplit(value or "")
        if value is not None and (parts.scheme not in ("http", "https") or not parts.netloc):
            self.report(node, f"{what} must be a web address starting with https:// or http://, "
                              f"not '{value}'")
            return None
        return value

    def items(self, node: Node, what: str, single_ok: bool = False) -> list[Node]:
        if isinstance(node, SequenceNode):
            return list(node.value)
        if single_ok and isinstance(node, ScalarNode):
            return [node]
        self.report(node, f"{what} must be a list, not {_kind(node)}")
        return []

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


def _syntax_problem(exc: yaml.YAMLError, source: str, text: str) -> Problem:
    """Turn PyYAML's error into a Problem at the line where parsing failed."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        detail = ", ".join(str(x) for x in (exc.context, exc.problem) if x)
        return Problem(source, mark.line + 1 if mark else 0, f"YAML syntax error: {detail}")
    position = getattr(exc, "position", 0)  # a ReaderError: a character YAML cannot read
    message = str(exc).splitlines()[0]
    return Problem(source, text.count("\n", 0, position) + 1, f"YAML error: {message}")


def parse_programme(text: str, source: str,
                    default_timezone: str = "Europe/Stockholm") -> Programme:
    """Build a programme from YAML text; raises ProgrammeError listing every problem."""
    reader = _Reader(source)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
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
