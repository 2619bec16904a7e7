"""The morning of a meeting: a seat given up just before or during it says how long is left,
a declaration made without a seat does not welcome someone who has none, and a seat that
needs a declaration asks for it with one button, not two in a row."""
from __future__ import annotations

import pytest

from tests.test_health_support import (
    NOW,
    answer_all,
    attendance,
    declare,
    make,
    plugins,
    programme_file,
)
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
                    "kl. 09:30–12:30, Sverigetid) och den är din. Ditt svar: Kommer på plats. Träffen börjar "
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


async def test_the_hours_left_are_never_more_than_are_left(mingel_chat) -> None:
    """2 h 31 min before the start is "in 2 hours", not rounded up to three."""
    chat, emma, _olle = await seat_and_waiting_list(mingel_chat)
    chat.clock.set("2027-08-03T04:59:00+00:00")
    news = await give_up(chat, emma)
    assert news.endswith("Ditt svar: Kommer på plats. Träffen börjar om 2 timmar.")


async def test_a_declaration_without_a_seat_does_not_welcome_and_books_one(mingel_chat) -> None:
    chat = await make(mingel_chat)
    sanna = chat.user(4, "Sanna", lang="sv")
    await chat.send("/health hybrid", sanna)
    await answer_all(chat, sanna, "nnn")
    await chat.press("Jag följer reglerna", sanna)  # declared, but no answer yet
    again = await chat.send("/health hybrid", sanna)
    assert chat.text(again) == ("✅ Du har redan fyllt i hälsodeklarationen för Hybridmötet. Tryck "
                                "på ”Kommer på plats” för att boka din plats. En ny deklaration "
                                "ersätter den.")
    assert chat.buttons(again) == ["Kommer på plats", "Fyll i den igen"]
    await chat.press("Kommer på plats", sanna)
    assert attendance(chat, "hybrid", 4).answer == "in_person"
    seated = await chat.send("/health hybrid", sanna)
    assert "du är välkommen på plats" in chat.text(seated)
    assert chat.buttons(seated) == ["Fyll i den igen"]


async def test_a_full_meeting_says_the_seat_would_be_on_the_waiting_list(mingel_chat) -> None:
    chat, _emma, _olle = await seat_and_waiting_list(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "nnn")
    await chat.press("I will follow", eva)
    again = await chat.send("/health hybrid", eva)
    assert "welcome" not in chat.text(again)
    assert ("Every seat is taken right now, so “Coming in person” puts you on the waiting "
            "list.") in chat.text(again)



async def seat_on_the_morning(mingel_chat, when: str) -> tuple[object, list]:
    """At the required gathering (one seat, 10:00 on 10 August), Emma gives up her seat at
    `when` and Olle (Swedish), on the waiting list, gets it; what the outbox brings him."""
    chat = await mingel_chat([*plugins(), "plugins.reminders"], organisers=[1], now=NOW,
                             flood_control=False, env={"MINGEL_PROGRAMME": programme_file(FULL)})
    emma, olle = chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="sv")
    await chat.tick(days=7)
    await declare(chat, emma, "required", "nnn")
    await chat.press("Coming in person", emma)
    await chat.send("/event required", olle)
    await chat.press("Kommer på plats", olle)
    chat.clock.set(when)
    await chat.tick()
    before = len(chat.sent_to(olle))
    await chat.send("/event required", emma)
    await chat.press("Can't come", emma)
    await chat.tick()
    return chat, chat.sent_to(olle)[before:]


async def test_a_seat_on_the_morning_asks_for_the_declaration_with_one_button(mingel_chat) -> None:
    """The last reminder comes late, right after the seat's condition: the button is on the
    message that says why it is needed, not on both."""
    chat, news = await seat_on_the_morning(mingel_chat, "2027-08-10T07:15:00+00:00")
    texts = [chat.text([message]) for message in news]
    assert texts[0].startswith("Goda nyheter! En plats har blivit ledig på Tvådagarsträffen")
    assert texts[1].startswith("📋 Din plats på Tvådagarsträffen har ett villkor")
    assert texts[2].startswith("⏰ Påminnelse: Tvådagarsträffen börjar om 45 minuter.")
    assert "⚠️ Hälsodeklaration saknas" in texts[2]
    assert [chat.buttons([message]) for message in news] == [
        [], ["Fyll i hälsodeklaration"], ["Inställningar för påminnelser"]]


async def test_a_seat_hours_before_leaves_the_button_on_the_last_reminder(mingel_chat) -> None:
    """Given at 06:00, the seat's message asks at once; the last reminder, at 09:00, is a
    message of its own and still brings the button."""
    chat, news = await seat_on_the_morning(mingel_chat, "2027-08-10T04:00:00+00:00")
    assert chat.buttons(news[1:2]) == ["Fyll i hälsodeklaration"]
    await chat.tick(hours=3)
    [reminder] = chat.sent_to(3)[-1:]
    assert chat.text([reminder]).startswith("⏰ Påminnelse: Tvådagarsträffen börjar om 1 timme.")
    assert chat.buttons([reminder]) == ["Fyll i hälsodeklaration", "Inställningar för påminnelser"]


async def test_a_seat_message_still_queued_keeps_the_button_off_the_reminder(mingel_chat) -> None:
    """Olle's seat came at 08:00 and its message still waited in the outbox (a morning's
    backlog) when his last reminder fell due at 09:00: the reminder brought the button too,
    since the message was queued more than 30 minutes before; both came together."""
    chat = await mingel_chat([*plugins(), "plugins.reminders"], organisers=[1], now=NOW,
                             flood_control=False, env={"MINGEL_PROGRAMME": programme_file(FULL)})
    emma, olle = chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="sv")
    await chat.tick(days=7)
    await declare(chat, emma, "required", "nnn")
    await chat.press("Coming in person", emma)
    await chat.send("/event required", olle)
    await chat.press("Kommer på plats", olle)
    chat.clock.set("2027-08-10T06:00:00+00:00")
    await chat.tick()
    before = len(chat.sent_to(olle))
    await chat.send("/event required", emma)
    await chat.press("Can't come", emma)
    chat.clock.set("2027-08-10T07:00:30+00:00")
    await chat.assistant.tick()  # the reminder is queued behind the seat's messages
    await chat.deliver()
    news = chat.sent_to(olle)[before:]
    assert [chat.text([m]).split(" ", 2)[1] for m in news] == ["nyheter!", "Din", "Påminnelse:"]
    assert [chat.buttons([m]) for m in news] == [
        [], ["Fyll i hälsodeklaration"], ["Inställningar för påminnelser"]]


@pytest.mark.parametrize("then", ["declares", "gives up"])
async def test_a_request_still_queued_is_taken_back_once_declared_or_given_up(
        mingel_chat, then) -> None:
    """Olle gets the seat; before the message asking him to declare goes out (a backlog), he
    declares with /health, or gives the seat up: the request no longer comes."""
    chat = await make(mingel_chat, FULL)
    emma, olle = chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="en")
    await chat.tick(days=7)
    await declare(chat, emma, "required", "nnn")
    await chat.press("Coming in person", emma)
    await chat.send("/event required", olle)
    await chat.press("Coming in person", olle)
    await chat.deliver()
    await chat.send("/event required", emma)
    await chat.press("Can't come", emma)
    assert attendance(chat, "required", 3).in_person
    assert chat.assistant.outbox.waiting("health:seat:") == 1
    if then == "declares":
        await declare(chat, olle, "required", "nnn")
    else:
        await chat.send("/event required", olle)
        await chat.press("Can't come", olle)
    news = (await chat.deliver())[3]
    assert chat.text(news[:1]).startswith("Good news! A place has opened up")
    assert not [m for m in news if "📋" in (m.text or "")]
    assert chat.assistant.outbox.waiting("health:") == 0
