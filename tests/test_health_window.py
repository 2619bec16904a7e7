"""The health declaration's window at a gathering counts from the person's own first day in
person, not from the gathering's start: Sven, in person on the Wednesday only of a
Tuesday–Wednesday gathering, could declare (and was told it was open) on Sunday, 72 hours
before his day. Now his card, /health, the gate and the "open now" message count 48 hours
from Wednesday; whoever comes from Tuesday sees what they saw before."""
from __future__ import annotations

from datetime import UTC, datetime

from assistant.model import Attendance
from assistant.spans import first_in_person
from plugins.programme.loader import parse_programme
from tests.test_health_opening import reload
from tests.test_health_support import (
    PROGRAMME,
    answer_all,
    attendance,
    coming_in_person,
    declare,
    make,
)

ASKED = PROGRAMME.replace("    health_required: true\n", "")
"""The two-day gathering (Tue 10 – Wed 11 August, 10:00–15:00, in person only) asking for a
declaration without requiring it."""
HYBRID_REQUIRED = PROGRAMME.replace("    online: null\n", "")
"""The two-day gathering requiring it, which can also be followed online."""
SUNDAY = datetime(2027, 8, 8, 8, 1, tzinfo=UTC)
"""10:01 in Stockholm on Sunday 8 August: 48 hours before Tuesday, 72 before Wednesday."""
MONDAY = datetime(2027, 8, 9, 8, 1, tzinfo=UTC)
"""10:01 on Monday 9 August: 48 hours before Wednesday."""
FROM_MONDAY = "Monday, 9 August 2027 at 10:00, 2 days before your first day in person"
WEDNESDAY = "(Wednesday, 11 August 2027, 10:00–15:00)"


def told(chat, user) -> list[str]:
    """The "is open now" messages the user got, as plain text."""
    return [chat.text([m]) for m in chat.sent_to(user) if "is open now" in m.text]


async def wednesday_only(chat, user) -> None:
    """In person (or "Maybe" at a meeting that requires the declaration) on Wednesday only."""
    card = await chat.send("/event required", user)
    answer = "Maybe" if "requires a health declaration" in chat.text(card) else "Coming in person"
    await chat.press(answer, user, card)
    replies = await chat.press("☑ Tue 10 Aug", user)
    assert "Your days: Wed 11 Aug" in chat.text(replies)


def test_the_first_day_in_person() -> None:
    event = parse_programme(HYBRID_REQUIRED, "t.yaml").event("required")
    at = datetime(2027, 8, 1, tzinfo=UTC)

    def first(answer: str, days: tuple[str, ...] = (), online: tuple[str, ...] = (),
              also: str | None = None) -> str:
        att = Attendance("required", 1, answer, at, days=days, online_days=online)
        return first_in_person(event, att, also).isoformat()

    assert first("in_person") == "2027-08-10"
    assert first("in_person", ("2027-08-11",)) == "2027-08-11"
    assert first("in_person", online=("2027-08-10",)) == "2027-08-11"
    assert first("maybe", ("2027-08-11",)) == "2027-08-11", "the first day they chose"
    assert first("online") == "2027-08-10"
    assert first("online", also="2027-08-11") == "2027-08-11", "a day switched to in person"
    assert first("in_person", ("2027-09-01",)) == "2027-08-10", "days it no longer has: all"
    assert first_in_person(event, None).isoformat() == "2027-08-10"


async def test_the_window_opens_two_days_before_the_first_day_in_person(mingel_chat) -> None:
    chat = await make(mingel_chat, ASKED)
    anna, sven = chat.user(2, "Anna", lang="en"), chat.user(6, "Sven", lang="en")
    await coming_in_person(chat, anna, "required")
    await wednesday_only(chat, sven)
    card = await chat.send("/event required", sven)
    assert f"⚠️ Health declaration missing – you can fill it in from {FROM_MONDAY}." \
        in chat.text(card)
    card = await chat.send("/event required", anna)
    assert ("⚠️ Health declaration missing – you can fill it in from Sunday, 8 August 2027 at "
            "10:00.") in chat.text(card), "from the first day: as before"

    chat.clock.set(SUNDAY)
    await chat.tick()
    assert len(told(chat, anna)) == 1
    assert told(chat, sven) == [], "Tuesday's window is not his"
    card = await chat.send("/event required", sven)
    assert f"you can fill it in from {FROM_MONDAY}." in chat.text(card)
    assert "Fill in health declaration" not in chat.buttons(card)
    refused = await chat.send("/health required", sven)
    assert chat.text(refused) == ("The health declaration for The two-day gathering opens "
                                  "Monday, 9 August 2027 at 10:00, 2 days before your first day "
                                  "in person. Please come back then!")

    chat.clock.set(MONDAY)
    await chat.tick()
    [ready] = told(chat, sven)
    assert ready.startswith(f"📋 The health declaration for The two-day gathering {WEDNESDAY} "
                            "is open now.")
    assert chat.buttons(chat.sent_to(sven)[-1:]) == ["Fill in health declaration"]
    assert len(told(chat, anna)) == 1, "not again"
    await chat.tick(minutes=1)
    assert len(told(chat, sven)) == 1, "once"
    await declare(chat, sven, "required", "nnn")
    card = await chat.send("/event required", sven)
    assert "✅ Health declaration done" in chat.text(card)


async def test_a_first_day_moved_later_asks_again(mingel_chat) -> None:
    """Sven declared on Sunday for Tuesday, then comes on Wednesday only: his declaration is
    older than Wednesday's window, so it is deleted and he is told so, and told again when it
    opens. Eva declared on Monday: still within Wednesday's window, so it stays."""
    chat = await make(mingel_chat, ASKED)
    sven, eva = chat.user(6, "Sven", lang="en"), chat.user(7, "Eva", lang="en")
    for user in (sven, eva):
        await coming_in_person(chat, user, "required")
    chat.clock.set(SUNDAY)
    await chat.tick()
    await declare(chat, sven, "required", "nnn")
    await chat.send("/event required", sven)
    await chat.press("☑ Tue 10 Aug", sven)
    await chat.deliver()
    again = chat.text(chat.sent_to(sven)[-1:])
    assert again == ("📋 You now come in person to The two-day gathering from Wednesday, 11 "
                     "August 2027, so the health declaration you made earlier no longer counts: "
                     f"it is made shortly before you come. You can fill it in from {FROM_MONDAY}.")
    card = await chat.send("/event required", sven)
    assert f"⚠️ Health declaration missing – you can fill it in from {FROM_MONDAY}." \
        in chat.text(card)
    chat.clock.set(MONDAY)
    await chat.tick()
    assert len(told(chat, sven)) == 2, "Sunday's for Tuesday, Monday's for Wednesday"

    await declare(chat, eva, "required", "nnn")
    before = len(chat.sent_to(eva))
    await chat.send("/event required", eva)
    card = await chat.press("☑ Tue 10 Aug", eva)
    await chat.deliver()
    assert "✅ Health declaration done" in chat.text(card)
    assert chat.sent_to(eva)[before:] == []


async def test_a_first_day_moved_later_in_the_window_asks_at_once_in_swedish(
        mingel_chat) -> None:
    chat = await make(mingel_chat, ASKED)
    eva = chat.user(7, "Eva", lang="sv")
    await coming_in_person(chat, eva, "required")
    chat.clock.set(SUNDAY)
    await chat.tick()
    await chat.send("/health required", eva)
    await answer_all(chat, eva, "nnn")
    await chat.press("Jag följer", eva)
    chat.clock.set(MONDAY)
    await chat.send("/event required", eva)
    await chat.press("☑ tis 10 aug.", eva)
    await chat.deliver()
    [again] = chat.sent_to(eva)[-1:]
    assert chat.text([again]) == (
        "📋 Nu kommer du på plats till Tvådagarsträffen från och med onsdag 11 augusti 2027, så "
        "hälsodeklarationen du fyllde i tidigare gäller inte längre: den fylls i strax innan du "
        "kommer. Fyll i den nu – det tar en minut.")
    assert chat.buttons([again]) == ["Fyll i hälsodeklaration"]


async def test_the_gate_counts_from_the_first_day_in_person(mingel_chat) -> None:
    """At a meeting that requires the declaration, someone who chose Wednesday only can book
    a seat from Monday: refused on Sunday with that time, and told on Monday."""
    chat = await make(mingel_chat)
    sven = chat.user(6, "Sven", lang="en")
    await wednesday_only(chat, sven)
    chat.clock.set(SUNDAY)
    await chat.tick()
    card = await chat.send("/event required", sven)
    assert ("Coming in person requires a health declaration, which opens "
            f"{FROM_MONDAY}.") in chat.text(card)
    assert "Fill in health declaration" not in chat.buttons(card)
    refused = await chat.press("Coming in person", sven, card)
    assert ("In-person places can be booked when the declaration opens, "
            f"{FROM_MONDAY}: I'll tell you then.") in chat.text(refused)
    assert attendance(chat, "required", 6).answer == "maybe"

    chat.clock.set(MONDAY)
    await chat.tick()
    [opened] = [chat.text([m]) for m in chat.sent_to(sven) if "book a seat" in m.text]
    assert opened.startswith(f"📋 The health declaration for The two-day gathering {WEDNESDAY} "
                             "is open now, so you can book a seat in person.")
    await chat.press("Fill in health declaration", sven, chat.sent_to(sven)[-1:])
    await answer_all(chat, sven, "nnn")
    await chat.press("I will follow these", sven)
    await chat.press("Coming in person", sven)
    assert attendance(chat, "required", 6).in_person


async def test_a_day_switched_to_in_person_counts_from_that_day(mingel_chat) -> None:
    """Online on both days of a hybrid gathering that requires the declaration, Sven declared
    on Sunday (his window, from Tuesday, was open): switching Wednesday to in person on Monday
    asks for one made within Wednesday's window; on Sunday the switch waits for it."""
    chat = await make(mingel_chat, HYBRID_REQUIRED)
    sven = chat.user(6, "Sven", lang="en")
    card = await chat.send("/event required", sven)
    await chat.press("Coming online", sven, card)
    chat.clock.set(SUNDAY)
    card = await chat.send("/event required", sven)
    refused = await chat.press("Wed 11 Aug in person instead", sven, card)
    assert ("In-person places can be booked when the declaration opens, Monday, 9 August 2027 "
            "at 10:00 (Sweden Time), 2 days before your first day in person: I'll tell you "
            "then.") in chat.text(refused)
    await declare(chat, sven, "required", "nnn")
    chat.clock.set(MONDAY)
    await chat.tick()
    assert [m for m in chat.sent_to(sven) if "book a seat" in m.text], "told when it opened"
    card = await chat.send("/event required", sven)
    refused = await chat.press("Wed 11 Aug in person instead", sven, card)
    assert "Send /health required to fill it in first" in chat.text(refused)
    assert attendance(chat, "required", 6).answer == "online"
    told = await chat.send("/health required", sven)  # online still: declared on Sunday
    assert "✅ You have already filled in the health declaration" in chat.text(told)
    await chat.press("Fill it in again", sven)
    await answer_all(chat, sven, "nnn")
    await chat.press("I will follow these", sven)
    card = await chat.send("/event required", sven)
    await chat.press("Wed 11 Aug in person instead", sven, card)
    after = attendance(chat, "required", 6)
    assert after.way("2027-08-11") == "in_person" and after.way("2027-08-10") == "online"


async def test_a_gathering_moved_later_keeps_what_each_window_still_holds(mingel_chat,
                                                                          tmp_path) -> None:
    """Declared at Monday 10:30, Anna (from Tuesday) and Sven (Wednesday only); the gathering
    then starts at 14:00 instead of 10:00. Anna's still falls within her window (from Sunday
    14:00) and stays; Sven's came before his (Monday 14:00) and is deleted."""
    path = tmp_path / "programme.yaml"
    path.write_text(ASKED, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    anna, sven = chat.user(2, "Anna", lang="en"), chat.user(6, "Sven", lang="en")
    await coming_in_person(chat, anna, "required")
    await wednesday_only(chat, sven)
    chat.clock.set(datetime(2027, 8, 9, 8, 30, tzinfo=UTC))
    for user in (anna, sven):
        await declare(chat, user, "required", "nnn")
    await reload(chat, path, ASKED.replace("start: 2027-08-10 10:00", "start: 2027-08-10 14:00")
                 .replace("end: 2027-08-11 15:00", "end: 2027-08-11 18:00"))
    assert "✅ Health declaration done" in chat.text(await chat.send("/event required", anna))
    card = await chat.send("/event required", sven)
    assert ("⚠️ Health declaration missing – you can fill it in from Monday, 9 August 2027 at "
            "14:00, 2 days before your first day in person.") in chat.text(card)
