"""A hybrid gathering held as one span through its nights (a hackathon from Friday 13:00 to
Sunday 12:00), someone in person on some days and online on others: the calendar file cuts
it into its days, each with the place it is taken part in; it kept the first day's venue
for the whole span (docs/calendar.md)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from assistant.testing import ChatHarness
from tests.test_calendar import validate
from tests.test_gathering_days import documents
from tests.test_gathering_ways import EVA, NOW, ORG, PLUGINS, PROGRAMME, SVEN

HACKATHON = PROGRAMME.replace("2027-11-27 09:00", "2027-11-26 13:00") \
    .replace("2027-11-28 16:00", "2027-11-28 12:00").replace("CAP", "40")
VENUE = "Norra Latin, Drottninggatan 71B, Stockholm"


def parts(ics: bytes) -> list[tuple[str, str, str]]:
    """Each occurrence a calendar shows, as (start, end, location): the series' repeats less
    its EXDATEs and those an entry of their own (RECURRENCE-ID) replaces, and those."""
    from tests.test_gathering_days import occurrences
    entries = validate(ics).walk("VEVENT")
    [series] = [e for e in entries if "RECURRENCE-ID" not in e]
    moved = {e["RECURRENCE-ID"].dt: e for e in entries if "RECURRENCE-ID" in e}
    assert all(e["UID"] == series["UID"] and e["SEQUENCE"] == series["SEQUENCE"]
               for e in moved.values())
    shown = []
    for start, end in occurrences(series):
        entry = moved.pop(start, None)
        if entry is not None:
            start, end = entry["DTSTART"].dt, entry["DTEND"].dt
        shown.append((f"{start:%a %H:%M}", f"{end:%a %H:%M}",
                      str((entry or series)["LOCATION"])))
    assert not moved, "every entry of its own replaces an occurrence"
    return shown


async def start(mingel_chat, tmp_path: Path) -> ChatHarness:
    path = tmp_path / "programme.yaml"
    path.write_text(HACKATHON, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(EVA, "Eva", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    return chat


async def test_each_day_of_the_span_has_its_own_place(mingel_chat, tmp_path: Path) -> None:
    """Eva is there on Friday and Saturday and follows Sunday morning from home; Sven, there
    all the time, keeps the one span."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    [ics] = documents(await chat.press("💻 Sun 28 Nov online instead", EVA))
    assert parts(ics.content) == [("Fri 13:00", "Sat 00:00", VENUE),
                                  ("Sat 00:00", "Sun 00:00", VENUE),
                                  ("Sun 00:00", "Sun 12:00", "Online (Zoom)")]
    assert b"zoom.us" not in ics.content
    await chat.send("/rsvp konf", SVEN)
    [ics] = documents(await chat.press("Kommer på plats", SVEN))
    assert parts(ics.content) == [("Fri 13:00", "Sun 12:00", VENUE)]


async def test_a_day_skipped_between_is_left_out_and_online_first(mingel_chat,
                                                                  tmp_path: Path) -> None:
    """Eva follows Friday online, skips Saturday and comes on Sunday: the skipped day is no
    longer inside one span, and Friday is online."""
    chat = await start(mingel_chat, tmp_path)
    await chat.send("/rsvp konf", EVA)
    await chat.press("Coming in person", EVA)
    await chat.press("☑ Sat 27 Nov", EVA)
    [ics] = documents(await chat.press("💻 Fri 26 Nov online instead", EVA))
    assert parts(ics.content) == [("Fri 13:00", "Sat 00:00", "Online (Zoom)"),
                                  ("Sun 00:00", "Sun 12:00", VENUE)]
    [sunday] = [e for e in validate(ics.content).walk("VEVENT") if "RECURRENCE-ID" in e]
    assert sunday["RECURRENCE-ID"].dt == datetime.fromisoformat("2027-11-28T13:00+01:00"), \
        "the repeat of Friday's start it replaces"
