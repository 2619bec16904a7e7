"""A reminder before a person's day of a gathering gives that day with its hours and names
their later days, not the span from their first day to their last ("Thursday, 14 – Saturday,
16 October … each day" for someone who skips Friday): a one-day meeting, every day, days
with a gap, evenings into the night and a gathering through its nights."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from assistant.model import Attendance
from assistant.spans import attended, part, reminded
from assistant.testing import ChatHarness
from plugins.programme.loader import parse_programme
from tests.test_gathering_reminders import EMMA, HEADER, ORG, PLUGINS, SVEN, reminders, until

NOW = "2027-10-10T08:00:00+00:00"
PROGRAMME = HEADER + """  - id: frukost
    title: {sv: Frukostmöte, en: Breakfast meeting}
    start: 2027-10-20 08:00
    end: 2027-10-20 09:30
  - id: tre
    title: {sv: Tredagarskonferensen, en: Three-day conference}
    start: 2027-10-14 09:30
    end: 2027-10-16 15:00
  - id: fest
    title: {sv: Kvällsfestivalen, en: Evening festival}
    start: 2027-10-15 18:00
    end: 2027-10-18 02:00
  - id: hack
    title: {sv: Hackathon, en: Hackathon}
    start: 2027-10-13 13:00
    end: 2027-10-15 12:00
"""


async def start(mingel_chat, tmp_path: Path) -> ChatHarness:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    return chat


async def answer(chat: ChatHarness, user: int, event: str, *presses: str) -> None:
    await chat.send(f"/event {event}", user)
    for label in presses:
        await chat.press(label, user)


def of(chat: ChatHarness, user: int, title: str) -> list[str]:
    return [text for text in reminders(chat, user) if title in text.splitlines()[0]]


def lines(text: str) -> list[str]:
    """The time and days lines of a reminder."""
    return [line for line in text.splitlines() if line.startswith(("🕘", "📅"))]


async def test_a_one_day_meeting_gives_its_hours_and_no_days(mingel_chat, tmp_path: Path) -> None:
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EMMA, "frukost", "Coming in person")
    await until(chat, "2027-10-19T08:01")
    [reminder] = of(chat, EMMA, "Breakfast meeting")
    assert lines(reminder) == ["🕘 Wednesday, 20 October 2027, 08:00–09:30"]


async def test_every_day_chosen_gives_the_first_days_hours_and_the_later_days(
        mingel_chat, tmp_path: Path) -> None:
    """Emma and Sven come on all three days: the reminders before Thursday give Thursday's
    hours, and Friday and Saturday as their later days."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EMMA, "tre", "Coming in person")
    await answer(chat, SVEN, "tre", "Kommer på plats")
    await until(chat, "2027-10-13T09:31")
    [emma] = of(chat, EMMA, "Three-day conference")
    assert emma.startswith("⏰ Reminder: Three-day conference starts in 1 day.")
    assert lines(emma) == ["🕘 Thursday, 14 October 2027, 09:30–15:00",
                           "📅 Your later days: Fri 15 Oct, Sat 16 Oct"]
    [sven] = of(chat, SVEN, "Tredagarskonferensen")
    assert lines(sven) == ["🕘 torsdag 14 oktober 2027 kl. 09:30–15:00",
                           "📅 Dina senare dagar: fre 15 okt., lör 16 okt."]
    await until(chat, "2027-10-14T08:31")
    assert lines(of(chat, EMMA, "Three-day conference")[1]) == lines(emma)
    await until(chat, "2027-10-15T08:31")
    assert len(of(chat, EMMA, "Three-day conference")) == 2, "no reminder a day"


async def test_days_with_a_gap_give_the_day_then_the_day_after_the_gap(
        mingel_chat, tmp_path: Path) -> None:
    """Sven comes on Thursday and Saturday: his reminders before Thursday gave "torsdag 14 –
    lördag 16 oktober 2027 kl. 09:30–15:00 varje dag", Friday included; they give Thursday
    and name Saturday, and the one before Saturday gives Saturday alone. Emma skips
    Thursday: her day is Friday, Saturday her later day."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, SVEN, "tre", "Kommer på plats", "☑ fre 15 okt.")
    await answer(chat, EMMA, "tre", "Coming in person", "☑ Thu 14 Oct")
    await until(chat, "2027-10-13T09:31")
    [sven] = of(chat, SVEN, "Tredagarskonferensen")
    assert lines(sven) == ["🕘 torsdag 14 oktober 2027 kl. 09:30–15:00",
                           "📅 Din senare dag: lör 16 okt."]
    assert "fre" not in sven
    await until(chat, "2027-10-14T09:31")
    [emma] = of(chat, EMMA, "Three-day conference")
    assert emma.startswith("⏰ Reminder: your day at Three-day conference starts in 1 day.")
    assert lines(emma) == ["🕘 Friday, 15 October 2027, 09:30–15:00",
                           "📅 Your later day: Sat 16 Oct"]
    await until(chat, "2027-10-16T08:31")
    saturday = of(chat, SVEN, "Tredagarskonferensen")[-1]
    assert saturday.startswith("⏰ Påminnelse: din dag på Tredagarskonferensen börjar om 1 timme.")
    assert lines(saturday) == ["🕘 lördag 16 oktober 2027 kl. 09:30–15:00"]


async def test_evenings_give_the_evening_into_its_night(mingel_chat, tmp_path: Path) -> None:
    """Three evenings, Friday 18:00 to Monday 02:00: every evening chosen gives Friday's
    18:00–02:00 and the two later evenings; Friday and Sunday give Friday and name Sunday."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EMMA, "fest", "Coming in person")
    await answer(chat, SVEN, "fest", "Kommer på plats", "☑ lör 16 okt.")
    await until(chat, "2027-10-14T18:01")
    [emma] = of(chat, EMMA, "Evening festival")
    assert lines(emma) == ["🕘 Friday, 15 October 2027, 18:00–02:00",
                           "📅 Your later days: Sat 16 Oct, Sun 17 Oct"]
    [sven] = of(chat, SVEN, "Kvällsfestivalen")
    assert lines(sven) == ["🕘 fredag 15 oktober 2027 kl. 18:00–02:00",
                           "📅 Din senare dag: sön 17 okt."]


async def test_a_gathering_through_its_nights_gives_the_run_of_days_chosen(
        mingel_chat, tmp_path: Path) -> None:
    """A hackathon from Wednesday 13:00 to Friday 12:00 runs through its nights: coming on
    every day is the whole span, nobody leaves at midnight; Wednesday and Friday give
    Wednesday until midnight and name Friday."""
    chat = await start(mingel_chat, tmp_path)
    await answer(chat, EMMA, "hack", "Coming in person")
    await answer(chat, SVEN, "hack", "Kommer på plats", "☑ tors 14 okt.")
    await until(chat, "2027-10-12T13:01")
    [emma] = of(chat, EMMA, "Hackathon")
    assert lines(emma) == [("🕘 Wednesday, 13 October 2027 at 13:00 – Friday, 15 October 2027 "
                            "at 12:00")]
    [sven] = of(chat, SVEN, "Hackathon")
    assert lines(sven) == ["🕘 onsdag 13 oktober 2027 kl. 13:00–00:00",
                           "📅 Din senare dag: fre 15 okt."]


def test_reminded_cuts_the_day_from_the_span() -> None:
    """`spans.reminded`, fast: the day with its hours and the later days chosen, from the span
    a reminder counts from (its first day, or a later day a run begins on)."""
    programme = parse_programme(PROGRAMME, "t.yaml")
    tre, fest, hack = (programme.event(id) for id in ("tre", "fest", "hack"))
    at = datetime.fromisoformat

    def came(*days: str) -> Attendance:
        return Attendance("x", 1, "in_person", at(NOW), days=days)

    gap = came("2027-10-14", "2027-10-16")
    shown, later = reminded(tre, attended(tre, gap), gap)
    assert (shown.start, shown.end) == (at("2027-10-14T09:30+02:00"), at("2027-10-14T15:00+02:00"))
    assert later == [date(2027, 10, 16)]
    every = came()
    shown, later = reminded(fest, attended(fest, every), every)
    assert (shown.start, shown.end) == (at("2027-10-15T18:00+02:00"), at("2027-10-16T02:00+02:00"))
    assert later == [date(2027, 10, 16), date(2027, 10, 17)]
    shown, later = reminded(hack, attended(hack, every), every)
    assert shown is hack and later == []
    wednesday = part(hack, date(2027, 10, 13), date(2027, 10, 13))
    shown, later = reminded(hack, wednesday, every)
    assert shown == wednesday and later == [date(2027, 10, 14), date(2027, 10, 15)], \
        "a run of days one way ends where the reminder's span does"
    one = programme.event("frukost")
    assert reminded(one, one, every) == (one, [])
