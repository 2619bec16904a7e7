"""What the stub keeps: users, messages, files, sends and calls; driving from any loop or thread."""
from __future__ import annotations

import asyncio
import functools
import inspect
import json
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .server import BotApiStub

T = TypeVar("T")

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
        """Find a button by exact label, falling back to a stripped, case-insensitive match,
        then to the one label that contains the text ("Confirm" for "✅ Confirm", as the
        chat harness's `press` finds it); None when none, or several, contain it."""
        flat = [b for row in self.buttons for b in row]
        for b in flat:
            if b["text"] == text:
                return b
        wanted = text.strip().casefold()
        for b in flat:
            if b["text"].strip().casefold() == wanted:
                return b
        within = [b for b in flat if wanted and wanted in b["text"].casefold()]
        return within[0] if len(within) == 1 else None

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


