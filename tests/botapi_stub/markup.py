"""Telegram's HTML markup as the Bot API parses it: plain text and entities, or its own error."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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

