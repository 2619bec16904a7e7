"""A day where a command expects a meeting id (assistant.pickday and the programme's
`named_day` hook)."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

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
