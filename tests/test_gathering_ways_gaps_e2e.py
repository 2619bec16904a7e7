"""End to end through the real PTB Application and the Bot API stub: Eva in person on day one
of a hybrid conference and online on day two, where the first version left gaps (made in
person only, her answer's own button, fewer online places, both ways waiting in the CSV)."""
from __future__ import annotations

import csv
import io

from tests.e2e_reload import organised, reload
from tests.test_gathering_ways import ANN, EVA, ORG, PROGRAMME, SVEN
from tests.test_gathering_ways_gaps import ONLINE


async def split(bot, user: int, lang: str = "en", way: str = "💻 Sun 28 Nov online instead"):
    """The user answers in person on the card and follows one day online; the card."""
    [card] = await bot.say(user, "/rsvp konf", language_code=lang, first_name=f"U{user}")
    await bot.tap(user, card.message_id, "Coming in person" if lang == "en"
                  else "Kommer på plats", count=2)
    await bot.tap(user, card.message_id, way, count=2)
    return card


async def toast(bot, user: int, message_id: int, label: str) -> str:
    """The notice a press gets (the button's own answer)."""
    query = await bot.stub.press_button(user, message_id, label)
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query) is not None)
    return bot.stub.callback_answer(query)["text"]


async def test_made_in_person_only_eva_is_told_her_online_day_left(telegram_bot,
                                                                    tmp_path) -> None:
    source = PROGRAMME.replace("CAP", "40")
    bot, path, clock = await organised(telegram_bot, tmp_path, source)
    await split(bot, EVA)
    await split(bot, SVEN, "sv", "💻 lör 27 nov. online i stället")
    await bot.outbox()
    told = {user: len(bot.stub.messages_to(user)) for user in (EVA, SVEN)}
    preview = await reload(bot, path, source.replace(ONLINE, ""))
    assert ("2 people who follow some days online keep only the days they come in person: "
            "they're told, and can choose the others again to come in person."
            in preview.plain_text)
    assert "2 participants of the changed meetings will be told." in preview.plain_text
    await bot.tap(ORG, preview.message_id, "✅ Confirm")
    clock.advance(minutes=3)
    await bot.assistant.tick()
    await bot.outbox()
    eva = "\n".join(m.plain_text or "" for m in bot.stub.messages_to(EVA)[told[EVA]:])
    assert "Taking part online is no longer possible." in eva
    assert ("Your online day Sun 28 Nov is no longer part of your answer; choose it again on "
            "the meeting's card (/rsvp konf) to come in person.") in eva
    sven = "\n".join(m.plain_text or "" for m in bot.stub.messages_to(SVEN)[told[SVEN]:])
    assert "Din onlinedag lör 27 nov. är inte längre en del av ditt svar" in sven
    [card] = await bot.say(EVA, "/rsvp konf")
    assert "Your days: Sat 27 Nov" in card.plain_text
    assert "☐ Sun 28 Nov" in card.buttons  # the day to choose again, in person


async def test_coming_in_person_or_online_on_every_day(telegram_bot, tmp_path) -> None:
    bot, _path, _clock = await organised(telegram_bot, tmp_path, PROGRAMME.replace("CAP", "1"))
    card = await split(bot, EVA)
    [ann] = await bot.say(ANN, "/rsvp konf", language_code="en", first_name="Ann")
    await bot.tap(ANN, ann.message_id, "Coming online", count=2)
    await bot.tap(ANN, ann.message_id, "🪑 Sun 28 Nov in person instead", count=2)
    said = await toast(bot, EVA, card.message_id, "✓ Coming in person")
    assert said == ("There are no seats left on Sun 28 Nov: nothing changed, you still follow "
                    "that day online.")
    await bot.tap(ANN, ann.message_id, "Can't come", count=2)  # Sunday's seat is free again
    start = len(bot.stub.sent)
    said = await toast(bot, EVA, card.message_id, "✓ Coming in person")
    assert said == "Saved: Coming in person on all your days (Sat 27 Nov, Sun 28 Nov)"
    edited, ics = await bot.reaction(EVA, start, 2)
    assert "Your answer: Coming in person ·" in edited.plain_text
    assert ics.document_name == "konf.ics"
    await bot.tap(EVA, card.message_id, "💻 Sat 27 Nov online instead", count=2)
    said = await toast(bot, EVA, card.message_id, "Coming online")
    assert said == "Saved: Coming online on all your days (Sat 27 Nov, Sun 28 Nov)"


async def test_fewer_online_places_the_preview_the_notice_the_card_and_my(telegram_bot,
                                                                          tmp_path) -> None:
    source = PROGRAMME.replace("CAP", "40") + "    online_capacity: 2\n"
    bot, path, _clock = await organised(telegram_bot, tmp_path, source)
    [ann] = await bot.say(ANN, "/rsvp konf", language_code="en", first_name="Ann")
    await bot.tap(ANN, ann.message_id, "Coming online", count=2)
    await split(bot, EVA)
    await bot.outbox()
    told = len(bot.stub.messages_to(EVA))
    preview = await reload(bot, path, source.replace("online_capacity: 2", "online_capacity: 1"))
    assert ("👥 1 person loses their online place and goes on the waiting list."
            in preview.plain_text)
    assert "1 participant of the changed meetings will be told." in preview.plain_text
    await bot.tap(ORG, preview.message_id, "✅ Confirm")
    await bot.outbox()
    news = bot.stub.messages_to(EVA)[told:]
    assert [m.method for m in news] == ["sendMessage", "sendDocument"]
    assert ("You're on the online waiting list for Sun 28 Nov, place 1; your seat on Sat 27 Nov "
            "is still yours.") in news[0].plain_text
    state = "Coming in person (Sat 27 Nov), Coming online – waiting list, place 1 (Sun 28 Nov)"
    [card] = await bot.say(EVA, "/rsvp konf")
    assert f"Your answer: {state}" in card.plain_text
    [mine] = await bot.say(EVA, "/my")
    assert f"The conference: {state}" in mine.plain_text


async def test_the_csv_shows_both_ways_waiting(telegram_bot, tmp_path) -> None:
    source = PROGRAMME.replace("CAP", "1") + "    online_capacity: 1\n"
    bot, _path, _clock = await organised(telegram_bot, tmp_path, source)
    [ann] = await bot.say(ANN, "/rsvp konf", language_code="en", first_name="Ann")
    await bot.tap(ANN, ann.message_id, "Coming in person", count=2)
    [sven] = await bot.say(SVEN, "/rsvp konf", language_code="sv", first_name="Sven")
    await bot.tap(SVEN, sven.message_id, "Deltar online", count=2)
    [card] = await bot.say(EVA, "/rsvp konf", language_code="en", first_name="Eva")
    await bot.tap(EVA, card.message_id, "Coming in person")
    await bot.tap(EVA, card.message_id, "💻 Sun 28 Nov online instead")
    [_listing, sheet] = await bot.say(ORG, "/attendees konf", count=2, first_name="Olle",
                                      language_code="en")
    rows = {row[0]: row for row in csv.reader(io.StringIO(
        sheet.document_bytes.decode("utf-8-sig")))}
    assert rows["Eva"][2] == "in person: waiting list, place 1; online: waiting list, place 1"
