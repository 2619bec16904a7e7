"""End to end through PTB and the Bot API stub: a newcomer's first message is an invitation
link; later the link is withdrawn and they tap it again."""
from __future__ import annotations

from tests.test_invitations_e2e import invite, start
from tests.test_rsvp_support import ORGANISER as ORGANISER_ID


async def test_a_newcomer_is_told_who_writes_and_keeps_the_meeting_after_a_withdrawal(
        telegram_bot) -> None:
    bot = await start(telegram_bot)
    payload = await invite(bot)
    welcome, card = await bot.say(2, f"/start {payload}", count=2, language_code="en")
    assert welcome.plain_text.splitlines() == [
        "You're invited! Here is the meeting: answer with the buttons under it.",
        ("I'm Mingel, the assistant for your network's meetings: /help shows everything I can "
         "do. Svenska eller English? Send /language to switch.")]
    assert card.buttons == ["Coming in person", "Maybe", "Can't come"]
    await bot.tap(2, card.message_id, "Coming in person", count=2)
    [withdrawn] = await bot.say(ORGANISER_ID, "/invite secret revoke")
    assert withdrawn.plain_text == "1 link withdrawn. People already invited stay invited."
    again, card = await bot.say(2, f"/start {payload}", count=2, language_code="en")
    assert again.plain_text == "You're invited! Here is the meeting:"
    assert "✓ Coming in person" in card.buttons
    [refused] = await bot.say(3, f"/start {payload}", language_code="en")
    assert refused.plain_text == ("This invitation link has been withdrawn. Please ask the "
                                  "organisers for a new one.")
