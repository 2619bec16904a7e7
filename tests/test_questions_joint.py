"""QA 41: a joint hybrid meeting of two networks, each with its own moderator (Swedish and
English), and participants in the room, online and anonymous."""
from __future__ import annotations

import asyncio

import pytest

from assistant import cli
from assistant.core import Assistant
from tests.test_questions import ask, qid

ORGANISER, ASTRID, BEN = 1, 11, 12
SARA, EMMA, HEMLIG = 21, 22, 23
NOW = "2027-10-14T07:00:00+00:00"
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.questions"]
PROGRAMME = """
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  arbetsmarknad:
    name: {sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}
  bostad:
    name: {sv: Bostadspolitiskt nätverk, en: Housing policy network}
events:
  - id: joint
    networks: [arbetsmarknad, bostad]
    title: {sv: Bostad och jobb, en: Housing and jobs}
    start: 2027-10-14 14:00
    end: 2027-10-14 16:00
    venue: f7
    online: {platform: Zoom, url: "https://zoom.us/j/61234567890"}
    speakers: [{name: Roger Mörtvik}]
"""
SIMILAR = "Hur påverkar bostadsbristen rörligheten?"
AGAIN = "Hur påverkar bostadsbrist rörligheten på arbetsmarknaden?"


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    return await joint_chat(mingel_chat, tmp_path)


async def joint_chat(mingel_chat, tmp_path):
    """Astrid moderates arbetsmarknad in Swedish, Ben bostad in English."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path)}, data_dir=tmp_path / "data")
    chat.assistant.flood.burst = 10_000
    chat.user(ORGANISER, "Olle", lang="sv")
    chat.user(ASTRID, "Astrid", lang="sv")
    chat.user(BEN, "Ben", lang="en")
    chat.user(SARA, "Sara", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    chat.user(HEMLIG, "Hemlig", lang="sv")
    for user in (ORGANISER, ASTRID, BEN, SARA, EMMA, HEMLIG):
        await chat.send("/start", user)
    await chat.send(f"/moderators arbetsmarknad add {ASTRID}", ORGANISER)
    await chat.send(f"/moderators bostad add {BEN}", ORGANISER)
    await chat.deliver()
    return chat


async def test_a_question_merged_into_the_askers_own_other_one_promises_no_vote(chat) -> None:
    """Hemlig asks the same thing twice, anonymously; Ben merges one into the other. Nobody
    backs their own question, so Hemlig is not told that their vote counts for it."""
    await ask(chat, HEMLIG, SIMILAR, event="joint", anonymous=True)
    await ask(chat, HEMLIG, AGAIN, event="joint", anonymous=True)
    await chat.press_data(f"questions:approve:{qid(chat, SIMILAR)}", ASTRID)
    await chat.press_data(f"questions:into:{qid(chat, AGAIN)}:{qid(chat, SIMILAR)}", BEN)
    [told] = (await chat.deliver())[HEMLIG]
    assert chat.text([told]) == ("Din fråga inför Bostad och jobb har slagits ihop med en "
                                 f"liknande fråga som du också har ställt:\n\n{SIMILAR}\n\n"
                                 "Jag säger till när den har besvarats.")
    await chat.press_data(f"questions:done:{qid(chat, SIMILAR)}", ASTRID)
    [answered] = (await chat.deliver())[HEMLIG]
    assert chat.text([answered]).startswith("✅ Din fråga har besvarats på Bostad och jobb:")


async def test_merged_into_ones_own_answered_question_says_it_was_answered(chat) -> None:
    await ask(chat, EMMA, "What about commuting?", event="joint")
    await ask(chat, EMMA, "And commuting from the suburbs?", event="joint")
    await chat.press_data(f"questions:done:{qid(chat, 'What about commuting?')}", ASTRID)
    await chat.deliver()
    await chat.press_data(f"questions:into:{qid(chat, 'And commuting from the suburbs?')}:"
                          f"{qid(chat, 'What about commuting?')}", ASTRID)
    [told] = (await chat.deliver())[EMMA]
    assert chat.text([told]) == ("Your question at Housing and jobs was merged with a similar "
                                 "question you also asked:\n\nWhat about commuting?\n\n"
                                 "It has already been answered.")


async def test_mingel_export_in_a_swedish_terminal_writes_the_csv_a_swedish_excel_reads(
        chat, tmp_path, monkeypatch, capsys) -> None:
    """`mingel export questions ID` speaks the terminal's language, as `mingel check` does:
    Swedish headings and statuses, ';' between the columns, anonymous rows nameless."""
    await ask(chat, SARA, SIMILAR, event="joint")
    await ask(chat, HEMLIG, "=Varför så få hyresrätter?", event="joint", anonymous=True)
    await chat.stop()
    for key in ("MINGEL_LOCALE", "MINGEL_DISABLED_PLUGINS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    monkeypatch.setenv("MINGEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MINGEL_PROGRAMME", str(tmp_path / "programme.yaml"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_assistant", lambda config: Assistant(
        config, plugins=PLUGINS, entry_points=False))
    assert await asyncio.to_thread(cli.main, ["export", "questions", "joint"]) == 0
    capsys.readouterr()
    lines = (tmp_path / "questions-joint.csv").read_text("utf-8-sig").splitlines()
    assert lines == ['"nummer";"fråga";"röster";"frågeställare";"status";"ställd";"besvarad"',
                     f'"1";"{SIMILAR}";"0";"Sara";"Väntar på godkännande";"2027-10-14 09:00";""',
                     ('"2";"\'=Varför så få hyresrätter?";"0";"anonym";"Väntar på godkännande";'
                      '"2027-10-14 09:00";""')]
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    english = ["export", "questions", "joint", "-o", "en.csv"]
    assert await asyncio.to_thread(cli.main, english) == 0
    assert (tmp_path / "en.csv").read_text("utf-8-sig").splitlines()[0] == \
        '"number","question","votes","asker","status","asked at","answered at"'
