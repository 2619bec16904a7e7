"""Reading hand-written YAML node by node, reporting every problem with its line number.

General helpers for the programme loader (plugins/programme/loader.py): a composed PyYAML
tree is walked by `NodeReader`, whose methods return a value or None and record a
`Problem` (file, 1-based line, message, "did you mean …?" for a misspelt name) instead of
stopping at the first mistake.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assistant.model import FrozenMap

__all__ = ["Entry", "NodeReader", "Problem", "ProgrammeError", "is_null", "kind", "line",
           "suggest", "syntax_problem"]

MAX_ID_LENGTH = 40
_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_LANG = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")
_MERGE = "tag:yaml.org,2002:merge"
Entry = tuple[Node, Node]



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


def line(node: Node) -> int:
    """1-based line where a node starts."""
    return node.start_mark.line + 1


def is_null(node: Node) -> bool:
    """Whether a value was left empty (``key:`` or ``key: ~``)."""
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def kind(node: Node) -> str:
    """Describe a wrong value in an error message."""
    if isinstance(node, ScalarNode):
        return "nothing" if is_null(node) else repr(node.value)
    return "a mapping" if isinstance(node, MappingNode) else "a list"


def suggest(name: str, choices: Collection[str]) -> str:
    """A "did you mean" hint for a misspelt name, or ""."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


class NodeReader:
    """Walks a composed YAML tree, collecting problems; subclasses build objects from it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def report(self, node: Node | None, message: str) -> None:
        self.problems.append(Problem(self.source, line(node) if node else 0, message))

    def value(self, node: ScalarNode) -> Any:
        """The Python value PyYAML's safe loader would give, or a ValueError instance."""
        try:
            return self._constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            return ValueError(str(exc))

    def pairs(self, node: Node, what: str) -> dict[str, Entry] | None:
        """A mapping's entries by name (the last of duplicates wins); reports duplicates."""
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} must be a mapping (name: value lines), not {kind(node)}")
            return None
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if key.tag == _MERGE:
                self.report(key, f"{what}: merge keys (<<) are not supported; use 'defaults'")
            elif not isinstance(key, ScalarNode):
                self.report(key, f"{what}: a name must be a plain word, not {kind(key)}")
            elif key.value in seen:
                self.report(key, f"{what}: '{key.value}' appears twice "
                                 f"(first on line {seen[key.value]})")
            else:
                seen[key.value] = line(key)
        return {k.value: (k, v) for k, v in node.value
                if isinstance(k, ScalarNode) and k.tag != _MERGE}

    def fields(self, node: Node, what: str, allowed: Sequence[str], required: Sequence[str] = (),
               keep_null: bool = False) -> dict[str, Entry] | None:
        """A mapping's known fields (empty ones only if keep_null); reports unknown, missing."""
        entries = self.pairs(node, what)
        if entries is None:
            return None
        for name, (key, _) in list(entries.items()):
            if name not in allowed:
                self.report(key, f"{what}: unknown field '{name}'{suggest(name, allowed)}")
                del entries[name]
        for name in required:
            if name not in entries:
                self.report(node, f"{what}: missing required field '{name}'")
            elif is_null(entries[name][1]):
                self.report(entries[name][0], f"{what}: '{name}' has no value")
        return {n: e for n, e in entries.items() if keep_null or not is_null(e[1])}

    def get(self, f: dict[str, Entry], name: str, parse: Callable[[Node, str], Any],
            what: str, default: Any = None) -> Any:
        """Parse an optional field, labelling problems "<what>: <name>"."""
        present = name in f and not is_null(f[name][1])
        return parse(f[name][1], f"{what}: {name}" if what else name) if present else default

    def string(self, node: Node, what: str) -> str | None:
        if not isinstance(node, ScalarNode):
            self.report(node, f"{what} must be text, not {kind(node)}")
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
                              f"{suggest(value, known)}")
            return None
        return value

    def text(self, node: Node, what: str) -> FrozenMap[str, str] | None:
        """A plain string (any language, stored under "") or a language -> string mapping."""
        if isinstance(node, ScalarNode):
            if is_null(node) or not node.value.strip():
                self.report(node, f"{what} is empty")
            return FrozenMap({"": node.value.strip()})
        if not isinstance(node, MappingNode):
            self.report(node, f"{what} must be text or a mapping like {{sv: …, en: …}}, "
                              f"not {kind(node)}")
            return None
        entries = self.pairs(node, what) or {}
        result: dict[str, str] = {}
        for lang, (key, value) in entries.items():
            if not _LANG.match(lang):
                self.report(key, f"{what}: '{lang}' is not a language code (such as sv or en)")
            elif is_null(value):
                self.report(key, f"{what}: the '{lang}' text is empty")
            elif (string := self.string(value, f"{what} ({lang})")) is not None:
                result[lang] = string
        if not entries:
            self.report(node, f"{what} has no text")
        return FrozenMap(result)

    def typed(self, node: Node, what: str, check: Callable[[Any], bool], expected: str) -> Any:
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if value is None or isinstance(value, ValueError) or not check(value):
            self.report(node, f"{what} must be {expected}, not {kind(node)}")
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
        self.report(node, f"{what} must be a list, not {kind(node)}")
        return []



def syntax_problem(exc: yaml.YAMLError, source: str, text: str) -> Problem:
    """Turn PyYAML's error into a Problem at the line where parsing failed."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        detail = ", ".join(str(x) for x in (exc.context, exc.problem) if x)
        return Problem(source, mark.line + 1 if mark else 0, f"YAML syntax error: {detail}")
    position = getattr(exc, "position", 0)  # a ReaderError: a character YAML cannot read
    message = str(exc).splitlines()[0]
    return Problem(source, text.count("\n", 0, position) + 1, f"YAML error: {message}")

