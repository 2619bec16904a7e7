"""A real bot on the stub: the PTB Application, the Telegram adapter and an Assistant.

What an end-to-end test talks to, in this repository and in a plugin's own tests
(the pytest fixture `telegram_bot` of `assistant.testing` wraps `running_bot`):

    async with running_bot(tmp_path, ["plugins.basics", my_plugin]) as bot:
        [reply] = await bot.say(42, "/hello", language_code="sv")
        assert reply.text == "Hej!"

Everything stays on this machine: the stub listens on 127.0.0.1 and the bot polls it.
docs/plugins.md ("An end-to-end test through Telegram") describes it.
"""
from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from ..adapters.telegram import TelegramAdapter
from ..clock import Clock
from ..config import Config
from ..core import Assistant
from ..storage import Store
from .records import SentRecord
from .server import BotApiStub

__all__ = ["TOKEN", "Bot", "running_bot"]

TOKEN = "123456789:AAEtestTOKENtestTOKENtestTOKENtest12"


class Bot:
    """A running bot and its stub: what an end-to-end test talks to."""

    def __init__(self, stub: BotApiStub, adapter: TelegramAdapter) -> None:
        self.stub = stub
        self.adapter = adapter
        self.assistant = adapter.assistant

    async def say(self, user_id: int, text: str, *, count: int = 1, timeout: float = 5,
                  **profile: Any) -> list[SentRecord]:
        """A user sends text (`profile`: first_name, language_code, … of `stub.send_text`);
        returns the bot's next `count` messages to them."""
        await self.stub.send_text(user_id, text, **profile)
        return await self.stub.wait_sent(user_id, count, timeout=timeout)

    async def tap(self, user_id: int, message_id: int, label: str, *, count: int = 1,
                  timeout: float = 5) -> list[SentRecord]:
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
                       timeout: float = 5) -> list[SentRecord]:
        """Messages sent or edited in a chat since record number `start`."""
        found: list[SentRecord] = []

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
    """Start the stub (unless given) and a bot on it, with its data under `tmp_path`; stop
    both afterwards. `plugins` as the chat harness takes them (None: the built-ins)."""
    own_stub = stub is None
    stub = stub or BotApiStub(token=TOKEN)
    if own_stub:
        await stub.start()
    environ = {"MINGEL_SEND_RATE": "0", "MINGEL_DATA_DIR": str(tmp_path / "data"), **(env or {})}
    config = Config.from_env({**environ, "TELEGRAM_BOT_TOKEN": stub.token,
                              "TELEGRAM_API_URL": stub.url})
    assistant = Assistant(config, plugins=plugins, entry_points=False,
                          store=Store(config.data_dir), clock=clock)
    adapter = TelegramAdapter(assistant, stub.token, stub.url, poll_timeout=1, tick_seconds=3600)
    try:
        async with adapter:
            yield Bot(stub, adapter)
    finally:
        if own_stub:
            await stub.stop()
