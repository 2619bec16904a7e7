"""The morning of a meeting: a seat given up just before or during it says how long is left."""
from __future__ import annotations

from tests.test_health_support import attendance, make
from tests.test_health_waiting import FULL, take_the_seat

MORNING = "2027-08-03T07:00:00+00:00"
"""09:00 in Stockholm on the morning of "hybrid" (09:30–12:30, one seat)."""


async def seat_and_waiting_list(mingel_chat):
    """Emma has the hybrid meeting's one seat, Olle (Swedish) waits for it."""
    chat = await make(mingel_chat, FULL)
    emma, olle = chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="sv")
    await take_the_seat(chat, emma, "hybrid")
    await chat.send("/event hybrid", olle)
    await chat.press("Kommer på plats", olle)
    assert attendance(chat, "hybrid", 3).waiting
    return chat, emma, olle


async def give_up(chat, user) -> str:
    """The user answers "Can't come"; returns the news the next in line gets."""
    await chat.send("/event hybrid", user)
    await chat.press("Can't come", user)
    sent = await chat.deliver()
    return chat.text(sent[3][:1])


async def test_a_seat_half_an_hour_before_the_start_says_how_long_is_left(mingel_chat) -> None:
    chat, emma, _olle = await seat_and_waiting_list(mingel_chat)
    chat.clock.set(MORNING)
    news = await give_up(chat, emma)
    assert news == ("Goda nyheter! En plats har blivit ledig på Hybridmötet (tisdag 3 augusti 2027 "
                    "kl. 09:30–12:30) och den är din. Ditt svar: Kommer på plats. Träffen börjar "
                    "om 30 minuter.")


async def test_a_seat_given_up_during_the_meeting_says_it_has_begun(mingel_chat) -> None:
    chat, emma, _olle = await seat_and_waiting_list(mingel_chat)
    chat.clock.set("2027-08-03T07:45:00+00:00")
    news = await give_up(chat, emma)
    assert news.endswith("Ditt svar: Kommer på plats. Träffen har redan börjat.")


async def test_a_seat_two_hours_ahead_counts_hours_and_a_day_ahead_says_nothing(
        mingel_chat) -> None:
    chat, emma, _olle = await seat_and_waiting_list(mingel_chat)
    news = await give_up(chat, emma)  # on 1 August: the date says it all
    assert news.endswith("Ditt svar: Kommer på plats.")
    chat.clock.set("2027-08-03T05:15:00+00:00")  # 07:15, 2 h 15 min before
    await chat.send("/event hybrid", emma)
    await chat.press("Coming in person", emma)  # Emma waits now, behind Olle
    await chat.send("/event hybrid", 3)
    await chat.press("Kan inte komma", 3)
    sent = await chat.deliver()
    assert chat.text(sent[2][:1]).endswith("Your answer: Coming in person. It starts in 2 hours.")

