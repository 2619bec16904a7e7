"""A weekday names the next such day with meetings the user may see: an invite-only meeting
hidden from them neither takes the day ("There are no meetings on Thursday, 14 October",
which told them something is on then) nor keeps the meetings of a later Thursday from them;
its guests and the organisers still get its day. Harness and end to end through Telegram."""
from __future__ import annotations

import re

from assistant.clock import FakeClock
from tests.conftest import MINGEL_PLUGINS

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.invitations", "plugins.rsvp"]
ORGANISER, GUEST, EVE, SVEN = 1, 50, 22, 23
NOW = "2027-10-10T08:00:00+00:00"  # a Sunday; the sample's invite-only roundtable is on Thu 14
HIDDEN_DAY = "Thursday, 14 October 2027"
LATER_THURSDAY = "Thursday, 11 November 2027"  # the second day of the sample's gathering


async def test_a_weekday_skips_a_day_whose_only_meeting_is_hidden(mingel_chat) -> None:
    chat = await mingel_chat(PLUGINS, organisers=[ORGANISER], now=NOW, flood_control=False)
    chat.user(EVE, "Eve", lang="en")
    for text in ("/programme thursday", "what's on thursday?"):
        said = chat.text(await chat.send(text, EVE))
        assert said.startswith(LATER_THURSDAY), (text, said)
        assert "Labour-market days – skills and transition" in said
        assert "14 October" not in said and "Roundtable" not in said
    found = chat.text(await chat.send("/search thursday", EVE))
    assert found.startswith("1 meeting matches “thursday”:"), found
    assert "Labour-market days" in found and "Roundtable" not in found
    sv = chat.text(await chat.send("/programme torsdag", chat.user(SVEN, "Sven", lang="sv")))
    assert sv.startswith("Torsdag 11 november 2027"), sv
    assert "14 oktober" not in sv
    asked = chat.text(await chat.send("/programme 14/10", EVE))  # a date is the date asked for
    assert asked == f"There are no meetings on {HIDDEN_DAY}."


async def test_guests_and_organisers_still_get_the_hidden_meetings_day(mingel_chat) -> None:
    chat = await mingel_chat(PLUGINS, organisers=[ORGANISER], now=NOW, flood_control=False)
    chat.user(ORGANISER, "Olga", lang="en")
    chat.user(GUEST, "Gustav", lang="en")
    invitation = chat.text(await chat.send("/invite am-2027-10-14-rundabord", ORGANISER))
    payload = re.search(r"/start (inv-[\w-]+)", invitation)
    assert payload, invitation
    await chat.send(f"/start {payload.group(1)}", GUEST)
    for user in (ORGANISER, GUEST):
        said = chat.text(await chat.send("/programme thursday", user))
        assert said.startswith(HIDDEN_DAY), (user, said)
        assert "Roundtable – what next for the Public Employment Service?" in said


async def test_a_weekday_in_telegram_names_a_day_the_user_can_see(telegram_bot) -> None:
    bot = await telegram_bot(MINGEL_PLUGINS, clock=FakeClock(NOW))
    [day] = await bot.say(EVE, "/programme thursday", language_code="en")
    assert day.plain_text.splitlines()[0] == LATER_THURSDAY
    assert "Labour-market days – skills and transition" in day.plain_text
    [found] = await bot.say(EVE, "/search thursday")
    assert found.plain_text.startswith("1 meeting matches “thursday”:")
    assert "Roundtable" not in found.plain_text
