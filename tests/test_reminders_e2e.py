"""Reminders end to end: the real PTB bot against the Bot API stub, with a FakeClock,
across a restart (a new bot on the same data directory), with personal lead times, and
for moved and cancelled meetings."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

from assistant.clock import FakeClock
from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN, running_bot
from tests.test_reminders_support import Fixture

PLUGINS = ["plugins.basics", "plugins.reminders"]
DAY_BEFORE = "2027-09-01T07:00:00+00:00"


def reminders_to(stub, user: int) -> list[str]:
    return [r.plain_text for r in stub.messages_to(user) if "⏰" in (r.plain_text or "")]


async def test_a_restart_just_before_a_reminder_still_sends_it_once(tmp_path) -> None:
    clock = FakeClock("2027-09-01T07:00:00+00:00")
    fixture = Fixture()
    async with BotApiStub(token=TOKEN) as stub:
        async with running_bot(tmp_path, [*PLUGINS, fixture], clock=clock, stub=stub) as bot:
            await bot.say(5, "/start", language_code="sv")
            fixture.answer("m1", 5, "in_person")
            clock.advance(minutes=29)
            await bot.assistant.tick()
        assert reminders_to(stub, 5) == []
        clock.advance(minutes=1)
        async with running_bot(tmp_path, [*PLUGINS, fixture], clock=clock, stub=stub) as bot:
            await stub.wait_until(lambda: len(reminders_to(stub, 5)) == 1)
            [reminder] = reminders_to(stub, 5)
            assert reminder.startswith("⏰ Påminnelse: Framtidens arbetsmarknad börjar om "
                                       "1 dag.")
            assert "📍 F7, Fleminggatan 7, Stockholm" in reminder
        async with running_bot(tmp_path, [*PLUGINS, fixture], clock=clock, stub=stub) as bot:
            await bot.assistant.tick()
            await bot.outbox()
        assert len(reminders_to(stub, 5)) == 1
        sends = Counter(r.chat_id for r in stub.sent if r.method == "sendMessage")
        assert sends[5] == 2


async def test_personal_lead_times_are_chosen_with_buttons(telegram_bot) -> None:
    clock = FakeClock("2027-09-02T03:00:00+00:00")
    fixture = Fixture()
    bot = await telegram_bot([*PLUGINS, fixture], clock=clock)
    [menu] = await bot.say(6, "/reminders", language_code="en")
    assert menu.buttons == ["1 week", "✓ 1 day", "3 hours", "✓ 1 hour", "Off",
                            "✓ Standard times"]
    [edited] = await bot.tap(6, menu.message_id, "3 hours")
    assert edited.method == "editMessageText"
    assert "I remind you 1 day before, 3 hours before and 1 hour before each meeting" in edited.plain_text
    [sv] = await bot.say(7, "/reminders off", language_code="sv")
    assert sv.plain_text == ("Påminnelserna är avstängda: jag påminner dig inte före träffar. "
                             "Om du deltar online i en träff med privat länk skickar jag ändå "
                             "länken innan den börjar.")
    fixture.answer("m1", 6, "online", at=datetime.fromisoformat("2027-09-01T00:00:00+00:00"))
    fixture.answer("m1", 7, "online", at=datetime.fromisoformat("2027-09-01T00:00:00+00:00"))
    clock.advance(hours=1, minutes=30)
    await bot.assistant.tick()
    [reminder] = await bot.stub.wait_sent(6)
    assert reminder.plain_text.startswith("⏰ Reminder: The future labour market starts in "
                                          "3 hours.")
    assert reminder.buttons == ["Reminder settings"]
    clock.advance(hours=2)
    await bot.assistant.tick()
    [last] = await bot.stub.wait_sent(6)
    assert "starts in 1 hour." in last.plain_text and "https://zoom.us/j/123" in last.text
    assert reminders_to(bot.stub, 7) == []
    [link] = await bot.stub.wait_sent(7)
    assert link.plain_text.startswith("Här är länken för att delta online i Framtidens "
                                      "arbetsmarknad. Träffen börjar om 1 timme.")
    assert "https://zoom.us/j/123" in link.text


async def test_the_menu_reads_lead_times_alike_and_marks_off(telegram_bot) -> None:
    """A day is "1 day" as two are "2 days", and Off is ticked when reminders are off."""
    bot = await telegram_bot([*PLUGINS, Fixture()], clock=FakeClock(DAY_BEFORE))
    [one] = await bot.say(6, "/reminders 1d", language_code="en")
    assert one.plain_text.startswith("I remind you 1 day before each meeting")
    [two] = await bot.say(6, "/reminders 48h,2h", language_code="en")
    assert two.plain_text.startswith("I remind you 2 days before and 2 hours before each meeting")
    [menu] = await bot.say(7, "/reminders", language_code="sv")
    assert menu.buttons == ["1 vecka", "✓ 1 dag", "3 timmar", "✓ 1 timme", "Av",
                            "✓ Standardtider"]
    [off] = await bot.tap(7, menu.message_id, "Av")
    assert off.method == "editMessageText"
    assert off.buttons == ["1 vecka", "1 dag", "3 timmar", "1 timme", "✓ Av", "Standardtider"]



async def test_the_menus_example_names_other_times_than_its_buttons_and_works_as_typed(
        telegram_bot) -> None:
    """The hint under the buttons gives times in words, as the buttons read, that are not among
    them (48h and 2h in English read as two more buttons that were not there), the same in
    both languages; typed as shown, the example is what the reminders become."""
    bot = await telegram_bot([*PLUGINS, Fixture()], clock=FakeClock(DAY_BEFORE))
    for user, lang, example, read in (
            (6, "en", "/reminders 2 days, 2 hours", "I remind you 2 days before and 2 hours"),
            (7, "sv", "/reminders 2 dagar, 2 timmar", "Jag påminner dig 2 dagar före och 2 timmar")):
        [menu] = await bot.say(user, "/reminders", language_code=lang)
        hint = menu.plain_text.splitlines()[-1]
        assert hint.endswith(f"{example}."), hint
        assert not any(time in hint for label in menu.buttons
                       for time in [label.removeprefix("✓ ")])
        [set_] = await bot.say(user, example, language_code=lang)
        assert set_.plain_text.startswith(read)


async def test_moved_and_cancelled_meetings(telegram_bot) -> None:
    clock = FakeClock("2027-09-01T07:30:00+00:00")
    fixture = Fixture()
    bot = await telegram_bot([*PLUGINS, fixture], clock=clock)
    await bot.say(5, "/start", language_code="en")
    await bot.say(6, "/start", language_code="en")
    fixture.answer("m1", 5, "in_person")
    fixture.answer("m2", 6, "online")
    for (event_id, user_id), attendance in fixture.answers.items():  # as RSVP tells plugins
        await bot.assistant.hooks.rsvp_changed(bot.assistant.context(),
                                               fixture.current.event(event_id), user_id,
                                               None, attendance)
    await bot.assistant.tick()
    [first] = await bot.stub.wait_sent(5)
    assert "Thursday, 2 September 2027" in first.plain_text
    start = datetime.fromisoformat("2027-09-03T07:30:00+00:00")
    before, after = fixture.change("m1", start=start, end=start.replace(hour=10))
    await bot.assistant.hooks.event_changed(bot.assistant.context(), before, after, ("start",))
    clock.set(datetime.fromisoformat("2027-09-02T07:31:00+00:00"))
    await bot.assistant.tick()
    [moved] = await bot.stub.wait_sent(5)
    assert "Friday, 3 September 2027" in moved.plain_text
    assert "starts in 1 day." in moved.plain_text
    before, after = fixture.change("m2", cancelled=True)
    await bot.assistant.hooks.event_changed(bot.assistant.context(), before, after,
                                            ("cancelled",))
    clock.set(datetime.fromisoformat("2027-09-19T07:31:00+00:00"))
    await bot.assistant.tick()
    await bot.outbox()
    assert reminders_to(bot.stub, 6) == []
