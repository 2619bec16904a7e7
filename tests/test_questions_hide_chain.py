"""Hiding a question whose duplicates had others merged into them in turn: whoever's vote now
lands on a question that waits for approval again is told so, once, of the right question; every
moderator of the meeting learns that questions went back to the queue; and questions hidden by
the version that left their duplicates merged into them are put right once, at start-up."""
from __future__ import annotations

import pytest

from tests import test_questions_joint as joint
from tests.test_questions import ask, qid, started
from tests.test_questions_support import (
    ANNA,
    BO,
    CECILIA,
    MODERATOR,
    ORGANISER,
    OTHER_MODERATOR,
    plugins,
)
from tests.test_questions_unmerge import three_questions, voters

TITLE = "Skills supply"
WAITS = ("Your question at Skills supply counts for a similar question, #2, that waits for a "
         "moderator's approval again:\n\nThird?\n\nOnce a moderator publishes it, your vote "
         "counts for it, and I'll tell you when it has been answered.")


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await started(mingel_chat, tmp_path, plugins())


def status(chat, question: int) -> tuple[str, int | None]:
    doc = chat.assistant.store.table("questions_items").get(question)
    return doc["status"], doc.get("merged_into")


async def chain(chat) -> tuple[int, int, int]:
    """#3 (Olga's) merged into #2 (Bo's), then #2 into #1 (Anna's), all published."""
    first, second, third = await three_questions(chat)
    await chat.press_data(f"questions:into:{third}:{second}", MODERATOR)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    return first, second, third


async def test_the_asker_whose_vote_lands_on_a_question_waiting_again_is_told_once(chat) -> None:
    """Olga heard that her #3 counts for #2. #1 is hidden: #2 waits again, and so her vote
    counts nowhere until it is published. She is told so, naming #2 and quoting her own
    question; Bo gets the correction; Anna nothing. Approving #2 and delivering again tells her
    nothing more."""
    first, second, _third = await chain(chat)
    await chat.deliver()
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    sent = await chat.deliver()
    assert [chat.text([r]) for r in sent[ORGANISER]] == [WAITS]
    assert chat.text(sent[BO]).startswith("Correction: your question at Skills supply was not "
                                          "merged after all. It waits for a moderator's")
    assert ANNA not in sent
    await chat.press_data(f"questions:approve:{second}", MODERATOR)
    assert ORGANISER not in await chat.deliver()
    assert voters(chat, second) == [ORGANISER, CECILIA]


async def test_a_merge_notice_not_yet_sent_is_replaced_by_the_one_that_holds(chat) -> None:
    """Olga's notice that her vote counts for #2 had not gone when #1 was hidden: she gets
    one message, the one that is true now (#2 not published yet), never the other."""
    first, _second, _third = await chain(chat)
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    [told] = (await chat.deliver())[ORGANISER]
    assert chat.text([told]) == (
        f"Your question at {TITLE} was merged with a similar question, #2, that a moderator has "
        "not published yet:\n\nThird?\n\nOnce a moderator publishes it, your vote counts for "
        "it, and I'll tell you when it has been answered.")
    assert BO not in await chat.deliver(), "Bo never heard of the merge"


async def test_the_question_named_is_the_one_the_vote_lands_on(chat) -> None:
    """Cecilia's #4 was merged into #3, which went into #2, which went into #1: her vote lands
    on #2 once #1 is hidden, and that is the question her notice names."""
    first, second, third = await three_questions(chat)
    await ask(chat, CECILIA, text="Fourth?", event="am-live")
    fourth = qid(chat, "Fourth?")
    for duplicate, target in ((fourth, third), (third, second), (second, first)):
        await chat.press_data(f"questions:into:{duplicate}:{target}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    sent = await chat.deliver()
    assert len(sent[CECILIA]) == 1
    assert chat.text(sent[CECILIA]).startswith(
        "Din fråga inför Kompetensförsörjning räknas för en liknande fråga, #2, som igen väntar "
        "på att en moderator godkänner den:\n\nFourth?")
    assert [chat.text([r]) for r in sent[ORGANISER]] == [WAITS]


async def test_one_notice_per_asker_and_question_and_none_for_ones_own(chat) -> None:
    """Olga's #3 and #4 were both merged into #2: she is told once. Bo's own #5, merged into
    his #2, backs nothing: he gets only the correction for #2."""
    first, second, third = await three_questions(chat)
    await ask(chat, ORGANISER, text="Fourth?", event="am-live")
    await ask(chat, BO, text="Fifth?", event="am-live")
    for duplicate in (third, qid(chat, "Fourth?"), qid(chat, "Fifth?")):
        await chat.press_data(f"questions:into:{duplicate}:{second}", MODERATOR)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    sent = await chat.deliver()
    assert [chat.text([r]) for r in sent[ORGANISER]] == [WAITS]
    assert len(sent[BO]) == 1 and chat.text(sent[BO]).startswith("Correction:")


async def test_nobody_is_told_when_the_question_they_count_for_waited_already(chat) -> None:
    """In approval mode Olga's #3 was merged into Bo's #2 before anyone approved it, and #2
    into #1: she was told it counts once #2 is published. Hiding #1 changes nothing for her."""
    for user, text in ((ANNA, "What about wages?"), (BO, "And pensions??"),
                       (ORGANISER, "Third?")):
        await ask(chat, user, text=text)
    first, second, third = (qid(chat, t) for t in ("What about wages?", "And pensions??",
                                                   "Third?"))
    await chat.press_data(f"questions:into:{third}:{second}", MODERATOR)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    sent = await chat.deliver()
    assert ORGANISER not in sent and status(chat, second) == ("pending", None)


async def test_every_moderator_of_a_joint_meeting_learns_that_questions_went_back(
        mingel_chat, tmp_path) -> None:
    """At a joint meeting Ben (bostad) hides #1, which Sara's #2 had been merged into: Astrid
    (arbetsmarknad) is told in Swedish, with the button to the queue; Ben, who saw the answer
    to his button, and the organiser, whose networks have moderators, are not."""
    chat = await joint.joint_chat(mingel_chat, tmp_path)
    await ask(chat, joint.EMMA, "Rents?", event="joint")
    await ask(chat, joint.SARA, "Hyrorna?", event="joint")
    first, second = qid(chat, "Rents?"), qid(chat, "Hyrorna?")
    await chat.press_data(f"questions:into:{second}:{first}", joint.ASTRID)
    await chat.deliver()
    await chat.press_data(f"questions:hide:{first}", joint.BEN)
    assert chat.toasts[joint.BEN].startswith("Hidden. 1 question merged into it went back")
    sent = await chat.deliver()
    [told] = sent[joint.ASTRID]
    assert chat.text([told]).startswith(
        "🙈 Fråga #1 har dolts, så 1 fråga som hade slagits ihop med den har gått tillbaka till "
        "kön och väntar på godkännande:\nBostad och jobb\n")
    assert "Rents?" not in chat.text([told]) and "Hyrorna?" not in chat.text([told])
    assert chat.buttons([told]) == ["🗂 Moderera frågorna"]
    assert joint.BEN not in sent and joint.ORGANISER not in sent
    queue = await chat.press("Moderera frågorna", joint.ASTRID, [told])
    assert "Väntar: 1" in chat.text(queue)


async def test_the_other_moderators_of_the_network_are_told_in_english(chat) -> None:
    await chat.send(f"/moderators arbetsmarknad add {OTHER_MODERATOR}", ORGANISER)
    await chat.deliver()
    first, _second, _third = await chain(chat)
    await chat.press_data(f"questions:hide:{first}", MODERATOR)
    [told] = (await chat.deliver())[OTHER_MODERATOR]
    assert chat.text([told]).startswith(
        "🙈 Question #1 was hidden, so 1 question merged into it went back to the queue, "
        "waiting for approval:\nSkills supply\nTuesday, 21 September 2027")
    assert MODERATOR not in await chat.deliver()


def _hidden_by_the_old_version(chat, question: int) -> None:
    """What a hide did before it released the duplicates: the question hidden, its duplicates
    left merged into it; the stored version from before the repair."""
    chat.assistant.store.table("questions_items").update(question, {"status": "hidden"})
    chat.assistant.store.set_meta("version:questions", 1)


async def test_stored_hidden_questions_of_a_meeting_to_come_are_released_at_start(chat) -> None:
    """As if the moderator had hidden #1 now: #2 waits on its own with its votes, #3 stays
    merged into it, Bo gets the correction, Olga the notice, every moderator the news (nobody
    pressed the button), the log the entry; a second start does nothing again."""
    first, second, third = await chain(chat)
    await chat.deliver()
    _hidden_by_the_old_version(chat, first)
    await chat.restart()
    assert status(chat, second) == ("pending", None) and status(chat, third)[1] == second
    assert voters(chat, second) == [ORGANISER, CECILIA] and voters(chat, first) == []
    sent = await chat.deliver()
    assert chat.text(sent[BO]).startswith("Correction: your question at Skills supply")
    assert [chat.text([r]) for r in sent[ORGANISER]] == [WAITS]
    assert chat.text(sent[MODERATOR]).startswith("🙈 Question #1 was hidden, so 1 question")
    audit = [d["details"] for d in chat.assistant.store.table("assistant_audit").all()]
    assert audit[-1] == "question #2 out of #1 at am-live"
    await chat.restart()
    assert await chat.deliver() == {}


async def test_stored_hidden_questions_of_a_meeting_over_are_released_silently(chat) -> None:
    """The meeting is over: #2 is put right (waiting on its own, with its votes, so the CSV
    and the queue count them), and nobody is messaged about a meeting that is over."""
    first, second, third = await chain(chat)
    await chat.deliver()
    _hidden_by_the_old_version(chat, first)
    await chat.tick(days=30)
    await chat.restart()
    assert status(chat, second) == ("pending", None) and status(chat, third)[1] == second
    assert voters(chat, second) == [ORGANISER, CECILIA]
    assert await chat.deliver() == {}
    queue = chat.text(await chat.send("/moderate am-live", MODERATOR))
    assert "#2 · Waiting for approval · 👍 2" in queue


async def test_the_correction_after_undoing_the_merge_of_an_answered_question_says_so(
        chat) -> None:
    """Bo's #2 had been answered before it was merged into #1 by mistake; undone, his
    correction no longer promises to tell him when it has been answered."""
    first, second, _third = await three_questions(chat)
    await chat.press_data(f"questions:done:{second}", MODERATOR)
    await chat.press_data(f"questions:into:{second}:{first}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:unmerge:{second}", MODERATOR)
    [told] = (await chat.deliver())[BO]
    assert chat.text([told]) == ("Correction: your question at Skills supply was not merged "
                                 "after all. It is listed on its own again:\n\nAnd pensions??"
                                 "\n\nIt has already been answered.")


async def test_the_moderator_who_hides_hears_nothing_more_of_their_own_question(chat) -> None:
    """Olga moderates and asked #3, which counts for #2 since #2 went into #1. She hides #1:
    the answer to her button says what happened; no notice tells her that her vote now lands
    on #2, which waits again. Bo still gets his correction."""
    first, second, third = await chain(chat)
    await chat.deliver()
    await chat.press_data(f"questions:hide:{first}", ORGANISER)
    assert chat.toasts[ORGANISER] == ("Hidden. 1 question merged into it went back to the "
                                      "queue, waiting for approval.")
    sent = await chat.deliver()
    assert ORGANISER not in sent
    assert chat.text(sent[BO]).startswith("Correction: your question at Skills supply")
    assert status(chat, third) == ("hidden", second)
    await chat.press_data(f"questions:unmerge:{third}", MODERATOR)
    [told] = (await chat.deliver())[ORGANISER]
    assert chat.text([told]).startswith("Correction: your question at Skills supply was not "
                                        "merged after all."), "she still believed it merged"


async def test_the_moderator_whose_own_duplicate_goes_back_gets_no_correction(chat) -> None:
    """Mona merged Olga's #3 into #1 and Olga was told. Olga hides #1, so #3 goes back: she
    made that happen and is told nothing more; merged again by Mona, she hears the new target."""
    first, second, third = await three_questions(chat)
    await chat.press_data(f"questions:into:{third}:{first}", MODERATOR)
    assert chat.text((await chat.deliver())[ORGANISER]).startswith(
        "Your question at Skills supply was merged with a similar one:")
    await chat.press_data(f"questions:hide:{first}", ORGANISER)
    assert ORGANISER not in await chat.deliver()
    assert status(chat, third) == ("pending", None)
    await chat.press_data(f"questions:approve:{third}", MODERATOR)
    await chat.press_data(f"questions:into:{third}:{second}", MODERATOR)
    [told] = (await chat.deliver())[ORGANISER]
    assert "\n\nAnd pensions??\n\n" in chat.text([told])


async def test_the_moderator_who_undoes_the_merge_of_their_own_question_gets_no_correction(
        chat) -> None:
    """Mona merged Olga's #3 into #2 and Olga was told; Olga undoes it herself: the toast says
    so and no "Correction" follows. A merge notice not yet sent when she undoes it is dropped."""
    _first, second, third = await three_questions(chat)
    await chat.press_data(f"questions:into:{third}:{second}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:unmerge:{third}", ORGANISER)
    assert chat.toasts[ORGANISER] == "Merge undone."
    assert ORGANISER not in await chat.deliver()
    await chat.press_data(f"questions:into:{third}:{second}", MODERATOR)
    await chat.press_data(f"questions:unmerge:{third}", ORGANISER)
    assert ORGANISER not in await chat.deliver()
    assert status(chat, third) == ("live", None)
