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


async def test_a_newcomer_whose_link_is_dead_gets_the_reason_and_the_welcome(telegram_bot) -> None:
    """A link that no longer works is the first thing someone sends the bot: besides why, they
    get the welcome /start gives, in their language; someone who has written before only the
    reason."""
    bot = await start(telegram_bot)
    payload = await invite(bot)
    await bot.say(ORGANISER_ID, "/invite secret revoke")
    refused, welcome = await bot.say(3, f"/start {payload}", count=2, first_name="Sam",
                                     language_code="en")
    assert refused.plain_text == ("This invitation link has been withdrawn. Please ask the "
                                  "organisers for a new one.")
    assert welcome.plain_text.startswith(
        "Hi Sam! I'm Mingel, the assistant for your network's meetings.")
    assert "Start with /programme" in welcome.plain_text
    refused, welcome = await bot.say(4, "/start inv-nonsense", count=2, first_name="Sanna",
                                     language_code="sv")
    assert refused.plain_text.startswith("Den här inbjudningslänken fungerar inte.")
    assert welcome.plain_text.startswith("Hej Sanna! Jag är Mingel")
    [again] = await bot.say(4, "/start inv-nonsense", language_code="sv")
    assert again.plain_text.startswith("Den här inbjudningslänken fungerar inte.")
    await bot.say(4, "/help", language_code="sv")
    assert "Det här kan jag" in bot.stub.last_to(4).text  # and no welcome came after the reason
