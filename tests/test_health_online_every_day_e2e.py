"""End to end through PTB and the Bot API stub: Olle follows a hybrid gathering online on
every day he chose (Wednesday only). His card shows no health line, since coming online needs
no declaration, and /health says just that instead of counting a window "before your first
day in person" he does not have; should he want to come in person, /health and the gate name
the same opening (from Wednesday, where "Coming in person" would bring him), and once it is
open /health offers the button that fills it in."""
from __future__ import annotations

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from tests.test_health_support import NOW, plugins, programme_file
from tests.test_health_window import HYBRID_REQUIRED, MONDAY

OLLE, ANNA = 70, 71
OPENS = "Monday, 9 August 2027 at 10:00 (Sweden Time)"


async def test_online_on_every_day_needs_none_and_health_card_and_gate_agree(
        telegram_bot) -> None:
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(), clock=clock,
                             env={"MINGEL_PROGRAMME": programme_file(HYBRID_REQUIRED)})
    bot.assistant.flood = FloodControl(burst=10**9)
    [card] = await bot.say(OLLE, "/event required", first_name="Olle", language_code="en")
    await bot.tap(OLLE, card.message_id, "Coming online")
    [card] = await bot.tap(OLLE, card.message_id, "☑ Tue 10 Aug")
    assert "Your days: Wed 11 Aug" in card.plain_text
    assert "health declaration" not in card.plain_text.lower()
    [told] = await bot.say(OLLE, "/health required")
    assert told.plain_text == (
        "You're coming online to The two-day gathering, so you need no health declaration: it "
        f"is only for coming in person. If you'd like to come in person, you can fill it in "
        f"from {OPENS}.")
    assert told.buttons == []
    [refused] = await bot.tap(OLLE, card.message_id, "Coming in person")
    assert f"when the declaration opens, {OPENS}" in refused.plain_text
    [picked] = await bot.say(OLLE, "/health")
    assert picked.buttons and not any("two-day" in b for b in picked.buttons)  # not offered

    clock.set(MONDAY)
    [told] = await bot.say(OLLE, "/health required")
    assert told.plain_text.endswith("If you'd like to come in person, fill it in first:")
    assert told.buttons == ["Fill in health declaration"]
    [question] = await bot.tap(OLLE, told.message_id, "Fill in health declaration")
    assert "Question 1 of 3" in question.plain_text


async def test_in_swedish(telegram_bot) -> None:
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(), clock=clock,
                             env={"MINGEL_PROGRAMME": programme_file(HYBRID_REQUIRED)})
    [card] = await bot.say(ANNA, "/event required", first_name="Anna", language_code="sv")
    await bot.tap(ANNA, card.message_id, "Deltar online")
    [told] = await bot.say(ANNA, "/hälsa required")
    assert told.plain_text.startswith("Du deltar online i Tvådagarsträffen, så du behöver ingen "
                                      "hälsodeklaration")
    assert "söndag 8 augusti 2027 kl. 10:00 (Sverigetid)" in told.plain_text
