"""YAML syntax errors in plain words, at the line to fix.

PyYAML says "while parsing a block mapping, expected <block end>, but found '<block
mapping start>'"; an organiser needs "wrong indentation" or "put this text in quotes". The
common mistakes are recognised from the parser's problem and the line it points at; any
other error is "not valid YAML here", followed by the parser's own words, said to be its
English.
"""
from __future__ import annotations

import itertools
import re
from collections import Counter

import yaml

from assistant import N_

from .problems import Code, Msg, Problem, code, msg

__all__ = ["syntax_problem"]

_CANNOT_START = re.compile(r"found character '(.+)' that cannot start any token")
_KEY_BEFORE = re.compile(r"(?:^|\s)[^\s#][^#]*?:(?:\s|$)")
_CLOSE = {"[": "]", "{": "}"}
_INDENTATION = ("'<block mapping start>'", "'<block sequence start>'", "'-'", "'?'")
_NAMED = re.compile(r"'(.*)'")
_LIST_ITEM = re.compile(r"(?:-\s+)+")


def _column(row: str) -> int:
    """Where a line's content starts, after its indentation and any "- " of a list item."""
    stripped = row.lstrip(" ")
    return len(row) - len(stripped) + (len(m[0]) if (m := _LIST_ITEM.match(stripped)) else 0)


def _content(row: str) -> bool:
    """Whether the line holds more than blanks or a comment."""
    stripped = row.strip()
    return bool(stripped) and not stripped.startswith("#")


def _above(lines: list[str], row: int, column: int) -> int | None:
    """The nearest line above `row` (0-based) whose content starts left of `column`."""
    for number in range(min(row, len(lines)) - 1, -1, -1):
        if _content(lines[number]) and _column(lines[number]) < column:
            return number
    return None


def _step(lines: list[str], *suspects: int) -> int:
    """The file's indentation step: how far a line most often goes in from the one before
    (leaving out the lines in question)."""
    columns = [len(row) - len(row.lstrip(" ")) for number, row in enumerate(lines)
               if _content(row) and number not in suspects]
    steps = Counter(b - a for a, b in itertools.pairwise(columns) if b > a)
    return steps.most_common(1)[0][0] if steps else 2


def _too_far(lines: list[str], row: int) -> tuple[int, Msg]:
    """A name: value line indented further than the line above it: that line itself, or the
    line above, when the line above is the one off the file's step (the first name under
    "title:" one space short, its sibling right; or a list item, "- name: …" under
    "speakers:", one space short, the "role:" under it right)."""
    column = _column(lines[row])
    owner = _above(lines, row, column)
    parent = None if owner is None else _above(lines, owner, _column(lines[owner]))
    if owner is not None and parent is not None:
        step, base = _step(lines, owner, row), _column(lines[parent])
        item = lines[owner].lstrip(" ").startswith("- ")
        allowed = (0, step) if item else (step,)
        if _column(lines[owner]) - base not in allowed and \
                column - base == step + (2 if item else 0):
            return owner, msg(N_("wrong indentation: this line does not line up with the "
                                 "lines it belongs with"))
    return row, msg(N_("wrong indentation: this line is indented further than the lines it "
                       "belongs with"))


def _name(problem: str) -> str:
    """The name PyYAML quotes in its problem ("found undefined alias 'x'")."""
    found = _NAMED.search(problem)
    return found.group(1) if found else ""


def _quotes(char: str) -> Msg:
    """A text that starts with a character YAML reads as syntax."""
    return msg(N_("a text that starts with {char} must be put in quotes, like {example}"),
               char=char, example=code(f'"{char}…"'))


def _theme() -> Code:
    """The example of a quoted text with ": " in it, in the reader's language."""
    # TRANSLATORS: a text with ": " in it, shown in straight quotes as YAML wants it.
    return code(msg('"{words}"', words=msg(N_("Theme: work"))))


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
        return mark.line, msg(N_("*{name} stands for an anchor &{name} that is not defined "
                                 "above it; a text that starts with * must be put in quotes, "
                                 "like {example}"), name=_name(problem), example=code('"*…"'))
    if context in ("while scanning an alias", "while scanning an anchor") and opened:
        return opened.line, _quotes("*" if context.endswith("alias") else "&")
    if context.startswith("found duplicate anchor"):
        return mark.line, msg(N_("the anchor &{name} is already defined on line {first}; give "
                                 "this one another name"),
                              name=_name(context), first=opened.line + 1 if opened else 0)
    if problem in ("mapping keys are not allowed here", "sequence entries are not allowed here"):
        return mark.line, _quotes(here[mark.column:mark.column + 1])
    if problem == "mapping values are not allowed here":
        if _KEY_BEFORE.search(here[:mark.column]):
            return mark.line, msg(N_("a text containing \": \" must be put in quotes, like "
                                     "{example}"), example=_theme())
        lines = text.splitlines()
        if re.search(r"\s", here[:mark.column].strip()) and \
                (start := _above(lines, mark.line, _column(here))) is not None:
            return mark.line, msg(N_("a text containing \": \" must be put in quotes from where "
                                     "it starts (line {start}), like {example}"),
                                  start=start + 1, example=_theme())
        return _too_far(lines, mark.line)
    if problem.startswith("expected <block end>, but found"):
        if problem.endswith("'<scalar>'"):
            return mark.line, msg(N_("a text that starts with a quote or a bracket must also "
                                     "end with it; put the whole text in quotes"))
        if problem.endswith(_INDENTATION):
            return mark.line, msg(N_("wrong indentation: this line does not line up with the "
                                     "lines it belongs with"))
    if context == "expected a single document in the stream":
        return mark.line, msg(N_("a second document starts here (\"---\"), but a programme "
                                 "file holds one; remove this line"))
    if problem.startswith("expected '<document start>'") and \
            (end := _document_end(text, mark.line)) is not None:
        return end, msg(N_("the line \"...\" ends the document, so what follows it cannot be "
                           "read; remove this line"))
    if context.startswith("while scanning a double-quoted") and \
            problem.startswith(("found unknown escape", "expected escape sequence")):
        return mark.line, msg(N_("in double quotes a \\ starts a code such as \\n; write \\\\ "
                                 "for a backslash, or put the text in single quotes"))
    if context.startswith("while scanning a block scalar"):
        return mark.line, msg(N_("nothing may follow | or > on its line; start the text on "
                                 "the next line, indented"))
    if problem == "could not find expected ':'" and opened is not None:
        # TRANSLATORS: {example} is "name: value", translated on its own.
        return opened.line, msg(N_("this line has no \":\" after its name; write {example}"),
                                example=code(msg(N_("name: value"))))
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


def _document_end(text: str, row: int) -> int | None:
    """The line (0-based) of the "..." at or above `row` that ended the document, if any."""
    lines = text.splitlines()
    for number in range(min(row, len(lines) - 1), -1, -1):
        if lines[number].rstrip() == "..." or lines[number].startswith("... "):
            return number
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
        return Problem(source, min(mark.line + 1, max(len(text.splitlines()), 1)) if mark else 0,
                       # TRANSLATORS: {problem} is PyYAML's own description, in English.
                       msg(N_("the file is not valid YAML here; the YAML reader says (in "
                              "English): {problem}"), problem=exc.problem or exc.context or ""))
    position = getattr(exc, "position", 0)  # a ReaderError: a character YAML cannot read
    character = getattr(exc, "character", None)
    number = ord(character[:1] or "?") if isinstance(character, str | bytes) else character
    code = f"U+{number:04X}" if isinstance(number, int) else "?"
    return Problem(source, text.count("\n", 0, position) + 1,
                   msg(N_("the file contains a character YAML does not allow ({code})"),
                       code=code))
