"""End to end: through PTB and the Bot API stub, a participant's /privacy leaves out what
concerns organisers only (programme files, broadcasts, the audit log); an organiser's has it."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_pickers_paging import NOW, season

ORGANISER, KARIN = 1, 12


async def test_a_participant_reads_her_part_an_organiser_everything(telegram_bot,
                                                                     tmp_path) -> None:
    bot = await telegram_bot(None, clock=FakeClock(NOW), env={
        "MINGEL_PROGRAMME": str(season(tmp_path / "season.yaml")),
        "MINGEL_ORGANISERS": str(ORGANISER)})
    [karin] = await bot.say(KARIN, "/integritet", language_code="sv")
    assert "Nätverk du följer" in karin.plain_text and "Svar (OSA)" in karin.plain_text
    for hidden in ("Programfiler", "Utskick", "Åtgärdslogg", "arrangör sparas"):
        assert hidden not in karin.plain_text, hidden
    [olga] = await bot.say(ORGANISER, "/privacy", language_code="en")
    for shown in ("Networks you follow", "Programme files (organisers)",
                  "Broadcasts: if you are an organiser", "Audit log (organisers)",
                  "Moderators: the networks"):
        assert shown in olga.plain_text, shown
