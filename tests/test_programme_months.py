"""/programme MONTH: a month's meetings ("september", "sept", "i september", "September
2028"), the next such month from today with meetings; a network named with a month word is
still that network (harness)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.clock import FakeClock
from plugins.programme.days import find_month, tokens

PLUGINS = ["plugins.basics", "plugins.programme"]
EVA, EMMA = 10, 11
NOW = "2027-06-01T08:00:00+00:00"


def season(path: Path) -> Path:
    """Meetings in two Septembers ahead (2027, 2028) and one behind (2026), one past May,
    one November, and networks whose names hold a month word (Mars-sällskapet, Innovation)."""
    lines = ["timezone: Europe/Stockholm", "venues: {hall: {name: Hall}}",
             "defaults: {venue: hall}", "networks:",
             "  arbete: {name: {sv: Arbetsmarknadsnätverket, en: Labour market network}}",
             "  mars: {name: {sv: Mars-sällskapet, en: Mars Society}}",
             "  innovation: {name: Innovation}", "events:"]
    for id_, network, day in [("sep26", "arbete", "2026-09-15"), ("maj27", "arbete", "2027-05-12"),
                              ("sep27a", "arbete", "2027-09-02"),
                              ("sep27b", "innovation", "2027-09-21"),
                              ("okt27", "mars", "2027-10-04"), ("nov27", "innovation", "2027-11-10"),
                              ("sep28", "arbete", "2028-09-05")]:
        lines += [f"  - id: {id_}", f"    networks: [{network}]",
                  f"    title: {{sv: Samtal {id_}, en: Talk {id_}}}",
                  f"    start: {day} 09:30", f"    end: {day} 11:00"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def start(mingel_chat, tmp_path: Path):
    async def make():
        chat = await mingel_chat(PLUGINS, now=NOW, env={
            "MINGEL_PROGRAMME": str(season(tmp_path / "season.yaml"))})
        chat.user(EVA, "Eva", lang="sv")
        chat.user(EMMA, "Emma", lang="en")
        return chat
    return make


def ids(text: str) -> list[str]:
    return [re.search(r"(?:Samtal|Talk) (\w+)", line)[1] for line in text.splitlines()
            if "Samtal " in line or "Talk " in line]


@pytest.mark.parametrize(("words", "month"), [
    ("september", (9, None)), ("sept", (9, None)), ("i sept.", (9, None)),
    ("Sep", (9, None)), ("in September 2028", (9, 2028)), ("maj", (5, None)),
    ("oktober", (10, None)), ("Oct", (10, None)), ("mars society", None), ("2 sept", None),
    ("september klimat", None), ("i", None)])
def test_a_month_alone_is_read_with_its_year(words, month) -> None:
    assert find_month(tokens(words)) == month


@pytest.mark.parametrize(("user", "words", "heading"), [
    (EVA, "september", "September 2027"), (EVA, "sept", "September 2027"),
    (EVA, "i september", "September 2027"), (EVA, "sep.", "September 2027"),
    (EMMA, "September", "September 2027"), (EMMA, "Sept", "September 2027")])
async def test_a_month_lists_the_next_such_months_meetings(start, user, words, heading) -> None:
    chat = await start()
    text = chat.text(await chat.send(f"/programme {words}", user))
    assert text.splitlines()[0] == heading
    assert ids(text) == ["sep27a", "sep27b"]


async def test_a_months_list_reads_as_the_day_lists_do(start) -> None:
    chat = await start()
    replies = await chat.send("/program september", EVA)
    text = chat.text(replies)
    assert "tors 2 sep. 09:30 · Samtal sep27a" in text
    assert chat.buttons(replies)[:2] == ["tors 2 sep. 09:30 · Samtal sep27a",
                                         "tis 21 sep. 09:30 · Samtal sep27b"]
    english = chat.text(await chat.send("/programme september", EMMA))
    assert "Thu 2 Sept 09:30 · Talk sep27a" in english


async def test_a_year_names_another_september_and_a_past_one_is_listed(start) -> None:
    chat = await start()
    later = chat.text(await chat.send("/programme september 2028", EVA))
    assert later.splitlines()[0] == "September 2028" and ids(later) == ["sep28"]
    past = chat.text(await chat.send("/programme sep 2026", EMMA))
    assert past.splitlines()[0] == "September 2026" and ids(past) == ["sep26"]
    assert "(past)" in past
    only_past = chat.text(await chat.send("/programme maj", EVA))
    assert only_past.splitlines()[0] == "Maj 2027" and ids(only_past) == ["maj27"]


async def test_a_month_without_meetings_says_so(start) -> None:
    chat = await start()
    text = chat.text(await chat.send("/programme december", EVA))
    assert text == "Det finns inga träffar i december 2027."
    english = chat.text(await chat.send("/programme in December", EMMA))
    assert english == "There are no meetings in December 2027."


async def test_a_network_named_with_a_month_word_is_still_that_network(start) -> None:
    chat = await start()
    for words in ("mars", "Mars-sällskapet", "mars society"):
        text = chat.text(await chat.send(f"/programme {words}", EVA))
        assert text.splitlines()[0] == "Kommande träffar i Mars-sällskapet", words
        assert ids(text) == ["okt27"]
    innovation = chat.text(await chat.send("/programme innovation", EMMA))
    assert innovation.splitlines()[0] == "Upcoming meetings of Innovation"


async def test_a_month_word_inside_a_network_name_is_the_month(start) -> None:
    chat = await start()
    text = chat.text(await chat.send("/programme nov", EMMA))
    assert text.splitlines()[0] == "November 2027" and ids(text) == ["nov27"]


async def test_what_programme_takes_names_the_month(start) -> None:
    chat = await start()
    text = chat.text(await chat.send("/programme blaha", EVA))
    assert "en månad (/programme september)" in text


async def test_a_month_is_that_months_list_in_telegram(telegram_bot, tmp_path: Path) -> None:
    bot = await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": str(season(tmp_path / "s.yaml"))})
    [listed] = await bot.say(EVA, "/program sept", language_code="sv")
    assert listed.plain_text.splitlines()[0] == "September 2027"
    assert ids(listed.plain_text) == ["sep27a", "sep27b"]
    [network] = await bot.say(EVA, "/programme mars")
    assert network.plain_text.splitlines()[0] == "Kommande träffar i Mars-sällskapet"
