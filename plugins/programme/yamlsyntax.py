"""YAML syntax errors in plain words, at the line to fix.

PyYAML says "while parsing a block mapping, expected <block end>, but found '<block
mapping start>'"; an organiser needs "wrong indentation" or "put this text in quotes". The
common mistakes are recognised from the parser's problem and the line it points at; any
other error is "not valid YAML here" with the parser's short problem after it.
"""
from __future__ import annotations

import re

import yaml

from assistant import N_

from .problems import Msg, Problem, msg

__all__ = ["syntax_problem"]

_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")
_KEY_BEFORE = re.compile(r"(?:^|\s)[^\s#][^#]*?:(?:\s|$)")
_CLOSE = {"[": "]", "{": "}"}
_INDENTATION = ("'<block mapping start>'", "'<block sequence start>'", "'-'", "'?'")


def _quotes(char: str) -> Msg:
    """A text that starts with a character YAML reads as syntax."""
    return msg(N_("a text that starts with {char} must be put in quotes, like \"{char}…\""),
               char=char)


def _plain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, Msg] | None:
    """The line (0-based) and plain message of a common mistake, or None."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    here = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    if (found := _CANNOT_START.search(problem)) is not None:
        char = found.group(1)
        if char == "\\t":
            return mark.line, msg(N_("a tab is used for indentation here; indent with spaces "
                                     "only"))
        return mark.line, _quotes(char)
    if problem.startswith("found undefined alias"):
        return mark.line, _quotes("*")
    if context in ("while scanning an alias", "while scanning an anchor") and opened:
        return opened.line, _quotes("*" if context.endswith("alias") else "&")
    if problem in ("mapping keys are not allowed here", "sequence entries are not allowed here"):
        return mark.line, _quotes(here[mark.column:mark.column + 1])
    if problem == "mapping values are not allowed here":
        if _KEY_BEFORE.search(here[:mark.column]):
            return mark.line, msg(N_("a text containing \": \" must be put in quotes, like "
                                     "\"Theme: work\""))
        return mark.line, msg(N_("wrong indentation: this line is indented further than the "
                                 "lines it belongs with"))
    if problem.startswith("expected <block end>, but found"):
        if problem.endswith("'<scalar>'"):
            return mark.line, msg(N_("a text that starts with a quote or a bracket must also "
                                     "end with it; put the whole text in quotes"))
        if problem.endswith(_INDENTATION):
            return mark.line, msg(N_("wrong indentation: this line does not line up with the "
                                     "lines it belongs with"))
    if problem == "could not find expected ':'" and opened is not None:
        return opened.line, msg(N_("this line has no \":\" after its name; write "
                                   "name: value"))
    if context.startswith("while scanning a quoted scalar") and opened is not None \
            and "end of stream" in problem:
        return opened.line, msg(N_("the quote that starts on this line is never closed"))
    if context.startswith("while parsing a flow") and opened is not None \
            and (unclosed := _unclosed(text, mark.index)) is not None:
        row, bracket = unclosed
        if problem.endswith("but got ':'") and mark.line == row:
            return mark.line, msg(N_("a text inside {bracket}…{close} containing \": \" must be "
                                     "put in quotes"),
                                  bracket=bracket, close=_CLOSE[bracket])
        return row, msg(N_("the {bracket} on this line is never closed"), bracket=bracket)
    return None


def _unclosed(text: str, end: int) -> tuple[int, str] | None:
    """The line (0-based) and bracket of the innermost [ or { still open at `end`, passing
    over quoted texts and comments."""
    stack: list[tuple[int, str]] = []
    row, quote, comment = 0, "", False
    for position, char in enumerate(text[:end]):
        if char == "\n":
            row, comment = row + 1, False
        elif comment or (quote and char != quote):
            continue
        elif char == quote:
            quote = ""
        elif char in "'\"" and (position == 0 or text[position - 1] in " \t\n[{,:"):
            quote = char
        elif char == "#" and (position == 0 or text[position - 1] in " \t\n"):
            comment = True
        elif char in _CLOSE:
            stack.append((row, char))
        elif stack and char == _CLOSE[stack[-1][1]]:
            stack.pop()
    return stack[-1] if stack else None


def syntax_problem(exc: yaml.YAMLError, source: str, text: str) -> Problem:
    """Turn PyYAML's error into a Problem at the line where the mistake is."""
    if isinstance(exc, yaml.MarkedYAMLError):
        plain = _plain(exc, text)
        if plain is not None:
            return Problem(source, plain[0] + 1, plain[1])
        mark = exc.problem_mark or exc.context_mark
        return Problem(source, mark.line + 1 if mark else 0,
                       msg(N_("the file is not valid YAML here ({problem})"),
                           problem=exc.problem or exc.context or ""))
    position = getattr(exc, "position", 0)  # a ReaderError: a character YAML cannot read
    character = getattr(exc, "character", None)
    number = ord(character[:1] or "?") if isinstance(character, str | bytes) else character
    code = f"U+{number:04X}" if isinstance(number, int) else "?"
    return Problem(source, text.count("\n", 0, position) + 1,
                   msg(N_("the file contains a character YAML does not allow ({code})"),
                       code=code))
