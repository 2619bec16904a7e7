"""A gathering moved and moved back, shifted, shortened or lengthened, and seat messages while
a change notice waits: nobody gains or loses a place the edits did not take, and nothing is
said before the notice that explains it."""
from __future__ import annotations

import json

import pytest

from tests.test_gathering_moves import ANNA, BEN, CLEO, GATHERING, come, start
from tests.test_rsvp_support import ProgrammeStub, plugins

ONE = GATHERING.replace("capacity: 2", "capacity: 1")
"""Wed 24–Thu 25 Nov with one seat."""
WEEK_LATER = ONE.replace("start: 2027-11-24 10:00", "start: 2027-12-01 10:00") \
    .replace("end: 2027-11-25 15:00", "end: 2027-12-02 15:00")
"""The same a week later: Wed 1–Thu 2 Dec."""
FRI_TO_SUN = ONE.replace("start: 2027-11-24 10:00", "start: 2027-11-26 10:00") \
    .replace("end: 2027-11-25 15:00", "end: 2027-11-28 15:00")
"""Three days, none of the old ones: Fri 26–Sun 28 Nov."""
SAT_TO_SUN = ONE.replace("start: 2027-11-24 10:00", "start: 2027-11-27 10:00") \
    .replace("end: 2027-11-25 15:00", "end: 2027-11-28 15:00")
"""Two days: Sat 27–Sun 28 Nov."""


async def card(chat, user: int) -> str:
    return chat.text(await chat.send("/rsvp days", user))


async def one_day_each(chat, lang: dict[int, str] | None = None) -> None:
    """One seat: Anna comes on Wed only, Cleo on Thu only; both have a seat."""
    for user, untick in ((ANNA, ("☑ Thu 25 Nov", "☑ tors 25 nov.")),
                         (CLEO, ("☑ Wed 24 Nov", "☑ ons 24 nov."))):
        swedish = (lang or {}).get(user) == "sv"
        await come(chat, user, untick[swedish],
                   label="Kommer på plats" if swedish else "Coming in person")
    await chat.deliver()


async def one_seat(mingel_chat, lang: dict[int, str] | None = None):
    chat, programme = await start(mingel_chat, lang)
    await programme.change(chat.assistant, ONE)
    await one_day_each(chat, lang)
    return chat, programme


async def test_a_move_and_a_move_back_within_the_delay_change_nobodys_place(mingel_chat) -> None:
    chat, programme = await one_seat(mingel_chat)
    anna, cleo = await card(chat, ANNA), await card(chat, CLEO)
    told = {ANNA: len(chat.sent_to(ANNA)), CLEO: len(chat.sent_to(CLEO))}
    await programme.change(chat.assistant, WEEK_LATER)
    await chat.tick(seconds=30)
    await programme.change(chat.assistant, ONE)
    await chat.tick(minutes=5)
    assert await card(chat, ANNA) == anna and "Your days: Wed 24 Nov\n" in anna + "\n"
    assert await card(chat, CLEO) == cleo and "Your days: Thu 25 Nov" in cleo
    assert "waiting" not in anna + cleo
    assert chat.sent_to(ANNA)[told[ANNA]:] == [] and chat.sent_to(CLEO)[told[CLEO]:] == []


async def test_a_shifted_gathering_keeps_everyones_days_by_position(mingel_chat) -> None:
    """A week later, the first day is still the first: Anna's Wed is Wed 1 Dec, Cleo's Thu is
    Thu 2 Dec, both keep their seat, and the notice says their new days; moved back after the
    notice, they have their days of before again."""
    chat, programme = await one_seat(mingel_chat, lang={CLEO: "sv"})
    await programme.change(chat.assistant, WEEK_LATER)
    await chat.tick(minutes=5)
    assert ("The days have changed: you're down for Wed 1 Dec. Please check your days on the "
            "meeting's card (/rsvp days).") in chat.text(chat.sent_to(ANNA))
    assert ("Dagarna har ändrats: du är uppskriven på tors 2 dec. Kolla dina dagar på träffens "
            "kort (/rsvp days).") in chat.text(chat.sent_to(CLEO))
    assert "waiting list" not in chat.text(chat.sent_to(ANNA))
    assert "väntelistan" not in chat.text(chat.sent_to(CLEO))
    assert "Your days: Wed 1 Dec" in await card(chat, ANNA)
    assert "Dina dagar: tors 2 dec." in await card(chat, CLEO)

    await programme.change(chat.assistant, ONE)
    await chat.tick(minutes=5)
    assert "you're down for Wed 24 Nov." in chat.text(chat.sent_to(ANNA)[-2:])
    anna, cleo = await card(chat, ANNA), await card(chat, CLEO)
    assert "Your days: Wed 24 Nov" in anna and "waiting" not in anna
    assert "Dina dagar: tors 25 nov." in cleo and "väntelista" not in cleo


async def test_people_whose_days_all_went_get_as_many_days_at_the_same_place(mingel_chat) -> None:
    """Wed–Thu becomes Fri–Sun: Anna (Wed, the first day) gets Fri, Cleo (Thu, the second) Sat;
    nobody gets three days at the other's expense, and both keep a seat."""
    chat, programme = await one_seat(mingel_chat)
    await programme.change(chat.assistant, FRI_TO_SUN)
    await chat.tick(minutes=5)
    assert ("None of the days you had chosen (Wed 24 Nov) is part of the meeting any more. For now "
            "I've put you down for Fri 26 Nov: please choose your days on the meeting's card "
            "(/rsvp days).") in chat.text(chat.sent_to(ANNA))
    assert ("None of the days you had chosen (Thu 25 Nov) is part of the meeting any more. For now "
            "I've put you down for Sat 27 Nov: please choose") in chat.text(chat.sent_to(CLEO))
    anna, cleo = await card(chat, ANNA), await card(chat, CLEO)
    assert "Your days: Fri 26 Nov\n" in anna + "\n" and "waiting" not in anna
    assert "Your days: Sat 27 Nov\n" in cleo + "\n" and "waiting" not in cleo


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ("None of the days I had put you down for (Fri 26 Nov) is part of the meeting any "
            "more. For now I've put you down for Sun 28 Nov: please choose your days on the "
            "meeting's card (/rsvp days).")),
    ("sv", ("Ingen av dagarna jag hade skrivit upp dig på (fre 26 nov.) ingår längre i träffen. "
            "Tills vidare har jag skrivit upp dig på sön 28 nov. – välj dina dagar på träffens "
            "kort (/rsvp days).")),
])
async def test_days_the_bot_chose_are_not_called_the_persons_choice(mingel_chat, lang: str,
                                                                   expected: str) -> None:
    """Anna was put down for Fri by a move; when the next move takes Fri, she is told it was
    the bot's placement, not her choice."""
    chat, programme = await one_seat(mingel_chat, lang={ANNA: lang})
    await programme.change(chat.assistant, FRI_TO_SUN)
    await chat.tick(minutes=5)
    await programme.change(chat.assistant, SAT_TO_SUN)
    await chat.tick(minutes=5)
    anna = chat.text(chat.sent_to(ANNA)[-2:])
    assert expected in anna
    assert "you had chosen" not in anna and "du hade valt" not in anna


async def test_edits_that_cancel_out_tell_no_changes(mingel_chat) -> None:
    """Anna lost her only day, chose all the days left herself, and the gathering came back:
    her place is gone, but she is not told of "changes" she never heard of."""
    chat, programme = await start(mingel_chat)
    three = ONE.replace("end: 2027-11-25 15:00", "end: 2027-11-26 15:00")
    await programme.change(chat.assistant, three)
    await chat.tick(minutes=5)
    await come(chat, ANNA, "☑ Thu 25 Nov")
    await chat.press("☑ Fri 26 Nov", ANNA)
    await come(chat, CLEO, "☑ Wed 24 Nov")
    assert "Your days: Wed 24 Nov\n" in await card(chat, ANNA) + "\n"
    await chat.deliver()
    told = len(chat.sent_to(ANNA))
    await programme.change(chat.assistant, three.replace("start: 2027-11-24 10:00",
                                                         "start: 2027-11-25 10:00"))
    await chat.send("/rsvp days", ANNA)
    await chat.press("☐ Fri 26 Nov", ANNA)
    await programme.change(chat.assistant, three)
    await chat.tick(minutes=5)
    news = chat.text(chat.sent_to(ANNA)[told:])
    assert "After the changes" not in news and "Changes to" not in news
    assert news.startswith("There is no place left for you at Autumn days (Wednesday, "
                           "24 – Friday, 26 November 2027, 10:00–15:00 each day) any "
                           "more: you're on the waiting list, place 1.")


async def test_a_seat_cut_while_a_move_is_pending_is_told_after_its_notice(mingel_chat) -> None:
    """The gathering moves, then loses a seat: Cleo's demotion waits for the move's notice,
    then says why, in Swedish."""
    chat, programme = await start(mingel_chat, lang={CLEO: "sv"})
    await come(chat, ANNA)
    await come(chat, CLEO, label="Kommer på plats")
    await chat.deliver()
    told = len(chat.sent_to(CLEO))
    moved = GATHERING.replace("start: 2027-11-24 10:00", "start: 2027-12-01 10:00") \
        .replace("end: 2027-11-25 15:00", "end: 2027-12-02 15:00")
    await programme.change(chat.assistant, moved)
    await chat.tick(seconds=30)
    await programme.change(chat.assistant, moved.replace("capacity: 2", "capacity: 1"))
    assert await chat.deliver() == {}
    await chat.tick(minutes=5)
    notice, _ics, demoted, removal = chat.sent_to(CLEO)[told:]
    assert notice.text.startswith("✏️ <b>Nytt om Höstdagarna</b>")
    assert demoted.text.startswith("Det finns nu färre platser på <b>Höstdagarna</b>")
    assert "plats 1" in demoted.text
    assert b"X-REASON:removed" in removal.document.content


async def test_a_held_demotion_and_a_promotion_by_a_tap_cancel_out(mingel_chat) -> None:
    """Ben lost his seat to a cut made with a retitling, and got it back when Anna cancelled,
    all before the notice: he hears of the retitling only, neither "fewer places" nor
    "Good news"."""
    chat, programme = await start(mingel_chat)
    await come(chat, ANNA)
    await come(chat, BEN)
    await chat.deliver()
    told = len(chat.sent_to(BEN))
    await programme.change(chat.assistant, GATHERING.replace("capacity: 2", "capacity: 1")
                           .replace("en: Autumn days", "en: Autumn days 2027"))
    assert "waiting list, place 1" in await card(chat, BEN)
    await come(chat, ANNA, label="Can't come")
    assert await chat.deliver() == {}
    await chat.tick(minutes=5)
    news = chat.text(chat.sent_to(BEN)[told:])
    assert news.startswith("✏️ Changes to Autumn days 2027 (")
    assert "New title: Autumn days → Autumn days 2027" in news
    assert "Good news" not in news and "fewer places" not in news and "waiting" not in news
    assert "waiting" not in await card(chat, BEN)


async def test_forget_takes_a_person_out_of_a_pending_notice(mingel_chat) -> None:
    """While a move's notice waits, /mydata shows what it keeps of Anna; after /forget nothing
    of hers is left, and her seat goes on as the others' days say."""
    programme = ProgrammeStub(ONE)
    chat = await mingel_chat([*plugins(programme), "plugins.privacy"], now="2027-08-01T08:00:00"
                             "+00:00", env={"MINGEL_CHANGE_DELAY": "2m"})
    for user, name in ((ANNA, "Anna"), (BEN, "Ben"), (CLEO, "Cleo")):
        chat.user(user, name, lang="en")
    await one_day_each(chat)
    await programme.change(chat.assistant, FRI_TO_SUN)
    [copy] = chat.documents(await chat.send("/mydata", ANNA))
    kept = json.loads(copy.content)["plugins"]["rsvp"]
    assert [entry["event"] for entry in kept if "pending_change_notice" in entry] == ["days"]
    await chat.send("/forget", ANNA)
    await chat.press("Yes, delete everything", ANNA)
    await come(chat, ANNA)
    assert "waiting list, place 1" in await card(chat, ANNA)
    [copy] = chat.documents(await chat.send("/mydata", ANNA))
    assert "pending_change_notice" not in copy.content.decode()
    await chat.tick(minutes=5)
    notice = chat.text(chat.sent_to(ANNA))
    assert notice.startswith("✏️ Changes to Autumn days (")
    assert "None of the days" not in notice and "After the changes" not in notice


THREE = ONE.replace("end: 2027-11-25 15:00", "end: 2027-11-26 15:00")
"""Wed 24–Fri 26 Nov with one seat."""
THU_SAT = THREE.replace("start: 2027-11-24 10:00", "start: 2027-11-25 10:00") \
    .replace("end: 2027-11-26 15:00", "end: 2027-11-27 15:00")
THU_FRI = THREE.replace("start: 2027-11-24 10:00", "start: 2027-11-25 10:00")


async def test_a_chain_of_edits_places_people_as_its_net_edit_would(mingel_chat) -> None:
    """Wed–Fri, one seat: Anna Wed, Cleo Thu, Ben Fri. Shifted to Thu–Sat and then made
    Thu–Fri before anyone is told: only Wed went, so Cleo and Ben keep their days and seats,
    and Anna, whose day went, is the one placed last and told so (review 28)."""
    chat, programme = await start(mingel_chat)
    await programme.change(chat.assistant, THREE)
    await come(chat, ANNA, "☑ Thu 25 Nov")
    await chat.press("☑ Fri 26 Nov", ANNA)
    await come(chat, CLEO, "☑ Wed 24 Nov")
    await chat.press("☑ Fri 26 Nov", CLEO)
    await come(chat, BEN, "☑ Wed 24 Nov")
    await chat.press("☑ Thu 25 Nov", BEN)
    await chat.deliver()  # the notice of the edit to three days is still to come
    told = {user: len(chat.sent_to(user)) for user in (ANNA, CLEO, BEN)}
    await programme.change(chat.assistant, THU_SAT)
    await chat.tick(seconds=30)
    await programme.change(chat.assistant, THU_FRI)
    await chat.tick(minutes=5)
    cleo, ben, anna = [await card(chat, u) for u in (CLEO, BEN, ANNA)]
    assert "Your days: Thu 25 Nov" in cleo and "waiting" not in cleo
    assert "Your days: Fri 26 Nov" in ben and "waiting" not in ben
    assert "waiting list, place 1" in anna
    for user in (CLEO, BEN):
        assert "no place left" not in chat.text(chat.sent_to(user)[told[user]:])
    assert "None of the days you had chosen (Wed 24 Nov)" in chat.text(
        chat.sent_to(ANNA)[told[ANNA]:])


async def test_someone_waiting_is_not_told_they_are_down_for_the_new_days(mingel_chat) -> None:
    """One seat: Anna has Wed, Cleo waits for it. After a shift Cleo's notice must not read
    as if she had a place (review 28)."""
    chat, programme = await start(mingel_chat)
    await programme.change(chat.assistant, ONE)
    await come(chat, ANNA, "☑ Thu 25 Nov")
    await come(chat, CLEO)
    await chat.press("☑ Thu 25 Nov", CLEO)
    assert "waiting list, place 1" in await card(chat, CLEO)
    await chat.tick(minutes=5)
    told = len(chat.sent_to(CLEO))
    await programme.change(chat.assistant, WEEK_LATER)
    await chat.tick(minutes=5)
    news = chat.text(chat.sent_to(CLEO)[told:])
    assert "The days have changed: please check the days you come on" in news
    assert "you're down for" not in news
    assert "Your days: Wed 1 Dec" in await card(chat, CLEO)
