"""A network named as a person types it: "labour market" for "Labour-market policy network"
(a hyphen, a dash or a slash between words is a space), in /follow and /programme."""
from __future__ import annotations

from pathlib import Path

import pytest

from plugins.programme.follows import loose

PLUGINS = ["plugins.basics", "plugins.programme"]
EMMA, SVEN = 11, 10
PROGRAMME = """timezone: Europe/Stockholm
venues: {hall: {name: Hall}}
defaults: {venue: hall}
networks:
  arbetsmarknad: {name: {sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}}
  klimat-energi: {name: {sv: Klimat/energi, en: Climate – energy}}
  n4: {name: {sv: Nätverk 4, en: Network 4}}
  n40: {name: {sv: Nätverk 40, en: Network 40}}
events:
  - {id: m1, networks: [arbetsmarknad], title: Jobs, start: 2027-09-02 09:30, end: 2027-09-02 12:30}
  - {id: m2, networks: [klimat-energi], title: Heat, start: 2027-09-03 09:30, end: 2027-09-03 12:30}
  - {id: m3, networks: [n4], title: Four, start: 2027-09-04 09:30, end: 2027-09-04 12:30}
  - {id: m4, networks: [n40], title: Forty, start: 2027-09-05 09:30, end: 2027-09-05 12:30}
"""


@pytest.fixture
async def chat(mingel_chat, tmp_path: Path):
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, now="2027-09-01T06:00:00+00:00",
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(EMMA, "Emma", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    return chat


def test_marks_between_words_are_spaces() -> None:
    assert loose("Labour-market policy network") == "labour market policy network"
    assert loose(" Klimat/energi ") == loose("klimat energi") == "klimat energi"
    assert loose("Climate – energy") == "climate energy"


@pytest.mark.parametrize("typed", ["labour market policy network", "Labour market",
                                   "labour-market", "LABOUR MARKET POLICY"])
async def test_follow_finds_a_hyphenated_name_typed_with_spaces(chat, typed) -> None:
    replies = await chat.send(f"/follow {typed}", EMMA)
    assert chat.text(replies) == ("You now follow Labour-market policy network. /next shows "
                                  "its next meeting, and I'll tell you when a meeting is added to it.")


async def test_programme_and_other_names_and_whole_words_still_count(chat) -> None:
    listed = chat.text(await chat.send("/programme labour market", EMMA))
    assert listed.splitlines()[0] == "Upcoming meetings of Labour-market policy network"
    assert "Jobs" in listed and "Heat" not in listed
    climate = chat.text(await chat.send("/programme climate energy", EMMA))
    assert "Heat" in climate and "Jobs" not in climate
    swedish = chat.text(await chat.send("/följ klimat energi", SVEN))
    assert swedish.startswith("Nu följer du Klimat/energi.")
    four = chat.text(await chat.send("/programme network 4", EMMA))
    assert "Four" in four and "Forty" not in four
    refused = chat.text(await chat.send("/follow labour marked policy network", EMMA))
    assert refused.startswith("There's no network called “labour marked policy network”. Did you "
                              "mean Labour-market policy network?")
