"""The organisers' note ("Obs! Vi är i Stora salen, plan 3") is told like the other fields
the preview lists: the change notice quotes the new note, and reminders show it, as the
card does. Before, the preview said "Note: Subject to change → …" and that participants
would be told, but the notice left the note out and the reminder showed only the venue."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.test_card_link_sent import start
from tests.test_new_private_link import change_at
from tests.test_rsvp_online_only import LAST_HOUR, answer
from tests.test_rsvp_support import ORGANISER, PROGRAMME

NOTE = ('    note: {sv: "Obs! Vi är i Stora salen, plan 3", '
        'en: "Note: we are in the Large Hall, 3rd floor"}\n')
WITH_NOTE = PROGRAMME.replace("    capacity: 2\n", "    capacity: 2\n" + NOTE, 1)
MOVED_NEW_LINK_NOTE = WITH_NOTE.replace("start: 2027-09-02 09:30", "start: 2027-09-02 09:45", 1) \
    .replace("https://zoom.us/j/1", "https://zoom.us/j/11122233344", 1)
EDIT_AT = datetime.fromisoformat("2027-08-20T08:00:00+00:00")


async def people(chat):
    """Anna (sv) in person, Emma (en) in person, Bo (en) online."""
    anna, emma, bo = chat.user(301, "Anna", lang="sv"), chat.user(4, "Emma"), chat.user(2, "Bo")
    await answer(chat, anna, "Kommer på plats")
    await answer(chat, emma, "Coming in person")
    await answer(chat, bo, "Coming online")
    return anna, emma, bo


def notices(chat, user) -> list[str]:
    return [chat.text([m]) for m in chat.sent_to(user) if (m.text or "").startswith("✏️")]


async def test_the_notice_quotes_the_new_note_and_the_reminder_shows_it(mingel_chat,
                                                                         tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    anna, _emma, bo = await people(chat)
    chat.clock.set(EDIT_AT)
    path.write_text(MOVED_NEW_LINK_NOTE, encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORGANISER))
    assert "Note: none → Note: we are in the Large Hall, 3rd floor" in preview
    assert "3 participants of the changed meetings will be told." in preview
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick(minutes=3)

    [told] = notices(chat, anna)
    assert told.splitlines()[1:] == [
        "Ny tid: 09:30–12:30 → 09:45–12:30",
        "Ny länk för att delta online: jag skickar den till alla som deltar online.",
        "Ny anmärkning: ”Obs! Vi är i Stora salen, plan 3”"]
    [told] = notices(chat, bo)
    assert told.splitlines()[-1] == "New note: “Note: we are in the Large Hall, 3rd floor”"

    chat.clock.set(LAST_HOUR + timedelta(minutes=15))
    await chat.tick()
    reminder = chat.sent_to(anna)[-1]
    assert reminder.text.startswith("⏰ Påminnelse:")
    assert "📍 F7, Fleminggatan 7, Stockholm\n\n<i>Obs! Vi är i Stora salen, plan 3</i>" in \
        reminder.text
    assert "<i>Note: we are in the Large Hall, 3rd floor</i>" in chat.sent_to(bo)[-1].text


async def test_a_note_alone_is_told_with_the_calendar_file(mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    _anna, emma, bo = await people(chat)
    await change_at(chat, path, EDIT_AT, WITH_NOTE)
    assert "3 participants of the changed meetings are being told." in \
        chat.text(chat.last[ORGANISER])
    await chat.tick(minutes=3)
    for user in (emma, bo):
        note, ics = chat.sent_to(user)[-2:]
        assert chat.text([note]).splitlines()[1:] == [
            "New note: “Note: we are in the Large Hall, 3rd floor”"]
        assert ics.document is not None and b"3rd floor" in ics.document.content


async def test_a_note_taken_away_or_changed_in_another_language(mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(WITH_NOTE, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick(minutes=3)
    anna, emma, _bo = await people(chat)

    english_only = WITH_NOTE.replace("3rd floor", "third floor", 1)
    await change_at(chat, path, EDIT_AT, english_only)
    await chat.tick(minutes=3)
    assert notices(chat, anna) == [], "her note reads as before: nothing to tell her"
    [told] = notices(chat, emma)
    assert told.splitlines()[1:] == ["New note: “Note: we are in the Large Hall, third floor”"]

    await change_at(chat, path, EDIT_AT + timedelta(hours=1), PROGRAMME)
    await chat.tick(minutes=3)
    [told] = notices(chat, anna)
    assert told.splitlines()[1:] == [
        "Anmärkningen ”Obs! Vi är i Stora salen, plan 3” gäller inte längre."]


async def test_a_note_wrapped_anew_reads_the_same_and_tells_nobody(mingel_chat,
                                                                    tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(WITH_NOTE, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick(minutes=3)
    anna, _emma, _bo = await people(chat)
    wrapped = WITH_NOTE.replace("Stora salen, plan 3", "Stora salen,\\nplan 3", 1)
    await change_at(chat, path, EDIT_AT, wrapped)
    await chat.tick(minutes=3)
    assert notices(chat, anna) == []


async def in_use_with_readers(mingel_chat, tmp_path, source: str = WITH_NOTE):
    """`source` in use, and one Swedish and one English participant coming in person."""
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick(minutes=3)
    anna, emma = chat.user(301, "Anna", lang="sv"), chat.user(4, "Emma")
    await answer(chat, anna, "Kommer på plats")
    await answer(chat, emma, "Coming in person")
    return chat, path, anna, emma


async def reload_counts(chat, path, source: str) -> tuple[str, str]:
    """The last line of the preview and of the confirmation of a reload of `source`."""
    chat.clock.advance(hours=1)
    path.write_text(source, encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORGANISER))
    done = chat.text(await chat.press("✅ Confirm", ORGANISER))
    await chat.tick(minutes=3)
    return preview.splitlines()[-1], done.splitlines()[-1]


async def test_a_note_changed_in_one_language_is_counted_and_told_to_its_readers_only(
        mingel_chat, tmp_path) -> None:
    """Review: the preview counted everyone coming for a note changed only in Swedish, though
    the English readers, whose note reads as before, are told nothing."""
    chat, path, anna, emma = await in_use_with_readers(mingel_chat, tmp_path)
    swedish_only = WITH_NOTE.replace("plan 3", "plan 4", 1)
    preview, done = await reload_counts(chat, path, swedish_only)
    assert preview == "Confirm to put it in use. 1 participant of the changed meetings will be told."
    assert done == "1 participant of the changed meetings is being told."
    [told] = notices(chat, anna)
    assert told.splitlines()[1:] == ["Ny anmärkning: ”Obs! Vi är i Stora salen, plan 4”"]
    assert notices(chat, emma) == []

    english_only = swedish_only.replace("3rd floor", "4th floor", 1)
    preview, done = await reload_counts(chat, path, english_only)
    assert preview.endswith("1 participant of the changed meetings will be told.")
    assert done == "1 participant of the changed meetings is being told."
    assert len(notices(chat, anna)) == 1
    [told] = notices(chat, emma)
    assert told.splitlines()[1:] == ["New note: “Note: we are in the Large Hall, 4th floor”"]

    both = english_only.replace("plan 4", "plan 5", 1).replace("4th floor", "5th floor", 1)
    preview, done = await reload_counts(chat, path, both)
    assert preview.endswith("2 participants of the changed meetings will be told.")
    assert len(notices(chat, anna)) == 2 and len(notices(chat, emma)) == 2


async def test_a_reader_whose_language_falls_back_to_the_changed_note_is_counted_and_told(
        mingel_chat, tmp_path) -> None:
    """A note only in Swedish is what the English reader reads too: changing it tells both."""
    swedish = PROGRAMME.replace("    capacity: 2\n",
                                "    capacity: 2\n    note: {sv: Vi är i Stora salen}\n", 1)
    chat, path, anna, emma = await in_use_with_readers(mingel_chat, tmp_path, swedish)
    preview, done = await reload_counts(chat, path, swedish.replace("Stora", "Lilla", 1))
    assert preview.endswith("2 participants of the changed meetings will be told.")
    assert done == "2 participants of the changed meetings are being told."
    assert notices(chat, anna)[0].splitlines()[1:] == ["Ny anmärkning: ”Vi är i Lilla salen”"]
    assert notices(chat, emma)[0].splitlines()[1:] == ["New note: “Vi är i Lilla salen”"]


async def test_a_note_wrapped_anew_in_every_language_counts_nobody(mingel_chat,
                                                                   tmp_path) -> None:
    chat, path, anna, emma = await in_use_with_readers(mingel_chat, tmp_path)
    wrapped = WITH_NOTE.replace("Stora salen, plan 3", "Stora salen,\\nplan 3", 1)
    preview, done = await reload_counts(chat, path, wrapped)
    assert preview == "Confirm to put it in use."
    assert done == "Done: the new programme is in use (1 changed)."
    assert notices(chat, anna) == [] and notices(chat, emma) == []
