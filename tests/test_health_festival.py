"""The health declaration at a festival: /health offers your own meetings, says what you
already declared, and a refused "Coming in person" carries the button to declare."""
from __future__ import annotations

from tests.test_health_support import PROGRAMME, answer_all, declare, make

REQUIRED = PROGRAMME.replace("""    end: 2027-08-03 12:30
""", """    end: 2027-08-03 12:30
    health_required: true
""", 1)
"""The hybrid meeting (whose window is open) requires the declaration."""

MANY = PROGRAMME + "".join(
    f"  - id: early{n}\n    title: Seminar {n}\n    start: 2027-08-02 {8 + n:02d}:00\n"
    f"    end: 2027-08-02 {8 + n:02d}:30\n" for n in range(10))
"""Ten meetings with a declaration before the hybrid one."""


async def test_a_refused_coming_in_person_carries_the_button_to_declare(mingel_chat) -> None:
    chat = await make(mingel_chat, REQUIRED)
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/event hybrid", eva)
    replies = await chat.press("Coming in person", eva)
    assert [r.text for r in replies] == [
        ("This meeting requires a health declaration before you come in person. Send /health "
         "hybrid to fill it in first – it takes a minute.")]
    assert chat.buttons(replies) == ["Fill in health declaration"]
    assert chat.toasts[5] is None  # the message with its button says it: no notice repeats it
    first = await chat.press("Fill in health declaration", eva)
    assert "Question 1 of 3" in chat.text(first)


async def test_swedish_refusal_button_and_a_declaration_already_made(mingel_chat) -> None:
    chat = await make(mingel_chat, REQUIRED)
    sanna = chat.user(1001, "Sanna", lang="sv")
    await chat.send("/event hybrid", sanna)
    replies = await chat.press("Kommer på plats", sanna)
    assert chat.buttons(replies) == ["Fyll i hälsodeklaration"]
    await chat.send("/health hybrid", sanna)
    await answer_all(chat, sanna, "nnn")
    await chat.press("Jag följer reglerna", sanna)
    again = await chat.send("/health hybrid", sanna)
    assert chat.text(again) == ("✅ Du har redan fyllt i hälsodeklarationen för Hybridmötet. Tryck "
                                "på ”Kommer på plats” för att boka din plats. En ny deklaration "
                                "ersätter den.")  # refused earlier, so no seat: no welcome yet
    assert chat.buttons(again) == ["Kommer på plats", "Fyll i den igen"]
    first = await chat.press("Fyll i den igen", sanna)
    assert "Fråga 1 av 3" in chat.text(first)


async def test_a_stay_home_declaration_is_named_in_english(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await declare(chat, eva, "hybrid", "ynn")
    again = await chat.send("/health hybrid", eva)
    assert chat.text(again).startswith("🏠 You have already filled in the health declaration "
                                       "for The hybrid meeting: it asks you to stay at home")
    assert "A new declaration replaces it." in chat.text(again)


async def test_health_alone_offers_your_booked_meeting_among_many(mingel_chat) -> None:
    chat = await make(mingel_chat, MANY)
    sanna = chat.user(1001, "Sanna", lang="sv")
    await chat.send("/event hybrid", sanna)
    await chat.press("Kommer på plats", sanna)
    listed = chat.buttons(await chat.send("/health", sanna))
    assert listed[0].endswith("· Hybridmötet") and len(listed) == 11 and listed[-1] == "Visa fler"
