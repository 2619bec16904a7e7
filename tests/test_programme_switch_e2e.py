"""End to end: an operator who started with the bundled sample, then named a file of their
own, then another, through the real PTB bot and the Bot API stub; a restart is a new bot on
the same data directory."""
from __future__ import annotations

from assistant.clock import FakeClock
from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN, running_bot
from tests.test_rsvp_support import NOW, PROGRAMME

ORG, EMMA = 1, 2
REAL = ["plugins.basics", "plugins.programme", "plugins.rsvp"]


async def test_the_sample_gives_way_at_once_and_a_new_file_setting_waits(tmp_path) -> None:
    ours, theirs = tmp_path / "ours.yaml", tmp_path / "theirs.yaml"
    ours.write_text(PROGRAMME.replace("The labour market after corona", "Our real meeting"),
                    encoding="utf-8")
    theirs.write_text(PROGRAMME.replace("The labour market after corona", "Another meeting"),
                      encoding="utf-8")
    organisers = {"MINGEL_ORGANISERS": str(ORG)}
    clock = FakeClock(NOW)
    async with BotApiStub(token=TOKEN) as stub:
        async with running_bot(tmp_path, REAL, env=organisers, clock=clock, stub=stub) as bot:
            await bot.say(ORG, "/start", language_code="en")
            [listing] = await bot.say(EMMA, "/programme", language_code="en")
            assert "Labour-market policy network" in listing.plain_text

        async with running_bot(tmp_path, REAL, env={**organisers, "MINGEL_PROGRAMME": str(ours)},
                               clock=clock, stub=stub) as bot:
            [card] = await bot.say(EMMA, "/event hybrid", language_code="en")
            assert "Our real meeting" in card.plain_text
            await bot.outbox()
            assert len(stub.messages_to(ORG)) == 1  # only the answer to /start

        async with running_bot(tmp_path, REAL, env={**organisers,
                                                    "MINGEL_PROGRAMME": str(theirs)},
                               clock=clock, stub=stub) as bot:
            [told] = await stub.wait_sent(ORG, since=1)
            assert told.plain_text.startswith(
                "⚠️ The programme file setting changed while I was stopped: it now names "
                "theirs.yaml")
            [card] = await bot.say(EMMA, "/event hybrid", language_code="en")
            assert "Our real meeting" in card.plain_text
            [preview] = await bot.say(ORG, "/reload")
            assert "Our real meeting → Another meeting" in preview.plain_text
            await bot.tap(ORG, preview.message_id, "✅ Confirm")
            [card] = await bot.say(EMMA, "/event hybrid", language_code="en")
            assert "Another meeting" in card.plain_text
