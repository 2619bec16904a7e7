"""Swedish command names (/hjälp, /nästa, /sök, /fråga …) and their ASCII spellings, which
Telegram makes clickable, answer as the English commands, with their arguments."""
from __future__ import annotations

import re

import pytest

from tests.test_questions_support import programme_env
from tests.test_terminal_chat import run_chat

SVEA, EMMA, OLGA = 21, 22, 1
NOW = "2027-09-01T08:00:00+00:00"
"""A Wednesday: the next meeting is Thursday's am-09-02; Kompetensförsörjning is on a Tuesday."""
PLUGINS = ["plugins.basics", "plugins.privacy", "plugins.programme", "plugins.rsvp",
           "plugins.calendar", "plugins.reminders", "plugins.health", "plugins.questions",
           "plugins.broadcast", "plugins.invitations", "plugins.audit"]


@pytest.fixture
async def chat(mingel_chat, tmp_path):
    chat = await mingel_chat(PLUGINS, organisers=[OLGA], now=NOW,
                             env=programme_env(tmp_path), flood_control=False)
    chat.user(SVEA, "Svea", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    chat.user(OLGA, "Olga", lang="sv")
    for user in (SVEA, EMMA, OLGA):
        await chat.send("/start", user)
    return chat


async def test_swedish_help_names_each_swedish_command_next_to_the_english(chat) -> None:
    for typed in ("/hjälp", "/hjalp", "/HJÄLP", "/help"):
        lines = chat.text(await chat.send(typed, SVEA)).splitlines()
        assert lines[0] == "Det här kan jag", typed
        assert "/hjälp, /help – Visa kommandona du kan använda" in lines
        assert "/nästa, /next – Din nästa träff" in lines
        assert "/sök, /search ORD – Hitta träffar efter ämne, talare eller nätverk; lägg " \
               "till en dag för att begränsa" in lines
        assert "/fråga, /ask [ID] – Ställ en fråga till talaren" in lines
        assert "/påminnelser, /reminders [2 dagar, 2 timmar | av] – Välj när jag påminner dig om träffar, " \
               "eller stäng av påminnelser" in lines
    organiser = chat.text(await chat.send("/hjälp", OLGA)).splitlines()
    assert "/utskick, /broadcast – Skicka ett meddelande till deltagarna på en träff, ett " \
           "nätverk eller alla" in organiser


async def test_english_help_is_unchanged(chat) -> None:
    text = chat.text(await chat.send("/help", EMMA))
    assert "/help – List the commands you can use" in text.splitlines()
    assert "/next – Your next meeting" in text.splitlines()
    assert not re.search(r"/(hjälp|hjalp|nästa|sök|fråga)\b", text)
    assert chat.text(await chat.send("/hjalp", EMMA)) == text


async def test_nasta_shows_the_next_meeting_as_next_does(chat) -> None:
    expected = chat.text(await chat.send("/next", SVEA))
    assert "Arbetsmarknaden efter corona" in expected
    for typed in ("/nästa", "/nasta", "/Nästa"):
        assert chat.text(await chat.send(typed, SVEA)) == expected, typed


async def test_a_decomposed_a_ring_from_the_keyboard_is_the_same_command(chat) -> None:
    """Some keyboards send ä as a and a combining diaeresis."""
    expected = chat.text(await chat.send("/next", SVEA))
    assert chat.text(await chat.send("/na\u0308sta", SVEA)) == expected


async def test_sok_takes_words_and_a_day(chat) -> None:
    found = chat.text(await chat.send("/sök kompetensförsörjning tisdag", SVEA))
    assert "Kompetensförsörjning" in found
    assert found == chat.text(await chat.send("/search kompetensförsörjning tisdag", SVEA))
    assert chat.text(await chat.send("/sok kompetensförsörjning tisdag", SVEA)) == found
    other_day = chat.text(await chat.send("/sök kompetensförsörjning torsdag", SVEA))
    assert "Kompetensförsörjning" not in other_day


async def test_fraga_with_an_id_asks_about_that_meeting(chat) -> None:
    prompt = chat.text(await chat.send("/fråga am-09-02", SVEA))
    assert prompt.startswith("Vilken fråga vill du ställa inför Arbetsmarknaden efter corona?")
    draft = await chat.send("Hur påverkas unga?", SVEA)
    assert chat.text(draft).startswith("Din fråga inför Arbetsmarknaden efter corona:")
    at_once = await chat.send("/fraga am-09-02 Och de äldre?", SVEA)
    assert chat.text(at_once).startswith("Din fråga inför Arbetsmarknaden efter corona:")
    assert "Och de äldre?" in chat.text(at_once)


@pytest.mark.parametrize(("typed", "guess"), [
    ("/hjälpp", "/hjälp"), ("/nästaa", "/nästa"), ("/paminelser", "/paminnelser"),
    ("/frga", "/fraga"), ("/fråg", "/fråga"), ("/kalendar", "/kalender")])
async def test_a_swedish_near_miss_points_to_the_swedish_name(chat, typed, guess) -> None:
    reply = chat.text(await chat.send(typed, SVEA))
    assert reply == (f"Jag känner inte till kommandot {typed}. Menade du {guess}? Skicka /help "
                     "för att se vad jag kan göra.")


async def test_an_english_near_miss_still_points_to_the_english_name(chat) -> None:
    reply = chat.text(await chat.send("/kalendar", EMMA))
    assert reply.startswith("I don't know the command /kalendar. Did you mean /calendar?")
    reply = chat.text(await chat.send("/serch", EMMA))
    assert reply.startswith("I don't know the command /serch. Did you mean /search?")


async def test_organisers_only_swedish_names_are_refused_to_participants(chat) -> None:
    assert chat.text(await chat.send("/utskick", SVEA)) == \
        "Tyvärr kan bara arrangörer använda /utskick."


async def test_every_command_a_swedish_participant_uses_has_a_clickable_swedish_name(chat) \
        -> None:
    """Telegram makes only /a-z0-9_ clickable: each name with å, ä, ö has an ASCII twin."""
    for cmd in chat.assistant.visible_commands(SVEA):
        assert cmd.aliases, f"/{cmd.name} has no Swedish name"
        assert any(re.fullmatch(r"[a-z0-9_]+", alias) for alias in cmd.aliases), cmd.name


def test_the_terminal_chat_takes_swedish_names_as_typed(tmp_path) -> None:
    out = run_chat(["/hjälp", "/språk en", "/sok arbetsmarknaden"], tmp_path,
                   MINGEL_LOCALE="sv", **programme_env(tmp_path / "programme"))
    assert "/hjälp, /help – Visa kommandona du kan använda" in out
    assert "I'll speak English with you from now on." in out
    assert "1 meeting matches “arbetsmarknaden”:\n\nThu 2 Sept 09:30 · The labour market after " \
           "corona" in out
