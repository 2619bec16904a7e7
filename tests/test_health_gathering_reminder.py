"""The last reminder of a gathering's later day says when the meeting's health declaration
opens for the person, counted from their first day in person as /health counts it (review of
QA 40; from the gathering's start before the window was counted per person)."""
from __future__ import annotations

from datetime import datetime

from tests.test_health_support import NOW, PROGRAMME, programme_file

SVEN = 6


async def test_the_reminder_of_day_two_says_when_the_declaration_really_opens(
        mingel_chat) -> None:
    """Sven comes on Wednesday only, and wants one reminder, a week ahead. His declaration
    opens 48 hours before his first day in person, Wednesday (Monday 10:00), not before the
    gathering's start on Tuesday: his reminder says so, as /health does."""
    chat = await mingel_chat(["plugins.basics", "plugins.programme", "plugins.rsvp",
                              "plugins.health", "plugins.reminders"], now=NOW,
                             flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file(
                                 PROGRAMME.replace("    health_required: true\n", ""))})
    sven = chat.user(SVEN, "Sven", lang="en")
    await chat.send("/event required", sven)
    await chat.press("Coming in person", sven)
    replies = await chat.press("☑ Tue 10 Aug", sven)
    assert "Your days: Wed 11 Aug" in chat.text(replies)
    await chat.send("/reminders 1w", sven)
    chat.clock.set(datetime.fromisoformat("2027-08-04T10:01:00+02:00"))
    await chat.tick()
    [reminder] = [chat.text([r]) for r in chat.sent_to(SVEN) if "⏰" in (r.text or "")]
    assert "Wednesday, 11 August 2027, 10:00–15:00" in reminder
    assert "⚠️ Health declaration missing – you can fill it in from Monday, 9 August 2027 " \
           "at 10:00, 2 days before your first day in person." in reminder


async def test_the_last_reminder_of_day_two_brings_the_button(mingel_chat) -> None:
    """Sven comes on Wednesday only: his last reminder, an hour before Wednesday, said the
    declaration was missing without the "Fill in" button, since the gathering had begun on
    Tuesday and the record that its seat holders were told of the opening was gone with it."""
    chat = await mingel_chat(["plugins.basics", "plugins.programme", "plugins.rsvp",
                              "plugins.health", "plugins.reminders"], now=NOW,
                             flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file(
                                 PROGRAMME.replace("    health_required: true\n", ""))})
    sven = chat.user(SVEN, "Sven", lang="en")
    await chat.send("/event required", sven)
    await chat.press("Coming in person", sven)
    await chat.press("☑ Tue 10 Aug", sven)
    chat.clock.set(datetime.fromisoformat("2027-08-08T10:01:00+02:00"))
    await chat.tick()
    assert chat.sent_to(SVEN) == [], "Tuesday's window is not his"
    for moment in ("2027-08-09T10:01", "2027-08-10T10:01", "2027-08-11T09:01"):
        chat.clock.set(datetime.fromisoformat(moment + ":00+02:00"))
        await chat.tick()
    opened, _day_before, last = chat.sent_to(SVEN)
    assert "is open now" in chat.text([opened])
    assert chat.text([last]).startswith("⏰ Reminder: your day at The two-day gathering starts "
                                        "in 1 hour.")
    assert "⚠️ Health declaration missing – please fill it in before you come." in \
        chat.text([last])
    assert chat.buttons([last]) == ["Fill in health declaration", "Reminder settings"]
