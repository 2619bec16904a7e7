"""The askers of duplicates when the question theirs was merged into is deleted (/forget): each
hears once, in their language, what stands for their question now; a merge notice not yet
sent is replaced by the one the merge calls for now; nothing quotes the deleted text."""
from __future__ import annotations

import json

import pytest

from tests.test_questions import ask, qid, started
from tests.test_questions_support import ANNA, BO, CECILIA, MODERATOR, ORGANISER, plugins

ANNAS = "What will Acme AB do about wages?"
BOS = "How will wages develop?"
CECILIAS = "Hur går det med lönerna?"
OLGAS = "What about pay in the public sector?"
TITLE = "Skills supply"


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    """The people of tests/test_questions.py, with /forget."""
    return await started(mingel_chat, tmp_path, [*plugins(), "plugins.privacy"])


async def merged_into_annas(chat) -> tuple[int, int, int]:
    """Anna's question at the live meeting, Bo's and then Cecilia's merged into it. Their ids."""
    for user, text in ((ANNA, ANNAS), (BO, BOS), (CECILIA, CECILIAS)):
        await ask(chat, user, text=text, event="am-live")
    annas, bos, cecilias = (qid(chat, t) for t in (ANNAS, BOS, CECILIAS))
    for duplicate in (bos, cecilias):
        await chat.press_data(f"questions:into:{duplicate}:{annas}", MODERATOR)
    return annas, bos, cecilias


async def forget(chat, user: int) -> dict:
    """The user deletes their data; what the outbox then sends, by user, as text."""
    await chat.send("/forget", user)
    await chat.press("Yes, delete everything", user)
    return {u: chat.text(replies) for u, replies in (await chat.deliver()).items()}


def leaked(chat, sent: dict, text: str) -> bool:
    """Whether the deleted text went out after the /forget or is still stored in the outbox."""
    outbox = chat.assistant.store.table("assistant_outbox").all()
    return text in json.dumps(sent, ensure_ascii=False) + json.dumps(outbox, ensure_ascii=False)


async def test_askers_told_of_the_merge_hear_what_stands_for_their_question_now(chat) -> None:
    """Bo and Cecilia were told theirs went into Anna's. After Anna's /forget Bo's question
    takes its place, and Cecilia's is merged into Bo's: each hears it once, in their language,
    quoted the question that stands for theirs, never Anna's."""
    await merged_into_annas(chat)
    told = await chat.deliver()
    assert ANNAS in chat.text(told[BO]) and ANNAS in chat.text(told[CECILIA])
    before = {user: len(chat.sent_to(user)) for user in (BO, CECILIA)}
    sent = await forget(chat, ANNA)
    assert {user: len(chat.sent_to(user)) - n for user, n in before.items()} == {BO: 1, CECILIA: 1}
    assert sent[BO] == (f"Your question at {TITLE} had been merged with a question that has "
                        f"since been deleted, so yours is listed on its own again:\n\n{BOS}\n\n"
                        "I'll tell you when it has been answered.")
    assert sent[CECILIA] == ("Din fråga inför Kompetensförsörjning hade slagits ihop med en fråga "
                             "som sedan har raderats. Din röst räknas nu för den här liknande "
                             f"frågan:\n\n{BOS}\n\nJag säger till när den har besvarats.")
    assert not leaked(chat, sent, ANNAS)
    assert await chat.deliver() == {}


async def test_a_merge_notice_not_yet_sent_is_replaced_by_the_one_that_holds_now(chat) -> None:
    """Anna forgets before the notices went: Bo, whose question now stands on its own, never
    hears of a merge; Cecilia is told hers went into Bo's, not into Anna's deleted one."""
    await merged_into_annas(chat)
    sent = await forget(chat, ANNA)
    assert BO not in sent
    assert sent[CECILIA] == ("Din fråga inför Kompetensförsörjning har slagits ihop med en "
                             f"liknande fråga:\n\n{BOS}\n\nDin röst räknas nu för den, och jag "
                             "säger till när den har besvarats.")
    assert not leaked(chat, sent, ANNAS)


async def test_the_new_notice_is_the_merge_notice_from_then_on(chat) -> None:
    """Cecilia was told her question now counts for Bo's. When Bo forgets too, hers stands
    on its own and she hears it, quoted her own question."""
    await merged_into_annas(chat)
    await chat.deliver()
    await forget(chat, ANNA)
    sent = await forget(chat, BO)
    assert sent == {CECILIA: (
        "Din fråga inför Kompetensförsörjning hade slagits ihop med en fråga som sedan har "
        f"raderats, så din fråga finns med som en egen fråga igen:\n\n{CECILIAS}\n\n"
        "Jag säger till när den har besvarats.")}
    assert not leaked(chat, sent, BOS)


async def test_undoing_the_merge_she_was_told_of_since_sends_the_correction(chat) -> None:
    """Cecilia was told her question now counts for Bo's; the moderator undoes that merge:
    she is told it stands on its own again."""
    _annas, _bos, cecilias = await merged_into_annas(chat)
    await chat.deliver()
    await forget(chat, ANNA)
    await chat.press_data(f"questions:unmerge:{cecilias}", MODERATOR)
    sent = await chat.deliver()
    assert chat.text(sent[CECILIA]).startswith("Rättelse: din fråga inför Kompetensförsörjning "
                                               "har inte slagits ihop")


async def test_an_answered_place_is_said_to_be_answered(chat) -> None:
    """Anna's question was answered with the others: Cecilia's replaced notice does not
    promise a notice that will never come."""
    annas, _bos, _cecilias = await merged_into_annas(chat)
    await chat.press_data(f"questions:done:{annas}", MODERATOR)
    sent = await forget(chat, ANNA)
    assert ("Din fråga inför Kompetensförsörjning har slagits ihop med en liknande fråga:\n\n"
            f"{BOS}\n\nDin röst räknas nu för den, och den har redan besvarats.") in sent[CECILIA]
    assert not leaked(chat, sent, ANNAS)


async def test_through_a_chain_the_asker_hears_of_the_question_it_went_on_to(chat) -> None:
    """Bo's question was merged into Anna's, which a moderator then merged into Olga's. Bo
    was quoted Anna's: after her /forget he hears that his counts for Olga's."""
    await ask(chat, ANNA, text=ANNAS, event="am-live")
    await ask(chat, BO, text=BOS, event="am-live")
    await ask(chat, ORGANISER, text=OLGAS, event="am-live")
    annas, bos, olgas = (qid(chat, t) for t in (ANNAS, BOS, OLGAS))
    await chat.press_data(f"questions:into:{bos}:{annas}", MODERATOR)
    await chat.deliver()
    await chat.press_data(f"questions:into:{annas}:{olgas}", MODERATOR)
    sent = await forget(chat, ANNA)
    assert sent[BO] == (f"Your question at {TITLE} had been merged with a question that has "
                        "since been deleted. Your vote now counts for this similar one:\n\n"
                        f"{OLGAS}\n\nI'll tell you when it has been answered.")
    assert not leaked(chat, sent, ANNAS)


async def test_after_the_meeting_nobody_is_told_again(chat) -> None:
    """Once the meeting is over, where a question went no longer matters to its asker."""
    await merged_into_annas(chat)
    await chat.deliver()
    await chat.tick(days=21)
    sent = await forget(chat, ANNA)
    assert BO not in sent and CECILIA not in sent
    assert not leaked(chat, sent, ANNAS)


async def test_after_the_meeting_a_merge_notice_not_yet_sent_is_dropped(chat) -> None:
    """Bo's and Cecilia's merge notices had not gone when the meeting ended and Anna used
    /forget: nothing about a meeting that is over goes out in their place."""
    await merged_into_annas(chat)
    chat.clock.advance(days=21)
    sent = await forget(chat, ANNA)
    assert BO not in sent and CECILIA not in sent
    assert not leaked(chat, sent, ANNAS)


async def test_a_place_still_waiting_for_approval_is_said_to_wait_and_not_quoted(chat) -> None:
    """At a meeting in approval mode Bo's and Cecilia's questions were merged into Anna's
    before anyone approved it. After her /forget Bo's waits for approval on its own, and
    Cecilia's counts for Bo's once it is published: she is quoted her own question, not Bo's,
    which nobody but the moderators has read."""
    for user, text in ((ANNA, ANNAS), (BO, BOS), (CECILIA, CECILIAS)):
        await ask(chat, user, text=text, event="am-09-02")
    annas, bos, cecilias = (qid(chat, t) for t in (ANNAS, BOS, CECILIAS))
    for duplicate in (bos, cecilias):
        await chat.press_data(f"questions:into:{duplicate}:{annas}", MODERATOR)
    await chat.deliver()
    sent = await forget(chat, ANNA)
    title = "The labour market after corona"
    assert sent[BO] == (f"Your question at {title} had been merged with a question that has "
                        "since been deleted, so yours waits for a moderator's approval on its "
                        f"own again:\n\n{BOS}\n\nI'll tell you when it has been answered.")
    assert sent[CECILIA] == (
        "Din fråga inför Arbetsmarknaden efter corona hade slagits ihop med en fråga som sedan "
        "har raderats. Nu räknas den för en liknande fråga, #2, som en moderator ännu inte har "
        f"publicerat:\n\n{CECILIAS}\n\nNär en moderator har publicerat den räknas din röst för "
        "den, och jag säger till när den har besvarats.")
    assert not leaked(chat, sent, ANNAS)


async def test_a_place_taken_by_the_askers_other_question_promises_no_vote(chat) -> None:
    """Bo asked twice; both were merged into Anna's. After her /forget his first takes its
    place and his second is merged into it: he is not told his vote counts for his own."""
    bos_other = "And wages for the young?"
    for user, text in ((ANNA, ANNAS), (BO, BOS), (BO, bos_other)):
        await ask(chat, user, text=text, event="am-live")
    annas, bos, other = (qid(chat, t) for t in (ANNAS, BOS, bos_other))
    for duplicate in (bos, other):
        await chat.press_data(f"questions:into:{duplicate}:{annas}", MODERATOR)
    await chat.deliver()
    sent = await forget(chat, ANNA)
    assert f"so yours is listed on its own again:\n\n{BOS}" in sent[BO]
    assert (f"It is now merged with a similar question you also asked:\n\n{BOS}\n\n"
            "I'll tell you when it has been answered.") in sent[BO]
    assert "vote" not in sent[BO]


async def chained_into_olgas(chat) -> tuple[int, int, int]:
    """Bo's question merged into Anna's (Bo is told), hers merged on into Olga's. Their ids."""
    await ask(chat, ANNA, text=ANNAS, event="am-live")
    await ask(chat, BO, text=BOS, event="am-live")
    await ask(chat, ORGANISER, text=OLGAS, event="am-live")
    annas, bos, olgas = (qid(chat, t) for t in (ANNAS, BOS, OLGAS))
    await chat.press_data(f"questions:into:{bos}:{annas}", MODERATOR)
    assert ANNAS in chat.text((await chat.deliver())[BO])
    await chat.press_data(f"questions:into:{annas}:{olgas}", MODERATOR)
    return annas, bos, olgas


async def test_an_undo_before_the_new_notice_went_corrects_the_one_bo_heard(chat) -> None:
    """Anna forgets: Bo's notice that his now counts for Olga's waits in the outbox when the
    moderator undoes his merge. It is dropped, and Bo, who last heard his question went into
    Anna's, gets the correction; Anna's text goes nowhere."""
    _annas, bos, _olgas = await chained_into_olgas(chat)
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    await chat.press_data(f"questions:unmerge:{bos}", MODERATOR)
    sent = {user: chat.text(replies) for user, replies in (await chat.deliver()).items()}
    assert sent == {BO: (f"Correction: your question at {TITLE} was not merged after all. It is "
                         f"listed on its own again:\n\n{BOS}\n\nI'll tell you when it has been "
                         "answered.")}
    assert not leaked(chat, sent, ANNAS)
    await chat.press_data(f"questions:into:{bos}:{qid(chat, OLGAS)}", MODERATOR)
    await chat.press_data(f"questions:unmerge:{bos}", MODERATOR)
    assert await chat.deliver() == {}, "a merge he never heard of needs no correction"


async def test_a_second_forget_before_the_new_notice_went_tells_bo_his_stands_alone(
        chat) -> None:
    """Anna forgets, and Olga too before Bo's notice that his counts for hers went: his question
    takes her place, on its own. Bo last heard it went into Anna's, so he is told it is listed
    on its own again, once, quoted neither's text."""
    await chained_into_olgas(chat)
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    sent = await forget(chat, ORGANISER)
    assert sent == {BO: (f"Your question at {TITLE} had been merged with a question that has "
                         f"since been deleted, so yours is listed on its own again:\n\n{BOS}\n\n"
                         "I'll tell you when it has been answered.")}
    assert not leaked(chat, sent, ANNAS) and not leaked(chat, sent, OLGAS)
