"""A gathering of evenings, each running into its night (a festival's evening programme from
Friday 18:00 to Sunday 02:00): two days, Friday and Saturday, not a third one of Sunday's
small hours; a single evening into the night stays one meeting without days."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant import spans
from assistant.i18n import Formatter
from assistant.testing import ChatHarness
from plugins.programme.loader import parse_programme
from tests.test_calendar import events_of, validate
from tests.test_gathering_days import documents, occurrences
from tests.test_gathering_night_ways import VENUE, parts
from tests.test_gathering_reminders import HEADER, reminders, until
from tests.test_gathering_ways import EVA
from tests.test_gathering_ways import PLUGINS as WAYS
from tests.test_gathering_ways import PROGRAMME as HYBRID

NOW = "2027-10-01T08:00:00+00:00"
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.reminders",
           "plugins.calendar"]
ORG, SVEN, EMMA = 1, 2, 3
TZ = ZoneInfo("Europe/Stockholm")
PROGRAMME = HEADER + """  - id: fest
    title: {sv: Kvällsfestivalen, en: Evening festival}
    start: 2027-10-15 18:00
    end: 2027-10-17 02:00
    capacity: 1
  - id: kvall
    title: {sv: Kvällsmingel, en: Evening mingle}
    start: 2027-10-22 18:00
    end: 2027-10-23 02:00
  - id: midnatt
    title: {sv: Till midnatt, en: To midnight}
    start: 2027-10-29 19:00
    end: 2027-10-31 00:00
  - id: helg
    title: {sv: Helgkvällar, en: Weekend evenings}
    start: 2027-10-08 20:00
    end: 2027-10-10 03:00
  - id: gryning
    title: {sv: Gryning, en: Dawn}
    start: 2027-11-05 05:00
    end: 2027-11-07 02:00
"""


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=TZ)


def test_evenings_into_the_night_are_their_evenings_days() -> None:
    """Friday 18:00 to Sunday 02:00 has two days, each from its evening into the night
    after; one evening has one day; a gathering from before dawn keeps its three."""
    programme = parse_programme(PROGRAMME, "t.yaml")
    fest = programme.event("fest")
    assert fest.days() == [date(2027, 10, 15), date(2027, 10, 16)]
    assert spans.day(fest, date(2027, 10, 15)) == (at("2027-10-15T18:00"), at("2027-10-16T02:00"))
    assert spans.day(fest, date(2027, 10, 16)) == (at("2027-10-16T18:00"), at("2027-10-17T02:00"))
    saturday = spans.part(fest, date(2027, 10, 16), date(2027, 10, 16))
    assert (saturday.start, saturday.end) == (at("2027-10-16T18:00"), at("2027-10-17T02:00"))
    assert not saturday.is_multi_day
    evening = programme.event("kvall")
    assert evening.days() == [date(2027, 10, 22)] and not evening.is_multi_day
    midnight = programme.event("midnatt")
    assert [d.day for d in midnight.days()] == [29, 30]
    assert spans.day(midnight, date(2027, 10, 30)) == (at("2027-10-30T19:00"),
                                                       at("2027-10-31T00:00"))
    dawn = programme.event("gryning")
    assert [d.day for d in dawn.days()] == [5, 6, 7] and not dawn.daily_hours


def test_evenings_read_as_their_days_and_hours_each_evening() -> None:
    swedish, english = Formatter("sv", TZ, "{date} kl. {time}", "{date} kl. {start}–{end}",
                                 "{days} kl. {start}–{end} varje dag",
                                 "{days} kl. {start}–{end} varje kväll"), Formatter("en", TZ)
    friday, sunday = at("2027-10-15T18:00"), at("2027-10-17T02:00")
    assert swedish.range(friday, sunday) == \
        "fredag 15 – lördag 16 oktober 2027 kl. 18:00–02:00 varje kväll"
    assert english.range(friday, sunday, zone=True) == \
        "Friday, 15 – Saturday, 16 October 2027, 18:00–02:00 each evening (Sweden Time)"
    assert english.range(friday, at("2027-10-16T02:00")) == "Friday, 15 October 2027, 18:00–02:00"
    assert english.range(at("2027-11-05T05:00"), at("2027-11-07T02:00")) == \
        "Friday, 5 November 2027 05:00 – Sunday, 7 November 2027 02:00"


async def start(mingel_chat, tmp_path: Path) -> ChatHarness:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ORG, "Olle", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    return chat


async def test_the_card_offers_the_two_evenings_and_seats_count_per_evening(
        mingel_chat, tmp_path: Path) -> None:
    """The one seat: Emma takes it on Saturday only, so Sven, who wants both evenings, waits
    for Saturday's, and has Friday's once he drops Saturday."""
    chat = await start(mingel_chat, tmp_path)
    card = chat.text(await chat.send("/event fest", SVEN))
    assert "🗓 fredag 15 – lördag 16 oktober 2027 kl. 18:00–02:00 varje kväll (2 kvällar)" in card
    assert "söndag" not in card
    await chat.send("/event fest", EMMA)
    replies = await chat.press("Coming in person", EMMA)
    assert [b for b in chat.buttons(replies) if b[:1] in "☐☑"] == ["☑ Fri 15 Oct", "☑ Sat 16 Oct"]
    replies = await chat.press("☑ Fri 15 Oct", EMMA)
    assert "Your days: Sat 16 Oct" in chat.text(replies)
    [ics] = documents(replies)
    event = events_of(validate(ics.content))["fest"]
    assert [(s.day, s.hour, e.day, e.hour) for s, e in occurrences(event)] == [(16, 18, 17, 2)]
    assert "• Sat 16 Oct 18:00 – Evening festival: Coming in person" in \
        chat.text(await chat.send("/my", EMMA))

    await chat.send("/event fest", SVEN)
    replies = await chat.press("Kommer på plats", SVEN)
    assert "Kommer på plats – väntelista, plats 1" in chat.text(replies)
    assert "fre 15 okt.: 1 av 1 plats kvar, lör 16 okt.: fullbokad" in chat.text(replies)
    replies = await chat.press("☑ lör 16 okt.", SVEN)
    assert "Dina dagar: fre 15 okt." in chat.text(replies)
    assert "väntelista" not in chat.text(replies)
    lines = chat.text(await chat.send("/attendees fest", ORG)).splitlines()
    assert "Friday, 15 – Saturday, 16 October 2027, 18:00–02:00 each evening" in lines
    assert "Fri 15 Oct – In person: 1" in lines and "Sat 16 Oct – In person: 1" in lines
    listing = chat.text(await chat.send("/programme", SVEN))
    assert "fre 15 okt. 18:00 – sön 17 okt. 02:00 · Kvällsfestivalen" in listing
    assert "fre 22 okt. 18:00 · Kvällsmingel" in listing, "one evening lists its start alone"


async def test_reminders_and_my_count_the_evening_chosen_through_its_night(
        mingel_chat, tmp_path: Path) -> None:
    """Emma comes on Saturday evening only: reminded before Saturday, of Saturday's evening;
    Sven comes to both evenings of a weekend: /my keeps Friday until its night is over."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/event helg", SVEN)
    await chat.press("Kommer på plats", SVEN)
    await until(chat, "2027-10-09T02:30")
    assert "• fre 8 okt. 20:00 – Helgkvällar" in chat.text(await chat.send("/my", SVEN))
    await until(chat, "2027-10-09T03:30")
    assert "• lör 9 okt. 20:00 – Helgkvällar" in chat.text(await chat.send("/my", SVEN))
    await chat.send("/event fest", EMMA)
    await chat.press("Coming in person", EMMA)
    await chat.press("☑ Fri 15 Oct", EMMA)
    await until(chat, "2027-10-14T18:01")
    assert reminders(chat, EMMA) == []
    await until(chat, "2027-10-15T18:01")
    [day_before] = reminders(chat, EMMA)
    assert day_before.startswith("⏰ Reminder: your day at Evening festival starts in 1 day.")
    assert "Saturday, 16 October 2027, 18:00–02:00" in day_before
    assert "Friday" not in day_before and "each evening" not in day_before
    await until(chat, "2027-10-16T17:01")
    assert reminders(chat, EMMA)[1].startswith(
        "⏰ Reminder: your day at Evening festival starts in 1 hour.")


async def test_an_evening_followed_online_has_its_own_entry_into_its_night(
        mingel_chat, tmp_path: Path) -> None:
    """Eva is at the venue on Friday evening and follows Saturday's from home: her file has
    Friday 18:00–02:00 at the venue and Saturday 18:00–02:00 online, not a span through."""
    path = tmp_path / "programme.yaml"
    path.write_text(HYBRID.replace("2027-11-27 09:00", "2027-11-26 18:00")
                    .replace("2027-11-28 16:00", "2027-11-28 02:00").replace("CAP", "40"),
                    encoding="utf-8")
    chat = await mingel_chat(WAYS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(EVA, "Eva", lang="en")
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    [ics] = documents(await chat.press("💻 Sat 27 Nov online instead", EVA))
    assert parts(ics.content) == [("Fri 18:00", "Sat 02:00", VENUE),
                                  ("Sat 18:00", "Sun 02:00", "Online (Zoom)")]
