"""End to end: Swedish command names through the real PTB bot and the Bot API stub, with and
without the bot_command entity Telegram marks only /a-z0-9_ commands with."""
from __future__ import annotations

from itertools import count
from typing import Any

from assistant.clock import FakeClock
from tests.test_questions_support import programme_env
from tests.test_swedish_aliases import NOW

SVEA = 31
PLUGINS = ["plugins.basics", "plugins.programme"]
NEXT = "Arbetsmarknaden efter corona"
message_ids = count(900)


async def typed(bot: Any, text: str, entities: list[dict[str, Any]]) -> Any:
    """Svea sends `text` with exactly these entities (as some client marks them)."""
    start = len(bot.stub.sent)
    message = {"message_id": next(message_ids), "date": 1_800_000_000, "text": text,
               "chat": {"id": SVEA, "type": "private", "first_name": "Svea"},
               "from": {"id": SVEA, "is_bot": False, "first_name": "Svea",
                        "language_code": "sv"}}
    if entities:
        message["entities"] = entities
    await bot.stub.push_update({"message": message})
    [reply] = await bot.reaction(SVEA, start)
    return reply


def command(length: int) -> list[dict[str, Any]]:
    return [{"type": "bot_command", "offset": 0, "length": length}]


async def test_hjalp_and_nasta_arrive_as_commands_however_telegram_marks_them(
        telegram_bot, tmp_path) -> None:
    bot = await telegram_bot(PLUGINS, env=programme_env(tmp_path), clock=FakeClock(NOW))
    bot.assistant.flood.burst = 100
    [help_sv] = await bot.say(SVEA, "/hjälp", first_name="Svea", language_code="sv")  # no entity
    lines = help_sv.plain_text.splitlines()
    assert lines[0] == "Det här kan jag"
    assert "/hjälp, /help – Visa kommandona du kan använda" in lines
    assert "/nästa, /next – Din nästa träff" in lines
    assert (await typed(bot, "/hjälp", command(3))).plain_text == help_sv.plain_text
    assert (await typed(bot, "/hjalp", command(6))).plain_text == help_sv.plain_text

    [next_sv] = await bot.say(SVEA, "/nasta")  # a bot_command entity, as Telegram marks it
    assert NEXT in next_sv.plain_text
    for text, entities in (("/nasta", []), ("/nästa", []), ("/nästa", command(3)),
                           ("/nasta@mingel_test_bot", command(22))):
        assert (await typed(bot, text, entities)).plain_text == next_sv.plain_text, text
    near_miss = await typed(bot, "/nästaa", [])
    assert near_miss.plain_text == ("Jag känner inte till kommandot /nästaa. Menade du /nästa? "
                                    "Skicka /help för att se vad jag kan göra.")
