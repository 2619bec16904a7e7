"""End to end: through the real PTB Application and the Bot API stub, a private join link
changed after Sara's last reminder brought the old one: she reads that the link changed and
that she gets it in a moment, and then the new link, which says it replaces the old one
(it used to never come: she would have joined with the dead link)."""
from __future__ import annotations

from datetime import timedelta

from tests.e2e_reload import organised, reload
from tests.test_new_private_link import NEW_LINK
from tests.test_rsvp_online_only import LAST_HOUR
from tests.test_rsvp_support import ORGANISER, PROGRAMME

SARA = 31


async def test_a_new_private_link_reaches_her_after_the_notice(telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, PROGRAMME, reminders=True)
    [card] = await bot.say(SARA, "/rsvp hybrid", language_code="sv")
    await bot.tap(SARA, card.message_id, "Deltar online")
    clock.set(LAST_HOUR)
    await bot.assistant.tick()
    await bot.outbox()
    assert 'href="https://zoom.us/j/1"' in bot.stub.messages_to(SARA)[-1].text
    before = len(bot.stub.messages_to(SARA))

    clock.advance(minutes=5)
    preview = await reload(bot, path, NEW_LINK)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    for _ in range(5):
        clock.advance(seconds=30)
        await bot.assistant.tick()
        await bot.outbox()

    note, ics, link = bot.stub.messages_to(SARA)[before:]
    assert "Ny länk för att delta online: du får den om en liten stund." in note.plain_text
    assert ics.method == "sendDocument"
    assert link.plain_text.startswith(
        "Länken för att delta online i Arbetsmarknaden efter corona har ändrats. Här är den "
        "nya, som ersätter den jag skickade tidigare.")
    assert 'href="https://zoom.us/j/999"' in link.text
    assert clock.now() < LAST_HOUR + timedelta(hours=1)
