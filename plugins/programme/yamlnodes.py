"""Reading hand-written YAML node by node, reporting every problem with its line number.

General helpers for the programme loader (plugins/programme/loader.py): a composed PyYAML
tree is walked by `NodeReader`, whose methods return a value or None and record a
`Problem` (file, 1-based line, translatable message, "did you mean …?" for a misspelt
name; problems.py) instead of stopping at the first mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from assistant import N_
from assistant.i18n import LANGUAGES
from assistant.model import FrozenMap

from .problems import (
    DID_YOU_MEAN,
    UNSENDABLE,
    Code,
    Day,
    Label,
    Msg,
    Problem,
    ProgrammeError,
    code,
    field,
    msg,
    owner_of,
    suggest,
    suggest_id,
)
from .yamlsyntax import syntax_problem

__all__ = ["Entry", "FastLoader", "Label", "Msg", "NodeReader", "Problem", "ProgrammeError", "field",
           "is_null", "kind", "line", "msg", "suggest", "syntax_problem", "unsendable"]

MAX_ID_LENGTH = 40
_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
_LANG = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*\Z")
_MERGE = "tag:yaml.org,2002:merge"
_NULL = "tag:yaml.org,2002:null"
_STR = "tag:yaml.org,2002:str"
_RESOLVER = Resolver()
"""Tells what a plain value means ("true": true), for a quoted one that should not be."""
Entry = tuple[Node, Node]
_TWICE = N_("{what}: '{name}' appears twice (first on line {first})")


def _fast_loader() -> type | None:
    """libyaml's loader when PyYAML has it, telling each distinct plain value's type once:
    a festival's 4,000 meetings hold 197,000 values but 19,000 different ones, and PyYAML's
    resolver, in Python, tried its patterns on every one (a quarter of composing the file)."""
    base = getattr(yaml, "CSafeLoader", None)
    if base is None:
        return None

    class MemoLoader(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.tags: dict[str, str] = {}

        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is not ScalarNode or not implicit[0] or self.yaml_path_resolvers:
                return super().resolve(kind, value, implicit)
            if (tag := self.tags.get(value)) is None:
                tag = self.tags[value] = super().resolve(kind, value, implicit)
            return tag

    return MemoLoader


FastLoader = _fast_loader()


def line(node: Node) -> int:
    """1-based line where a node starts."""
    return node.start_mark.line + 1


def is_null(node: Node) -> bool:
    """Whether a value was left empty (``key:`` or ``key: ~``)."""
    return node.tag == _NULL and isinstance(node, ScalarNode)


def kind(node: Node) -> Label:
    """Describe a wrong value in an error message: the value as written, or what it is."""
    if isinstance(node, ScalarNode):
        # TRANSLATORS: a value as written in the file, in quotes: 'tolv'.
        return msg(N_("nothing")) if is_null(node) else msg(N_("'{value}'"), value=node.value)
    return msg(N_("a mapping")) if isinstance(node, MappingNode) else msg(N_("a list"))


def _split_off(mapping: MappingNode, key: Node, value: Node) -> bool:
    """Whether an empty entry of a one-line text is a word cut off at a comma ("te" in
    ``{sv: Kaffe, te, en: …}``) rather than an empty text: it follows another entry, nothing
    (not even ``~``) is written after it, and it is not a language Mingel speaks."""
    return (key is not mapping.value[0][0] and value.value == ""
            and key.value not in LANGUAGES)


def unsendable(root: Node, source: str, text: str) -> list[Problem]:
    """A problem for each text holding a character no message can carry (a lone surrogate
    or NUL, written as an escape like "\\ud83d" in double quotes): it would pass every check
    and then break each message showing it."""
    if "\\" not in text:  # only an escape in double quotes makes one
        return []
    found: list[Problem] = []
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            if (bad := UNSENDABLE.search(node.value)) is not None:
                found.append(Problem(source, line(node), msg(N_(
                    "a text on this line contains a character that cannot be sent in a "
                    "message ({code}); remove it"), code=f"U+{ord(bad[0]):04X}")))
        elif isinstance(node, MappingNode):
            todo.extend(part for pair in reversed(node.value) for part in reversed(pair))
        else:
            todo.extend(reversed(node.value))
    return found


def _plain_texts(node: MappingNode) -> dict[str, str] | None:
    """The texts of a mapping with nothing to report (each a language Mingel speaks, once,
    with a value), or None to read it entry by entry: most of a festival's texts are."""
    texts: dict[str, str] = {}
    for key, value in node.value:
        if key.value not in LANGUAGES or key.tag != _STR or key.value in texts or \
                value.tag == _NULL or not isinstance(value, ScalarNode):
            return None
        texts[key.value] = value.value.strip()
    return texts or None


class NodeReader:
    """Walks a composed YAML tree, collecting problems; subclasses build objects from it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self._constructor = SafeConstructor()

    def report(self, node: Node | None, text: str, hint: Msg | None = None,
               **values: Label | int | Code | Day) -> None:
        """Record a problem at the node's line (0: the file as a whole); `text` is marked
        with N_ and filled with `values` when it is read."""
        self.problems.append(Problem(self.source, line(node) if node else 0,
                                     msg(text, **values), hint))

    def value(self, node: ScalarNode) -> Any:
        """The Python value PyYAML's safe loader would give, or a ValueError instance."""
        try:
            return self._constructor.construct_object(node)
        except (ValueError, yaml.YAMLError) as exc:
            return ValueError(str(exc))

    def pairs(self, node: Node, what: Label) -> dict[str, Entry] | None:
        """A mapping's entries by name (the last of duplicates wins); reports duplicates."""
        if not isinstance(node, MappingNode):
            self.report(node, N_("{what} must be a mapping (name: value lines), not {kind}"),
                        what=what, kind=kind(node))
            return None
        entries: dict[str, Entry] = {}
        for key, value in node.value:
            if key.tag == _MERGE:
                self.report(key, N_("{what}: merge keys (<<) are not supported; use "
                                    "'defaults'"), what=what)
            elif not isinstance(key, ScalarNode):
                self.report(key, N_("{what}: a name must be a plain word, not {kind}"),
                            what=what, kind=kind(key))
            else:
                if key.value in entries:
                    first = next(k for k, _ in node.value if isinstance(k, ScalarNode)
                                 and k.tag != _MERGE and k.value == key.value)
                    self.report(key, _TWICE, what=what, name=key.value, first=line(first))
                entries[key.value] = (key, value)
        return entries

    def fields(self, node: Node, what: Label, allowed: Sequence[str],
               required: Sequence[str] = (), keep_null: bool = False
               ) -> dict[str, Entry] | None:
        """A mapping's known fields (empty ones only if keep_null); reports unknown, missing."""
        entries = self.pairs(node, what)
        if entries is None:
            return None
        meant: set[object] = set()
        for name in [name for name in entries if name not in allowed]:
            hint = self.unknown_hint(name, allowed, entries[name][1])
            self.report(entries[name][0], N_("{what}: unknown field '{name}'"), hint,
                        what=what, name=name)
            if hint is not None and hint.text == DID_YOU_MEAN:
                meant.add(hint.value("name"))
            del entries[name]
        for name in required:
            if name not in entries:
                if name not in meant:  # else "did you mean '{name}'?" has said it
                    self.report(node, N_("{what}: missing required field '{name}'"),
                                what=what, name=name)
            elif is_null(entries[name][1]):
                self.report(entries[name][0], N_("{what}: '{name}' has no value"),
                            what=what, name=name)
        return entries if keep_null else {n: e for n, e in entries.items() if not is_null(e[1])}

    def unknown_hint(self, name: str, allowed: Sequence[str], value: Node) -> Msg | None:
        """The hint after "unknown field": a "did you mean" for a misspelt name; subclasses
        point a name that means something else to the field it belongs in (its `value`
        may help them write the example)."""
        return suggest(name, allowed)

    def get(self, f: dict[str, Entry], name: str, parse: Callable[[Node, Label], Any],
            what: Label, default: Any = None) -> Any:
        """Parse an optional field, labelling problems "<what>: <name>"."""
        present = name in f and not is_null(f[name][1])
        return parse(f[name][1], field(what, name)) if present else default

    def string(self, node: Node, what: Label) -> str | None:
        if not isinstance(node, ScalarNode):
            self.report(node, N_("{what} must be text, not {kind}"), what=what, kind=kind(node))
            return None
        return str(node.value).strip()

    def identifier(self, node: Node, what: Label) -> str | None:
        value = self.string(node, what)
        if value is not None and not _ID.match(value):
            self.report(node, N_("{what} '{value}' may only contain a-z, 0-9 and '-' (lower "
                                 "case, starting with a letter or digit)"),
                        what=what, value=value)
        elif value is not None and len(value) > MAX_ID_LENGTH:
            self.report(node, N_("{what} '{value}' is longer than {limit} characters"),
                        what=what, value=value, limit=MAX_ID_LENGTH)
        else:
            return value
        return None

    def reference(self, node: Node, what: Label, known: Mapping[str, object],
                  unknown: str) -> str | None:
        """An id that must name a venue or network (`known`: id → it); `unknown` is the text
        for one that does not, said of what the field belongs to ("event 'am-1': unknown
        venue 'f8'"), with the id meant when the value is a name or a misspelling."""
        value = self.string(node, what)
        if value is not None and value not in known:
            self.report(node, unknown, suggest_id(value, known), owner=owner_of(what),
                        value=value)
            return None
        return value

    def text(self, node: Node, what: Label) -> FrozenMap[str, str] | None:
        """A plain string (any language, stored under "") or a language -> string mapping."""
        if isinstance(node, ScalarNode):
            if is_null(node) or not node.value.strip():
                self.report(node, N_("{what} is empty"), what=what)
            return FrozenMap({"": node.value.strip()})
        if not isinstance(node, MappingNode):
            self.report(node, N_("{what} must be text or a mapping like {example}, not {kind}"),
                        what=what, kind=kind(node), example=code("{sv: …, en: …}"))
            return None
        if (plain := _plain_texts(node)) is not None:
            return FrozenMap(plain)
        entries = self.pairs(node, what) or {}
        result: dict[str, str] = {}
        tails: list[Node] = []
        for lang, (key, value) in entries.items():
            if value.tag != _NULL and isinstance(value, ScalarNode) and (
                    lang in LANGUAGES or _LANG.match(lang)):
                result[lang] = value.value.strip()
            elif not _LANG.match(lang):
                if node.flow_style and (is_null(value) or " " in lang.strip()):
                    tails.append(key)  # "{sv: A, B, en: C}": the text "A, B" split at its comma
                else:
                    self.report(key, N_("{what}: '{lang}' is not a language code (such as sv "
                                        "or en)"), what=what, lang=lang)
            elif is_null(value):
                if node.flow_style and _split_off(node, key, value):
                    tails.append(key)  # "{sv: Kaffe, te, en: …}": a short word after the comma
                else:
                    self.report(key, N_("{what}: the '{lang}' text is empty"),
                                what=what, lang=lang)
            else:
                # TRANSLATORS: a text in one language, e.g. "event 'am-1': title (sv)".
                self.string(value, msg(N_("{what} ({lang})"), what=what, lang=lang))
        if not entries:
            self.report(node, N_("{what} has no text"), what=what)
        if tails:
            cut = {tail.value for tail in tails}  # "{sv: Lunch, fika, en: Lunch, fika}"
            self.problems[:] = [p for p in self.problems if p.text.text != _TWICE
                                or p.text.values["what"] is not what
                                or p.text.values["name"] not in cut]
            self.report(tails[0], N_("{what}: the text has a comma, so it must be put in quotes, "
                                     "like {example}; without them, '{tail}' is read as a "
                                     "language code"),
                        what=what, tail=tails[0].value, example=code('{sv: "…, …", en: "…"}'))
        return FrozenMap(result)

    def typed(self, node: Node, what: Label, check: Callable[[Any], bool],
              expected: Msg) -> Any:
        value = self.value(node) if isinstance(node, ScalarNode) else None
        if value is None or isinstance(value, ValueError) or not check(value):
            if self._quoted_fits(node, check):
                self.report(node, N_("{what} must be {expected}, not the text '{value}' in "
                                     "quotes; remove the quotes"),
                            what=what, expected=expected, value=node.value)
            else:
                self.report(node, N_("{what} must be {expected}, not {kind}"),
                            what=what, expected=expected, kind=kind(node))
            return None
        return value

    def _quoted_fits(self, node: Node, check: Callable[[Any], bool]) -> bool:
        """Whether a quoted value ("true", '30') would be right without its quotes."""
        if not isinstance(node, ScalarNode) or node.style not in ("'", '"'):
            return False
        tag = _RESOLVER.resolve(ScalarNode, node.value, (True, False))
        plain = self.value(ScalarNode(tag, node.value, node.start_mark, node.end_mark))
        return not isinstance(plain, ValueError) and check(plain)

    def boolean(self, node: Node, what: Label) -> bool | None:
        return self.typed(node, what, lambda v: isinstance(v, bool), msg(N_("true or false")))

    def count(self, node: Node, what: Label) -> int | None:
        return self.typed(node, what, lambda v: type(v) is int and v > 0,
                          msg(N_("a positive whole number")))

    def degrees(self, node: Node, what: Label, limit: int) -> float | None:
        """Latitude (limit 90) or longitude (180)."""
        value = self.typed(node, what, lambda v: type(v) in (int, float) and abs(v) <= limit,
                           msg(N_("a number between -{limit} and {limit}"), limit=limit))
        return None if value is None else float(value)

    def url(self, node: Node, what: Label) -> str | None:
        value = self.string(node, what)
        parts = urlsplit(value or "")
        if value is not None and (parts.scheme not in ("http", "https") or not parts.netloc):
            self.report(node, N_("{what} must be a web address starting with https:// or "
                                 "http://, not '{value}'"), what=what, value=value)
            return None
        return value

    def items(self, node: Node, what: Label, single_ok: bool = False) -> list[Node]:
        if isinstance(node, SequenceNode):
            return list(node.value)
        if single_ok and isinstance(node, ScalarNode):
            return [node]
        self.report(node, N_("{what} must be a list, not {kind}"), what=what, kind=kind(node))
        return []
