"""End to end: a mistyped meeting id gets "did you mean …?" with the command again, among the
meetings the user may see only, each named in full (a button's label is cut, a sentence's not)."""
from __future__ import annotations

from assistant.clock import FakeClock

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.invitations"]
NOW = FakeClock("2027-08-01T08:00:00+00:00")


async def test_a_mistyped_id_is_answered_with_the_command_again(telegram_bot) -> None:
    bot = await telegram_bot(PLUGINS, env={"MINGEL_ORGANISERS": "5"}, clock=NOW)
    await bot.say(5, "/start", first_name="Olga", language_code="sv")
    [answer] = await bot.say(5, "/deltagare am-2027-09-03")
    assert answer.plain_text == (
        "Jag hittar ingen träff med id:t am-2027-09-03. Menade du /deltagare am-2027-09-02 "
        "(tors 2 sep. 09:30 · Arbetsmarknaden efter corona och regeringens "
        "arbetsmarknadspolitik framåt)?")
    [several] = await bot.say(6, "/rsvp am-2027-09-2", first_name="Emma", language_code="en")
    assert several.plain_text.splitlines() == [
        "I can't find a meeting with the id am-2027-09-2. Did you mean one of these?",
        ("• /rsvp am-2027-09-02 (Thu 2 Sept 09:30 · The labour market after corona and the "
         "government's labour-market policy ahead)"),
        ("• /rsvp am-2027-09-21 (Tue 21 Sept 09:30 · Flexicurity in Denmark – something Sweden "
         "can learn from?)")]


async def test_an_invite_only_id_is_suggested_only_to_those_who_may_see_it(telegram_bot) -> None:
    bot = await telegram_bot(PLUGINS, env={"MINGEL_ORGANISERS": "5"}, clock=NOW)
    [organiser] = await bot.say(5, "/osa am-2027-10-14-rundabor", first_name="Olga",
                                language_code="sv")
    assert "Menade du /osa am-2027-10-14-rundabord (tors 14 okt. 09:30 · " in \
        organiser.plain_text
    [other] = await bot.say(7, "/osa am-2027-10-14-rundabor", first_name="Per",
                            language_code="sv")
    assert other.plain_text == ("Jag hittar ingen träff med id:t am-2027-10-14-rundabor. "
                                "Skicka /programme för att se träffarna.")
