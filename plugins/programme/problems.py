"""What is wrong with a programme file, kept as translatable texts and their values.

The loader finds problems long before anyone reads them, and each reader wants them in a
language of their own: an organiser in the chat in theirs, `mingel check` in the CLI's
(MINGEL_LOCALE), logs and exceptions in English. So a `Problem` holds a `Msg` (a text
marked with `N_` and its values, which may be `Msg`s themselves) and is rendered at the
edge with `render(translate, escape, code=…)`; `str(problem)` is the English. A piece of
YAML to type as shown (an example) is a `Code` value: the chat sets it in <code>, the
terminal prints it as it is.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import PurePath
from typing import NamedTuple

from babel.dates import get_day_names

from assistant import N_
from assistant.i18n import Formatter, fill, locale_of

__all__ = ["UNSENDABLE", "Code", "Day", "Label", "Msg", "Problem", "ProgrammeError", "code",
           "field", "msg", "sendable", "suggest"]

UNSENDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""Characters a message cannot carry: control characters other than tab and line breaks
(NUL among them) and lone surrogates, which UTF-8 cannot encode."""


def _same(text: str) -> str:
    return text


def sendable(text: str) -> str:
    """The text with every character a message cannot carry written as its code (\\ud83d),
    so that a problem quoting such a value can always be printed and sent."""
    return UNSENDABLE.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


class Msg(NamedTuple):
    """A translatable text (a msgid of the programme domain) and the values it is filled with
    (a tuple, not a dataclass: the loader labels every field it reads, problem or not)."""

    text: str
    values: Mapping[str, Label | int | Code | Day] = {}

    def render(self, translate: Callable[[str], str] = _same,
               escape: Callable[[str], str] = _same,
               code: Callable[[str], str] = _same) -> str:
        """The text in the reader's language; `escape` is applied to the text and to every
        value, once (for Telegram HTML), nested texts rendered the same way, and `code`
        marks up each example (<code> in the chat)."""
        values = {name: value.render(translate, escape, code)
                  if isinstance(value, Msg | Code | Day)
                  else escape(sendable(str(value))) for name, value in self.values.items()}
        return fill(escape(translate(self.text)), values)

    def value(self, name: str) -> Label | int | None:
        """One of the values, to build a related message from it."""
        value = self.values.get(name)
        return None if isinstance(value, Code | Day) else value

    def __str__(self) -> str:
        return self.render()

    def __hash__(self) -> int:
        return hash((self.text, tuple(self.values.items())))


# TRANSLATORS: this language's code ("sv"): dates and weekdays in a problem are written in it.
LANGUAGE = N_("en")


class Day(NamedTuple):
    """A date ("15 oktober 2027"), or with `weekday` only its weekday ("fredag"), written by
    Babel in the reader's language: the one the translation of LANGUAGE names."""

    day: date
    weekday: bool = False

    def render(self, translate: Callable[[str], str] = _same,
               escape: Callable[[str], str] = _same,
               code: Callable[[str], str] = _same) -> str:
        """The date or weekday in the reader's language, escaped."""
        lang = translate(LANGUAGE)
        if self.weekday:
            return escape(str(get_day_names("wide", locale=locale_of(lang))[self.day.weekday()]))
        return escape(Formatter(lang, UTC).date(self.day, "long"))


class Code(NamedTuple):
    """A piece of YAML to type as shown ('"Theme: work"'), translated when it is a Msg: an
    organiser copies it from the chat, where it is set apart as code."""

    example: str | Msg

    def render(self, translate: Callable[[str], str] = _same,
               escape: Callable[[str], str] = _same,
               code: Callable[[str], str] = _same) -> str:
        """The example in the reader's language, escaped, then marked up by `code`."""
        if isinstance(self.example, Msg):
            return code(self.example.render(translate, escape, code))
        return code(escape(sendable(self.example)))


# TRANSLATORS: a field of something in the programme file, e.g. "event 'am-1': venue".
_FIELD = N_("{owner}: {field}")

Label = str | Msg
"""What a problem is about: a field's name as written in the file, or a described place
("event 'am-1': venue")."""


def msg(text: str, **values: Label | int | Code | Day) -> Msg:
    """A text and its values; the text must be marked with N_ where it is written."""
    return Msg(text, values)


def code(example: str | Msg) -> Code:
    """An example to type as shown, for a message's {example}."""
    return Code(example)


def field(owner: Label, name: str) -> Label:
    """A field inside something ("event 'am-1': venue"), or the name alone at the top."""
    return Msg(_FIELD, {"owner": owner, "field": name}) if owner else name


def owner_of(what: Label) -> Label:
    """The something a field label belongs to ("event 'am-1'" of "event 'am-1': venue")."""
    owner = what.value("owner") if isinstance(what, Msg) else None
    return owner if isinstance(owner, str | Msg) else what


DID_YOU_MEAN = N_("(did you mean '{name}'?)")


def suggest(name: str, choices: Collection[str]) -> Msg | None:
    """A "did you mean" hint for a misspelt name, or None."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return msg(DID_YOU_MEAN, name=close[0]) if close else None


def suggest_id(value: str, known: Mapping[str, object]) -> Msg | None:
    """The id meant by a reference that is no id: the same id in other letter case, one
    whose network or venue is called that (people write the name they know, "Bostadspolitiskt
    nätverk" for `bostad`), else a misspelt id or name."""
    names = {name.casefold(): ref for ref, thing in known.items() for name in _names(thing)}
    wanted = value.strip().casefold()
    exact = next((ref for ref in known if ref.casefold() == wanted), None) or names.get(wanted)
    if exact is None:
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5) or [
            names[n] for n in difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)]
        exact = close[0] if close else None
    return msg(DID_YOU_MEAN, name=exact) if exact else None


def _names(thing: object) -> list[str]:
    """What a network or venue is called, in every language it is named in."""
    name = getattr(thing, "name", None)
    if isinstance(name, str):
        return [name]
    return [n for n in name.values() if isinstance(n, str)] if isinstance(name, Mapping) else []


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a programme file, pointing at the line to fix (0: the file as a
    whole)."""

    file: str
    line: int
    text: Msg
    hint: Msg | None = None

    def render(self, translate: Callable[[str], str] = _same,
               escape: Callable[[str], str] = _same, file: str | None = None, *,
               code: Callable[[str], str] = _same) -> str:
        """"file:line: message (hint)" in the reader's language; `file` replaces the path
        (the chat shows only the file's name, as its previews do); `code` marks up the
        examples to type (<code> in the chat, nothing in the terminal)."""
        name = escape(sendable(self.file if file is None else file))
        where = f"{name}:{self.line}" if self.line else name
        hint = f" {self.hint.render(translate, escape, code)}" if self.hint else ""
        return f"{where}: {self.text.render(translate, escape, code)}{hint}"

    @property
    def message(self) -> str:
        """The message in English, without the file and line."""
        hint = f" {self.hint}" if self.hint else ""
        return f"{self.text}{hint}"

    @property
    def name(self) -> str:
        """The file's own name, without its directory."""
        return PurePath(self.file).name or self.file

    def __str__(self) -> str:
        return self.render()


class ProgrammeError(Exception):
    """Raised with all the problems of a programme file, so organisers fix them in one go."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
