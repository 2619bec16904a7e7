"""Shared fixtures: a Telegram bot (the real PTB Application) talking to the local Bot API stub."""
from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import pytest_asyncio

from assistant.adapters.telegram import TelegramAdapter
from assistant.clock import Clock, FakeClock
from assistant.config import Config
from assistant.core import Assistant
from assistant.storage import Store
from tests.botapi_stub import BotApiStub

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples" / "feedback"))
"""The example plugin under test is this checkout's, not the one `pip install -e` pointed at
(another checkout's, when tests run in a git worktree)."""


@pytest.fixture(autouse=True)
def _english_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A locale naming no language, so the terminal chat and `mingel check` (which follow it)
    speak the same whatever the developer's terminal speaks; a test sets its own."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


TOKEN = "123456789:AAEtestTOKENtestTOKENtestTOKENtest12"


class Bot:
    """A running bot and its stub: what an end-to-end test talks to."""

    def __init__(self, stub: BotApiStub, adapter: TelegramAdapter) -> None:
        self.stub = stub
        self.adapter = adapter
        self.assistant = adapter.assistant

    async def say(self, user_id: int, text: str, *, count: int = 1, timeout: float = 5,
                  **profile: Any) -> list[Any]:
        """A user sends text; returns the bot's next `count` messages to them."""
        await self.stub.send_text(user_id, text, **profile)
        return await self.stub.wait_sent(user_id, count, timeout=timeout)

    async def tap(self, user_id: int, message_id: int, label: str, *, count: int = 1,
                  timeout: float = 5) -> list[Any]:
        """A user presses a button (by label); returns the next `count` new or edited messages
        once the press itself was answered too (the bot answers it while editing)."""
        start = len(self.stub.sent)
        query = await self.stub.press_button(user_id, message_id, label)
        found = await self.reaction(user_id, start, count, timeout)
        if isinstance(query, str):
            await self.stub.wait_until(lambda: self.stub.callback_answer(query) is not None,
                                       timeout)
        return found

    async def reaction(self, user_id: int, start: int, count: int = 1,
                       timeout: float = 5) -> list[Any]:
        """Messages sent or edited in a chat since record number `start`."""
        found: list[Any] = []

        def enough() -> bool:
            found[:] = [r for r in self.stub.sent[start:] if r.chat_id == user_id
                        and r.method not in ("answerCallbackQuery", "sendChatAction")]
            return len(found) >= count

        await self.stub.wait_until(enough, timeout)
        return found[:count]

    async def outbox(self) -> None:
        """Run one pass of the outbox now instead of waiting for the sender's next round."""
        await self.assistant.outbox.drain(self.adapter.transport)


@asynccontextmanager
async def running_bot(tmp_path: Path, plugins: Sequence[str | ModuleType | object] | None = None,
                      *, env: dict[str, str] | None = None, clock: Clock | None = None,
                      stub: BotApiStub | None = None) -> AsyncIterator[Bot]:
    """Start the stub (unless given) and a bot on it; stop both afterwards."""
    own_stub = stub is None
    stub = stub or BotApiStub(token=TOKEN)
    if own_stub:
        await stub.start()
    environ = {"MINGEL_SEND_RATE": "0", "MINGEL_DATA_DIR": str(tmp_path / "data"), **(env or {})}
    config = Config.from_env({**environ, "TELEGRAM_BOT_TOKEN": TOKEN,
                              "TELEGRAM_API_URL": stub.url})
    assistant = Assistant(config, plugins=plugins, entry_points=False,
                          store=Store(config.data_dir), clock=clock)
    adapter = TelegramAdapter(assistant, TOKEN, stub.url, poll_timeout=1, tick_seconds=3600)
    try:
        async with adapter:
            yield Bot(stub, adapter)
    finally:
        if own_stub:
            await stub.stop()


@pytest_asyncio.fixture
async def telegram_bot(tmp_path: Path) -> AsyncIterator[Any]:
    """Factory: `bot = await telegram_bot(plugins=[...], env={...}, clock=FakeClock(...))`."""
    stack: list[Any] = []

    async def start(plugins: Sequence[str | ModuleType | object] | None = None, **kwargs: Any) -> Bot:
        manager = running_bot(tmp_path, plugins, **kwargs)
        stack.append(manager)
        return await manager.__aenter__()

    yield start
    for manager in reversed(stack):
        await manager.__aexit__(None, None, None)


__all__ = ["TOKEN", "Bot", "FakeClock", "running_bot", "telegram_bot"]
