"""Programme changes reach the people who answered: merged, once, in their language."""
from __future__ import annotations

import asyncio

from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME, ProgrammeStub, plugins

LATER = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00")
MOVED = LATER.replace("    capacity: 2\n", "    venue: kth\n    capacity: 2\n", 1)


async def start(mingel_chat, env=None):
    programme = ProgrammeStub()
    chat = await mingel_chat(plugins(programme), organisers=[ORGANISER], now=NOW, env=env)
    return chat, programme


async def answer(chat, user, event_id, label):
    await chat.send(f"/rsvp {event_id}", user)
    return await chat.press(label, user)


async def test_two_edits_become_one_message_to_those_coming_or_waiting(mingel_chat) -> None:
    chat, programme = await start(mingel_chat)
    emma, olle, per = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv"), chat.user(4, "Per")
    kim, ada = chat.user(5, "Kim"), chat.user(6, "Ada")
    await answer(chat, emma, "hybrid", "Coming in person")
    await answer(chat, olle, "hybrid", "Kommer på plats")
    await answer(chat, per, "hybrid", "Coming in person")
    await answer(chat, kim, "hybrid", "Maybe")
    await answer(chat, ada, "hybrid", "Can't come")

    await programme.change(chat.assistant, LATER)
    await chat.tick(minutes=1)
    await programme.change(chat.assistant, MOVED)
    await chat.tick(minutes=1)
    assert chat.outbox.sent == {}
    await chat.tick(minutes=2)
    assert sorted(chat.outbox.sent) == [2, 3, 4, 5]
    note, ics = chat.sent_to(emma)
    assert note.text.splitlines() == [
        ("✏️ <b>Changes to The labour market after corona</b> "
         "(Thursday, 2 September 2027, 10:00–12:30, Sweden Time):"),
        "Time changed: 09:30–12:30 → 10:00–12:30",  # the zone named once, in the first line
        "Venue changed: F7, Fleminggatan 7, Stockholm → KTH, Valhallavägen 79, Stockholm"]
    assert b"X-REASON:changed" in ics.document.content
    assert chat.sent_to(olle)[0].text.splitlines()[1] == "Ny tid: 09:30–12:30 → 10:00–12:30"

    await chat.tick(minutes=10)
    assert [len(chat.sent_to(u)) for u in (2, 3, 4, 5)] == [2, 2, 2, 2]
    await programme.change(chat.assistant, LATER)
    await chat.tick(minutes=3)
    assert chat.sent_to(emma)[2].text.splitlines()[1] == (
        "Venue changed: KTH, Valhallavägen 79, Stockholm → F7, Fleminggatan 7, Stockholm")


async def test_an_edit_undone_before_the_notice_goes_out_sends_nothing(mingel_chat) -> None:
    chat, programme = await start(mingel_chat, env={"MINGEL_CHANGE_DELAY": "10m"})
    await answer(chat, chat.user(2, "Emma"), "hybrid", "Maybe")
    await programme.change(chat.assistant, LATER)
    await chat.tick(minutes=5)
    await programme.change(chat.assistant, PROGRAMME)
    await chat.tick(minutes=30)
    assert chat.outbox.sent == {}


async def test_the_places_left_follow_a_new_capacity_in_each_readers_language(
        mingel_chat) -> None:
    """A new capacity changes the places left on every card although nobody's answer (and
    so no seat count) changed, in each reader's language."""
    chat, programme = await start(mingel_chat)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv")
    await answer(chat, emma, "hybrid", "Coming in person")
    assert "1 av 2 platser kvar" in chat.text(await chat.send("/rsvp hybrid", olle))
    await programme.change(chat.assistant, PROGRAMME.replace("capacity: 2", "capacity: 3", 1))
    assert "2 of 3 seats left" in chat.text(await chat.send("/rsvp hybrid", emma))
    assert "2 av 3 platser kvar" in chat.text(await chat.send("/rsvp hybrid", olle))


async def test_capacity_drop_moves_the_latest_to_the_waiting_list_and_a_rise_brings_them_back(
        mingel_chat) -> None:
    chat, programme = await start(mingel_chat)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv")
    await answer(chat, emma, "hybrid", "Coming in person")
    await answer(chat, olle, "hybrid", "Kommer på plats")
    await programme.change(chat.assistant, PROGRAMME.replace("capacity: 2", "capacity: 1"))
    delivered = await chat.deliver()
    assert list(delivered) == [3]
    assert b"X-REASON:removed" in delivered[3][1].document.content
    assert delivered[3][0].text == (
        "Det finns nu färre platser på <b>Arbetsmarknaden efter corona</b> (torsdag 2 september "
        "2027 kl. 09:30–12:30, Sverigetid). Eftersom du var bland de sista att svara står du nu på väntelistan, "
        "plats 1. Jag hör av mig direkt om en plats blir ledig.")
    replies = await chat.send("/rsvp hybrid", olle)
    assert "Ditt svar: Kommer på plats – väntelista, plats 1 · fullbokat på plats" in chat.text(replies)

    await programme.change(chat.assistant, PROGRAMME)
    delivered = await chat.deliver()
    assert list(delivered) == [3]
    assert delivered[3][0].text.startswith("Goda nyheter!")
    assert b"X-REASON:promoted" in delivered[3][1].document.content
    await chat.tick(minutes=5)
    assert len(chat.sent_to(olle)) == 4
    assert len(chat.sent_to(emma)) == 0


async def test_cancellation_and_removal_are_told_with_the_calendar_cancellation(
        mingel_chat) -> None:
    chat, programme = await start(mingel_chat)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv")
    await answer(chat, emma, "hybrid", "Coming online")
    await answer(chat, olle, "small", "Kommer på plats")
    cancelled = PROGRAMME.replace("    capacity: 2\n", "    capacity: 2\n    cancelled: true\n")
    await programme.change(chat.assistant, cancelled)
    await chat.tick(minutes=3)
    note, ics = chat.sent_to(emma)
    assert note.text.startswith("❌ <b>Cancelled:</b> The labour market after corona")
    assert b"METHOD:CANCEL" in ics.document.content
    replies = await chat.send("/rsvp hybrid", emma)
    assert chat.buttons(replies) == []

    without_small = cancelled.replace(cancelled[cancelled.index("  - id: small"):
                                                cancelled.index("  - id: web")], "")
    await programme.change(chat.assistant, without_small)
    delivered = await chat.deliver()
    assert list(delivered) == [3]
    assert delivered[3][0].text.startswith("❌ <b>Litet möte</b> (tisdag 21 september 2027 kl. "
                                           "09:30–12:30) har tagits bort ur programmet.")
    assert b"METHOD:CANCEL" in delivered[3][1].document.content
    assert chat.assistant.store.table("rsvp_answers").find(event="small") == []
    await chat.tick(minutes=5)
    assert len(chat.sent_to(olle)) == 2


async def test_changes_to_meetings_that_are_over_are_not_told(mingel_chat) -> None:
    chat, programme = await start(mingel_chat)
    await answer(chat, chat.user(2, "Emma"), "web", "Coming online")
    chat.clock.advance(days=30)
    await programme.change(chat.assistant, PROGRAMME.replace("start: 2027-08-20 10:00",
                                                             "start: 2027-08-20 10:15"))
    await chat.tick(minutes=5)
    without_web = PROGRAMME.replace(PROGRAMME[PROGRAMME.index("  - id: web"):
                                              PROGRAMME.index("  - id: days")], "")
    await programme.change(chat.assistant, without_web)
    await chat.tick(minutes=5)
    assert chat.outbox.sent == {}


async def crowd(chat, people: int) -> list[int]:
    """People who answered the hybrid meeting (two seats: the rest wait for one)."""
    ids = list(range(100, 100 + people))
    for user_id in ids:
        await answer(chat, chat.user(user_id, f"P{user_id}"), "hybrid", "Coming in person")
    return ids


async def test_a_crowded_meetings_notices_let_others_be_answered_and_reach_each_once(
        mingel_chat) -> None:
    """Queuing hundreds of notices gives other people's updates a turn (a festival's most
    popular meeting held everyone up for a third of a second)."""
    chat, programme = await start(mingel_chat)
    people = await crowd(chat, 230)
    await programme.change(chat.assistant, LATER)
    finished: list[str] = []

    async def tick() -> None:
        await chat.tick(minutes=3)
        finished.append("tick")

    async def someone_else() -> None:
        await asyncio.sleep(0)
        finished.append(f"{chat.assistant.outbox.table.count()} queued")
        assert "/rsvp" in chat.text(await chat.send("/help", chat.user(2, "Emma")))
        finished.append("someone else")

    await asyncio.gather(tick(), someone_else())
    queued, *rest = finished
    assert 0 < int(queued.split()[0]) < 2 * 230 and rest == ["someone else", "tick"]
    assert sorted(chat.outbox.sent) == people
    assert all(len(chat.sent_to(user)) == 2 for user in people)  # the notice and its .ics
    await chat.tick(minutes=10)
    assert all(len(chat.sent_to(user)) == 2 for user in people)


async def test_notices_cut_short_by_a_failure_reach_the_rest_once_at_the_next_tick(
        mingel_chat, monkeypatch) -> None:
    chat, programme = await start(mingel_chat)
    people = await crowd(chat, 150)
    await programme.change(chat.assistant, LATER)
    outbox = chat.assistant.outbox
    enqueue, queued = outbox.enqueue, []

    def failing(chat_id: int, replies: object, key: str | None = None) -> bool:
        if len(queued) == 120:
            raise OSError("disk full")
        queued.append(chat_id)
        return enqueue(chat_id, replies, key=key)

    monkeypatch.setattr(outbox, "enqueue", failing)
    await chat.tick(minutes=3)
    assert len(chat.outbox.sent) == 120
    monkeypatch.setattr(outbox, "enqueue", enqueue)
    await chat.tick(minutes=1)
    assert sorted(chat.outbox.sent) == people
    assert all(len(chat.sent_to(user)) == 2 for user in people)


async def test_an_edit_made_while_notices_are_queued_is_told_next_from_where_they_left_off(
        mingel_chat) -> None:
    chat, programme = await start(mingel_chat)
    people = await crowd(chat, 3)
    await programme.change(chat.assistant, LATER)

    async def organiser() -> None:
        await asyncio.sleep(0)
        await programme.change(chat.assistant, MOVED)

    await asyncio.gather(chat.tick(minutes=3), organiser())
    assert [chat.sent_to(u)[0].text.splitlines()[1:] for u in people] == [
        ["Time changed: 09:30–12:30 → 10:00–12:30"]] * 3
    await chat.tick(minutes=3)
    assert [chat.sent_to(u)[2].text.splitlines()[1:] for u in people] == [
        ["Venue changed: F7, Fleminggatan 7, Stockholm → KTH, Valhallavägen 79, Stockholm"]] * 3
