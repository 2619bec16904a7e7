"""End to end: a meeting's title changed in Swedish only, reloaded through the real PTB bot
and the Bot API stub. The preview and the confirmation count exactly the participants who
get a notice: the Swedish reader, not the English one, whose title reads as before."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_rsvp_support import ORGANISER, PROGRAMME
from tests.test_title_changes import SWEDISH_ONLY

ANNA, EMMA = 21, 22


async def test_a_title_changed_in_swedish_is_counted_and_told_to_the_swedish_reader_only(
        telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, PROGRAMME)
    for user, lang, label in ((ANNA, "sv", "Kommer på plats"), (EMMA, "en", "Coming in person")):
        [card] = await bot.say(user, "/rsvp hybrid", language_code=lang)
        await bot.tap(user, card.message_id, label, count=2)
    await bot.outbox()
    before = {user: len(bot.stub.messages_to(user)) for user in (ANNA, EMMA)}

    preview = await reload(bot, path, SWEDISH_ONLY)
    assert preview.plain_text.endswith("Confirm to put it in use. 1 participant of the changed "
                                       "meetings will be told.")
    [done] = await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    assert done.plain_text.endswith("1 participant of the changed meetings is being told.")
    clock.advance(minutes=3)
    await bot.assistant.tick()
    notice, ics = await bot.stub.wait_sent(ANNA, 2, since=before[ANNA])
    assert notice.plain_text.splitlines()[1:] == [
        "Ny rubrik: Arbetsmarknaden efter corona → Arbetsmarknaden efter pandemin"]
    assert ics.method == "sendDocument" and b"pandemin" in ics.document_bytes
    await bot.outbox()
    assert bot.stub.messages_to(EMMA)[before[EMMA]:] == []
