"""End to end, through the real PTB bot and the Bot API stub: the organisers switch a hybrid
meeting's health declaration on with /reload, and a Swedish participant who already holds a
seat in person is told at once, with the button that opens the declaration (QA 39)."""
from __future__ import annotations

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from tests.test_health_support import NOW, plugins
from tests.test_health_switched import OFF, ON


async def test_a_seat_holder_is_told_in_swedish_and_goes_on_to_the_declaration(
        telegram_bot, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(OFF, encoding="utf-8")
    bot = await telegram_bot(plugins(), clock=FakeClock(NOW),
                             env={"MINGEL_ORGANISERS": "1", "MINGEL_PROGRAMME": str(path)})
    bot.assistant.flood = FloodControl(burst=10**9)
    [card] = await bot.say(301, "/event hybrid", first_name="Karin", language_code="sv")
    await bot.tap(301, card.message_id, "Kommer på plats")

    path.write_text(ON, encoding="utf-8")
    [preview] = await bot.say(1, "/reload", language_code="sv")
    assert "1 deltagare på de ändrade träffarna får besked" in preview.plain_text
    start = len(bot.stub.sent)
    await bot.tap(1, preview.message_id, "✅ Bekräfta")
    await bot.outbox()
    [told] = await bot.reaction(301, start)
    assert told.plain_text == (
        "📋 Till Hybridmötet (tisdag 3 augusti 2027 kl. 09:30–12:30, Sverigetid) behöver nu alla som "
        "kommer på plats fylla i en hälsodeklaration. Fyll i den nu – det tar en minut.")
    assert told.buttons == ["Fyll i hälsodeklaration"]
    [question] = await bot.tap(301, told.message_id, "Fyll i hälsodeklaration")
    assert "Fråga 1 av 3" in question.plain_text
