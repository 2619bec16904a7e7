"""Days written with the small words around them ("på onsdag", "on the 30th of June"),
and words split as a person means them ("<b>klimat"): the parser, then the chat."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from plugins.programme.days import find_day, tokens
from tests.test_programme_days import PLUGINS, festival, meetings

TODAY = date(2027, 6, 1)
SVEN, EMMA = 10, 11


def busy(day: date) -> bool:
    """The festival week has meetings."""
    return date(2027, 6, 28) <= day <= date(2027, 7, 4)


def day_of(text: str) -> tuple[date, list[str]] | None:
    return find_day(tokens(text), TODAY, busy)


@pytest.mark.parametrize(("text", "day"), [
    ("den 30 juni", date(2027, 6, 30)),
    ("på onsdag", date(2027, 6, 30)),
    ("nu på fredag", date(2027, 7, 2)),
    ("onsdag den 30 juni", date(2027, 6, 30)),
    ("på onsdag den 30:e", date(2027, 6, 30)),
    ("den 1:a juli", date(2027, 7, 1)),
    ("1/7 2027", date(2027, 7, 1)),
    ("1/7 2028", date(2028, 7, 1)),
    ("30 juni 2028", date(2028, 6, 30)),
    ("on wednesday", date(2027, 6, 30)),
    ("this friday", date(2027, 7, 2)),
    ("on the 30th of june", date(2027, 6, 30)),
    ("wednesday, june 30", date(2027, 6, 30)),
    ("wednesday the 30th of June, 2027", date(2027, 6, 30)),
    ("June the 30th", date(2027, 6, 30)),
    ("June 30th, 2028", date(2028, 6, 30)),
    ("i dag", TODAY),
    ("på i morgon", date(2027, 6, 2)),
])
def test_a_day_takes_the_small_words_that_go_with_it(text: str, day: date) -> None:
    assert day_of(text) == (day, [])


@pytest.mark.parametrize(("text", "day"), [
    ("tisdag den 30 juni", date(2027, 6, 30)),
    ("Tuesday, June 30", date(2027, 6, 30)),
    ("fredag 2027-06-30", date(2027, 6, 30)),
])
def test_a_weekday_before_a_date_means_the_date_even_when_they_disagree(text, day) -> None:
    assert day_of(text) == (day, [])


@pytest.mark.parametrize(("text", "rest"), [
    ("klimat på onsdag", ["klimat"]),
    ("climate on wednesday", ["climate"]),
    ("vad händer på onsdag?", ["vad", "hander"]),
    ("den gröna omställningen onsdag", ["den", "grona", "omstallningen"]),
    ("onsdag den", ["den"]),
    ("1/7 klimat 2027", ["klimat", "2027"]),
    ("onsdag 7", ["7"]),
    ("sal 7 onsdag", ["sal", "7"]),
])
def test_the_other_words_are_left_as_they_were(text: str, rest: list[str]) -> None:
    found = day_of(text)
    assert found is not None and found[1] == rest


@pytest.mark.parametrize("text", ["den", "on", "on the", "på", "nu på", "the 30th of",
                                  "den 32 juni", "of june", "i onsdags", "30 of the june"])
def test_small_words_without_a_day_name_none(text: str) -> None:
    assert day_of(text) is None


@pytest.mark.parametrize(("text", "words"), [
    ("<b>klimat", ["klimat"]),
    ("<b>klimat</b> <i>energi</i>", ["klimat", "energi"]),
    ('<a href="https://x.se">vård</a>', ["vard"]),
    ("<klimat>", ["klimat"]),
    ("klimat/energi, vård;skola", ["klimat", "energi", "vard", "skola"]),
    ("_klimat_ *energi*", ["klimat", "energi"]),
    ("30/6 2027-06-30 1:a 30:e e-hälsa 1/7/2027", ["30/6", "2027-06-30", "1:a", "30:e",
                                                    "e-halsa", "1/7/2027"]),
    ("fredag? (30 juni).", ["fredag", "30", "juni"]),
    ("R&D, Q&A och O'Neill", ["r&d", "q&a", "och", "o'neill"]),
])
def test_words_are_split_as_a_person_means_them(text: str, words: list[str]) -> None:
    assert tokens(text) == words


@pytest.fixture
def start(mingel_chat, tmp_path: Path):
    async def make():
        chat = await mingel_chat(PLUGINS, now="2027-06-01T08:00:00+00:00", env={
            "MINGEL_PROGRAMME": str(festival(tmp_path / "festival.yaml"))})
        chat.user(SVEN, "Sven", lang="sv")
        chat.user(EMMA, "Emma", lang="en")
        return chat
    return make


@pytest.mark.parametrize(("user", "day", "heading"), [
    (SVEN, "den 30 juni", "Onsdag 30 juni 2027"),
    (SVEN, "på onsdag", "Onsdag 30 juni 2027"),
    (SVEN, "onsdag den 30 juni", "Onsdag 30 juni 2027"),
    (SVEN, "tisdag den 30 juni", "Onsdag 30 juni 2027"),
    (SVEN, "nu på tisdag", "Tisdag 29 juni 2027"),
    (SVEN, "29/6 2027", "Tisdag 29 juni 2027"),
    (EMMA, "on wednesday", "Wednesday, 30 June 2027"),
    (EMMA, "on the 30th of june", "Wednesday, 30 June 2027"),
    (EMMA, "wednesday, june 30", "Wednesday, 30 June 2027"),
    (EMMA, "this Tuesday", "Tuesday, 29 June 2027"),
])
async def test_programme_lists_a_day_written_with_its_small_words(start, user, day,
                                                                  heading) -> None:
    chat = await start()
    text = chat.text(await chat.send(f"/programme {day}", user))
    assert text.splitlines()[0] == heading
    assert meetings(text)


async def test_a_date_with_a_year_after_it_is_that_years(start) -> None:
    chat = await start()
    assert chat.text(await chat.send("/programme 1/7 2027", SVEN)) \
        == "Det finns inga träffar torsdag 1 juli 2027."
    assert chat.text(await chat.send("/programme 29/6 2028", EMMA)) \
        == "There are no meetings on Thursday, 29 June 2028."


@pytest.mark.parametrize(("user", "words", "answer"), [
    (SVEN, "den", "Jag förstod inte ”den”."),
    (SVEN, "på", "Jag förstod inte ”på”."),
    (EMMA, "on", "I didn't understand “on”."),
    (EMMA, "on the", "I didn't understand “on the”."),
])
async def test_small_words_alone_get_the_usual_answer(start, user, words, answer) -> None:
    chat = await start()
    text = chat.text(await chat.send(f"/programme {words}", user))
    assert text.splitlines()[0] == answer
    assert "/programme" in text and not meetings(text)


async def test_search_takes_the_day_with_its_small_words(start) -> None:
    chat = await start()
    found = chat.text(await chat.send("/search klimat på onsdag", SVEN))
    assert found.startswith("15 träffar matchar ”klimat på onsdag”:")
    assert {line.rsplit(" ", 1)[-1] for line in meetings(found)} \
        == {f"wed{n:02d}" for n in range(1, 30, 2)}
    english = chat.text(await chat.send("/search care on the 29th of June", EMMA))
    assert english.startswith("1 meeting matches “care on the 29th of June”:")
    assert [line.rsplit(" ", 1)[-1] for line in meetings(english)] == ["tue1"]


async def test_search_finds_a_word_behind_a_tag_or_a_slash(start) -> None:
    chat = await start()
    found = chat.text(await chat.send("/search <b>klimat</b>", SVEN))
    assert found.startswith("17 träffar matchar ”<b>klimat</b>”:")
    assert "Samtal mon1" in found and "Samtal mon2" not in found
    slashed = chat.text(await chat.send("/search vård/tisdag", SVEN))
    assert slashed.startswith("1 träff matchar ”vård/tisdag”:") and "Samtal tue1" in slashed


async def test_a_network_whose_name_holds_a_slash_is_still_found(mingel_chat,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "timezone: Europe/Stockholm\nvenues: {hall: {name: Hall}}\n"
        "defaults: {venue: hall}\nnetworks:\n"
        "  ke: {name: {sv: Klimat/energi, en: Climate/energy}}\n"
        "  vard: {name: {sv: Vårdnätverket, en: Care network}}\nevents:\n"
        "  - {id: m1, networks: [ke], title: Samtal m1, start: 2027-06-28 09:00,"
        " end: 2027-06-28 10:00}\n", encoding="utf-8")
    chat = await mingel_chat(PLUGINS, now="2027-06-01T08:00:00+00:00",
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(SVEN, "Sven", lang="sv")
    text = chat.text(await chat.send("/programme klimat/energi", SVEN))
    assert text.splitlines()[0] == "Kommande träffar i Klimat/energi"


async def test_search_for_an_abbreviation_with_an_ampersand_is_not_two_letters(start) -> None:
    """"R&D" in two was "r" and "d", found in every meeting's text."""
    chat = await start()
    found = chat.text(await chat.send("/search R&D", SVEN))
    assert found.startswith("Ingen träff matchar ”R&D”"), found
