"""End to end: a seat given up on the morning of a meeting, through the real PTB Application
and the Bot API stub: the next in line reads how long is left before it starts, and is asked
for a required health declaration with one button."""
from __future__ import annotations

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from tests.test_health_support import plugins as health_plugins
from tests.test_health_support import programme_file
from tests.test_health_waiting import FULL
from tests.test_rsvp_support import ORGANISER, plugins

MORNING = "2027-09-21T07:00:00+00:00"
"""09:00 in Stockholm, half an hour before "small" (09:30–12:30, one seat) starts."""


async def test_a_seat_freed_half_an_hour_before_tells_the_next_in_line_the_time_left(
        telegram_bot) -> None:
    bot = await telegram_bot(plugins(), env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock(MORNING))
    [emma] = await bot.say(2, "/rsvp small", first_name="Emma", language_code="sv")
    await bot.tap(2, emma.message_id, "Kommer på plats", count=2)
    [olle] = await bot.say(3, "/rsvp small", first_name="Olle", language_code="sv")
    [waiting] = await bot.tap(3, olle.message_id, "Kommer på plats")
    assert "väntelista, plats 1" in waiting.plain_text
    await bot.tap(2, emma.message_id, "Kan inte komma", count=2)
    note, ics = await bot.stub.wait_sent(3, 2)
    assert note.plain_text == (
        "Goda nyheter! En plats har blivit ledig på Litet möte (tisdag 21 september 2027 kl. "
        "09:30–12:30) och den är din. Ditt svar: Kommer på plats. Träffen börjar om 30 minuter.")
    assert ics.document_name == "small.ics"


async def test_a_seat_needing_a_declaration_on_the_morning_brings_one_button(
        telegram_bot) -> None:
    """A seat at a `health_required` meeting 45 minutes before it starts: the message that says
    why the declaration is needed carries the button; the late last reminder after it only
    says the declaration is missing."""
    bot = await telegram_bot([*health_plugins(), "plugins.reminders"],
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": programme_file(FULL)},
                             clock=FakeClock("2027-08-09T08:00:00+00:00"))
    bot.assistant.flood = FloodControl(burst=10**9)
    await declare_fine(bot, 2)
    [card] = await bot.say(2, "/event required")
    await bot.tap(2, card.message_id, "Coming in person")
    [olle] = await bot.say(3, "/event required", first_name="Olle", language_code="sv")
    [waiting] = await bot.tap(3, olle.message_id, "Kommer på plats")
    assert "väntelista, plats 1" in waiting.plain_text
    bot.assistant.clock.set("2027-08-10T07:15:00+00:00")
    await bot.assistant.tick()
    await bot.tap(2, card.message_id, "Can't come")
    await bot.outbox()
    news, ask = await bot.stub.wait_sent(3, 2)
    assert news.plain_text.startswith("Goda nyheter!")
    assert ask.plain_text.startswith("📋 Din plats på Tvådagarsträffen har ett villkor")
    assert ask.buttons == ["Fyll i hälsodeklaration"]
    await bot.assistant.tick()
    await bot.outbox()
    [reminder] = await bot.stub.wait_sent(3)
    assert reminder.plain_text.startswith("⏰ Påminnelse: Tvådagarsträffen börjar om 45 minuter.")
    assert "⚠️ Hälsodeklaration saknas" in reminder.plain_text
    assert reminder.buttons == ["Inställningar för påminnelser"]


async def declare_fine(bot, user_id: int) -> None:
    """An English participant declares "fine" for the required gathering with /health."""
    [question] = await bot.say(user_id, "/health required", first_name="Emma",
                               language_code="en")
    for _ in range(3):
        [question] = await bot.tap(user_id, question.message_id, "No")
    await bot.tap(user_id, question.message_id, "I will follow these")


async def test_a_seat_message_held_up_in_the_outbox_leaves_the_reminder_without_the_button(
        telegram_bot) -> None:
    """Olle's seat comes at 08:00, but Telegram fails the news (500) and his messages wait;
    at 09:00 his last reminder falls due behind them. It used to bring a second "Fill in"
    button, since the seat's message had been queued an hour before: all came together."""
    bot = await telegram_bot([*health_plugins(), "plugins.reminders"],
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": programme_file(FULL)},
                             clock=FakeClock("2027-08-09T08:00:00+00:00"))
    bot.assistant.flood = FloodControl(burst=10**9)
    await declare_fine(bot, 2)
    [card] = await bot.say(2, "/event required")
    await bot.tap(2, card.message_id, "Coming in person")
    [olle] = await bot.say(3, "/event required", first_name="Olle", language_code="sv")
    await bot.tap(3, olle.message_id, "Kommer på plats")
    bot.assistant.clock.set("2027-08-10T06:00:00+00:00")
    await bot.assistant.tick()
    bot.stub.fail_next(1, 500, methods=["sendMessage"])
    await bot.tap(2, card.message_id, "Can't come")
    await bot.stub.wait_until(lambda: bot.stub.calls("sendMessage")[-1].status == 500)
    bot.assistant.clock.set("2027-08-10T07:00:30+00:00")
    await bot.assistant.tick()
    await bot.outbox()
    news, ask, reminder = await bot.stub.wait_sent(3, 3)
    assert news.plain_text.startswith("Goda nyheter!")
    assert ask.plain_text.startswith("📋 Din plats på Tvådagarsträffen har ett villkor")
    assert ask.buttons == ["Fyll i hälsodeklaration"]
    assert reminder.plain_text.startswith("⏰ Påminnelse: Tvådagarsträffen börjar om 1 timme.")
    assert "⚠️ Hälsodeklaration saknas" in reminder.plain_text
    assert reminder.buttons == ["Inställningar för påminnelser"]
