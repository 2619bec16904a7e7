"""A day where a command expects a meeting id (assistant.pickday and the programme's
`named_day` hook)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from assistant import pickday
from assistant.model import Event

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp"]


def test_a_paging_button_carries_the_day_or_only_the_offset() -> None:
    assert pickday.more("pick", date(2027, 9, 2)) == ("pick", "20270902")
    assert pickday.more("pick", None) == ("pick",)
    assert pickday.paged(["20270902", "10"]) == (date(2027, 9, 2), 10)
    assert pickday.paged(["10"]) == (None, 10)
    assert pickday.paged([]) == (None, 0)
    assert pickday.paged(["20271302", "10"]) == (None, 10)
    assert pickday.paged(["2027-9-2", "x"]) == (None, 0)


def test_a_gathering_is_on_each_of_its_days_and_a_day_ending_at_midnight_on_one() -> None:
    days = Event(id="g", networks=(), title={"sv": "G"},
                 start=datetime(2027, 11, 10, 10, tzinfo=STOCKHOLM),
                 end=datetime(2027, 11, 11, 15, tzinfo=STOCKHOLM))
    whole = Event(id="w", networks=(), title={"sv": "W"},
                  start=datetime(2027, 12, 1, tzinfo=STOCKHOLM),
                  end=datetime(2027, 12, 2, tzinfo=STOCKHOLM))
    on = pickday.on(date(2027, 11, 11))
    assert on is not None and on(days) and not on(whole)
    assert not pickday.on(date(2027, 11, 12))(days)  # type: ignore[misc]
    assert pickday.on(date(2027, 12, 1))(whole) and not pickday.on(date(2027, 12, 2))(whole)  # type: ignore[misc]
    assert pickday.on(None) is None


async def test_only_words_that_are_all_a_day_name_one(mingel_chat) -> None:
    chat = await mingel_chat(PLUGINS, now="2027-09-01T07:00:00+00:00")
    ctx = chat.assistant.context(lang="sv")
    assert ctx.hooks.named_day(ctx, "2 sep") == date(2027, 9, 2)
    assert ctx.hooks.named_day(ctx, "på tisdag") == date(2027, 9, 21)
    assert ctx.hooks.named_day(ctx, "2 sep klimat") is None
    assert ctx.hooks.named_day(ctx, "am-2027-09-03") is None
    assert ctx.hooks.named_day(ctx, "2") is None


async def test_a_day_with_nothing_to_pick_answers_as_an_unknown_id(mingel_chat) -> None:
    chat = await mingel_chat(PLUGINS, now="2027-09-01T07:00:00+00:00")
    chat.user(5, "Emma", lang="en")
    [answer] = await chat.send("/rsvp 5 sep", 5)
    assert answer.text == ("I can't find a meeting with the id 5. Send /programme to see the "
                           "meetings.")


ALL = ["plugins.basics", "plugins.programme", "plugins.invitations", "plugins.rsvp",
       "plugins.calendar", "plugins.reminders", "plugins.broadcast", "plugins.health",
       "plugins.questions", "plugins.privacy", "plugins.audit"]


def test_a_date_that_does_not_exist_is_read_as_such() -> None:
    from plugins.programme.days import no_such_date, tokens
    assert no_such_date(tokens("31/2")) == (31, 2, None)
    assert no_such_date(tokens("den 30 februari")) == (30, 2, None)
    assert no_such_date(tokens("April 31")) == (31, 4, None)
    assert no_such_date(tokens("onsdag den 31 april")) == (31, 4, None)
    assert no_such_date(tokens("29/2 2027")) == (29, 2, 2027)
    assert no_such_date(tokens("2027-02-30")) == (30, 2, 2027)
    for real_or_other in ("29/2", "29/2/2028", "30/4", "31/2 klimat", "32/1", "31/13", "0/5",
                          "am-2027-09-02", "klimat", ""):
        assert no_such_date(tokens(real_or_other)) is None, real_or_other


@pytest.mark.parametrize("typed, day", [
    ("/programme 31/2", "31 februari"), ("/program 30 februari", "30 februari"),
    ("/programme alla 31 april", "31 april"), ("/event 31/4", "31 april"),
    ("/kalender 31 april", "31 april"), ("/osa den 31 juni", "31 juni"),
    ("/event 29/2/2027", "29 februari 2027"), ("/event 2027-02-30", "30 februari 2027"),
    ("/attendees 31/4", "31 april"), ("/invite 31/4", "31 april"), ("/health 31/4", "31 april"),
    ("/doorlist 31/4", "31 april"), ("/ask 31/4", "31 april"),
    ("/questions 31/4", "31 april"), ("/moderate 31/4", "31 april"),
])
async def test_a_day_that_does_not_exist_is_named_in_swedish(mingel_chat, typed, day) -> None:
    chat = await mingel_chat(ALL, organisers=[1], now="2027-09-01T07:00:00+00:00")
    replies = await chat.send(typed, chat.user(1, "Org", lang="sv"))
    assert chat.text(replies) == f"Det finns ingen {day}."


@pytest.mark.parametrize("typed, day", [
    ("/programme 31/2", "31 February"), ("/event 31 April", "31 April"),
    ("/calendar April 31", "31 April"), ("/rsvp 31/6 2027", "31 June 2027"),
])
async def test_a_day_that_does_not_exist_is_named_in_english(mingel_chat, typed, day) -> None:
    chat = await mingel_chat(ALL, now="2027-09-01T07:00:00+00:00")
    replies = await chat.send(typed, chat.user(10, "Emma", lang="en"))
    assert chat.text(replies) == f"There is no {day}."


async def test_real_ids_and_days_that_exist_still_work(mingel_chat) -> None:
    chat = await mingel_chat(ALL, now="2027-09-01T07:00:00+00:00")
    sven = chat.user(10, "Sven", lang="sv")
    card = chat.text(await chat.send("/event am-2027-09-02", sven))
    assert card.startswith("Arbetsmarknaden efter corona")
    assert chat.text(await chat.send("/programme 2/9", sven)).startswith("Torsdag 2 september")
    assert "Torsdag 2 september 2027" in chat.text(await chat.send("/osa 2 sep", sven))
    assert chat.text(await chat.send("/event 32/1", sven)).startswith(
        "Jag hittar ingen träff med id:t 32/1.")
    assert chat.text(await chat.send("/programme 31/2 klimat", sven)).startswith(
        "Jag förstod inte")
