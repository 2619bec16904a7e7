"""A meeting whose way of taking part changes (QA 33, H1 and M1): answers it no longer offers
move to the one it offers instead, each person is told so in their language with the join
link as online participants get it, and the organiser's preview says beforehand what the
change does to people."""
from __future__ import annotations

from datetime import datetime

from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME

ONLINE_ONLY = PROGRAMME.replace("    capacity: 2\n", "    venue: null\n", 1)
"""The hybrid meeting (two seats, a private Zoom link) without its venue."""
TWO_ONLINE = PROGRAMME.replace("    capacity: 2\n", "    online_capacity: 2\n", 1)
TWO_ONLINE_ONLY = PROGRAMME.replace("    capacity: 2\n", "    venue: null\n    online_capacity: 2\n",
                                    1)
IN_PERSON_ONLY = PROGRAMME.replace(
    '    online: {platform: Zoom, url: "https://zoom.us/j/1", private: true}\n', "", 1)
ONE_SEAT = PROGRAMME.replace("    capacity: 2\n", "    capacity: 1\n", 1)
LAST_HOUR = datetime.fromisoformat("2027-09-02T06:35:00+00:00")
"""Just after the last reminder's time (1 hour before 09:30 in Stockholm)."""


async def start(mingel_chat, tmp_path, source: str = PROGRAMME):
    path = tmp_path / "programme.yaml"
    path.write_text(source, encoding="utf-8")
    chat = await mingel_chat([*REAL, "plugins.reminders"], organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path),
                                  "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.user(ORGANISER, "Org")
    return chat, path


async def answer(chat, user, label: str, event_id: str = "hybrid") -> None:
    await chat.send(f"/rsvp {event_id}", user)
    await chat.press(label, user)


async def preview(chat, path, source: str) -> str:
    """The organiser edits the file and sends /reload: the preview, as plain text."""
    path.write_text(source, encoding="utf-8")
    return chat.text(await chat.send("/reload", ORGANISER))


async def publish(chat, path, source: str) -> str:
    """The organiser's preview, then Confirm; the participants are told 2 minutes later."""
    shown = await preview(chat, path, source)
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick(minutes=3)
    return shown


async def test_a_meeting_made_online_only_moves_in_person_answers_online_and_says_so(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    sara, emma, bo = chat.user(3, "Sara", lang="sv"), chat.user(4, "Emma"), chat.user(2, "Bo")
    await answer(chat, sara, "Kommer på plats")
    await answer(chat, emma, "Coming in person")
    await answer(chat, bo, "Coming online")

    shown = await publish(chat, path, ONLINE_ONLY)
    assert "    Seats at the venue: 2 → none (online only)" in shown.splitlines()
    assert "    👥 2 answers “Coming in person” become “Coming online”." in shown.splitlines()

    note, ics = chat.sent_to(sara)
    assert note.text.splitlines()[1:] == [
        "Ny lokal: F7, Fleminggatan 7, Stockholm → ingen lokal (endast online)",
        ("Träffen är nu bara online, så ditt svar är nu ”Deltar online”. Länken för att delta "
         "får du strax före träffen.")]
    assert b"STATUS:CONFIRMED" in ics.document.content and b"zoom.us" not in ics.document.content
    note, _ics = chat.sent_to(emma)
    assert note.text.splitlines()[2] == (
        "The meeting is now online only, so your answer is now “Coming online”. You'll get the "
        "link to join shortly before the meeting.")
    note, _ics = chat.sent_to(bo)
    assert note.text.splitlines()[1:] == [
        "Venue changed: F7, Fleminggatan 7, Stockholm → no venue (online only)"]

    card = await chat.send("/rsvp hybrid", sara)
    assert "Ditt svar: Deltar online" in chat.text(card)
    assert "✓ Deltar online" in chat.buttons(card)
    assert "Coming online" in chat.text(await chat.send("/my", emma)).splitlines()[2]
    listed = chat.text(await chat.send("/attendees hybrid", ORGANISER))
    assert "In person: 0 · Online: 3 · Maybe: 0 · Waiting list: 0 · Can't come: 0" in listed


async def test_those_moved_online_get_the_private_link_with_their_last_reminder(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    sara, emma = chat.user(3, "Sara", lang="sv"), chat.user(4, "Emma")
    await answer(chat, sara, "Kommer på plats")
    await answer(chat, emma, "Coming in person")
    await publish(chat, path, ONLINE_ONLY)
    told = {user: len(chat.sent_to(user)) for user in (sara, emma)}
    chat.clock.set(LAST_HOUR)
    await chat.tick()
    [last] = chat.sent_to(sara)[told[sara]:]
    assert chat.text([last]).startswith("⏰ Påminnelse: Arbetsmarknaden efter corona börjar om "
                                        "1 timme.")
    assert '💻 Delta online: <a href="https://zoom.us/j/1">Zoom</a>' in last.text
    assert "📍" not in last.text
    [last] = chat.sent_to(emma)[told[emma]:]
    assert '💻 Join online: <a href="https://zoom.us/j/1">Zoom</a>' in last.text


async def test_those_the_online_places_cannot_take_wait_for_one_in_their_previous_order(
        mingel_chat, tmp_path) -> None:
    """Two online places: Bo keeps his; of the two in person, the first to answer gets the
    other place, the second the online waiting list, with the file that takes the meeting out
    of her calendar."""
    chat, path = await start(mingel_chat, tmp_path, TWO_ONLINE)
    bo, emma, sara = chat.user(2, "Bo"), chat.user(4, "Emma"), chat.user(3, "Sara", lang="sv")
    await answer(chat, bo, "Coming online")
    await answer(chat, emma, "Coming in person")
    await answer(chat, sara, "Kommer på plats")

    shown = await publish(chat, path, TWO_ONLINE_ONLY)
    assert ("    👥 2 answers “Coming in person” become “Coming online”. 1 of them goes on the "
            "online waiting list.") in shown.splitlines()
    note, ics = chat.sent_to(sara)
    assert note.text.splitlines()[2] == (
        "Träffen är nu bara online, så ditt svar är nu ”Deltar online”. Alla onlineplatser är "
        "dock tagna: du står på väntelistan för onlineplatser, plats 1. Jag hör av mig direkt om "
        "en plats blir ledig.")
    assert b"STATUS:CANCELLED" in ics.document.content
    assert "Ditt svar: Deltar online – väntelista, plats 1" in chat.text(
        await chat.send("/rsvp hybrid", sara))
    assert "You'll get the link" in chat.sent_to(emma)[0].text
    assert "Your answer: Coming online ·" in chat.text(await chat.send("/rsvp hybrid", emma))

    await chat.send("/rsvp hybrid", bo)
    await chat.press("Can't come", bo)
    good_news, ics = (await chat.deliver())[3]
    assert good_news.text.startswith("Goda nyheter! En onlineplats har blivit ledig")
    assert b"STATUS:CONFIRMED" in ics.document.content


async def test_a_meeting_made_in_person_only_makes_online_answers_maybe_and_asks_again(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    bo, olle, emma = chat.user(2, "Bo"), chat.user(5, "Olle", lang="sv"), chat.user(4, "Emma")
    await answer(chat, bo, "Coming online")
    await answer(chat, olle, "Deltar online")
    await answer(chat, emma, "Coming in person")

    shown = await publish(chat, path, IN_PERSON_ONLY)
    assert ("    👥 2 answers “Coming online” become “Maybe”: they are asked to answer again."
            in shown.splitlines())
    note, ics = chat.sent_to(bo)
    assert note.text.splitlines()[1:] == [
        "Taking part online is no longer possible.",
        ("Your answer was “Coming online”, so it is now “Maybe”. If you can come in person, "
         "please answer “Coming in person” on the meeting's card (/rsvp hybrid).")]
    assert b"METHOD:PUBLISH" in ics.document.content
    assert chat.sent_to(olle)[0].text.splitlines()[2] == (
        "Du hade svarat ”Deltar online”, så ditt svar är nu ”Kanske”. Om du kan komma på plats, "
        "svara ”Kommer på plats” på träffens kort (/rsvp hybrid).")
    assert chat.sent_to(emma)[0].text.splitlines()[1:] == [
        "Taking part online is no longer possible."]
    card = await chat.send("/rsvp hybrid", bo)
    assert "Your answer: Maybe" in chat.text(card)
    assert chat.buttons(card)[:3] == ["Coming in person", "✓ Maybe", "Can't come"]
    listed = chat.text(await chat.send("/attendees hybrid", ORGANISER))
    assert "In person: 1 · Online: 0 · Maybe: 2" in listed


async def test_an_edit_undone_before_the_notice_goes_out_gives_the_seats_back(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    sara, emma = chat.user(3, "Sara", lang="sv"), chat.user(4, "Emma")
    await answer(chat, sara, "Kommer på plats")
    await answer(chat, emma, "Coming in person")
    path.write_text(ONLINE_ONLY, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    assert "Your answer: Coming online" in chat.text(await chat.send("/rsvp hybrid", emma))
    shown = await publish(chat, path, PROGRAMME)
    assert "👥" not in shown
    await chat.tick(minutes=10)
    assert chat.outbox.sent.get(3, []) == [] and chat.outbox.sent.get(4, []) == []
    assert "Ditt svar: Kommer på plats · fullbokat på plats" in chat.text(
        await chat.send("/rsvp hybrid", sara))
    listed = chat.text(await chat.send("/attendees hybrid", ORGANISER))
    assert "In person: 2 · Online: 0" in listed
    assert listed.index("Sara") < listed.index("Emma"), "the order of answers is kept"


async def test_the_preview_says_who_loses_a_seat_and_who_gets_one(mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    await answer(chat, chat.user(3, "Sara", lang="sv"), "Kommer på plats")
    await answer(chat, chat.user(4, "Emma"), "Coming in person")
    shown = await publish(chat, path, ONE_SEAT)
    assert shown.splitlines()[4:6] == [
        "    Seats at the venue: 2 → 1",
        "    👥 1 person loses their seat and goes on the waiting list."]
    chat.user(ORGANISER, "Org", lang="sv")
    shown = await preview(chat, path, PROGRAMME)
    assert shown.splitlines()[4:6] == [
        "    Platser i lokalen: 1 → 2",
        "    👥 1 person på väntelistan får en plats."]


async def test_a_place_online_given_from_the_waiting_list_after_the_start_brings_the_link(
        mingel_chat, tmp_path) -> None:
    """Eva answered early and waited for the one online place; Bo gives it up five minutes
    into the meeting: "it's yours" is followed by the link, not by nothing (review)."""
    from datetime import timedelta

    from tests.test_notice_before_link import START
    one_online = PROGRAMME.replace("    capacity: 2\n", "    online_capacity: 1\n", 1)
    chat, _path = await start(mingel_chat, tmp_path, one_online)
    bo, eva = chat.user(2, "Bo"), chat.user(6, "Eva")
    await answer(chat, bo, "Coming online")
    await answer(chat, eva, "Coming online")
    chat.clock.set(LAST_HOUR)
    await chat.tick()
    assert not any("zoom.us/j/1" in (m.text or "") for m in chat.sent_to(eva))
    chat.clock.set(START + timedelta(minutes=5))
    await chat.tick()
    await answer(chat, bo, "Can't come")
    await chat.tick(minutes=1)
    told = [m.text or "" for m in chat.sent_to(eva)]
    assert any("zoom.us/j/1" in t and "It has already begun." in chat.text([m])
               for t, m in zip(told, chat.sent_to(eva), strict=True))


async def test_cant_come_withdraws_the_queued_link_and_coming_again_brings_it(
        mingel_chat, tmp_path) -> None:
    """The last reminder with the private link is queued (a morning's backlog); Bo taps
    "Can't come" before it goes: it does not go. He changes his mind: it comes (review)."""
    chat, _path = await start(mingel_chat, tmp_path)
    bo = chat.user(2, "Bo")
    await answer(chat, bo, "Coming online")
    chat.clock.set(LAST_HOUR)
    await chat.assistant.tick()
    await answer(chat, bo, "Can't come")
    await chat.deliver()
    assert not any("zoom.us/j/1" in (m.text or "") for m in chat.sent_to(bo))
    await answer(chat, bo, "Coming online")
    await chat.tick(minutes=1)
    assert any("zoom.us/j/1" in (m.text or "") for m in chat.sent_to(bo))
