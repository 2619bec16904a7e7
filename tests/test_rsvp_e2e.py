"""End to end: RSVP flows through the real PTB Application against the Bot API stub."""
from __future__ import annotations

import csv
import io

from assistant.clock import FakeClock
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME, ProgrammeStub, plugins

ENV = {"MINGEL_ORGANISERS": str(ORGANISER)}


async def start(telegram_bot, programme=None):
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(programme), env=ENV, clock=clock)
    return bot, clock


def holders(bot, event_id):
    """(user, waiting) of everyone coming in person, earliest first."""
    event = bot.assistant.hooks.programme().event(event_id)
    ctx = bot.assistant.context("assistant")
    return [(a.user_id, a.waiting) for a in bot.assistant.hooks.attendees(ctx, event)
            if a.answer == "in_person"]


async def test_answer_on_the_card_edits_it_in_place_and_sends_the_calendar_file(
        telegram_bot) -> None:
    bot, _clock = await start(telegram_bot)
    [card] = await bot.say(2, "/rsvp hybrid", first_name="Emma", language_code="en")
    assert card.buttons == ["Coming in person", "Coming online", "Maybe", "Can't come"]
    edited, ics = await bot.tap(2, card.message_id, "Coming in person", count=2)
    assert edited.method == "editMessageText" and edited.message_id == card.message_id
    assert "Your answer: Coming in person · 1 of 2 seats left" in edited.plain_text
    assert edited.buttons[0] == "✓ Coming in person"
    assert ics.method == "sendDocument" and ics.document_name == "hybrid.ics"
    assert b"X-REASON:confirmed" in ics.document_bytes
    [answer] = bot.stub.calls("answerCallbackQuery")
    assert answer.params.get("text") == "Saved: Coming in person"

    [changed] = await bot.tap(2, card.message_id, "Maybe")
    assert "Your answer: Maybe · 2 of 2 seats left" in changed.plain_text

    [sv] = await bot.say(3, "/rsvp hybrid", first_name="Olle", language_code="sv")
    assert sv.buttons == ["Kommer på plats", "Deltar online", "Kanske", "Kan inte komma"]


async def test_two_taps_for_the_last_seat_one_gets_it_the_other_waits_then_moves_up_once(
        telegram_bot) -> None:
    bot, _clock = await start(telegram_bot)
    [emma] = await bot.say(2, "/rsvp small", language_code="en")
    [olle] = await bot.say(3, "/rsvp small", language_code="en")
    start_at = len(bot.stub.sent)
    await bot.stub.press_button(2, emma.message_id, "Coming in person")
    await bot.stub.press_button(3, olle.message_id, "Coming in person")
    [first] = await bot.reaction(2, start_at)
    [second] = await bot.reaction(3, start_at)
    assert sorted(waiting for _, waiting in holders(bot, "small")) == [False, True]
    seated = next(user for user, waiting in holders(bot, "small") if not waiting)
    waiter = 5 - seated
    cards = {2: first, 3: second}
    assert "waiting list, place 1" in cards[waiter].plain_text
    assert "waiting list" not in cards[seated].plain_text

    [seated_card] = [c for u, c in cards.items() if u == seated]
    await bot.tap(seated, seated_card.message_id, "Can't come")
    note, ics = await bot.stub.wait_sent(waiter, 2)
    assert note.plain_text.startswith("Good news! A place has opened up at Small meeting")
    assert ics.document_name == "small.ics" and b"X-REASON:promoted" in ics.document_bytes
    await bot.outbox()
    assert len([m for m in bot.stub.messages_to(waiter) if m.method == "sendMessage"
                and m.plain_text.startswith("Good news!")]) == 1
    assert holders(bot, "small") == [(waiter, False)]


async def test_programme_edits_reach_those_coming_as_one_message(telegram_bot) -> None:
    programme = ProgrammeStub()
    bot, clock = await start(telegram_bot, programme)
    [emma] = await bot.say(2, "/rsvp hybrid", language_code="en")
    await bot.tap(2, emma.message_id, "Coming online", count=2)
    [olle] = await bot.say(3, "/rsvp hybrid", language_code="sv")
    await bot.tap(3, olle.message_id, "Kan inte komma")
    later = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00")
    await programme.change(bot.assistant, later)
    clock.advance(minutes=1)
    await programme.change(bot.assistant, later.replace("speakers: [Roger Mörtvik]",
                                                        "speakers: [Eva Nordmark]"))
    clock.advance(minutes=3)
    before = len(bot.stub.messages_to(2))
    await bot.assistant.tick()
    note, ics = await bot.stub.wait_sent(2, 2, since=before)
    assert note.plain_text.splitlines()[1:] == ["Time changed: 09:30–12:30 → 10:00–12:30",
                                                "Speakers changed: Roger Mörtvik → Eva Nordmark"]
    assert b"X-REASON:changed" in ics.document_bytes
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()
    assert len(bot.stub.messages_to(2)) == 4
    assert len(bot.stub.messages_to(3)) == 1


async def test_capacity_drop_moves_the_latest_to_the_waiting_list(telegram_bot) -> None:
    programme = ProgrammeStub()
    bot, _clock = await start(telegram_bot, programme)
    for user in (2, 3):
        [card] = await bot.say(user, "/rsvp hybrid", language_code="en")
        await bot.tap(user, card.message_id, "Coming in person", count=2)
    before = len(bot.stub.messages_to(3))
    await programme.change(bot.assistant, PROGRAMME.replace("capacity: 2", "capacity: 1"))
    [note] = await bot.stub.wait_sent(3, since=before)
    assert "you're on the waiting list, place 1" in note.plain_text
    assert holders(bot, "hybrid") == [(2, False), (3, True)]


async def test_attendees_lists_counts_and_sends_the_csv(telegram_bot) -> None:
    bot, _clock = await start(telegram_bot)
    [card] = await bot.say(2, "/rsvp hybrid", first_name="Emma", username="emmab",
                           language_code="en")
    await bot.tap(2, card.message_id, "Coming in person", count=2)
    summary, export = await bot.say(ORGANISER, "/attendees hybrid", count=2, language_code="en")
    assert "In person: 1 · Online: 0 · Maybe: 0 · Waiting list: 0 · Can't come: 0" in \
        summary.plain_text
    assert "Emma (@emmab)" in summary.plain_text
    assert export.document_name == "attendees-hybrid.csv"
    table = list(csv.reader(io.StringIO(export.document_bytes.decode("utf-8-sig"))))
    assert table[1][:4] == ["Emma", "emmab", "coming", "in person"]
    [refused] = await bot.say(2, "/attendees hybrid")
    assert "only organisers" in refused.plain_text


async def test_a_card_edit_told_to_wait_waits_once_then_is_left_undone(
        telegram_bot) -> None:
    """429 on an edit: the pacer holds for retry_after and the edit is tried once more; after
    a second 429 the card stays as it was (no second copy of it), the answer is saved and
    the button's notice says so."""
    bot, _clock = await start(telegram_bot)
    [card] = await bot.say(2, "/rsvp hybrid", first_name="Emma", language_code="en")
    bot.stub.fail_next(1, 429, methods=["editMessageText"])
    edited, _ics = await bot.tap(2, card.message_id, "Coming in person", count=2, timeout=8)
    assert edited.method == "editMessageText" and "✓ Coming in person" in edited.buttons
    assert [c.status for c in bot.stub.calls("editMessageText")] == [429, 200]

    bot.stub.fail_next(2, 429, methods=["editMessageText"])
    before = len(bot.stub.sent)
    query = await bot.stub.press_button(2, card.message_id, "Maybe")
    await bot.stub.wait_until(lambda: [c.status for c in bot.stub.calls("editMessageText")]
                              == [429, 200, 429, 429], 8)
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None, 8)
    assert bot.stub.callback_answer(query)["text"] == "Saved: Maybe"
    await bot.outbox()
    assert [r.method for r in bot.stub.sent[before:] if r.chat_id == 2] == [
        "answerCallbackQuery"]
    assert [a for a in holders(bot, "hybrid") if a[0] == 2] == []


async def test_my_lists_a_meeting_one_can_not_come_to_and_its_button_opens_the_card(
        telegram_bot) -> None:
    bot, _clock = await start(telegram_bot)
    [empty] = await bot.say(2, "/my", language_code="en")
    assert empty.plain_text.startswith("You haven't answered any upcoming meeting yet.")
    [card] = await bot.say(2, "/rsvp small", language_code="en")
    await bot.tap(2, card.message_id, "Can't come")
    [mine] = await bot.say(2, "/my")
    assert mine.plain_text.splitlines() == [
        "Your meetings", "", "You said you can't come to these. Tap one if you change your mind:",
        "• Tue 21 Sept 09:30 – Small meeting"]
    assert mine.buttons == ["Tue 21 Sept 09:30 · Small meeting"]
    [shown] = await bot.tap(2, mine.message_id, "Tue 21 Sept 09:30 · Small meeting")
    assert "✓ Can't come" in shown.buttons


async def test_my_puts_a_cancelled_meeting_apart_from_those_one_can_not_come_to(
        telegram_bot) -> None:
    programme = ProgrammeStub()
    bot, _clock = await start(telegram_bot, programme)
    [card] = await bot.say(2, "/rsvp small", language_code="en")
    await bot.tap(2, card.message_id, "Can't come")
    [card] = await bot.say(2, "/rsvp web")
    await bot.tap(2, card.message_id, "Can't come")
    await programme.change(bot.assistant, PROGRAMME.replace(
        "    capacity: 1\n", "    capacity: 1\n    cancelled: true\n", 1))
    [mine] = await bot.say(2, "/my")
    assert mine.plain_text.splitlines() == [
        "Your meetings", "", "You said you can't come to these. Tap one if you change your mind:",
        "• Fri 20 Aug 10:00 – Webinar", "",
        "This meeting you answered is cancelled:", "• Tue 21 Sept 09:30 – Small meeting", "",
        "Times are given in Sweden Time."]
    assert mine.buttons == ["Fri 20 Aug 10:00 · Webinar"]


async def test_rsvp_alone_offers_a_picker_and_a_capitalised_id_finds_the_meeting(
        telegram_bot) -> None:
    """Through the real bot: /rsvp without an id lists the meetings as buttons, a tap sends
    the card, and "/rsvp Hybrid" (a phone's capital) is the meeting hybrid."""
    bot, _clock = await start(telegram_bot)
    [picker] = await bot.say(2, "/rsvp", first_name="Emma", language_code="en")
    assert picker.plain_text == "Which meeting would you like to answer?"
    assert "Tue 21 Sept 09:30 · Small meeting" in picker.buttons
    [card] = await bot.tap(2, picker.message_id, "Tue 21 Sept 09:30 · Small meeting")
    assert card.method == "sendMessage" and "Small meeting" in card.plain_text
    assert card.buttons == ["Coming in person", "Maybe", "Can't come"]
    [capital] = await bot.say(2, "/rsvp Hybrid")
    assert capital.buttons == ["Coming in person", "Coming online", "Maybe", "Can't come"]
    await bot.tap(2, capital.message_id, "Coming in person", count=2)
    assert holders(bot, "hybrid") == [(2, False)]
