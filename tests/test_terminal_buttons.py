"""The terminal chat's numbered buttons: every button of an answer has its own number, across
all its messages, and a number presses exactly the button shown with it; messages that waited
for the user are shown, numbered, before they type."""
from __future__ import annotations

import io
import re
from pathlib import Path

from assistant.adapters.terminal import TerminalChat
from assistant.testing import ChatHarness
from assistant.types import User
from tests.test_questions import ask, started
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, plugins

QUESTIONS = {ANNA: "Who pays for retraining?", BO: "What about older workers?",
             CECILIA: "Vad kostar det?"}


def numbers(out: str, label: str) -> list[int]:
    """The numbers printed with a button label, in the order they were shown."""
    return [int(n) for n in re.findall(r"\[(\d+)\] " + re.escape(label), out)]


def statuses(chat: ChatHarness) -> dict[str, str]:
    return {d["text"]: d["status"] for d in chat.table("questions", "items")}


async def test_every_card_of_moderate_has_its_own_numbers_and_each_presses_its_own(
        mingel_chat, tmp_path: Path) -> None:
    """/moderate answers with a header and a card per question: the buttons are numbered on
    across them, so the first card's Approve approves the first question; its updated card
    takes new numbers and the other cards' numbers still press their own buttons."""
    chat = await started(mingel_chat, tmp_path, plugins())
    for user, text in QUESTIONS.items():
        await ask(chat, user, text)
    mona = TerminalChat(chat.assistant, User(MODERATOR, "Mona", language_code="en"),
                        downloads=tmp_path / "downloads", out=io.StringIO())
    await mona.handle_line("/moderate am-09-02")
    shown = mona.out.getvalue()
    assert numbers(shown, "Switch to live mode") == [1]
    first, second, third = numbers(shown, "✅ Approve")
    assert (first, second, third) == (4, 9, 14)
    assert numbers(shown, "🔗 Merge into…") == [8, 13, 18]

    await mona.handle_line(str(first))
    assert statuses(chat) == {"Who pays for retraining?": "live",
                              "What about older workers?": "pending",
                              "Vad kostar det?": "pending"}
    updated = mona.out.getvalue()[len(shown):]
    assert "(updated) #1 · Published" in updated and "Who pays for retraining?" in updated
    assert re.findall(r"\[(\d+)\]", updated)[0] == "19"  # on after the 18 shown

    await mona.handle_line(str(second))
    assert statuses(chat)["What about older workers?"] == "live"
    assert statuses(chat)["Vad kostar det?"] == "pending"
    before = len(mona.out.getvalue())
    await mona.handle_line(str(first))  # the first card's old Approve, gone with its update
    told = mona.out.getvalue()[before:]
    assert "There is no button 4 here: type one of the numbers shown with the buttons (1–3, " \
           "14–" in told
    await mona.handle_line(str(third))
    assert set(statuses(chat).values()) == {"live"}

    await mona.handle_line("/moderate am-09-02")  # a new answer: numbered from 1 again
    assert numbers(mona.out.getvalue()[before:], "Switch to live mode")[-1] == 1


async def test_a_message_that_waited_is_shown_before_the_prompt_and_its_number_works(
        tmp_path: Path) -> None:
    """A message queued while the user was away (here the language buttons) is delivered
    when their chat opens, before the first prompt, its buttons numbered: a number typed at
    once presses it."""
    chat = ChatHarness(["plugins.basics"], data_dir=tmp_path / "data")
    await chat.start()
    anna = chat.user(5, "Anna", lang="en")
    offer = await chat.send("/language", anna)
    chat.assistant.outbox.enqueue(5, offer)
    await chat.assistant.store.commit()
    await chat.stop()

    later = ChatHarness(["plugins.basics"], data_dir=tmp_path / "data")
    terminal = TerminalChat(later.assistant, anna, downloads=tmp_path / "downloads",
                            out=io.StringIO(), inp=io.StringIO("1\n"))
    await terminal.run()
    out = terminal.out.getvalue()
    assert out.index("[1] Svenska") < out.index("> ")
    assert "Jag pratar svenska med dig" in out
    assert "There is no button" not in out and "Det finns ingen knapp" not in out


async def test_a_card_updated_with_a_calendar_file_says_it_is_the_updated_card(
        mingel_chat, tmp_path: Path) -> None:
    """"Coming in person" updates the card and brings a calendar file: the card is shown as
    the pressed one, updated, not as a second card."""
    chat = await mingel_chat(now="2027-08-25T08:00:00+00:00")
    eva = TerminalChat(chat.assistant, User(7, "Eva", language_code="en"),
                       downloads=tmp_path / "downloads", out=io.StringIO())
    await eva.handle_line("/event am-2027-09-02")
    shown = eva.out.getvalue()
    [coming] = numbers(shown, "Coming in person")
    await eva.handle_line(str(coming))
    answer = eva.out.getvalue()[len(shown):]
    assert "(updated) The labour market after corona" in answer, answer
    assert "📎" in answer and ".ics" in answer


async def test_a_message_that_comes_while_an_answer_is_made_keeps_its_own_numbers(
        mingel_chat, tmp_path: Path, monkeypatch) -> None:
    """The outbox shows a waiting message while /programme is being answered: it comes after
    the answer, with numbers of its own, and its number presses its own button."""
    from assistant.types import Button, Reply
    chat = await mingel_chat(now="2027-08-25T08:00:00+00:00")
    eva = TerminalChat(chat.assistant, User(7, "Eva", language_code="en"),
                       downloads=tmp_path / "downloads", out=io.StringIO())
    handle = chat.assistant.handle

    async def meanwhile(incoming):
        await eva.send(7, Reply("A reminder", [[Button("Open the card",
                                                       data="programme:card:am-2027-09-02")]]))
        return await handle(incoming)

    monkeypatch.setattr(chat.assistant, "handle", meanwhile)
    await eva.handle_line("/programme")
    shown = eva.out.getvalue()
    assert shown.index("A reminder") > shown.index("Upcoming meetings")
    [number] = numbers(shown, "Open the card")
    monkeypatch.setattr(chat.assistant, "handle", handle)
    await eva.handle_line(str(number))
    assert "The labour market after corona" in eva.out.getvalue()[len(shown):]


async def test_a_card_updated_for_a_swedish_user_says_so_in_swedish(
        mingel_chat, tmp_path: Path) -> None:
    """The mark of a message updated in place is in the user's language, as the rest is."""
    chat = await mingel_chat(now="2027-08-25T08:00:00+00:00")
    eva = TerminalChat(chat.assistant, User(7, "Eva", language_code="sv"),
                       downloads=tmp_path / "downloads", out=io.StringIO())
    await eva.handle_line("/träff am-2027-09-02")
    shown = eva.out.getvalue()
    [coming] = numbers(shown, "Kommer på plats")
    await eva.handle_line(str(coming))
    answer = eva.out.getvalue()[len(shown):]
    assert "(uppdaterat) Arbetsmarknaden efter corona" in answer, answer
    assert "(updated)" not in answer
