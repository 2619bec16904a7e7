"""The terminal chat as the outbox's transport: several people trying the assistant on one
data directory one after another each read their own messages, in their own chat."""
from __future__ import annotations

import asyncio
import io
import logging
import queue
from pathlib import Path

import pytest

from assistant.adapters.terminal import TerminalChat
from assistant.testing import ChatHarness
from assistant.text import to_plain
from assistant.types import User
from tests.test_broadcast import ORGANISER
from tests.test_broadcast import setup as broadcast_setup
from tests.test_reminders_support import Fixture

TEXT = "Coffee is served from 9."
REMINDER_DUE = "2027-09-01T07:30:00+00:00"
"""24 hours before m1 of the reminders' programme: the default first reminder is due."""


class Typing:
    """The terminal's input: lines the test types when it wants, then the end of input."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def readline(self) -> str:
        """The next typed line ('' ends the chat), waiting for it as a terminal does."""
        return self.lines.get()

    def type(self, line: str) -> None:
        self.lines.put(line)


def terminal(chat: ChatHarness, user_id: int, tmp_path: Path, **kwargs: object) -> TerminalChat:
    return TerminalChat(chat.assistant, User(user_id, f"User{user_id}", language_code="en"),
                        downloads=tmp_path / "downloads", out=io.StringIO(), **kwargs)


def pending_for(chat: ChatHarness) -> list[int]:
    return sorted(item["chat"] for item in chat.assistant.outbox.pending())


async def test_each_terminal_chat_shows_only_its_users_messages_and_keeps_the_others(
        mingel_chat, tmp_path: Path) -> None:
    chat, _fixture = await broadcast_setup(mingel_chat)
    await chat.send("/broadcast", ORGANISER)
    await chat.press("Everyone who has written to me", ORGANISER)
    await chat.send(TEXT, ORGANISER)
    await chat.press("Send to", ORGANISER)
    assert pending_for(chat) == [ORGANISER, 5, 6, 7, 8]

    eva = terminal(chat, 5, tmp_path)
    assert await chat.assistant.outbox.drain(eva) is True
    assert TEXT in eva.out.getvalue()
    assert "user 6" not in eva.out.getvalue() and "Meddelande" not in eva.out.getvalue()
    assert pending_for(chat) == [ORGANISER, 6, 7, 8]
    assert await chat.assistant.outbox.drain(eva) is False

    sven = terminal(chat, 6, tmp_path)
    await chat.assistant.outbox.drain(sven)
    assert "📣 Meddelande från arrangörerna" in sven.out.getvalue()
    assert eva.out.getvalue().count(TEXT) == 1
    assert pending_for(chat) == [ORGANISER, 7, 8]
    await chat.deliver()
    assert to_plain(chat.sent_to(7)[0].text).endswith(TEXT)
    assert pending_for(chat) == []


async def test_the_terminal_chat_holds_others_reminders_quietly_until_they_open_it(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The ticker still queues reminders and the user at the terminal reads theirs; another
    user's waits, neither retried nor logged, and the sender sleeps instead of spinning."""
    fixture = Fixture()
    fixture.answer("m1", 5, "online")
    fixture.answer("m1", 6, "in_person")
    plugins = ["plugins.basics", "plugins.reminders", fixture]
    chat = ChatHarness(plugins, now=REMINDER_DUE, data_dir=tmp_path / "data")
    eva = terminal(chat, 5, tmp_path, inp=Typing(), tick_seconds=0.05)
    passes = 0
    start_due = chat.assistant.outbox._start_due

    def counted(*args: object) -> float | None:
        nonlocal passes
        passes += 1
        return start_due(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(chat.assistant.outbox, "_start_due", counted)
    caplog.set_level(logging.INFO)
    running = asyncio.create_task(eva.run())
    try:
        for _ in range(200):
            if "⏰ Reminder" in eva.out.getvalue():
                break
            await asyncio.sleep(0.02)
        assert "⏰ Reminder: The future labour market starts in 1 day." in eva.out.getvalue()
        before = passes
        await asyncio.sleep(0.5)
        assert passes - before <= 2, "the sender kept looking at the held reminder"
        assert chat.assistant.outbox.waiting("reminders:") == 0
        eva.inp.type("/help")  # type: ignore[attr-defined]
        for _ in range(100):
            if "/language" in eva.out.getvalue():
                break
            await asyncio.sleep(0.02)
        assert "/language" in eva.out.getvalue()
    finally:
        eva.inp.type("")  # type: ignore[attr-defined]
        await asyncio.wait_for(running, 10)
    assert "user 6" not in eva.out.getvalue()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert not [r for r in caplog.records if r.name == "assistant.outbox"]

    later = ChatHarness(plugins, now=REMINDER_DUE, data_dir=tmp_path / "data")
    await later.start()
    try:
        assert pending_for(later) == [6]
        sven = terminal(later, 6, tmp_path)
        await later.assistant.outbox.drain(sven)
        assert "⏰ Reminder: The future labour market starts in 1 day." in sven.out.getvalue()
        assert pending_for(later) == []
    finally:
        await later.stop()
