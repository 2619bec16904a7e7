"""How many days a meeting has and how they read: nights, whole days, chosen days, moves."""
from __future__ import annotations

import sys
from pathlib import Path

from dateutil.rrule import rrulestr

from assistant.testing import ChatHarness
from tests.test_calendar import events_of, validate

NOW = "2027-08-01T08:00:00+00:00"
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar"]
EVA, SVEN, ANN, ORG = 7, 8, 9, 1
PROGRAMME = """
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknadsnätverket, en: Labour-market network}}
defaults:
  networks: [am]
  venue: f7
events:
  - id: nyar
    title: {sv: Nyårsmiddag, en: New Year's dinner}
    start: 2027-12-31 23:00
    end: 2028-01-01 01:00
  - id: kvall
    title: {sv: Kvällsmingel, en: Evening mingle}
    start: 2027-11-04 19:00
    end: 2027-11-05 01:00
  - id: lunch
    title: {sv: Lunch till lunch, en: Lunch to lunch}
    start: 2027-11-17 13:00
    end: 2027-11-18 12:00
  - id: dagarna
    title: {sv: Arbetsmarknadsdagarna, en: Labour-market days}
    start: 2027-11-10
    end: 2027-11-11
  - id: timed
    title: {sv: Höstdagarna, en: Autumn days}
    start: 2027-11-24 10:00
    end: 2027-11-25 15:00
"""


async def start(mingel_chat, tmp_path: Path, source: str = PROGRAMME) -> tuple[ChatHarness, Path]:
    path = tmp_path / "programme.yaml"
    path.write_text(source, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_CHANGE_DELAY": "1m"})
    chat.user(ORG, "Olle", lang="en")
    chat.user(EVA, "Eva", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(ANN, "Ann", lang="en")
    return chat, path


def documents(replies: list) -> list:
    return [r.document for r in replies if r.document is not None]


async def test_a_meeting_that_ends_after_midnight_is_one_evening(mingel_chat,
                                                                 tmp_path: Path) -> None:
    chat, _ = await start(mingel_chat, tmp_path)
    card = chat.text(await chat.send("/event nyar", SVEN))
    assert "fredag 31 december 2027 kl. 23:00–01:00" in card
    assert "dagar" not in card
    replies = await chat.press("Kommer på plats", SVEN)
    assert "Dina dagar" not in chat.text(replies)
    assert not [b for b in chat.buttons(replies) if b[:1] in "☐☑"]
    event = events_of(validate(documents(replies)[0].content))["nyar"]
    assert (event.start.hour, event.end.hour, event.end.day) == (23, 1, 1)
    assert "RRULE" not in event

    await chat.send("/event kvall", EVA)
    replies = await chat.press("Coming in person", EVA)
    assert "Thursday, 4 November 2027, 19:00–01:00" in chat.text(replies)
    assert "Your days" not in chat.text(replies)
    assert await chat.press_data("rsvp:d:kvall:2027-11-05", EVA) == []
    assert chat.toasts[EVA] == "This button no longer works."


async def test_a_lunch_to_lunch_gathering_keeps_its_two_days(mingel_chat, tmp_path: Path) -> None:
    chat, _ = await start(mingel_chat, tmp_path)
    await chat.send("/event lunch", EVA)
    replies = await chat.press("Coming in person", EVA)
    assert "(2 days)" in chat.text(replies)
    assert "Your days: Wed 17 Nov, Thu 18 Nov" in chat.text(replies)
    assert "☑ Thu 18 Nov" in chat.buttons(replies)


async def test_whole_days_read_as_the_dates_written_everywhere(mingel_chat,
                                                               tmp_path: Path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    card = chat.text(await chat.send("/event dagarna", SVEN))
    assert "onsdag 10 – torsdag 11 november 2027 (2 dagar)" in card
    assert "00:00" not in card and "fredag" not in card
    english = chat.text(await chat.send("/event dagarna", EVA))
    assert "Wednesday, 10 – Thursday, 11 November 2027 (2 days)" in english
    listing = chat.text(await chat.send("/programme", SVEN))
    assert "ons 10 nov. – tors 11 nov. · Arbetsmarknadsdagarna" in listing
    assert "ons 17 nov. 13:00 – tors 18 nov. 12:00 · Lunch till lunch" in listing

    await chat.send("/event dagarna", SVEN)
    await chat.press("Kommer på plats", SVEN)
    mine = chat.text(await chat.send("/my", SVEN))
    assert "• ons 10 nov. – Arbetsmarknadsdagarna: Kommer på plats" in mine

    path.write_text(PROGRAMME.replace("start: 2027-11-10\n    end: 2027-11-11",
                                      "start: 2027-11-11\n    end: 2027-11-12"), encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORG))
    assert "starts Wed 10 Nov → Thu 11 Nov, ends Thu 11 Nov → Fri 12 Nov" in preview
    assert "(now Thursday, 11 – Friday, 12 November 2027)" in preview
    await chat.press("Confirm", ORG)
    await chat.tick(minutes=5)
    notice = chat.text(chat.sent_to(SVEN))
    assert ("Ny tid: onsdag 10 – torsdag 11 november 2027 → "
            "torsdag 11 – fredag 12 november 2027") in notice
    assert "00:00" not in notice


def occurrences(event) -> list:
    """The (start, end) pairs a calendar shows for a VEVENT: its RRULE, less its EXDATEs."""
    start, length = event.start, event.end - event.start
    rule = event.get("RRULE")
    starts = [start] if rule is None else list(rrulestr(rule.to_ical().decode(), dtstart=start))
    exdates = event.get("EXDATE", [])
    skipped = {d.dt for e in (exdates if isinstance(exdates, list) else [exdates]) for d in e.dts}
    return [(s, s + length) for s in starts if s not in skipped]


async def test_the_calendar_file_and_my_show_only_the_days_chosen(mingel_chat,
                                                                  tmp_path: Path) -> None:
    source = PROGRAMME + """
  - id: tre
    title: {sv: Tre dagar, en: Three days}
    start: 2027-11-29 10:00
    end: 2027-12-01 15:00
"""
    chat, _ = await start(mingel_chat, tmp_path, source)
    await chat.send("/event timed", EVA)
    await chat.press("Coming in person", EVA)
    await chat.press("☑ Wed 24 Nov", EVA)
    [ics] = documents(await chat.send("/calendar timed", EVA))
    event = events_of(validate(ics.content))["timed"]
    assert [(s.day, s.hour, e.day, e.hour) for s, e in occurrences(event)] == [(25, 10, 25, 15)]
    mine = chat.text(await chat.send("/my", EVA))
    assert "• Thu 25 Nov 10:00 – Autumn days: Coming in person" in mine

    await chat.send("/event tre", ANN)
    await chat.press("Coming in person", ANN)
    await chat.press("☑ Tue 30 Nov", ANN)
    [ics] = documents(await chat.press("Add to calendar", ANN))
    event = events_of(validate(ics.content))["tre"]
    assert [(s.day, e.day, e.hour) for s, e in occurrences(event)] == [(29, 29, 15), (1, 1, 15)]

    await chat.send("/event dagarna", SVEN)
    await chat.press("Kommer på plats", SVEN)
    await chat.press("☑ ons 10 nov.", SVEN)
    [ics] = documents(await chat.send("/calendar dagarna", SVEN))
    whole = events_of(validate(ics.content))["dagarna"]
    assert (str(whole.start), str(whole.end)) == ("2027-11-11", "2027-11-12")
    [bundle] = documents(await chat.send("/calendar", SVEN))
    assert str(events_of(validate(bundle.content))["dagarna"].start) == "2027-11-11"
    [everyone] = documents(await chat.send("/calendar dagarna", ORG))
    assert str(events_of(validate(everyone.content))["dagarna"].start) == "2027-11-10"


async def _three_choose_days_and_reload(chat, path: Path, source: str) -> None:
    """Eva comes on Wed, Ann on Thu, Sven (in Swedish) on Wed; then the programme changes."""
    for user, untick in ((EVA, "☑ Thu 25 Nov"), (ANN, "☑ Wed 24 Nov"), (SVEN, "☑ tors 25 nov.")):
        await chat.send("/event timed", user)
        await chat.press("Coming in person" if user != SVEN else "Kommer på plats", user)
        await chat.press(untick, user)
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    await chat.tick(minutes=5)


async def test_moving_a_gathering_moves_everyones_days_with_it(mingel_chat,
                                                               tmp_path: Path) -> None:
    """Wed–Thu a day later is Thu–Fri: the first day chosen is the new first day, and so on;
    each notice says the person's new days."""
    chat, path = await start(mingel_chat, tmp_path)
    await _three_choose_days_and_reload(chat, path, PROGRAMME.replace(
        "2027-11-24 10:00", "2027-11-25 10:00").replace("2027-11-25 15:00", "2027-11-26 15:00"))
    assert ("The days have changed: you're down for Thu 25 Nov. "
            "Please check your days on the meeting's card (/rsvp timed).") in chat.text(
        chat.sent_to(EVA))
    assert "you're down for Fri 26 Nov." in chat.text(chat.sent_to(ANN))
    assert ("Dagarna har ändrats: du är uppskriven på tors 25 nov. Kolla dina dagar på träffens "
            "kort (/rsvp timed).") in chat.text(chat.sent_to(SVEN))
    assert "None of the days" not in chat.text(chat.sent_to(EVA))
    card = await chat.send("/event timed", EVA)
    assert "Your days: Thu 25 Nov" in chat.text(card) and "☐ Fri 26 Nov" in chat.buttons(card)
    card = await chat.send("/event timed", ANN)
    assert "Your days: Fri 26 Nov" in chat.text(card) and "☐ Thu 25 Nov" in chat.buttons(card)
    csv = (await chat.export("attendees", "timed", ORG)).content.decode("utf-8-sig")
    assert "2027-11-24" not in csv


async def test_a_longer_gathering_drops_the_days_it_no_longer_has(mingel_chat,
                                                                  tmp_path: Path) -> None:
    """Wed–Thu becomes Thu–Sat: Ann keeps Thu; Eva and Sven, whose Wed went, get one day (as
    many as they had), the first, as Wed was, and are asked to choose again."""
    chat, path = await start(mingel_chat, tmp_path)
    await _three_choose_days_and_reload(chat, path, PROGRAMME.replace(
        "2027-11-24 10:00", "2027-11-25 10:00").replace("2027-11-25 15:00", "2027-11-27 15:00"))
    assert ("None of the days you had chosen (Wed 24 Nov) is part of the meeting any more. "
            "For now I've put you down for Thu 25 Nov: please choose your days on "
            "the meeting's card (/rsvp timed).") in chat.text(chat.sent_to(EVA))
    assert "The days have changed: please check the days you come" not in chat.text(
        chat.sent_to(EVA))
    assert "The days have changed: you're down for Thu 25 Nov." in \
        chat.text(chat.sent_to(ANN))
    assert ("Ingen av dagarna du hade valt (ons 24 nov.) ingår längre i träffen. Tills vidare "
            "har jag skrivit upp dig på tors 25 nov. – välj dina dagar på träffens "
            "kort (/rsvp timed).") in chat.text(chat.sent_to(SVEN))
    card = await chat.send("/event timed", EVA)
    assert "Your days: Thu 25 Nov" in chat.text(card)
    assert {"☑ Thu 25 Nov", "☐ Fri 26 Nov", "☐ Sat 27 Nov"} <= set(chat.buttons(card))


async def test_days_left_out_have_the_value_type_of_the_start(mingel_chat, tmp_path) -> None:
    """RFC 5545: an EXDATE of dates says VALUE=DATE, as the whole days' DTSTART does (a
    calendar app would read a bare 20271130 as a broken date-time and keep that day); timed
    days carry the start's TZID."""
    chat, _ = await start(mingel_chat, tmp_path, PROGRAMME + """
  - id: tre
    title: {sv: Tre dagar, en: Three days}
    start: 2027-11-29 10:00
    end: 2027-12-01 15:00
  - id: hela
    title: {sv: Hela dagar, en: Whole days}
    start: 2027-11-29
    end: 2027-12-02
""")
    for event, user in (("tre", ANN), ("hela", EVA)):
        await chat.send(f"/event {event}", user)
        await chat.press("Coming in person", user)
        await chat.press("☑ Tue 30 Nov", user)
    [timed] = documents(await chat.send("/calendar tre", ANN))
    [whole] = documents(await chat.send("/calendar hela", EVA))
    assert b"\r\nEXDATE;TZID=Europe/Stockholm:20271130T100000\r\n" in timed.content
    assert b"\r\nDTSTART;VALUE=DATE:20271129\r\n" in whole.content
    assert b"\r\nEXDATE;VALUE=DATE:20271130\r\n" in whole.content


def test_a_day_and_a_night_long_meeting_is_not_one_evening() -> None:
    """The night rule is for an evening that runs past midnight: a 24-hour hackathon from
    06:00, or one that starts before dawn, keeps both its days."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from assistant.i18n import Formatter
    from plugins.programme.loader import parse_programme
    loaded = parse_programme(PROGRAMME + """
  - id: hack
    title: {sv: Hackathon, en: Hackathon}
    start: 2027-09-04 06:00
    end: 2027-09-05 06:00
  - id: dawn
    title: {sv: Gryning, en: Dawn}
    start: 2027-09-04 05:00
    end: 2027-09-05 03:00
""", "t.yaml")
    for event_id in ("hack", "dawn"):
        event = loaded.event(event_id)
        assert event.is_multi_day and len(event.days()) == 2, event_id
    tz = ZoneInfo("Europe/Stockholm")
    assert Formatter("en", tz).range(datetime(2027, 9, 4, 6, tzinfo=tz),
                                     datetime(2027, 9, 5, 6, tzinfo=tz)) == \
        "Saturday, 4 September 2027 06:00 – Sunday, 5 September 2027 06:00"


async def test_a_file_after_changing_ones_days_replaces_the_earlier_one(mingel_chat,
                                                                          tmp_path: Path) -> None:
    """Calendars replace an entry only for the same UID with a higher SEQUENCE."""
    chat, path = await start(mingel_chat, tmp_path)

    def seen(ics) -> tuple[str, int, list[int]]:
        event = events_of(validate(ics.content))["timed"]
        return str(event["UID"]), int(event["SEQUENCE"]), [s.day for s, _ in occurrences(event)]

    await chat.send("/event timed", EVA)
    uid, first, days = seen(documents(await chat.press("Coming in person", EVA))[0])
    assert days == [24, 25]
    await chat.press("☑ Wed 24 Nov", EVA)
    [file] = documents(await chat.press("Add to calendar", EVA))
    assert seen(file) == (uid, first + 1, [25])
    [same] = documents(await chat.send("/calendar timed", EVA))
    assert same.content == file.content
    assert await chat.press_data("rsvp:d:timed:2027-11-24", EVA)
    assert seen(documents(await chat.send("/calendar timed", EVA))[0]) == (uid, first + 2,
                                                                           [24, 25])

    path.write_text(PROGRAMME.replace("Autumn days", "Autumn days 2027"), encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    assert seen(documents(await chat.send("/calendar timed", EVA))[0]) == (uid, first + 3,
                                                                           [24, 25])
    assert seen(documents(await chat.send("/calendar timed", ANN))[0])[1] == first + 1


def _sequence(document) -> int:
    return int(events_of(validate(document.content))["timed"]["SEQUENCE"])


async def _days_changed_twice(chat) -> int:
    """Eva comes to the timed gathering and changes her days twice; her file's SEQUENCE."""
    await chat.send("/event timed", EVA)
    await chat.press("Coming in person", EVA)
    await chat.press("☑ Wed 24 Nov", EVA)
    assert await chat.press_data("rsvp:d:timed:2027-11-24", EVA)
    return _sequence(documents(await chat.send("/calendar timed", EVA))[0])


async def test_a_file_after_answering_again_outranks_the_cancellation(mingel_chat,
                                                                     tmp_path) -> None:
    """Her answer goes with the removed meeting; when the meeting comes back and she answers
    again, her file must outrank every file she was sent, the cancellation too."""
    chat, path = await start(mingel_chat, tmp_path)
    last = await _days_changed_twice(chat)
    path.write_text(PROGRAMME.split("  - id: timed")[0], encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    sent = await chat.deliver()
    [cancellation] = [r.document for r in sent.get(EVA, []) if r.document is not None]
    path.write_text(PROGRAMME, encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    await chat.send("/event timed", EVA)
    again = _sequence(documents(await chat.press("Coming in person", EVA))[0])
    assert last < _sequence(cancellation) < again


async def test_a_file_after_forget_and_answering_again_outranks_the_earlier_ones(
        mingel_chat, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "PLUGINS", [*PLUGINS, "plugins.privacy"])
    chat, _path = await start(mingel_chat, tmp_path)
    last = await _days_changed_twice(chat)
    await chat.send("/forget", EVA)
    await chat.press("Yes, delete everything", EVA)
    chat.user(EVA, "Eva", lang="en")
    await chat.send("/event timed", EVA)
    assert _sequence(documents(await chat.press("Coming in person", EVA))[0]) > last
