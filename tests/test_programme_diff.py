"""Tests for comparing two versions of a programme."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.model import Event, Online, Person, Programme, Venue
from plugins.programme.changes import field_change
from plugins.programme.diff import FIELDS, EventChange, diff_programmes
from plugins.programme.loader import load_programme

STOCKHOLM = ZoneInfo("Europe/Stockholm")
F7 = Venue("f7", "F7", "Fleminggatan 7, Stockholm", 59.3326, 18.0419)
SAMPLE = Path(__file__).resolve().parents[1] / "plugins" / "programme" / "sample.yaml"


def event(id: str, day: int = 2, **changes: object) -> Event:
    start = datetime(2027, 9, day, 9, 30, tzinfo=STOCKHOLM)
    base = Event(id=id, networks=("arbetsmarknad",), title={"sv": "Möte", "en": "Meeting"},
                 start=start, end=start + timedelta(hours=3), venue=F7, capacity=40,
                 speakers=(Person("Roger Mörtvik", {"sv": "statssekreterare"}),))
    return replace(base, **changes)


def programme(*events: Event) -> Programme:
    return Programme(timezone=STOCKHOLM, events=events, venues={"f7": F7})


def test_identical_programmes_are_empty() -> None:
    old = programme(event("a"), event("b", 3))
    assert diff_programmes(old, programme(event("b", 3), event("a"))).empty


def test_sample_against_itself() -> None:
    sample = load_programme(SAMPLE)
    assert diff_programmes(sample, load_programme(SAMPLE)).empty


def test_added_and_removed() -> None:
    diff = diff_programmes(programme(event("a"), event("b", 3)),
                           programme(event("b", 3), event("c", 4), event("d", 1)))
    assert [e.id for e in diff.added] == ["d", "c"]
    assert [e.id for e in diff.removed] == ["a"]
    assert diff.changed == () and diff.cancelled == () and not diff.empty


def test_cancelled_is_separate_from_changed() -> None:
    old = programme(event("a"), event("b", 3))
    new = programme(event("a", cancelled=True, note={"sv": "Inställt"}), event("b", 4))
    diff = diff_programmes(old, new)
    (cancelled,) = diff.cancelled
    assert cancelled.before.id == "a" and cancelled.fields == ("cancelled", "note")
    assert "cancelled" in cancelled
    assert [(c.after.id, c.fields) for c in diff.changed] == [("b", ("time",))]


def test_uncancelled_is_a_change() -> None:
    diff = diff_programmes(programme(event("a", cancelled=True)), programme(event("a")))
    assert diff.cancelled == ()
    assert [c.fields for c in diff.changed] == [("cancelled",)]


@pytest.mark.parametrize("changes, fields", [
    ({"end": datetime(2027, 9, 2, 15, tzinfo=STOCKHOLM)}, ("time",)),
    ({"title": {"sv": "Möte", "en": "Meeting!"}}, ("title",)),
    ({"description": "Ny beskrivning"}, ("description",)),
    ({"networks": ("arbetsmarknad", "bostad")}, ("networks",)),
    ({"venue": None, "online": Online("Zoom", "https://zoom.us/j/1")}, ("venue", "online")),
    ({"venue": replace(F7, address="Fleminggatan 9")}, ("venue",)),
    ({"speakers": ()}, ("speakers",)),
    ({"capacity": 60, "online_capacity": 100}, ("capacity", "online_capacity")),
    ({"invite_only": True, "health_declaration": True, "health_required": True},
     ("invite_only", "health_declaration", "health_required")),
    ({"questions": False, "question_mode": "live"}, ("questions", "question_mode")),
    ({"note": {"sv": "Med förbehåll för ändringar"}, "url": "https://example.se"},
     ("note", "url")),
])
def test_changed_fields(changes: dict[str, object], fields: tuple[str, ...]) -> None:
    diff = diff_programmes(programme(event("a")), programme(event("a", **changes)))
    assert diff.changed == (EventChange(event("a"), event("a", **changes), fields),)
    assert set(fields) <= set(FIELDS)


def test_same_instant_in_another_zone_is_not_a_time_change() -> None:
    before = event("a")
    utc = ZoneInfo("UTC")
    after = replace(before, start=before.start.astimezone(utc), end=before.end.astimezone(utc))
    assert diff_programmes(programme(before), programme(after)).empty


def test_online_link_change() -> None:
    before = event("a", online=Online("Zoom", "https://zoom.us/j/1", private=True))
    after = replace(before, online=Online("Zoom", "https://zoom.us/j/2", private=True))
    (change,) = diff_programmes(programme(before), programme(after)).changed
    assert change.fields == ("online",)


def test_field_names_are_stable() -> None:
    assert FIELDS == (
        "time", "title", "description", "networks", "venue", "online", "speakers", "capacity",
        "online_capacity", "invite_only", "health_declaration", "health_required", "questions",
        "question_mode", "cancelled", "note", "url",
    )


async def test_a_meeting_moved_within_the_repeated_autumn_hour_is_described(mingel_chat) -> None:
    """02:30 the first time round and 02:30 the second are an hour apart: the notice says
    the end moved, though both read 02:30."""
    chat = await mingel_chat()
    ctx = chat.assistant.context("programme", lang="en")
    night = datetime(2027, 10, 31, 1, 0, tzinfo=STOCKHOLM)
    before = event("natt", start=night, end=night.replace(hour=2, minute=30))
    after = replace(before, end=before.end.replace(fold=1))
    assert [c.fields for c in diff_programmes(programme(before), programme(after)).changed] \
        == [("time",)]
    assert field_change(ctx, "time", before, after).startswith("Time: ends 02:30 → 02:30")


@pytest.mark.parametrize(("title", "shown"), [
    ({"sv": "Träff", "en": "Meeting"}, "Rubrik (sv): Möte → Träff"),
    ({"sv": "Träff", "en": "Session"}, "Rubrik: Möte → Träff"),
    ({"sv": "Möte", "en": "Session"}, "Rubrik (en): Meeting → Session"),
    ({"sv": "Träff"}, "Rubrik (sv): Möte → Träff; Rubrik (en): Meeting → ingen"),
    ({"sv": "Träff", "en": "Meeting", "de": "Treffen"},
     "Rubrik (sv): Möte → Träff; Rubrik (de): ingen → Treffen"),
], ids=["swedish only", "every language", "english only", "english dropped", "german added"])
async def test_a_title_changed_in_some_languages_names_them(mingel_chat, title, shown) -> None:
    """A Swedish reader's title changed: without a language only when every language changed,
    so that the organiser sees that the others stay (and their readers are not told)."""
    chat = await mingel_chat()
    ctx = chat.assistant.context("programme", lang="sv")
    assert field_change(ctx, "title", event("a"), event("a", title=title)) == shown


@pytest.mark.parametrize(("before", "after", "shown"), [
    ({}, {"sv": "Plan 3", "en": "Floor 3"}, "Anmärkning: ingen → Plan 3"),
    ({"sv": "Plan 3", "en": "Floor 3"}, {}, "Anmärkning: Plan 3 → ingen"),
    ({"": "Plan 3"}, {"sv": "Plan 4"}, "Anmärkning: Plan 3 → Plan 4"),
    ({"sv": "Plan 3"}, {"sv": "Plan 4", "en": "Floor 4"},
     "Anmärkning (sv): Plan 3 → Plan 4; Anmärkning (en): ingen → Floor 4"),
], ids=["added", "removed", "one language", "english added"])
async def test_a_note_added_or_removed_whole_names_no_language(mingel_chat, before, after,
                                                               shown) -> None:
    chat = await mingel_chat()
    ctx = chat.assistant.context("programme", lang="sv")
    assert field_change(ctx, "note", event("a", note=before), event("a", note=after)) == shown
