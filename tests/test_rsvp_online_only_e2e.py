"""End to end (QA 33, H1 and M1): through the real PTB Application and the Bot API stub, an
organiser's /reload that makes a hybrid meeting online only says beforehand that the answers
in person become online, and the participant who was coming in person reads in Swedish that
she now takes part online, with the updated calendar file, and her card says so."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_rsvp_online_only import ONLINE_ONLY
from tests.test_rsvp_support import ORGANISER, PROGRAMME

SARA, BO = 31, 32


async def test_a_reload_to_online_only_is_previewed_and_moves_her_answer_online(
        telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, PROGRAMME)
    for user, label, lang in ((SARA, "Kommer på plats", "sv"), (BO, "Coming online", "en")):
        [card] = await bot.say(user, "/rsvp hybrid", language_code=lang)
        await bot.tap(user, card.message_id, label)
    await bot.outbox()
    before = len(bot.stub.messages_to(SARA))

    preview = await reload(bot, path, ONLINE_ONLY)
    lines = preview.plain_text.splitlines()
    assert "    Seats at the venue: 2 → none (online only)" in lines
    assert "    👥 1 answer “Coming in person” becomes “Coming online”." in lines
    [done] = await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    assert done.plain_text.endswith("2 participants of the changed meetings are being told.")
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()

    note, ics = bot.stub.messages_to(SARA)[before:]
    assert note.plain_text.splitlines()[2] == (
        "Träffen är nu bara online, så ditt svar är nu ”Deltar online”. Länken för att delta "
        "får du strax före träffen.")
    assert ics.method == "sendDocument"
    [card] = await bot.say(SARA, "/rsvp hybrid", language_code="sv")
    assert "Ditt svar: Deltar online" in card.plain_text
