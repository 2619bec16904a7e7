"""The calendar plugin: .ics files that parse, stay updatable and read right in every calendar."""
from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.parser import Contentline

from assistant import hookimpl
from assistant.context import Context
from assistant.model import Attendance, Event, Programme, text
from assistant.testing import ChatHarness
from assistant.types import Command
from plugins.calendar import ics as ics_module
from plugins.calendar.zone import add_timezones
from plugins.programme.loader import parse_programme

NOW = "2027-08-01T08:00:00+00:00"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
PLUGINS = ["plugins.basics", "plugins.calendar"]
PROGRAMME = """
timezone: Europe/Stockholm
contact: natverk@example.se
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm", latitude: 59.3326, longitude: 18.0419}
networks:
  am: {name: {sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}}
  bo: {name: {sv: Bostadspolitiskt nätverk, en: Housing policy network}}
defaults:
  networks: [am]
  venue: f7
  note: {sv: Med förbehåll för ändringar, en: Subject to change}
events:
  - id: oct
    title: {sv: Flexicurity i Danmark, en: Flexicurity in Denmark}
    description: {sv: "Vad kan vi lära av Danmark?", en: "What can we learn from Denmark?"}
    start: 2027-10-28 09:30
    end: 2027-10-28 12:30
    speakers:
      - name: Mads Peter Klindt
        role: {sv: Lektor vid Aalborgs universitet, en: "Associate Professor, Aalborg University"}
    online: {platform: Zoom, url: "https://zoom.us/j/61234567890", private: true}
    url: https://example.se/natverk/oct
  - id: nov
    networks: [am, bo]
    title: {sv: Arbete med arbetsmiljön, en: Working on the work environment}
    start: 2027-11-02 09:30
    end: 2027-11-02 12:30
  - id: web
    title: {sv: Webbinarium om kompetens, en: Webinar on skills}
    start: 2027-09-15 10:00
    end: 2027-09-15 11:00
    venue: null
    online: {url: "https://zoom.us/j/69876543210"}
  - id: days
    title: {sv: Arbetsmarknadsdagarna, en: Labour-market days}
    start: 2027-11-10 10:00
    end: 2027-11-11 15:00
  - id: secret
    title: {sv: Rundabordssamtal, en: Roundtable}
    start: 2027-10-14 09:30
    end: 2027-10-14 11:00
    invite_only: true
  - id: gone
    title: {sv: Inställt möte, en: Cancelled meeting}
    start: 2027-09-20 09:30
    end: 2027-09-20 12:30
    cancelled: true
  - id: fair
    title: {sv: Mässa, en: Fair}
    start: 2027-12-01
    end: 2027-12-02
  - id: party
    title: {sv: Nätverksfest, en: Networking party}
    start: 2027-11-10 19:00
    end: 2027-11-11 01:00
  - id: before
    title: {sv: Vårmöte, en: Spring meeting}
    start: 2027-06-01 09:30
    end: 2027-06-01 12:30
"""


def programme(changes: dict[str, str] | None = None) -> Programme:
    """The test programme, with some literal text swapped to make a new version."""
    text = PROGRAMME
    for old, new in (changes or {}).items():
        assert old in text
        text = text.replace(old, new)
    return parse_programme(text, "test.yaml")


class World:
    """Stands in for the programme and RSVP plugins: the programme, visibility and answers."""

    NAME = "world"

    def __init__(self) -> None:
        self.current = programme()
        self.answers: dict[tuple[str, int], Attendance] = {}

    def answer(self, event_id: str, user_id: int, answer: str, waiting: bool = False,
               place_revision: int = 0) -> None:
        self.answers[(event_id, user_id)] = Attendance(event_id, user_id, answer,
                                                       datetime(2027, 8, 1, tzinfo=UTC),
                                                       waiting=waiting,
                                                       place_revision=place_revision)

    @hookimpl
    def programme(self) -> Programme:
        return self.current

    @hookimpl
    def event_visible(self, ctx: Context, event: Event) -> bool:
        return not event.invite_only

    @hookimpl
    def attendance(self, ctx: Context, event: Event, user_id: int) -> Attendance | None:
        return self.answers.get((event.id, user_id))

    @hookimpl
    def attendees(self, ctx: Context, event: Event) -> list[Attendance]:
        return [a for (e, _), a in self.answers.items() if e == event.id]

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("card", self.card, "Show a card"),
                Command("notify", self.notify, "Tell a participant the meeting changed")]

    async def card(self, ctx: Context) -> None:
        event = ctx.programme.event(ctx.args[0])
        ctx.reply(f"card {event.id}", [ctx.hooks.event_buttons(ctx, event)])

    async def notify(self, ctx: Context) -> None:
        event = ctx.programme.event(ctx.args[0])

        def build(target: Context) -> None:
            for document in target.hooks.attachments(target, event, ctx.args[2]):
                target.reply(document=document)

        ctx.send_to(int(ctx.args[1]), build)
        ctx.reply("queued")


def validate(data: bytes) -> Calendar:
    """Check a file strictly against RFC 5545's shape, then parse it back."""
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "bare LF"
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "unfolded line"
    unfolded = data.replace(b"\r\n ", b"").decode().split("\r\n")[:-1]
    stack: list[str] = []
    props: dict[int, set[str]] = {}
    tzids: set[str] = set()
    for line in unfolded:
        assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
        name = re.split(r"[;:]", line, maxsplit=1)[0]
        if name == "BEGIN":
            stack.append(line[6:])
            props[len(stack)] = set()
        elif name == "END":
            component = stack.pop()
            assert line[4:] == component, f"END:{line[4:]} closes {component}"
            required = {"VCALENDAR": {"PRODID", "VERSION"},
                        "VEVENT": {"UID", "DTSTAMP", "DTSTART", "SEQUENCE", "SUMMARY"},
                        "VTIMEZONE": {"TZID"},
                        "STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
                        "DAYLIGHT": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"}}
            missing = required.get(component, set()) - props[len(stack) + 1]
            assert not missing, f"{component} lacks {missing}"
            assert not {"DTEND", "DURATION"} <= props[len(stack) + 1]
        else:
            assert stack, f"{line} outside any component"
            props[len(stack)].add(name)
            if stack[-1] == "VTIMEZONE" and name == "TZID":
                tzids.add(line[5:])
    assert not stack, f"unclosed {stack}"
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    used = set(re.findall(r";TZID=([^;:]+)", data.replace(b"\r\n ", b"").decode()))
    assert used <= tzids, f"no VTIMEZONE for {used - tzids}"
    return Calendar.from_ical(data)


def events_of(cal: Calendar) -> dict[str, object]:
    """The VEVENTs by the event id their UID starts with."""
    return {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}


async def start(mingel_chat, world: World | None = None, **kwargs: object) -> tuple[ChatHarness, World]:
    world = world or World()
    chat = await mingel_chat([PLUGINS[0], world, PLUGINS[1]], now=NOW, **kwargs)
    chat.user(7, "Eva", lang="en")
    chat.user(8, "Sven", lang="sv")
    return chat, world


async def file_for(chat: ChatHarness, event_id: str, user: int = 7) -> tuple[object, Calendar]:
    [reply] = await chat.send(f"/calendar {event_id}", user)
    assert reply.document is not None, chat.text([reply])
    return reply.document, validate(reply.document.content)


async def test_a_meeting_file_has_everything_a_calendar_shows(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    document, cal = await file_for(chat, "oct")
    assert (document.filename, document.mime_type) == ("oct.ics", "text/calendar")
    assert "add the meeting to your calendar" in document.caption
    assert (cal["METHOD"], cal["VERSION"]) == ("PUBLISH", "2.0")
    assert cal["PRODID"].startswith("-//Mingel//")
    [event] = cal.walk("VEVENT")
    assert event["SUMMARY"] == "Flexicurity in Denmark"
    assert event["LOCATION"] == "F7, Fleminggatan 7, Stockholm"
    assert event["URL"] == "https://example.se/natverk/oct"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (59.3326, 18.0419)
    assert (event["STATUS"], event["SEQUENCE"]) == ("CONFIRMED", 0)
    assert event["DTSTAMP"].dt == datetime(2027, 8, 1, 8, 0, tzinfo=UTC)
    description = str(event["DESCRIPTION"])
    assert description.startswith("What can we learn from Denmark?")
    assert "Mads Peter Klindt – Associate Professor, Aalborg University" in description
    assert "Network: Labour-market policy network" in description
    assert ("Join online (Zoom): if you're coming online, the link is sent to you in the chat "
            "shortly before the meeting.") in description
    assert "Note: Subject to change" in description
    assert b"61234567890" not in document.content


async def test_a_private_link_is_promised_only_to_those_coming_online(mingel_chat) -> None:
    """One file serves everyone, whatever they answered (or later answer): it says the link
    comes if you're coming online, never that it comes to you."""
    chat, world = await start(mingel_chat)
    world.answer("oct", 9, "in_person")
    descriptions = set()
    for user in (7, 9):
        _, cal = await file_for(chat, "oct", user=user)
        descriptions.add(str(cal.walk("VEVENT")[0]["DESCRIPTION"]))
    [description] = descriptions
    assert "Join online (Zoom): if you're coming online, the link is sent" in description
    assert "Join online (Zoom): the link is sent" not in description


async def test_times_are_right_on_both_sides_of_the_clock_change(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    for event_id, utc_hour in (("oct", 7), ("nov", 8)):
        document, cal = await file_for(chat, event_id)
        [event] = cal.walk("VEVENT")
        assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
        assert event.start.astimezone(UTC).hour == utc_hour and event.start.minute == 30
        assert event.end - event.start == timedelta(hours=3)
        [zone] = cal.walk("VTIMEZONE")
        assert zone["TZID"] == "Europe/Stockholm"
        own = zone.to_tz()
        assert event.start.replace(tzinfo=own).astimezone(UTC).hour == utc_hour
    assert b"DTSTART;TZID=Europe/Stockholm:20271102T093000\r\n" in document.content


def calendar_in(zone: ZoneInfo, *days: date) -> Calendar:
    """A calendar with a morning meeting on each day, and its time zones added."""
    cal = Calendar()
    for day in days:
        cal.add_component(VEvent.new(uid=f"{day}@test", summary="x",
                                     start=datetime(day.year, day.month, day.day, 9, 30,
                                                    tzinfo=zone)))
    add_timezones(cal, zone, min(days), max(days))
    return cal


async def test_the_time_zone_written_once_is_what_icalendar_would_write(mingel_chat,
                                                                         monkeypatch) -> None:
    """The cached VTIMEZONE text spliced into each file: the same bytes as the component."""
    chat, world = await start(mingel_chat)
    world.answer("oct", 7, "in_person")
    world.answer("days", 7, "maybe")
    spliced = [(await chat.send(text, 7))[0].document.content
               for text in ("/calendar oct", "/calendar")]
    monkeypatch.setattr(ics_module, "zone_text", lambda *args: None)
    monkeypatch.setattr(ics_module, "_made", type(ics_module._made)())
    whole = [(await chat.send(text, 7))[0].document.content
             for text in ("/calendar oct", "/calendar")]
    assert spliced == whole
    assert all(body.count(b"BEGIN:VTIMEZONE") == 1 for body in spliced)


async def test_every_meeting_is_written_as_icalendar_would_write_it(mingel_chat) -> None:
    """The VEVENT Mingel writes itself: the same bytes as icalendar's component, for every kind
    of meeting, in both languages, published and cancelled, with text that folds awkwardly."""
    awkward = "Å, ä; ö\\ 😀 ^ " * 12
    world = World()
    backslashes = "x" * 73 + "\\, " * 40
    world.current = programme({  # YAML's double quotes want each backslash doubled
        "Vad kan vi lära av Danmark?": awkward.replace("\\", "\\\\"),
        "What can we learn from Denmark?": backslashes.replace("\\", "\\\\")})
    assert text(world.current.event("oct").description, "en") == backslashes.strip()
    chat, world = await start(mingel_chat, world)
    stamps = (datetime(2027, 8, 1, 8, 0, 7, tzinfo=UTC),
              datetime(2027, 8, 1, 10, 0, 7, tzinfo=STOCKHOLM))
    for lang in ("sv", "en"):
        ctx = chat.assistant.context(lang=lang).for_plugin("calendar")
        for event in world.current.events:
            for cancelled, stamp in ((False, stamps[0]), (True, stamps[1])):
                ours = ics_module.vevent_text(ctx, event, cancelled, stamp)
                assert ours == ics_module.vevent(ctx, event, cancelled, stamp).to_ical(), event.id
                assert b"DTSTAMP:20270801T080007Z\r\n" in ours
    assert awkward.split()[0] in validate(ics_module.render(
        chat.assistant.context(lang="sv").for_plugin("calendar"),
        [world.current.event("oct")])).walk("VEVENT")[0]["DESCRIPTION"]


async def test_meetings_at_the_same_moment_in_two_zones_keep_their_own_zone(mingel_chat) -> None:
    """Start and end lines are kept between files; two meetings at the same instant in
    different zones must still each be written in their own zone, as icalendar writes them."""
    chat, _world = await start(mingel_chat)
    ctx = chat.assistant.context(lang="sv").for_plugin("calendar")
    helsinki = ZoneInfo("Europe/Helsinki")
    begin = datetime(2027, 6, 28, 9, 30, tzinfo=STOCKHOLM)
    events = [Event(id=f"z{n}", networks=(), title={"sv": "Möte"}, start=start,
                    end=start + timedelta(hours=3))
              for n, start in enumerate((begin, begin.astimezone(helsinki), begin))]
    assert events[0].start == events[1].start, "the same instant"
    stamp = datetime(2027, 6, 1, 8, 0, tzinfo=UTC)
    files = [ics_module.vevent_text(ctx, event, False, stamp) for event in events]
    assert b"DTSTART;TZID=Europe/Stockholm:20270628T093000\r\n" in files[0]
    assert b"DTSTART;TZID=Europe/Helsinki:20270628T103000\r\n" in files[1]
    assert b"DTEND;TZID=Europe/Helsinki:20270628T133000\r\n" in files[1]
    for event, ours in zip(events, files, strict=True):
        assert ours == ics_module.vevent(ctx, event, False, stamp).to_ical(), event.id


@pytest.mark.parametrize("value", ["Rum 3\r\nPlan 2", "a\rb\nc", "x\\Ny", "\\N\\n;,\\",
                                   "Möte; kaffe, fika " * 9, "", "@ ^ \" ' ´"])
@pytest.mark.parametrize("name", ["SUMMARY", "DESCRIPTION", "LOCATION", "UID", "STATUS"])
def test_text_lines_are_escaped_as_icalendar_escapes_them(name: str, value: str) -> None:
    """Line breaks of every kind, a written-out \\N, backslashes, commas and semicolons."""
    entry = VEvent()
    entry.add(name, value)
    assert ics_module._line(name, value) + b"\r\n" == entry.to_ical().split(b"\r\n", 1)[1] \
        .removesuffix(b"END:VEVENT\r\n")


@pytest.mark.parametrize("tail", ["å", "😀", "\\,", "\\n", "^^", "a"])
def test_long_lines_fold_where_icalendar_folds_them(tail: str) -> None:
    """Never inside a character, never after an escape's first half: at every offset."""
    for length in range(60, 160):
        line = "DESCRIPTION:" + "".join(("é" if i % 7 == 0 else "b") for i in range(length)) + tail * 9
        assert ics_module._fold(line.encode()) == Contentline(line).to_ical(), (length, tail)


def test_the_time_zone_is_two_yearly_rules_as_outlook_needs() -> None:
    cal = calendar_in(STOCKHOLM, date(2027, 12, 1), date(2028, 1, 20))
    [zone] = cal.walk("VTIMEZONE")
    assert sorted(part.name for part in zone.subcomponents) == ["DAYLIGHT", "STANDARD"]
    assert all("RRULE" in part and "RDATE" not in part for part in zone.subcomponents)
    own = zone.to_tz()
    for day in (date(2027, 3, 1), date(2027, 7, 1), date(2027, 10, 31), date(2028, 3, 27),
                date(2028, 11, 2), date(2029, 6, 1)):
        moment = datetime(day.year, day.month, day.day, 9, 30)
        assert moment.replace(tzinfo=own).utcoffset() == \
            moment.replace(tzinfo=STOCKHOLM).utcoffset(), day
    assert b"DTSTART:20260329T020000" in zone.to_ical()


def test_a_zone_without_daylight_saving_keeps_icalendars_definition() -> None:
    cal = calendar_in(ZoneInfo("Asia/Tokyo"), date(2027, 10, 1))
    [zone] = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "Asia/Tokyo"
    assert datetime(2027, 10, 1, 9, tzinfo=zone.to_tz()).utcoffset() == timedelta(hours=9)


async def test_uid_is_stable_across_renders_and_restarts(mingel_chat, tmp_path: Path) -> None:
    chat, world = await start(mingel_chat, data_dir=tmp_path)
    _, first = await file_for(chat, "nov")
    _, second = await file_for(chat, "nov", user=8)
    _, other = await file_for(chat, "oct")
    uid = str(events_of(first)["nov"]["UID"])
    assert uid == str(events_of(second)["nov"]["UID"]) and uid.startswith("nov@")
    assert uid != str(events_of(other)["oct"]["UID"])
    await chat.stop()
    again, _ = await start(mingel_chat, world, data_dir=tmp_path)
    _, after_restart = await file_for(again, "nov")
    assert str(events_of(after_restart)["nov"]["UID"]) == uid
    elsewhere, _ = await start(mingel_chat, World(), data_dir=tmp_path / "other")
    _, other_install = await file_for(elsewhere, "nov")
    assert str(events_of(other_install)["nov"]["UID"]) != uid


async def test_sequence_rises_once_per_change_whoever_notices_first(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    _, cal = await file_for(chat, "nov")
    assert events_of(cal)["nov"]["SEQUENCE"] == 0
    before = world.current.event("nov")
    world.current = programme({"2027-11-02 09:30": "2027-11-02 10:00"})
    after = world.current.event("nov")
    _, cal = await file_for(chat, "nov")
    assert events_of(cal)["nov"]["SEQUENCE"] == 1
    assert events_of(cal)["nov"].start.astimezone(UTC).hour == 9
    await chat.assistant.hooks.event_changed(chat.assistant.context(), before, after, ("time",))
    _, cal = await file_for(chat, "nov", user=8)
    assert events_of(cal)["nov"]["SEQUENCE"] == 1

    moved = programme({"2027-11-02 09:30": "2027-11-02 10:00",
                       "end: 2027-11-02 12:30": "end: 2027-11-02 13:00"})
    await chat.assistant.hooks.event_changed(chat.assistant.context(), after,
                                             moved.event("nov"), ("time",))
    world.current = moved
    _, cal = await file_for(chat, "nov")
    assert events_of(cal)["nov"]["SEQUENCE"] == 2


async def test_a_file_is_made_once_for_ten_minutes_and_anew_after_a_change(mingel_chat) -> None:
    """Crowded meetings get the same file for a while (DTSTAMP: when it was made); a change
    to the meeting never waits for that."""
    chat, world = await start(mingel_chat)
    first, _ = await file_for(chat, "oct")
    chat.clock.advance(timedelta(minutes=9))
    again, _ = await file_for(chat, "oct")
    assert again.content == first.content
    _, swedish = await file_for(chat, "oct", user=8)
    assert events_of(swedish)["oct"]["SUMMARY"] == "Flexicurity i Danmark"
    chat.clock.advance(timedelta(minutes=2))
    _, later = await file_for(chat, "oct")
    assert events_of(later)["oct"]["DTSTAMP"].dt == datetime(2027, 8, 1, 8, 11, tzinfo=UTC)
    world.current = programme({"2027-10-28 09:30": "2027-10-28 10:00"})
    _, moved = await file_for(chat, "oct")
    assert events_of(moved)["oct"]["SEQUENCE"] == 1
    assert events_of(moved)["oct"].start.astimezone(STOCKHOLM).hour == 10


async def test_a_festivals_files_are_all_kept_for_their_ten_minutes(mingel_chat) -> None:
    """Thousands of meetings each with their own file: the first one made still goes out as
    the same bytes minutes and thousands of files later (so Telegram gets its file_id)."""
    chat, _world = await start(mingel_chat)
    ctx = chat.assistant.context(lang="sv").for_plugin("calendar")
    begin = datetime(2027, 6, 28, 9, 30, tzinfo=STOCKHOLM)
    events = [Event(id=f"f{n}", networks=(), title={"sv": f"Möte {n}"}, start=begin,
                    end=begin + timedelta(hours=3)) for n in range(4000)]
    first = ics_module.event_file(ctx, events[0], False).content
    for event in events[1:]:
        ics_module.event_file(ctx, event, False)
    chat.clock.advance(timedelta(minutes=5))
    later = chat.assistant.context(lang="sv").for_plugin("calendar")
    assert later.now == ctx.now + timedelta(minutes=5)
    assert ics_module.event_file(later, events[0], False).content == first


async def test_a_file_made_again_is_kept_as_the_newest(mingel_chat, monkeypatch) -> None:
    """A file made anew after its ten minutes goes to the back of the queue, so the next new
    file does not push it out while it is fresh."""
    monkeypatch.setattr(ics_module, "FILES_KEPT", 3)
    monkeypatch.setattr(ics_module, "_made", type(ics_module._made)())
    chat, _world = await start(mingel_chat)
    begin = datetime(2027, 6, 28, 9, 30, tzinfo=STOCKHOLM)
    a, b, c, d = (Event(id=f"f{n}", networks=(), title={"sv": f"Möte {n}"}, start=begin,
                        end=begin + timedelta(hours=3)) for n in range(4))

    def made(event: Event) -> bytes:
        ctx = chat.assistant.context(lang="sv").for_plugin("calendar")
        return ics_module.event_file(ctx, event, False).content

    for event in (a, b, c):
        made(event)
    chat.clock.advance(timedelta(minutes=11))
    again = made(a)
    made(d)
    chat.clock.advance(timedelta(minutes=1))
    assert made(a) == again


async def test_changes_a_calendar_does_not_show_keep_the_sequence(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    await file_for(chat, "nov")
    world.current = programme({"networks: [am, bo]": "networks: [am, bo]\n    capacity: 5"})
    assert world.current.event("nov").capacity == 5
    _, cal = await file_for(chat, "nov")
    assert events_of(cal)["nov"]["SEQUENCE"] == 0


async def test_cancelled_meetings_are_removed_from_calendars(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    _, published = await file_for(chat, "nov")
    ctx = chat.assistant.context(user=chat.user(7, "Eva", lang="en"), lang="en")
    [document] = chat.assistant.hooks.attachments(ctx, world.current.event("nov"), "cancelled")
    cal = validate(document.content)
    assert cal["METHOD"] == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == events_of(published)["nov"]["UID"]
    assert event["SEQUENCE"] > events_of(published)["nov"]["SEQUENCE"]
    assert "remove the meeting" in document.caption
    assert str(event["DESCRIPTION"]).startswith("This meeting has been cancelled.")
    assert "Subject to change" not in str(event["DESCRIPTION"]), "no note for what is off"

    document, cal = await file_for(chat, "gone")
    assert (cal["METHOD"], cal.walk("VEVENT")[0]["STATUS"]) == ("CANCEL", "CANCELLED")


async def test_a_removed_meeting_gets_one_higher_sequence(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    _, cal = await file_for(chat, "oct")
    assert events_of(cal)["oct"]["SEQUENCE"] == 0
    event = world.current.event("oct")
    await chat.assistant.hooks.event_changed(chat.assistant.context(), event, None, ())
    ctx = chat.assistant.context(user=chat.user(7, "Eva", lang="en"), lang="en")
    [document] = chat.assistant.hooks.attachments(ctx, event, "cancelled")
    assert validate(document.content).walk("VEVENT")[0]["SEQUENCE"] == 1


async def test_attachments_follow_the_reason(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    ctx = chat.assistant.context(user=chat.user(8, "Sven", lang="sv"), lang="sv")
    oct_ = world.current.event("oct")
    world.answer("oct", 8, "in_person")
    for reason in ("confirmed", "promoted", "changed"):
        [document] = chat.assistant.hooks.attachments(ctx, oct_, reason)
        cal = validate(document.content)
        assert (document.filename, cal["METHOD"]) == ("oct.ics", "PUBLISH")
        assert cal.walk("VEVENT")[0]["SUMMARY"] == "Flexicurity i Danmark"


async def test_a_change_brings_no_file_to_someone_without_a_place(mingel_chat) -> None:
    """/calendar tells someone on the waiting list the meeting is not in their calendar
    yet; a change notice must not put it there behind its back."""
    chat, world = await start(mingel_chat)
    oct_ = world.current.event("oct")
    for user, answer, waiting in ((8, "in_person", True), (9, "no", False),
                                  (10, "maybe", False), (11, "online", False)):
        world.answer("oct", user, answer, waiting=waiting)
        ctx = chat.assistant.context(user=chat.user(user, f"U{user}"), lang="en")
        files = chat.assistant.hooks.attachments(ctx, oct_, "changed")
        assert len(files) == (0 if user in (8, 9) else 1), (answer, waiting)
    replies = await chat.send("/calendar", chat.user(8, "U8"))
    assert "waiting list" in chat.text(replies) and not any(r.document for r in replies)


async def test_a_place_no_longer_held_is_removed_and_one_held_again_is_not(
        mingel_chat) -> None:
    """"removed": the message about a lost place (or Can't come) brings a cancellation above
    the file the person had (the answers' store raised their `place_revision`), saying why,
    and leaves the meeting's own number, which everyone's files share, as it was; by the time
    it is built they may have a place again, and then it brings nothing. The next ordinary
    file is above the cancellation."""
    chat, world = await start(mingel_chat)
    oct_ = world.current.event("oct")
    _, published = await file_for(chat, "oct", 8)
    first = events_of(published)["oct"]["SEQUENCE"]
    captions = {}
    for user, answer, waiting in ((8, "in_person", True), (9, "no", False)):
        world.answer("oct", user, answer, waiting=waiting, place_revision=1)
        ctx = chat.assistant.context(user=chat.user(user, f"U{user}", lang="sv"), lang="sv")
        [document] = chat.assistant.hooks.attachments(ctx, oct_, "removed")
        cal = validate(document.content)
        [event] = cal.walk("VEVENT")
        assert (cal["METHOD"], event["STATUS"]) == ("CANCEL", "CANCELLED")
        assert event["UID"] == events_of(published)["oct"]["UID"]
        assert event["SEQUENCE"] > first
        captions[user] = document.caption
    assert captions[8].startswith("Du står på väntelistan. Om träffen finns i din kalender "
                                   "öppnar du filen för att ta bort den")
    assert captions[9].startswith("Du har svarat att du inte kan komma. Om träffen finns i din "
                                  "kalender öppnar du filen")
    for answer in ("online", "maybe"):
        world.answer("oct", 10, answer)
        ctx = chat.assistant.context(user=chat.user(10, "U10"), lang="en")
        assert chat.assistant.hooks.attachments(ctx, oct_, "removed") == []
    _, others = await file_for(chat, "oct", 12)
    assert events_of(others)["oct"]["SEQUENCE"] == first
    world.answer("oct", 8, "in_person", place_revision=2)
    _, again = await file_for(chat, "oct", 8)
    assert events_of(again)["oct"]["SEQUENCE"] > event["SEQUENCE"]
    assert "cancelled" not in str(event["DESCRIPTION"]).lower()


async def test_online_only_meeting_points_to_its_link(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    _, cal = await file_for(chat, "web")
    [event] = cal.walk("VEVENT")
    assert event["LOCATION"] == event["URL"] == "https://zoom.us/j/69876543210"
    assert "GEO" not in event
    assert "Join online (Zoom): https://zoom.us/j/69876543210" in str(event["DESCRIPTION"])


async def test_swedish_users_get_swedish_text(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    document, cal = await file_for(chat, "oct", user=8)
    [event] = cal.walk("VEVENT")
    assert event["SUMMARY"] == "Flexicurity i Danmark"
    description = str(event["DESCRIPTION"])
    assert "Talare:\nMads Peter Klindt – Lektor vid Aalborgs universitet" in description
    assert "Nätverk: Arbetsmarknadspolitiskt nätverk" in description
    assert ("Delta online (Zoom): deltar du online skickas länken till dig i chatten strax "
            "före träffen.") in description
    assert "Obs: Med förbehåll för ändringar" in description
    assert document.caption == "Öppna filen för att lägga in träffen i din kalender."
    _, joint = await file_for(chat, "nov", user=8)
    assert "Nätverk: Arbetsmarknadspolitiskt nätverk, Bostadspolitiskt nätverk" in \
        str(joint.walk("VEVENT")[0]["DESCRIPTION"])


async def test_no_user_is_named_in_any_file(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    chat.user(555123777, "Zlatan", lang="en", username="zlatan_i")
    for event_id in ("oct", "nov", "web", "days"):
        world.answer(event_id, 555123777, "in_person")
        document, _ = await file_for(chat, event_id, user=555123777)
        assert not re.search(rb"555123777|Zlatan|zlatan_i", document.content)
    [bundle] = await chat.send("/calendar", 555123777)
    assert not re.search(rb"555123777|Zlatan|zlatan_i", bundle.document.content)


async def test_a_two_day_gathering_repeats_its_hours_each_day(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    document, cal = await file_for(chat, "days")
    [event] = cal.walk("VEVENT")
    assert event.start == datetime(2027, 11, 10, 10, 0, tzinfo=STOCKHOLM)
    assert event.end == datetime(2027, 11, 10, 15, 0, tzinfo=STOCKHOLM)
    assert b"RRULE:FREQ=DAILY;COUNT=2\r\n" in document.content


async def test_whole_days_are_all_day_and_overnight_meetings_one_span(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    document, cal = await file_for(chat, "fair")
    [event] = cal.walk("VEVENT")
    assert (event.start, event.end) == (date(2027, 12, 1), date(2027, 12, 3))
    assert b"DTSTART;VALUE=DATE:20271201\r\n" in document.content
    assert b"FREQ=DAILY" not in document.content
    document, cal = await file_for(chat, "party")
    [event] = cal.walk("VEVENT")
    assert event.end - event.start == timedelta(hours=6)
    assert b"FREQ=DAILY" not in document.content


async def test_my_meetings_bundle_what_i_come_to_or_might(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    world.answer("oct", 7, "in_person")
    world.answer("web", 7, "online")
    world.answer("days", 7, "maybe")
    world.answer("nov", 7, "in_person", waiting=True)
    world.answer("secret", 7, "in_person")
    world.answer("gone", 7, "in_person")
    world.answer("before", 7, "in_person")
    world.answer("nov", 8, "no")
    reply, waiting = await chat.send("/calendar", 7)
    assert reply.document.filename == "meetings.ics"
    assert chat.text([waiting]).startswith(
        "You're on the waiting list for Working on the work environment (Tue 2 Nov 09:30), so it")
    assert reply.document.caption == "3 meetings: open the file to add them to your calendar."
    cal = validate(reply.document.content)
    assert sorted(events_of(cal)) == ["days", "oct", "web"]
    assert cal["METHOD"] == "PUBLISH" and len(cal.walk("VTIMEZONE")) == 1

    [nothing] = await chat.send("/calendar", 8)
    assert nothing.document is None
    assert "/programme" in chat.text([nothing])
    world.answer("oct", 8, "maybe")
    [one] = await chat.send("/calendar", 8)
    assert one.document.filename == "oct.ics"


async def test_calendar_alone_tells_whoever_only_waits_that_the_file_comes_with_a_place(
        mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    world.answer("nov", 7, "in_person", waiting=True)
    world.answer("secret", 7, "in_person", waiting=True)
    world.answer("oct", 7, "no")
    [reply] = await chat.send("/calendar", 7)
    assert reply.document is None
    assert chat.text([reply]) == (
        "You're on the waiting list for Working on the work environment (Tue 2 Nov 09:30), so it "
        "isn't in your calendar yet: I send you its calendar file as soon as a place is yours.")
    world.answer("nov", 8, "in_person", waiting=True)
    world.answer("days", 8, "in_person", waiting=True)
    [reply] = await chat.send("/calendar", 8)
    assert chat.text([reply]) == (
        "Du står på väntelistan till 2 kommande träffar, så de finns inte i din kalender än: jag "
        "skickar kalenderfilen för varje träff så fort du har fått en plats där.\n"
        "• tis 2 nov. 09:30 · Arbete med arbetsmiljön\n"
        "• ons 10 nov. 10:00 · Arbetsmarknadsdagarna")
    world.answer("oct", 7, "maybe")
    one, waiting = await chat.send("/calendar", 7)
    assert one.document.filename == "oct.ics"
    assert waiting.document is None and "waiting list" in chat.text([waiting])


async def test_calendar_alone_names_the_waited_for_meetings_after_the_file(mingel_chat) -> None:
    """A seat at one meeting and a waiting-list place at another: the one file, and a word,
    naming the other, that it comes once a place is theirs."""
    chat, world = await start(mingel_chat)
    chat.user(7, "Kim", lang="sv")
    world.answer("oct", 7, "in_person")
    world.answer("nov", 7, "in_person", waiting=True)
    file, note = await chat.send("/calendar", 7)
    assert file.document.filename == "oct.ics"
    assert chat.text([note]) == (
        "Du står på väntelistan till Arbete med arbetsmiljön (tis 2 nov. 09:30), så den finns inte "
        "i din kalender än: jag skickar kalenderfilen så fort du har fått en plats.")
    world.answer("days", 7, "in_person", waiting=True)
    world.answer("web", 7, "online")
    file, note = await chat.send("/calendar", 7)
    assert file.document.filename == "meetings.ics"
    assert chat.text([note]).startswith("Du står på väntelistan till 2 kommande träffar, så de")
    world.answer("nov", 7, "no")
    world.answer("days", 7, "maybe")
    [file] = await chat.send("/calendar", 7)
    assert file.document.filename == "meetings.ics"


async def test_calendar_alone_names_up_to_five_waited_for_meetings_then_counts(
        mingel_chat) -> None:
    """The note names the meetings waited for, titles escaped, while there are at most five;
    more are only counted."""
    world = World()
    world.current = programme({"en: Working on the work environment":
                               "en: Work & <b>health</b>"})
    chat, _ = await start(mingel_chat, world)
    for event_id in ("oct", "nov", "web", "days", "fair"):
        world.answer(event_id, 7, "in_person", waiting=True)
    [reply] = await chat.send("/calendar", 7)
    assert chat.text([reply]) == (
        "You're on the waiting list for 5 upcoming meetings, so they aren't in your calendar "
        "yet: I send you each one's calendar file as soon as a place is yours.\n"
        "• Wed 15 Sept 10:00 · Webinar on skills\n"
        "• Thu 28 Oct 09:30 · Flexicurity in Denmark\n"
        "• Tue 2 Nov 09:30 · Work & <b>health</b>\n"
        "• Wed 10 Nov 10:00 · Labour-market days\n"
        "• Wed 1 Dec · Fair\n"
        "Times are given in Sweden Time.")  # the webinar is joined online
    assert "Work &amp; &lt;b&gt;health&lt;/b&gt;" in reply.text
    world.answer("party", 7, "in_person", waiting=True)
    [reply] = await chat.send("/calendar", 7)
    assert chat.text([reply]) == (
        "You're on the waiting list for 6 upcoming meetings, so they aren't in your calendar "
        "yet: I send you each one's calendar file as soon as a place is yours.")
    world.answer("party", 7, "in_person")
    party, note = await chat.send("/calendar", 7)
    assert party.document.filename == "party.ics"
    assert "• Tue 2 Nov 09:30 · Work & <b>health</b>" in chat.text([note]).splitlines()


async def test_the_waiting_note_tells_two_meetings_of_one_day_apart_by_their_times(
        mingel_chat) -> None:
    """A festival day has several meetings: the note names each by its day and start time,
    in the reader's language and the meeting's zone, as the pickers do; whole days no time."""
    chat, world = await start(mingel_chat)
    chat.user(8, "Kim", lang="sv")
    for user in (7, 8):
        for event_id in ("days", "party"):
            world.answer(event_id, user, "in_person", waiting=True)
    world.answer("fair", 8, "in_person", waiting=True)
    [english] = await chat.send("/calendar", 7)
    assert chat.text([english]).splitlines()[1:] == [
        "• Wed 10 Nov 10:00 · Labour-market days", "• Wed 10 Nov 19:00 · Networking party"]
    [swedish] = await chat.send("/calendar", 8)
    assert chat.text([swedish]).splitlines()[1:] == [
        "• ons 10 nov. 10:00 · Arbetsmarknadsdagarna", "• ons 10 nov. 19:00 · Nätverksfest",
        "• ons 1 dec. · Mässa"]
    world.answer("days", 7, "in_person")
    world.answer("days", 8, "in_person")
    world.answer("fair", 8, "no")
    _file, note = await chat.send("/calendar", 7)
    assert chat.text([note]).startswith(
        "You're on the waiting list for Networking party (Wed 10 Nov 19:00), so it isn't")
    _file, note = await chat.send("/calendar", 8)
    assert chat.text([note]).startswith(
        "Du står på väntelistan till Nätverksfest (ons 10 nov. 19:00), så den finns inte")


class CountingWorld(World):
    """The stand-in world, counting the lookups of one user's answer."""

    def __init__(self) -> None:
        super().__init__()
        self.lookups: list[str] = []

    @hookimpl
    def attendance(self, ctx: Context, event: Event, user_id: int) -> Attendance | None:
        self.lookups.append(event.id)
        return self.answers.get((event.id, user_id))


async def test_calendar_alone_looks_up_each_upcoming_answer_once(mingel_chat) -> None:
    """One pass sorts the meetings into coming and waited for (it used to ask twice per
    meeting); what the user gets is the same: the file, then the note."""
    world = CountingWorld()
    chat, _ = await start(mingel_chat, world)
    world.answer("oct", 7, "in_person")
    world.answer("days", 7, "maybe")
    world.answer("nov", 7, "in_person", waiting=True)
    world.answer("secret", 7, "in_person", waiting=True)
    world.lookups.clear()
    file, note = await chat.send("/calendar", 7)
    assert sorted(events_of(validate(file.document.content))) == ["days", "oct"]
    assert chat.text([note]).startswith("You're on the waiting list for Working on the work "
                                        "environment (Tue 2 Nov 09:30), so it isn't")
    upcoming = ["web", "oct", "secret", "nov", "days", "party", "fair"]
    in_the_file = ["oct", "days"]  # the file asks for the days each reader comes
    assert sorted(world.lookups) == sorted(upcoming + in_the_file)


@pytest.mark.parametrize("event_id", ["nope", "secret", "<b>x</b>"])
async def test_unknown_or_hidden_meetings_get_no_file(mingel_chat, event_id: str) -> None:
    chat, _ = await start(mingel_chat)
    [reply] = await chat.send(f"/calendar {event_id}", 7)
    assert reply.document is None
    assert chat.text([reply]) == (f"I can't find a meeting with the id {event_id}. "
                                  "Send /programme to see the meetings.")


async def test_past_meetings_get_no_file(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    [reply] = await chat.send("/calendar before", 8)
    assert reply.document is None and chat.text([reply]) == "Den här träffen har redan ägt rum."


async def test_card_button_only_for_people_who_come(mingel_chat) -> None:
    chat, world = await start(mingel_chat)
    world.answer("oct", 7, "maybe")
    world.answer("oct", 8, "in_person", waiting=True)
    world.answer("gone", 7, "in_person")
    assert chat.buttons(await chat.send("/card oct", 7)) == ["📅 Add to calendar"]
    assert chat.buttons(await chat.send("/card oct", 8)) == []
    assert chat.buttons(await chat.send("/card gone", 7)) == []
    assert chat.buttons(await chat.send("/card nov", 7)) == []
    await chat.send("/card oct", 7)
    [reply] = await chat.press("Add to calendar", 7)
    assert reply.document.filename == "oct.ics"
    validate(reply.document.content)


@pytest.mark.parametrize("data", ["calendar:add:secret", "calendar:add:nope", "calendar:add",
                                  "calendar:add:before"])
async def test_forged_calendar_buttons_change_nothing(mingel_chat, data: str) -> None:
    chat, _ = await start(mingel_chat)
    replies = await chat.press_data(data, 7)
    said = [*(r.text for r in replies), *filter(None, [chat.toasts[7]])]
    assert len(said) == 1, said  # once: a message naming /programme, or a short notice
    assert chat.assistant.store.table("calendar_events").count() == 0


async def test_sequences_of_long_ended_meetings_are_forgotten(mingel_chat) -> None:
    chat, _ = await start(mingel_chat)
    for event_id in ("web", "nov"):
        await file_for(chat, event_id)
    table = chat.assistant.store.table("calendar_events")
    await chat.assistant.hooks.trim_past(chat.assistant.context(),
                                         datetime(2027, 10, 1, tzinfo=UTC))
    assert [doc["event"] for doc in table.all()] == ["nov"]


async def test_calendar_alone_without_answers_offers_the_meetings_to_pick(mingel_chat) -> None:
    """Someone who answered nothing gets the upcoming meetings as buttons (not the ended,
    cancelled or hidden ones), and a tap sends that meeting's file."""
    chat, _ = await start(mingel_chat)
    [picker] = await chat.send("/calendar", 8)
    assert picker.document is None
    assert chat.text([picker]) == (
        "Du har inte svarat att du kommer till någon kommande träff än. Välj en för att få dess "
        "kalenderfil, eller skicka /programme för att se träffarna och svara.")
    assert chat.buttons([picker]) == [
        "ons 15 sep. 10:00 · Webbinarium om kompetens",
        "tors 28 okt. 09:30 · Flexicurity i Danmark",
        "tis 2 nov. 09:30 · Arbete med arbetsmiljön",
        "ons 10 nov. 10:00 · Arbetsmarknadsdagarna",
        "ons 10 nov. 19:00 · Nätverksfest", "ons 1 dec. · Mässa"]
    replies = await chat.press("tors 28 okt. 09:30 · Flexicurity i Danmark", 8)
    assert [r.document.filename for r in replies if r.document] == ["oct.ics"]
    [reply] = await chat.send("/calendar OCT", 7)
    assert reply.document.filename == "oct.ics"


async def test_coming_online_to_a_meeting_held_both_ways_puts_the_platform_in_the_file(
        mingel_chat) -> None:
    """Online on every day of a fair that can be followed online: the platform is the entry's
    place (no map pin), and its whole days stay one span; a maybe keeps the venue."""
    world = World()
    world.current = programme({"    end: 2027-12-02\n": "    end: 2027-12-02\n    online: "
                               "{platform: Zoom, url: \"https://zoom.us/j/1\", private: true}\n"})
    chat, _ = await start(mingel_chat, world)
    world.answer("fair", 7, "online")
    world.answer("fair", 8, "maybe")
    document, cal = await file_for(chat, "fair")
    [event] = cal.walk("VEVENT")
    assert event["LOCATION"] == "Online (Zoom)" and "GEO" not in event
    assert (event.start, event.end) == (date(2027, 12, 1), date(2027, 12, 3))
    assert b"FREQ=DAILY" not in document.content
    _document, cal = await file_for(chat, "fair", 8)
    [event] = cal.walk("VEVENT")
    assert event["LOCATION"] == "F7, Fleminggatan 7, Stockholm"
