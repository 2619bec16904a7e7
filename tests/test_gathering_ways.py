"""A hybrid gathering answered in person on one day and online on another (docs/rsvp.md,
"Gatherings over several days"): seats, online places, the card, /my, /attendees, the file."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.testing import ChatHarness
from tests.test_calendar import validate
from tests.test_gathering_days import documents, occurrences

NOW = "2027-08-01T08:00:00+00:00"
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar"]
ORG, EVA, SVEN, ANN = 1, 7, 8, 9
PROGRAMME = """
timezone: Europe/Stockholm
venues:
  sthlm: {name: Norra Latin, address: "Drottninggatan 71B, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknadsnätverket, en: Labour-market network}}
defaults:
  networks: [am]
  venue: sthlm
events:
  - id: konf
    title: {sv: Konferensen, en: The conference}
    start: 2027-11-27 09:00
    end: 2027-11-28 16:00
    online: {url: "https://zoom.us/j/123", platform: Zoom, private: true}
    capacity: CAP
"""


def locations(entries: list) -> list[tuple[int, str]]:
    """Each day's occurrence in a calendar and where it is: the series' days less those an
    entry of their own (RECURRENCE-ID) replaces, and those."""
    [series] = [e for e in entries if "RECURRENCE-ID" not in e]
    moved = {e["RECURRENCE-ID"].dt: e for e in entries if "RECURRENCE-ID" in e}
    assert all(e["UID"] == series["UID"] and e["SEQUENCE"] == series["SEQUENCE"]
               for e in moved.values())
    days = [(s.day, str(moved[s]["LOCATION"]) if s in moved else str(series["LOCATION"]))
            for s, _end in occurrences(series)]
    return sorted(days)


async def start(mingel_chat, tmp_path: Path, capacity: int = 40,
                online_capacity: int | None = None) -> ChatHarness:
    path = tmp_path / "programme.yaml"
    source = PROGRAMME.replace("CAP", str(capacity))
    if online_capacity is not None:
        source += f"    online_capacity: {online_capacity}\n"
    path.write_text(source, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ORG, "Olle", lang="en")
    chat.user(EVA, "Eva", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(ANN, "Ann", lang="en")
    return chat


async def test_eva_comes_in_person_on_day_one_and_online_on_day_two(mingel_chat,
                                                                   tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    card = await chat.send("/rsvp konf", EVA)
    assert "💻 Sat 27 Nov online instead" not in chat.buttons(card)  # not before answering
    card = await chat.press("Coming in person", EVA)
    assert "💻 Sat 27 Nov online instead" in chat.buttons(card)
    assert "💻 Sun 28 Nov online instead" in chat.buttons(card)
    replies = await chat.press("💻 Sun 28 Nov online instead", EVA)
    assert chat.toasts[EVA] == "Saved: Coming online on Sun 28 Nov"
    text = chat.text(replies)
    assert ("Your answer: Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)"
            in text)
    assert "🪑 Sun 28 Nov in person instead" in chat.buttons(replies)
    [ics] = documents(replies)  # the file with each day's place replaces the one she had
    entries = validate(ics.content).walk("VEVENT")
    # day two: a seat is free again for Sven, day one is taken by Eva
    sven = await chat.send("/rsvp konf", SVEN)
    assert "Lör 27 nov.: fullbokat på plats, sön 28 nov.: 1 av 1 plats kvar" in chat.text(sven)
    assert locations(entries) == [(27, "Norra Latin, Drottninggatan 71B, Stockholm"),
                                  (28, "Online (Zoom)")]
    assert b"zoom.us" not in ics.content  # a private link never goes into a file
    mine = chat.text(await chat.send("/my", EVA))
    assert "Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)" in mine


async def test_a_full_first_day_puts_her_on_the_waiting_list_for_that_day_only(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    await chat.press("💻 Sun 28 Nov online instead", ANN)  # Ann: day one's seat
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    assert chat.toasts[EVA] == "You're on the waiting list, place 1."
    replies = await chat.press("💻 Sun 28 Nov online instead", EVA)
    assert chat.toasts[EVA] == "Saved: Coming online on Sun 28 Nov"
    assert ("Your answer: Coming in person – waiting list, place 1 (Sat 27 Nov), Coming "
            "online (Sun 28 Nov)") in chat.text(replies)
    [ics] = documents(replies)  # a place on day two: its file, day one left out
    assert locations(validate(ics.content).walk("VEVENT")) == [(28, "Online (Zoom)")]
    listing = chat.text(await chat.send("/attendees konf", ORG))
    assert "Sat 27 Nov – In person: 1 · Online: 0" in listing
    assert "Sun 28 Nov – In person: 0 · Online: 2" in listing
    assert ("1. Eva – Coming in person – waiting list, place 1 (Sat 27 Nov), Coming online "
            "(Sun 28 Nov)") in listing
    # Ann gives up her seat: Eva moves up for day one, and still follows day two online
    await chat.press("Can't come", ANN)
    told = (await chat.deliver())[EVA]
    assert "Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)" in chat.text(told)
    mine = chat.text(await chat.send("/my", EVA))
    assert "Coming in person (Sat 27 Nov), Coming online (Sun 28 Nov)" in mine


async def test_a_day_switched_to_a_full_room_is_refused_while_she_holds_a_seat(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, capacity=1)
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    await chat.press("💻 Sun 28 Nov online instead", EVA)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming online", ANN)
    await chat.press("🪑 Sun 28 Nov in person instead", ANN)  # the seat Eva left
    assert chat.toasts[ANN] == "Saved: Coming in person on Sun 28 Nov"
    await chat.press("🪑 Sun 28 Nov in person instead", EVA)
    assert chat.toasts[EVA] == "There are no seats left on Sun 28 Nov."
    ctx = chat.context(user=ANN)  # Ann is online on day one, in person on day two
    att = ctx.hooks.attendance(ctx, ctx.programme.event("konf"), ANN)
    assert (att.answer, att.online_days, att.waiting) == ("in_person", ("2027-11-27",), False)


async def test_online_capacity_counts_the_online_days_alone(mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path, online_capacity=1)
    await chat.send("/rsvp konf", ANN)
    await chat.press("Coming in person", ANN)
    await chat.press("💻 Sat 27 Nov online instead", ANN)
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Sat 27 Nov: no online places left, Sun 28 Nov: 1 of 1 online place left" in card
    await chat.press("Coming in person", EVA)
    await chat.press("💻 Sun 28 Nov online instead", EVA)
    assert chat.toasts[EVA] == "Saved: Coming online on Sun 28 Nov"
    await chat.press("💻 Sat 27 Nov online instead", EVA)  # held online: a full day is refused
    assert chat.toasts[EVA] == "There are no online places left on Sat 27 Nov."
    await chat.send("/rsvp konf", SVEN)
    await chat.press("Kommer på plats", SVEN)
    await chat.press("💻 lör 27 nov. online i stället", SVEN)  # new to him: he waits
    assert chat.toasts[SVEN] == "Deltar online lör 27 nov.: du står på väntelistan, plats 1."


async def test_answering_again_or_choosing_days_keeps_one_way_where_one_is_left(
        mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    await chat.press("💻 Sun 28 Nov online instead", EVA)
    card = chat.text(await chat.press("☑ Sat 27 Nov", EVA))  # only the online day is left
    assert "Your answer: Coming online" in card and "Your days: Sun 28 Nov" in card
    await chat.press("☐ Sat 27 Nov", EVA)  # a day added comes the way of the answer
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Your answer: Coming online ·" in card or "Your answer: Coming online\n" in card
    await chat.press("🪑 Sat 27 Nov in person instead", EVA)
    await chat.press("Can't come", EVA)
    await chat.press("Coming in person", EVA)  # a new answer: in person on every day
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Coming online (" not in card and "Your answer: Coming in person" in card


async def test_an_answer_stored_before_keeps_one_way_for_every_day(mingel_chat,
                                                                    tmp_path: Path) -> None:
    """No migration: an answer without the field is in person on every day it covers."""
    chat = await start(mingel_chat, tmp_path, capacity=1)
    chat.assistant.store.table("rsvp_answers").insert({"event": "konf", "user": EVA, "answer": "in_person",
                                          "at": "2027-07-01T10:00:00+00:00", "seq": 1})
    card = await chat.send("/rsvp konf", EVA)
    assert "Your answer: Coming in person" in chat.text(card)
    assert "💻 Sun 28 Nov online instead" in chat.buttons(card)
    assert "No in-person seats left" in chat.text(await chat.send("/rsvp konf", ANN))


async def test_the_private_link_reaches_her_before_the_first_day_and_the_waiting_list_too(
        mingel_chat, tmp_path: Path) -> None:
    """Eva (a seat on day one, online on day two) gets the private link with her last
    reminder, beside the venue; Ann (waiting for day one's seat, online on day two) the link
    alone, and no reminder of a day she only waits for."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME.replace("CAP", "1"), encoding="utf-8")
    chat = await mingel_chat([*PLUGINS, "plugins.reminders"], organisers=[ORG], now=NOW,
                             flood_control=False, env={"MINGEL_PROGRAMME": str(path)})
    for user, name in ((EVA, "Eva"), (ANN, "Ann")):
        chat.user(user, name, lang="en")
        await chat.send("/rsvp konf", user)
        await chat.press("Coming in person", user)
        await chat.press("💻 Sun 28 Nov online instead", user)
    chat.clock.set(datetime.fromisoformat("2027-11-26T09:01:00+01:00"))
    await chat.tick()
    chat.clock.set(datetime.fromisoformat("2027-11-27T08:01:00+01:00"))
    await chat.tick()
    sent = {user: chat.sent_to(user) for user in (EVA, ANN)}
    eva = chat.text(sent[EVA])
    assert "⏰ Reminder: The conference starts in 1 hour." in eva
    assert "📍 Norra Latin" in eva
    assert "💻 Join online: Zoom" in eva and "https://zoom.us/j/123" in sent[EVA][-1].text
    ann = chat.text(sent[ANN])
    assert "⏰" not in ann and "https://zoom.us/j/123" in ann


async def test_the_door_list_of_a_day_followed_online_leaves_her_out(mingel_chat,
                                                                      tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME.replace("CAP", "40"), encoding="utf-8")
    chat = await mingel_chat([*PLUGINS, "plugins.health"], organisers=[ORG], now=NOW,
                             flood_control=False, env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ORG, "Olle", lang="en")
    for user, name in ((EVA, "Eva"), (ANN, "Ann")):
        chat.user(user, name, lang="en")
        await chat.send("/rsvp konf", user)
        await chat.press("Coming in person", user)
    await chat.press("💻 Sun 28 Nov online instead", EVA)
    doors = chat.text(await chat.send("/doorlist konf", ORG))
    saturday, sunday = doors.split("Saturday 27 November")[1].split("Sunday 28 November")
    assert "Eva" in saturday and "Ann" in saturday
    assert "Eva" not in sunday and "1. Ann" in sunday and "1 person" in sunday


async def test_a_moved_or_shortened_gathering_keeps_each_day_its_way(mingel_chat,
                                                                     tmp_path: Path) -> None:
    """Shifted a week, Eva's Sunday online moves to the new Sunday; cut to its first day,
    she is left in person on it, with no day to switch."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    await chat.press("💻 Sun 28 Nov online instead", EVA)
    path = tmp_path / "programme.yaml"
    source = path.read_text(encoding="utf-8")
    path.write_text(source.replace("2027-11-27 09:00", "2027-12-04 09:00")
                    .replace("2027-11-28 16:00", "2027-12-05 16:00"), encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    await chat.tick(minutes=5)
    card = chat.text(await chat.send("/rsvp konf", EVA))
    assert "Your answer: Coming in person (Sat 4 Dec), Coming online (Sun 5 Dec)" in card
    path.write_text(source.replace("2027-11-28 16:00", "2027-11-27 16:00"), encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    await chat.tick(minutes=5)
    card = await chat.send("/rsvp konf", EVA)
    assert "Your answer: Coming in person ·" in chat.text(card)
    assert not [b for b in chat.buttons(card) if "instead" in b]
