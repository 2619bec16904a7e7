"""A declaration kept only while it can count: someone answering "Maybe" or "Coming online" at a
gathering whose first day moves later (they drop it) loses a declaration made before the new
first day's window, as someone coming in person does, without a message (nothing is asked of
them now); coming in person later, the gate asks them as it asks anyone. One made within the
new day's window stays."""
from __future__ import annotations

from datetime import UTC, datetime

from plugins.health.card import gate
from plugins.programme.loader import parse_programme
from tests.test_health_support import PROGRAMME, attendance, declare, make
from tests.test_health_window import ASKED, HYBRID_REQUIRED, MONDAY, SUNDAY

HYBRID_ASKED = ASKED.replace("    online: null\n", "")
"""The two-day gathering (Tue 10 – Wed 11 August) asking for a declaration without requiring
it, which can also be followed online."""


def outcomes(chat) -> list[int]:
    """Whose declarations for the gathering are stored."""
    return [doc["user"] for doc in chat.table("health", "outcomes") if doc["event"] == "required"]


async def answer_then_drop_tuesday(chat, user, label: str) -> None:
    """Answer `label` on the card, then leave Tuesday out of the days."""
    card = await chat.send("/event required", user)
    await chat.press(label, user, card)
    replies = await chat.press("☑ Tue 10 Aug", user)
    assert "Your days: Wed 11 Aug" in chat.text(replies)


async def test_maybe_and_online_lose_a_declaration_made_too_early_silently(mingel_chat) -> None:
    chat = await make(mingel_chat, HYBRID_ASKED)
    maja, olle = chat.user(8, "Maja", lang="en"), chat.user(9, "Olle", lang="en")
    for user, label in ((maja, "Maybe"), (olle, "Coming online")):
        card = await chat.send("/event required", user)
        await chat.press(label, user, card)
    chat.clock.set(SUNDAY)
    await chat.tick()
    for user in (maja, olle):
        await declare(chat, user, "required", "nnn")
    assert sorted(outcomes(chat)) == [8, 9]
    sent = {user.id: len(chat.sent_to(user)) for user in (maja, olle)}
    for user in (maja, olle):
        await chat.send("/event required", user)
        await chat.press("☑ Tue 10 Aug", user)
    await chat.deliver()
    assert outcomes(chat) == [], "made on Sunday, before Wednesday's window (Monday 10:00)"
    for user in (maja, olle):
        assert chat.sent_to(user)[sent[user.id]:] == [], "nothing is asked of them now"
    refused = await chat.send("/health required", maja)
    assert chat.text(refused) == ("The health declaration for The two-day gathering opens "
                                  "Monday, 9 August 2027 at 10:00 (Sweden Time), 2 days before "
                                  "your first day in person. Please come back then!")
    assert attendance(chat, "required", 8).answer == "maybe"


async def test_one_made_within_the_new_window_stays(mingel_chat) -> None:
    chat = await make(mingel_chat, HYBRID_ASKED)
    maja = chat.user(8, "Maja", lang="en")
    card = await chat.send("/event required", maja)
    await chat.press("Coming online", maja, card)
    chat.clock.set(MONDAY)
    await declare(chat, maja, "required", "nnn")
    await chat.send("/event required", maja)
    await chat.press("☑ Tue 10 Aug", maja)
    assert outcomes(chat) == [8]


async def test_a_first_day_moved_earlier_keeps_it(mingel_chat) -> None:
    """Maybe on Wednesday only, declared on Monday, then Tuesday too: made after Wednesday's
    window opened, it was made after Tuesday's too."""
    chat = await make(mingel_chat, HYBRID_ASKED)
    maja = chat.user(8, "Maja", lang="en")
    await answer_then_drop_tuesday(chat, maja, "Maybe")
    chat.clock.set(MONDAY)
    await declare(chat, maja, "required", "nnn")
    await chat.send("/event required", maja)
    await chat.press("☐ Tue 10 Aug", maja)
    assert outcomes(chat) == [8]


async def test_switching_to_in_person_later_the_gate_asks_as_anyone(mingel_chat) -> None:
    """At the gathering that requires the declaration, Maja ("Maybe", both days) declared on
    Sunday, then left Tuesday out: on Monday "Coming in person" asks her to declare first,
    with the button, as it asks anyone who has not."""
    chat = await make(mingel_chat, HYBRID_REQUIRED)
    maja = chat.user(8, "Maja", lang="en")
    card = await chat.send("/event required", maja)
    await chat.press("Maybe", maja, card)
    chat.clock.set(SUNDAY)
    await declare(chat, maja, "required", "nnn")
    await chat.send("/event required", maja)
    await chat.press("☑ Tue 10 Aug", maja)
    assert outcomes(chat) == []
    chat.clock.set(MONDAY)
    card = await chat.send("/event required", maja)
    assert "Coming in person requires a health declaration first." in chat.text(card)
    refused = await chat.press("Coming in person", maja, card)
    assert "Send /health required to fill it in first" in chat.text(refused)
    assert "Fill in health declaration" in chat.buttons(refused)
    assert attendance(chat, "required", 8).answer == "maybe"


async def test_a_one_day_meeting_keeps_it(mingel_chat) -> None:
    """No days to drop: "Maybe" to "Coming online" at a one-day meeting changes nothing."""
    chat = await make(mingel_chat, PROGRAMME)
    maja = chat.user(8, "Maja", lang="en")
    card = await chat.send("/event hybrid", maja)
    await chat.press("Maybe", maja, card)
    await declare(chat, maja, "hybrid", "nnn")
    card = await chat.send("/event hybrid", maja)
    await chat.press("Coming online", maja, card)
    assert [doc["user"] for doc in chat.table("health", "outcomes")] == [8]
    assert datetime.fromisoformat(chat.table("health", "outcomes")[0]["at"]) \
        == datetime(2027, 8, 1, 8, 0, tzinfo=UTC)


async def split(chat, user) -> None:
    """Coming in person, following Tuesday online: in person on Wednesday only."""
    card = await chat.send("/event required", user)
    await chat.press("Coming in person", user, card)
    card = await chat.send("/event required", user)
    await chat.press("💻 Tue 10 Aug online instead", user, card)
    assert attendance(chat, "required", user.id).online_days == ("2027-08-10",)


async def test_card_health_and_gate_count_from_the_first_day_in_person(mingel_chat) -> None:
    """Sven follows Tuesday online and comes in person on Wednesday: the card, /health, the
    "open now" message and the gate all count the window from Wednesday (one function,
    `records.opens`), so nothing lets him declare on Sunday only to ask again on Monday.
    Olle, online on both days, has no day in person yet: from the first day he chose."""
    chat = await make(mingel_chat, HYBRID_ASKED)
    sven, olle = chat.user(6, "Sven", lang="en"), chat.user(9, "Olle", lang="en")
    await split(chat, sven)
    card = await chat.send("/event required", olle)
    await chat.press("Coming online", olle, card)
    monday = "Monday, 9 August 2027 at 10:00 (Sweden Time), 2 days before your first day in person"
    assert f"you can fill it in from {monday}." in chat.text(await chat.send("/event required",
                                                                           sven))
    chat.clock.set(SUNDAY)
    await chat.tick()
    await chat.deliver()
    assert [m for m in chat.sent_to(sven) if "is open now" in m.text] == []
    assert chat.text(await chat.send("/health required", sven)) == (
        f"The health declaration for The two-day gathering opens {monday}. "
        "Please come back then!")
    told = await chat.send("/health required", olle)
    assert chat.text(told) == ("You're coming online to The two-day gathering, so you need no "
                               "health declaration: it is only for coming in person. If you'd "
                               "like to come in person, fill it in first:")
    assert "Question 1 of 3" in chat.text(await chat.press("Fill in health declaration", olle))
    required = parse_programme(HYBRID_REQUIRED, "t.yaml").event("required")
    refusal = gate(chat.context("health", sven), required, "in_person", False)
    assert f"In-person places can be booked when the declaration opens, {monday}" in refusal
    chat.clock.set(MONDAY)
    await chat.tick()
    assert "Question 1 of 3" in chat.text(await chat.send("/health required", sven))
    assert gate(chat.context("health", sven), required, "in_person", False).startswith(
        "This meeting requires a health declaration before you come in person. Send /health")
