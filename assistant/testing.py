"""A chat harness for plugin tests: no Telegram, no network (also a pytest plugin).

    async def test_hello(mingel_chat):
        chat = await mingel_chat(plugins=["plugins.basics", my_plugin])
        replies = await chat.send("/start")
        assert "Mingel" in replies[0].text

The harness builds an Assistant with the chosen plugins, an in-memory store (or a
directory) and a FakeClock; it sends texts, presses buttons by their label, uploads
files, runs ticks and collects what the outbox sends to each user.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import pytest_asyncio

from .clock import FakeClock
from .config import Config
from .core import Assistant
from .outbox import Blocked
from .storage import Store
from .text import to_plain
from .types import Button, Chat, Document, Incoming, Reply, User

DEFAULT_NOW = "2027-08-01T08:00:00+00:00"


class Recorder:
    """The outbox's transport in tests: keeps every message per user."""

    def __init__(self) -> None:
        self.sent: defaultdict[int, list[Reply]] = defaultdict(list)
        self.blocked: set[int] = set()

    async def send(self, chat_id: int, reply: Reply) -> None:
        """Record, or refuse like Telegram for a user who blocked the bot."""
        if chat_id in self.blocked:
            raise Blocked("bot was blocked by the user")
        self.sent[chat_id].append(reply)


class ChatHarness:
    """One assistant and any number of users chatting with it."""

    def __init__(self, plugins: Sequence[str | ModuleType | object] | None = None, *,
                 organisers: Sequence[int] = (), env: dict[str, str] | None = None,
                 now: datetime | str = DEFAULT_NOW, data_dir: Path | None = None,
                 entry_points: bool = False) -> None:
        environ = {"MINGEL_SEND_RATE": "0", **(env or {})}
        if organisers:
            environ["MINGEL_ORGANISERS"] = ",".join(str(o) for o in organisers)
        config = Config.from_env(environ)
        self.clock = FakeClock(now)
        self.assistant = Assistant(config, plugins=plugins, entry_points=entry_points,
                                   store=Store(data_dir), clock=self.clock)
        self.outbox = Recorder()
        self.last: dict[int, list[Reply]] = {}
        self.toasts: dict[int, str | None] = {}
        self._message_ids: dict[int, int] = defaultdict(int)
        self._users: dict[int, User] = {}
        self.default_user = self.user(1001, "Anna", lang="sv")

    def user(self, user_id: int, first_name: str = "Test", *, lang: str | None = "en",
             last_name: str | None = None, username: str | None = None) -> User:
        """Declare a user (their Telegram language code and names)."""
        user = User(user_id, first_name, last_name, username, lang)
        self._users[user_id] = user
        return user

    def _who(self, user: User | int | None) -> User:
        if user is None:
            return self.default_user
        if isinstance(user, int):
            return self._users.get(user) or self.user(user)
        return user

    async def start(self) -> ChatHarness:
        """Open storage and run start-up hooks."""
        await self.assistant.start()
        return self

    async def stop(self) -> None:
        """Run shut-down hooks and close storage."""
        await self.assistant.stop()

    async def __aenter__(self) -> ChatHarness:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, user: User, **fields: Any) -> list[Reply]:
        self._message_ids[user.id] += 1
        incoming = Incoming(user=user, chat=Chat(user.id), **fields)
        replies, toast = await self.assistant.handle(incoming)
        self.toasts[user.id] = toast
        self.last[user.id] = replies
        return replies

    async def send(self, text: str, user: User | int | None = None) -> list[Reply]:
        """The user types a message; returns the assistant's replies."""
        who = self._who(user)
        return await self._handle(who, text=text, message_id=self._message_ids[who.id] + 1)

    async def press(self, label: str, user: User | int | None = None,
                    replies: Sequence[Reply] | None = None) -> list[Reply]:
        """Press the button whose label contains `label` on the user's latest replies."""
        who = self._who(user)
        button = self.find_button(label, replies if replies is not None else self.last.get(who.id, []))
        return await self.press_data(button.data or "", who)

    async def press_data(self, data: str, user: User | int | None = None) -> list[Reply]:
        """Send raw callback data, e.g. forged data in a security test."""
        who = self._who(user)
        return await self._handle(who, callback_data=data, callback_id="cb",
                                  message_id=self._message_ids[who.id])

    async def upload(self, filename: str, content: bytes, user: User | int | None = None,
                     mime_type: str = "application/octet-stream") -> list[Reply]:
        """The user sends a file."""
        return await self._handle(self._who(user), document=Document(filename, content, mime_type))

    @staticmethod
    def find_button(label: str, replies: Sequence[Reply]) -> Button:
        """The first button whose label contains `label` (case-insensitive)."""
        for reply in reversed(list(replies)):
            for row in reply.buttons:
                for button in row:
                    if label.lower() in button.text.lower():
                        return button
        labels = [b.text for r in replies for row in r.buttons for b in row]
        raise LookupError(f"no button {label!r} among {labels}")

    @staticmethod
    def buttons(replies: Sequence[Reply]) -> list[str]:
        """All button labels in some replies."""
        return [b.text for r in replies for row in r.buttons for b in row]

    @staticmethod
    def text(replies: Sequence[Reply]) -> str:
        """The plain text of some replies, joined (HTML tags removed, entities decoded)."""
        return "\n".join(to_plain(r.text) for r in replies)

    async def tick(self, **advance: float) -> None:
        """Move the clock (e.g. hours=1), run the tick hooks and deliver the outbox."""
        if advance:
            self.clock.advance(**advance)
        await self.assistant.tick()
        await self.deliver()

    async def deliver(self) -> dict[int, list[Reply]]:
        """Send everything due in the outbox; returns what went to whom this time."""
        before = {k: len(v) for k, v in self.outbox.sent.items()}
        while await self.assistant.outbox.drain(self.outbox):
            pass
        return {k: v[before.get(k, 0):] for k, v in self.outbox.sent.items()
                if len(v) > before.get(k, 0)}

    def sent_to(self, user: User | int) -> list[Reply]:
        """Everything the outbox delivered to a user so far."""
        return self.outbox.sent[user if isinstance(user, int) else user.id]


@pytest_asyncio.fixture
async def mingel_chat() -> AsyncIterator[Any]:
    """Factory fixture: `chat = await mingel_chat(plugins=[...], organisers=[1])`."""
    made: list[ChatHarness] = []

    async def make(plugins: Sequence[str | ModuleType | object] | None = None,
                   **kwargs: Any) -> ChatHarness:
        harness = ChatHarness(plugins, **kwargs)
        made.append(harness)
        return await harness.start()

    yield make
    for harness in made:
        if harness.assistant.started:
            await harness.stop()


@pytest.fixture
def fake_clock() -> FakeClock:
    """A clock at the harness's default moment."""
    return FakeClock(DEFAULT_NOW)
