"""/invite list: every upcoming meeting's links, for an organiser who does not remember which
meetings they made links for (it answered "I can't find a meeting with the id list")."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_invitations import invite, start
from tests.test_invitations_e2e import invite as invite_in_telegram
from tests.test_rsvp_support import NOW, ORGANISER, plugins


async def test_the_links_of_every_upcoming_meeting(mingel_chat) -> None:
    chat = await start(mingel_chat)
    empty = chat.text(await chat.send("/invite list", ORGANISER))
    assert empty == ("No upcoming meeting has invitation links yet. Send /invite to pick a "
                     "meeting and make one.")
    payload = await invite(chat, "1")
    await invite(chat)
    await chat.send("/invite secret revoke 2", ORGANISER)
    await chat.send(f"/start {payload}", chat.user(2, "Emma"))
    listed = chat.text(await chat.send("/invite list", ORGANISER)).splitlines()
    assert listed[0] == "Invitation links of upcoming meetings"
    assert listed[1:] == [("• Thu 14 Oct 09:30 · Roundtable – 2 links, 0 active, 1 person "
                           "invited: /invite secret list")]


async def test_in_swedish_and_only_for_organisers(mingel_chat) -> None:
    chat = await start(mingel_chat)
    await invite(chat, "5")
    chat.user(ORGANISER, "Org", lang="sv")
    listed = chat.text(await chat.send("/inbjudan lista", ORGANISER)).splitlines()
    assert listed[0] == "Inbjudningslänkar till kommande träffar"
    assert listed[1].endswith("– 1 länk, 1 aktiv, 0 personer inbjudna: /invite secret lista")
    guest = chat.text(await chat.send("/invite list", chat.user(3, "Bo")))
    assert "Roundtable" not in guest and "secret" not in guest


async def test_in_telegram(telegram_bot) -> None:
    bot = await telegram_bot(plugins(), env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock(NOW))
    await invite_in_telegram(bot)
    [listed] = await bot.say(ORGANISER, "/invite list", language_code="en")
    assert listed.plain_text.splitlines()[1] == (
        "• Thu 14 Oct 09:30 · Roundtable – 1 link, 1 active, 0 people invited: "
        "/invite secret list")
