"""Double bookings: an answer that overlaps another meeting the person is down for says so."""
from __future__ import annotations

from assistant.flood import FloodControl
from tests.test_rsvp_support import NOW, ORGANISER, ProgrammeStub, plugins

FESTIVAL = """\
timezone: Europe/Stockholm
venues:
  s1: {name: Scen 1}
  s2: {name: Scen 2}
networks:
  k: {name: {sv: Klimat, en: Climate}}
defaults:
  networks: [k]
  venue: s1
events:
  - id: a
    title: {sv: Klimatet och jobben, en: Climate and jobs}
    start: 2027-09-06 11:00
    end: 2027-09-06 12:00
  - id: b
    title: {sv: Havet stiger, en: Rising seas}
    venue: s2
    start: 2027-09-06 11:30
    end: 2027-09-06 12:30
    online: {url: "https://zoom.us/j/9"}
    capacity: 1
  - id: c
    title: {sv: Efter lunch, en: After lunch}
    start: 2027-09-06 12:15
    end: 2027-09-06 13:15
  - id: camp
    title: {sv: Klimatlägret, en: Climate camp}
    start: 2027-09-06 10:00
    end: 2027-09-08 16:00
  - id: wed
    title: {sv: Onsdagsseminariet, en: Wednesday seminar}
    start: 2027-09-08 09:00
    end: 2027-09-08 10:00
  - id: retreat
    title: {sv: Klimatretreaten, en: Climate retreat}
    venue: s2
    start: 2027-09-06 10:00
    end: 2027-09-08 16:00
    capacity: 1
  - id: tue
    title: {sv: Tisdagssamtalet, en: Tuesday talk}
    start: 2027-09-07 11:00
    end: 2027-09-07 12:00
"""


async def start(mingel_chat):
    chat = await mingel_chat(plugins(ProgrammeStub(FESTIVAL)), organisers=[ORGANISER], now=NOW)
    chat.assistant.flood = FloodControl(burst=10**9)  # a festival-goer taps quickly
    return chat


async def test_coming_to_a_meeting_at_the_same_time_as_another_says_so_in_english(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    sam = chat.user(2, "Sam")
    await chat.send("/rsvp a", sam)
    assert "overlaps" not in chat.text(await chat.press("Coming in person", sam))
    await chat.send("/rsvp b", sam)
    replies = await chat.press("Maybe", sam)
    assert "Your answer: Maybe" in chat.text(replies)
    assert ("You're also down for Climate and jobs at 11:00–12:00 the same day."
            in chat.text(replies))
    await chat.send("/rsvp c", sam)
    text = chat.text(await chat.press("Coming in person", sam))
    assert "You're also down for Rising seas at 11:30–12:30 (Sweden Time) the same day." in text
    assert "Climate and jobs" not in text  # it ends at 12:00, before this one starts


async def test_swedish_warning_names_every_overlapping_meeting_and_is_not_a_refusal(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    await chat.send("/rsvp a")
    await chat.press("Kommer på plats")
    await chat.send("/rsvp c")
    await chat.press("Kanske")
    await chat.send("/rsvp b")
    replies = await chat.press("Deltar online")
    text = chat.text(replies)
    assert "Ditt svar: Deltar online" in text
    assert "Havet stiger krockar med 2 av dina andra träffar." in text
    assert "Du har också Klimatet och jobben kl. 11:00–12:00 samma dag." in text
    assert "Du har också Efter lunch kl. 12:15–13:15 samma dag." in text
    assert chat.toasts[1001] == "Sparat: Deltar online"


async def test_a_meeting_you_cant_come_to_or_only_wait_for_does_not_count(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, sam = chat.user(2, "Emma"), chat.user(3, "Sam")
    await chat.send("/rsvp b", emma)
    await chat.press("Coming in person", emma)
    await chat.send("/rsvp b", sam)
    assert "waiting list, place 1" in chat.text(await chat.press("Coming in person", sam))
    await chat.send("/rsvp a", sam)
    assert "also down" not in chat.text(await chat.press("Coming in person", sam))
    await chat.send("/rsvp c", emma)
    await chat.press("Can't come", emma)
    await chat.send("/rsvp a", emma)
    text = chat.text(await chat.press("Coming in person", emma))
    assert "Rising seas" in text and "After lunch" not in text


async def test_a_gathering_overlaps_only_on_the_days_chosen(mingel_chat) -> None:
    chat = await start(mingel_chat)
    sam = chat.user(2, "Sam")
    await chat.send("/rsvp wed", sam)
    await chat.press("Coming in person", sam)
    await chat.send("/rsvp camp", sam)
    replies = await chat.press("Coming in person", sam)
    assert ("You're also down for Wednesday seminar at 09:00–10:00 the same day."
            not in chat.text(replies))  # the camp starts at 10:00 each day
    await chat.send("/rsvp a", sam)
    text = chat.text(await chat.press("Coming in person", sam))
    assert "You're also down for Climate camp at 10:00–16:00 the same day." in text
    await chat.send("/rsvp camp", sam)
    await chat.press("Mon 6 Sept", sam)  # the camp's Monday off: no overlap with a any more
    await chat.send("/rsvp a", sam)
    await chat.press("Can't come", sam)
    assert "also down" not in chat.text(await chat.press("Coming in person", sam))
    await chat.send("/rsvp camp", sam)
    replies = await chat.press("Mon 6 Sept", sam)  # the Monday back: it overlaps a again
    assert ("You're also down for Climate and jobs at 11:00–12:00 the same day."
            in chat.text(replies))


async def test_the_warning_comes_once_not_again_on_switching_how_one_comes(mingel_chat) -> None:
    """Maybe, then Coming online, then in person: she was told of the clash the first time;
    after "Can't come" and back, she is told again."""
    chat = await start(mingel_chat)
    sam = chat.user(2, "Sam")
    await chat.send("/rsvp a", sam)
    await chat.press("Coming in person", sam)
    await chat.send("/rsvp b", sam)
    assert "overlaps" in chat.text(await chat.press("Maybe", sam))
    assert "overlaps" not in chat.text(await chat.press("Coming online", sam))
    await chat.press("Can't come", sam)
    assert "overlaps" in chat.text(await chat.press("Coming online", sam))


async def waiting_for_the_retreat_and_coming_to_tuesdays_talk(chat):
    """Emma holds the retreat's one seat on Monday only; Sam waits for a seat on every day,
    then comes to Tuesday's talk, which a place he only waits for does not clash with."""
    emma, sam = chat.user(2, "Emma"), chat.user(3, "Sam")
    await chat.send("/rsvp retreat", emma)
    await chat.press("Coming in person", emma)
    await chat.press("Tue 7 Sept", emma)
    await chat.press("Wed 8 Sept", emma)
    await chat.send("/rsvp retreat", sam)
    assert "waiting list, place 1" in chat.text(await chat.press("Coming in person", sam))
    await chat.send("/rsvp tue", sam)
    assert "overlaps" not in chat.text(await chat.press("Coming in person", sam))
    return emma, sam


async def test_days_that_bring_a_seat_say_it_clashes_with_another_meeting(mingel_chat) -> None:
    """Leaving out the full Monday gives Sam a seat for Tuesday and Wednesday: the seat makes
    Tuesday's talk a double booking, and the message that tells him of the seat says so, once."""
    chat = await start(mingel_chat)
    _emma, sam = await waiting_for_the_retreat_and_coming_to_tuesdays_talk(chat)
    await chat.send("/rsvp retreat", sam)
    text = chat.text(await chat.press("Mon 6 Sept", sam))
    assert "You have a seat at Climate retreat now, for Tue 7 Sept, Wed 8 Sept." in text
    assert ("You're also down for Tuesday talk at 11:00–12:00 the same day."
            in text), text
    assert text.count("overlaps") == 1


async def test_a_place_from_the_waiting_list_says_it_clashes_with_another_meeting(
        mingel_chat) -> None:
    """Emma gives up her seat: Sam's waiting-list place becomes a seat, and the message that
    brings it names the meeting he is now down for at the same time."""
    chat = await start(mingel_chat)
    emma, sam = await waiting_for_the_retreat_and_coming_to_tuesdays_talk(chat)
    await chat.send("/rsvp retreat", emma)
    await chat.press("Can't come", emma)
    text = chat.text((await chat.deliver())[sam.id])
    assert "A place has opened up at Climate retreat" in text
    assert "⚠️ Climate retreat overlaps another of your meetings." in text
    assert "You're also down for Tuesday talk at 11:00–12:00 the same day." in text


async def test_joining_a_waiting_list_warns_of_nothing_the_seat_it_brings_warns_once(
        mingel_chat) -> None:
    """Sam comes to Tuesday's talk, then waits for the full retreat: a place he only waits
    for is no double booking yet, so the warning comes with the seat, once."""
    chat = await start(mingel_chat)
    emma, sam = chat.user(2, "Emma"), chat.user(3, "Sam")
    await chat.send("/rsvp retreat", emma)
    await chat.press("Coming in person", emma)
    await chat.send("/rsvp tue", sam)
    await chat.press("Coming in person", sam)
    await chat.send("/rsvp retreat", sam)
    joined = chat.text(await chat.press("Coming in person", sam))
    assert "waiting list, place 1" in joined and "overlaps" not in joined
    await chat.send("/rsvp retreat", emma)
    await chat.press("Can't come", emma)
    seated = chat.text((await chat.deliver())[sam.id])
    assert seated.count("⚠️ Climate retreat overlaps another of your meetings.") == 1
