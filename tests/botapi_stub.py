"""Fake Telegram Bot API server so end-to-end tests run the real PTB stack without Telegram.

Usage inside a test's event loop::

    async with BotApiStub() as stub:
        app = stub.application_builder().build()   # or set base_url/base_file_url yourself
        ...
        await stub.send_text(42, "/start")
        [reply] = await stub.wait_sent(42)

From another thread or a subprocess (``mingel run`` with ``TELEGRAM_API_URL=stub.url``)::

    stub = BotApiStub().run_in_thread()
    stub.sync.send_text(42, "/start")
    stub.sync.wait_sent(42)
    stub.stop_thread()

Flood limits (off by default, ``flood_limits=True`` to enable) use rolling windows over
successful ``send*``/``copyMessage``/``forwardMessage`` calls (not ``sendChatAction`` or edits):
at most ``global_rate`` (30) in any 1 s overall, at most ``per_chat_burst`` (3) in any
``per_chat_burst / per_chat_rate`` (3 s) per chat, and at most ``group_rate`` (20) in any 60 s
per group chat. A rejected call answers 429 with ``retry_after`` = seconds until the oldest
counted send leaves its window (rounded up, at least 1).
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import inspect
import itertools
import json
import math
import mimetypes
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Self, TypeVar

from aiohttp import web

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder

__all__ = [
    "ApiCall",
    "ApiError",
    "BotApiStub",
    "EntityParseError",
    "SentRecord",
    "StoredFile",
    "StoredMessage",
    "StubUser",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]

DEFAULT_TOKEN = "123456789:TEST-stub-token-AAAAAAAAAAAAAAAAAAAAAAA"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)

T = TypeVar("T")


def utf16_len(text: str) -> int:
    """Telegram measures text and entity offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class EntityParseError(ValueError):
    """Raised by the markup parsers with Telegram's own wording for the 400 description."""


class ApiError(Exception):
    """Lets a method handler bail out with a Telegram-shaped error response."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def _bad(description: str) -> ApiError:
    """Most validation failures are 400s with a "Bad Request: " prefix, as on Telegram."""
    return ApiError(400, f"Bad Request: {description}")


# --------------------------------------------------------------------------- markup parsing

_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_HTML_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));")
_HTML_SPACES = " \t\r\n\v\f"


def _byte_offset(text: str, index: int) -> int:
    """Telegram reports parse errors at UTF-8 byte offsets."""
    return len(text[:index].encode("utf-8", "surrogatepass"))


_HTML_PLAIN_RE = re.compile(r"[^&<>]+")
"""A run of characters that are text in any mode: taken in one step, not one by one."""


def _decode_html_entity(text: str, i: int) -> tuple[str, int] | None:
    """Decode the entity at text[i] the way tdlib does (4 named ones plus numeric)."""
    m = _HTML_ENTITY_RE.match(text, i)
    if not m:
        return None
    if m.group(1):
        return _NAMED_HTML_ENTITIES[m.group(1)], m.end()
    code = int(m.group(2), 10) if m.group(2) else int(m.group(3), 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), m.end()


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int
    begin: int


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram-flavoured HTML into plain text plus entities, or raise EntityParseError.

    Mirrors tdlib's parser; ``strict`` additionally rejects a bare ``>`` or an ``&`` that
    does not start an entity, which Telegram tolerates but the Bot API docs forbid.
    """
    n = len(text)

    def ch(k: int) -> str:
        return text[k] if k < n else ""

    def err(message: str) -> EntityParseError:
        return EntityParseError(message)

    out: list[str] = []
    offset = 0
    stack: list[_OpenTag] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < n:
        c = text[i]
        if (plain := _HTML_PLAIN_RE.match(text, i)) is not None:
            out.append(plain.group())
            offset += utf16_len(plain.group())
            i = plain.end()
            continue
        if c == "&":
            decoded = _decode_html_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                offset += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise err(
                    f"Character '&' must be escaped as &amp; at byte offset {_byte_offset(text, i)}"
                )
        if c == ">" and strict:
            raise err(
                f"Character '>' must be escaped as &gt; at byte offset {_byte_offset(text, i)}"
            )
        if c != "<":
            out.append(c)
            offset += utf16_len(c)
            i += 1
            continue

        begin = i
        begin_byte = _byte_offset(text, begin)
        i += 1
        if ch(i) != "/":
            while ch(i) and ch(i) not in _HTML_SPACES and ch(i) != ">":
                i += 1
            if not ch(i):
                raise err(f"Unclosed start tag at byte offset {begin_byte}")
            name = text[begin + 1 : i].lower()
            if name not in _HTML_TAGS:
                raise err(f'Unsupported start tag "{name}" at byte offset {begin_byte}')
            argument = ""
            while ch(i) != ">":
                while ch(i) and ch(i) in _HTML_SPACES:
                    i += 1
                if not ch(i):
                    raise err(f"Unclosed start tag at byte offset {begin_byte}")
                if ch(i) == ">":
                    break
                attr_begin = i
                while ch(i) and ch(i) not in _HTML_SPACES and ch(i) not in "=>":
                    i += 1
                attr = text[attr_begin:i].lower()
                if not attr:
                    raise err(
                        f'Empty attribute name in the tag "{name}" at byte offset {begin_byte}'
                    )
                while ch(i) and ch(i) in _HTML_SPACES:
                    i += 1
                if ch(i) != "=":
                    if name == "blockquote" and attr == "expandable":
                        argument = "expandable"
                        continue
                    if not ch(i):
                        raise err(f"Unclosed start tag at byte offset {begin_byte}")
                    raise err(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{name}" at byte offset {begin_byte}'
                    )
                i += 1
                while ch(i) and ch(i) in _HTML_SPACES:
                    i += 1
                if not ch(i):
                    raise err(f"Unclosed start tag at byte offset {begin_byte}")
                if ch(i) not in "'\"":
                    token_begin = i
                    while ch(i) and (ch(i).isascii() and ch(i).isalnum() or ch(i) in ".-"):
                        i += 1
                    value = text[token_begin:i].lower()
                    if ch(i) and ch(i) not in _HTML_SPACES and ch(i) != ">":
                        raise err(
                            "Unexpected end of name token at byte offset "
                            f"{_byte_offset(text, token_begin)}"
                        )
                else:
                    quote = ch(i)
                    i += 1
                    chars: list[str] = []
                    while ch(i) and ch(i) != quote:
                        if ch(i) == "&":
                            decoded = _decode_html_entity(text, i)
                            if decoded is not None:
                                chars.append(decoded[0])
                                i = decoded[1]
                                continue
                        chars.append(ch(i))
                        i += 1
                    if ch(i) == quote:
                        i += 1
                    value = "".join(chars)
                if not ch(i):
                    raise err(f"Unclosed start tag at byte offset {begin_byte}")
                if name == "a" and attr == "href":
                    argument = value
                elif name == "code" and attr == "class" and value.startswith("language-"):
                    argument = value[len("language-") :]
                elif name == "span" and attr == "class" and value.startswith("tg-"):
                    argument = value[len("tg-") :]
                elif name == "tg-emoji" and attr == "emoji-id":
                    argument = value
            if name == "span" and argument != "spoiler":
                raise err(f'Tag "span" must have class "tg-spoiler" at byte offset {begin_byte}')
            stack.append(_OpenTag(name, argument, offset, len(out)))
        else:
            if not stack:
                raise err(f"Unexpected end tag at byte offset {begin_byte}")
            i += 1
            while ch(i) and ch(i) not in _HTML_SPACES and ch(i) != ">":
                i += 1
            end_name = text[begin + 2 : i].lower()
            while ch(i) and ch(i) in _HTML_SPACES:
                i += 1
            if ch(i) != ">":
                raise err(f"Unclosed end tag at byte offset {begin_byte}")
            top = stack[-1]
            if end_name and end_name != top.name:
                raise err(
                    f'Unmatched end tag at byte offset {begin_byte}, expected "</{top.name}>", '
                    f'found "</{end_name}>"'
                )
            stack.pop()
            length = offset - top.offset
            if length > 0:
                entities.append(_html_entity(top, length, "".join(out[top.begin :]), entities))
        i += 1
    if stack:
        raise err(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _html_entity(
    tag: _OpenTag, length: int, inner: str, entities: list[dict[str, Any]]
) -> dict[str, Any]:
    """Build the Bot API entity for a closed tag (merging <pre><code class=...> like tdlib)."""
    kind = _HTML_ENTITY_TYPES[tag.name]
    entity: dict[str, Any] = {"type": kind, "offset": tag.offset, "length": length}
    if tag.name == "a":
        entity["url"] = tag.argument or inner
    elif tag.name == "pre":
        if entities and entities[-1]["type"] == "code":
            last = entities[-1]
            if (last["offset"], last["length"]) == (tag.offset, length) and "language" in last:
                entity["language"] = last["language"]
                entities.pop()
    elif tag.name == "code" and tag.argument:
        entity["language"] = tag.argument
    elif tag.name == "blockquote" and tag.argument == "expandable":
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.argument
    return entity


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


# --------------------------------------------------------------------------- records


@dataclass
class StoredFile:
    """A file known to the stub, downloadable via getFile + the file URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    url: str | None = None

    @property
    def file_size(self) -> int:
        """Telegram reports sizes in bytes."""
        return len(self.data)

    def document_api(self) -> dict[str, Any]:
        """Shape of a Document object."""
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def photo_api(self) -> list[dict[str, Any]]:
        """Shape of a photo (one PhotoSize; the stub does not resize)."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": self.file_size,
                "width": 800,
                "height": 600,
            }
        ]

    def file_api(self) -> dict[str, Any]:
        """Shape of a File object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


@dataclass
class StubUser:
    """A simulated Telegram user who talks to the bot."""

    id: int
    first_name: str = "Anna"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "sv"

    def to_api(self) -> dict[str, Any]:
        """Shape of a User object."""
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                user[key] = getattr(self, key)
        return user

    def chat_api(self) -> dict[str, Any]:
        """Shape of the private Chat with this user."""
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class StoredMessage:
    """Current state of a message in a chat (after edits), for presses and assertions."""

    chat: dict[str, Any]
    message_id: int
    sender: dict[str, Any]
    from_bot: bool
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    source_text: str | None = None
    parse_mode: str | None = None
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    location: dict[str, Any] | None = None
    venue: dict[str, Any] | None = None
    edit_date: int | None = None
    edits: int = 0
    deleted: bool = False
    reply_to: StoredMessage | None = None

    @property
    def chat_id(self) -> int:
        """Messages are addressed by (chat_id, message_id)."""
        return int(self.chat["id"])

    @property
    def inline_markup(self) -> dict[str, Any] | None:
        """The part of reply_markup that edits can change (reply keyboards live outside)."""
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            return self.reply_markup
        return None

    def set_inline_markup(self, markup: dict[str, Any] | None) -> None:
        """Apply an edit's markup without forgetting a reply keyboard sent with the message."""
        if markup is not None or self.inline_markup is not None:
            self.reply_markup = markup

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """Rows of inline buttons (or reply-keyboard buttons as dicts) currently attached."""
        return _keyboard_rows(self.reply_markup)

    @property
    def button_texts(self) -> list[str]:
        """Flat list of button labels, handy for assertions."""
        return [b["text"] for row in self.buttons for b in row]

    def button(self, text: str) -> dict[str, Any] | None:
        """Find a button by exact label, falling back to a stripped, case-insensitive match."""
        flat = [b for row in self.buttons for b in row]
        for b in flat:
            if b["text"] == text:
                return b
        wanted = text.strip().casefold()
        for b in flat:
            if b["text"].strip().casefold() == wanted:
                return b
        return None

    def to_api(self) -> dict[str, Any]:
        """Shape of a Message object as PTB de_json expects it."""
        msg: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": dict(self.chat),
            "from": dict(self.sender),
        }
        if self.edit_date is not None:
            msg["edit_date"] = self.edit_date
        if self.text is not None:
            msg["text"] = self.text
            if self.entities:
                msg["entities"] = [dict(e) for e in self.entities]
        if self.caption:
            msg["caption"] = self.caption
            if self.caption_entities:
                msg["caption_entities"] = [dict(e) for e in self.caption_entities]
        if self.document is not None:
            msg["document"] = self.document.document_api()
        if self.photo is not None:
            msg["photo"] = self.photo.photo_api()
        if self.venue is not None:
            msg["venue"] = json.loads(json.dumps(self.venue))
            msg["location"] = dict(self.venue["location"])
        elif self.location is not None:
            msg["location"] = dict(self.location)
        if self.inline_markup:
            msg["reply_markup"] = json.loads(json.dumps(self.inline_markup))
        if self.reply_to is not None:
            original = self.reply_to.to_api()
            original.pop("reply_to_message", None)
            msg["reply_to_message"] = original
        return msg


def _keyboard_rows(markup: dict[str, Any] | None) -> list[list[dict[str, Any]]]:
    """Normalise inline and reply keyboards to rows of button dicts."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [[b if isinstance(b, dict) else {"text": b} for b in row] for row in rows]


@dataclass
class SentRecord:
    """One successful outgoing call of the bot (send*, edit*, delete, answerCallbackQuery...)."""

    method: str
    chat_id: int | None
    message_id: int | None = None
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    caption: str | None = None
    document_name: str | None = None
    document_bytes: bytes | None = None
    plain_text: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    time: float = field(default_factory=time.time)

    @property
    def is_new_message(self) -> bool:
        """True for calls that put a new message into the chat."""
        return self.method in _NEW_MESSAGE_METHODS

    @property
    def buttons(self) -> list[str]:
        """Flat list of button labels in the attached keyboard."""
        return [b["text"] for row in _keyboard_rows(self.reply_markup) for b in row]


@dataclass
class ApiCall:
    """One HTTP request the bot made, successful or not, for debugging and assertions."""

    method: str
    params: dict[str, Any]
    status: int
    description: str | None
    time: float = field(default_factory=time.time)


@dataclass
class _Fault:
    status: int = 500
    description: str | None = None
    delay: float | None = None
    methods: frozenset[str] | None = None

    def matches(self, method: str) -> bool:
        if self.methods is None:
            return _is_outgoing(method)
        return method in self.methods


_NEW_MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendVenue",
        "sendLocation",
        "copyMessage",
        "forwardMessage",
    }
)
_FLOOD_METHODS = frozenset(m.lower() for m in _NEW_MESSAGE_METHODS)


def _is_outgoing(method_lower: str) -> bool:
    """Methods that act on chats: targets of fail_next/delay_next and of the sent log."""
    return method_lower.startswith(("send", "edit", "copy", "forward")) or method_lower in (
        "deletemessage",
        "answercallbackquery",
    )


def _on_loop(fn: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    """Run a driving coroutine on the stub's loop, whichever loop or thread awaits it."""

    @functools.wraps(fn)
    async def wrapper(self: BotApiStub, *args: Any, **kwargs: Any) -> T:
        loop = self._require_loop()
        if asyncio.get_running_loop() is loop:
            return await fn(self, *args, **kwargs)
        future = asyncio.run_coroutine_threadsafe(fn(self, *args, **kwargs), loop)
        return await asyncio.wrap_future(future)

    return wrapper


class _SyncFacade:
    """Blocking wrappers so plain threads can drive a stub started with run_in_thread()."""

    def __init__(self, stub: BotApiStub):
        self._stub = stub

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._stub, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        @functools.wraps(attr)
        def call(*args: Any, **kwargs: Any) -> Any:
            loop = self._stub._require_loop()
            if threading.get_ident() == self._stub._loop_thread:
                raise RuntimeError(
                    "stub.sync used on the stub's own loop; await the method instead"
                )
            return asyncio.run_coroutine_threadsafe(attr(*args, **kwargs), loop).result()

        return call


# --------------------------------------------------------------------------- the server


class BotApiStub:
    """An in-process HTTP server speaking the Telegram Bot API subset Mingel needs."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "mingel_test_bot",
        bot_first_name: str = "Mingel Test",
        flood_limits: bool = False,
        global_rate: int = 30,
        per_chat_rate: float = 1.0,
        per_chat_burst: int = 3,
        group_rate: int = 20,
        strict_html: bool = True,
    ):
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456789
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.flood_limits = flood_limits
        self.global_rate = global_rate
        self.per_chat_rate = per_chat_rate
        self.per_chat_burst = per_chat_burst
        self.group_rate = group_rate
        self.strict_html = strict_html

        self.sent: list[SentRecord] = []
        self.requests: list[ApiCall] = []
        self.flood_errors = 0
        self.internal_errors: list[Exception] = []
        self.users: dict[int, StubUser] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.webhook_url = ""
        self.settings: dict[str, dict[str, Any]] = defaultdict(dict)

        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._last_message_id: dict[int, int] = defaultdict(int)
        self._blocked: set[int] = set()
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._reply_keyboards: dict[int, dict[str, Any]] = {}
        self._queries: dict[str, dict[str, Any]] = {}
        self._updates: list[tuple[int, dict[str, Any]]] = []
        self._update_ids = itertools.count(10_000)
        self._ids = itertools.count(1)
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._faults: deque[_Fault] = deque()
        self._offline_until: float | None = None
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = defaultdict(deque)
        self._cursor = 0
        self._chat_cursors: dict[int, int] = defaultdict(int)

        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._port: int | None = None
        self._closing = False
        self._thread: threading.Thread | None = None
        self.sync = _SyncFacade(self)

        self._handlers: dict[str, tuple[str, Callable[..., Any]]] = {}
        for name in (
            "getMe",
            "logOut",
            "close",
            "getUpdates",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "setMyDescription",
            "getMyDescription",
            "setMyShortDescription",
            "getMyShortDescription",
            "setMyName",
            "getMyName",
            "setChatMenuButton",
            "getChatMenuButton",
            "getChat",
            "getFile",
            "sendMessage",
            "sendDocument",
            "sendPhoto",
            "sendVenue",
            "sendLocation",
            "sendChatAction",
            "editMessageText",
            "editMessageCaption",
            "editMessageReplyMarkup",
            "deleteMessage",
            "answerCallbackQuery",
        ):
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
            self._handlers[name.lower()] = (name, getattr(self, f"_m_{snake}"))

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """Root URL; PTB needs base_url=f"{url}/bot" and base_file_url=f"{url}/file/bot"."""
        if self._port is None:
            raise RuntimeError("BotApiStub is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder.base_url()."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ApplicationBuilder.base_file_url()."""
        return f"{self.url}/file/bot"

    def application_builder(self) -> ApplicationBuilder:
        """A PTB ApplicationBuilder already pointed at this stub."""
        from telegram.ext import ApplicationBuilder

        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    async def start(self) -> Self:
        """Listen on a free 127.0.0.1 port inside the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5
        )
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await self._site.start()
        server = self._site._server
        assert server is not None and server.sockets
        self._port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Release held long polls and close the server."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def run_in_thread(self, timeout: float = 10.0) -> Self:
        """Serve from a daemon thread with its own loop (for bots in subprocesses or sync tests)."""
        ready = threading.Event()
        errors: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
                errors.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=serve, name="botapi-stub", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("BotApiStub thread did not start")
        if errors:
            raise errors[0]
        return self

    def stop_thread(self, timeout: float = 10.0) -> None:
        """Stop a stub started with run_in_thread() and join its thread."""
        loop = self._require_loop()
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _require_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("BotApiStub is not started")
        return self._loop

    def _threadsafe(self, fn: Callable[[], None]) -> None:
        """Run loop-bound bookkeeping on the stub's loop from any thread."""
        if self._loop is None or self._loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            fn()
        else:
            self._loop.call_soon_threadsafe(fn)

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _changed(self, timeout: float) -> None:
        """Sleep until some state changes or the timeout passes."""
        waiter = self._require_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass

    # ------------------------------------------------------------------ HTTP layer

    def _json(self, payload: dict[str, Any], status: int = 200) -> web.Response:
        return web.json_response(payload, status=status)

    def _error(self, error: ApiError) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": error.code,
            "description": error.description,
        }
        if error.parameters:
            body["parameters"] = error.parameters
        return self._json(body, status=error.code)

    def _is_offline(self) -> bool:
        return self._offline_until is not None and time.monotonic() < self._offline_until

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        if self._is_offline():
            return self._error(ApiError(502, "Bad Gateway"))
        return self._error(ApiError(404, "Not Found"))

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if self._is_offline():
            return self._error(ApiError(502, "Bad Gateway"))
        if request.match_info["token"] != self.token:
            return self._error(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(
                    body=stored.data, content_type=stored.mime_type or "application/octet-stream"
                )
        return self._error(ApiError(404, "Not Found"))

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str]]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes, str]] = {}
        if request.method == "POST" and request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError as exc:
                    raise _bad("can't parse JSON request body") from exc
                if isinstance(body, dict):
                    params.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = (value.filename, value.file.read(), value.content_type)
                    else:
                        params[key] = value
        return params, files

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        lower = method.lower()
        canonical = self._handlers.get(lower, (method, None))[0]
        params: dict[str, Any] = {}
        try:
            if self._is_offline():
                raise ApiError(502, "Bad Gateway")
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            handler = self._handlers.get(lower, (method, None))[1]
            if handler is None:
                raise ApiError(404, f"Not Found: method {method} is not implemented by BotApiStub")
            params, files = await self._read_params(request)
            fault = next((f for f in self._faults if f.matches(lower)), None)
            if fault is not None:
                self._faults.remove(fault)
                if fault.delay is not None:
                    await asyncio.sleep(fault.delay)
                else:
                    raise self._fault_error(fault)
            result = handler(params, files)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            self.requests.append(ApiCall(canonical, params, error.code, error.description))
            return self._error(error)
        except Exception as exc:  # noqa: BLE001 - surfaced to the client and kept for asserts
            self.internal_errors.append(exc)
            error = ApiError(500, f"Internal Server Error: BotApiStub bug: {exc!r}")
            self.requests.append(ApiCall(canonical, params, 500, error.description))
            return self._error(error)
        self.requests.append(ApiCall(canonical, params, 200, None))
        return self._json({"ok": True, "result": result})

    @staticmethod
    def _fault_error(fault: _Fault) -> ApiError:
        if fault.status == 429:
            return ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        try:
            phrase = HTTPStatus(fault.status).phrase
        except ValueError:
            phrase = "Error"
        return ApiError(fault.status, fault.description or phrase)

    # ------------------------------------------------------------------ parameter helpers

    @staticmethod
    def _json_param(params: dict[str, Any], name: str, what: str | None = None) -> Any:
        value = params.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError as exc:
                raise _bad(f"can't parse {what or name} JSON object") from exc
        return value

    @staticmethod
    def _int_param(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
        value = params.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise _bad(f'field "{name}" must be of type Integer') from exc

    @staticmethod
    def _float_param(params: dict[str, Any], name: str) -> float:
        value = params.get(name)
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise _bad(f'field "{name}" must be of type Number') from exc

    @staticmethod
    def _bool_param(params: dict[str, Any], name: str) -> bool:
        value = params.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def _chat_id(self, params: dict[str, Any]) -> int:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat_id, chat in self.chats.items():
                if chat.get("username", "").lower() == raw[1:].lower():
                    return chat_id
            raise _bad("chat not found")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError) as exc:
            raise _bad("chat not found") from exc
        if chat_id not in self.chats:
            raise _bad("chat not found")
        return chat_id

    def _target_chat(self, params: dict[str, Any]) -> int:
        """Resolve chat_id for an outgoing call and refuse it for users who blocked the bot."""
        chat_id = self._chat_id(params)
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _format(
        self, params: dict[str, Any], text_key: str, entities_key: str
    ) -> tuple[str, list[dict[str, Any]], str | None, str | None]:
        """Apply parse_mode or explicit entities the way Telegram does; returns plain + entities."""
        source = params.get(text_key)
        source = "" if source is None else str(source)
        parse_mode = params.get("parse_mode") or None
        try:
            if parse_mode:
                mode = str(parse_mode).lower()
                if mode == "html":
                    plain, entities = parse_html(source, strict=self.strict_html)
                elif mode == "markdownv2":
                    plain, entities = parse_markdown_v2(source)
                elif mode == "markdown":
                    plain, entities = parse_markdown(source)
                else:
                    raise _bad("unsupported parse_mode")
            else:
                plain = source
                entities = list(self._json_param(params, entities_key) or [])
        except EntityParseError as exc:
            raise _bad(f"can't parse entities: {exc}") from exc
        plain, entities = _strip_text(plain, entities)
        return plain, entities, source, parse_mode

    def _message_text(
        self, params: dict[str, Any]
    ) -> tuple[str, list[dict[str, Any]], str, str | None]:
        plain, entities, source, parse_mode = self._format(params, "text", "entities")
        if not plain:
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT_LENGTH:
            raise _bad("message is too long")
        return plain, entities, source or "", parse_mode

    def _caption(self, params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
        if not params.get("caption"):
            return None, []
        plain, entities, _, _ = self._format(params, "caption", "caption_entities")
        if utf16_len(plain) > MAX_CAPTION_LENGTH:
            raise _bad("message caption is too long")
        return plain or None, entities

    def _markup(
        self, params: dict[str, Any], *, inline_only: bool = False
    ) -> dict[str, Any] | None:
        markup = self._json_param(params, "reply_markup", "reply keyboard markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    self._check_inline_button(button)
            return markup if any(rows) else None
        if inline_only:
            raise _bad("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
            return markup
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return markup
        raise _bad("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _check_inline_button(button: Any) -> None:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
        if not any(key in button for key in _INLINE_BUTTON_ACTIONS):
            raise _bad(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise _bad("BUTTON_DATA_INVALID")
        if "url" in button:
            url = str(button["url"])
            if not re.match(r"^(https?|tg)://[^\s/?#]+\S*$", url, re.IGNORECASE):
                raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")

    # ------------------------------------------------------------------ flood control

    def _flood_check(self, chat_id: int) -> None:
        if not self.flood_limits:
            return
        now = time.monotonic()
        waits: list[float] = []
        while self._global_sends and now - self._global_sends[0] >= 1.0:
            self._global_sends.popleft()
        if len(self._global_sends) >= self.global_rate:
            waits.append(self._global_sends[0] + 1.0 - now)
        is_group = self.chats[chat_id].get("type") != "private"
        window = self.per_chat_burst / self.per_chat_rate
        sends = self._chat_sends[chat_id]
        while sends and now - sends[0] >= max(window, 60.0 if is_group else 0.0):
            sends.popleft()
        recent = [t for t in sends if now - t < window]
        if len(recent) >= self.per_chat_burst:
            waits.append(recent[0] + window - now)
        if is_group and len(sends) >= self.group_rate:
            waits.append(sends[-self.group_rate] + 60.0 - now)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            self.flood_errors += 1
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    def _flood_note(self, chat_id: int) -> None:
        now = time.monotonic()
        self._global_sends.append(now)
        self._chat_sends[chat_id].append(now)

    # ------------------------------------------------------------------ state helpers

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] += 1
        return self._last_message_id[chat_id]

    def _new_file(
        self, data: bytes, file_name: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        number = next(self._ids)
        digest = hashlib.sha1(data + str(number).encode()).hexdigest()[:16]
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif folder == "photos":
            ext = ".jpg"
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        stored = StoredFile(
            file_id=f"BQACAgIAAx{number:06d}{digest}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{folder}/file_{number}{ext}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def _input_file(
        self,
        params: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]],
        name: str,
        folder: str,
    ) -> StoredFile:
        """Resolve an InputFile parameter: multipart upload, attach://, file_id or URL."""
        if name in files:
            file_name, data, content_type = files[name]
            return self._new_file(data, file_name, self._mime(content_type, file_name), folder)
        value = params.get(name)
        if not value:
            raise _bad(f"there is no {name} in the request")
        value = str(value)
        if value.startswith("attach://"):
            part = value[len("attach://") :]
            if part not in files:
                raise _bad(f"wrong HTTP URL specified: attached file {part} not found")
            file_name, data, content_type = files[part]
            return self._new_file(data, file_name, self._mime(content_type, file_name), folder)
        if value in self.files:
            return self.files[value]
        if re.match(r"^https?://", value):
            stored = self._new_file(b"", value.rsplit("/", 1)[-1] or None, None, folder)
            stored.url = value
            return stored
        raise _bad("wrong file identifier/HTTP URL specified")

    @staticmethod
    def _mime(content_type: str | None, file_name: str | None) -> str | None:
        if content_type and content_type != "application/octet-stream":
            return content_type
        guessed = mimetypes.guess_type(file_name or "")[0]
        return guessed or content_type

    def _record(self, record: SentRecord) -> None:
        self.sent.append(record)
        self._notify()

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> StoredMessage | None:
        """Resolve reply_parameters like Telegram, refusing replies to unknown messages."""
        reply = self._json_param(params, "reply_parameters", "reply parameters")
        if not isinstance(reply, dict) or not reply.get("message_id"):
            return None
        target_chat = reply.get("chat_id", chat_id)
        original = self._messages.get((int(target_chat), int(reply["message_id"])))
        if original is None or original.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise _bad("message to be replied not found")
        return original

    def _store_bot_message(self, chat_id: int, **fields: Any) -> StoredMessage:
        message = StoredMessage(
            chat=dict(self.chats[chat_id]),
            message_id=self._next_message_id(chat_id),
            sender=self._bot_user(),
            from_bot=True,
            date=int(time.time()),
            **fields,
        )
        self._messages[(chat_id, message.message_id)] = message
        return message

    def _track_reply_keyboard(self, chat_id: int, markup: dict[str, Any] | None) -> None:
        if not markup:
            return
        if "keyboard" in markup:
            self._reply_keyboards[chat_id] = markup
        elif markup.get("remove_keyboard"):
            self._reply_keyboards.pop(chat_id, None)

    def _editable(self, params: dict[str, Any]) -> StoredMessage:
        if params.get("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        chat_id = self._target_chat(params)
        message_id = self._int_param(params, "message_id")
        message = self._messages.get((chat_id, message_id or 0))
        if message is None or message.deleted:
            raise _bad("message to edit not found")
        if not message.from_bot:
            raise _bad("message can't be edited")
        return message

    # ------------------------------------------------------------------ bot-level methods

    def _m_get_me(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _m_log_out(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return True

    def _m_close(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return True

    def _m_set_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if self._bool_param(params, "drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_delete_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if self._bool_param(params, "drop_pending_updates"):
            self._updates.clear()
            self._notify()
        return True

    def _m_get_webhook_info(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _m_get_updates(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = self._int_param(params, "offset")
        limit = min(max(self._int_param(params, "limit", 100) or 100, 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = self._json_param(params, "allowed_updates")
        if allowed is not None:
            self._allowed_updates = [str(kind) for kind in allowed]
        self._poll_generation += 1
        generation = self._poll_generation
        self._confirm(offset)
        self._notify()
        loop = self._require_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._is_offline():
                raise ApiError(502, "Bad Gateway")
            if self._updates or self._closing:
                return [json.loads(json.dumps(u)) for _, u in self._updates[:limit]]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._changed(min(remaining, 0.5))

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [(uid, u) for uid, u in self._updates if uid >= offset]

    @staticmethod
    def _scope_key(scope: Any) -> str:
        return json.dumps(scope or {"type": "default"}, sort_keys=True)

    def _m_set_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        commands = self._json_param(params, "commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse BotCommand JSON object")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("LANGUAGE_CODE_INVALID")
        return self._scope_key(self._json_param(params, "scope")), language

    def _m_get_my_commands(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, str]]:
        return [dict(c) for c in self._commands.get(self._commands_key(params), [])]

    def _m_delete_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _set_setting(self, kind: str, params: dict[str, Any]) -> bool:
        self.settings[kind][str(params.get("language_code") or "")] = params.get(kind) or ""
        return True

    def _get_setting(self, kind: str, params: dict[str, Any]) -> dict[str, str]:
        return {kind: self.settings[kind].get(str(params.get("language_code") or ""), "")}

    def _m_set_my_description(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return self._set_setting("description", params)

    def _m_get_my_description(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, str]:
        return self._get_setting("description", params)

    def _m_set_my_short_description(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return self._set_setting("short_description", params)

    def _m_get_my_short_description(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, str]:
        return self._get_setting("short_description", params)

    def _m_set_my_name(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return self._set_setting("name", params)

    def _m_get_my_name(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, str]:
        return self._get_setting("name", params)

    def _m_set_chat_menu_button(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        key = str(params.get("chat_id") or "")
        self.settings["menu_button"][key] = self._json_param(params, "menu_button") or {
            "type": "default"
        }
        return True

    def _m_get_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        key = str(params.get("chat_id") or "")
        return self.settings["menu_button"].get(key) or {"type": "default"}

    def _m_get_chat(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        return {
            **self.chats[chat_id],
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _m_get_file(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        return stored.file_api()

    # ------------------------------------------------------------------ outgoing methods

    def _m_send_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        plain, entities, source, parse_mode = self._message_text(params)
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        self._flood_note(chat_id)
        self._track_reply_keyboard(chat_id, markup)
        message = self._store_bot_message(
            chat_id,
            reply_to=reply_to,
            text=plain,
            entities=entities,
            source_text=source,
            parse_mode=parse_mode,
            reply_markup=markup,
        )
        self._record(
            SentRecord(
                "sendMessage",
                chat_id,
                message.message_id,
                text=source,
                parse_mode=parse_mode,
                reply_markup=markup,
                plain_text=plain,
                params=params,
            )
        )
        return message.to_api()

    def _send_file(
        self, method: str, kind: str, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        caption, caption_entities = self._caption(params)
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        stored = self._input_file(
            params, files, kind, "documents" if kind == "document" else "photos"
        )
        self._flood_note(chat_id)
        self._track_reply_keyboard(chat_id, markup)
        message = self._store_bot_message(
            chat_id,
            reply_to=reply_to,
            caption=caption,
            caption_entities=caption_entities,
            parse_mode=params.get("parse_mode") or None,
            reply_markup=markup,
            **{kind: stored},
        )
        self._record(
            SentRecord(
                method,
                chat_id,
                message.message_id,
                parse_mode=params.get("parse_mode") or None,
                reply_markup=markup,
                caption=params.get("caption"),
                document_name=stored.file_name,
                document_bytes=stored.data,
                plain_text=caption,
                params={k: v for k, v in params.items() if k != kind} | {kind: stored.file_id},
            )
        )
        return message.to_api()

    def _m_send_document(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return self._send_file("sendDocument", "document", params, files)

    def _m_send_photo(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return self._send_file("sendPhoto", "photo", params, files)

    def _location(self, params: dict[str, Any]) -> dict[str, float]:
        latitude = self._float_param(params, "latitude")
        longitude = self._float_param(params, "longitude")
        if not -90 <= latitude <= 90:
            raise _bad("wrong latitude specified")
        if not -180 <= longitude <= 180:
            raise _bad("wrong longitude specified")
        return {"latitude": latitude, "longitude": longitude}

    def _m_send_location(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        location = self._location(params)
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        self._flood_note(chat_id)
        message = self._store_bot_message(
            chat_id, reply_to=reply_to, location=location, reply_markup=markup
        )
        self._record(
            SentRecord(
                "sendLocation", chat_id, message.message_id, reply_markup=markup, params=params
            )
        )
        return message.to_api()

    def _m_send_venue(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        location = self._location(params)
        title = str(params.get("title") or "")
        address = str(params.get("address") or "")
        if not title:
            raise _bad("VENUE_TITLE_INVALID")
        if not address:
            raise _bad("VENUE_ADDRESS_INVALID")
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        venue: dict[str, Any] = {"location": location, "title": title, "address": address}
        for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if params.get(key):
                venue[key] = str(params[key])
        self._flood_note(chat_id)
        message = self._store_bot_message(
            chat_id, reply_to=reply_to, venue=venue, reply_markup=markup
        )
        self._record(
            SentRecord(
                "sendVenue",
                chat_id,
                message.message_id,
                text=title,
                reply_markup=markup,
                plain_text=f"{title}\n{address}",
                params=params,
            )
        )
        return message.to_api()

    def _m_send_chat_action(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        chat_id = self._target_chat(params)
        action = str(params.get("action") or "")
        if action not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._record(SentRecord("sendChatAction", chat_id, text=action, params=params))
        return True

    def _m_edit_message_text(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if message.text is None:
            raise _bad("there is no text in the message to edit")
        plain, entities, source, parse_mode = self._message_text(params)
        markup = self._markup(params, inline_only=True)
        if (plain, entities, markup) == (message.text, message.entities, message.inline_markup):
            raise _bad(_NOT_MODIFIED)
        message.text, message.entities = plain, entities
        message.source_text, message.parse_mode = source, parse_mode
        message.set_inline_markup(markup)
        self._mark_edited(message)
        self._record(
            SentRecord(
                "editMessageText",
                message.chat_id,
                message.message_id,
                text=source,
                parse_mode=parse_mode,
                reply_markup=markup,
                plain_text=plain,
                params=params,
            )
        )
        return message.to_api()

    def _m_edit_message_caption(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        message = self._editable(params)
        if message.document is None and message.photo is None:
            raise _bad("there is no caption in the message to edit")
        caption, caption_entities = self._caption(params)
        markup = self._markup(params, inline_only=True)
        if (caption, caption_entities, markup) == (
            message.caption,
            message.caption_entities,
            message.inline_markup,
        ):
            raise _bad(_NOT_MODIFIED)
        message.caption, message.caption_entities = caption, caption_entities
        message.set_inline_markup(markup)
        self._mark_edited(message)
        self._record(
            SentRecord(
                "editMessageCaption",
                message.chat_id,
                message.message_id,
                parse_mode=params.get("parse_mode") or None,
                reply_markup=markup,
                caption=params.get("caption"),
                plain_text=caption,
                params=params,
            )
        )
        return message.to_api()

    def _m_edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        message = self._editable(params)
        markup = self._markup(params, inline_only=True)
        if markup == message.inline_markup:
            raise _bad(_NOT_MODIFIED)
        message.set_inline_markup(markup)
        self._mark_edited(message)
        self._record(
            SentRecord(
                "editMessageReplyMarkup",
                message.chat_id,
                message.message_id,
                reply_markup=markup,
                params=params,
            )
        )
        return message.to_api()

    @staticmethod
    def _mark_edited(message: StoredMessage) -> None:
        message.edit_date = max(int(time.time()), message.date + 1)
        message.edits += 1

    def _m_delete_message(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        message_id = self._int_param(params, "message_id") or 0
        message = self._messages.get((chat_id, message_id))
        if message is None or message.deleted:
            raise _bad("message to delete not found")
        if not message.from_bot and self.chats[chat_id].get("type") != "private":
            raise _bad("message can't be deleted")
        message.deleted = True
        self._record(SentRecord("deleteMessage", chat_id, message_id, params=params))
        return True

    def _m_answer_callback_query(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        query = self._queries.get(str(params.get("callback_query_id") or ""))
        if query is None or query["answer"] is not None:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text") or None
        if text and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad("MESSAGE_TOO_LONG")
        query["answer"] = {
            "text": text,
            "show_alert": self._bool_param(params, "show_alert"),
            "url": params.get("url") or None,
        }
        self._record(
            SentRecord(
                "answerCallbackQuery",
                query["chat_id"],
                query["message_id"],
                text=text,
                params=params,
            )
        )
        return True

    # ------------------------------------------------------------------ test driving API

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> StubUser:
        """Register (or update) a user with a private chat, as if they had pressed Start."""
        user = self.users.get(user_id)
        if user is None:
            user = StubUser(user_id)
            self.users[user_id] = user
        if first_name is not None:
            user.first_name = first_name
        if last_name is not None:
            user.last_name = last_name
        if username is not None:
            user.username = username
        if language_code is not None:
            user.language_code = language_code
        self.chats[user_id] = user.chat_api()
        return user

    def add_chat(
        self,
        chat_id: int,
        *,
        type: str = "group",
        title: str = "Test group",
        username: str | None = None,
    ) -> dict[str, Any]:
        """Register a group/supergroup/channel the bot is a member of."""
        chat: dict[str, Any] = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        self.chats[chat_id] = chat
        return chat

    def _drive(
        self, user_id: int, chat_id: int | None, profile: dict[str, Any]
    ) -> tuple[StubUser, int]:
        """Common bookkeeping before a user action: profile, chat, unblock, cursors."""
        user = self.add_user(user_id, **profile)
        target = user_id if chat_id is None else chat_id
        if target not in self.chats:
            raise LookupError(f"unknown chat {target}; register groups with add_chat()")
        self._blocked.discard(user_id)
        self._cursor = len(self.sent)
        self._chat_cursors[target] = len(self.messages_to(target))
        return user, target

    def _push(self, update: dict[str, Any]) -> int | None:
        kind = next(iter(update))
        allowed = self._allowed_updates
        if (allowed and kind not in allowed) or (not allowed and kind in DEFAULT_EXCLUDED_UPDATES):
            return None
        update_id = next(self._update_ids)
        self._updates.append((update_id, {"update_id": update_id, **update}))
        self._notify()
        return update_id

    @_on_loop
    async def push_update(self, update: dict[str, Any]) -> int | None:
        """Queue an arbitrary update body (e.g. {"my_chat_member": {...}}); returns its update_id."""
        return self._push(update)

    @_on_loop
    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """Push a message from a user (private chat unless chat_id); returns its message_id.

        A new user defaults to first_name "Anna" and language_code "sv"; later calls keep the
        profile unless given. Writing to the bot unblocks it, as a Telegram client does.
        """
        user, target = self._drive(
            user_id,
            chat_id,
            {
                "first_name": first_name,
                "last_name": last_name,
                "username": username,
                "language_code": language_code,
            },
        )
        message = StoredMessage(
            chat=dict(self.chats[target]),
            message_id=self._next_message_id(target),
            sender=user.to_api(),
            from_bot=False,
            date=int(time.time()),
            text=text,
            entities=_detect_commands(text),
            source_text=text,
        )
        self._messages[(target, message.message_id)] = message
        self._push({"message": message.to_api()})
        return message.message_id

    @_on_loop
    async def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """Push a message with a document the bot can download via getFile; returns message_id."""
        user, target = self._drive(
            user_id, chat_id, {"first_name": first_name, "language_code": language_code}
        )
        stored = self._new_file(bytes(content), filename, mime_type, "documents")
        message = StoredMessage(
            chat=dict(self.chats[target]),
            message_id=self._next_message_id(target),
            sender=user.to_api(),
            from_bot=False,
            date=int(time.time()),
            caption=caption,
            caption_entities=_detect_commands(caption or ""),
            document=stored,
        )
        self._messages[(target, message.message_id)] = message
        self._push({"message": message.to_api()})
        return message.message_id

    @_on_loop
    async def press(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        check: bool = True,
    ) -> str:
        """Push a callback_query for a button on a bot message; returns the query id.

        With ``check`` the message must currently carry a button with that callback_data;
        pass ``check=False`` to simulate a stale client pressing an outdated button.
        """
        user, target = self._drive(user_id, chat_id, {})
        message = self._messages.get((target, message_id))
        if message is None or message.deleted or not message.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {target}")
        if check and not any(
            b.get("callback_data") == data for row in message.buttons for b in row
        ):
            raise LookupError(
                f"message {message_id} has no button with callback_data {data!r}; "
                f"buttons: {[(b['text'], b.get('callback_data')) for row in message.buttons for b in row]}"
            )
        query_id = str(next(self._ids) * 7919 + 4_000_000_000)
        self._queries[query_id] = {
            "chat_id": target,
            "message_id": message_id,
            "data": data,
            "answer": None,
        }
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_api(),
                    "message": message.to_api(),
                    "chat_instance": str(abs(hash((self.bot_id, target))) % 10**18),
                    "data": data,
                }
            }
        )
        return query_id

    @_on_loop
    async def press_button(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> str | int:
        """Press the button labelled ``text``: callback buttons yield a query id, reply-keyboard
        buttons send their text as a message (returns its message_id)."""
        target = user_id if chat_id is None else chat_id
        message = self._messages.get((target, message_id))
        if message is None or message.deleted:
            raise LookupError(f"no message {message_id} in chat {target}")
        button = message.button(text)
        if button is None and target in self._reply_keyboards:
            current = StoredMessage({}, 0, {}, True, 0, reply_markup=self._reply_keyboards[target])
            if current.button(text) is not None:
                return await self.send_text(user_id, current.button(text)["text"], chat_id=chat_id)
        if button is None:
            raise LookupError(
                f"no button {text!r} on message {message_id}; has {message.button_texts}"
            )
        if "callback_data" in button:
            return await self.press(user_id, message_id, button["callback_data"], chat_id=chat_id)
        if "keyboard" in (message.reply_markup or {}):
            return await self.send_text(user_id, button["text"], chat_id=chat_id)
        raise ValueError(f"button {text!r} is not pressable by the stub: {button}")

    # ------------------------------------------------------------------ waiting

    @_on_loop
    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``condition()`` holds, re-checking whenever the stub's state changes."""
        loop = self._require_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout}s; sent: {self._describe()}")
            await self._changed(min(remaining, 0.05))

    @_on_loop
    async def wait_for(
        self,
        predicate_or_count: Callable[[SentRecord], bool] | int,
        timeout: float = 5.0,
        *,
        since: int | None = None,
    ) -> Any:
        """Wait for outgoing calls recorded after the cursor (moved by each user action).

        With a count, returns the next ``count`` records and advances the cursor past them;
        with a predicate, returns the first matching record (cursor unchanged).
        """
        start = self._cursor if since is None else since
        if isinstance(predicate_or_count, int):
            count = predicate_or_count
            await self.wait_until(lambda: len(self.sent) - start >= count, timeout)
            records = self.sent[start : start + count]
            if since is None:
                self._cursor = start + count
            return records
        predicate = predicate_or_count
        found: list[SentRecord] = []

        def match() -> bool:
            found[:] = [r for r in self.sent[start:] if predicate(r)][:1]
            return bool(found)

        await self.wait_until(match, timeout)
        return found[0]

    @_on_loop
    async def wait_sent(
        self, chat_id: int, count: int = 1, timeout: float = 5.0, *, since: int | None = None
    ) -> list[SentRecord]:
        """Wait for the next ``count`` new messages to a chat; consumes them.

        The per-chat cursor jumps to the end whenever the test acts in that chat, so this
        returns the bot's reaction to the latest action; ``since`` overrides the cursor.
        """
        start = self._chat_cursors[chat_id] if since is None else since
        await self.wait_until(lambda: len(self.messages_to(chat_id)) - start >= count, timeout)
        records = self.messages_to(chat_id)[start : start + count]
        if since is None:
            self._chat_cursors[chat_id] = start + count
        return records

    @_on_loop
    async def wait_updates_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed (via offset) every pushed update."""
        await self.wait_until(lambda: not self._updates, timeout)

    def _describe(self) -> str:
        return (
            "; ".join(
                f"{r.method}(chat={r.chat_id}, text={(r.plain_text or r.text or '')[:60]!r})"
                for r in self.sent[-10:]
            )
            or "nothing"
        )

    # ------------------------------------------------------------------ inspection

    def messages_to(self, chat_id: int) -> list[SentRecord]:
        """New messages (not edits, actions or answers) the bot sent to a chat, in order."""
        return [r for r in self.sent if r.chat_id == chat_id and r.is_new_message]

    def last_to(self, chat_id: int) -> SentRecord | None:
        """The most recent new message the bot sent to a chat."""
        messages = self.messages_to(chat_id)
        return messages[-1] if messages else None

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """Current state of any message in a chat (text and buttons after edits)."""
        return self._messages.get((chat_id, message_id))

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """Current, undeleted bot messages in a chat, oldest first."""
        return sorted(
            (
                m
                for (cid, _), m in self._messages.items()
                if cid == chat_id and m.from_bot and not m.deleted
            ),
            key=lambda m: m.message_id,
        )

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard the user currently sees in a chat, if any."""
        return self._reply_keyboards.get(chat_id)

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """How the bot answered a callback query (text, show_alert, url), None if unanswered."""
        query = self._queries.get(query_id)
        return None if query is None else query["answer"]

    def commands(self, lang: str = "", scope: dict[str, Any] | None = None) -> list[dict[str, str]]:
        """Commands set via setMyCommands for a language ("" = default) and scope."""
        return [dict(c) for c in self._commands.get((self._scope_key(scope), lang), [])]

    def file(self, file_id: str) -> StoredFile:
        """A stored file by id (uploads by the bot and documents pushed by users)."""
        return self.files[file_id]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot."""
        return [u for _, u in self._updates]

    def calls(self, method: str) -> list[ApiCall]:
        """All requests for a method name (case-insensitive), including failed ones."""
        return [c for c in self.requests if c.method.lower() == method.lower()]

    # ------------------------------------------------------------------ fault injection

    def block(self, user_id: int) -> None:
        """Make every outgoing call to this user's chat answer 403 "bot was blocked by the user"."""
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """Undo block()."""
        self._blocked.discard(user_id)

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        *,
        description: str | None = None,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer the next n outgoing calls (or calls of ``methods``) with an HTTP error."""
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._faults.extend(_Fault(status, description, None, wanted) for _ in range(n))

    def delay_next(self, n: int, seconds: float, *, methods: Iterable[str] | None = None) -> None:
        """Hold the next n outgoing calls (or calls of ``methods``) before processing them."""
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._faults.extend(_Fault(200, None, seconds, wanted) for _ in range(n))

    def go_offline(self, seconds: float | None = None) -> None:
        """Answer 502 Bad Gateway to everything (including held long polls) for a while."""
        self._offline_until = math.inf if seconds is None else time.monotonic() + seconds
        self._threadsafe(self._notify)

    def go_online(self) -> None:
        """End go_offline() early."""
        self._offline_until = None
        self._threadsafe(self._notify)

    def set_flood_limits(
        self,
        enabled: bool = True,
        *,
        global_rate: int | None = None,
        per_chat_rate: float | None = None,
        per_chat_burst: int | None = None,
        group_rate: int | None = None,
    ) -> None:
        """Switch flood control and optionally change its rates; resets the counting windows."""
        self.flood_limits = enabled
        if global_rate is not None:
            self.global_rate = global_rate
        if per_chat_rate is not None:
            self.per_chat_rate = per_chat_rate
        if per_chat_burst is not None:
            self.per_chat_burst = per_chat_burst
        if group_rate is not None:
            self.group_rate = group_rate
        self._global_sends.clear()
        self._chat_sends.clear()
