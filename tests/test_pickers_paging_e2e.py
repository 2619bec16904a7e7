"""End to end through the real PTB bot and the Bot API stub: a picker's "Show more" edits the
message to the next ten meetings, "‹ Earlier" goes back, and a meeting on a later page works
as one on the first."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_pickers_paging import COUNT, NOW, ORGANISER, label, season

SVEN = 11


async def test_invite_and_ask_reach_every_meeting_a_page_at_a_time(telegram_bot, tmp_path) -> None:
    bot = await telegram_bot(None, clock=FakeClock(NOW),
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": str(season(tmp_path / "season.yaml"))})
    [picker] = await bot.say(ORGANISER, "/invite", language_code="sv")
    assert picker.buttons == [label(n, "sv") for n in range(1, 11)] + ["Visa fler"]
    [second] = await bot.tap(ORGANISER, picker.message_id, "Visa fler")
    assert second.method == "editMessageText" and second.message_id == picker.message_id
    assert second.plain_text == picker.plain_text
    assert second.buttons == [label(n, "sv") for n in range(11, 21)] + ["‹ Tidigare", "Visa fler"]
    [third] = await bot.tap(ORGANISER, picker.message_id, "Visa fler")
    assert third.buttons == [label(n, "sv") for n in range(21, COUNT + 1)] + ["‹ Tidigare"]
    [made] = await bot.tap(ORGANISER, picker.message_id, label(23, "sv"))
    assert made.plain_text.startswith("🔗 Inbjudan till Träff 23")
    [back] = await bot.tap(ORGANISER, picker.message_id, "‹ Tidigare")
    assert back.buttons == second.buttons

    [asking] = await bot.say(SVEN, "/ask", language_code="en")
    [more] = await bot.tap(SVEN, asking.message_id, "Show more")
    assert more.buttons[0] == label(11) and more.buttons[-2:] == ["‹ Earlier", "Show more"]
    [prompt] = await bot.tap(SVEN, asking.message_id, label(15))
    assert "What would you like to ask at Meeting 15?" in prompt.plain_text
