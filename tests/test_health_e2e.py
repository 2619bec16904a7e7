"""End to end: the health declaration through the real PTB Application and the Bot API stub."""
from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from assistant.clock import FakeClock
from assistant.flood import FloodControl
from tests.test_health_gate import GATHERING
from tests.test_health_seats import counting_attendees
from tests.test_health_support import NOW, plugins, programme_file
from tests.test_health_waiting import FULL

ORGANISER = 1


async def start(telegram_bot, health: bool = True, env: dict[str, str] | None = None):
    """A bot with the programme and RSVP plugins on the test programme, and health."""
    bot = await telegram_bot(plugins(health=health), clock=FakeClock(NOW),
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": programme_file(), **(env or {})})
    bot.assistant.flood = FloodControl(burst=10**9)
    return bot


async def open_declaration_from_the_card(bot, user_id: int, lang: str):
    """The card, "Coming in person", then the card's "Fill in" button: the first question."""
    [card] = await bot.say(user_id, "/event hybrid", language_code=lang)
    label = "Coming in person" if lang == "en" else "Kommer på plats"
    [card] = await bot.tap(user_id, card.message_id, label)
    label = "Fill in health declaration" if lang == "en" else "Fyll i hälsodeklaration"
    [question] = await bot.tap(user_id, card.message_id, label)
    assert question.method == "sendMessage"
    return card, question


async def test_card_to_declaration_to_done_on_the_card(telegram_bot) -> None:
    bot = await start(telegram_bot)
    card, question = await open_declaration_from_the_card(bot, 20, "en")
    assert "Health declaration missing" in card.plain_text
    assert "not your answers" in question.plain_text
    assert "Question 1 of 3" in question.plain_text and question.buttons == ["Yes", "No"]
    for n in (2, 3):
        [question] = await bot.tap(20, question.message_id, "No")
        assert question.method == "editMessageText"
        assert f"Question {n} of 3" in question.plain_text
    [rules] = await bot.tap(20, question.message_id, "No")
    assert "skip handshakes and hugs" in rules.plain_text
    [done] = await bot.tap(20, rules.message_id, "I will follow these")
    assert done.method == "editMessageText" and done.message_id == question.message_id
    assert "Your health declaration is done" in done.plain_text and done.buttons == []
    [card] = await bot.say(20, "/event hybrid")
    assert "✅ Health declaration done" in card.plain_text
    assert "Fill in health declaration" not in card.buttons


async def test_yes_asks_to_stay_home_and_switches_to_online(telegram_bot, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    bot = await start(telegram_bot)
    _card, question = await open_declaration_from_the_card(bot, 21, "sv")
    assert "inte dina svar" in question.plain_text
    for label in ("Nej", "Ja"):
        [question] = await bot.tap(21, question.message_id, label)
    [home] = await bot.tap(21, question.message_id, "Nej")
    assert "Arrangörerna ber dig att stanna hemma den här gången" in home.plain_text
    assert "Kontakta arrangörerna: natverk@example.org" in home.plain_text
    assert home.buttons == ["Deltar online", "Kan inte komma"]
    [switched] = await bot.tap(21, home.message_id, "Deltar online")
    assert "Hybridmötet" in switched.plain_text.splitlines()[-1]
    assert switched.plain_text.endswith("Deltar online.")
    assert switched.buttons == []
    ctx = bot.assistant.context("health", bot.assistant.users.get(21))
    event = ctx.programme.event("hybrid")
    assert bot.assistant.hooks.attendance(ctx, event, 21).answer == "online"
    [card] = await bot.say(21, "/event hybrid")
    assert "hälsodeklaration" not in card.plain_text.lower()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "health:q:hybrid:1:*" in logged  # python-telegram-bot logged the press, redacted
    assert not re.search(r"health:q:[^:]*:\d+:(yes|no)", logged)


async def test_forged_answers_change_nothing_and_the_door_list_tells_status_only(telegram_bot):
    bot = await start(telegram_bot)
    _card, question = await open_declaration_from_the_card(bot, 22, "en")
    await bot.stub.press(22, question.message_id, "health:q:hybrid:2:no", check=False)
    await bot.stub.press(22, question.message_id, "health:rules:hybrid", check=False)
    await bot.stub.wait_until(lambda: sum(
        1 for r in bot.stub.sent if r.method == "answerCallbackQuery"
        and "no longer open" in str(r.params.get("text"))) == 2)
    [question] = await bot.tap(22, question.message_id, "Yes")
    assert "Question 2 of 3" in question.plain_text
    [listing] = await bot.say(ORGANISER, "/doorlist hybrid", language_code="en")
    text = listing.plain_text
    assert "1 person coming in person" in text and "⚠️ declaration not done" in text
    for label in ("No", "No"):
        [question] = await bot.tap(22, question.message_id, label)
    [listing] = await bot.say(ORGANISER, "/doorlist hybrid")
    assert "🏠 asked to stay at home" in listing.plain_text
    assert "fever" not in listing.plain_text and "Yes" not in listing.plain_text


async def test_a_disabled_plugin_is_absent_from_menus_help_and_cards(telegram_bot) -> None:
    bot = await start(telegram_bot, env={"MINGEL_DISABLED_PLUGINS": "health"})
    for lang in ("", "en", "sv"):
        names = {c["command"] for c in bot.stub.commands(lang)}
        assert "programme" in names and "health" not in names and "doorlist" not in names
    organiser = {c["command"] for c in bot.stub.commands(
        "", {"type": "chat", "chat_id": ORGANISER})}
    assert "doorlist" not in organiser
    [help_] = await bot.say(23, "/help", language_code="en")
    assert "health" not in help_.plain_text.lower()
    [card] = await bot.say(23, "/event hybrid")
    [card] = await bot.tap(23, card.message_id, "Coming in person")
    assert "health" not in card.plain_text.lower()
    assert card.buttons == ["✓ Coming in person", "Coming online", "Maybe", "Can't come"]


async def test_menus_offer_health_and_the_door_list_to_organisers(telegram_bot) -> None:
    bot = await start(telegram_bot)
    sv = {c["command"]: c["description"] for c in bot.stub.commands("sv")}
    assert sv["health"] == "Fyll i hälsodeklarationen inför en träff"
    assert "doorlist" not in sv
    organiser = {c["command"]: c["description"] for c in bot.stub.commands(
        "", {"type": "chat", "chat_id": ORGANISER})}
    assert organiser["doorlist"] == "Who comes in person, and whether they declared their health"


async def test_someone_on_the_waiting_list_is_told_there_is_nothing_to_declare_yet(
        telegram_bot) -> None:
    bot = await start(telegram_bot, env={"MINGEL_PROGRAMME": programme_file(FULL)})
    for user_id in (30, 31):
        [card] = await bot.say(user_id, "/event hybrid", language_code="sv")
        [card] = await bot.tap(user_id, card.message_id, "Kommer på plats")
    assert "Kommer på plats – väntelista, plats 1" in card.plain_text
    assert "Fyll i hälsodeklaration" not in card.buttons
    [told] = await bot.say(31, "/health hybrid")
    assert told.plain_text.startswith("Du står på väntelistan till Hybridmötet, plats 1, så du "
                                      "behöver inte fylla i hälsodeklarationen än.")
    assert told.buttons == []
    [picker] = await bot.say(31, "/health")
    assert not any("Hybridmötet" in label for label in picker.buttons)
    ctx = bot.assistant.context("health", bot.assistant.users.get(31))
    assert bot.assistant.hooks.user_data(ctx, 31).get("health") is None


async def test_coming_in_person_at_the_end_of_the_declaration_sends_the_calendar_file(
        telegram_bot) -> None:
    bot = await telegram_bot([*plugins(), "plugins.calendar"], clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": programme_file()})
    bot.assistant.flood = FloodControl(burst=10**9)
    [question] = await bot.say(32, "/health hybrid", language_code="sv")
    for _ in range(3):
        [question] = await bot.tap(32, question.message_id, "Nej")
    [done] = await bot.tap(32, question.message_id, "Jag följer reglerna")
    assert done.buttons == ["Kommer på plats"]
    edited, ics = await bot.tap(32, done.message_id, "Kommer på plats", count=2)
    assert {edited.method, ics.method} == {"editMessageText", "sendDocument"}
    if edited.method == "sendDocument":
        edited, ics = ics, edited
    assert edited.plain_text.endswith("Ditt svar på Hybridmötet är nu: Kommer på plats.")
    assert ics.document_name == "hybrid.ics" and b"STATUS:CONFIRMED" in ics.document_bytes


async def test_at_a_full_meeting_the_card_and_the_thanks_speak_of_the_waiting_list(
        telegram_bot) -> None:
    bot = await start(telegram_bot, env={"MINGEL_PROGRAMME": programme_file(FULL),
                                         "MINGEL_HEALTH_WINDOW": "10d"})
    [question] = await bot.say(40, "/health required", language_code="sv")
    assert "sparar jag bara om du får komma" in question.plain_text
    for _ in range(3):
        [question] = await bot.tap(40, question.message_id, "Nej")
    [done] = await bot.tap(40, question.message_id, "Jag följer reglerna")
    assert done.plain_text.endswith("Tryck på ”Kommer på plats” för att boka din plats.")
    await bot.tap(40, done.message_id, "Kommer på plats")
    [card] = await bot.say(41, "/event required", language_code="sv")
    assert ("Alla platser är dock tagna, och för att ställa dig på väntelistan behöver du ingen "
            "– du fyller i den när du har fått en plats.") in card.plain_text
    [question] = await bot.say(41, "/health required")
    for _ in range(3):
        [question] = await bot.tap(41, question.message_id, "Nej")
    [done] = await bot.tap(41, question.message_id, "Jag följer reglerna")
    assert done.plain_text.endswith(
        "✅ Tack! Din hälsodeklaration är klar. Just nu är alla platser tagna, så med ”Kommer på "
        "plats” hamnar du på väntelistan – jag säger till så fort du har fått en plats.")
    [waiting] = await bot.tap(41, done.message_id, "Kommer på plats")
    assert waiting.plain_text.endswith("Kommer på plats – väntelista, plats 1.")
    [unknown] = await bot.say(ORGANISER, "/doorlist nope", language_code="sv")
    assert unknown.plain_text == ("Jag hittar ingen träff med id:t nope. Skicka /programme för "
                                  "att se träffarna.")


async def test_the_door_list_of_a_gathering_goes_day_by_day(telegram_bot) -> None:
    """In the real bot: each day lists who chose it; an online meeting has no door list."""
    bot = await start(telegram_bot, env={"MINGEL_PROGRAMME": programme_file(GATHERING)})
    [card] = await bot.say(40, "/event days", first_name="Anna", language_code="en")
    [card] = await bot.tap(40, card.message_id, "Coming in person")
    [card] = await bot.tap(40, card.message_id, "☑ Thu 5 Aug")
    assert "Your days: Fri 6 Aug" in card.plain_text
    [card] = await bot.say(41, "/event days", first_name="Bo", language_code="en")
    await bot.tap(41, card.message_id, "Coming in person")
    [listing] = await bot.say(ORGANISER, "/doorlist days", language_code="en")
    assert listing.plain_text.endswith("Thursday 5 August – 1 person\n"
                                       "1. Bo – ⚠️ declaration not done\n\n"
                                       "Friday 6 August – 2 people\n"
                                       "1. Anna – ⚠️ declaration not done\n"
                                       "2. Bo – ⚠️ declaration not done")
    assert "<b>Thursday 5 August</b>" in listing.text
    [online] = await bot.say(ORGANISER, "/doorlist webinar")
    assert online.plain_text.endswith("This meeting is online only, so it has no door list.")


async def test_a_full_card_asks_the_seat_count_and_a_past_card_promises_no_link(
        telegram_bot) -> None:
    """The card's "Every seat is taken" comes from RSVP's seat count, not from every answer
    (review 27, H2), and once the hybrid meeting is over its card neither invites anyone to
    take part nor promises the link (L2)."""
    probe, clock = counting_attendees(), FakeClock(NOW)
    bot = await telegram_bot([*plugins(), probe], clock=clock,
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": programme_file(FULL),
                                  "MINGEL_HEALTH_WINDOW": "10d"})
    bot.assistant.flood = FloodControl(burst=10**9)
    [question] = await bot.say(40, "/health required", language_code="en")
    for _ in range(3):
        [question] = await bot.tap(40, question.message_id, "No")
    [done] = await bot.tap(40, question.message_id, "I will follow these")
    await bot.tap(40, done.message_id, "Coming in person")
    probe.calls = 0
    [card] = await bot.say(41, "/event required", language_code="en")
    assert ("Coming in person requires a health declaration first. Every seat is taken, "
            "though, and the waiting list needs none: you fill it in when a seat is yours.") \
        in card.plain_text.splitlines()
    assert probe.calls == 0
    [card] = await bot.say(41, "/event hybrid")
    assert "Come in person or take part online." in card.plain_text.splitlines()
    clock.set(datetime(2027, 8, 3, 10, 31, tzinfo=UTC))
    [card] = await bot.say(41, "/event hybrid")
    lines = card.plain_text.splitlines()
    assert lines[0] == "⌛ This meeting is over." and "💻 Online via Zoom" in lines
    assert "Come in person or take part online." not in lines
    assert "link" not in card.plain_text


async def test_a_gathering_full_on_one_day_takes_an_undeclared_answer_onto_its_waiting_list(
        telegram_bot) -> None:
    """The one seat is Anna's on Tuesday, Wednesday's is free: Bo's answer covers both days,
    so it can only wait, and the waiting list needs no declaration (docs/health.md): he is
    put on it, not sent to fill one in first."""
    bot = await start(telegram_bot, env={"MINGEL_PROGRAMME": programme_file(FULL),
                                         "MINGEL_HEALTH_WINDOW": "10d"})
    [question] = await bot.say(40, "/health required", language_code="en")
    for _ in range(3):
        [question] = await bot.tap(40, question.message_id, "No")
    [done] = await bot.tap(40, question.message_id, "I will follow these")
    await bot.tap(40, done.message_id, "Coming in person")
    [card] = await bot.say(40, "/event required")
    [card] = await bot.tap(40, card.message_id, "☑ Wed 11 Aug")
    assert "Your days: Tue 10 Aug" in card.plain_text
    [card] = await bot.say(41, "/event required", language_code="en")
    [card] = await bot.tap(41, card.message_id, "Coming in person")
    assert ("Your answer: Coming in person – waiting list, place 1 · Tue 10 Aug: fully booked, "
            "Wed 11 Aug: 1 of 1 seat left") in card.plain_text.splitlines(), card.plain_text


async def test_forget_in_the_middle_of_a_declaration_forgets_the_answers_given_so_far(
        telegram_bot) -> None:
    """A "Yes" given before /forget is not kept in memory for the rest of that declaration:
    its next question no longer takes an answer, and nothing is recorded from it."""
    bot = await telegram_bot([*plugins(), "plugins.privacy"], clock=FakeClock(NOW),
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": programme_file()})
    bot.assistant.flood = FloodControl(burst=10**9)
    _card, question = await open_declaration_from_the_card(bot, 23, "en")
    [question] = await bot.tap(23, question.message_id, "Yes")
    assert "Question 2 of 3" in question.plain_text
    [prompt] = await bot.say(23, "/forget")
    [done] = await bot.tap(23, prompt.message_id, "Yes, delete everything")
    assert "I have deleted everything" in done.plain_text
    [data] = [b["callback_data"] for row in question.params["reply_markup"]["inline_keyboard"]
              for b in row if b["text"] == "No"]
    query = await bot.stub.press(23, question.message_id, data, check=False)
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert "no longer open" in str(bot.stub.callback_answer(query)["text"])
    query = await bot.stub.press(23, question.message_id, data.replace(":1:", ":2:"),
                                 check=False)
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    assert "no longer open" in str(bot.stub.callback_answer(query)["text"])
    assert bot.assistant.store.table("health_outcomes").count() == 0


async def test_the_door_list_names_the_seat_holders_not_the_waiting_list(telegram_bot) -> None:
    """The one seat of the hybrid meeting is Anna's; Bo waits for it and is not let in at the
    door, so the door list has Anna alone."""
    bot = await start(telegram_bot, env={"MINGEL_PROGRAMME": programme_file(FULL)})
    for user_id, name in ((40, "Anna"), (41, "Bo")):
        [card] = await bot.say(user_id, "/event hybrid", first_name=name, language_code="en")
        [card] = await bot.tap(user_id, card.message_id, "Coming in person")
    assert "waiting list, place 1" in card.plain_text
    [listing] = await bot.say(ORGANISER, "/doorlist hybrid", language_code="en")
    assert "1 person coming in person" in listing.plain_text.splitlines()
    assert listing.plain_text.endswith("\n1. Anna – ⚠️ declaration not done"), listing.plain_text
    assert "Bo" not in listing.plain_text
