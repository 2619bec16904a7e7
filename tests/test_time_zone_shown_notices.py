"""The zone in every message that gives a meeting's time (session 35): the card, reminders,
change notices, broadcasts and questions named it ("09:30–12:30 (Sweden Time)"), but the
RSVP plugin's messages put the time in brackets after the title without it: "A place has
opened up at <b>The hybrid meeting</b> (Thursday, 2 September 2027, 09:30–12:30)" left a
participant in London to guess. Inside a sentence's own brackets the zone now follows the
time after a comma, "(…, 09:30–12:30, Sweden Time)", never "(… (Sweden Time))"; lists of
meetings (/programme, a search, /my, the waiting-list note of /calendar) say once under the
list which zone their times are in. Meetings only in person read as before."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from assistant.i18n import Formatter
from tests.test_rsvp_integration import REAL
from tests.test_time_zone_shown import HEADER

PROGRAMME = HEADER + """  - id: hybrid
    title: {sv: Hybridträffen, en: The hybrid meeting}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    capacity: 1
    online: {platform: Zoom, url: "https://zoom.us/j/61234567890", private: true}
    questions: true
  - id: overlap
    title: {sv: Samtidigt, en: At the same time}
    start: 2027-09-02 11:00
    end: 2027-09-02 13:00
    online: {platform: Zoom, url: "https://zoom.us/j/2"}
  - id: lunch
    title: {sv: Lunchträffen, en: The lunch}
    start: 2027-09-20 12:00
    end: 2027-09-20 13:00
    capacity: 1
    questions: true
  - id: circle
    title: {sv: Den slutna kretsen, en: The closed circle}
    start: 2027-10-14 09:30
    end: 2027-10-14 11:00
    online: {platform: Zoom, url: "https://zoom.us/j/3"}
    invite_only: true
  - id: days
    title: {sv: Dagarna, en: The days}
    start: 2027-11-10
    end: 2027-11-11
    online: {platform: Zoom, url: "https://zoom.us/j/4"}
"""
NOW = "2027-08-25T08:00:00+00:00"
ORGANISER, EMMA, OLLE, ALICE = 1, 2, 3, 7
"""The organiser; Emma (English) and Olle (Swedish), who want the one seat; Alice in London."""
SE = ZoneInfo("Europe/Stockholm")
LINK = re.compile(r"start=(inv-[A-Za-z0-9_-]{22})")


async def start(mingel_chat, tmp_path, plugins=(), source: str = PROGRAMME):
    path = tmp_path / "programme.yaml"
    path.write_text(source, encoding="utf-8")
    chat = await mingel_chat([*REAL, *plugins], now=NOW, organisers=[ORGANISER],
                             flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_CHANGE_DELAY": "2m",
                                  "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.user(ORGANISER, "Olga", lang="en")
    chat.user(EMMA, "Emma", lang="en")
    chat.user(OLLE, "Olle", lang="sv")
    chat.user(ALICE, "Alice", lang="en")
    return chat, path


async def answer(chat, user: int, event: str, label: str) -> None:
    await chat.send(f"/rsvp {event}", user)
    await chat.press(label, user)


async def reload(chat, path, source: str) -> None:
    """The organiser edits the file and confirms; the notices go out after the delay."""
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick(minutes=3)


def first_text(chat, user: int) -> str:
    """The text of the latest message to `user` that has one (not the calendar file)."""
    return next(r.text for r in reversed(chat.sent_to(user)) if r.text)


def test_the_zone_follows_the_time_after_a_comma_inside_brackets_of_the_sentence() -> None:
    start, end = datetime(2027, 9, 2, 9, 30, tzinfo=SE), datetime(2027, 9, 2, 12, 30, tzinfo=SE)
    en = Formatter("en", SE)
    sv = Formatter("sv", SE, "{date} kl. {time}", "{date} kl. {start}–{end}")
    assert en.range(start, end, zone=True) == "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"
    assert en.range(start, end, zone=True, bracketed=True) == \
        "Thursday, 2 September 2027, 09:30–12:30, Sweden Time"
    assert sv.range(start, end, zone=True, bracketed=True) == \
        "torsdag 2 september 2027 kl. 09:30–12:30, Sverigetid"
    assert en.range(start, end, bracketed=True) == "Thursday, 2 September 2027, 09:30–12:30"
    assert sv.zoned("09:30–12:30") == "09:30–12:30 (Sverigetid)"
    whole = (datetime(2027, 11, 10, tzinfo=SE), datetime(2027, 11, 12, tzinfo=SE))
    assert en.range(*whole, zone=True, bracketed=True) == \
        "Wednesday, 10 – Thursday, 11 November 2027", "whole days have no time to be out"


async def test_a_place_opened_up_names_the_zone_in_english_and_swedish(mingel_chat,
                                                                      tmp_path) -> None:
    chat, _path = await start(mingel_chat, tmp_path)
    await answer(chat, EMMA, "hybrid", "Coming in person")
    await answer(chat, OLLE, "hybrid", "Kommer på plats")
    await answer(chat, ALICE, "hybrid", "Coming in person")
    await answer(chat, EMMA, "hybrid", "Can't come")
    await chat.deliver()
    assert first_text(chat, OLLE) == (
        "Goda nyheter! En plats har blivit ledig på <b>Hybridträffen</b> (torsdag 2 september "
        "2027 kl. 09:30–12:30, Sverigetid) och den är din. Ditt svar: Kommer på plats.")
    await answer(chat, OLLE, "hybrid", "Kan inte komma")
    await chat.deliver()
    assert first_text(chat, ALICE) == (
        "Good news! A place has opened up at <b>The hybrid meeting</b> (Thursday, 2 September "
        "2027, 09:30–12:30, Sweden Time) and it's yours. Your answer: Coming in person.")

    # In person only, everyone is in Stockholm: as before.
    await answer(chat, EMMA, "lunch", "Coming in person")
    await answer(chat, OLLE, "lunch", "Kommer på plats")
    await answer(chat, EMMA, "lunch", "Can't come")
    await chat.deliver()
    assert first_text(chat, OLLE).startswith(
        "Goda nyheter! En plats har blivit ledig på <b>Lunchträffen</b> (måndag 20 september "
        "2027 kl. 12:00–13:00) och den är din.")


async def test_fewer_seats_a_change_a_cancellation_and_a_removal_name_the_zone_once(
        mingel_chat, tmp_path) -> None:
    two = PROGRAMME.replace("    capacity: 1\n", "    capacity: 2\n", 1)
    chat, path = await start(mingel_chat, tmp_path, source=two)
    await answer(chat, OLLE, "hybrid", "Kommer på plats")
    await answer(chat, EMMA, "hybrid", "Coming in person")
    await reload(chat, path, PROGRAMME)
    assert first_text(chat, EMMA) == (
        "There are now fewer places at <b>The hybrid meeting</b> (Thursday, 2 September 2027, "
        "09:30–12:30, Sweden Time). As one of the last to answer, you're on the waiting list, "
        "place 1. I'll tell you at once if a place opens up.")

    moved = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00", 1)
    await reload(chat, path, moved)
    assert first_text(chat, OLLE).splitlines() == [
        "✏️ <b>Nytt om Hybridträffen</b> (torsdag 2 september 2027 kl. 10:00–12:30, Sverigetid):",
        "Ny tid: 09:30–12:30 → 10:00–12:30"]  # the zone once, in the first line

    await reload(chat, path, moved.replace("    capacity: 1\n", "    capacity: 1\n"
                                           "    cancelled: true\n", 1))
    assert first_text(chat, OLLE).startswith(
        "❌ <b>Inställd:</b> Hybridträffen (torsdag 2 september 2027 kl. 10:00–12:30, "
        "Sverigetid).")

    await answer(chat, ALICE, "overlap", "Coming online")
    await reload(chat, path, re.sub(r"  - id: overlap\n(    .*\n)*", "", moved))
    assert first_text(chat, ALICE).startswith(
        "❌ <b>At the same time</b> (Thursday, 2 September 2027, 11:00–13:00, Sweden Time) has "
        "been removed from the programme.")


async def test_lists_of_meetings_say_once_which_zone_their_times_are_in(mingel_chat,
                                                                       tmp_path) -> None:
    chat, _path = await start(mingel_chat, tmp_path)
    listing = chat.text(await chat.send("/programme", ALICE))
    assert "\n\nTimes are given in Sweden Time.\n" in listing
    listing = chat.text(await chat.send("/programme", OLLE))
    assert "\n\nTiderna anges i Sverigetid.\n" in listing
    found = chat.text(await chat.send("/search hybrid", ALICE))
    assert found.splitlines()[-2:] == ["", "Times are given in Sweden Time."]
    found = chat.text(await chat.send("/search lunch", ALICE))
    assert "Sweden Time" not in found, "only in person: everyone is in Stockholm"

    await answer(chat, ALICE, "lunch", "Coming in person")
    mine = chat.text(await chat.send("/my", ALICE))
    assert "Sweden Time" not in mine
    await answer(chat, ALICE, "hybrid", "Coming online")
    mine = chat.text(await chat.send("/my", ALICE))
    assert mine.splitlines()[-3:] == ["• Mon 20 Sept 12:00 – The lunch: Coming in person", "",
                                      "Times are given in Sweden Time."]


async def test_the_calendar_note_of_a_waiting_list_names_the_zone(mingel_chat,
                                                                    tmp_path) -> None:
    chat, _path = await start(mingel_chat, tmp_path)
    await answer(chat, EMMA, "hybrid", "Coming in person")
    await answer(chat, ALICE, "hybrid", "Coming in person")
    [note] = await chat.send("/calendar", ALICE)
    assert note.text.startswith("You're on the waiting list for The hybrid meeting "
                                "(Thu 2 Sept 09:30, Sweden Time), so it isn't in your calendar")
    await answer(chat, EMMA, "lunch", "Coming in person")
    await answer(chat, ALICE, "lunch", "Coming in person")
    [note] = await chat.send("/calendar", ALICE)
    assert note.text.splitlines()[1:] == ["• Thu 2 Sept 09:30 · The hybrid meeting",
                                          "• Mon 20 Sept 12:00 · The lunch",
                                          "Times are given in Sweden Time."]


async def test_an_overlap_with_a_meeting_joined_online_names_its_zone(mingel_chat,
                                                                      tmp_path) -> None:
    chat, _path = await start(mingel_chat, tmp_path)
    await answer(chat, ALICE, "overlap", "Coming online")
    await chat.send("/rsvp hybrid", ALICE)
    card = chat.text(await chat.press("Coming online", ALICE))
    assert "You're also down for At the same time at 11:00–13:00 (Sweden Time) the same day." \
        in card


async def test_an_invitation_and_the_closing_of_questions_name_the_zone(mingel_chat,
                                                                        tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path, plugins=["plugins.questions"])
    [made] = await chat.send("/invite circle", ORGANISER)
    assert made.text.startswith("🔗 <b>Invitation to The closed circle</b> (Thursday, 14 "
                                "October 2027, 09:30–11:00, Sweden Time)\n")
    payload = LINK.search(made.text).group(1)
    await reload(chat, path, PROGRAMME.replace("    invite_only: true\n", "    invite_only: true\n"
                                               "    cancelled: true\n", 1))
    gone, _welcome = await chat.send(f"/start {payload}", OLLE)  # new to the bot: welcomed too
    assert gone.text.startswith("Träffen som inbjudan gällde, Den slutna kretsen (torsdag 14 "
                                "oktober 2027 kl. 09:30–11:00, Sverigetid), är inställd")

    chat.clock.set("2027-09-02T13:00:00+00:00")  # the hybrid meeting and the lunch are over
    [closed] = await chat.send("/ask hybrid", ALICE)
    assert closed.text.startswith("Questions for this meeting closed on Thursday, 2 September "
                                  "2027 at 12:30 (Sweden Time).")
    chat.clock.set("2027-09-20T13:00:00+00:00")
    [closed] = await chat.send("/ask lunch", ALICE)
    assert closed.text.startswith("Questions for this meeting closed on Monday, 20 September "
                                  "2027 at 13:00.")


async def test_the_health_declaration_and_the_door_list_name_the_zone_in_their_heading(
        mingel_chat, tmp_path) -> None:
    asks = PROGRAMME.replace("    questions: true\n", "    questions: true\n"
                             "    health_declaration: true\n", 1)
    chat, _path = await start(mingel_chat, tmp_path, plugins=["plugins.health"], source=asks)
    await answer(chat, OLLE, "hybrid", "Kommer på plats")
    early = chat.text(await chat.send("/health hybrid", OLLE))
    assert early.startswith("Hälsodeklarationen för Hybridträffen öppnas tisdag 31 augusti 2027 "
                            "kl. 09:30 (Sverigetid), 2 dagar före träffen.")
    chat.clock.set("2027-09-01T08:00:00+00:00")
    form = chat.text(await chat.send("/health hybrid", OLLE))
    assert form.splitlines()[:3] == ["Hälsodeklaration", "Hybridträffen",
                                     "torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)"]
    doors = chat.text(await chat.send("/doorlist hybrid", ORGANISER))
    assert doors.splitlines()[:2] == ["Door list – The hybrid meeting",
                                      "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"]
