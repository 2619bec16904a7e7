"""A day written as the lists write it ("Wed 30 Jun", "ons 30 juni", "Wed"): /programme
takes it back, so a day copied from a list is that day's list, not "I didn't understand"."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.programme.days import spelled_out, tokens
from tests.test_programme_days import EMMA, PLUGINS, SVEN, festival, meetings


@pytest.fixture
def start(mingel_chat, tmp_path: Path):
    async def make():
        chat = await mingel_chat(PLUGINS, now="2027-06-01T08:00:00+00:00", env={
            "MINGEL_PROGRAMME": str(festival(tmp_path / "festival.yaml"))})
        chat.user(SVEN, "Sven", lang="sv")
        chat.user(EMMA, "Emma", lang="en")
        return chat
    return make


def test_a_short_weekday_is_spelt_out_and_other_words_stay() -> None:
    assert spelled_out(tokens("Wed 30 Jun")) == ["onsdag", "30", "jun"]
    assert spelled_out(tokens("tors. 2 sep.")) == ["torsdag", "2", "sep"]
    assert spelled_out(tokens("mån")) == ["mandag"]
    assert spelled_out(tokens("klimat")) == ["klimat"]


@pytest.mark.parametrize(("user", "day", "first"), [
    (EMMA, "Wed", "Wednesday, 30 June 2027"),
    (EMMA, "Wed 30 Jun", "Wednesday, 30 June 2027"),
    (EMMA, "on Tue", "Tuesday, 29 June 2027"),
    (SVEN, "ons", "Onsdag 30 juni 2027"),
    (SVEN, "ons 30 juni", "Onsdag 30 juni 2027"),
    (SVEN, "tis.", "Tisdag 29 juni 2027"),
    (SVEN, "mån", "Måndag 28 juni 2027")])
async def test_a_day_as_the_list_writes_it_lists_that_day(start, user, day, first) -> None:
    chat = await start()
    text = chat.text(await chat.send(f"/programme {day}", user))
    assert text.splitlines()[0] == first
    assert meetings(text)


async def test_a_network_is_still_found_before_a_short_weekday(start) -> None:
    chat = await start()
    text = chat.text(await chat.send("/programme klimat", SVEN))
    assert text.splitlines()[0] == "Kommande träffar i Klimatnätverket"
    refused = chat.text(await chat.send("/programme Wed blaha", EMMA))
    assert refused.startswith("I didn't understand “Wed blaha”.")
