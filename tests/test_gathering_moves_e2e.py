"""End to end: places at a gathering that moves, and the notices about them, through the real
PTB Application against the Bot API stub."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_gathering_moves import ANNA, BEN, CLEO, GATHERING, LONGER
from tests.test_rsvp_support import NOW, ORGANISER, ProgrammeStub, plugins


async def start(telegram_bot):
    programme, clock = ProgrammeStub(GATHERING), FakeClock(NOW)
    bot = await telegram_bot(plugins(programme), clock=clock,
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_CHANGE_DELAY": "2m"})
    return bot, programme, clock


async def come(bot, user: int, untick: str | None = None, event_id: str = "days",
               label: str = "Coming in person") -> list:
    """Answer on the card (the reply brings the calendar file unless it waits), and untick a
    day; returns what the last tap brought."""
    [card] = await bot.say(user, f"/rsvp {event_id}", language_code="en")
    found = await bot.tap(user, card.message_id, label)
    if untick:
        found = await bot.tap(user, card.message_id, untick)
    await bot.outbox()
    return found


def toasts(bot) -> list[str]:
    return [c.params.get("text") for c in bot.stub.calls("answerCallbackQuery")]


async def test_a_seat_from_ones_days_is_said_and_a_move_keeps_it(telegram_bot) -> None:
    bot, programme, clock = await start(telegram_bot)
    await come(bot, ANNA, "☑ Thu 25 Nov")
    await come(bot, BEN)
    [card] = await bot.say(CLEO, "/rsvp days", language_code="en")
    [waiting] = await bot.tap(CLEO, card.message_id, "Coming in person")
    assert "waiting list, place 1" in waiting.plain_text
    edited, seated, ics = await bot.tap(CLEO, card.message_id, "☑ Wed 24 Nov", count=3)
    assert "You have a seat now (Thu 25 Nov)." in toasts(bot)
    assert seated.plain_text == "You have a seat at Autumn days now, for Thu 25 Nov."
    assert "Your answer: Coming in person ·" in edited.plain_text
    assert ics.document_name == "days.ics"

    await bot.outbox()
    told = len(bot.stub.messages_to(CLEO))
    await programme.change(bot.assistant, LONGER)
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()
    news = bot.stub.messages_to(CLEO)[told:]
    assert [m.method for m in news] == ["sendMessage", "sendDocument"]
    assert news[0].plain_text.startswith("✏️ Changes to Autumn days")
    assert "waiting list" not in news[0].plain_text
    anna = bot.stub.messages_to(ANNA)[-2]
    assert "For now I've put you down for Fri 26 Nov: please choose your days" in anna.plain_text


async def test_promotions_name_the_days_chosen_and_an_online_place(telegram_bot) -> None:
    bot, _programme, _clock = await start(telegram_bot)
    await come(bot, ANNA)
    await come(bot, CLEO)
    await come(bot, BEN, "☑ Wed 24 Nov")
    await come(bot, ANNA, label="Can't come")
    note, ics = await bot.stub.wait_sent(BEN, 2)
    assert note.plain_text == ("Good news! A place has opened up at Autumn days and it's yours "
                               "for Thu 25 Nov. Your answer: Coming in person.")
    assert ics.document_name == "days.ics"

    await come(bot, ANNA, event_id="web", label="Coming online")
    await come(bot, CLEO, event_id="web", label="Coming online")
    await come(bot, ANNA, event_id="web", label="Can't come")
    note, _ics = await bot.stub.wait_sent(CLEO, 2)
    assert note.plain_text.startswith("Good news! An online place has opened up at Web meeting")


async def test_a_move_and_a_move_back_change_no_seat_and_say_nothing(telegram_bot) -> None:
    """One seat, Anna on Wed and Cleo on Thu: a move of a week fixed 30 seconds later leaves
    both their seats and days as they were, and nobody is told anything."""
    bot, programme, clock = await start(telegram_bot)
    one = GATHERING.replace("capacity: 2", "capacity: 1")
    await programme.change(bot.assistant, one)
    await come(bot, ANNA, "☑ Thu 25 Nov")
    [card] = await bot.say(CLEO, "/rsvp days", language_code="en")
    await bot.tap(CLEO, card.message_id, "Coming in person")
    await bot.tap(CLEO, card.message_id, "☑ Wed 24 Nov", count=3)
    await bot.outbox()
    told = {user: len(bot.stub.messages_to(user)) for user in (ANNA, CLEO)}
    await programme.change(bot.assistant, one.replace("2027-11-24 10:00", "2027-12-01 10:00")
                           .replace("2027-11-25 15:00", "2027-12-02 15:00"))
    clock.advance(seconds=30)
    await bot.assistant.tick()
    await programme.change(bot.assistant, one)
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()
    assert {user: bot.stub.messages_to(user)[told[user]:] for user in (ANNA, CLEO)} == \
        {ANNA: [], CLEO: []}
    for user, day in ((ANNA, "Wed 24 Nov"), (CLEO, "Thu 25 Nov")):
        [card] = await bot.say(user, "/rsvp days", language_code="en")
        assert f"Your days: {day}\n" in card.plain_text + "\n"
        assert "waiting" not in card.plain_text
