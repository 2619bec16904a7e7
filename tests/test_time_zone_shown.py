"""A participant abroad (QA 38): a policy officer in London who follows a Swedish network
and takes part only online read "09:30–12:30" on the card and in the reminder with no word
of the zone, and "starts in 1 hour" at 07:30 her time beside "09:30": an hour out either way.
The times of a meeting one can join online now name the zone they are in, in the reader's
language ("Sweden Time", "Sverigetid"); a meeting only in person, where everyone is in
Stockholm, reads as before. The calendar file carries the zone, so her calendar shows 08:30."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar

from tests.test_rsvp_integration import REAL

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
  - id: hybrid
    title: {sv: Hybridträffen, en: The hybrid meeting}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    online: {platform: Zoom, url: "https://zoom.us/j/61234567890", private: true}
  - id: webinar
    title: {sv: Webbinariet, en: The webinar}
    start: 2027-11-24 14:00
    end: 2027-11-24 15:00
    venue: null
    online: {platform: Teams, url: "https://teams.example/l/1"}
  - id: lunch
    title: {sv: Lunchträffen, en: The lunch}
    start: 2027-09-20 12:00
    end: 2027-09-20 13:00
  - id: days
    title: {sv: Dagarna, en: The days}
    start: 2027-11-10
    end: 2027-11-11
    online: {platform: Zoom, url: "https://zoom.us/j/2"}
"""
NOW = "2027-08-25T08:00:00+00:00"
ALICE = 7
"""In London, English."""
LONDON = ZoneInfo("Europe/London")


async def start(mingel_chat, tmp_path):
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat([*REAL, "plugins.reminders"], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ALICE, "Alice", lang="en")
    return chat


def when_line(chat, replies, mark: str = "🗓") -> str:
    [line] = [line for line in chat.text(replies).splitlines() if line.startswith(mark)]
    return line


async def test_the_card_of_a_meeting_joined_online_names_the_zone_of_its_times(
        mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path)
    sara = chat.user(8, "Sara", lang="sv")
    card = await chat.send("/event hybrid", ALICE)
    assert when_line(chat, card) == "🗓 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"
    card = await chat.send("/event webinar", ALICE)
    assert when_line(chat, card) == "🗓 Wednesday, 24 November 2027, 14:00–15:00 (Sweden Time)"
    card = await chat.send("/event hybrid", sara)
    assert when_line(chat, card) == "🗓 torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)"
    # In person only, everyone is in Stockholm; whole days have no times to be an hour out.
    card = await chat.send("/event lunch", ALICE)
    assert when_line(chat, card) == "🗓 Monday, 20 September 2027, 12:00–13:00"
    card = await chat.send("/event days", ALICE)
    assert when_line(chat, card) == (
        "🗓 Wednesday, 10 – Thursday, 11 November 2027 (2 days)")


async def test_the_reminder_names_the_zone_and_comes_in_the_language_chosen_after_answering(
        mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/rsvp hybrid", ALICE)
    await chat.press("Coming online", ALICE)
    await chat.send("/reminders 2h, 30 min", ALICE)
    await chat.send("/language sv", ALICE)

    # 2 hours before 09:30 in Stockholm is 06:30 in London (05:30 UTC): not a minute sooner.
    chat.clock.set(datetime.fromisoformat("2027-09-02T05:29:00+00:00"))
    await chat.tick()
    assert chat.outbox.sent.get(ALICE, []) == []
    await chat.tick(minutes=1)
    [reminder] = chat.sent_to(ALICE)
    lines = chat.text([reminder]).splitlines()
    assert lines[0] == "⏰ Påminnelse: Hybridträffen börjar om 2 timmar."
    assert lines[2] == "🕘 torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)"

    chat.clock.set(datetime.fromisoformat("2027-09-02T07:00:00+00:00"))
    await chat.tick()
    last = chat.text(chat.sent_to(ALICE)[-1:]).splitlines()
    assert last[0] == "⏰ Påminnelse: Hybridträffen börjar om 30 minuter."
    assert "💻 Delta online: Zoom (https://zoom.us/j/61234567890)" in last

    # The calendar file sent after the switch is Swedish, and her calendar shows 08:30.
    [ics] = chat.documents(await chat.send("/calendar hybrid", ALICE))
    [entry] = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(entry["SUMMARY"]) == "Hybridträffen"
    begins = entry.decoded("DTSTART")
    assert entry["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert begins.astimezone(LONDON).strftime("%H:%M") == "08:30"
