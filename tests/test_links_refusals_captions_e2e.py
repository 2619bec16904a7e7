"""End to end through the real PTB Application and the Bot API stub: a new invitation link
says how many people it lets in, buttons for a hidden meeting are refused as for no meeting,
and the calendar file with a change notice says that it updates the meeting."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.e2e_reload import organised, reload
from tests.test_gathering_moves import GATHERING
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER

ANNA, DORA, OLLE = 21, 24, 25
SECRET = """\
  - id: secret
    title: {sv: Rundabord, en: Roundtable}
    start: 2027-10-14 09:30
    end: 2027-10-14 11:00
    invite_only: true
"""
PLUGINS = [*REAL, "plugins.questions"]


async def start(telegram_bot, tmp_path, clock: FakeClock | None = None):
    bot, path, _ = await organised(telegram_bot, tmp_path, GATHERING + SECRET, plugins=PLUGINS,
                                   clock=clock)
    return bot, path


async def test_a_new_link_says_whom_it_lets_in_in_english_and_swedish(
        telegram_bot, tmp_path) -> None:
    bot, _ = await start(telegram_bot, tmp_path)
    [reply] = await bot.say(ORGANISER, "/invite secret", language_code="en")
    assert reply.plain_text.splitlines()[-2:] == [
        ("Whoever opens it can see the meeting and answer. It lets in any number of people, "
         "including anyone it is passed on to, until you withdraw it: /invite secret revoke 1"),
        ("For a link for a set number of people, put the number after the id: /invite secret 2 "
         "makes a link for 2 people.")]
    [reply] = await bot.say(ORGANISER, "/language sv")
    [reply] = await bot.say(ORGANISER, "/invite secret 3")
    assert reply.plain_text.splitlines()[-2:] == [
        ("Den som öppnar länken kan se träffen och svara. Den släpper in 3 personer, sedan "
         "slutar den fungera."),
        "Vill du dra tillbaka den innan dess: /invite secret återkalla 2"]


async def test_buttons_for_a_hidden_meeting_say_what_an_unknown_id_says(
        telegram_bot, tmp_path) -> None:
    bot, _ = await start(telegram_bot, tmp_path)
    [listing] = await bot.say(OLLE, "/programme", language_code="en")
    unknown = "I can't find a meeting with the id secret. Send /programme to see the meetings."
    for data in ("rsvp:a:secret:in_person", "programme:card:secret", "questions:ask:secret",
                 "calendar:add:secret"):
        sent = len(bot.stub.sent)
        query = await bot.stub.press(OLLE, listing.message_id, data, check=False)
        await bot.stub.wait_until(lambda q=query: bot.stub.callback_answer(q) is not None, 5)
        [said] = await bot.reaction(OLLE, sent)
        assert said.plain_text == unknown, data  # a message: /programme is a tap away there
        assert not bot.stub.callback_answer(query).get("text"), data  # and not a notice too
    assert bot.assistant.store.table("rsvp_answers").all() == []


async def test_the_file_with_a_change_notice_updates_the_meeting(telegram_bot, tmp_path) -> None:
    clock = FakeClock(NOW)
    bot, path = await start(telegram_bot, tmp_path, clock)
    for user, label, lang in ((DORA, "Coming online", "en"), (ANNA, "Kanske", "sv")):
        [card] = await bot.say(user, "/rsvp web", language_code=lang)
        await bot.tap(user, card.message_id, label)
    await bot.outbox()
    told = {user: len(bot.stub.messages_to(user)) for user in (ANNA, DORA)}
    preview = await reload(bot, path,
                           GATHERING.replace("2027-09-02 10:00", "2027-09-02 10:30") + SECRET)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()
    [*_, dora] = bot.stub.messages_to(DORA)[told[DORA]:]
    assert (dora.method, dora.caption) == (
        "sendDocument", "Open the file to update the meeting in your calendar.")
    [*_, anna] = bot.stub.messages_to(ANNA)[told[ANNA]:]
    assert (anna.method, anna.caption) == (
        "sendDocument", "Om träffen finns i din kalender öppnar du filen för att uppdatera den.")
