"""Shared set-up of the end-to-end tests in which an organiser edits the programme file and
reloads it: the real bot on a file of its own, and the edit with its /reload preview."""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.clock import FakeClock
from assistant.stub.bot import Bot
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER

CHANGE_DELAY = "2m"
"""How long a notice waits for further edits (MINGEL_CHANGE_DELAY): the tests tick past it."""


async def organised(telegram_bot: Callable[..., Awaitable[Bot]], tmp_path: Path, text: str, *,
                    plugins: Sequence[Any] = REAL, reminders: bool = False,
                    clock: FakeClock | None = None) -> tuple[Bot, Path, FakeClock]:
    """The bot on `text` written to a file, with ORGANISER as its organiser; with
    `reminders`, the reminders plugin too."""
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    clock = clock or FakeClock(NOW)
    bot = await telegram_bot([*plugins, *(["plugins.reminders"] if reminders else [])],
                             clock=clock,
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": str(path),
                                  "MINGEL_CHANGE_DELAY": CHANGE_DELAY,
                                  "MINGEL_BOT_USERNAME": "MingelBot"})
    return bot, path, clock


async def reload(bot: Bot, path: Path, text: str) -> Any:
    """The organiser's edit of the file and /reload (in English): the preview, unconfirmed."""
    path.write_text(text, encoding="utf-8")
    [preview] = await bot.say(ORGANISER, "/reload", language_code="en")
    return preview
