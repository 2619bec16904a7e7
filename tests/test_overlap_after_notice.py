"""A place that a programme change gives someone, told by the change notice itself (made
online only, or put down for other days after their own went), brings the double-booking
note after the notice, once and in their language, as a place from the waiting list by
any other route does (it used to bring none)."""
from __future__ import annotations

from assistant.flood import FloodControl
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_overlap import FESTIVAL
from tests.test_rsvp_support import NOW, ORGANISER

ONLINE_ONLY = FESTIVAL.replace("    venue: s2\n    start: 2027-09-06 11:30", "    venue: null\n"
                               "    start: 2027-09-06 11:30", 1).replace(
    '    online: {url: "https://zoom.us/j/9"}\n    capacity: 1\n',
    '    online: {url: "https://zoom.us/j/9"}\n', 1)
"""Rising seas (11:30–12:30, one seat) without its venue: followed online, with no limit."""
RETREAT_FROM_TUESDAY = FESTIVAL.replace("    venue: s2\n    start: 2027-09-06 10:00\n",
                                        "    venue: s2\n    start: 2027-09-07 10:00\n", 1)
"""The retreat (one seat a day) without its Monday."""


async def start(mingel_chat, tmp_path):
    path = tmp_path / "programme.yaml"
    path.write_text(FESTIVAL, encoding="utf-8")
    chat = await mingel_chat(REAL, organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.assistant.flood = FloodControl(burst=10**9)  # a festival-goer taps quickly
    chat.user(ORGANISER, "Org")
    return chat, path


async def publish(chat, path, source: str) -> None:
    """The organiser edits the file, confirms the reload; the notice goes 2 minutes later."""
    assert source != FESTIVAL
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    await chat.deliver()
    await chat.tick(minutes=3)


async def answer(chat, user, event_id: str, *labels: str) -> str:
    await chat.send(f"/rsvp {event_id}", user)
    return chat.text([reply for label in labels for reply in await chat.press(label, user)])


async def test_a_seat_made_online_only_says_it_clashes_after_the_notice(mingel_chat,
                                                                        tmp_path) -> None:
    """Emma holds Rising seas' one seat; Sam and Sara, at Climate and jobs (11:00–12:00),
    wait for it. Made online only, the meeting has room for all: the notice says their answer
    is now "Coming online", and the note that follows it names the meeting they are also
    down for, each in their language. Emma, who had her seat already, gets no note."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, sam, sara = chat.user(2, "Emma"), chat.user(3, "Sam"), chat.user(4, "Sara", lang="sv")
    await answer(chat, emma, "b", "Coming in person")
    await answer(chat, emma, "c", "Coming in person")
    await answer(chat, sam, "a", "Coming in person")
    assert "waiting list, place 1" in await answer(chat, sam, "b", "Coming in person")
    await answer(chat, sara, "a", "Kommer på plats")
    waiting = await answer(chat, sara, "b", "Kommer på plats")
    assert "väntelista, plats 2" in waiting and "krockar" not in waiting
    await publish(chat, path, ONLINE_ONLY)

    notice, ics, note = chat.sent_to(sam)
    assert "your answer is now “Coming online”" in notice.text
    assert ics.document is not None
    assert chat.text([note]) == ("⚠️ Rising seas overlaps another of your meetings.\n"
                                 "You're also down for Climate and jobs at 11:00–12:00 the same "
                                 "day.")
    notice, _ics, note = chat.sent_to(sara)
    assert "ditt svar är nu ”Deltar online”" in notice.text
    assert chat.text([note]) == ("⚠️ Havet stiger krockar med 1 av dina andra träffar.\n"
                                 "Du har också Klimatet och jobben kl. 11:00–12:00 samma dag.")
    assert "overlaps" not in chat.text(chat.sent_to(emma))  # Emma had her seat, and c's clash

    await chat.tick(minutes=10)
    assert chat.text(chat.sent_to(sam)).count("overlaps") == 1  # once


async def test_days_a_move_puts_someone_down_for_say_they_clash(mingel_chat, tmp_path) -> None:
    """Sam waits for the retreat's full Monday and comes to the climate camp every day. The
    retreat loses its Monday: the notice puts him down for Wednesday, where a seat is free,
    and the note after it says the camp is at the same time that day."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, sam = chat.user(2, "Emma"), chat.user(3, "Sam")
    await answer(chat, emma, "retreat", "Coming in person", "Wed 8 Sept")
    await answer(chat, sam, "camp", "Coming in person")
    waiting = await answer(chat, sam, "retreat", "Coming in person", "Tue 7 Sept", "Wed 8 Sept")
    assert "waiting list, place 1" in waiting and "overlaps" not in waiting
    await publish(chat, path, RETREAT_FROM_TUESDAY)

    notice, _ics, note = chat.sent_to(sam)
    assert "For now I've put you down for Wed 8 Sept" in notice.text
    assert chat.text([note]) == ("⚠️ Climate retreat overlaps another of your meetings.\n"
                                 "You're also down for Climate camp at 10:00–16:00 the same "
                                 "day.")
    assert "overlaps" not in chat.text(chat.sent_to(emma))
