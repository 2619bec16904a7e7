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

HEADER = """
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknadsnätverket, en: Labour-market network}}
defaults:
  networks: [am]
  venue: f7
events:
"""
"""A programme's lines before its meetings, shared by the zone tests."""
PROGRAMME = HEADER + """  - id: hybrid
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


async def test_a_gathering_joined_online_gives_its_days_and_zone_in_one_bracket(
        mingel_chat, tmp_path) -> None:
    """QA 40: "kl. 10:00–15:00 varje dag (Sverigetid) (2 dagar)" read as two afterthoughts."""
    path = tmp_path / "programme.yaml"
    path.write_text(HEADER + """  - id: conf
    title: {sv: Konferensen, en: The conference}
    start: 2027-11-10 10:00
    end: 2027-11-11 15:00
    online: {platform: Zoom, url: "https://zoom.us/j/3"}
  - id: evenings
    title: {sv: Kvällarna, en: The evenings}
    start: 2027-10-15 18:00
    end: 2027-10-17 02:00
    online: {platform: Zoom, url: "https://zoom.us/j/4"}
""", encoding="utf-8")
    chat = await mingel_chat([*REAL], now=NOW, env={"MINGEL_PROGRAMME": str(path)})
    sara = chat.user(8, "Sara", lang="sv")
    alice = chat.user(ALICE, "Alice", lang="en")
    assert when_line(chat, await chat.send("/event conf", sara)) == (
        "🗓 onsdag 10 – torsdag 11 november 2027 kl. 10:00–15:00 varje dag (2 dagar, Sverigetid)")
    assert when_line(chat, await chat.send("/event conf", alice)) == (
        "🗓 Wednesday, 10 – Thursday, 11 November 2027, 10:00–15:00 each day "
        "(2 days, Sweden Time)")
    assert when_line(chat, await chat.send("/event evenings", sara)).endswith(
        "kl. 18:00–02:00 varje kväll (2 kvällar, Sverigetid)")


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


OLGA, MONA = 1, 2
"""The organiser, and the network's moderator (Swedish)."""


async def start_all(mingel_chat, tmp_path):
    """The meetings with questions and broadcasts too; Mona moderates the network."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat([*REAL, "plugins.questions", "plugins.broadcast"], now=NOW,
                             organisers=[OLGA], flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(OLGA, "Olga", lang="en")
    chat.user(MONA, "Mona", lang="sv")
    chat.user(ALICE, "Alice", lang="en")
    for user in (OLGA, MONA, ALICE):
        await chat.send("/start", user)
    await chat.send(f"/moderators am add {MONA}", OLGA)
    await chat.deliver()
    return chat


async def ask(chat, event: str, text: str) -> None:
    """Alice asks a question with her name."""
    await chat.send(f"/ask {event}", ALICE)
    await chat.send(text, ALICE)
    await chat.press("Show my name", ALICE)


async def test_the_questions_of_a_meeting_joined_online_name_the_zone_for_everyone(
        mingel_chat, tmp_path) -> None:
    """Review (session 35): the moderators' nudge, their list and the participants' list of a
    hybrid meeting's questions gave its times without the zone that its card names."""
    chat = await start_all(mingel_chat, tmp_path)
    await ask(chat, "hybrid", "Will the labour market recover?")
    [nudge] = (await chat.deliver())[MONA]
    assert chat.text([nudge]).splitlines()[1:3] == [
        "Hybridträffen", "torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)"]
    queue = await chat.send("/moderate hybrid", MONA)
    assert chat.text(queue[:1]).splitlines()[1] == \
        "torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)"
    await chat.press("Godkänn", MONA)
    listing = await chat.send("/questions hybrid", ALICE)
    assert chat.text(listing).splitlines()[:2] == [
        "Questions for The hybrid meeting",
        "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"]
    assert "Will the labour market recover?" in chat.text(listing)

    # In person only, everyone is in Stockholm: as on its card, no zone.
    await ask(chat, "lunch", "Is lunch included?")
    [nudge] = (await chat.deliver())[MONA]
    assert chat.text([nudge]).splitlines()[2] == "måndag 20 september 2027 kl. 12:00–13:00"
    queue = await chat.send("/moderate lunch", MONA)
    assert chat.text(queue[:1]).splitlines()[1] == "måndag 20 september 2027 kl. 12:00–13:00"
    listing = await chat.send("/questions lunch", ALICE)
    assert chat.text(listing).splitlines()[1] == "Monday, 20 September 2027, 12:00–13:00"


async def test_a_broadcast_about_a_meeting_names_its_time_as_the_card_does(
        mingel_chat, tmp_path) -> None:
    """Review (session 35): "About: The hybrid meeting (…, 09:30–12:30)" left out the zone
    the card names; the time is now on its own line as on the card, with the zone for a
    meeting joined online and without it for one only in person."""
    chat = await start_all(mingel_chat, tmp_path)
    for event, answer in (("hybrid", "Coming online"), ("lunch", "Coming in person")):
        await chat.send(f"/rsvp {event}", ALICE)
        await chat.press(answer, ALICE)
    for title, when in (
            ("The hybrid meeting", "🗓 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"),
            ("The lunch", "🗓 Monday, 20 September 2027, 12:00–13:00")):
        await chat.send("/broadcast", OLGA)
        await chat.press("Participants of a meeting", OLGA)
        await chat.press(title, OLGA)
        await chat.press("All of them", OLGA)
        preview = await chat.send("See you there!", OLGA)
        assert chat.text(preview[1:]).splitlines() == [
            "📣 Message from the organisers", f"About: {title}", when, "", "See you there!"]
        await chat.press("Send to 1 person", OLGA)
        await chat.deliver()
        assert chat.text(chat.sent_to(ALICE)[-1:]) == chat.text(preview[1:])
