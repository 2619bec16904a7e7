"""Reminders of a two-day gathering: counted from the first day each person chose (QA 40)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.testing import ChatHarness

NOW = "2027-10-10T08:00:00+00:00"
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.reminders",
           "plugins.calendar"]
ORG, SVEN, EMMA = 1, 2, 3
HEADER = """
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  nat: {name: {sv: Välfärdsnätverket, en: Welfare network}}
defaults:
  networks: [nat]
  venue: f7
events:
"""
PROGRAMME = HEADER + """  - id: host
    title: {sv: Höstkonferensen, en: Autumn conference}
    start: 2027-10-14 09:30
    end: 2027-10-15 15:00
    online: https://zoom.us/j/61234567890
    capacity: 40
    speakers: [Anna Berg, Karl Lund]
  - id: frukost
    title: {sv: Frukostmöte, en: Breakfast meeting}
    start: 2027-10-20 08:00
    end: 2027-10-20 09:30
"""


async def start(mingel_chat, tmp_path: Path, programme: str = PROGRAMME) -> ChatHarness:
    path = tmp_path / "programme.yaml"
    path.write_text(programme, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    return chat


async def until(chat: ChatHarness, moment: str) -> None:
    """Tick the clock forward to a local time in Stockholm (summer time: UTC+2)."""
    chat.clock.set(datetime.fromisoformat(moment + "+02:00"))
    await chat.tick()


def reminders(chat: ChatHarness, user: int) -> list[str]:
    return [chat.text([r]) for r in chat.sent_to(user) if "⏰" in (r.text or "")]


async def test_someone_coming_on_day_two_only_is_reminded_before_day_two(
        mingel_chat, tmp_path: Path) -> None:
    """Sven comes on Friday only: a reminder the day before Thursday and an hour before
    Thursday's start told him of a day he skips, and nothing came before Friday."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/event host", SVEN)
    await chat.press("Kommer på plats", SVEN)
    replies = await chat.press("☑ tors 14 okt.", SVEN)
    assert "Dina dagar: fre 15 okt." in chat.text(replies)
    await until(chat, "2027-10-13T09:31")
    await until(chat, "2027-10-14T08:31")
    assert reminders(chat, SVEN) == []
    await until(chat, "2027-10-14T09:31")
    [day_before] = reminders(chat, SVEN)
    assert day_before.startswith("⏰ Påminnelse: din dag på Höstkonferensen börjar om 1 dag."), \
        "his day, not the gathering, which begins now"
    assert "fredag 15 oktober 2027 kl. 09:30–15:00 (Sverigetid)" in day_before
    assert "torsdag" not in day_before
    await until(chat, "2027-10-15T08:31")
    assert reminders(chat, SVEN)[1].startswith("⏰ Påminnelse: din dag på Höstkonferensen börjar om "
                                               "1 timme.")
    await until(chat, "2027-10-15T10:00")
    assert len(reminders(chat, SVEN)) == 2


async def test_someone_coming_both_days_is_reminded_before_the_first(
        mingel_chat, tmp_path: Path) -> None:
    """Emma comes on both days: her reminders come before Thursday, give Thursday's hours and
    name Friday as her later day (they gave "Thursday, 14 – Friday, 15 October"); the second
    day brings none (she is there already)."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/event host", EMMA)
    await chat.press("Coming in person", EMMA)
    await until(chat, "2027-10-13T09:31")
    [day_before] = reminders(chat, EMMA)
    assert day_before.startswith("⏰ Reminder: Autumn conference starts in 1 day.")
    assert "🕘 Thursday, 14 October 2027, 09:30–15:00 (Sweden Time)\n📅 Your later day: Fri 15 " \
        "Oct\n" in day_before
    await until(chat, "2027-10-14T08:31")
    await until(chat, "2027-10-15T08:31")
    assert len(reminders(chat, EMMA)) == 2


async def test_dropping_the_first_day_after_its_reminder_brings_those_of_the_second(
        mingel_chat, tmp_path: Path) -> None:
    """Emma got the reminder the day before Thursday, then can come on Friday only: Friday's
    reminders still come (under the first day's keys they were taken as sent)."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/event host", EMMA)
    await chat.press("Coming in person", EMMA)
    await until(chat, "2027-10-13T09:31")
    assert len(reminders(chat, EMMA)) == 1
    await chat.send("/event host", EMMA)
    await chat.press("☑ Thu 14 Oct", EMMA)
    await until(chat, "2027-10-14T08:31")
    assert len(reminders(chat, EMMA)) == 1
    await until(chat, "2027-10-14T09:31")
    second = reminders(chat, EMMA)[1]
    assert second.startswith("⏰ Reminder: your day at Autumn conference starts in 1 day.")
    assert "Friday, 15 October 2027, 09:30–15:00" in second
    await until(chat, "2027-10-15T08:31")
    assert reminders(chat, EMMA)[2].startswith("⏰ Reminder: your day at Autumn conference starts in "
                                               "1 hour.")


async def test_the_attendee_list_counts_the_places_of_each_day(mingel_chat,
                                                               tmp_path: Path) -> None:
    """The organiser's counts are of people: with Sven on Friday only and Emma on both days,
    'In person: 2' did not tell how many to expect on Thursday."""
    chat = await start(mingel_chat, tmp_path)
    chat.user(ORG, "Olle", lang="en")
    await chat.send("/event host", SVEN)
    await chat.press("Kommer på plats", SVEN)
    await chat.press("☑ tors 14 okt.", SVEN)
    await chat.send("/event host", EMMA)
    await chat.press("Coming online", EMMA)
    lines = chat.text(await chat.send("/attendees host", ORG)).splitlines()
    assert "In person: 1 · Online: 1 · Maybe: 0 · Waiting list: 0 · Can't come: 0" in lines
    assert "Thu 14 Oct – In person: 0 · Online: 1" in lines
    assert "Fri 15 Oct – In person: 1 · Online: 1" in lines


async def test_my_shows_the_next_day_still_ahead_of_a_gathering(mingel_chat,
                                                                 tmp_path: Path) -> None:
    """On the evening of day one /my points to day two, not to the day just over (QA 40)."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/event host", EMMA)
    await chat.press("Coming in person", EMMA)
    await until(chat, "2027-10-14T08:00")
    assert "• Thu 14 Oct 09:30 – <b>Autumn conference</b>" in \
        (await chat.send("/my", EMMA))[0].text
    await until(chat, "2027-10-14T12:00")
    assert "• Thu 14 Oct 09:30 –" in (await chat.send("/my", EMMA))[0].text, \
        "day one is under way"
    await until(chat, "2027-10-14T20:00")
    assert "• Fri 15 Oct 09:30 – <b>Autumn conference</b>" in \
        (await chat.send("/my", EMMA))[0].text


async def test_a_reminder_of_day_two_still_queued_when_day_two_begins_is_dropped(
        mingel_chat, tmp_path: Path) -> None:
    """Sven comes on Friday only. His "your day starts in 1 hour" was queued at 08:30 and
    still waited in the outbox (a morning's backlog) at 09:30, when his day began: it went
    then, late and wrong, while a reminder of the gathering's first day is dropped when the
    gathering begins (the tick looked for stale reminders only when a meeting began)."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/event host", SVEN)
    await chat.press("Kommer på plats", SVEN)
    await chat.press("☑ tors 14 okt.", SVEN)
    await until(chat, "2027-10-14T09:31")
    assert len(reminders(chat, SVEN)) == 1
    chat.clock.set(datetime.fromisoformat("2027-10-15T08:31+02:00"))
    await chat.assistant.tick()
    assert chat.assistant.outbox.waiting("reminders:") == 1, "queued, not sent yet"
    await until(chat, "2027-10-15T09:30:30")
    assert len(reminders(chat, SVEN)) == 1
    assert chat.assistant.outbox.tally(f"reminders:host:{_friday()}:{SVEN}")["dropped"] == 1


def _friday() -> int:
    """The start of Sven's day in his reminders' keys: Friday 09:30 in Stockholm."""
    return int(datetime.fromisoformat("2027-10-15T09:30+02:00").timestamp())


PRIVATE = PROGRAMME.replace("online: https://zoom.us/j/61234567890",
                            'online: {platform: Zoom, url: "https://zoom.us/j/61234567890", '
                            'private: true}')
"""The conference with a private join link, which only the last reminder brings."""


async def test_the_link_alone_speaks_of_ones_day(mingel_chat, tmp_path: Path) -> None:
    """On Friday at 09:00 Emma answers Coming online, for Friday only: the link comes alone,
    and said "It has already begun" of a day that starts in half an hour. Sven, online on
    Friday only, had his link with the last reminder; the organisers change it at 08:40, and
    the new one said "It starts in 50 minutes" of the gathering that began the day before."""
    path = tmp_path / "programme.yaml"
    path.write_text(PRIVATE, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_CHANGE_DELAY": "2m"})
    sven, emma = chat.user(SVEN, "Sven", lang="sv"), chat.user(EMMA, "Emma", lang="en")
    await chat.send("/event host", sven)
    await chat.press("Deltar online", sven)
    await chat.press("☑ tors 14 okt.", sven)
    await until(chat, "2027-10-15T08:31")
    assert "https://zoom.us/j/61234567890" in chat.sent_to(sven)[-1].text
    chat.clock.set(datetime.fromisoformat("2027-10-15T08:40+02:00"))
    path.write_text(PRIVATE.replace("61234567890", "99999999999"), encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    for _ in range(6):
        await chat.tick(seconds=30)
    new = chat.sent_to(sven)[-1]
    assert chat.text([new]).startswith(
        "Länken för att delta online i Höstkonferensen har ändrats. Här är den nya, som ersätter "
        "den jag skickade tidigare. Din dag där börjar om 50 minuter.")
    assert "https://zoom.us/j/99999999999" in new.text

    chat.clock.set(datetime.fromisoformat("2027-10-15T09:00+02:00"))
    await chat.send("/event host", emma)
    await chat.press("Coming online", emma)
    await chat.press("☑ Thu 14 Oct", emma)
    await chat.tick(seconds=30)
    [link] = chat.sent_to(emma)[-1:]
    assert chat.text([link]).startswith("Here is the link to join Autumn conference online. "
                                        "Your day there starts in 30 minutes.")
    assert "Friday, 15 October 2027, 09:30–15:00" in chat.text([link])


async def test_someone_moved_online_on_the_eve_of_their_day_is_told_when_the_link_comes(
        mingel_chat, tmp_path: Path) -> None:
    """Emma comes in person on Friday only. On Thursday evening the conference goes online
    only: her notice said nothing of the link, as if her day had begun with Thursday's."""
    path = tmp_path / "programme.yaml"
    path.write_text(PRIVATE, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_CHANGE_DELAY": "2m"})
    emma = chat.user(EMMA, "Emma", lang="en")
    await chat.send("/event host", emma)
    await chat.press("Coming in person", emma)
    await chat.press("☑ Thu 14 Oct", emma)
    chat.clock.set(datetime.fromisoformat("2027-10-14T18:00+02:00"))
    path.write_text(PRIVATE.replace("    capacity: 40\n", "    venue: null\n"), encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    await chat.tick(minutes=3)
    notice = next(chat.text([r]) for r in chat.sent_to(emma) if "online only" in (r.text or ""))
    assert ("The meeting is now online only, so your answer is now “Coming online”. You'll get "
            "the link to join shortly before your day there begins.") in notice
    assert "zoom.us" not in notice


async def test_a_seat_for_ones_later_day_given_on_its_morning_says_when_it_starts(
        mingel_chat, tmp_path: Path) -> None:
    """Emma waits for a seat on Friday only; Sven gives his up at 09:00 on Friday: the seat
    is hers, and half an hour is all she has to get there."""
    chat = await start(mingel_chat, tmp_path, PROGRAMME.replace("capacity: 40", "capacity: 1"))
    sven, emma = chat.user(SVEN, "Sven", lang="sv"), chat.user(EMMA, "Emma", lang="en")
    for user, label, day in ((sven, "Kommer på plats", "☑ tors 14 okt."),
                             (emma, "Coming in person", "☑ Thu 14 Oct")):
        await chat.send("/event host", user)
        await chat.press(label, user)
        await chat.press(day, user)
    chat.clock.set(datetime.fromisoformat("2027-10-15T09:00+02:00"))
    await chat.send("/event host", sven)
    await chat.press("Kan inte komma", sven)
    await chat.tick()
    news = next(chat.text([r]) for r in chat.sent_to(emma) if "Good news" in (r.text or ""))
    assert "it's yours for Fri 15 Oct" in news
    assert news.endswith("Your day there starts in 30 minutes.")
