"""Durations in words: Babel's units, but whole days as Mingel says them ("7 dagar"), never
Babel's Swedish "dygn" (/privacy's retention, the health window, reminders' lead times)."""
from __future__ import annotations

from datetime import timedelta

import mingel_feedback
import pytest

PLUGINS = ["plugins.basics", "plugins.privacy", mingel_feedback]


@pytest.mark.parametrize("lang, value, words", [
    ("sv", timedelta(days=7), "7 dagar"), ("en", timedelta(days=7), "7 days"),
    ("sv", timedelta(hours=36), "2 dagar"), ("en", timedelta(hours=36), "2 days"),
    ("sv", timedelta(days=10), "10 dagar"), ("en", timedelta(days=10), "10 days"),
    ("sv", timedelta(hours=24), "24 timmar"), ("en", timedelta(hours=24), "24 hours"),
    ("sv", timedelta(days=14), "2 veckor"), ("en", timedelta(days=14), "2 weeks"),
    ("sv", timedelta(days=90), "3 månader"), ("en", timedelta(minutes=30), "30 minutes"),
])
async def test_a_duration_of_days_reads_dagar_in_swedish(mingel_chat, lang, value,
                                                         words) -> None:
    chat = await mingel_chat(PLUGINS)
    assert chat.assistant.context(lang=lang).fmt().duration(value) == words


async def test_counted_days_are_the_cores_words_in_both_languages(mingel_chat) -> None:
    chat = await mingel_chat(PLUGINS)
    swedish = chat.assistant.context(lang="sv").fmt()
    english = chat.assistant.context(lang="en").fmt()
    assert [swedish.day_count(n) for n in (1, 2, 1000)] == ["1 dag", "2 dagar", "1\xa0000 dagar"]
    assert [english.day_count(n) for n in (1, 2, 1000)] == ["1 day", "2 days", "1,000 days"]


async def test_privacy_says_how_many_days_feedback_is_kept(mingel_chat) -> None:
    chat = await mingel_chat(PLUGINS, env={"MINGEL_RETENTION": "7d"})
    swedish = chat.text(await chat.send("/privacy", chat.user(5, "Vera", lang="sv")))
    assert "De raderas 7 dagar efter träffen." in swedish and "dygn" not in swedish
    english = chat.text(await chat.send("/privacy", chat.user(6, "Emma", lang="en")))
    assert "They are deleted 7 days after the meeting." in english


async def test_privacy_through_telegram_in_swedish(telegram_bot) -> None:
    bot = await telegram_bot(PLUGINS, env={"MINGEL_RETENTION": "10d"})
    messages = await bot.say(42, "/privacy", first_name="Vera", language_code="sv")
    text = "\n".join(m.plain_text for m in messages)
    assert "De raderas 10 dagar efter träffen." in text and "dygn" not in text
