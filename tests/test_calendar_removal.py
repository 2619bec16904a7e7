"""A place lost or given up takes the meeting out of the calendar a file had put it in, with the
real RSVP and calendar plugins: a seat cut, a gathering that moves away from someone's days,
Can't come and a switch to a full waiting list each bring a file that cancels the entry (same
UID, higher SEQUENCE), a place given back a file that puts it back (higher still), and someone
who only ever waited gets nothing."""
from __future__ import annotations

from typing import Any

import pytest

from tests.test_calendar import events_of, validate
from tests.test_gathering_moves import ANNA, BEN, CLEO, GATHERING, LONGER, come
from tests.test_rsvp_support import NOW, ONE_SEAT, ORGANISER, PROGRAMME, ProgrammeStub

EMMA, OLLE, PER = 2, 3, 4


async def start(mingel_chat, source: str = PROGRAMME, lang: dict[int, str] | None = None):
    programme = ProgrammeStub(source)
    chat = await mingel_chat(["plugins.basics", programme, "plugins.rsvp", "plugins.calendar"],
                             organisers=[ORGANISER], now=NOW, env={"MINGEL_CHANGE_DELAY": "2m"})
    for user, name in ((EMMA, "Emma"), (OLLE, "Olle"), (PER, "Per"), (ANNA, "Anna"),
                       (BEN, "Ben"), (CLEO, "Cleo")):
        chat.user(user, name, lang=(lang or {}).get(user, "en"))
    return chat, programme


async def answer(chat, user: int, event_id: str, label: str) -> list[Any]:
    await chat.send(f"/rsvp {event_id}", user)
    return await chat.press(label, user)


def entry(document: Any, event_id: str) -> tuple[str, str, Any, int]:
    """A file's METHOD, and its meeting's UID, STATUS and SEQUENCE."""
    cal = validate(document.content)
    event = events_of(cal)[event_id]
    return str(cal["METHOD"]), str(event["UID"]), event.get("STATUS"), int(event["SEQUENCE"])


def files(replies: list[Any]) -> list[Any]:
    return [r.document for r in replies if r.document is not None]


async def test_a_seat_cut_removes_the_entry_and_the_place_given_back_restores_it(
        mingel_chat) -> None:
    chat, programme = await start(mingel_chat, lang={OLLE: "sv"})
    await answer(chat, EMMA, "hybrid", "Coming in person")
    [confirmed] = files(await answer(chat, OLLE, "hybrid", "Kommer på plats"))
    _, uid, _, first = entry(confirmed, "hybrid")

    await programme.change(chat.assistant, PROGRAMME.replace("capacity: 2", "capacity: 1"))
    demoted, removal = (await chat.deliver())[OLLE]
    assert demoted.text.startswith("Det finns nu färre platser på <b>Arbetsmarknaden efter "
                                   "corona</b>")
    method, same, status, removed = entry(removal.document, "hybrid")
    assert (method, same, status) == ("CANCEL", uid, "CANCELLED")
    assert removed > first
    assert removal.document.caption == (
        "Du står på väntelistan. Om träffen finns i din kalender öppnar du filen för att ta bort "
        "den; jag skickar en ny så fort du har fått en plats.")
    assert "väntelistan" in chat.text(await chat.send("/calendar", OLLE))

    await programme.change(chat.assistant, PROGRAMME)
    promoted, back = (await chat.deliver())[OLLE]
    assert promoted.text.startswith("Goda nyheter!")
    method, same, status, restored = entry(back.document, "hybrid")
    assert (method, same, status) == ("PUBLISH", uid, "CONFIRMED")
    assert restored > removed


async def test_someone_only_ever_waiting_gets_no_file(mingel_chat) -> None:
    """Per waited for the one seat and never had it: a cut, Can't come and the seat he then
    waits for going to nobody bring him no file to take out of a calendar."""
    chat, programme = await start(mingel_chat, ONE_SEAT)
    await answer(chat, EMMA, "hybrid", "Coming in person")
    assert files(await answer(chat, PER, "hybrid", "Coming in person")) == []
    assert chat.toasts[PER] == "You're on the waiting list, place 1."
    await programme.change(chat.assistant, ONE_SEAT.replace("capacity: 1", "capacity: 1\n"
                                                            "    online_capacity: 5", 1))
    await chat.tick(minutes=5)
    assert PER not in chat.outbox.sent
    assert files(await answer(chat, PER, "hybrid", "Can't come")) == []
    assert PER not in chat.outbox.sent


@pytest.mark.parametrize("label", ["Coming in person", "Coming online", "Maybe"])
async def test_cant_come_after_coming_removes_the_entry(mingel_chat, label: str) -> None:
    chat, _ = await start(mingel_chat)
    await answer(chat, EMMA, "hybrid", label)
    [before] = files(await chat.send("/calendar hybrid", EMMA))
    _, uid, _, first = entry(before, "hybrid")
    [removal] = files(await answer(chat, EMMA, "hybrid", "Can't come"))
    method, same, status, removed = entry(removal, "hybrid")
    assert (method, same, status) == ("CANCEL", uid, "CANCELLED")
    assert removed > first
    assert removal.caption == ("You said you can't come. If the meeting is in your calendar, "
                               "open the file to remove it.")
    [again] = files(await chat.press("Coming in person", EMMA))
    assert entry(again, "hybrid")[0] == "PUBLISH" and entry(again, "hybrid")[3] > removed


async def test_a_switch_that_only_reaches_the_waiting_list_removes_the_entry(mingel_chat) -> None:
    """Olle comes online, then asks for the seat Emma holds: he waits, so the entry goes."""
    chat, _ = await start(mingel_chat, ONE_SEAT)
    await answer(chat, EMMA, "hybrid", "Coming in person")
    [online] = files(await answer(chat, OLLE, "hybrid", "Coming online"))
    [removal] = files(await chat.press("Coming in person", OLLE))
    assert chat.toasts[OLLE] == "You're on the waiting list, place 1."
    assert entry(removal, "hybrid")[0] == "CANCEL"
    assert entry(removal, "hybrid")[3] > entry(online, "hybrid")[3]
    assert removal.caption == ("You're on the waiting list. If the meeting is in your calendar, "
                               "open the file to remove it; I send you a new one as soon as a "
                               "place is yours.")


async def test_a_gathering_moved_away_from_ones_days_removes_the_entry(mingel_chat) -> None:
    """Autumn days (two seats) becomes Thu–Sat with one seat: Ben, who comes every day, keeps
    it; Cleo (Thu) loses hers to the cut and Anna (Wed) her only day. The message that tells
    each of them brings the file that removes the gathering; Ben's notice an updated one. When
    Ben can't come, the first in line gets the place and a file above her removal."""
    chat, programme = await start(mingel_chat, GATHERING)
    sent: dict[int, list[Any]] = {}
    for user, untick in ((ANNA, "☑ Thu 25 Nov"), (BEN, None), (CLEO, "☑ Wed 24 Nov")):
        await chat.send("/rsvp days", user)
        sent[user] = files(await chat.press("Coming in person", user))
        if untick:
            sent[user] += files(await chat.press(untick, user))
    uid = entry(sent[BEN][0], "days")[1]

    await programme.change(chat.assistant, LONGER.replace("capacity: 2", "capacity: 1"))
    await chat.tick(minutes=5)
    anna_notice, anna_file = chat.sent_to(ANNA)
    assert "you're on the waiting list, place 1" in anna_notice.text
    cleo_notice, cleo_demoted, cleo_file = chat.sent_to(CLEO)
    assert cleo_notice.text.startswith("✏️ <b>Changes to Autumn days</b>")
    assert cleo_demoted.text.startswith("There are now fewer places at <b>Autumn days</b>")
    removed = {}
    for user, document in ((ANNA, anna_file.document), (CLEO, cleo_file.document)):
        method, same, status, removed[user] = entry(document, "days")
        assert (method, same, status) == ("CANCEL", uid, "CANCELLED")
        assert removed[user] > max(entry(f, "days")[3] for f in sent[user])
    _ben_notice, ben_file = chat.sent_to(BEN)
    assert entry(ben_file.document, "days")[0] == "PUBLISH"

    await come(chat, BEN, label="Can't come")
    promoted = await chat.deliver()
    [user] = promoted
    note, back = promoted[user]
    assert note.text.startswith("Good news! A place has opened up at <b>Autumn days</b>")
    method, same, _, restored = entry(back.document, "days")
    assert (method, same) == ("PUBLISH", uid) and restored > removed[user]


async def test_can_t_come_leaves_everyone_else_s_file_as_it_was(mingel_chat) -> None:
    """A removal is the person's own: the meeting's number, which every other confirmation
    shares, stays, so those confirmations stay one file (sent again by Telegram's file id)."""
    chat, _ = await start(mingel_chat)
    sequences = chat.assistant.store.table("calendar_events")
    confirmations, removals = [], []
    for n, user in enumerate(range(100, 112)):
        chat.user(user, f"U{user}", lang="en")
        confirmations += files(await answer(chat, user, "hybrid", "Coming online"))
        if n % 2:
            removals += files(await chat.press("Can't come", user))
    written = sequences.version
    assert len({d.content for d in confirmations}) == 1
    assert len(removals) == 6
    assert {entry(d, "hybrid")[3] for d in removals} == {entry(confirmations[0], "hybrid")[3] + 1}
    late = files(await answer(chat, 112, "hybrid", "Coming online"))
    assert [d.content for d in late] == [confirmations[0].content]
    assert sequences.version == written


async def test_a_place_from_an_edit_brings_one_file_with_the_news_of_the_place(
        mingel_chat) -> None:
    """Per waits for the one seat when the organisers move the meeting to 10:00 and add a seat:
    the change message comes first, without a file (he had no place yet), then the message
    that the place is his, with the file; Emma's change message brings her updated one."""
    chat, programme = await start(mingel_chat, ONE_SEAT)
    await answer(chat, EMMA, "hybrid", "Coming in person")
    await answer(chat, PER, "hybrid", "Coming in person")
    await programme.change(chat.assistant, ONE_SEAT.replace("capacity: 1", "capacity: 2", 1)
                           .replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00"))
    await chat.tick(minutes=5)
    told = chat.sent_to(PER)
    assert [r.text.split(" ")[:2] for r in told if r.text] == [["✏️", "<b>Changes"],
                                                               ["Good", "news!"]]
    [document] = files(told)
    assert told[-1].document is document and entry(document, "hybrid")[0] == "PUBLISH"
    assert len(files(chat.sent_to(EMMA))) == 1


async def test_a_cancellation_brings_the_file_only_to_those_who_had_the_meeting(
        mingel_chat) -> None:
    """Emma and Olle hold the two seats, Per waits and Ben might come: when the meeting is
    cancelled everyone is told, and all but Per, who never had it in his calendar, get the
    file that takes it out."""
    chat, programme = await start(mingel_chat)
    for user, label in ((EMMA, "Coming in person"), (OLLE, "Coming in person"),
                        (PER, "Coming in person"), (BEN, "Maybe")):
        await answer(chat, user, "hybrid", label)
    await programme.change(chat.assistant, PROGRAMME.replace(
        "    capacity: 2\n", "    capacity: 2\n    cancelled: true\n", 1))
    await chat.tick(minutes=5)
    for user in (EMMA, OLLE, PER, BEN):
        assert chat.sent_to(user)[0].text.startswith("❌ <b>Cancelled:</b>")
    for user in (EMMA, OLLE, BEN):
        [document] = files(chat.sent_to(user))
        assert entry(document, "hybrid")[:3:2] == ("CANCEL", "CANCELLED")
    assert files(chat.sent_to(PER)) == []


async def test_a_cancellation_after_a_cut_not_yet_told_takes_the_lost_place_out_too(
        mingel_chat) -> None:
    """Olle loses his seat to an edit whose message still waits when the meeting is cancelled:
    he had it in his calendar and was never sent its removal, so the cancellation brings it."""
    chat, programme = await start(mingel_chat)
    for user in (EMMA, OLLE):
        await answer(chat, user, "hybrid", "Coming in person")
    cut = PROGRAMME.replace("capacity: 2", "capacity: 1", 1).replace(
        "start: 2027-09-02 09:30", "start: 2027-09-02 10:00")
    await programme.change(chat.assistant, cut)
    await programme.change(chat.assistant, cut.replace(
        "    capacity: 1\n", "    capacity: 1\n    cancelled: true\n", 1))
    await chat.tick(minutes=5)
    for user in (EMMA, OLLE):
        notice, removal = chat.sent_to(user)
        assert notice.text.startswith("❌ <b>Cancelled:</b>")
        assert entry(removal.document, "hybrid")[0] == "CANCEL"


async def test_a_meeting_removed_from_the_programme_sends_the_file_only_to_those_who_had_it(
        mingel_chat) -> None:
    chat, programme = await start(mingel_chat, ONE_SEAT)
    await answer(chat, EMMA, "hybrid", "Coming in person")
    await answer(chat, PER, "hybrid", "Coming in person")
    start_of, end_of = ONE_SEAT.index("  - id: hybrid"), ONE_SEAT.index("  - id: small")
    await programme.change(chat.assistant, ONE_SEAT[:start_of] + ONE_SEAT[end_of:])
    told = await chat.deliver()
    for user in (EMMA, PER):
        assert "has been removed from the programme" in told[user][0].text
    assert entry(files(told[EMMA])[0], "hybrid")[0] == "CANCEL"
    assert files(told[PER]) == []
