"""An answer both ways at a hybrid gathering (in person on one day, online on another), where
the first version left gaps (docs/rsvp.md, "Gatherings over several days"): the meeting made
in person only, the answer's own button tapped, both ways waiting in the CSV, the organiser's
/reload preview, and an online place lost."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from assistant.testing import ChatHarness
from tests.test_calendar import validate
from tests.test_gathering_days import documents
from tests.test_gathering_ways import ANN, EVA, ORG, SVEN, locations, start

ONLINE = '    online: {url: "https://zoom.us/j/123", platform: Zoom, private: true}\n'


async def split(chat: ChatHarness, user: int, online: str = "💻 Sun 28 Nov online instead"
                ) -> None:
    """The user comes in person, and follows one day online."""
    await chat.send("/rsvp konf", user)
    await chat.press("Coming in person" if user != SVEN else "Kommer på plats", user)
    await chat.press(online, user)


async def reload(chat: ChatHarness, tmp_path: Path, edit) -> str:
    """The organiser edits the programme file, reloads and confirms; the preview."""
    path = tmp_path / "programme.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORG))
    await chat.press("Confirm", ORG)
    return preview


async def test_made_in_person_only_tells_her_which_online_day_left_her_answer(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path)
    await split(chat, EVA)
    await split(chat, SVEN, "💻 lör 27 nov. online i stället")
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    preview = await reload(chat, tmp_path, lambda s: s.replace(ONLINE, ""))
    assert ("2 people who follow some days online keep only the days they come in person: "
            "they're told, and can choose the others again to come in person.") in preview
    assert "3 participants of the changed meetings will be told." in preview
    await chat.tick(minutes=5)
    eva = chat.text(chat.sent_to(EVA))
    assert "Taking part online is no longer possible." in eva
    assert ("Your online day Sun 28 Nov is no longer part of your answer; choose it again on "
            "the meeting's card (/rsvp konf) to come in person.") in eva
    [ics] = documents(chat.sent_to(EVA))  # her entry now holds day one alone
    assert [day for day, _where in locations(validate(ics.content).walk("VEVENT"))] == [27]
    assert ("Din onlinedag lör 27 nov. är inte längre en del av ditt svar; välj den igen på "
            "träffens kort (/rsvp konf) för att komma på plats.") in chat.text(chat.sent_to(SVEN))
    assert "no longer part of your answer" not in chat.text(chat.sent_to(ANN))
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Your answer: Coming in person" in card and "Your days: Sat 27 Nov" in card


async def test_the_line_is_left_out_once_she_chose_the_day_again(mingel_chat,
                                                                 tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path)
    await split(chat, EVA)
    await reload(chat, tmp_path, lambda s: s.replace(ONLINE, ""))
    await chat.send("/rsvp konf", EVA)
    await chat.press("☐ Sun 28 Nov", EVA)  # before the notice: in person, as the line says
    await chat.tick(minutes=5)
    eva = chat.text(chat.sent_to(EVA))
    assert "Taking part online is no longer possible." in eva
    assert "no longer part of your answer" not in eva


async def test_an_undo_before_the_notice_gives_her_online_day_back_and_tells_nothing(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path)
    await split(chat, EVA)
    path = tmp_path / "programme.yaml"
    source = path.read_text(encoding="utf-8")
    await reload(chat, tmp_path, lambda s: s.replace(ONLINE, ""))
    await reload(chat, tmp_path, lambda s: source)
    await chat.tick(minutes=5)
    assert not chat.outbox.sent.get(EVA)
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Your answer: Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)" in card


async def test_coming_in_person_makes_every_day_in_person(mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    await split(chat, EVA)
    replies = await chat.press("Coming in person", EVA)
    assert chat.toasts[EVA] == "Saved: Coming in person on all your days (Sat 27 Nov, Sun 28 Nov)"
    text = chat.text(replies)
    assert "Your answer: Coming in person ·" in text and "Coming online (" not in text
    [ics] = documents(replies)  # the file with both days in Stockholm replaces hers
    assert locations(validate(ics.content).walk("VEVENT")) == [
        (27, "Norra Latin, Drottninggatan 71B, Stockholm"),
        (28, "Norra Latin, Drottninggatan 71B, Stockholm")]
    assert "Fullbokat på plats" in chat.text(await chat.send("/rsvp konf", SVEN))


async def test_coming_in_person_is_refused_where_her_online_day_has_no_seat(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    await split(chat, EVA)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming online", ANN)
    await chat.press("🪑 Sun 28 Nov in person instead", ANN)  # the seat Eva left
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    assert chat.toasts[EVA] == ("There are no seats left on Sun 28 Nov: nothing changed, you "
                                "still follow that day online.")
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Your answer: Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)" in card
    await chat.send("/rsvp konf", SVEN)
    await chat.press("Kommer på plats", SVEN)
    await chat.press("💻 lör 27 nov. online i stället", SVEN)
    await chat.press("Kommer på plats", SVEN)  # both days: Eva and Ann hold the seats
    assert chat.toasts[SVEN] == ("Kommer på plats alla dina dagar (lör 27 nov., sön 28 nov.): "
                                 "du står på väntelistan, plats 1.")


async def test_coming_online_makes_every_day_online_and_her_seat_goes_to_the_next(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    await split(chat, EVA)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)  # waits: Saturday's seat is Eva's
    replies = await chat.press("Coming online", EVA)
    assert chat.toasts[EVA] == "Saved: Coming online on all your days (Sat 27 Nov, Sun 28 Nov)"
    assert "Your answer: Coming online" in chat.text(replies)
    [ics] = documents(replies)
    assert [day for day, _where in locations(validate(ics.content).walk("VEVENT"))] == [27, 28]
    told = chat.text((await chat.deliver())[ANN])
    assert "Good news! A place has opened up at The conference" in told


async def test_the_csv_shows_both_waiting_places(mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1, online_capacity=1)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    await chat.send("/rsvp konf", SVEN)
    await chat.press("Deltar online", SVEN)
    await split(chat, EVA)  # both full: she waits for Saturday's seat and Sunday's place
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert ("Coming in person – waiting list, place 1 (Sat 27 Nov), Coming online – waiting "
            "list, place 1 (Sun 28 Nov)") in card
    [sheet] = documents(await chat.send("/attendees konf", ORG))
    rows = {row[0]: row for row in csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")))}
    assert rows["Eva"][2] == "in person: waiting list, place 1; online: waiting list, place 1"
    assert rows["Eva"][3] == "in person, online"


async def test_fewer_online_places_tell_her_which_day_waits(mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, online_capacity=2)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming online", ANN)
    await split(chat, EVA)
    await chat.deliver()
    preview = await reload(chat, tmp_path, lambda s: s.replace("online_capacity: 2",
                                                               "online_capacity: 1"))
    assert "1 person loses their online place and goes on the waiting list." in preview
    assert "1 participant of the changed meetings will be told." in preview
    told = (await chat.deliver())[EVA]
    assert chat.text(told).startswith(
        "There are now fewer online places at The conference (")
    assert ("You're on the online waiting list for Sun 28 Nov, place 1; your seat on Sat 27 Nov "
            "is still yours. I'll tell you at once if a place opens up.") in chat.text(told)
    assert "None" not in chat.text(told)
    [ics] = documents(told)  # her entry: Saturday in Stockholm only, above the one she had
    entries = validate(ics.content).walk("VEVENT")
    assert [day for day, _where in locations(entries)] == [27]
    state = "Coming in person (Sat 27 Nov), Coming online – waiting list, place 1 (Sun 28 Nov)"
    assert f"Your answer: {state}" in chat.text(await chat.send("/rsvp konf", EVA))
    assert f"The conference: {state}" in chat.text(await chat.send("/my", EVA))
    await chat.send("/rsvp konf", ANN)
    await chat.press("Can't come", ANN)
    told = chat.text((await chat.deliver())[EVA])
    assert ("Good news! An online place has opened up at The conference and it's yours for Sun "
            "28 Nov.") in told


async def test_fewer_online_places_with_a_told_change_say_why_after_the_notice(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, online_capacity=2)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming online", ANN)
    await split(chat, EVA)
    await chat.deliver()
    preview = await reload(chat, tmp_path, lambda s: s.replace(
        "online_capacity: 2", "online_capacity: 1").replace(
        "title: {sv: Konferensen, en: The conference}",
        "title: {sv: Konferensen, en: The conference}\n    note: Bring your badge"))
    assert "1 person loses their online place and goes on the waiting list." in preview
    await chat.tick(minutes=5)
    eva = chat.text(chat.sent_to(EVA))
    assert eva.index("New note") < eva.index("There are now fewer online places")
    assert "You're on the online waiting list for Sun 28 Nov, place 1;" in eva


async def test_the_preview_counts_split_answers_once_per_place(mingel_chat,
                                                               tmp_path: Path) -> None:
    """Fewer seats: Eva (in person on Saturday only) keeps hers, Ann (both days) loses hers
    to the rule 'last to answer'; Sven, online on Saturday, waits for Sunday's seat."""
    chat = await start(mingel_chat, tmp_path, capacity=2)
    await split(chat, EVA, "💻 Sun 28 Nov online instead")
    await split(chat, SVEN, "💻 lör 27 nov. online i stället")
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    preview = await reload(chat, tmp_path, lambda s: s.replace("capacity: 2", "capacity: 1"))
    assert "1 person loses their seat and goes on the waiting list." in preview
    assert "1 participant of the changed meetings will be told." in preview
    told = await chat.deliver()
    assert set(told) == {ANN}
    assert "waiting list, place 1" in chat.text(told[ANN])


async def test_the_preview_of_a_gathering_made_online_only_counts_her_once(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, online_capacity=1)
    await split(chat, EVA)  # Sunday online: the one online place
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    preview = await reload(chat, tmp_path, lambda s: s.replace(
        "  venue: sthlm\n", "  venue: null\n").replace("    capacity: 40\n", ""))
    assert ("2 answers “Coming in person” become “Coming online”. 1 of them goes on the online "
            "waiting list.") in preview
    assert "2 participants of the changed meetings will be told." in preview
    await chat.tick(minutes=5)
    eva = chat.text(chat.sent_to(EVA))
    assert "The meeting is now online only, so your answer is now “Coming online”." in eva
    assert "online waiting list" not in eva
    assert "Every online place is taken, though: you're on the online waiting list, place 1." \
        in chat.text(chat.sent_to(ANN))


async def test_the_preview_of_more_seats_counts_her_waiting_seat(mingel_chat,
                                                                 tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    await split(chat, EVA)  # waits for Saturday's seat, online on Sunday
    preview = await reload(chat, tmp_path, lambda s: s.replace("capacity: 1", "capacity: 2"))
    assert "1 person on the waiting list gets a seat." in preview
    assert "1 participant of the changed meetings will be told." in preview
    told = chat.text((await chat.deliver())[EVA])
    assert "Good news! A place has opened up at The conference and it's yours for Sat 27 Nov." \
        in told


async def test_another_plugins_change_online_waits_where_a_tap_is_refused(
        mingel_chat, tmp_path: Path) -> None:
    """A health outcome that asks Eva to stay at home switches her online (`change_attendance`)
    even where Saturday has no online place left: she waits for one, as a new answer does."""
    chat = await start(mingel_chat, tmp_path, online_capacity=1)
    await split(chat, ANN, "💻 Sat 27 Nov online instead")  # Saturday's one online place
    await split(chat, EVA)  # Sunday's
    await chat.press("Coming online", EVA)
    assert chat.toasts[EVA] == ("There are no online places left on Sat 27 Nov: nothing changed, "
                                "you still come in person that day.")
    ctx = chat.context(user=EVA)
    event = ctx.programme.event("konf")
    line = await ctx.hooks.change_attendance(ctx, event, "online")
    assert "Coming online – waiting list, place 1" in line
    att = ctx.hooks.attendance(ctx, event, EVA)
    assert (att.answer, att.online_days, att.waiting) == ("online", (), True)


async def test_fewer_online_places_in_swedish(mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, online_capacity=2)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming online", ANN)
    await split(chat, SVEN, "💻 sön 28 nov. online i stället")
    await chat.deliver()
    await reload(chat, tmp_path, lambda s: s.replace("online_capacity: 2", "online_capacity: 1"))
    told = chat.text((await chat.deliver())[SVEN])
    assert told.startswith("Det finns nu färre onlineplatser på Konferensen (")
    assert ("och du var bland de sista att svara. Du står på väntelistan för online sön 28 nov., "
            "plats 1; lör 27 nov. har du fortfarande kvar din plats. Jag hör av mig direkt om en "
            "plats blir ledig.") in told
    card = chat.text(await chat.send("/rsvp konf", SVEN))
    assert ("Ditt svar: Kommer på plats (lör 27 nov.), Deltar online – väntelista, plats 1 "
            "(sön 28 nov.)") in card


async def test_fewer_seats_tell_her_the_seat_waits_and_the_online_day_stays(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=3)
    for user in (ANN, SVEN):
        await chat.send("/rsvp konf", user)
        await chat.press("Coming in person" if user == ANN else "Kommer på plats", user)
    await split(chat, EVA)  # the last to answer: Saturday's seat, Sunday online
    await chat.deliver()
    preview = await reload(chat, tmp_path, lambda s: s.replace("capacity: 3", "capacity: 2"))
    assert "1 person loses their seat and goes on the waiting list." in preview
    told = (await chat.deliver())[EVA]
    assert chat.text(told).startswith("There are now fewer places at The conference (")
    assert ("You're on the waiting list for a seat on Sat 27 Nov, place 1; your online place on "
            "Sun 28 Nov is still yours.") in chat.text(told)
    [ics] = documents(told)  # Sunday online is still hers: her entry keeps it
    assert locations(validate(ics.content).walk("VEVENT")) == [(28, "Online (Zoom)")]


async def test_made_in_person_only_someone_waiting_for_the_seat_hears_they_still_wait(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    await split(chat, EVA)  # waits for Saturday's seat; Sunday online was her place
    await reload(chat, tmp_path, lambda s: s.replace(ONLINE, ""))
    await chat.tick(minutes=5)
    eva = chat.sent_to(EVA)
    assert ("Your online day Sun 28 Nov is no longer part of your answer; choose it again on the "
            "meeting's card (/rsvp konf) to come in person. You're still on the waiting list for "
            "a seat on Sat 27 Nov, place 1.") in chat.text(eva)
    [ics] = documents(eva)  # the place she held is gone: the file takes the meeting out
    assert ics.caption.startswith("You're on the waiting list.")


async def test_coming_online_while_her_seat_waits_asks_first_then_keeps_her_online_place(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1, online_capacity=1)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    await split(chat, EVA)  # waits for Saturday's seat, holds Sunday's one online place
    asked = chat.text(await chat.press("Coming online", EVA))
    assert chat.toasts[EVA] == "Not changed yet: you'd leave the waiting list."
    assert "Answering “Coming online” takes you off it" in asked
    replies = await chat.press("Leave the waiting list: Coming online", EVA)
    assert chat.toasts[EVA] == "Saved: Coming online on all your days (Sat 27 Nov, Sun 28 Nov)"
    assert ("You left the waiting list for a seat at The conference (you were place 1). Your "
            "answer is now: Coming online.") in chat.text(replies)
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Your answer: Coming online ·" in card  # Sunday's place kept, Saturday's free
