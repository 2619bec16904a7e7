"""/reminders understands lead times typed in Swedish as well as English."""
from __future__ import annotations

from tests.test_reminders_support import Fixture


async def setup(mingel_chat):
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", Fixture()],
                             now="2027-08-01T08:00:00+00:00", flood_control=False)
    chat.user(5, "Sam", lang="en")
    chat.user(6, "Sanna", lang="sv")
    return chat


async def test_swedish_units_whole_or_short(mingel_chat) -> None:
    chat = await setup(mingel_chat)
    for typed, read in (("2 dagar", "2 dagar före"), ("1v", "1 vecka före"),
                        ("1 vecka", "1 vecka före"), ("2t", "2 timmar före"),
                        ("2 timmar", "2 timmar före"), ("30 min", "30 minuter före"),
                        ("2d, 30 min", "2 dagar före och 30 minuter före"),
                        ("2 dagar och 3 timmar", "2 dagar före och 3 timmar före")):
        replies = await chat.send(f"/reminders {typed}", 6)
        assert chat.text(replies).startswith(f"Jag påminner dig {read} varje träff"), typed


async def test_english_words_and_letters_still_work(mingel_chat) -> None:
    chat = await setup(mingel_chat)
    for typed, read in (("2 days", "2 days before"), ("1w", "1 week before"),
                        ("48h,2h", "2 days before and 2 hours before"),
                        ("2h, 30 min", "2 hours before and 30 minutes before"),
                        ("3 hours and 30 minutes", "3 hours before and 30 minutes before")):
        replies = await chat.send(f"/reminders {typed}", 5)
        assert chat.text(replies).startswith(f"I remind you {read} each meeting"), typed


async def test_an_error_shows_an_example_in_the_readers_language(mingel_chat) -> None:
    chat = await setup(mingel_chat)
    sv = chat.text(await chat.send("/reminders 2 fortnights", 6))
    assert "Skicka till exempel /reminders 2 dagar, 3 timmar" in sv
    assert "v = veckor" in sv and "w = " not in sv
    en = chat.text(await chat.send("/reminders soon", 5))
    assert "Send for example /reminders 2 days, 3 hours (or short: 2d,3h" in en


async def test_a_number_too_big_for_a_time_is_explained_not_apologised_for(mingel_chat) -> None:
    chat = await setup(mingel_chat)
    en = chat.text(await chat.send("/reminders 99999999999999 weeks", 5))
    assert "Send for example /reminders 2 days, 3 hours" in en and "went wrong" not in en
