"""The /reload preview warns under a meeting that the new file adds, or moves, into the past
(a year or month mistyped: it would take no answers and nobody would be told of it), in the
organiser's language; harness and end to end through PTB and the Bot API stub. (QA: a new
meeting dated a month ago was listed like any other.)"""
from __future__ import annotations

import pytest

from tests.e2e_reload import organised, reload
from tests.test_new_meetings_news import BASE, lines_under, meeting, started
from tests.test_rsvp_support import ORGANISER

WARNING = {"en": ("⚠️ Already over by its date and time: please check them. Nobody can answer "
                  "a meeting that is over."),
           "sv": ("⚠️ Redan över enligt datum och tid: kontrollera dem. Ingen kan svara på en "
                  "träff som är över.")}
PAST = BASE + meeting("summer", "am", "2027-07-01 09:30") \
    + meeting("autumn", "am", "2027-09-20 09:30")
"""A new meeting on 1 July (a month before the clock's 1 August) and one in September."""
MOVED_BACK = BASE.replace("start: 2027-09-02 09:30", "start: 2026-09-02 09:30") \
    .replace("end: 2027-09-02 12:30", "end: 2026-09-02 12:30")
"""The first meeting moved a year back: the year mistyped."""


@pytest.mark.parametrize("lang", ["en", "sv"])
async def test_a_new_meeting_already_over_is_pointed_out(mingel_chat, tmp_path,
                                                         lang: str) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    chat.user(ORGANISER, "Org", lang=lang)
    path.write_text(PAST, encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORGANISER))
    assert lines_under(preview, "summer") == [WARNING[lang]]
    assert WARNING[lang] not in lines_under(preview, "autumn")


async def test_a_meeting_moved_into_the_past_is_pointed_out(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    path.write_text(MOVED_BACK, encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORGANISER))
    assert WARNING["en"] in lines_under(preview, "first")


async def test_a_cancelled_or_long_past_meeting_gets_no_warning(mingel_chat, tmp_path) -> None:
    """A past meeting kept in the file as it was, or one cancelled, needs no checking."""
    old = BASE + meeting("spring", "am", "2027-05-04 10:00")
    chat, path = await started(mingel_chat, tmp_path, old)
    path.write_text(old.replace("en: Spring}", "en: Spring meeting}") + meeting(
        "gone", "am", "2027-07-01 09:30", "    cancelled: true\n"), encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORGANISER))
    assert "Already over" not in preview and "(spring)" in preview


async def test_the_warning_in_telegram(telegram_bot, tmp_path) -> None:
    bot, path, _ = await organised(telegram_bot, tmp_path, BASE)
    preview = await reload(bot, path, PAST)
    assert lines_under(preview.plain_text, "summer") == [WARNING["en"]]
