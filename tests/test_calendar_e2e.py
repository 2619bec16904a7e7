"""End to end: calendar files through the real PTB Application and the Bot API stub."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_calendar import NOW, PROGRAMME, World, events_of, validate

PLUGINS = ["plugins.basics", "plugins.calendar"]


async def start(telegram_bot, world: World):
    return await telegram_bot([PLUGINS[0], world, PLUGINS[1]], clock=FakeClock(NOW))


async def test_calendar_id_sends_the_meetings_file(telegram_bot) -> None:
    bot = await start(telegram_bot, World())
    [sent] = await bot.say(4711123, "/calendar nov", language_code="sv")
    assert (sent.method, sent.document_name) == ("sendDocument", "nov.ics")
    assert sent.caption == "Öppna filen för att lägga in träffen i din kalender."
    cal = validate(sent.document_bytes)
    event = events_of(cal)["nov"]
    assert event["SUMMARY"] == "Arbete med arbetsmiljön"
    assert event["LOCATION"] == "F7, Fleminggatan 7, Stockholm"
    assert b"4711123" not in sent.document_bytes


async def test_a_file_for_someone_not_coming_online_promises_no_link(telegram_bot) -> None:
    """Someone who hasn't answered reads that the private link comes if they're coming
    online, as the card says, not that it is sent to them."""
    bot = await start(telegram_bot, World())
    [sent] = await bot.say(4711124, "/calendar oct", language_code="en")
    description = str(events_of(validate(sent.document_bytes))["oct"]["DESCRIPTION"])
    assert ("Join online (Zoom): if you're coming online, the link is sent to you in the chat "
            "shortly before the meeting.") in description
    [sv] = await bot.say(4711125, "/calendar oct", language_code="sv")
    assert ("Delta online (Zoom): deltar du online skickas länken till dig i chatten strax före "
            "träffen.") in str(events_of(validate(sv.document_bytes))["oct"]["DESCRIPTION"])


async def test_the_same_file_is_uploaded_once_and_then_sent_by_its_file_id(telegram_bot) -> None:
    """Everyone asking for a meeting's file gets the same bytes; Telegram stores them once."""
    bot = await start(telegram_bot, World())
    sent = [(await bot.say(user, "/calendar nov", language_code="sv"))[0] for user in (61, 62, 63)]
    assert [r.document_name for r in sent] == ["nov.ics"] * 3
    assert len({r.document_bytes for r in sent}) == 1
    assert len({r.params["document"] for r in sent}) == 1
    assert [f.file_name for f in bot.stub.files.values()].count("nov.ics") == 1
    bot.stub.files.clear()
    [again] = await bot.say(64, "/calendar nov", language_code="sv")
    assert again.document_bytes == sent[0].document_bytes
    assert again.params["document"] != sent[0].params["document"]


async def test_calendar_alone_bundles_my_meetings_or_points_to_the_programme(telegram_bot) -> None:
    world = World()
    bot = await start(telegram_bot, world)
    [none] = await bot.say(51, "/calendar", language_code="en")
    assert none.method == "sendMessage" and "/programme" in none.plain_text
    world.answer("oct", 51, "in_person")
    world.answer("web", 51, "maybe")
    [sent] = await bot.say(51, "/calendar")
    assert (sent.method, sent.document_name) == ("sendDocument", "meetings.ics")
    assert sorted(events_of(validate(sent.document_bytes))) == ["oct", "web"]


async def test_calendar_alone_sends_the_file_and_names_the_meeting_still_waited_for(
        telegram_bot) -> None:
    world = World()
    world.answer("oct", 57, "in_person")
    world.answer("nov", 57, "in_person", waiting=True)
    bot = await start(telegram_bot, world)
    file, note = await bot.say(57, "/calendar", count=2, language_code="sv")
    assert (file.method, file.document_name) == ("sendDocument", "oct.ics")
    assert note.method == "sendMessage"
    assert note.plain_text.startswith("Du står på väntelistan till Arbete med arbetsmiljön "
                                      "(tis 2 nov. 09:30), så den finns inte i din kalender "
                                      "än")


async def test_the_waiting_note_names_two_meetings_of_a_day_by_their_start_times(
        telegram_bot) -> None:
    """Two meetings on 10 November, in English through Telegram: told apart by the time."""
    world = World()
    world.answer("days", 58, "in_person", waiting=True)
    world.answer("party", 58, "in_person", waiting=True)
    bot = await start(telegram_bot, world)
    [note] = await bot.say(58, "/calendar", language_code="en")
    assert note.plain_text.splitlines()[1:] == ["• Wed 10 Nov 10:00 · Labour-market days",
                                                "• Wed 10 Nov 19:00 · Networking party"]


async def test_unknown_and_hidden_ids_get_a_friendly_answer(telegram_bot) -> None:
    bot = await start(telegram_bot, World())
    for event_id in ("secret", "no-such-meeting", "<i>"):
        [reply] = await bot.say(52, f"/calendar {event_id}", language_code="en")
        assert reply.method == "sendMessage"
        assert reply.plain_text == (f"I can't find a meeting with the id {event_id}. "
                                    "Send /programme to see the meetings.")


async def test_card_button_sends_the_file_and_forged_ones_are_refused(telegram_bot) -> None:
    world = World()
    world.answer("oct", 53, "online")
    bot = await start(telegram_bot, world)
    [card] = await bot.say(53, "/card oct", language_code="en")
    assert card.buttons == ["📅 Add to calendar"]
    [sent] = await bot.tap(53, card.message_id, "📅 Add to calendar")
    assert (sent.method, sent.document_name) == ("sendDocument", "oct.ics")
    validate(sent.document_bytes)

    start_at = len(bot.stub.sent)
    await bot.stub.press(53, card.message_id, "calendar:add:secret", check=False)
    await bot.stub.wait_until(lambda: any(r.method == "answerCallbackQuery"
                                          for r in bot.stub.sent[start_at:]), 5)
    [said] = await bot.reaction(53, start_at)
    assert said.plain_text == ("I can't find a meeting with the id secret. Send /programme to "
                               "see the meetings.")  # a message, where /programme is a tap away
    answers = [r for r in bot.stub.sent[start_at:] if r.method == "answerCallbackQuery"]
    assert [r.text for r in answers] == [None]  # and not a notice as well


async def test_files_attached_to_messages_for_others_are_in_their_language(telegram_bot) -> None:
    world = World()
    world.answer("nov", 54, "in_person")
    world.answer("nov", 56, "in_person", waiting=True)
    bot = await start(telegram_bot, world)
    await bot.say(54, "/help", language_code="sv")
    await bot.say(56, "/help", language_code="sv")
    await bot.say(55, "/notify nov 56 changed", language_code="en")
    await bot.say(55, "/notify nov 54 changed", language_code="en")
    await bot.outbox()
    [changed] = await bot.stub.wait_sent(54)
    assert not [r for r in bot.stub.sent if r.chat_id == 56 and r.method == "sendDocument"]
    assert (changed.method, changed.document_name) == ("sendDocument", "nov.ics")
    cal = validate(changed.document_bytes)
    assert (cal["METHOD"], events_of(cal)["nov"]["SUMMARY"]) == ("PUBLISH",
                                                                 "Arbete med arbetsmiljön")
    await bot.say(55, "/notify nov 54 cancelled")
    await bot.outbox()
    [cancelled] = await bot.stub.wait_sent(54)
    cal = validate(cancelled.document_bytes)
    assert cal["METHOD"] == "CANCEL"
    assert events_of(cal)["nov"]["SEQUENCE"] > 0
    assert cancelled.caption == "Öppna filen för att ta bort träffen från din kalender."


async def test_with_the_real_plugins_coming_brings_the_file(telegram_bot, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    bot = await telegram_bot(["plugins.basics", "plugins.programme", "plugins.rsvp",
                              "plugins.calendar"], env={"MINGEL_PROGRAMME": str(path)},
                             clock=FakeClock(NOW))
    [card] = await bot.say(56, "/event oct", language_code="en")
    start_at = len(bot.stub.sent)
    await bot.stub.press_button(56, card.message_id, "Coming in person")
    await bot.stub.wait_until(lambda: any(r.method == "sendDocument"
                                          for r in bot.stub.sent[start_at:]), 5)
    [sent] = [r for r in bot.stub.sent[start_at:] if r.method == "sendDocument"]
    assert (sent.chat_id, sent.document_name) == (56, "oct.ics")
    assert events_of(validate(sent.document_bytes))["oct"]["SUMMARY"] == "Flexicurity in Denmark"
    [card] = await bot.say(56, "/event oct")
    assert "📅 Add to calendar" in card.buttons
