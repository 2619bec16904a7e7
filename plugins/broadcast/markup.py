"""The organiser's text as safe Telegram HTML: everything escaped, then the few tags they
typed on purpose (<b>, <i>, <u>, <s>, <a href="https://…">) put back when they are well
formed, properly nested and closed on the same line. Anything else stays visible as typed,
so no message can break Telegram's parser."""
from __future__ import annotations

import re

from assistant.text import escape

TAG = re.compile(r'<(/?)(b|i|u|s|a)(?:\s+href\s*=\s*"([^"<>]*)")?\s*>', re.IGNORECASE)
LINK = re.compile(r"(https?|tg)://[^\s\"'<>]+\Z", re.IGNORECASE)


def safe_html(text: str) -> str:
    """Escape the text, keeping the organiser's own simple formatting tags."""
    return "\n".join(_line(line) for line in text.replace("\r\n", "\n").split("\n"))


def _line(line: str) -> str:
    out: list[str] = []
    stack: list[tuple[str, int, str]] = []
    pos = 0
    for match in TAG.finditer(line):
        out.append(escape(line[pos:match.start()]))
        pos = match.end()
        raw = match.group(0)
        closing, name, href = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if stack and stack[-1][0] == name and href is None:
                stack.pop()
                out.append(f"</{name}>")
            else:
                out.append(escape(raw))
        elif not _allowed(name, href, stack):
            out.append(escape(raw))
        else:
            stack.append((name, len(out), raw))
            out.append(f'<a href="{escape(href.strip())}">' if name == "a" else f"<{name}>")
    out.append(escape(line[pos:]))
    for _name, index, raw in stack:
        out[index] = escape(raw)
    return "".join(out)


def _allowed(name: str, href: str | None, stack: list[tuple[str, int, str]]) -> bool:
    """<b>, <i>, <u>, <s> without attributes; <a> with a web link, not inside another <a>."""
    if name != "a":
        return href is None
    return href is not None and bool(LINK.match(href.strip())) and \
        all(tag != "a" for tag, _, _ in stack)
