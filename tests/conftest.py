"""Shared fixtures: the terminal's language, the loggers' levels, and the example plugin of
this checkout.

The end-to-end fixture `telegram_bot` (the real PTB Application against the Bot API stub)
and `mingel_chat` come from `assistant.testing`, the pytest plugin Mingel installs, as a
third-party plugin's tests get them; `running_bot`, `Bot` and `TOKEN` from `assistant.stub.bot`.
"""
from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.clock import FakeClock
from assistant.plugins import BUILTINS
from assistant.stub.bot import TOKEN, Bot, running_bot

EXAMPLES = sorted(path.parent for path in
                  (Path(__file__).resolve().parent.parent / "examples").glob("*/pyproject.toml"))
sys.path[:0] = [str(path) for path in EXAMPLES]
"""The example plugins under test are this checkout's, not the ones `pip install -e` pointed
at (another checkout's, when tests run in a git worktree)."""

MINGEL_PLUGINS = [*BUILTINS, *(f"mingel_{path.name}" for path in EXAMPLES)]
"""Every plugin of this checkout, the examples (`examples/NAME`, package `mingel_NAME`)
included, for tests that check them all (roles, audit, /mydata, the fuzzer): not whatever
else is installed in the environment, such as a plugin someone is writing, whose commands
and data docs/roles.md and the scenarios cannot know."""


@pytest.fixture(autouse=True)
def _english_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A locale naming no language, so the terminal chat and `mingel check` (which follow it)
    speak the same whatever the developer's terminal speaks; a test sets its own."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)


LOGGERS_SET = ("", "httpx", "httpcore", "telegram", "telegram.ext.Updater", "apscheduler")
"""The loggers whose levels `mingel`'s command line sets (`assistant.logs.setup_logging`)."""


@pytest.fixture(autouse=True)
def _loggers_as_they_were() -> Iterator[None]:
    """A test that runs `cli.main` leaves the loggers' levels as it found them: "telegram" at
    INFO hid python-telegram-bot's debug lines from every later test's `caplog`."""
    levels = {name: logging.getLogger(name).level for name in LOGGERS_SET}
    handlers = logging.getLogger().handlers[:]
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    logging.getLogger().handlers[:] = handlers


__all__ = ["MINGEL_PLUGINS", "TOKEN", "Bot", "FakeClock", "running_bot"]
