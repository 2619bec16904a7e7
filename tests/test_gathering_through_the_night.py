"""A gathering that runs through the nights, for someone who chose its later days: the
reminder names the span they come to, not daily hours it never keeps (review of QA 40)."""
from __future__ import annotations

from pathlib import Path

from tests.test_gathering_reminders import EMMA, HEADER, reminders, start, until

PROGRAMME = HEADER + """
  - id: lan
    title: {sv: Hackatonet, en: The hackathon}
    start: 2027-10-13 13:00
    end: 2027-10-15 12:00
"""


async def test_the_later_days_of_a_gathering_through_the_night_read_as_one_span(
        mingel_chat, tmp_path: Path) -> None:
    """Emma comes on Thursday and Friday of a hackathon from Wednesday 13:00 to Friday 12:00:
    what she comes to runs from Thursday's midnight to Friday noon, through the night, and
    her reminder said '00:00–12:00 each day', as if she could sleep at home."""
    chat = await start(mingel_chat, tmp_path, PROGRAMME)
    await chat.send("/event lan", EMMA)
    await chat.press("Coming in person", EMMA)
    replies = await chat.press("☑ Wed 13 Oct", EMMA)
    assert "Your days: Thu 14 Oct, Fri 15 Oct" in chat.text(replies)
    await until(chat, "2027-10-13T00:01")
    [day_before] = reminders(chat, EMMA)
    assert day_before.startswith("⏰ Reminder: your day at The hackathon starts in 1 day.")
    assert "🕘 Thursday, 14 October 2027 at 00:00 – Friday, 15 October 2027 at 12:00" \
        in day_before
    assert "each day" not in day_before
