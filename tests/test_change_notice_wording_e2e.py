"""End to end: an organiser's /reload through the real PTB Application against the Bot API
stub says how many participants it tells, and those told read what the change means for
their answer (a moved gathering's days, a new online platform)."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_gathering_moves import GATHERING, MOVED
from tests.test_rsvp_support import ORGANISER

ANNA, BEN, DORA = 21, 22, 24


async def answer(bot, user: int, event_id: str, label: str, lang: str) -> None:
    [card] = await bot.say(user, f"/rsvp {event_id}", language_code=lang)
    await bot.tap(user, card.message_id, label)


async def confirmed(bot, path, source: str) -> tuple[str, str]:
    """The organiser edits the file, sends /reload and confirms: the preview and the
    confirmation as Telegram shows them."""
    preview = await reload(bot, path, source)
    [done] = await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    return preview.plain_text, done.plain_text


async def test_a_reload_counts_who_it_tells_and_they_read_their_days_and_platform(
        telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, GATHERING)
    await answer(bot, BEN, "days", "Coming in person", "en")
    await answer(bot, ANNA, "days", "Kanske", "sv")
    await answer(bot, DORA, "web", "Coming online", "en")
    await bot.outbox()
    told = {user: len(bot.stub.messages_to(user)) for user in (ANNA, BEN)}

    preview, done = await confirmed(bot, path, GATHERING + """\
  - id: extra
    title: {sv: Extraträff, en: Extra meeting}
    start: 2027-09-30 09:30
    end: 2027-09-30 12:30
""")
    assert preview.endswith("Confirm to put it in use.")
    assert done == "Done: the new programme is in use (1 new)."

    teams = MOVED.replace('online: {url: "https://zoom.us/j/2"}',
                          'online: {platform: Teams, url: "https://teams.microsoft.com/l/m/abc"}')
    preview, done = await confirmed(bot, path, teams)
    assert "Online: Zoom https://zoom.us/j/2 → Teams https://teams.microsoft.com/l/m/abc" in preview
    assert preview.endswith("Confirm to put it in use. 3 participants of the changed meetings "
                            "will be told.")
    assert done.endswith("3 participants of the changed meetings are being told.")
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()

    ben = "\n".join(m.plain_text for m in bot.stub.messages_to(BEN)[told[BEN]:] if m.plain_text)
    assert ("The days have changed: you're down for Thu 25 Nov, Fri 26 Nov. Please check your "
            "days on the meeting's card (/rsvp days).") in ben
    anna = "\n".join(m.plain_text for m in bot.stub.messages_to(ANNA)[told[ANNA]:]
                     if m.plain_text)
    assert anna.startswith("✏️ Nytt om Höstdagarna") and "Dagarna har ändrats" not in anna
    dora, ics = bot.stub.messages_to(DORA)[-2:]
    assert dora.plain_text.startswith("✏️ Changes to Web meeting")
    assert ics.method == "sendDocument"
    assert dora.plain_text.splitlines()[1:] == [
        "Now online via Teams: https://teams.microsoft.com/l/m/abc"]
