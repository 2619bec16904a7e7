"""A fake Telegram Bot API server so end-to-end tests run the real PTB stack without Telegram.

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

The stub is part of Mingel so that a plugin's own end-to-end tests can use it (it needs
aiohttp: `pip install "mingel[testing]"`); `assistant.stub.bot` runs a bot on it.
"""
from __future__ import annotations

try:
    import aiohttp  # noqa: F401
except ModuleNotFoundError as exc:  # a plugin's tests without Mingel's testing extra
    raise ModuleNotFoundError('the Bot API stub (assistant.stub) needs aiohttp: '
                              'pip install "mingel[testing]"', name="aiohttp") from exc

from .markdown import parse_markdown, parse_markdown_v2
from .markup import DEFAULT_TOKEN, ApiError, EntityParseError, parse_html, utf16_len
from .records import ApiCall, SentRecord, StoredFile, StoredMessage, StubUser
from .server import BotApiStub

__all__ = [
    "DEFAULT_TOKEN",
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
