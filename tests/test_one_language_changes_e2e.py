"""End to end: a meeting's note or title changed in Swedish only, reloaded through the real
PTB bot and the Bot API stub. The preview and the confirmation count exactly the
participants who get a notice: the Swedish reader, not the English one, whose text reads as
before."""
from __future__ import annotations

import pytest

from tests.e2e_reload import organised, reload
from tests.test_note_changes import WITH_NOTE
from tests.test_rsvp_support import ORGANISER, PROGRAMME
from tests.test_title_changes import SWEDISH_ONLY

ANNA, EMMA = 21, 22


@pytest.mark.parametrize(("before", "after", "told", "in_file"), [
    (WITH_NOTE, WITH_NOTE.replace("plan 3", "plan 4", 1),
     "Ny anmärkning: ”Obs! Vi är i Stora salen, plan 4”", b"plan 4"),
    (PROGRAMME, SWEDISH_ONLY,
     "Ny rubrik: Arbetsmarknaden efter corona → Arbetsmarknaden efter pandemin", b"pandemin"),
], ids=["note", "title"])
async def test_a_text_changed_in_swedish_is_counted_and_told_to_the_swedish_reader_only(
        telegram_bot, tmp_path, before: str, after: str, told: str, in_file: bytes) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, before)
    for user, lang, label in ((ANNA, "sv", "Kommer på plats"), (EMMA, "en", "Coming in person")):
        [card] = await bot.say(user, "/rsvp hybrid", language_code=lang)
        await bot.tap(user, card.message_id, label, count=2)
    await bot.outbox()
    sent = {user: len(bot.stub.messages_to(user)) for user in (ANNA, EMMA)}

    preview = await reload(bot, path, after)
    assert preview.plain_text.endswith("Confirm to put it in use. 1 participant of the changed "
                                       "meetings will be told.")
    [done] = await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    assert done.plain_text.endswith("1 participant of the changed meetings is being told.")
    clock.advance(minutes=3)
    await bot.assistant.tick()
    notice, ics = await bot.stub.wait_sent(ANNA, 2, since=sent[ANNA])
    assert notice.plain_text.splitlines()[1:] == [told]
    assert ics.method == "sendDocument" and in_file in ics.document_bytes
    await bot.outbox()
    assert bot.stub.messages_to(EMMA)[sent[EMMA]:] == []


async def test_the_preview_shows_the_note_as_it_was_and_as_it_will_be(telegram_bot,
                                                                       tmp_path) -> None:
    bot, path, _ = await organised(telegram_bot, tmp_path, WITH_NOTE)
    preview = await reload(bot, path, WITH_NOTE.replace("plan 3", "plan 4", 1))
    assert "Note (sv): Obs! Vi är i Stora salen, plan 3 → Obs! Vi är i Stora salen, plan 4" \
        in preview.plain_text


async def test_a_swedish_organiser_sees_that_only_the_swedish_title_changed(telegram_bot,
                                                                           tmp_path) -> None:
    """Review: in Swedish the preview read "Rubrik: A → B", as if the English title changed
    too; it names the language when the others stay."""
    bot, path, _ = await organised(telegram_bot, tmp_path, PROGRAMME)
    path.write_text(SWEDISH_ONLY, encoding="utf-8")
    [preview] = await bot.say(ORGANISER, "/reload", language_code="sv")
    assert ("    Rubrik (sv): Arbetsmarknaden efter corona → Arbetsmarknaden efter pandemin"
            in preview.plain_text.splitlines()), preview.plain_text
