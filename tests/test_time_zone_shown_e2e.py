"""End to end (QA 38): through the real PTB Application and the Bot API stub, a participant
in London who answers a hybrid meeting online reads on its card and in her reminder which
zone its times are in, so 09:30 is not taken for 09:30 London time."""
from __future__ import annotations

from datetime import datetime

from tests.e2e_reload import organised
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import ORGANISER
from tests.test_time_zone_shown import ALICE, PROGRAMME

MONA = 8


async def test_the_card_and_the_reminder_say_sweden_time(telegram_bot, tmp_path) -> None:
    bot, _path, clock = await organised(telegram_bot, tmp_path, PROGRAMME, reminders=True)
    [card] = await bot.say(ALICE, "/event hybrid", language_code="en")
    assert "🗓 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)" in card.plain_text
    await bot.tap(ALICE, card.message_id, "Coming online")
    await bot.outbox()
    before = len(bot.stub.messages_to(ALICE))

    clock.set(datetime.fromisoformat("2027-09-02T06:31:00+00:00"))
    await bot.assistant.tick()
    await bot.outbox()
    [reminder] = [m for m in bot.stub.messages_to(ALICE)[before:]
                  if (m.plain_text or "").startswith("⏰")]
    lines = reminder.plain_text.splitlines()
    assert lines[0] == "⏰ Reminder: The hybrid meeting starts in 1 hour."
    assert lines[2] == "🕘 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"
    assert lines[3] == "💻 Join online: Zoom"
    assert 'href="https://zoom.us/j/61234567890"' in reminder.params["text"]


async def test_a_moderator_reads_the_zone_in_the_nudge_and_the_list_of_questions(
        telegram_bot, tmp_path) -> None:
    """Review (session 35): the nudge that questions wait and the moderators' list gave a
    hybrid meeting's times without the zone its card names."""
    bot, _path, _clock = await organised(telegram_bot, tmp_path, PROGRAMME,
                                         plugins=[*REAL, "plugins.questions"])
    await bot.say(ORGANISER, "/start", language_code="en")
    await bot.say(MONA, "/start", first_name="Mona", username="mona", language_code="en")
    await bot.say(ORGANISER, "/moderators am add @mona")
    await bot.outbox()
    await bot.stub.wait_sent(MONA)  # told that she moderates the network
    await bot.say(ALICE, "/ask hybrid", language_code="en")
    [back] = await bot.say(ALICE, "Will the labour market recover?")
    await bot.tap(ALICE, back.message_id, "👤 Show my name")
    await bot.outbox()
    [nudge] = await bot.stub.wait_sent(MONA)
    assert nudge.plain_text.splitlines()[1:3] == [
        "The hybrid meeting", "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"]
    [header, _card] = await bot.tap(MONA, nudge.message_id, "🗂 Moderate the questions",
                                    count=2)
    assert header.plain_text.splitlines()[1] == \
        "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"
