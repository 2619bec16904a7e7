"""A chat harness for plugin tests: no Telegram, no network (also a pytest plugin).

    async def test_hello(mingel_chat):
        chat = await mingel_chat(plugins=["plugins.basics", my_plugin])
        replies = await chat.send("/start")
        assert "Mingel" in replies[0].text

The harness builds an Assistant with the chosen plugins, an in-memory store (or a
directory), a FakeClock and long jobs giving way after every item (so tests do not
depend on how fast the machine is); it sends texts, presses buttons by their label, uploads
files, runs ticks, restarts, and collects what the outbox sends to each user.
`untranslated()` lists a plugin's strings that its catalogue does not translate yet.
The fixture `telegram_bot` runs the same plugins behind the real PTB Application and the
Bot API stub (`assistant.stub`), for a test end to end through Telegram.
docs/plugins.md ("Testing your plugin") describes all of it.
"""
from __future__ import annotations

import importlib
import inspect
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any, Self

import pytest
import pytest_asyncio

from .buttons import fits, well_formed
from .clock import FakeClock
from .config import Config
from .context import Context
from .core import CORE, Assistant
from .delivery import Blocked
from .flood import FloodControl
from .i18n import LOCALES_DIR
from .plugins import plugin_name
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
                 entry_points: bool = False, flood_control: bool = True) -> None:
        environ = {"MINGEL_SEND_RATE": "0", **(env or {})}
        if organisers:
            environ["MINGEL_ORGANISERS"] = ",".join(str(o) for o in organisers)
        self._config = Config.from_env(environ)
        self._plugins, self._entry_points = plugins, entry_points
        self._data_dir, self._flood_control = data_dir, flood_control
        self.clock = FakeClock(now)
        self._store = Store(data_dir)
        self.assistant = self._build()
        self.outbox = Recorder()
        self.last: dict[int, list[Reply]] = {}
        self.toasts: dict[int, str | None] = {}
        self._message_ids: dict[int, int] = defaultdict(int)
        self._users: dict[int, User] = {}
        self.default_user = self.user(1001, "Anna", lang="sv")

    def _build(self) -> Assistant:
        assistant = Assistant(self._config, plugins=self._plugins,
                              entry_points=self._entry_points, store=self._store, clock=self.clock)
        if not self._flood_control:
            assistant.flood = FloodControl(burst=10**9)
        assistant.job_slice = assistant.job_pause = assistant.job_wait = 0.0
        return assistant

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

    async def restart(self) -> ChatHarness:
        """Stop and start a fresh Assistant on the same data, as after a crash or deploy.

        In-memory data survives (the same store is reopened); with `data_dir` it is read
        back from disk. The clock, the users declared here and what was delivered stay.
        """
        await self.stop()
        if self._data_dir is not None:
            self._store = Store(self._data_dir)
        self.assistant = self._build()
        return await self.start()

    def context(self, plugin: str = CORE, user: User | int | None = None) -> Context:
        """A context as a plugin sees it, to call hooks or inspect tables in a test."""
        return self.assistant.context(plugin, None if user is None else self._who(user))

    def table(self, plugin: str, name: str) -> list[Any]:
        """Every document of one plugin table (`<plugin>_<name>`), to check what was stored."""
        return self.assistant.store.table(f"{plugin}_{name}").all()

    async def export(self, name: str, arg: str, user: User | int | None = None) -> Document:
        """Run a declared export as `mingel export NAME ARG` does (user None: the command line)."""
        export = self.assistant.exports[name]
        ctx = self.context(export.plugin, user)
        document = export.handler(ctx, arg)
        if inspect.isawaitable(document):
            document = await document
        return document

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _handle(self, user: User, **fields: Any) -> list[Reply]:
        self._message_ids[user.id] += 1
        incoming = Incoming(user=user, chat=Chat(user.id), **fields)
        with self.assistant.answering:
            replies, toast = await self.assistant.handle(incoming)
        self.toasts[user.id] = toast
        self.last[user.id] = replies
        self.check_buttons(replies)
        return replies

    def check_buttons(self, replies: Sequence[Reply]) -> None:
        """Fail a test whose plugin draws a button that the core would refuse as forged: data
        not `well_formed`, more or fewer arguments than its action's `arity`, or an action that
        only answers an awaited message (`typed`); an action of a plugin not loaded here is not
        checked."""
        for button in (b for reply in replies for row in reply.buttons for b in row if b.data):
            plugin, _, rest = button.data.partition(":")
            name, *args = rest.split(":")
            action = self.assistant.actions.get((plugin, name))
            if action is not None and not (well_formed(button.data) and fits(action, args)):
                raise AssertionError(f"the button {button.text!r} ({button.data}) does not fit "
                                     f"its action's arity {action.arity} or is typed: it would "
                                     f"be refused")

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
    def documents(replies: Sequence[Reply]) -> list[Document]:
        """The files attached to some replies (calendar entries, CSV exports)."""
        return [r.document for r in replies if r.document is not None]

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
        delivered = {k: v[before.get(k, 0):] for k, v in self.outbox.sent.items()
                     if len(v) > before.get(k, 0)}
        for replies in delivered.values():
            self.check_buttons(replies)
        return delivered

    def sent_to(self, user: User | int) -> list[Reply]:
        """Everything the outbox delivered to a user so far."""
        return self.outbox.sent[user if isinstance(user, int) else user.id]

    def block(self, user: User | int) -> None:
        """The user blocks the bot: the outbox's next message to them fails like a 403."""
        self.outbox.blocked.add(user if isinstance(user, int) else user.id)


def untranslated(plugin: str | ModuleType, lang: str = "sv") -> list[str]:
    """The plugin's strings (`_`, `N_`, `ngettext`) that its `lang` catalogue lacks.

    Reads the catalogue the core would use: `locales/<lang>/LC_MESSAGES/<name>.po` of
    the project, else the one in the plugin's own directory (`<package>/locales/…`).
    Empty or fuzzy entries count as missing.
    """
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    module = importlib.import_module(plugin) if isinstance(plugin, str) else plugin
    source = Path(module.__file__ or "").resolve()
    files = sorted(source.parent.rglob("*.py")) if source.name == "__init__.py" else [source]
    domain = plugin_name(module)
    translated: dict[str, Any] = {}
    for locales in (LOCALES_DIR, source.parent / "locales"):
        po = locales / lang / "LC_MESSAGES" / f"{domain}.po"
        if po.is_file():
            with po.open("rb") as f:
                translated = {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string
                              for m in read_po(f, locale=lang) if m.id and not m.fuzzy}
            break
    missing = []
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    for file in files:
        for lineno, message, _comments, _context in extract_from_file(
                "python", str(file), keywords=keywords):
            key = message[0] if isinstance(message, tuple) else message
            string = translated.get(key)
            if not string or (isinstance(string, tuple | list) and not all(string)):
                missing.append(f"{domain}: {file.name}:{lineno}: {key!r}")
    return missing


@pytest_asyncio.fixture
async def mingel_chat() -> AsyncIterator[Any]:
    """Factory fixture: `chat = await mingel_chat(plugins=[...], organisers=[1])`."""
    made: list[ChatHarness] = []

    async def make(plugins: Sequence[str | ModuleType | object] | None = None,
                   **kwargs: Any) -> ChatHarness:
        """Arguments as ChatHarness: organisers, env, now, data_dir, entry_points,
        flood_control."""
        harness = ChatHarness(plugins, **kwargs)
        made.append(harness)
        return await harness.start()

    yield make
    for harness in made:
        if harness.assistant.started:
            await harness.stop()


@pytest_asyncio.fixture
async def telegram_bot(tmp_path: Path) -> AsyncIterator[Any]:
    """Factory fixture for end-to-end tests through Telegram: `bot = await telegram_bot(
    [plugins], env={...}, clock=FakeClock(...))` runs the real PTB Application against the
    Bot API stub on 127.0.0.1 (`assistant.stub.bot.running_bot`; needs aiohttp, which
    `pip install "mingel[testing]"` brings), stopped after the test."""
    from .stub.bot import running_bot
    stack: list[Any] = []

    async def start(plugins: Sequence[str | ModuleType | object] | None = None,
                    **kwargs: Any) -> Any:
        """Arguments as running_bot: env, clock, stub."""
        manager = running_bot(tmp_path, plugins, **kwargs)
        stack.append(manager)
        return await manager.__aenter__()

    yield start
    for manager in reversed(stack):
        await manager.__aexit__(None, None, None)


@pytest.fixture
def fake_clock() -> FakeClock:
    """A clock at the harness's default moment."""
    return FakeClock(DEFAULT_NOW)
