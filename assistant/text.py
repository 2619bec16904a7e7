"""Text helpers shared by every plugin: escaping for Telegram HTML, splitting, plain rendering."""
from __future__ import annotations

import html
import re

LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")
_SPECIAL = re.compile(r"[&<>\"']")
_UNSEEN = dict.fromkeys([*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                         *range(0x2066, 0x206A)])
"""Control characters (C0, DEL, C1) and the invisible direction overrides and isolates."""
del _UNSEEN[ord("\n")], _UNSEEN[ord("\t")]


def escape(value: object) -> str:
    """Make user-supplied text safe to put inside a Telegram HTML message (most text has
    nothing to escape: one search instead of `html.escape`'s five replaces)."""
    text = value if type(value) is str else str(value)
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text


def typed(text: str) -> str:
    """What a person typed as plugins get it: line ends as "\\n", and without control
    characters or direction overrides (`_UNSEEN`), which a name, a question or a search would
    otherwise store and echo, hiding or reordering what others read. Newlines and tabs stay;
    so do the joiners that build an emoji and the marks of right-to-left writing."""
    if text.isprintable():  # nearly every message: one pass in C, nothing to drop
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_UNSEEN)


def bold(value: object) -> str:
    """Escape and embolden, the most common formatting of a user-supplied value."""
    return f"<b>{escape(value)}</b>"


def shorten(text: str, limit: int) -> str:
    """Text cut to `limit` characters with an ellipsis, so a reader sees it goes on."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 network', '2 networks': a count in a log line, which is English and untranslated
    (users' text counts with `ctx.ngettext`)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def units(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji such as 🙂 is two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def whole_number(word: str, digits: int = 9) -> int | None:
    """A number typed with the digits 0–9, or None: "²" and "١" are digits to `str.isdigit`
    but not to `int`, and a typed number that long means nothing."""
    return int(word) if word.isascii() and word.isdecimal() and len(word) <= digits else None


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split a long HTML message at line ends so that every part fits Telegram's limit
    (measured in UTF-16 code units, as Telegram does).

    Plugins keep each formatting tag within one line, so a split at a newline never
    breaks a tag; a single line longer than the limit is cut between characters
    outside tags and entities, with its open tags closed and reopened.
    """
    if units(text) <= limit:
        return [text]
    parts: list[str] = []
    current, size = "", 0
    for line in text.split("\n"):
        for piece in _cut_line(line, limit):
            extra = units(piece) + (1 if current else 0)
            if size + extra <= limit:
                current = f"{current}\n{piece}" if current else piece
                size += extra
            else:
                if current:
                    parts.append(current)
                current, size = piece, units(piece)
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()] or [text[:limit]]


def _cut_line(line: str, limit: int) -> list[str]:
    """Cut one over-long line into pieces, never inside a tag or an entity."""
    if units(line) <= limit:
        return [line]
    pieces: list[str] = []
    open_tags: list[tuple[str, str]] = []
    current, size = "", 0
    i = 0
    budget = limit - 64
    while i < len(line):
        if line[i] == "<" and ">" in line[i:]:
            end = line.index(">", i) + 1
        elif line[i] == "&" and ";" in line[i : i + 10]:
            end = line.index(";", i) + 1
        else:
            end = i + 1
        token = line[i:end]
        if size + units(token) > budget:
            closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
            pieces.append(current + closing)
            current = "".join(tag for _, tag in open_tags)
            size = units(current)
        match = _TAG.match(token) if token.startswith("<") else None
        if match and match.group(1):
            if open_tags:
                open_tags.pop()
        elif match:
            open_tags.append((match.group(2), token))
        current += token
        size += units(token)
        i = end
    pieces.append(current)
    return pieces


def balance_lines(text: str) -> str:
    """Close a tag at each line end and reopen it on the next line, so HTML from elsewhere
    (a formatted message) keeps the one-tag-per-line rule that splitting relies on."""
    open_tags: list[tuple[str, str]] = []
    lines = []
    for line in text.split("\n"):
        prefix = "".join(tag for _, tag in open_tags)
        for match in _TAG.finditer(line):
            if match.group(1):
                if open_tags and open_tags[-1][0] == match.group(2):
                    open_tags.pop()
            else:
                open_tags.append((match.group(2), match.group(0)))
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        lines.append(prefix + line + closing)
    return "\n".join(lines)


def _plain_link(match: re.Match[str]) -> str:
    """One `<a href>` as the terminal shows it."""
    address, label = match.group(1), match.group(2)
    return label if html.unescape(_TAG.sub("", label)) == html.unescape(address) else \
        f"{label} ({address})"


def to_plain(text: str) -> str:
    """Render Telegram HTML as plain text for the terminal chat: a link as its text and its
    address, or once when its text is the address (a card's meeting link)."""
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', _plain_link, text)
    return html.unescape(_TAG.sub("", text))
