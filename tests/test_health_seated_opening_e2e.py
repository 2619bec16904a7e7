"""End to end, through the real PTB Application and the Bot API stub: a seat booked before the
health declaration opened, the one message when it opens (in Swedish, with the button, on to
the declaration), and nothing more after a restart; someone who gave up their seat hears
nothing."""
from __future__ import annotations

from datetime import timedelta

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from assistant.stub import BotApiStub
from tests.conftest import TOKEN, running_bot
from tests.test_health_seated_opening import LATER, OPENS, TOLD_SV
from tests.test_health_support import NOW, plugins, programme_file

ANNA, BOB = 301, 302


async def test_told_once_in_swedish_when_the_declaration_opens(tmp_path) -> None:
    clock = FakeClock(NOW)
    env = {"MINGEL_ORGANISERS": "1", "MINGEL_PROGRAMME": programme_file(LATER)}
    async with BotApiStub(token=TOKEN) as stub:
        async with running_bot(tmp_path, plugins(), clock=clock, stub=stub, env=env) as bot:
            bot.assistant.flood = FloodControl(burst=10**9)
            [card] = await bot.say(ANNA, "/event later", first_name="Anna", language_code="sv")
            [booked] = await bot.tap(ANNA, card.message_id, "Kommer på plats")
            assert ("⚠️ Hälsodeklaration saknas – du kan fylla i den från och med onsdag "
                    "4 augusti 2027 kl. 09:30 (Sverigetid).") in booked.plain_text
            [card] = await bot.say(BOB, "/event later", first_name="Bob", language_code="en")
            await bot.tap(BOB, card.message_id, "Coming in person")
            await bot.tap(BOB, card.message_id, "Can't come")

            clock.set(OPENS + timedelta(seconds=30))
            start = len(stub.sent)
            await bot.assistant.tick()
            await bot.outbox()
            [told] = await bot.reaction(ANNA, start)
            assert told.plain_text == TOLD_SV
            assert told.buttons == ["Fyll i hälsodeklaration"]
            [question] = await bot.tap(ANNA, told.message_id, "Fyll i hälsodeklaration")
            assert "Fråga 1 av 3" in question.plain_text
            assert [m for m in stub.messages_to(BOB) if "open now" in (m.plain_text or "")] == []

        clock.advance(minutes=5)
        async with running_bot(tmp_path, plugins(), clock=clock, stub=stub, env=env) as bot:
            start = len(stub.sent)
            await bot.assistant.tick()
            await bot.outbox()
            assert [r for r in stub.sent[start:] if r.chat_id in (ANNA, BOB)] == [], "once"
