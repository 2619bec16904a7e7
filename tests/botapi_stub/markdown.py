"""Telegram's Markdown and MarkdownV2 as the Bot API parses them, and the commands it marks."""
from __future__ import annotations

import re
from typing import Any

from .markup import _HTML_SPACES, EntityParseError, _byte_offset, utf16_len

_MDV2_RESERVED = "_*[]()~`>#+-=|{}.!"
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse MarkdownV2 into plain text plus entities, or raise EntityParseError like tdlib."""
    n = len(text)

    def ch(k: int) -> str:
        return text[k] if k < n else ""

    def reserved(c: str) -> EntityParseError:
        return EntityParseError(
            f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
        )

    out: list[str] = []
    offset = 0
    stack: list[dict[str, Any]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and ch(i + 1) and 0 < ord(ch(i + 1)) <= 126:
            out.append(ch(i + 1))
            offset += 1
            i += 2
            continue
        in_code = bool(stack) and stack[-1]["type"] in ("code", "pre")
        special = "`" if in_code else _MDV2_RESERVED
        if c not in special:
            out.append(c)
            offset += utf16_len(c)
            i += 1
            continue
        if c == ">" and not in_code and (i == 0 or text[i - 1] == "\n"):
            i += 1
            continue
        top = stack[-1]["type"] if stack else None
        closing = (
            (top == "bold" and c == "*")
            or (top == "italic" and c == "_" and ch(i + 1) != "_")
            or (top == "underline" and c == "_" and ch(i + 1) == "_")
            or (top == "code" and c == "`")
            or (top == "pre" and text.startswith("```", i))
            or (top in ("text_link", "custom_emoji") and c == "]")
            or (top == "strikethrough" and c == "~")
            or (top == "spoiler" and c == "|" and ch(i + 1) == "|")
        )
        if not closing:
            begin_byte = _byte_offset(text, i)
            argument = ""
            if c == "_":
                kind = "underline" if ch(i + 1) == "_" else "italic"
                i += 2 if kind == "underline" else 1
            elif c == "*":
                kind, i = "bold", i + 1
            elif c == "~":
                kind, i = "strikethrough", i + 1
            elif c == "|":
                if ch(i + 1) != "|":
                    raise reserved(c)
                kind, i = "spoiler", i + 2
            elif c == "[":
                kind, i = "text_link", i + 1
            elif c == "!":
                if ch(i + 1) != "[":
                    raise reserved(c)
                kind, i = "custom_emoji", i + 2
            elif c == "`":
                if text.startswith("```", i):
                    kind = "pre"
                    i += 3
                    end = i
                    while ch(end) and ch(end) not in _HTML_SPACES and ch(end) != "`":
                        end += 1
                    if end != i and ch(end) and ch(end) != "`":
                        argument = text[i:end]
                        i = end
                    if ch(i) in ("\n", "\r"):
                        i += 2 if ch(i + 1) in ("\n", "\r") and ch(i + 1) != ch(i) else 1
                else:
                    kind, i = "code", i + 1
            else:
                raise reserved(c)
            stack.append(
                {
                    "type": kind,
                    "offset": offset,
                    "byte": begin_byte,
                    "begin": len(out),
                    "arg": argument,
                }
            )
            continue
        opened = stack.pop()
        kind = opened["type"]
        entity: dict[str, Any] = {
            "type": kind,
            "offset": opened["offset"],
            "length": offset - opened["offset"],
        }
        if kind in ("underline", "spoiler"):
            i += 2
        elif kind == "pre":
            i += 3
            if opened["arg"]:
                entity["language"] = opened["arg"]
        elif kind in ("text_link", "custom_emoji"):
            i += 1
            url = ""
            if ch(i) == "(":
                i += 1
                url_begin = i
                chars: list[str] = []
                while ch(i) and ch(i) != ")":
                    if ch(i) == "\\" and ch(i + 1) and 0 < ord(ch(i + 1)) <= 126:
                        chars.append(ch(i + 1))
                        i += 2
                        continue
                    chars.append(ch(i))
                    i += 1
                if ch(i) != ")":
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, url_begin)}"
                    )
                i += 1
                url = "".join(chars)
            elif kind == "custom_emoji":
                raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
            else:
                url = "".join(out[opened["begin"] :])
            if kind == "text_link":
                entity["url"] = url
            else:
                entity["custom_emoji_id"] = url.rpartition("id=")[2]
        else:
            i += 1
        if entity["length"] > 0:
            entities.append(entity)
    if stack:
        opened = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MDV2_NAMES[opened['type']]} entity at byte offset {opened['byte']}"
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def parse_markdown(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse legacy Markdown (*bold*, _italic_, `code`, ```pre```, [text](url)) like tdlib."""
    n = len(text)
    out: list[str] = []
    offset = 0
    entities: list[dict[str, Any]] = []
    kinds = {"*": "bold", "_": "italic", "`": "code", "[": "text_link"}
    i = 0
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            offset += 1
            i += 2
            continue
        if c not in kinds:
            out.append(c)
            offset += utf16_len(c)
            i += 1
            continue
        begin_byte = _byte_offset(text, i)
        end_char = "]" if c == "[" else c
        is_pre = text.startswith("```", i)
        i += 3 if is_pre else 1
        language = ""
        if is_pre:
            end = i
            while end < n and text[end] not in _HTML_SPACES and text[end] != "`":
                end += 1
            if end != i and end < n and text[end] != "`":
                language = text[i:end]
                i = end
            if i < n and text[i] == "\n":
                i += 1
        start = offset
        start_index = len(out)
        while i < n and not (text.startswith("```", i) if is_pre else text[i] == end_char):
            out.append(text[i])
            offset += utf16_len(text[i])
            i += 1
        if i >= n:
            raise EntityParseError(
                f"Can't find end of the entity starting at byte offset {begin_byte}"
            )
        i += 3 if is_pre else 1
        entity: dict[str, Any] = {
            "type": "pre" if is_pre else kinds[c],
            "offset": start,
            "length": offset - start,
        }
        if language:
            entity["language"] = language
        if c == "[":
            if i < n and text[i] == "(":
                close = text.find(")", i)
                if close < 0:
                    raise EntityParseError(
                        f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}"
                    )
                entity["url"] = text[i + 1 : close]
                i = close + 1
            else:
                entity["url"] = "".join(out[start_index:])
        if entity["length"] > 0:
            entities.append(entity)
    return "".join(out), entities


def _strip_text(plain: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Telegram trims surrounding whitespace and shifts entities accordingly."""
    stripped = plain.strip()
    if not stripped:
        return "", []
    shift = utf16_len(plain[: len(plain) - len(plain.lstrip())])
    total = utf16_len(stripped)
    result = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            result.append({**entity, "offset": start, "length": end - start})
    return stripped, result


_COMMAND_RE = re.compile(r"(?<![\w/@])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/@])")


def _detect_commands(text: str) -> list[dict[str, Any]]:
    """Clients mark /commands as bot_command entities; PTB's CommandHandler relies on that."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


