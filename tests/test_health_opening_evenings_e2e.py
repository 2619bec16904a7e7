"""End to end, through the real PTB Application and the Bot API stub: someone waiting since
before the rule change to hear that booking opens for the night a gathering of evenings ends
in hears it when its last evening's window opens, not a day early."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from assistant.stub import BotApiStub
from tests.conftest import TOKEN, running_bot
from tests.test_health_opening_evenings import (
    EVA,
    EVENINGS,
    FRIDAYS,
    SATURDAYS,
    TOLD,
    write_waiting,
)
from tests.test_health_support import NOW, plugins, programme_file


async def test_told_at_saturday_evenings_opening_in_telegram(tmp_path: Path) -> None:
    write_waiting(tmp_path / "data")
    clock = FakeClock(NOW)
    env = {"MINGEL_ORGANISERS": "1", "MINGEL_PROGRAMME": programme_file(EVENINGS)}
    async with BotApiStub(token=TOKEN) as stub:
        stub.add_user(EVA, first_name="Eva", language_code="en")
        async with running_bot(tmp_path, plugins(), clock=clock, stub=stub, env=env) as bot:
            clock.set(FRIDAYS)
            await bot.assistant.tick()
            await bot.outbox()
            assert stub.messages_to(EVA) == []
            clock.set(SATURDAYS)
            await bot.assistant.tick()
            await bot.outbox()
            [told] = stub.messages_to(EVA)
            assert told.plain_text == TOLD
            assert told.buttons == ["Fill in health declaration"]
