"""Text helpers shared by every plugin: escaping for Telegram HTML, splitting, plain rendering."""
from __future__ import annotations

import html
import re

LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def escape(value: object) -> str:
    """Make user-supplied text safe to put inside a Telegram HTML message."""
    return html.escape(str(value), quote=True)


def bold(value: object) -> str:
    """Escape and embolden, the most common formatting of a user-supplied value."""
    return f"<b>{escape(value)}</b>"


def split_message(text: str, limit: int = LIMIT) -> list[str]:
    """Split a long HTML message at line ends so that every part fits Telegram's limit.

    Plugins keep each formatting tag within one line, so a split at a newline never
    breaks a tag; a single line longer than the limit is cut between characters
    outside tags and entities, with its open tags closed and reopened.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _cut_line(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return [p for p in parts if p.strip()] or [text[:limit]]


def _cut_line(line: str, limit: int) -> list[str]:
    """Cut one over-long line into pieces, never inside a tag or an entity."""
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    open_tags: list[tuple[str, str]] = []
    current = ""
    i = 0
    budget = limit - 64
    while i < len(line):
        if line[i] == "<":
            end = line.index(">", i) + 1
            token = line[i:end]
            match = _TAG.match(token)
            if match and match.group(1):
                if open_tags:
                    open_tags.pop()
            elif match:
                open_tags.append((match.group(2), token))
        elif line[i] == "&" and ";" in line[i : i + 10]:
            end = line.index(";", i) + 1
            token = line[i:end]
        else:
            end = i + 1
            token = line[i]
        if len(current) + len(token) > budget:
            closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
            pieces.append(current + closing)
            current = "".join(tag for _, tag in open_tags)
        current += token
        i = end
    pieces.append(current)
    return pieces


def to_plain(text: str) -> str:
    """Render Telegram HTML as plain text for the terminal chat."""
    text = re.sub(r'<a href="([^"]*)">(.*?)</a>', lambda m: f"{m.group(2)} ({m.group(1)})", text)
    return html.unescape(_TAG.sub("", text))
