"""A meeting's title is given per language, like its note: a title changed in one language
is told, and counted in the /reload preview, only for those who read it anew. Before, an
English reader of a title changed only in Swedish was sent "New title: The labour market
after corona → The labour market after corona" with a calendar file, and counted."""
from __future__ import annotations

from tests.test_card_link_sent import start
from tests.test_note_changes import in_use_with_readers, notices, reload_counts
from tests.test_rsvp_online_only import answer
from tests.test_rsvp_support import ORGANISER, PROGRAMME

SV_TITLE = "sv: Arbetsmarknaden efter corona"
EN_TITLE = "en: The labour market after corona"
SWEDISH_ONLY = PROGRAMME.replace(SV_TITLE, "sv: Arbetsmarknaden efter pandemin", 1)
ONE_READER = "Confirm to put it in use. 1 participant of the changed meetings will be told."
BOTH_READERS = "Confirm to put it in use. 2 participants of the changed meetings will be told."


async def readers(mingel_chat, tmp_path):
    """The test programme in use, and one Swedish and one English participant coming in
    person to the meeting titled "Arbetsmarknaden efter corona" in Swedish."""
    chat, path = await start(mingel_chat, tmp_path)
    anna, emma = chat.user(301, "Anna", lang="sv"), chat.user(4, "Emma")
    await answer(chat, anna, "Kommer på plats")
    await answer(chat, emma, "Coming in person")
    return chat, path, anna, emma


def calendar_files(chat, user) -> int:
    return sum(m.document is not None for m in chat.sent_to(user))


async def test_a_title_changed_in_swedish_is_counted_and_told_to_the_swedish_reader_only(
        mingel_chat, tmp_path) -> None:
    chat, path, anna, emma = await readers(mingel_chat, tmp_path)
    files = calendar_files(chat, emma)
    preview, done = await reload_counts(chat, path, SWEDISH_ONLY)
    assert preview == ONE_READER
    assert done == "1 participant of the changed meetings is being told."
    [told] = notices(chat, anna)
    assert told.splitlines()[1:] == [
        "Ny rubrik: Arbetsmarknaden efter corona → Arbetsmarknaden efter pandemin"]
    assert chat.sent_to(anna)[-1].document is not None
    assert notices(chat, emma) == []
    assert calendar_files(chat, emma) == files, "her calendar entry reads as before"


async def test_a_title_changed_in_english_is_told_to_the_english_reader_only(
        mingel_chat, tmp_path) -> None:
    chat, path, anna, emma = await readers(mingel_chat, tmp_path)
    english_only = PROGRAMME.replace(EN_TITLE, "en: Work after the pandemic", 1)
    preview, done = await reload_counts(chat, path, english_only)
    assert preview == ONE_READER
    assert done == "1 participant of the changed meetings is being told."
    assert notices(chat, anna) == []
    [told] = notices(chat, emma)
    assert told.splitlines()[1:] == [
        "New title: The labour market after corona → Work after the pandemic"]


async def test_a_title_for_every_language_changed_is_told_to_everyone(mingel_chat,
                                                                      tmp_path) -> None:
    plain = PROGRAMME.replace(f"{{{SV_TITLE}, {EN_TITLE}}}", "Mingel 2027", 1)
    chat, path, anna, emma = await in_use_with_readers(mingel_chat, tmp_path, plain)
    preview, done = await reload_counts(chat, path, plain.replace("Mingel 2027", "Mingel 2028"))
    assert preview == BOTH_READERS
    assert done == "2 participants of the changed meetings are being told."
    for user in (anna, emma):
        [told] = notices(chat, user)
        assert told.splitlines()[-1].endswith(": Mingel 2027 → Mingel 2028")


async def test_a_swedish_title_and_the_time_changed_tell_the_english_reader_the_time_only(
        mingel_chat, tmp_path) -> None:
    chat, path, anna, emma = await readers(mingel_chat, tmp_path)
    moved = SWEDISH_ONLY.replace("start: 2027-09-02 09:30", "start: 2027-09-02 09:45", 1)
    preview, done = await reload_counts(chat, path, moved)
    assert preview == BOTH_READERS
    assert done == "2 participants of the changed meetings are being told."
    [told] = notices(chat, anna)
    assert told.splitlines()[1:] == [
        "Ny tid: 09:30–12:30 → 09:45–12:30",
        "Ny rubrik: Arbetsmarknaden efter corona → Arbetsmarknaden efter pandemin"]
    [told] = notices(chat, emma)
    assert told.splitlines()[1:] == ["Time changed: 09:30–12:30 → 09:45–12:30"]
    assert chat.sent_to(emma)[-1].document is not None, "her calendar entry moves"


async def test_a_swedish_title_and_invite_only_bring_the_english_reader_no_calendar_file(
        mingel_chat, tmp_path) -> None:
    """Only the invitation rule changed for her, which a calendar entry does not show."""
    chat, path, _anna, emma = await readers(mingel_chat, tmp_path)
    files = calendar_files(chat, emma)
    closed = SWEDISH_ONLY.replace("    capacity: 2\n", "    capacity: 2\n    invite_only: true\n", 1)
    await reload_counts(chat, path, closed)
    [told] = notices(chat, emma)
    assert told.splitlines()[1:] == [(
        "The meeting is now by invitation only. You had already answered, so you keep your "
        "answer and your place.")]
    assert calendar_files(chat, emma) == files


async def test_a_swedish_organiser_sees_which_languages_of_a_title_changed(
        mingel_chat, tmp_path) -> None:
    """Review: a Swedish organiser read "Rubrik: A → B" for a title changed in Swedish only,
    and could not tell that the English title stays (and its readers will not be told)."""
    chat, path = await start(mingel_chat, tmp_path)
    organiser = chat.user(ORGANISER, "Olle", lang="sv")
    path.write_text(SWEDISH_ONLY, encoding="utf-8")
    lines = chat.text(await chat.send("/reload", organiser)).splitlines()
    assert ("    Rubrik (sv): Arbetsmarknaden efter corona → Arbetsmarknaden efter pandemin"
            in lines), lines
    both = SWEDISH_ONLY.replace(EN_TITLE, "en: Work after the pandemic", 1)
    path.write_text(both, encoding="utf-8")
    lines = chat.text(await chat.send("/reload", organiser)).splitlines()
    assert "    Rubrik: Arbetsmarknaden efter corona → Arbetsmarknaden efter pandemin" in lines
