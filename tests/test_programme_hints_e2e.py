"""End to end: a newcomer's programme mistakes (QA pass 29) answered with how to fix them,
through the real PTB Application and the Bot API stub."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.clock import FakeClock
from tests.test_programme_chat import PROGRAMME
from tests.test_programme_hints import COMMA_SV, DATE_HINT, SPEAKER_SV, fixture

ORG, SVEN = 1, 10
PLUGINS = ["plugins.basics", "plugins.programme"]
NOW = "2027-08-01T08:00:00+00:00"


@pytest.fixture
def programme_file(tmp_path: Path) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return path


@pytest.fixture
def start(telegram_bot, programme_file):
    async def make():
        return await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                                  env={"MINGEL_PROGRAMME": str(programme_file),
                                       "MINGEL_ORGANISERS": str(ORG)})
    return make


async def test_a_swedish_upload_and_an_english_reload_say_how_to_fix_the_file(
        start, programme_file) -> None:
    bot = await start()
    await bot.stub.send_document(ORG, "v2-comma.yaml", fixture("v2-comma.yaml").encode(),
                                 language_code="sv")
    [comma] = await bot.stub.wait_sent(ORG)
    assert comma.params["parse_mode"] == "HTML"
    assert comma.plain_text.splitlines() == [
        ("Programfilen har 2 fel, så jag behåller programmet som används nu. Rätta felen och "
         "försök igen:"),
        "",
        COMMA_SV.format(line=63, id="am-2026-12-01", tail="Aalborgs universitet"),
        COMMA_SV.format(line=74, id="am-2026-12-07", tail="Swedish National Agency for Education"),
    ]
    assert "<code>{sv: &quot;…, …&quot;, en: &quot;…&quot;}</code>" in comma.text
    await bot.stub.send_document(ORG, "v1.yaml", fixture("v1.yaml").encode(), language_code="sv")
    [speaker] = await bot.stub.wait_sent(ORG)
    assert [line for line in speaker.plain_text.splitlines() if ":40:" in line] == [
        SPEAKER_SV]
    programme_file.write_text(fixture("v3.yaml"), encoding="utf-8")
    [problems] = await bot.say(ORG, "/reload", language_code="en")
    lines = problems.plain_text.splitlines()
    assert ("programme.yaml:24: event 'a2': health_required must be true or false, not the "
            "text 'true' in quotes; remove the quotes") in lines
    assert f"programme.yaml:32: event 'a3': unknown field 'date' {DATE_HINT}" in lines
    assert "did you mean 'note'" not in problems.plain_text
    [listing] = await bot.say(SVEN, "/programme", language_code="sv")
    assert "Arbetsmarknaden efter corona" in listing.plain_text


async def test_a_joint_meetings_own_moderator_is_pointed_to_the_network(
        start, programme_file) -> None:
    """QA 43: a second moderator written under the joint meeting got "did you mean
    'description'?"; the organiser is told where a moderator goes, in Swedish, with the line
    to write as code."""
    bot = await start()
    edited = PROGRAMME.replace("    networks: [arbetsmarknad, bostad]\n",
                               "    networks: [arbetsmarknad, bostad]\n    moderator: Lena Ek\n", 1)
    assert edited != PROGRAMME
    programme_file.write_text(edited, encoding="utf-8")
    [problems] = await bot.say(ORG, "/reload", language_code="sv")
    line = next(n for n, text in enumerate(edited.splitlines(), 1) if "moderator: Lena" in text)
    assert problems.plain_text.splitlines()[2:] == [
        (f"programme.yaml:{line}: träff ”gemensam”: okänt fält ”moderator” (en träff visar "
         "sina nätverks samtalsledare: skriv moderator: Lena Ek under nätverket, i networks)")]
    assert "<code>moderator: Lena Ek</code>" in problems.text
    assert "description" not in problems.plain_text
