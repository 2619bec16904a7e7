"""End to end: `/kalender 2 sep` offers that day's calendar files (it said "I can't find a
meeting with the id 2"), and `/ask am-09-03 Why …?` (a mistyped id and a question) gets
"Did you mean …?" with a button that goes on with the question (it got every open meeting and
"send the question" again)."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_questions_support import ANNA, NOW, plugins, programme_env

SVEN, EMMA = 10, 11


async def test_calendar_and_a_day_sends_the_picked_meetings_file(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics", "plugins.programme", "plugins.rsvp",
                              "plugins.invitations", "plugins.calendar"],
                             clock=FakeClock("2027-09-01T07:00:00+00:00"),
                             env={"MINGEL_ORGANISERS": "1"})
    [picker] = await bot.say(SVEN, "/kalender 2 sep", first_name="Sven", language_code="sv")
    assert picker.plain_text == ("Torsdag 2 september 2027\nVilken träff vill du ha "
                                 "kalenderfilen för?")
    assert picker.buttons == ["tors 2 sep. 09:30 · Arbetsmarknaden efter corona och regeri…"]
    [sent] = await bot.tap(SVEN, picker.message_id, picker.buttons[0])
    assert sent.document_name is not None and sent.document_name.endswith(".ics")
    assert sent.document_bytes is not None
    assert b"SUMMARY:Arbetsmarknaden efter corona" in sent.document_bytes
    [hidden] = await bot.say(EMMA, "/calendar 14 oct", first_name="Emma", language_code="en")
    assert hidden.plain_text == ("I can't find a meeting with the id 14. Send /programme to "
                                 "see the meetings.")


async def test_ask_with_a_mistyped_id_goes_on_with_the_question(telegram_bot, tmp_path) -> None:
    bot = await telegram_bot(plugins(), env=programme_env(tmp_path / "programme"),
                             clock=FakeClock(NOW))
    [hint] = await bot.say(ANNA, "/ask am-09-03 Is flexicurity <i>coming</i>?", first_name="Anna",
                           language_code="en")
    assert hint.plain_text == (
        "I can't find a meeting with the id am-09-03. Did you mean /ask am-09-02 (Thu 2 Sept "
        "09:30 · The labour market after corona)?\nTap the meeting and I'll go on with your "
        "question.")
    [shown] = await bot.tap(ANNA, hint.message_id, "Thu 2 Sept 09:30 · The labour market after "
                                                   "corona")
    assert shown.plain_text.startswith("Your question for The labour market after corona:\n\n"
                                       "Is flexicurity <i>coming</i>?\n\n")
    [done] = await bot.tap(ANNA, shown.message_id, "👤 Show my name")
    assert "will be shown to everyone once a moderator has approved it" in done.plain_text
